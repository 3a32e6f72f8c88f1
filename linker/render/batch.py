"""Summaries of batch stores (``linker batch`` and ``linker report``)."""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from typing import Protocol

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from linker.i18n import language_of
from linker.models import RuleSummaryRow, SummaryRow
from linker.render.report import ENGLISH, kind_names
from linker.sanitize import visible, visible_fields


def render_summary_table(rows: list[SummaryRow], by: str, console: Console,
                         tr: gettext.NullTranslations = ENGLISH) -> None:
    """Posts, verdicts, share edited (of those checked), median coverage and the most common
    medium/high finding per group.  ``n/a`` counts posts that could not be checked.

    The table fits the console: past its width the headers take their short forms, then the
    group's column (a host, a poster) is cut with …; numbers and finding names are never cut.
    """
    _ = tr.gettext
    groups = {"outlet": _("outlet"), "poster": _("poster"), "day": _("day")}
    kinds = kind_names(tr)
    shown = visible_fields(rows)
    cells = [[str(r.posts), str(r.faithful), str(r.edited), str(r.unverifiable),
              f"{r.share_edited:.0%}",
              "—" if r.median_coverage is None else f"{r.median_coverage:.0%}",
              kinds.get(r.top_finding or "", r.top_finding or "—")] for r in shown]
    full = [_("posts"), _("faithful"), _("edited"), _("n/a"), _("edited%"), _("coverage"),
            _("top finding")]
    # The same columns' short names, for narrow terminals.
    short = [tr.pgettext("short", "posts"), tr.pgettext("short", "ok"),
             tr.pgettext("short", "edited"), tr.pgettext("short", "n/a"),
             tr.pgettext("short", "ed%"), tr.pgettext("short", "cov"),
             tr.pgettext("short", "top")]

    def need(headers: list[str]) -> list[int]:
        return [max([cell_len(h), *(cell_len(c[i]) for c in cells)])
                for i, h in enumerate(headers)]

    def table(headers: list[str], key_width: int) -> Table:
        out = Table(title=_("by {group}").format(group=groups.get(by, by)),
                    title_justify="left", header_style="bold", box=box.SIMPLE_HEAD,
                    pad_edge=False, collapse_padding=True)
        # An id or a host is never broken across lines ("kaohsiung" / "8"): cut with …
        out.add_column(groups.get(by, by), no_wrap=True, overflow="ellipsis", width=key_width)
        for name, width in zip(headers[:-1], need(headers)[:-1], strict=True):
            out.add_column(name, justify="right", no_wrap=True, min_width=width)
        out.add_column(headers[-1], no_wrap=True, min_width=need(headers)[-1])
        for r, row in zip(shown, cells, strict=True):
            out.add_row(Text(r.key), *row)
        return out

    def width(t: Table) -> int:
        return console.measure(t, options=console.options.update_width(10_000)).maximum

    longest = max([cell_len(groups.get(by, by)), *(cell_len(r.key) for r in shown)])
    headers = full if width(table(full, longest)) <= console.width else short
    # Every other column keeps its width, so the key column gives up exactly the overflow.
    overflow = width(table(headers, longest)) - console.width
    console.print(table(headers, max(8, longest - max(0, overflow))))


def render_batch_summary(summaries: Mapping[str, list[SummaryRow]], console: Console,
                         tr: gettext.NullTranslations = ENGLISH) -> None:
    """The end-of-sweep summary: a table per grouping (``outlet``, ``poster``)."""
    for by, rows in summaries.items():
        render_summary_table(rows, by, console, tr)


def render_rule_table(rows: list[RuleSummaryRow], console: Console,
                      tr: gettext.NullTranslations = ENGLISH) -> None:
    """``linker report --by rule``: per rule, the posts that break it, keep it and that linker
    could not decide, with the rule's name in push lines; one table per profile (a store of
    several boards holds each board's own rules)."""
    _ = tr.gettext
    lang = language_of(tr)
    if not rows:
        console.print(Text(_("no board rules in this store: run linker batch with --rules, or "
                             "on a board linker has a profile for"), style="dim"))
        return
    profiles = list(dict.fromkeys(r.profile for r in rows))
    for profile in profiles:
        table = Table(title=_("by rule ({profile})").format(profile=profile),
                      title_justify="left", header_style="bold", box=box.SIMPLE_HEAD,
                      pad_edge=False, collapse_padding=True)
        table.add_column(_("rule"), no_wrap=True)
        for name in (_("broken"), _("kept"), _("undecided"), _("broken%")):
            table.add_column(name, justify="right", no_wrap=True, min_width=cell_len(name))
        table.add_column(_("name"), overflow="fold")
        for r in visible_fields([r for r in rows if r.profile == profile]):
            table.add_row(Text(r.rule), str(r.violations), str(r.kept), str(r.unknown),
                          f"{r.share_broken:.0%}", Text(r.short_zh_tw if lang == "zh-TW"
                                                        else r.short_en))
        console.print(table)


class _RunResult(Protocol):
    listed: int
    done: int
    interrupted: bool
    unreadable: list[str]
    lost: list[str]
    archive_problems: list[str]


def run_notes(result: _RunResult, db: str, tr: gettext.NullTranslations = ENGLISH,
              shown: int = 20) -> list[str]:
    """What a user must know after a sweep, a line each (for stderr): entries skipped,
    archives that could not be read, posts lost, an interruption and how to resume; each list
    shows at most ``shown`` items."""
    _ = tr.gettext
    lines = [_("linker: skipped {entry}").format(entry=where)
             for where in result.unreadable[:shown]]
    if len(result.unreadable) > shown:
        lines.append(_("linker: … and {n} more entries that are not posts").format(
            n=len(result.unreadable) - shown))
    lines += [_("linker: archive: {problem}").format(problem=problem)
              for problem in result.archive_problems[:shown]]
    if result.archive_problems:
        lines.append(_("linker: {n} archive records or files could not be read; the rest of "
                       "the archives was used").format(n=len(result.archive_problems)))
    lines += [_("linker: not checked: {post}").format(post=lost) for lost in result.lost[:shown]]
    if result.lost:
        lines.append(_("linker: {n} posts could not be checked (their worker died) and were "
                       "not stored; run the same command to check them.").format(
            n=len(result.lost)))
    elif result.interrupted:
        lines.append(_("linker: interrupted after {done} of {listed} posts; everything "
                       "finished is in {db}. Run the same command to resume.").format(
            done=result.done, listed=result.listed, db=db))
    return [visible(line) for line in lines]
