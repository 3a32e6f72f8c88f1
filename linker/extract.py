"""The source side: decode a fetched page and extract its article with trafilatura.

Extraction can lose paragraphs (lead paragraphs, teasers, long articles), so before a quoted
passage is called "added" :func:`alternatives` offers other readings of the same page:
trafilatura's recall mode, the JSON-LD ``articleBody`` and the page's whole text.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from linker.errors import ExtractionError
from linker.models import Document

# Frequent Chinese characters (Simplified; their Traditional forms are added at first use).
# Used only to choose between encodings that both decode a page without error.
_COMMON = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学"
    "对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面"
    "公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部"
    "正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关"
    "并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安"
    "表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共"
    "风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管"
    "夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品"
    "士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研"
    "像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济"
    "喜离虽坐集编宝谈府拉黑且随格尽剑讲布杀微怕母调局根曾准团段终乐切级克精哪官示冷域记者报导表示"
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "cp950",
            "x-big5": "cp950", "big5-hkscs": "big5hkscs", "ms950": "cp950"}
_WEAK = frozenset(codecs.lookup(n).name for n in ("iso-8859-1", "ascii", "windows-1252"))


@cache
def _common_set() -> frozenset[str]:
    from linker.normalise import convert

    return frozenset(_COMMON) | frozenset(convert(_COMMON, "s2t"))


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = _ALIASES.get(name.lower(), name.lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _plausibility(text: str) -> float:
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 0.0
    common = _common_set()
    return sum(1 for c in han if c in common) / len(han)


def decode_html(content: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes, returning the text and the encoding used.

    Order: a byte-order mark; the Content-Type charset unless it is a Western single-byte one
    the bytes contradict (a frequent misconfiguration); a ``<meta>`` charset; strict UTF-8;
    then GB18030 and Big5 (cp950), choosing by how Chinese the result reads when both decode.
    """
    if content.startswith(codecs.BOM_UTF8):
        return content[3:].decode("utf-8", errors="replace"), "utf-8"
    tried: list[str] = []
    header = _codec(header_charset)
    meta_match = _META_CHARSET.search(content[:8192])
    meta = _codec(meta_match.group(1).decode("ascii", "ignore")) if meta_match else None
    for enc in (header, meta):
        if enc is None or enc in tried:
            continue
        tried.append(enc)
        if enc in _WEAK:
            try:
                return content.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
        try:
            return content.decode(enc), enc
        except UnicodeDecodeError:
            pass
        # Pages in a declared legacy charset often carry a few bytes of another one (a UTF-8
        # widget pasted into a Big5 page).  Browsers keep the declared charset and show a
        # replacement character; so do we, while the damage stays that small.
        text = content.decode(enc, errors="replace")
        if text.count("\ufffd") <= max(8, len(text) // 500):
            return text, enc
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings = []
    for enc in ("gb18030", "cp950", "big5hkscs"):
        try:
            readings.append((_plausibility(content.decode(enc)), enc))
        except UnicodeDecodeError:
            continue
    if readings:
        _score, enc = max(readings, key=lambda r: r[0])
        return content.decode(enc), enc
    enc = header or meta or "utf-8"
    return content.decode(enc, errors="replace"), enc


@dataclass(frozen=True)
class Article:
    """What linker knows about the cited page."""

    url: str | None
    final_url: str | None
    status: int | None
    encoding: str
    title: str | None
    author: str | None
    published: str | None
    sitename: str | None
    text: str
    extraction: str
    """Which reading of the page ``text`` is: ``trafilatura``, ``trafilatura-recall``,
    ``json-ld`` or ``page-text``."""
    html: str


def _bare(html: str, url: str | None, **kwargs: Any) -> Any:
    import trafilatura  # lazy: a heavy import

    try:
        return trafilatura.bare_extraction(html, url=url, include_comments=False,
                                           include_tables=True, deduplicate=False, **kwargs)
    except (ValueError, TypeError, AttributeError) as exc:  # malformed markup
        raise ExtractionError(f"trafilatura failed: {exc}", url=url) from exc


def json_ld_bodies(html: str) -> list[str]:
    """Every ``articleBody`` in the page's JSON-LD blocks."""
    bodies: list[str] = []
    for match in re.finditer(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", html,
                             re.S | re.I):
        try:
            data = json.loads(match.group(1).strip())
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                body = item.get("articleBody")
                if isinstance(body, str) and body.strip():
                    bodies.append(body.strip())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return bodies


def extract_article(doc: Document) -> Article:
    """Decode ``doc`` and extract its article text and metadata.

    Raises:
        ExtractionError: no article text on the page (empty, script-rendered, paywalled).
    """
    html, encoding = decode_html(doc.content, doc.charset)
    url = doc.final_url or doc.url
    result = _bare(html, url, with_metadata=True)
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    extraction = "trafilatura"
    if not text:
        bodies = json_ld_bodies(html)
        if bodies:
            text, extraction = max(bodies, key=len), "json-ld"
    if not text:
        recall = _bare(html, url, favor_recall=True)
        text = (getattr(recall, "text", None) or "").strip() if recall is not None else ""
        extraction = "trafilatura-recall"
    if not text:
        # Broken markup can defeat the extractor; the page's plain text is the last resort.
        import trafilatura

        text = trafilatura.html2txt(html).strip()
        extraction = "page-text"
    if not text:
        raise ExtractionError("no article text found on the page (empty, paywalled or "
                              "rendered by scripts)", url=url, input=doc.origin)

    def meta(name: str) -> str | None:
        value = getattr(result, name, None) if result is not None else None
        return str(value).strip() or None if value else None

    return Article(
        url=doc.url, final_url=doc.final_url, status=doc.status, encoding=encoding,
        title=meta("title"), author=meta("author"), published=meta("date"),
        sitename=meta("sitename"), text=text, extraction=extraction, html=html)


def alternatives(article: Article) -> Iterator[tuple[str, str]]:
    """Other readings of the page, most precise first, computed only when asked for."""
    if article.extraction != "trafilatura-recall":
        recall = _bare(article.html, article.final_url, favor_recall=True)
        text = (getattr(recall, "text", None) or "").strip() if recall is not None else ""
        if text and text != article.text:
            yield "trafilatura-recall", text
    if article.extraction != "json-ld":
        for body in json_ld_bodies(article.html):
            if body != article.text:
                yield "json-ld", body
    import trafilatura

    page = trafilatura.html2txt(article.html)
    if page:
        yield "page-text", page
