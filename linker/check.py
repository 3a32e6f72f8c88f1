"""Compare a post's quote with its source: findings, metadata checks and the verdict."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from linker.align import Alignment, Edit, align
from linker.errors import ExtractionError, FetchError, InputError, LinkerError
from linker.extract import Article, alternatives, extract_article
from linker.fetch import Client
from linker.models import Document, Post
from linker.ptturl import is_url

if TYPE_CHECKING:
    from linker.archive import Snapshot
from linker.normalise import CONVERSIONS, Folded, convert, declared_cuts, detect_conversion, fold, url_lines

_NEGATIONS = frozenset("不未沒没非無无別别莫勿否")
_PARTICLES = frozenset("的了呢吗嗎吧啊呀喔哦之地得着著也就都又还還很和与與及并並在是")
_BOILERPLATE = re.compile(
    r"延伸閱讀|延伸阅读|更多新聞|更多新闻|相關新聞|相关新闻|相關報導|相关报道|責任編輯|责任编辑|"
    r"編輯[:：]|编辑[:：]|校對|校对|版權所有|版权所有|©|圖[／/]|图[／/]|攝影|摄影|照片|示意圖|示意图|"
    r"點我|点我|看更多|訂閱|订阅|下載|下载|APP|原標題|原标题|來源[:：]|来源[:：]|（圖|（图|\(圖|\(图|"
    r"本文|轉載|转载|廣告|广告|推薦閱讀|推荐阅读|熱門|热门"
)
_CREDIT = re.compile(
    r"責任編輯|责任编辑|編輯[:：]|编辑[:：]|校對|校对|版權所有|版权所有|©|圖[／/]|图[／/]|"
    r"攝影[:：]|摄影[:：]|來源[:：]|来源[:：]|記者.{1,8}(?:報導|报道|攝|摄)"
)
_REPRINT_HOSTS = ("yahoo.com", "line.me", "today.line.me", "msn.com", "pchome.com.tw",
                  "hinet.net", "google.com")


@dataclass(frozen=True)
class Finding:
    """One difference between the quote and the source.

    ``post_span`` indexes the post's quote and ``source_span`` the source text (Python string
    offsets, half open).  A zero-width span marks where the other side's text belongs.
    """

    kind: str
    severity: str
    post_text: str
    post_span: tuple[int, int] | None
    source_text: str
    source_span: tuple[int, int] | None
    note: str


@dataclass(frozen=True)
class CheckItem:
    """A metadata check (title, reporter, published, link, commentary)."""

    name: str
    status: str
    detail: str


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

    @property
    def matches(self) -> tuple[tuple[tuple[int, int], tuple[int, int]], ...]:
        """In-order exact matches as (quote span, source span) in original offsets."""
        return tuple((self.quote.span(b.q, b.q_end), self.source.span(b.s, b.s_end))
                     for b in self.alignment.chain)


@dataclass(frozen=True)
class SourceInfo:
    """The cited page as linker read it."""

    url: str | None
    final_url: str | None
    status: int | None
    title: str | None
    author: str | None
    published: str | None
    sitename: str | None
    text: str
    extraction: str
    conversion: str
    encoding: str
    archived_at: str | None = None
    """When the text was checked against an archived copy: the snapshot's time."""
    archive_url: str | None = None


@dataclass(frozen=True)
class Report:
    """The result of checking a post: ``verdict`` is faithful, edited or unverifiable."""

    verdict: str
    reason: str | None
    post: Post
    source: SourceInfo | None
    coverage: float | None
    added: float | None
    findings: tuple[Finding, ...] = ()
    checks: tuple[CheckItem, ...] = field(default_factory=tuple)
    matches: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()
    """Passages found unchanged and in order: (quote span, source span) pairs."""
    notes: tuple[str, ...] = ()
    """Things a reader should know about how the check was made (archived copies…)."""


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


def _equivalent_by_conversion(fq: Folded, fs: Folded, e: Edit) -> bool:
    """Whether the edit vanishes under some script conversion (Taiwan phrases, variants)."""
    pad = 3
    q0, q1 = max(0, e.q_start - pad), min(len(fq.text), e.q_end + pad)
    s0, s1 = max(0, e.s_start - pad), min(len(fs.text), e.s_end + pad)
    qo = fq.span(q0, q1)
    so = fs.span(s0, s1)
    quote_piece = fold(fq.original[qo[0]:qo[1]]).text
    source_piece = fs.original[so[0]:so[1]]
    return any(fold(convert(source_piece, c)).text == quote_piece for c in CONVERSIONS)


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


def _findings(fq: Folded, fs: Folded, al: Alignment,
              cuts: Sequence[tuple[int, int]]) -> list[Finding]:
    out: list[Finding] = []
    q, s = fq.text, fs.text
    for e in al.edits:
        if e.kind == "moved":
            ps, ss = fq.span(e.q_start, e.q_end), fs.span(e.s_start, e.s_end)
            out.append(Finding("moved", "medium", fq.original[ps[0]:ps[1]], ps,
                               fs.original[ss[0]:ss[1]], ss,
                               "passage quoted out of the source's order"))
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
            if _equivalent_by_conversion(fq, fs, e):
                continue
            q0, q1 = _widen_token(q, e.q_start, e.q_end)
            s0, s1 = _widen_token(s, e.s_start, e.s_end)
            ps, ss = fq.span(q0, q1, extend=False), fs.span(s0, s1, extend=False)
            qa_w, sb_w = q[q0:q1], s[s0:s1]
            if _has_digit(qa_w) or _has_digit(sb_w):
                severity, note = "high", f"number changed: {sb_w} → {qa_w}"
            elif (set(qa) ^ set(sb)) & _NEGATIONS:
                severity, note = "high", "negation changed"
            elif _has_latin(qa_w) or _has_latin(sb_w):
                severity, note = "high", f"name or term changed: {sb_w} → {qa_w}"
            else:
                severity, note = "medium", "wording changed"
            out.append(Finding("altered", severity, fq.original[ps[0]:ps[1]], ps,
                               fs.original[ss[0]:ss[1]], ss, note))
        elif e.kind == "added":
            if _only_particles(qa):
                continue
            ps = fq.span(e.q_start, e.q_end)
            point = fs.point(e.s_start)
            n = len(qa)
            text = fq.original[ps[0]:ps[1]]
            note = "text not in the source"
            if n <= 40 and _CREDIT.search(text) and _whole_line(fq.original, ps):
                severity, note = "low", "a credit line the extraction left out"
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
            at_end = e.s_end >= len(s) and e.q_start >= len(q)
            at_start = e.s_start == 0 and e.q_start == 0
            if _near_declared_cut(cuts, point) or (at_end and cuts and cuts[-1][1] >= len(
                    fq.original.rstrip()) - 1):
                severity, note = "low", "declared cut (the post marks it, e.g. （略）)"
            elif _BOILERPLATE.search(text) and n <= 60:
                severity, note = "low", "source boilerplate (captions, related links, credits)"
            elif _is_heading(fs.original, ss):
                severity, note = "low", "subheading or caption left out"
            elif n <= 2 and not (set(sb) & _NEGATIONS) and not _has_digit(sb):
                severity, note = "low", "a word left out"
            elif at_end:
                severity, note = "medium", "cut tail: the quote stops before the article ends"
            elif at_start:
                severity, note = "medium", "cut head: the quote starts after the article begins"
            elif n <= 8 and ((set(sb) & _NEGATIONS) or _has_digit(sb)):
                severity, note = "high", "a number or negation left out"
            else:
                severity, note = "medium", "source text missing from the quote"
            out.append(Finding("omitted", severity, "", (point, point), text, ss, note))
    return out


def compare(quote: str, source_text: str, *, conversion: str | None = None,
            ignore: Sequence[tuple[int, int]] = ()) -> Comparison:
    """Align ``quote`` against ``source_text`` and classify every difference.

    Args:
        quote: the article text as posted.
        source_text: the article text as extracted from the source.
        conversion: the poster's script conversion; detected when None.
        ignore: extra quote spans to leave out (besides declared cuts and URLs).
    """
    if conversion is None:
        conversion, _ = detect_conversion(quote, source_text)
    cuts = declared_cuts(quote)
    fq = fold(quote, "none", ignore=[*cuts, *url_lines(quote), *ignore])
    fs = fold(source_text, conversion)
    al = align(fq.text, fs.text)
    findings = _findings(fq, fs, al, cuts)
    added_chars = sum(e.q_end - e.q_start for e in al.edits if e.kind in ("added", "altered"))
    coverage = al.matched / len(fs.text) if fs.text else 0.0
    added = added_chars / len(fq.text) if fq.text else 0.0
    return Comparison(tuple(findings), round(coverage, 4), round(added, 4), conversion, al,
                      fq, fs)


def _serious_added(c: Comparison) -> int:
    return sum(len(f.post_text) for f in c.findings
               if f.kind == "added" and f.severity != "low")


def _crop(c: Comparison, text: str) -> str:
    """The part of ``text`` from the first to the last backbone match, by whole lines."""
    chain = c.alignment.chain
    if not chain:
        return text
    start = c.source.span(chain[0].s, chain[0].s_end)[0]
    end = c.source.span(chain[-1].s, chain[-1].s_end)[1]
    start = text.rfind("\n", 0, start) + 1
    nl = text.find("\n", end)
    return text[start:len(text) if nl < 0 else nl]


def compare_with_fallbacks(quote: str, article: Article,
                           ignore: Sequence[tuple[int, int]] = ()) -> tuple[Comparison, str, str]:
    """Compare against the main extraction, then against other readings of the page while
    quoted text is still unexplained.  Returns the comparison, the source text used and the
    name of the extraction that served."""
    best = compare(quote, article.text, ignore=ignore)
    best_text, best_name = article.text, article.extraction
    if _serious_added(best) == 0:
        return best, best_text, best_name
    for name, text in alternatives(article):
        candidate = compare(quote, text, ignore=ignore)
        if name in ("page-text", "trafilatura-recall"):
            text = _crop(candidate, text)
            candidate = compare(quote, text, ignore=ignore)
        if _serious_added(candidate) < _serious_added(best):
            best, best_text, best_name = candidate, text, name
            if _serious_added(best) == 0:
                break
    return best, best_text, best_name


# --- metadata checks -----------------------------------------------------------------------

def _fold_plain(text: str | None) -> str:
    return fold(text or "").text


def _bbs_title(post: Post) -> str | None:
    if not post.title:
        return None
    title = post.title
    if post.title_prefix:
        title = title[len(post.title_prefix):] if title.startswith(post.title_prefix) else title
    return title.strip() or None


def _title_check(post: Post, article: Article) -> CheckItem:
    given = post.fields.original_title or _bbs_title(post)
    if not given:
        return CheckItem("title", "missing", "the post gives no original title")
    if not article.title:
        return CheckItem("title", "skipped", "the source page has no title")
    g, t = _fold_plain(given), _fold_plain(article.title)
    conv_t = {_fold_plain(convert(article.title, c)) for c in CONVERSIONS}
    if g in conv_t or g == t:
        return CheckItem("title", "ok", "matches the source headline")
    if any(x.startswith(g) for x in conv_t) and len(g) >= 6:
        return CheckItem("title", "warning",
                         f"shortened: the source headline is 「{article.title}」")
    if any(g.startswith(x) for x in conv_t if x) or any(x in g for x in conv_t if len(x) >= 8):
        return CheckItem("title", "ok", "contains the source headline")
    from rapidfuzz.fuzz import ratio

    score = max(ratio(g, x) for x in conv_t)
    if score >= 90:
        return CheckItem("title", "warning",
                         f"differs slightly from the source headline 「{article.title}」")
    return CheckItem("title", "mismatch", f"the source headline is 「{article.title}」")


def _reporter_check(post: Post, article: Article) -> CheckItem:
    given = post.fields.reporter
    if not given:
        return CheckItem("reporter", "missing" if post.template in (
            "stock", "stock-numbered", "gossiping-2020") else "skipped",
            "the post names no reporter")
    if not article.author:
        return CheckItem("reporter", "skipped", "the source page names no byline")
    g = _fold_plain(given)
    names = [_fold_plain(re.sub(r"記者|记者|報導|报道|攝影|摄影|編輯|编辑|綜合|综合|／|/", " ", n))
             for n in re.split(r"[,;，、；]| and |和", article.author)]
    names = [n for n in names if n]
    if any(n in g or g in n for n in names):
        return CheckItem("reporter", "ok", f"matches the byline ({article.author})")
    return CheckItem("reporter", "mismatch", f"the source byline is {article.author}")


_DATE = re.compile(r"(\d{4})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*(\d{1,2})")


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _published_check(post: Post, article: Article) -> CheckItem:
    source_date = _parse_date(article.published)
    given = _parse_date(post.fields.published)
    late = ""
    if source_date and post.time and (post.time.date() - source_date).days > 3:
        late = f"; posted {(post.time.date() - source_date).days} days after publication"
    if post.fields.published is None:
        if post.template.startswith("stock"):
            return CheckItem("published", "missing", "the post gives no publish time" + late)
        return CheckItem("published", "warning" if late else "skipped",
                         "the template has no publish-time field" + late)
    if given is None:
        return CheckItem("published", "warning", f"unreadable date: {post.fields.published}")
    if source_date is None:
        return CheckItem("published", "skipped", "the source page shows no date")
    diff = abs((given - source_date).days)
    if diff == 0:
        return CheckItem("published", "warning" if late else "ok",
                         f"same day as the source ({source_date.isoformat()})" + late)
    if diff == 1:
        return CheckItem("published", "warning",
                         f"one day off the source ({source_date.isoformat()}; time zones?)"
                         + late)
    return CheckItem("published", "mismatch",
                     f"the source says {source_date.isoformat()}" + late)


def _link_check(post: Post, article: Article, requested: str | None) -> CheckItem:
    final = article.final_url or article.url or requested or ""
    host = (urlsplit(final).hostname or "").lower()
    parts = [f"HTTP {article.status}" if article.status else "read from a file"]
    if requested and final and final != requested:
        parts.append(f"resolved to {final}")
    status = "ok"
    if any(host == h or host.endswith("." + h) for h in _REPRINT_HOSTS):
        status = "warning"
        parts.append("a reprint site: board rules ask for the outlet's own page")
    outlet = post.fields.outlet
    if outlet and article.sitename and not re.fullmatch(r"[\w.\-]+\.[a-z]{2,}", article.sitename):
        o, sname = _fold_plain(outlet), _fold_plain(article.sitename)
        if o and sname and not (o in sname or sname in o or o in _fold_plain(article.title)):
            status = "warning"
            parts.append(f"媒體來源 {outlet} but the page is {article.sitename}")
    return CheckItem("link", status, "; ".join(parts))


def _commentary_check(post: Post) -> CheckItem:
    f = post.fields
    if not f.commentary:
        return CheckItem("commentary", "missing", "no 心得/評論 or 備註 after the article")
    if f.quote_span and f.commentary_span and f.commentary_span.start < f.quote_span.start:
        return CheckItem("commentary", "warning", "the commentary comes before the article")
    return CheckItem("commentary", "ok", f"{len(f.commentary)} characters after the article")


# --- the whole check -----------------------------------------------------------------------

def _quote_ignores(post: Post, article: Article) -> list[tuple[int, int]]:
    """A first quote line that repeats the headline is not article text (untemplated posts)."""
    quote = post.fields.quote
    first_nl = quote.find("\n")
    first = quote if first_nl < 0 else quote[:first_nl]
    titles = [t for t in (article.title, post.fields.original_title, _bbs_title(post)) if t]
    f = _fold_plain(first)
    if f and any(f == _fold_plain(convert(t, c)) for t in titles for c in ("none", "s2t")):
        return [(0, len(first))]
    return []


def load_source(target: str, client: Client) -> Document:
    """Fetch the source URL, or read a saved page when ``target`` is a file path."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", target) and not Path(target).exists():
        scheme = target.split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            raise InputError(f"unsupported link scheme {scheme!r}: only http and https",
                             url=target, stage="fetch source")
        return client.get(target, stage="fetch source")
    path = Path(target)
    if not path.is_file():
        raise InputError(f"no such source file: {target}", input=target, stage="fetch source")
    return Document(origin=target, content=path.read_bytes())


def unverifiable(post: Post, reason: str) -> Report:
    """A report for a post that could not be checked, with the reason."""
    return Report("unverifiable", reason, post, None, None, None,
                  checks=(CheckItem("link", "mismatch", reason), _commentary_check(post)))


def fetch_source(post: Post, client: Client, source: str | None = None) -> Document | Report:
    """The network half of a check: the cited page's bytes, or an unverifiable report."""
    target = source or post.fields.source_url
    if not post.fields.quote.strip():
        return Report("unverifiable", "the post quotes no article text", post, None, None,
                      None, checks=(_commentary_check(post),))
    if not target:
        return Report("unverifiable", "the post cites no article link (give --source)", post,
                      None, None, None, checks=(_commentary_check(post),))
    try:
        return load_source(target, client)
    except (FetchError, InputError) as exc:
        return unverifiable(post, str(exc))


def _is_dead(reason: str | None) -> bool:
    """A failure an archived copy can stand in for (not a refusal such as a PDF)."""
    text = reason or ""
    return any(k in text for k in ("HTTP 404", "HTTP 410", "could not connect",
                                   "no article text", "timed out"))


def _with_snapshot(report: Report, snapshot: Snapshot, note: str) -> Report:
    assert report.source is not None
    source = replace(report.source, archived_at=snapshot.date, archive_url=snapshot.url)
    return replace(report, source=source, notes=(*report.notes, note))


def _serious(report: Report) -> int:
    return sum(1 for f in report.findings if f.severity != "low")


def analyse(post: Post, doc: Document) -> Report:
    """The CPU half of a check: extraction, comparison, metadata checks and the verdict.

    Pure computation on data already fetched, so a batch can run it in worker processes.
    """
    try:
        article = extract_article(doc)
    except ExtractionError as exc:
        return unverifiable(post, str(exc))
    ignore = _quote_ignores(post, article)
    comparison, text, extraction = compare_with_fallbacks(post.fields.quote, article, ignore)
    info = SourceInfo(
        url=doc.url, final_url=doc.final_url, status=doc.status,
        title=article.title, author=article.author, published=article.published,
        sitename=article.sitename, text=text, extraction=extraction,
        conversion=comparison.conversion, encoding=article.encoding)
    checks = (_title_check(post, article), _reporter_check(post, article),
              _published_check(post, article), _link_check(post, article, doc.url),
              _commentary_check(post))
    matched_share = 1.0 - comparison.added
    if matched_share < 0.15:
        return Report("unverifiable", "the linked page does not contain the quoted text "
                      "(wrong link, paywall, or a page linker cannot read)", post, info,
                      comparison.coverage, comparison.added, comparison.findings, checks,
                      comparison.matches)
    edited = any(f.severity in ("high", "medium") for f in comparison.findings)
    return Report("edited" if edited else "faithful", None, post, info, comparison.coverage,
                  comparison.added, comparison.findings, checks, comparison.matches)


Analyser = Callable[[Post, Document], Report]


def check_post(post: Post, client: Client, source: str | None = None, *,
               archive: bool = True, analyser: Analyser | None = None) -> Report:
    """Check ``post`` against its cited article (or ``source``, a URL or saved page).

    Source-side failures (dead link, not HTML, nothing extracted) give an ``unverifiable``
    report with the reason; they do not raise.  With ``archive``, a dead link is checked
    against the Wayback Machine's copy nearest the post's time, and an edited verdict is
    checked again against that copy: when the copy matches the post, the outlet changed its
    article after the post, and the poster is not blamed for it.

    Args:
        analyser: runs the CPU half (:func:`analyse`); batch runs pass one that uses worker
            processes.
    """
    run = analyser or analyse
    if (post.title_prefix and "新聞" not in post.title_prefix and post.template == "none"
            and source is None):
        return unverifiable(post, f"not a news post (its title is marked {post.title_prefix}); "
                                  "give --source to compare it with a page anyway")
    target = source or post.fields.source_url
    fetched = fetch_source(post, client, source)
    report = fetched if isinstance(fetched, Report) else run(post, fetched)
    if not archive or not target or not is_url(target) or not post.fields.quote.strip():
        return report
    from linker.archive import nearest_snapshot

    if report.verdict == "unverifiable" and _is_dead(report.reason):
        snapshot = nearest_snapshot(target, post.time, client)
        if snapshot is None:
            return replace(report, reason=f"{report.reason}; no archived copy either")
        archived = run(post, snapshot.document)
        if archived.source is None:
            return replace(report, reason=f"{report.reason}; the archived copy is unreadable "
                                          f"too ({archived.reason})")
        return _with_snapshot(archived, snapshot,
                              f"the live page failed ({report.reason}); checked against the "
                              f"archived copy of {snapshot.date[:10]}")
    if report.verdict == "edited":
        snapshot = nearest_snapshot(target, post.time, client)
        if snapshot is None:
            return report
        archived = run(post, snapshot.document)
        if archived.source is None or archived.source.text == (
                report.source.text if report.source else None):
            return report
        if _serious(archived) < _serious(report):
            return _with_snapshot(
                archived, snapshot,
                f"the outlet changed the article after it was posted: against the archived "
                f"copy of {snapshot.date[:10]} the repost has {_serious(archived)} serious "
                f"finding(s), against today's page {_serious(report)}")
    return report


__all__ = ["CheckItem", "Comparison", "Finding", "LinkerError", "Report", "SourceInfo",
           "analyse", "check_post", "compare", "fetch_source"]
