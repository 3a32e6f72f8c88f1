"""Summaries of batch stores (``linker batch`` and ``linker report``)."""

from __future__ import annotations

import gettext

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from linker.i18n import language_of
from linker.render.report import ENGLISH, kind_names
from linker.sanitize import visible_fields
from linker.store import GROUPINGS, RuleSummaryRow, Store, SummaryRow


def render_summary_table(rows: list[SummaryRow], by: str, console: Console,
                         tr: gettext.NullTranslations = ENGLISH) -> None:
    """Posts, verdicts, share edited (of those checked), median coverage and the most common
    medium/high finding per group.  ``n/a`` counts posts that could not be checked."""
    _ = tr.gettext
    groups = {"outlet": _("outlet"), "poster": _("poster"), "day": _("day")}
    kinds = kind_names(tr)
    table = Table(title=_("by {group}").format(group=groups.get(by, by)), title_justify="left",
                  header_style="bold",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    # An id or a host is never broken across lines ("kaohsiung" / "8"): cut with … if it must.
    longest = max((cell_len(r.key) for r in rows), default=10)
    table.add_column(groups.get(by, by), no_wrap=True, overflow="ellipsis",
                     min_width=min(32, max(10, longest)))
    for name in (_("posts"), _("faithful"), _("edited"), _("n/a"), _("edited%"), _("coverage")):
        table.add_column(name, justify="right", no_wrap=True, min_width=cell_len(name))
    table.add_column(_("top finding"), no_wrap=True, overflow="ellipsis")
    for r in visible_fields(rows):
        table.add_row(Text(r.key), str(r.posts), str(r.faithful), str(r.edited), str(r.unverifiable),
                      f"{r.share_edited:.0%}",
                      "—" if r.median_coverage is None else f"{r.median_coverage:.0%}",
                      kinds.get(r.top_finding or "", r.top_finding or "—"))
    console.print(table)


def render_batch_summary(store: Store, urls: list[str], console: Console,
                         tr: gettext.NullTranslations = ENGLISH) -> None:
    """The end-of-sweep summary: per outlet and per poster."""
    del urls  # the summary covers the whole store, which a rerun extends
    for by in GROUPINGS[:2]:
        render_summary_table(store.summary(by), by, console, tr)


def render_rule_table(rows: list[RuleSummaryRow], console: Console,
                      tr: gettext.NullTranslations = ENGLISH) -> None:
    """``linker report --by rule``: per rule, the posts that break it, keep it and that linker
    could not decide, with the rule's name in push lines."""
    _ = tr.gettext
    lang = language_of(tr)
    table = Table(title=_("by rule"), title_justify="left", header_style="bold",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column(_("rule"), no_wrap=True)
    for name in (_("broken"), _("kept"), _("undecided"), _("broken%")):
        table.add_column(name, justify="right", no_wrap=True, min_width=cell_len(name))
    table.add_column(_("name"), overflow="fold")
    for r in visible_fields(rows):
        table.add_row(Text(r.rule), str(r.violations), str(r.kept), str(r.unknown),
                      f"{r.share_broken:.0%}", Text(r.short_zh_tw if lang == "zh-TW"
                                                    else r.short_en))
    if not rows:
        console.print(Text(_("no board rules in this store: run linker batch with --rules, or "
                             "on a board linker has a profile for"), style="dim"))
        return
    console.print(table)
