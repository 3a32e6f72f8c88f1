"""The comparison of a quote with an article's text: the alignment's edits classified into
findings (omitted, added, altered, moved) with their severity, coverage, and the fallbacks to
other readings of the page before text is called added.  Pure functions: no I/O."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING

from linker.compare.align import Alignment, Edit, align
from linker.compare.metacheck import bbs_title
from linker.compare.normalise import (
    CONVERSIONS,
    REGIONAL_CHARS,
    Folded,
    canonical,
    canonical_many,
    convert_many,
    declared_cuts,
    detect_conversion,
    fold,
    taiwan_phrased,
    url_lines,
)
from linker.messages import Msg
from linker.models import Article, Finding, Post, Severity
from linker.source.extract import (
    alternatives,
    beyond_body,
    json_ld_bodies,
    page_data_bodies,
    page_text,
)

if TYPE_CHECKING:
    pass


_NEGATIONS = frozenset("不未沒没非無无別别莫勿否")
_PARTICLES = frozenset("的了呢吗嗎吧啊呀喔哦之地得着著也就都又还還很和与與及并並在是")
_CREDIT = re.compile(
    r"責任編輯|责任编辑|編輯[:：]|编辑[:：]|校對|校对|版權所有|版权所有|©|圖[／/]|图[／/]|"
    r"攝影[:：]|摄影[:：]|來源[:：]|来源[:：]|記者.{1,8}(?:報導|报道|攝|摄)"
)
# Text that is only a web address (posters drop or reformat links; the words are what count).
_ONLY_LINK = re.compile(r"[\s(（\[【<]*(?:(?:https?://|www\.)[!-~]*)[\s)）\]】>。.]*", re.I)
_SENTENCE_END = re.compile(r"[。！？!?]")
_PARAGRAPH_END = re.compile(r"(?=\n\n)")


class _Sentences:
    """Where the sentences of ``text`` end (。！？!? and blank lines), found once: a long quote
    has hundreds of passages to put in their sentence, and searching backwards for each mark
    from each passage costs a scan to the start of the text when the mark is not in it."""

    def __init__(self, text: str) -> None:
        self.size = len(text)
        self.marks = [m.start() for m in _SENTENCE_END.finditer(text)]
        self.blanks = [m.start() for m in _PARAGRAPH_END.finditer(text)]

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The sentence holding ``[start, end)``: just after the last end mark before it (a
        blank line's second newline) to its first end mark from ``end`` on, included."""
        before = -1
        i = bisect_left(self.marks, start)
        if i:
            before = self.marks[i - 1]
        j = bisect_left(self.blanks, start - 1)  # the two newlines lie before start
        if j:
            before = max(before, self.blanks[j - 1])
        after = [found[k] for found in (self.marks, self.blanks)
                 if (k := bisect_left(found, end)) < len(found)]
        return before + 1, min(after, default=self.size - 1) + 1


_MINOR_NOTES = {
    "byline": Msg("the byline or dateline left out"),
    "credit": Msg("an editor's credit or filing code left out"),
    "deck": Msg("a subtitle or label above the article left out"),
    "companion": Msg("a second story printed under the article, not quoted"),
    "table": Msg("a table left out"),
}
_MINOR_PARTS = {"byline": Msg("byline"), "credit": Msg("credit"), "deck": Msg("deck"),
                "companion": Msg("companion story"), "table": Msg("table")}




@dataclass(frozen=True)
class Comparison:
    """The quote/source comparison alone (no metadata), as used by benchmarks and tests."""

    findings: tuple[Finding, ...]
    coverage: float
    added: float
    conversion: str
    alignment: Alignment
    quote: Folded
    source: Folded
    minor: tuple[tuple[int, int, str], ...] = ()
    """The source's stretches that are not the article proper (see :class:`Article`)."""

    @property
    def matches(self) -> tuple[tuple[tuple[int, int], tuple[int, int]], ...]:
        """In-order exact matches as (quote span, source span) in original offsets."""
        return tuple((self.quote.span(b.q, b.q_end), self.source.span(b.s, b.s_end))
                     for b in self.alignment.chain)




# --- classification ------------------------------------------------------------------------

def _only_particles(text: str) -> bool:
    return bool(text) and all(c in _PARTICLES for c in text)


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _has_latin(text: str) -> bool:
    return any("a" <= c <= "z" for c in text)


def _widen_token(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` to whole numbers and Latin words (``4``→``42%``)."""
    def tokenish(c: str) -> bool:
        return c.isdigit() or "a" <= c <= "z" or c in ".%"

    if any(tokenish(c) for c in text[start:end]) or (
            start > 0 and tokenish(text[start - 1])) or (end < len(text) and tokenish(text[end])):
        while start > 0 and tokenish(text[start - 1]):
            start -= 1
        while end < len(text) and tokenish(text[end]):
            end += 1
    return start, end


def _equivalent_by_conversion(fq: Folded, fs: Folded, edits: Sequence[Edit]) -> set[Edit]:
    """The edits that vanish under some script conversion (Taiwan phrases, variants)."""
    pad = 3
    quoted: dict[Edit, str] = {}
    source_pieces: dict[Edit, str] = {}
    for e in edits:
        q0, q1 = max(0, e.q_start - pad), min(len(fq.text), e.q_end + pad)
        s0, s1 = max(0, e.s_start - pad), min(len(fs.text), e.s_end + pad)
        qo = fq.span(q0, q1)
        so = fs.span(s0, s1)
        quoted[e] = fq.original[qo[0]:qo[1]]
        source_pieces[e] = fs.original[so[0]:so[1]]
    quote_pieces = dict(zip(quoted, canonical_many(list(quoted.values())), strict=True))
    phrased = dict(zip(edits, taiwan_phrased([quoted[e] for e in edits]), strict=True))

    def may_explain(config: str, e: Edit) -> bool:
        # Regional conversions only differ from s2t on a few characters and on Taiwan
        # phrases: trying them elsewhere would load their dictionaries (~25 ms) for nothing.
        regional = REGIONAL_CHARS["s2tw"] if config == "s2twp" else REGIONAL_CHARS.get(config)
        if regional is None:
            return True
        return (config == "s2twp" and phrased[e]) or not regional.isdisjoint(source_pieces[e])

    equivalent: set[Edit] = set()
    for config in CONVERSIONS:
        left = [e for e in edits if e not in equivalent and may_explain(config, e)]
        if left:
            converted = canonical_many(convert_many([source_pieces[e] for e in left], config))
            equivalent.update(e for e, c in zip(left, converted, strict=True)
                              if c == quote_pieces[e])
    return equivalent


def _near_declared_cut(cuts: Sequence[tuple[int, int]], point: int) -> bool:
    return any(a <= point + 4 and b >= point - 2 for a, b in cuts)


def _whole_line(text: str, span: tuple[int, int]) -> bool:
    """Whether ``span`` covers its whole line (credit lines stand alone)."""
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[1])
    line = text[start:len(text) if end < 0 else end]
    return line.strip() == text[span[0]:span[1]].strip()


def _is_heading(source: str, span: tuple[int, int]) -> bool:
    """A short stand-alone line without sentence punctuation: a subheading or caption."""
    text = source[span[0]:span[1]].strip()
    line_start = source.rfind("\n", 0, span[0]) + 1
    line_end = source.find("\n", span[1])
    line = source[line_start:len(source) if line_end < 0 else line_end].strip()
    return text == line and len(text) <= 24 and not re.search(r"[。！？!?]", text)


def _boundary_score(folded: Folded, start: int, end: int) -> int:
    """How well canonical ``[start, end)`` sits on sentence and line boundaries."""
    o_start, o_end = folded.span(start, end)
    text = folded.original
    score = 0
    before = text[:o_start].rstrip(" \t\u3000")
    if not before or before[-1] == "\n":
        score += 3
    elif before[-1] in "。！？!?；;":
        score += 2
    elif _is_punct(before[-1]):
        score += 1
    after = text[o_end:o_end + 1]
    if not after or after == "\n":
        score += 3
    elif text[o_end - 1:o_end] in "。！？!?":
        score += 1
    return score


def _is_punct(c: str) -> bool:
    return unicodedata.category(c).startswith("P")


def _slide(folded: Folded, start: int, end: int) -> tuple[int, int]:
    """Among equally good placements of an insertion or deletion, pick the one on sentence
    boundaries (``ABA|B`` can be read two ways; git's diff sliders face the same choice)."""
    text = folded.text
    lo, hi = start, end
    while lo > 0 and text[lo - 1] == text[hi - 1]:
        lo, hi = lo - 1, hi - 1
    best = (start, end)
    best_score = _boundary_score(folded, start, end)
    a, b = lo, hi
    while b <= len(text):
        score = _boundary_score(folded, a, b)
        if score > best_score:
            best, best_score = (a, b), score
        if b == len(text) or text[a] != text[b]:
            break
        a, b = a + 1, b + 1
    return best


def _minor_mask(fs: Folded, minor: Sequence[tuple[int, int, str]]) -> list[str]:
    """For each canonical source character, the kind of minor stretch it sits in ("" if none)."""
    mask = [""] * len(fs.text)
    if not minor:
        return mask
    spans = sorted(minor)
    j = 0
    for i, off in enumerate(fs.offsets):
        while j < len(spans) and spans[j][1] <= off:
            j += 1
        if j < len(spans) and spans[j][0] <= off:
            mask[i] = spans[j][2]
    return mask


def _minor_kind(mask: Sequence[str], start: int, end: int) -> str | None:
    """The minor kind covering (nearly) all of canonical ``[start, end)``, if any."""
    n = end - start
    if n <= 0:
        return None
    kinds = [k for k in mask[start:end] if k]
    if len(kinds) < n - 2:
        return None
    return max(set(kinds), key=kinds.count) if kinds else None


def _only_short_lines(source: str, span: tuple[int, int]) -> bool:
    """Whether ``span`` holds only stand-alone short lines (subheadings, decks, labels)."""
    text = source[span[0]:span[1]].strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return bool(lines) and all(len(ln) <= 24 and not re.search(r"[。！？!?]", ln) for ln in lines) \
        and _whole_line(source, span)


def _findings(fq: Folded, fs: Folded, al: Alignment, cuts: Sequence[tuple[int, int]],
              mask: Sequence[str]) -> list[Finding]:
    """Classify every edit; ``mask`` is :func:`_minor_mask` of the source."""
    out: list[Finding] = []
    severity: Severity
    q, s = fq.text, fs.text
    # The article proper: where a cut head or tail is measured from.
    core_start = next((i for i, k in enumerate(mask) if not k), None)
    core_end = next((len(mask) - i for i, k in enumerate(reversed(mask)) if not k), None)
    if core_start is None or core_end is None:
        core_start, core_end = 0, len(s)
    # Conversion equivalence is decided for all altered edits at once: one OpenCC call per
    # configuration instead of one per edit and configuration.
    by_conversion = _equivalent_by_conversion(fq, fs, [
        e for e in al.edits if e.kind == "altered"
        and not (_only_particles(q[e.q_start:e.q_end]) and _only_particles(s[e.s_start:e.s_end]))])
    for e in al.edits:
        if e.kind == "moved":
            ps, ss = fq.span(e.q_start, e.q_end), fs.span(e.s_start, e.s_end)
            # A standfirst or byline quoted in another place than the extraction put it is
            # no reordering of the story.
            minor_part = _minor_kind(mask, e.s_start, e.s_end)
            out.append(Finding("moved", "low" if minor_part else "medium",
                               fq.original[ps[0]:ps[1]], ps, fs.original[ss[0]:ss[1]], ss,
                               Msg("{part} quoted in another place", part=_MINOR_PARTS.get(
                                   minor_part, minor_part)) if minor_part else
                               Msg("passage quoted out of the source's order")))
            continue
        if e.kind == "added" and e.s_start == e.s_end:
            q0, q1 = _slide(fq, e.q_start, e.q_end)
            e = Edit("added", q0, q1, e.s_start + (q0 - e.q_start), e.s_end + (q0 - e.q_start))
        elif e.kind == "omitted" and e.q_start == e.q_end:
            s0, s1 = _slide(fs, e.s_start, e.s_end)
            e = Edit("omitted", e.q_start + (s0 - e.s_start), e.q_end + (s0 - e.s_start), s0, s1)
        qa, sb = q[e.q_start:e.q_end], s[e.s_start:e.s_end]
        if e.kind == "altered":
            if _only_particles(qa) and _only_particles(sb):
                continue
            if e in by_conversion:
                continue
            q0, q1 = _widen_token(q, e.q_start, e.q_end)
            s0, s1 = _widen_token(s, e.s_start, e.s_end)
            ps, ss = fq.span(q0, q1, extend=False), fs.span(s0, s1, extend=False)
            qa_w, sb_w = q[q0:q1], s[s0:s1]
            kind = _minor_kind(mask, e.s_start, e.s_end)
            digits = _has_digit(qa_w) or _has_digit(sb_w)
            # A number changed in a subheading or a second story is still a number changed;
            # in a byline or an editor's filing code it is not the news.
            if kind and not (digits and kind not in ("byline", "credit")):
                severity, note = "low", Msg("{part} written differently", part=_MINOR_PARTS.get(kind, kind))
            elif digits:
                severity, note = "high", Msg("number changed: {source} → {post}", source=sb_w, post=qa_w)
            elif (set(qa) ^ set(sb)) & _NEGATIONS:
                severity, note = "high", Msg("negation changed")
            elif _has_latin(qa_w) or _has_latin(sb_w):
                severity, note = "high", Msg("name or term changed: {source} → {post}",
                                             source=sb_w, post=qa_w)
            else:
                severity, note = "medium", Msg("wording changed")
            out.append(Finding("altered", severity, fq.original[ps[0]:ps[1]], ps,
                               fs.original[ss[0]:ss[1]], ss, note))
        elif e.kind == "added":
            if _only_particles(qa):
                continue
            ps = fq.span(e.q_start, e.q_end)
            point = fs.point(e.s_start)
            n = len(qa)
            text = fq.original[ps[0]:ps[1]]
            note = Msg("text not in the source")
            if n <= 40 and _CREDIT.search(text) and _whole_line(fq.original, ps):
                severity, note = "low", Msg("a credit line the extraction left out")
            elif _has_digit(qa) or n >= 6:
                severity = "high"
            elif n >= 3:
                severity = "medium"
            else:
                severity = "low"
            out.append(Finding("added", severity, text, ps, "", (point, point), note))
        else:  # omitted
            if _only_particles(sb):
                continue
            ss = fs.span(e.s_start, e.s_end)
            point = fq.point(e.q_start)
            text = fs.original[ss[0]:ss[1]]
            n = len(sb)
            kind = _minor_kind(mask, e.s_start, e.s_end)
            at_end = e.s_end >= core_end and e.q_start >= len(q)
            at_start = e.s_start <= core_start and e.q_start == 0
            if _near_declared_cut(cuts, point) or (at_end and cuts and cuts[-1][1] >= len(
                    fq.original.rstrip()) - 1):
                severity, note = "low", Msg("declared cut (the post marks it, e.g. （略）)")
            elif kind:
                severity, note = "low", _MINOR_NOTES.get(kind, Msg("not the article proper"))
            elif _is_heading(fs.original, ss) or _only_short_lines(fs.original, ss):
                severity, note = "low", Msg("subheading or caption left out")
            elif _ONLY_LINK.fullmatch(text):
                severity, note = "low", Msg("a link left out")
            elif n <= 2 and not (set(sb) & _NEGATIONS) and not _has_digit(sb):
                severity, note = "low", Msg("a word left out")
            elif at_end:
                severity, note = "medium", Msg("cut tail: the quote stops before the article ends")
            elif at_start:
                severity, note = "medium", Msg("cut head: the quote starts after the article begins")
            elif n <= 8 and ((set(sb) & _NEGATIONS) or _has_digit(sb)):
                severity, note = "high", Msg("a number or negation left out")
            else:
                severity, note = "medium", Msg("source text missing from the quote")
            out.append(Finding("omitted", severity, "", (point, point), text, ss, note))
    return out


def compare(quote: str, source_text: str, *, conversion: str | None = None,
            ignore: Sequence[tuple[int, int]] = (),
            minor: Sequence[tuple[int, int, str]] = ()) -> Comparison:
    """Align ``quote`` against ``source_text`` and classify every difference.

    Args:
        quote: the article text as posted.
        source_text: the article text as extracted from the source.
        conversion: the poster's script conversion; detected when None.
        ignore: extra quote spans to leave out (besides declared cuts and URLs).
        minor: ``(start, end, kind)`` stretches of the source that are not the article proper
            (byline, credit, companion story): leaving them out is never a cut, and coverage
            is measured without them.
    """
    if conversion is None:
        conversion, _ = detect_conversion(quote, source_text)
    cuts = declared_cuts(quote)
    fq = fold(quote, "none", ignore=[*cuts, *url_lines(quote), *ignore])
    fs = fold(source_text, conversion)
    al = align(fq.text, fs.text)
    mask = _minor_mask(fs, minor)
    findings = _findings(fq, fs, al, cuts, mask)
    added_chars = sum(e.q_end - e.q_start for e in al.edits if e.kind in ("added", "altered"))
    proper = mask.count("")
    matched = sum(mask[b.s:b.s_end].count("") for b in (*al.chain, *al.moved))
    coverage = matched / proper if proper else (al.matched / len(fs.text) if fs.text else 0.0)
    added = added_chars / len(fq.text) if fq.text else 0.0
    return Comparison(tuple(findings), round(min(coverage, 1.0), 4), round(added, 4), conversion,
                      al, fq, fs, tuple(minor))


def _serious_added(c: Comparison) -> int:
    return sum(len(f.post_text) for f in c.findings
               if f.kind == "added" and f.severity != "low")


def serious(findings: Sequence[Finding]) -> int:
    return sum(1 for f in findings if f.severity != "low")


def _confirm_on_page(c: Comparison, folded_page: str) -> Comparison:
    """Added passages that are printed on the page, outside the article body (a caption, a
    box, a notice, a paragraph the extractor missed), are low: the poster copied them from the
    page, they did not write them.  ``folded_page`` is the page's text folded with the
    comparison's conversion."""
    if _serious_added(c) == 0:
        return c
    quote = c.quote.original
    doubted = {i: f for i, f in enumerate(c.findings)
               if f.kind == "added" and f.severity != "low" and f.post_span is not None}
    # The sentence around each passage: a caption copied along partly matches the article's
    # words, leaving fragments that only make sense as the whole sentence.
    ends = _Sentences(quote)
    sentences = []
    for f in doubted.values():
        s0, s1 = ends.around(*(f.post_span or (0, 0)))
        sentences.append(quote[s0:s1])
    # Every passage, sentence and piece is folded in one call (hundreds on a long quote).
    split = [_PIECE_BREAK.split(f.post_text) for f in doubted.values()]
    folded = iter(canonical_many([*(f.post_text for f in doubted.values()), *sentences,
                                  *(piece for pieces in split for piece in pieces)]))
    keys = list(islice(folded, len(doubted)))
    folded_sentences = list(islice(folded, len(doubted)))
    folded_pieces = [list(islice(folded, len(pieces))) for pieces in split]
    findings = list(c.findings)
    for (i, f), key, sentence, pieces in zip(doubted.items(), keys, folded_sentences,
                                             folded_pieces, strict=True):
        whole_line = _whole_line(quote, f.post_span or (0, 0))
        # (A short figure is somewhere on any page: it must be long to be found.)
        short = len(key) < 8 and (_has_digit(key) or len(key) < 3)
        if (key and (len(key) >= 8 or (whole_line and not short)) and key in folded_page) or (
                len(sentence) >= 8 and sentence in folded_page) or _pieces_on_page(
                    pieces, folded_page):
            findings[i] = replace(f, severity="low", note=Msg(
                "on the page but outside the article body (a caption, box or notice, or text "
                "the extraction missed)"))
    return replace(c, findings=tuple(findings))


_PIECE_BREAK = re.compile(r"[\n。！？!?]+")


def _pieces_on_page(folded_pieces: Sequence[str], folded_page: str) -> bool:
    """Whether a passage is made of lines and sentences (``folded_pieces``, split at
    :data:`_PIECE_BREAK` and folded) each printed on the page, though not together (captions
    and short lines the extractor left out, with other things between them on the page).  A
    missing piece longer than a few characters is the poster's own."""
    pieces = [p for p in folded_pieces if p]
    total = sum(len(p) for p in pieces)
    missing = 0
    for piece in pieces:
        if len(piece) >= 4 and piece in folded_page:
            continue
        # A piece too short to be told apart on the page is the poster's own when it holds a
        # number (a changed figure) or is more than a few characters long.
        if _has_digit(piece) or len(piece) >= 6:
            return False
        missing += len(piece)
    return total >= 8 and missing * 10 <= total


def _mostly_on_page(c: Comparison, folded_page: str, gram: int = 4) -> bool:
    """Whether the page prints most of some serious added passage (half its 4-grams or more):
    a paragraph the extraction missed, perhaps touched up by the poster."""
    grams = {folded_page[i:i + gram] for i in range(len(folded_page) - gram + 1)}
    for key in canonical_many([f.post_text for f in c.findings
                               if f.kind == "added" and f.severity != "low"]):
        own = {key[i:i + gram] for i in range(len(key) - gram + 1)} or {key}
        if len(own & grams) * 2 >= len(own):
            return True
    return False


def compare_with_fallbacks(quote: str, article: Article,
                           ignore: Sequence[tuple[int, int]] = ()) -> tuple[Comparison, str, str]:
    """Compare against the article body; then, while quoted text is unexplained, against
    other readings of the body (recall extraction, JSON-LD) and finally look for the
    unexplained passages anywhere on the page.  Omissions are always judged against a reading
    of the article body, never against the whole page.  Returns the comparison, the source
    text used and the name of the extraction that served."""
    best = compare(quote, article.text, ignore=ignore, minor=article.minor)
    best_text, best_name = article.text, article.extraction
    if _serious_added(best) == 0:
        return best, best_text, best_name
    conversion = best.conversion
    # The body is folded already (the comparison's source); the rest of the page is not.
    beyond = canonical(beyond_body(article), conversion)
    folded_page = best.source.text + beyond
    readings = "".join([beyond, *(canonical(b, conversion) for b in (
        *json_ld_bodies(article.html), *page_data_bodies(article.html)[:3]))])
    if not _mostly_on_page(best, readings):
        # Other readings of the body are made of the page's text: what the page does not
        # print, they cannot explain (and extracting them costs tens of milliseconds).
        return _confirm_on_page(best, folded_page), best_text, best_name
    for name, body in alternatives(article):
        text = body.text
        candidate = compare(quote, text, ignore=ignore, minor=body.minor)
        if (_serious_added(candidate) < _serious_added(best)
                and serious(candidate.findings) < serious(best.findings)):
            best, best_text, best_name = candidate, text, name
            if _serious_added(best) == 0:
                return best, best_text, best_name
    if best.conversion != conversion or best_text != article.text:
        folded_page = canonical(page_text(article), best.conversion)
    return _confirm_on_page(best, folded_page), best_text, best_name


def quote_ignores(post: Post, article: Article) -> list[tuple[int, int]]:
    """A first quote line that repeats the headline is not article text (untemplated posts)."""
    quote = post.fields.quote
    first_nl = quote.find("\n")
    first = quote if first_nl < 0 else quote[:first_nl]
    titles = [t for t in (article.title, *article.titles, post.fields.original_title,
                          bbs_title(post)) if t]
    f = canonical(first)
    if not f:
        return []
    keys = [canonical(t) for t in titles]
    # s2t keeps a text's length (it converts character for character, phrases deciding
    # which character): a title can only match once converted when it folds to the line's
    # length, and the conversion's dictionary (~45 ms) is loaded only then.
    if f in keys or any(len(k) == len(f) and f == canonical(t, "s2t")
                        for t, k in zip(titles, keys, strict=True)):
        return [(0, len(first))]
    return []
