"""Verdicts sized for PTT: a push line and a reply-post body, Big5-safe and width-limited.

PTT counts width in columns where a full-width character takes two: a push holds at most 40
full-width columns (80 half-width) after the user id, a post line 78.  PTT stores Big5
(cp950): anything cp950 cannot encode is replaced by ``?`` so that the text pastes as shown.
"""

from __future__ import annotations

import gettext
from typing import TYPE_CHECKING

from rich.cells import cell_len, chop_cells

from linker.messages import say
from linker.sanitize import visible

if TYPE_CHECKING:
    from linker.models import Finding, Report

PUSH_CELLS = 80
"""A push's room after the user id: 40 full-width columns."""
LINE_CELLS = 78


def big5_safe(text: str) -> str:
    """``text`` with every character cp950 cannot encode replaced by ``?``."""
    out = []
    for ch in visible(text):
        try:
            ch.encode("cp950")
        except UnicodeEncodeError:
            ch = "?"
        out.append(ch)
    return "".join(out)


def _cut(text: str, cells: int) -> str:
    """``text`` on one line, cut with … to at most ``cells`` columns."""
    text = " ".join(text.split())
    if cell_len(text) <= cells:
        return text
    return chop_cells(text, max(1, cells - 1))[0] + "…"


def _serious(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.severity != "low"]


def _counts(report: Report, tr: gettext.NullTranslations) -> list[str]:
    findings = _serious(report)
    numbers = sum(1 for f in findings if f.kind == "altered" and f.note.startswith("number"))
    tally = [
        (sum(1 for f in findings if f.kind == "added"), tr.gettext("added {n}")),
        (sum(1 for f in findings if f.kind == "omitted"), tr.gettext("cut {n}")),
        (numbers, tr.gettext("numbers {n}")),
        (sum(1 for f in findings if f.kind == "altered") - numbers, tr.gettext("words {n}")),
        (sum(1 for f in findings if f.kind == "moved"), tr.gettext("moved {n}")),
    ]
    return [label.format(n=n) for n, label in tally if n]


def _marker(f: Finding) -> str:
    return {"added": "+", "omitted": "-", "altered": "~", "moved": "^"}[f.kind]


def _finding_text(f: Finding, conversion: str = "none") -> str:
    """The finding's text; the source's side in the poster's script (a Simplified source
    quoted in Traditional is shown in Traditional: Big5 has no Simplified characters)."""
    from linker.compare.normalise import convert

    source = convert(" ".join(f.source_text.split()), conversion)
    if f.kind == "altered":
        return f"{source}→{' '.join(f.post_text.split())}"
    return source if f.kind == "omitted" else f.post_text


def _script(report: Report) -> str:
    # Taiwan's standard forms: Big5 has 為 and 裡, not OpenCC's standard 爲 and 裏.
    conversion = report.source.conversion if report.source is not None else "none"
    return ("s2twp" if conversion == "s2twp" else "s2tw") if conversion.startswith("s2") \
        else "none"


def _worst(report: Report) -> Finding | None:
    rank = {"high": 0, "medium": 1}
    findings = sorted(_serious(report), key=lambda f: (rank.get(f.severity, 2),
                                                       -len(_finding_text(f))))
    return findings[0] if findings else None


def _title(report: Report, tr: gettext.NullTranslations) -> str | None:
    item = next((c for c in report.checks if c.name == "title"), None)
    if item is None or item.status not in ("ok", "mismatch"):
        return None
    return tr.gettext("title ok") if item.status == "ok" else tr.gettext("title differs")


def _broken(report: Report, tr: gettext.NullTranslations) -> str | None:
    """The board rules the post breaks, by their short names (``違反:標題非原標、新聞逾3日``)."""
    from linker.i18n import language_of
    from linker.rules import violations

    lang = language_of(tr)
    names = [r.short(lang) for r in violations(report.rules)]
    if not names:
        return None
    return tr.gettext("breaks: {rules}").format(rules=("、" if lang == "zh-TW" else ", ")
                                                .join(names))


def push_line(report: Report, tr: gettext.NullTranslations) -> str:
    """One line that fits a PTT push: the verdict, the counts, coverage, the title check and,
    when room allows, the most serious finding."""
    if report.verdict == "unverifiable":
        head = tr.gettext("check: could not check")
    elif report.verdict == "faithful":
        head = tr.gettext("check: faithful")
    else:
        counts = _counts(report, tr)
        head = tr.gettext("check: edited {n}").format(n=len(_serious(report)) or 1)
        if counts:
            head = tr.gettext("{head} ({counts})").format(head=head, counts=" ".join(counts))
    parts = [head]
    broken = _broken(report, tr)
    if broken:
        parts.append(broken)
    if report.coverage is not None:
        parts.append(tr.gettext("covers {pct}%").format(pct=round(report.coverage * 100)))
    title = _title(report, tr)
    if title:
        parts.append(title)
    line = big5_safe(" ".join(parts))
    worst = _worst(report)
    if worst is not None:
        room = PUSH_CELLS - cell_len(line) - 6  # a space, the marker, 「 and 」
        if room >= 6:
            snippet = big5_safe(_cut(_finding_text(worst, _script(report)), room))
            line += f" {_marker(worst)}「{snippet}」"
    return _cut(line, PUSH_CELLS)


def _rule_lines(report: Report, tr: gettext.NullTranslations, width: int) -> list[str]:
    """The board rules the post breaks, each with the profile's wording and the evidence."""
    from linker.i18n import language_of
    from linker.rules import violations

    if not report.rules:
        return []
    lang = language_of(tr)
    broken = violations(report.rules)
    unknown = sum(1 for r in report.rules if r.status == "unknown")
    lines = [tr.gettext("Board rules ({profile}): {n} broken, {unknown} undecided").format(
        profile=report.rule_profile or "", n=len(broken), unknown=unknown)]
    for r in broken:
        lines.append(f"  ✗ {r.short(lang)}: " + _cut(say(r.evidence, tr), width - 6))
        lines.append("    " + _cut(r.says(lang), width - 4))
    lines.append("")
    return lines


def bbs_reply(report: Report, tr: gettext.NullTranslations, width: int = LINE_CELLS) -> str:
    """A reply-post body (≤ ``width`` columns a line, Big5-safe): the verdict, the metadata
    checks and the findings with their text, long ones cut with …."""
    _ = tr.gettext
    names = {"title": _("Title"), "reporter": _("Reporter"), "published": _("Published"),
             "link": _("Link"), "commentary": _("Commentary")}
    statuses = {"ok": _("ok"), "mismatch": _("differs"), "missing": _("not given"),
                "warning": _("check"), "skipped": _("skipped")}
    verdicts = {"faithful": _("faithful"), "edited": _("edited"),
                "unverifiable": _("could not be checked")}
    lines = [_("※ linker check: {verdict}").format(verdict=verdicts[report.verdict])]
    if report.reason:
        lines.append(_("Reason: {reason}").format(reason=say(report.reason, tr)))
    url = report.source.final_url or report.source.url if report.source is not None else None
    if url:
        lines.append(_("Source: {url}").format(url=url))
    if report.coverage is not None and report.added is not None:
        lines.append(_("Coverage {coverage}% · {added}% of the quote not in the source").format(
            coverage=round(report.coverage * 100), added=round(report.added * 100)))
    lines.append("")
    lines.extend(_rule_lines(report, tr, width))
    for item in report.checks:
        lines.append(_("{name}: {status}").format(name=names.get(item.name, item.name),
                                                  status=statuses.get(item.status, item.status)))
    findings = _serious(report)
    if findings:
        lines.append("")
        lines.append(_("Changes ({n}):").format(n=len(findings)))
        for f in findings:
            lines.append(f"[{_marker(f)}] " + _cut(_finding_text(f, _script(report)), width - 4))
    out: list[str] = []
    for line in lines:
        safe = big5_safe(line)
        out.extend(chop_cells(safe, width) if cell_len(safe) > width else [safe])
    return "\n".join(out) + "\n"
