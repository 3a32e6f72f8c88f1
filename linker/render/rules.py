"""A board's rule profile, as ``linker rules`` prints it."""

from __future__ import annotations

import gettext

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from linker.i18n import language_of
from linker.render.report import ENGLISH
from linker.rules import RULE_IDS, Profile


def render_profile(profile: Profile, console: Console,
                   tr: gettext.NullTranslations = ENGLISH) -> None:
    """Each rule of ``profile``: its id, its name in a push line, its wording and its
    parameters, in the language of ``tr``."""
    _ = tr.gettext
    lang = language_of(tr)
    console.print(Text(profile.zh_tw if lang == "zh-TW" else profile.en, style="bold"))
    console.print(Text(_("profile {name} · boards {boards} · {origin}").format(
        name=profile.name, boards=", ".join(profile.boards) or "—", origin=profile.origin),
        style="dim"))
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, expand=False)
    table.add_column(_("rule"), no_wrap=True)
    table.add_column(_("what it asks"), overflow="fold")
    for rule in profile.rules:
        params = ", ".join(f"{k} = {v!r}" if not isinstance(v, tuple) else
                           f"{k} = [{', '.join(map(str, v))}]" for k, v in rule.params)
        body = Text.assemble((rule.says(lang), ""), "\n", (rule.short(lang), "dim"))
        if params:
            body.append("\n" + params, style="dim")
        table.add_row(Text(rule.id), body)
    console.print(table)
    left_out = [r for r in RULE_IDS if profile.rule(r) is None]
    if left_out:
        console.print(Text(_("not checked by this profile: {rules}").format(
            rules=", ".join(left_out)), style="dim"))
