"""The news template of a PTT post body: labelled fields, URLs, quote and commentary.

Board templates (Stock, Gossiping and their older forms) are recognised by their labels, with
or without numbers, full- or half-width colons, and values on the label's line or the next.
The quoted article is returned as a contiguous slice of the body, so offsets stay exact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from linker.models import NewsFields, Span

# Longest alternatives first: the regex engine takes the first that matches.
_LABELS: dict[str, tuple[str, ...]] = {
    "outlet": ("媒體來源", "新聞來源"),
    "reporter": ("記者署名", "記者姓名"),
    "original_title": ("完整新聞標題", "原文標題", "新聞標題"),
    "source_url": ("完整新聞連結", "原文連結", "原文網址", "新聞連結", "新聞網址"),
    "published": ("發布時間", "發佈時間", "新聞時間"),
    "quote": ("完整新聞內文", "完整新聞內容", "原文內容", "新聞內文", "新聞內容"),
    "commentary": ("心得/評論", "心得／評論", "心得評論", "心得", "評論", "備註"),
}
_LABEL_KEY = {label: key for key, labels in _LABELS.items() for label in labels}
_LABEL_ALT = "|".join(re.escape(x) for x in sorted(_LABEL_KEY, key=len, reverse=True))
_LABEL_LINE = re.compile(
    rf"^[ \t\u3000]*(?:(?P<num>\d{{1,2}})[ \t]*[.．、)）]?[ \t]*)?(?P<label>{_LABEL_ALT})"
    rf"(?P<extra>[^:：\n]{{0,80}}?)(?P<colon>[:：])[ \t\u3000]*(?P<value>.*)$"
    rf"|^[ \t\u3000]*(?P<num2>\d{{1,2}})[ \t]*[.．、)）]?[ \t]*(?P<label2>{_LABEL_ALT})"
    rf"[ \t\u3000]*$"
)
_URL = re.compile(r"https?://[!-~]+")
_HELP_WORDS = re.compile(r"請|网址|網址|連結|刪減|為準|超過一行|張貼|板規|水桶|範本|格式")
_URL_CHARS = re.compile(r"^[!-~]+")
_TRAILING_PUNCT = ".,;:!?'\")]}>"
_IMAGE_EXT = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".svg")
_IMAGE_HOSTS = ("imgur.com", "i.imgur.com", "pbs.twimg.com", "images.ptt.cc")
_SHORTENERS = ("reurl.cc", "bit.ly", "tinyurl.com", "ppt.cc", "goo.gl", "t.co", "lihi.cc",
               "lihi1.cc", "lihi.tv", "pse.is", "is.gd", "cutt.ly", "tiny.cc", "shorturl.at",
               "ow.ly", "0rz.tw", "x.co", "rebrand.ly")


@dataclass(frozen=True)
class FoundUrl:
    """A URL rebuilt from the text, with the body span of its first piece."""

    url: str
    span: Span


@dataclass(frozen=True)
class _Label:
    key: str
    label: str
    numbered: bool
    line_start: int
    value_start: int
    line_end: int


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes (CJK wide and full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def is_help_line(line: str) -> bool:
    """Template help text posters leave in: a bracketed line or one starting with ``※``."""
    s = line.strip()
    if not s:
        return False
    if s.startswith("※"):
        return True
    # Bracketed text is help only when it speaks to the poster; an article's own credit line
    # such as （編輯：某某） is article text.
    return (bool(re.fullmatch(r"[（(【\[〔].*[)）】\]〕]", s)) and "http" not in s
            and bool(_HELP_WORDS.search(s)))


def find_urls(text: str) -> list[FoundUrl]:
    """Every http(s) URL in ``text``, joined across a hard line wrap.

    PTT links only printable ASCII, so a URL ends at a space or any non-ASCII character such as
    full-width punctuation.  A URL that reaches the end of a long line continues on the next
    line when that line starts with URL characters.
    """
    found: list[FoundUrl] = []
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    skip_prefix: dict[int, int] = {}
    for i, line in enumerate(lines):
        start_at = skip_prefix.get(i, 0)
        for match in _URL.finditer(line, start_at):
            url = match.group(0)
            j = i
            end_col = match.end()
            while end_col >= len(line.rstrip()) and j + 1 < len(lines):
                nxt = lines[j + 1]
                token = _URL_CHARS.match(nxt)
                if (not token or nxt.startswith(("http://", "https://"))
                        or _LABEL_LINE.match(nxt) or re.fullmatch(r"\d{1,2}[.)]?", token.group(0))):
                    break
                piece = token.group(0)
                wrapped = display_width(lines[j]) >= 70
                looks_url = bool(re.search(r"[/?=&%#._\-]", piece)) and not re.search(
                    r"[.。]$", piece.rstrip(_TRAILING_PUNCT) or ".")
                if not (wrapped or looks_url):
                    break
                url += piece
                j += 1
                skip_prefix[j] = len(piece)
                line = nxt
                end_col = len(piece)
                if len(piece) < len(nxt.rstrip()):
                    break
            url = _trim_url(url)
            start = offsets[i] + match.start()
            found.append(FoundUrl(url, Span(start, offsets[i] + match.start() + len(url))))
    return found


def _trim_url(url: str) -> str:
    while url and url[-1] in _TRAILING_PUNCT:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def is_image_url(url: str) -> bool:
    """Whether the URL points at an image rather than an article."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.path.lower().endswith(_IMAGE_EXT) or host in _IMAGE_HOSTS


def is_shortener_home(url: str) -> bool:
    """A bare short-link service address (template help such as ``請用 reurl.cc``)."""
    parts = urlsplit(url)
    return (parts.hostname or "").lower() in _SHORTENERS and parts.path.strip("/") == ""


def is_article_candidate(url: str) -> bool:
    """Whether ``url`` can be the cited article (not an image, not PTT, not a bare shortener)."""
    host = (urlsplit(url).hostname or "").lower()
    return not (is_image_url(url) or is_shortener_home(url) or host.endswith("ptt.cc"))


def _labels(body: str) -> list[_Label]:
    labels: list[_Label] = []
    pos = 0
    for line in body.split("\n"):
        match = _LABEL_LINE.match(line)
        if match:
            label = match.group("label") or match.group("label2")
            numbered = bool(match.group("num") or match.group("num2"))
            value_start = pos + (match.start("value") if match.group("label") else len(line))
            labels.append(_Label(_LABEL_KEY[label], label, numbered, pos, value_start,
                                 pos + len(line)))
        pos += len(line) + 1
    return _plausible(labels)


def _plausible(labels: list[_Label]) -> list[_Label]:
    """Drop label-like lines that are really article text.

    Inside the quote only a field not yet seen can start, and an unnumbered one only if it is
    the kind that follows the article (link or commentary).
    """
    kept: list[_Label] = []
    seen: set[str] = set()
    in_quote = False
    for lab in labels:
        if lab.key in seen and lab.key != "commentary":
            continue
        if in_quote and not lab.numbered and lab.key not in ("source_url", "commentary"):
            continue
        if in_quote and lab.key == "commentary" and lab.label == "備註" and not lab.numbered \
                and "source_url" not in seen:
            continue
        if "commentary" in seen and lab.key == "commentary":
            continue
        kept.append(lab)
        seen.add(lab.key)
        in_quote = lab.key == "quote" or (in_quote and lab.key not in ("source_url",
                                                                        "commentary"))
    return kept


def _trim_span(body: str, start: int, end: int, *, drop_help: bool = True) -> Span:
    """Shrink ``[start, end)`` past blank lines and (at the edges) template help lines."""
    lines = body[start:end].split("\n")
    offsets = []
    pos = start
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    first, last = 0, len(lines) - 1

    def useless(line: str) -> bool:
        return not line.strip() or (drop_help and is_help_line(line))

    while first <= last and useless(lines[first]):
        first += 1
    while last >= first and useless(lines[last]):
        last -= 1
    if first > last:
        return Span(start, start)
    s = offsets[first] + (len(lines[first]) - len(lines[first].lstrip(" \t\u3000")))
    e = offsets[last] + len(lines[last].rstrip())
    return Span(s, e)


def _first_paragraph(text: str) -> str | None:
    parts: list[str] = []
    for line in text.split("\n"):
        if is_help_line(line):
            continue
        if not line.strip():
            if parts:
                break
            continue
        parts.append(line.strip())
    if not parts:
        return None
    joined = parts[0]
    for piece in parts[1:]:
        sep = " " if joined[-1:].isascii() and piece[:1].isascii() else ""
        joined += sep + piece
    return joined.strip() or None


def _classify(labels: list[_Label]) -> str:
    keys = {lab.label for lab in labels}
    if not labels:
        return "none"
    if keys & {"媒體來源", "完整新聞標題", "完整新聞內文", "完整新聞連結", "完整新聞內容"}:
        return "gossiping-2020" if any(lab.key == "reporter" for lab in labels) \
            else "gossiping-2016"
    if keys & {"原文標題", "原文連結", "原文內容", "原文網址"}:
        return "stock-numbered" if any(lab.numbered for lab in labels) else "stock"
    return "generic"


def parse_fields(body: str) -> tuple[str, NewsFields]:
    """Find the template, its fields, the quote and the commentary in a post body.

    Returns:
        The template name and the fields.  ``quote_span`` and ``commentary_span`` index ``body``.
    """
    labels = _labels(body)
    template = _classify(labels)
    urls = find_urls(body)
    all_urls = tuple(dict.fromkeys(u.url for u in urls))
    if template == "none":
        return template, _untemplated(body, urls, all_urls)

    values: dict[str, str | None] = {}
    spans: dict[str, Span] = {}
    for i, lab in enumerate(labels):
        end = labels[i + 1].line_start if i + 1 < len(labels) else len(body)
        if lab.key == "commentary":
            end = len(body)
        if lab.key in ("quote", "commentary"):
            span = _trim_span(body, lab.value_start, end)
            if lab.key not in spans:
                spans[lab.key] = span
            continue
        values[lab.key] = _first_paragraph(body[lab.value_start:end])
        spans[lab.key] = Span(lab.value_start, end)

    link_urls = [u.url for u in urls if "source_url" in spans
                 and spans["source_url"].start <= u.span.start < spans["source_url"].end]
    candidates = [u for u in link_urls if is_article_candidate(u)]
    if not candidates:
        # The link field is empty or holds no article: take one from anywhere but the quote.
        quote = spans.get("quote")
        outside = [u.url for u in urls
                   if not (quote and quote.start <= u.span.start < quote.end)]
        candidates = [u for u in outside if is_article_candidate(u)] or \
            [u.url for u in urls if is_article_candidate(u.url)]
    quote_span = spans.get("quote")
    commentary_span = spans.get("commentary")
    return template, NewsFields(
        original_title=values.get("original_title"),
        source_url=candidates[0] if candidates else None,
        source_urls=all_urls,
        published=values.get("published"),
        reporter=values.get("reporter"),
        outlet=values.get("outlet"),
        quote=quote_span.slice(body) if quote_span else "",
        quote_span=quote_span,
        commentary=commentary_span.slice(body) or None if commentary_span else None,
        commentary_span=commentary_span if commentary_span and commentary_span.end >
        commentary_span.start else None,
        labels=tuple(lab.label for lab in labels),
    )


def _untemplated(body: str, urls: list[FoundUrl], all_urls: tuple[str, ...]) -> NewsFields:
    """A post with no template: the link sits on the first or last line, the rest is quote."""
    span = _trim_span(body, 0, len(body), drop_help=False)
    source_url = None
    changed = True
    while changed and span.end > span.start:
        changed = False
        text = span.slice(body)
        first_nl = text.find("\n")
        first_line = text if first_nl < 0 else text[:first_nl]
        last_nl = text.rfind("\n")
        last_line = text[last_nl + 1:]
        for line, at_start in ((last_line, False), (first_line, True)):
            stripped = line.strip()
            match = _URL.fullmatch(stripped)
            if match and is_article_candidate(_trim_url(stripped)):
                source_url = source_url or _trim_url(stripped)
                if at_start:
                    cut = span.start + (len(first_line) + 1 if first_nl >= 0 else len(text))
                    span = _trim_span(body, cut, span.end, drop_help=False)
                else:
                    cut = span.start + (last_nl if last_nl >= 0 else 0)
                    span = _trim_span(body, span.start, cut, drop_help=False)
                changed = True
                break
    if source_url is None:
        for u in reversed(urls):
            if is_article_candidate(u.url):
                source_url = u.url
                break
    return NewsFields(source_url=source_url, source_urls=all_urls, quote=span.slice(body),
                      quote_span=span)
