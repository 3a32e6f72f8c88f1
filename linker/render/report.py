"""The views of a check: summary header, inline diff and side-by-side diff.

Two levels of emphasis, as in delta: a pale background marks a passage that changed and a
strong colour the characters that changed.  Without colour (``NO_COLOR``, a pipe, a file) the
same view uses plain markers that survive being pasted into a PTT post::

    [+added text]   [-omitted text]   [~old→new]   [^moved passage]
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.style import Style
from rich.table import Table
from rich.text import Text

from linker.messages import say
from linker.render.wrap import Wrapped
from linker.sanitize import visible_fields

if TYPE_CHECKING:
    from linker.models import Finding, Report

VERDICT_STYLE = {"faithful": "bold white on green4", "edited": "bold white on red3",
                 "unverifiable": "bold black on yellow3"}
STATUS_STYLE = {"ok": "green", "mismatch": "bold red", "missing": "yellow",
                "warning": "yellow", "skipped": "dim"}
ADDED = {"high": "bold white on dark_green", "medium": "white on dark_green",
         "low": "green"}
OLD = "strike red"
NEW = "bold green"
PALE = "on grey15"
MOVED = "bold white on blue3"
OMITTED = {"high": "bold red", "medium": "red", "low": "dim red"}
ENGLISH = gettext.NullTranslations()
FOLD_AT = 4
"""Unchanged runs longer than this many lines fold to their first and last line."""
COLLAPSE_AT = 40
"""Omitted passages longer than this many characters collapse to a marker."""


@dataclass(frozen=True)
class _Mark:
    """A finding's place in the quote: an overlay ``[start, end)`` or a point (start == end)."""

    start: int
    end: int
    finding: Finding


def _plain(console: Console) -> bool:
    return console.no_color or console.color_system is None


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _outlet(report: Report, tr: gettext.NullTranslations = ENGLISH) -> str:
    s = report.source
    if s is None:
        return "—"
    host = urlsplit(s.final_url or s.url or "").hostname or tr.gettext("(saved page)")
    return f"{s.sitename} · {host}" if s.sitename and s.sitename != host else host


def _bar(share: float, width: int = 20) -> str:
    full = round(share * width)
    return "█" * full + "░" * (width - full)


class _Phrases:
    """Phrases on one line when they fit the width, else one phrase a line: a summary never
    breaks inside a phrase ("4% of the quote not in \\n the source")."""

    def __init__(self, phrases: list[Text], separator: str) -> None:
        self.phrases = phrases
        self.separator = separator

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = Text(self.separator).join(self.phrases)
        if line.cell_len <= options.max_width:
            yield line
            return
        for i, phrase in enumerate(self.phrases):
            yield phrase if i == 0 else Text("  ") + phrase


def kind_names(tr: gettext.NullTranslations = ENGLISH) -> dict[str, str]:
    """The finding kinds in the reader's language."""
    _ = tr.gettext
    return {"omitted": _("omitted"), "added": _("added"), "altered": _("altered"),
            "moved": _("moved")}


def severity_names(tr: gettext.NullTranslations = ENGLISH) -> dict[str, str]:
    """The severities in the reader's language."""
    _ = tr.gettext
    return {"high": _("high"), "medium": _("medium"), "low": _("low")}


def header(report: Report, plain: bool,
           tr: gettext.NullTranslations = ENGLISH) -> RenderableType:
    """Verdict, post and source identity, scores, counts and the metadata checks."""
    _ = tr.gettext
    post = report.post
    lines: list[RenderableType] = []
    verdict = {"faithful": _("FAITHFUL"), "edited": _("EDITED"),
               "unverifiable": _("UNVERIFIABLE")}[report.verdict]
    badge = f"[{verdict}]" if plain else f" {verdict} "
    lines.append(Text.assemble((badge, "" if plain else VERDICT_STYLE[report.verdict]), "  ",
                               (post.title or _("(untitled)"), "bold")))
    who = " · ".join(x for x in (post.board, post.author,
                                 f"{post.time:%Y-%m-%d %H:%M}" if post.time else None) if x)
    lines.append(Text(who, style="dim"))
    if report.reason:
        lines.append(Text(_("reason: {reason}").format(reason=say(report.reason, tr)),
                          style="yellow"))
    rules = _rules(report, plain, tr)
    if rules is not None:
        lines.append(rules)
    if report.source is not None:
        s = report.source
        lines.append(Text(_("source: {outlet}").format(outlet=_outlet(report, tr))))
        if s.final_url or s.url:
            lines.append(Text(f"        {s.final_url or s.url}", style="dim"))
        lines.append(Text("        " + _("extraction {extraction} · conversion {conversion} · "
                                       "{encoding}").format(
            extraction=s.extraction,
            conversion=_("none") if s.conversion == "none" else s.conversion,
            encoding=s.encoding), style="dim"))
        if s.archived_at:
            lines.append(Text("        " + _("checked against the archived copy of {date}").format(
                date=s.archived_at[:10]), style="bold yellow" if not plain else ""))
    for note in report.notes:
        lines.append(Text(_("note: {note}").format(note=say(note, tr)),
                          style="" if plain else "yellow"))
    if report.coverage is not None and report.added is not None:
        lines.append(_Phrases([
            Text.assemble(_("coverage "), (_bar(report.coverage), "green"),
                          _(" {share} of the source quoted").format(
                              share=f"{report.coverage:.0%}")),
            Text.assemble((f"{report.added:.0%}", "bold" if report.added else ""),
                          _(" of the quote not in the source"))], " · "))
    counts = Counter((f.kind, f.severity) for f in report.findings)
    kinds = kind_names(tr)
    severities = severity_names(tr)
    parts = []
    for kind in ("omitted", "added", "altered", "moved"):
        n = sum(v for (k, _s), v in counts.items() if k == kind)
        if n:
            detail = ", ".join(f"{counts[(kind, sev)]} {severities[sev]}"
                               for sev in ("high", "medium", "low") if counts[(kind, sev)])
            parts.append(f"{kinds[kind]} {n} ({detail})")
    lines.append(_Phrases([Text(_("findings: ") + (parts[0] if parts else _("none"))),
                           *(Text(p) for p in parts[1:])], _("; ")))
    if report.checks:
        names = {"title": _("title"), "reporter": _("reporter"), "published": _("published"),
                 "link": _("link"), "commentary": _("commentary")}
        statuses = {"ok": _("ok"), "mismatch": _("mismatch"), "missing": _("missing"),
                    "warning": _("warning"), "skipped": _("skipped")}
        table = Table(show_header=False, box=None, padding=(0, 1), pad_edge=False)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for c in report.checks:
            table.add_row(Text(names.get(c.name, c.name)),
                          Text(statuses.get(c.status, c.status), style="" if plain else
                               STATUS_STYLE.get(c.status, "")), Wrapped(say(c.detail, tr)))
        lines.append(table)
    why = _why(report, plain, tr)
    if why is not None:
        lines.extend((Text(""), why))
    return Group(*lines)


def _rules(report: Report, plain: bool, tr: gettext.NullTranslations) -> RenderableType | None:
    """The board rules the post breaks, first: each rule's id, the profile's wording and the
    evidence; then how many held and how many linker could not decide."""
    from linker.i18n import language_of
    from linker.rules import violations

    if not report.rules:
        return None
    _ = tr.gettext
    lang = language_of(tr)
    broken = violations(report.rules)
    held = sum(1 for r in report.rules if r.status == "ok")
    unknown = [r for r in report.rules if r.status == "unknown"]
    head = _("board rules ({profile}): {broken} broken · {held} kept · {unknown} undecided") \
        .format(profile=report.rule_profile or "", broken=len(broken), held=held,
                unknown=len(unknown))
    parts: list[RenderableType] = [Text(head, style="bold" if broken else "")]
    if broken:
        table = Table(show_header=False, box=None, padding=(0, 1), pad_edge=False)
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for r in broken:
            table.add_row(Text("✗ " + r.id, style="" if plain else "bold red"),
                          Wrapped(Text.assemble((r.says(lang), "bold"), "\n",
                                                (say(r.evidence, tr), "" if plain else "yellow"))))
        parts.append(table)
    if unknown:
        parts.append(Text(_("undecided: {rules}").format(
            rules=_(", ").join(r.id for r in unknown)), style="dim"))
    return Group(*parts)


WHY_ROWS = 8
"""Serious findings explained under the checks; the rest are counted, not listed."""


def _why(report: Report, plain: bool, tr: gettext.NullTranslations) -> Table | None:
    """One row per medium or high finding: its severity, kind and why it counts."""
    serious = [f for f in report.findings if f.severity != "low"]
    if not serious:
        return None
    rank = {"high": 0, "medium": 1}
    serious.sort(key=lambda f: rank[f.severity])
    kinds, severities = kind_names(tr), severity_names(tr)
    table = Table(show_header=False, box=None, padding=(0, 1), pad_edge=False)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for f in serious[:WHY_ROWS]:
        note = say(f.note, tr)
        if f.kind in ("added", "omitted", "moved"):
            note += f" 「{_clip(f.post_text or f.source_text, 14)}」"
        style = "" if plain else ("bold red" if f.severity == "high" else "yellow")
        table.add_row(Text(severities[f.severity], style=style), Text(kinds[f.kind]),
                      Wrapped(_linked(Text(note), f)))
    if len(serious) > WHY_ROWS:
        table.add_row("", "", Text(tr.gettext("… and {n} more").format(
            n=len(serious) - WHY_ROWS), style="dim"))
    return table


def _marks(report: Report) -> list[_Mark]:
    marks = []
    for f in report.findings:
        if f.post_span is None:
            continue
        marks.append(_Mark(f.post_span[0], f.post_span[1], f))
    # Points (omissions) before overlays at the same place; then by position.
    return sorted(marks, key=lambda m: (m.start, m.end > m.start, m.end))


_ANCHORS: ContextVar[dict[int, int] | None] = ContextVar("linker_anchors", default=None)
"""While an export is drawn: each finding's index by ``id()``, so its marks link to
``#finding-N`` (see :mod:`linker.render.export`)."""


def _linked(text: Text, f: Finding) -> Text:
    anchors = _ANCHORS.get()
    if anchors is not None and id(f) in anchors:
        text.stylize(Style(link=f"#finding-{anchors[id(f)]}"))
    return text


def _omitted_marker(f: Finding, plain: bool, full: bool) -> Text:
    text = f.source_text.strip()
    paragraphs = len([p for p in text.split("\n") if p.strip()]) or 1
    if full or len(text) <= COLLAPSE_AT:
        body = text
    else:
        body = f"⋯ 略去 {paragraphs} 段 · {len(text)} 字: {_clip(text, 24)}"
    if plain:
        return Text(f"[-{body}]")
    return Text(f"⊖ {body}", style=OMITTED[f.severity])


def _altered(f: Finding, plain: bool) -> Text:
    if plain:
        return Text(f"[~{f.source_text}→{f.post_text}]")
    return Text.assemble((f.source_text, OLD), ("→", "dim"), (f.post_text, NEW))


def _clause_bounds(quote: str, start: int, end: int) -> tuple[int, int]:
    left = max((quote.rfind(c, 0, start) for c in "。，,！？!?；;\n"), default=-1) + 1
    rights = [i for i in (quote.find(c, end) for c in "。，,！？!?；;\n") if i >= 0]
    return left, (min(rights) + 1 if rights else len(quote))


def inline_text(report: Report, plain: bool, full: bool) -> Text:
    """The quote as posted with every finding drawn into it (before line folding)."""
    quote = report.post.fields.quote
    out = Text()
    pale: list[tuple[int, int]] = []
    if not plain:
        pale = [_clause_bounds(quote, m.start, m.end) for m in _marks(report)
                if m.finding.kind == "altered"]
    pos = 0

    def emit(upto: int) -> None:
        nonlocal pos
        if upto <= pos:
            return
        for i in range(pos, upto):
            style = PALE if any(a <= i < b for a, b in pale) else ""
            out.append(quote[i], style=style)
        pos = upto

    for m in _marks(report):
        f = m.finding
        emit(m.start)
        if m.start < pos and m.end > m.start:
            continue  # overlaps what was already drawn
        if f.kind == "omitted":
            marker = _omitted_marker(f, plain, full)
            long = "\n" in f.source_text.strip() or len(f.source_text) > COLLAPSE_AT
            at_line_start = m.start == 0 or quote[m.start - 1] == "\n"
            if long and not at_line_start:
                out.append("\n")
            out.append_text(_linked(marker, f))
            if long and m.start < len(quote) and quote[m.start] != "\n":
                out.append("\n")
            continue
        text = quote[m.start:m.end]
        if f.kind == "added":
            out.append_text(_linked(Text(f"[+{text}]") if plain else Text(
                text, style=ADDED[f.severity]), f))
        elif f.kind == "altered":
            out.append_text(_linked(_altered(f, plain), f))
        else:  # moved
            out.append_text(_linked(Text(f"[^{text}]") if plain else Text(
                "⇅" + text, style=MOVED), f))
        pos = m.end
    emit(len(quote))
    return out


def _changed(line: Text, plain: bool) -> bool:
    if plain:
        return bool(re.search(r"\[[+\-~^]", line.plain))
    return any(span.style for span in line.spans) or line.plain.startswith(("⊖", "⇅"))


def _folded_lines(text: Text, plain: bool, full: bool,
                  tr: gettext.NullTranslations = ENGLISH) -> Iterator[Text]:
    lines = text.split("\n", allow_blank=True)
    if full:
        yield from lines
        return
    run: list[Text] = []

    def flush() -> Iterator[Text]:
        if len(run) > FOLD_AT:
            yield run[0]
            yield Text("  " + tr.gettext("⋯ {n} unchanged lines ⋯").format(n=len(run) - 2),
                       style="dim")
            yield run[-1]
        else:
            yield from run
        run.clear()

    for line in lines:
        if _changed(line, plain):
            yield from flush()
            yield line
        else:
            run.append(line)
    yield from flush()


def _mostly_changed(report: Report) -> list[tuple[int, int]]:
    """Paragraphs of the quote where most characters changed in several places."""
    quote = report.post.fields.quote
    spans = []
    pos = 0
    for para in quote.split("\n"):
        start, end = pos, pos + len(para)
        pos = end + 1
        if len(para.strip()) < 20:
            continue
        inside = [f for f in report.findings if f.post_span and start <= f.post_span[0] < end
                  and f.kind in ("added", "altered")]
        changed = sum(f.post_span[1] - f.post_span[0] for f in inside if f.post_span)
        if len(inside) >= 3 and changed > 0.5 * len(para):
            spans.append((start, end))
    return spans


def inline(report: Report, plain: bool, full: bool,
           tr: gettext.NullTranslations = ENGLISH) -> RenderableType:
    """The default view: the quote paragraph by paragraph with findings drawn in."""
    parts: list[RenderableType] = [Text("")]
    rewritten = _mostly_changed(report)
    body = inline_text(report, plain, full)
    parts.extend(_folded_lines(body, plain, full, tr))
    quote = report.post.fields.quote
    for start, end in rewritten:
        # A shredded diff helps nobody here: show both versions whole.
        sources = [f.source_text for f in report.findings
                   if f.post_span and start <= f.post_span[0] < end and f.source_text]
        parts.append(Text(""))
        parts.append(Text("mostly rewritten — both versions whole:", style="bold"))
        parts.append(Text.assemble(("  source │ ", "dim"), "".join(sources)))
        parts.append(Text.assemble(("  posted │ ", "dim"), quote[start:end]))
    return Group(*(Wrapped(p) if isinstance(p, Text) else p for p in parts))


def _pieces(report: Report) -> list[tuple[str, str, str, Finding | None]]:
    """Rows of the side-by-side view: (kind, source text, quote text, finding)."""
    quote = report.post.fields.quote
    source = report.source.text if report.source else ""
    items: list[tuple[int, int, str, str, str, Finding | None]] = []
    taken_q = [f.post_span for f in report.findings if f.post_span and f.kind != "moved"]
    taken_s = [f.source_span for f in report.findings if f.source_span and f.kind != "moved"]
    for (q0, q1), (s0, s1) in report.matches:
        # Findings widen to whole numbers and words: trim the matches they overlap.
        q0, q1 = _trim(q0, q1, taken_q)
        s0, s1 = _trim(s0, s1, taken_s)
        if q1 > q0 or s1 > s0:
            items.append((q0, s0, "same", source[s0:s1], quote[q0:q1], None))
    moved = []
    for f in report.findings:
        if f.kind == "moved":
            moved.append(f)
        if f.post_span is None or f.source_span is None:
            continue
        items.append((f.post_span[0], f.source_span[0], f.kind, f.source_text, f.post_text, f))
    items.sort(key=lambda x: (x[0], x[1]))
    rows = [(kind, s, q, f) for _q, _s, kind, s, q, f in items]
    for f in moved:
        assert f.source_span is not None
        at = next((i for i, (_q, s_pos, *_rest) in enumerate(items)
                   if s_pos >= f.source_span[0] and items[i][2] != "moved"), len(items))
        rows.insert(at, ("moved-from", f.source_text, "", f))
    return rows


def _trim(start: int, end: int, taken: list[tuple[int, int]]) -> tuple[int, int]:
    for a, b in taken:
        if a < b and a <= start < b:
            start = b
        if a < b and a < end <= b:
            end = a
    return start, max(start, end)


def _fold_text(text: Text) -> Text:
    lines = text.split("\n", allow_blank=True)
    if len(lines) <= FOLD_AT:
        return text
    return Text("\n").join([lines[0], Text(f"  ⋯ {len(lines) - 2} lines ⋯", style="dim"),
                             lines[-1]])


def side_by_side(report: Report, plain: bool, full: bool, width: int,
                 tr: gettext.NullTranslations = ENGLISH) -> RenderableType:
    """Source on the left, quote on the right, aligned passage by passage.

    Small changes (an altered number, a short addition or cut) are drawn inside their row
    with two-level emphasis; long additions, omissions and moves get rows of their own.
    """
    table = Table(show_header=True, header_style="bold", box=box.MINIMAL, expand=True,
                  padding=(0, 1), show_edge=False, border_style="dim")
    table.add_column(tr.gettext("source"), ratio=1, overflow="fold")
    table.add_column(tr.gettext("post"), ratio=1, overflow="fold")
    left, right = Text(), Text()
    changed = False

    def flush() -> None:
        nonlocal left, right, changed
        if left.plain.strip() or right.plain.strip():
            l_text, r_text = left, right
            if not changed and not full:
                l_text, r_text = _fold_text(left), _fold_text(right)
            table.add_row(Wrapped(l_text), Wrapped(r_text))
        left, right, changed = Text(), Text(), False

    for kind, src, post, f in _pieces(report):
        if kind == "same":
            left.append(src)
            right.append(post)
            continue
        assert f is not None
        sev = f.severity
        long = len(src) > COLLAPSE_AT or len(post) > COLLAPSE_AT or "\n" in (src + post).strip()
        if kind in ("moved", "moved-from") or long:
            flush()
        if kind == "omitted":
            left.append_text(_linked(Text(f"[-{src}]") if plain else Text(
                src, style=OMITTED[sev]), f))
        elif kind == "added":
            right.append_text(_linked(Text(f"[+{post}]") if plain else Text(
                post, style=ADDED[sev]), f))
        elif kind == "altered":
            left.append_text(Text(f"[~{src}]") if plain else Text(src, style=OLD))
            right.append_text(_linked(Text(f"[~{post}]") if plain else Text(
                post, style=NEW), f))
        elif kind == "moved":
            left.append_text(Text(tr.gettext("⇅ moved here from elsewhere in the source"),
                                  style="dim"))
            right.append_text(_linked(Text(f"[^{post}]") if plain else Text(
                post, style=MOVED), f))
        else:  # moved-from
            left.append_text(Text(f"[^{src}]") if plain else Text(src, style=MOVED))
            right.append_text(Text(tr.gettext("⇅ quoted elsewhere in the post"), style="dim"))
        changed = True
        if kind in ("moved", "moved-from") or long:
            flush()
    flush()
    return table


def render_report(report: Report, console: Console, *, full: bool = False,
                  side: bool = False, tr: gettext.NullTranslations = ENGLISH,
                  anchors: bool = False) -> None:
    """Print the whole check view: header, then the inline or side-by-side diff, in the
    language of ``tr``.  With ``anchors`` (exports), each finding's marks link to
    ``#finding-N``."""
    report = visible_fields(report)
    token = _ANCHORS.set({id(f): n for n, f in enumerate(report.findings)} if anchors else None)
    try:
        _render_report(report, console, full, side, tr)
    finally:
        _ANCHORS.reset(token)


def _render_report(report: Report, console: Console, full: bool, side: bool,
                   tr: gettext.NullTranslations) -> None:
    plain = _plain(console)
    console.print(header(report, plain, tr))
    if not report.findings and not report.matches:
        return
    if side:
        console.print()
        console.print(side_by_side(report, plain, full, console.width, tr))
    else:
        console.print(inline(report, plain, full, tr))
    if report.findings:
        console.print()
        console.print(_legend(plain, tr))


def _legend(plain: bool, tr: gettext.NullTranslations = ENGLISH) -> Text:
    _ = tr.gettext
    if plain:
        # The markers keep their shape in every language; only the words change.
        return Text(_("[+added] [-omitted] [~source→post] [^moved]"), style="dim")
    kinds, severities = kind_names(tr), severity_names(tr)
    return Text.assemble((kinds["added"], ADDED["high"]), "  ",
                         ("⊖ " + kinds["omitted"], OMITTED["medium"]), "  ",
                         (_("source"), OLD), ("→", "dim"), (_("post"), NEW), "  ",
                         ("⇅ " + kinds["moved"], MOVED), "  ", (_("severity: "), "dim"),
                         (severities["high"], "bold"), " ", (severities["medium"], ""), " ",
                         (severities["low"], "dim"))
