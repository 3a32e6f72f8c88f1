"""The source side: decode a fetched page and extract its article with trafilatura.

Extraction can lose paragraphs (lead paragraphs, teasers, long articles), so before a quoted
passage is called "added" :func:`alternatives` offers other readings of the same article:
trafilatura's recall mode, the JSON-LD ``articleBody`` and the page's script data; the page's
whole text (:func:`page_text`) is only where a passage may still be found, never a reading
omissions are judged against.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from linker.compare.normalise import is_han
from linker.errors import ExtractionError
from linker.messages import Msg
from linker.models import Article, Document

if TYPE_CHECKING:
    from linker.source.boilerplate import Body

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
    from linker.compare.normalise import convert

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
    han = [c for c in text if is_han(c)]
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




_NO_DATE_SEARCH = {"extensive_search": False, "original_date": True}
_MIN_EXTRACTED = 100
"""Below 250 characters (its default) trafilatura compares its reading with other extractors
and, on a short page, falls back to the page's text run together on one line: a short Chinese
news item of four paragraphs is under 250 characters.  Such a one-line reading is retried with
this lower threshold."""


@cache
def _config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(_MIN_EXTRACTED))
    return config


def _bare(html: str, url: str | None, **kwargs: Any) -> Any:
    import trafilatura  # lazy: a heavy import

    kwargs.setdefault("include_tables", True)
    try:
        # The publish time comes from pagemeta (structured places only), never from
        # trafilatura's guess, so its costly extensive date search is turned off.
        return trafilatura.bare_extraction(
            html, url=url, include_comments=False, deduplicate=False,
            date_extraction_params=_NO_DATE_SEARCH, **kwargs)
    except (ValueError, TypeError, AttributeError) as exc:  # malformed markup
        raise ExtractionError(Msg("trafilatura failed: {error}", error=str(exc)), url=url) from exc


def _text_of(result: Any) -> str:
    return (getattr(result, "text", None) or "").strip() if result is not None else ""


def _layout_tables(text: str) -> bool:
    """Whether the extraction is mostly rows of a layout table (old pages built with tables
    put the whole article in a cell)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    rows = sum(1 for ln in lines if ln.lstrip().startswith("|"))
    return bool(lines) and rows >= len(lines) / 2


def json_ld_bodies(html: str) -> list[str]:
    """Every ``articleBody`` in the page's JSON-LD blocks."""
    from linker.source.pagemeta import json_ld_items

    blocks = re.findall(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", html, re.S | re.I)
    bodies = [item.get("articleBody") for item in json_ld_items(blocks)]
    return [b.strip() for b in bodies if isinstance(b, str) and b.strip()]


_JSON_SCRIPT = re.compile(r"<script[^>]+type=[\"']application/json[\"'][^>]*>(.*?)</script>",
                          re.S | re.I)
_DATA_LIMIT = 5_000_000


def page_data_bodies(html: str) -> list[str]:
    """Article texts in the page's own data (``<script type="application/json">``, such as
    Next.js's ``__NEXT_DATA__``): where pages rendered by scripts keep their article.  Longest
    first; strings of markup are read as text."""
    found: list[str] = []
    for block in _JSON_SCRIPT.findall(html):
        if len(block) > _DATA_LIMIT:
            continue
        try:
            data = json.loads(block)
        except (ValueError, RecursionError):
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str) and len(item) >= 60:
                text = _markup_text(item) if re.search(r"<(?:p|br|div)\b", item, re.I) else item
                if sum(1 for c in text if is_han(c)) >= 30 and "://" not in text[:12]:
                    found.append(text.strip())
    return sorted(dict.fromkeys(found), key=len, reverse=True)


def _markup_text(fragment: str) -> str:
    import trafilatura

    return trafilatura.html2txt(f"<html><body>{fragment}</body></html>") or ""


def parse_html(html: str) -> Any:
    """The page as an lxml tree (an empty document when it cannot be parsed)."""
    import lxml.html

    text = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        return lxml.html.document_fromstring(text or "<html></html>")
    except (ValueError, lxml.etree.ParserError):
        return lxml.html.document_fromstring("<html></html>")


def extract_article(doc: Document) -> Article:
    """Decode ``doc`` and extract its article text and metadata.

    Raises:
        ExtractionError: no article text on the page (empty, script-rendered, paywalled).
    """
    from linker.source.boilerplate import clean
    from linker.source.outlets import reprint_origin
    from linker.source.pagemeta import read_page_meta, reporter_names, text_key
    from linker.source.roles import page_roles

    html, encoding = decode_html(doc.content, doc.charset)
    url = doc.final_url or doc.url
    root = parse_html(html)
    # Captions, embedded posts, related boxes and the like are taken out by their markup
    # before the extractor reads the page (kept as furniture: a poster may copy them along).
    roles = page_roles(root)
    result = _bare(roles.html, url, with_metadata=True)
    text = _text_of(result)
    if "\n" not in text and len(text) >= 40:
        # The short-page fallback ran the paragraphs together: read them again as paragraphs.
        lined = _bare(roles.html, url, with_metadata=True, config=_config())
        if "\n" in _text_of(lined):
            result, text = lined, _text_of(lined)
    extraction = "trafilatura"
    if text and _layout_tables(text):
        untabled = _text_of(_bare(roles.html, url, include_tables=False))
        if len(untabled) >= 100:
            text = untabled
    if not text:
        bodies = json_ld_bodies(html)
        if bodies:
            text, extraction = max(bodies, key=len), "json-ld"
    if not text:
        # A page rendered by scripts may show nothing at all in its markup.
        scripted = page_data_bodies(html)
        if scripted:
            text, extraction = scripted[0], "page-data"
    if not text:
        text = _text_of(_bare(roles.html, url, favor_recall=True))
        extraction = "trafilatura-recall"
    if not text:
        # Broken markup can defeat the extractor; the page's plain text is the last resort.
        import trafilatura

        text = trafilatura.html2txt(html).strip()
        extraction = "page-text"
    if not text:
        raise ExtractionError(Msg("no article text found on the page (empty, paywalled or "
                                  "rendered by scripts)"), url=url, input=doc.origin)

    def meta(name: str) -> str | None:
        value = getattr(result, name, None) if result is not None else None
        return str(value).strip() or None if value else None

    page = read_page_meta(root, text, url, fallback_title=meta("title"),
                          fallback_author=meta("author"), sitename=meta("sitename"))
    body = clean(text, page.titles, roles.decks)
    if not body.text.strip():
        body = clean(text, decks=roles.decks)
    if roles.furniture:
        body = replace(body, furniture=body.furniture + tuple(t for _role, t in roles.furniture))
    if len(text_key(body.text)) < 100:
        # Pages rendered by scripts show little in their markup; their data holds the article.
        data = next((d for d in page_data_bodies(html)
                     if len(text_key(d)) >= max(60, 2 * len(text_key(body.text)))), None)
        if data:
            text, extraction = data, "page-data"
            body = clean(data, page.titles, roles.decks)
    if not body.text.strip():
        raise ExtractionError(Msg("no article text found on the page, only page furniture "
                                  "(navigation, notices)"), url=url, input=doc.origin)
    # The extractor's author guess is kept only when it names someone: on portal pages it is
    # often a comment form's text.
    guess = meta("author") if meta("author") and reporter_names(meta("author") or "") else None
    byline_text = "、".join(page.reporters) or guess or next(
        (b.raw for b in page.bylines if b.where == "meta"), None)
    printed = [b.raw for b in page.bylines] + ([guess] if guess else [])
    return Article(
        url=doc.url, final_url=doc.final_url, status=doc.status, encoding=encoding,
        title=page.headline, author=byline_text, published=page.published,
        sitename=next(iter(page.sitenames), None) or meta("sitename"), text=body.text,
        extraction=extraction, html=html, clean_html=roles.html, extracted=text,
        titles=page.headlines,
        reporters=page.reporters,
        bylines=tuple(dict.fromkeys(printed)), editors=page.editors, decks=roles.decks,
        headline_source=page.headline_source, published_source=page.published_source,
        furniture=body.furniture, minor=body.minor, types=page.types, sections=page.sections,
        canonical=page.canonical, reprint_of=reprint_origin(root, url))


def alternatives(article: Article) -> Iterator[tuple[str, Body]]:
    """Other readings of the article body, most precise first, computed only when asked for
    (page furniture taken out as from the main reading)."""
    from linker.source.boilerplate import clean

    if article.extraction != "trafilatura-recall":
        text = _text_of(_bare(article.clean_html or article.html, article.final_url,
                              favor_recall=True))
        # The same extraction cleans to the same body: no need to clean it again.
        if text and text != article.extracted:
            body = clean(text, article.titles, article.decks)
            if body.text and body.text != article.text:
                yield "trafilatura-recall", body
    for name, texts in (("json-ld", json_ld_bodies), ("page-data", page_data_bodies)):
        if article.extraction == name:
            continue
        for body_text in texts(article.html)[:3]:
            body = clean(body_text, article.titles, article.decks)
            if body.text and body.text != article.text:
                yield name, body


def page_text(article: Article) -> str:
    """All the text on the page, furniture included: where a quoted passage that is not in the
    article may still be found (a caption, a box, a paragraph the extractor missed)."""
    return "\n".join([article.text, beyond_body(article)])


def beyond_body(article: Article) -> str:
    """The page's text besides the article body: its furniture and the page read whole."""
    parts = list(article.furniture)
    if article.html:
        parts.append(_html_text(article.html))
    return "\n".join(parts)


@lru_cache(maxsize=4)
def _html_text(html: str) -> str:
    # Both the added-text confirmation and the reporter check read it: read the page once.
    import trafilatura

    return trafilatura.html2txt(html) or ""
