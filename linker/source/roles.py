"""The roles of a page's elements: which are the article, and which are furniture around it.

A news page says much of this in its own markup.  ``<figure>``/``<figcaption>`` hold photos and
their captions; ``<blockquote class="twitter-tweet">`` and its kin are embedded social posts;
``<aside>`` and elements whose class or id says caption, related, recommend, promo, share,
embed, ad, comment or cookie are exactly that; ``itemprop="articleBody"`` marks the body.  These
roles are read before the extractor sees the page, so that a caption, an embedded tweet or a
"related news" box inside the article is never taken for article text, and a poster who leaves
it out has left nothing out.

The rules name roles, never outlets.  One guard keeps them honest: an element that holds a
large share of the page's running text (the article's own wrapper, whatever its class says) is
never removed.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

# Class and id words by role.  Each is matched at the start of a word of the class or id
# (``relatedNews``, ``recommend-list``, ``picinfo``), so ``header`` never reads as ``ad``.
_ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("caption", r"caption|figcaption|wp-caption|(?:pic|photo|img|image|fig|figure|picture)[-_]?"
                r"(?:info|desc|txt|text|note|cap|intro|explain|credit|source|tit)"),
    ("embed", r"twitter|tweet|instagram|tiktok|youtube|facebook|fb[-_](?:post|video|page|xfbml|"
              r"comments)|o?embed|text-post-media|threads|weibo|plurk|line-it"),
    ("related", r"related|relative-?news|recommend|recomm|promo|sponsor|read-?more|more-?news|"
                r"hot-?news|popular|trending|ranking|outbrain|taboola|popin|extended|feed|"
                r"also-?read|you-?may|most-?read|special[-_]?tag|tags?$|keywords?$|hashtags?"),
    ("share", r"share|sharing|social|sns|toolbar|print|font-?size|subscri|newsletter|follow|"
              r"bookmark|weixin|wechat|qr-?code|app-?download|download-?app"),
    ("comment", r"comments?|reply|replies|discuss|disqus"),
    ("notice", r"cookie|consent|gdpr|disclaimer"),
)
# A standfirst or summary above the body: read from its class, kept in the text, optional.
_DECK = re.compile(r"(?:^|[^a-z])(?:summary|standfirst|abstract|excerpt|chapo|dek|deck|lede|"
                   r"subtitle|sub-title|subhead|digest|article-?intro|news-?intro)", re.I)
_ROLE_RE = tuple((role, re.compile(rf"(?:^|[^a-z])(?:{words})", re.I)) for role, words in _ROLE_WORDS)
# Advertising is named by short words that are also parts of others (header, loading): only a
# whole word of the class or id counts.
_AD_WORDS = frozenset(("ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising",
                       "adsbygoogle", "adslot", "adunit", "gg", "dfp", "gpt", "banner", "sponsored"))
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
# Embedded posts by their markup, whatever else their class says.
_EMBED_TAGS = frozenset(("iframe", "embed", "object", "video", "audio"))
_ROLE_TAGS = {"figcaption": "caption", "aside": "related", "nav": "share", "form": "share",
              "button": "share"}
_SKIP = frozenset(("script", "style", "noscript", "template", "svg"))
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN_SHARE = 0.4
"""An element holding this share of the page's running text is the article's wrapper."""


@dataclass(frozen=True)
class PageRoles:
    """A page with its furniture taken out, and what was taken."""

    html: str
    """The page without the elements of other roles (what the extractor reads)."""
    furniture: tuple[tuple[str, str], ...]
    """``(role, text)`` of each element taken out, in page order."""
    body: str | None
    """The text of the element the page marks as its article body (``itemprop=articleBody``),
    furniture taken out, when it holds running text."""
    decks: tuple[str, ...] = ()
    """Standfirsts and summaries printed above the body, outside it (kept on the page: a
    poster may copy them or not)."""


def _attrs(el: Any) -> str:
    return " ".join(v for v in (el.get("class"), el.get("id")) if v)


def role_of(el: Any) -> str | None:
    """The role an element's tag, class or id names, if it is not article."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    attrs = _attrs(el)
    if (tag == "figure" and el.find(".//img") is not None) or tag in _EMBED_TAGS:
        return "caption" if tag == "figure" else "embed"
    if tag == "blockquote" and re.search(r"tweet|instagram|tiktok|text-post|fb-", attrs, re.I):
        return "embed"
    if tag in _ROLE_TAGS:
        return _ROLE_TAGS[tag]
    if not attrs:
        return "hidden" if _is_hidden(el) else None
    for role, pattern in _ROLE_RE:
        if pattern.search(attrs):
            return role
    words = {w.lower() for w in _WORD_SPLIT.split(attrs) if w}
    if words & _AD_WORDS:
        return "ad"
    return "hidden" if _is_hidden(el) else None


_INLINE = frozenset(("a", "span", "strong", "em", "b", "i", "u", "font", "mark", "small", "abbr",
                     "sub", "sup", "code", "q", "cite", "time", "label"))


def _in_running_text(el: Any) -> bool:
    """Whether an inline element sits inside a sentence (a keyword link, a tagged name): its
    text is the article's, whatever its class says."""
    if el.tag.lower() not in _INLINE:
        return False
    parent = el.getparent()
    prev = el.getprevious()
    before = (prev.tail if prev is not None else parent.text if parent is not None else "") or ""
    return bool(before.strip() or (el.tail or "").strip())


def _is_hidden(el: Any) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN.search(el.get("style") or ""))


def _prose_weight(root: Any) -> dict[Any, int]:
    """For every element, how many characters of running text (paragraphs of 20 or more
    characters, or text with sentence punctuation) it holds."""
    weight: dict[Any, int] = {}

    def walk(el: Any) -> int:
        if not isinstance(el.tag, str) or el.tag.lower() in _SKIP:
            return 0
        own = len(_clean(el.text or ""))
        total = 0
        for child in el:
            total += walk(child)
            own += len(_clean(child.tail or ""))
        # Text directly in this element counts when it reads like running text.
        total += own if own >= 20 else 0
        weight[el] = total
        return total

    try:
        walk(root)
    except RecursionError:  # pathologically deep markup: no element is protected by weight
        return {}
    return weight


_CAPTION_MAX = 60
"""Longest text read as an image's caption when it shares the image's paragraph."""
_CAPTION_UNDER = 40
"""Longest line read as an image's caption because it stands right under the image."""


def _only_image(el: Any) -> bool:
    return (el.find(".//img") is not None or el.tag.lower() == "img") and not _clean(
        el.text_content())


def _image_captions(root: Any) -> set[Any]:
    """Short text blocks that caption a photo by where they stand: the line right under an
    image that stands alone in its paragraph, or the text sharing a paragraph with an image
    (``<p><img><br>▲…</p>``).  Content systems print captions this way, with no class."""
    found: set[Any] = set()
    under: set[Any] = set()
    for el in root.iter("img"):
        holder = el.getparent()
        # Climb to the block that holds the image alone.
        while holder is not None and holder.tag.lower() not in ("p", "div", "figure", "center",
                                                                 "td", "section") \
                and holder.getparent() is not None:
            holder = holder.getparent()
        if holder is None or holder.tag.lower() in ("figure", "section", "td"):
            continue
        text = _clean(holder.text_content())
        if not text and holder.tag.lower() in ("p", "center") and not any(
                role_of(d) == "caption" for d in holder.iter() if d is not holder):
            # (An image block with its own caption slot, even an empty one, is captioned
            # there, not by the paragraph after it.)
            after = holder.getnext()
            if after is not None and isinstance(after.tag, str) and after.tag.lower() in (
                    "p", "div", "span", "center") and after.find(".//img") is None \
                    and 0 < len(_clean(after.text_content())) <= _CAPTION_UNDER \
                    and not _clean(after.text_content()).endswith(("」", "”", "\"")):
                under.add(after)
        elif len(text) <= _CAPTION_MAX and holder.tag.lower() == "p":
            found.add(holder)
    # Where many of the paragraphs stand under a photo, the photos illustrate the text line by
    # line (a photo essay): those lines are the article, not captions.
    paragraphs = {id(p) for u in under if u.getparent() is not None for p in u.getparent()
                  if isinstance(p.tag, str) and p.tag.lower() == "p" and _clean(p.text_content())}
    if not (len(under) >= 4 and len(under) * 3 >= len(paragraphs)):
        found |= under
    return found


_SEPARATOR = re.compile(r"^\s*(?:[-—－=＝_＿]\s*){3,}")
_FOOTER_SHARE = 0.3


def _after_separator(root: Any, weight: dict[Any, int]) -> set[Any]:
    """A rule drawn with dashes or equals signs near the end of the article, and what follows
    it: the outlet's promotions (a programme, an app, a tip line), not the article."""
    found: set[Any] = set()
    for el in root.iter("p", "div", "hr"):
        if el.tag == "hr":
            text_start = True
        else:
            text_start = bool(_SEPARATOR.match(el.text or "")) and len(_clean(el.text_content())) <= 400
        parent = el.getparent()
        if not text_start or parent is None:
            continue
        after = [sib for sib in el.itersiblings() if isinstance(sib.tag, str)]
        rest = sum(weight.get(sib, 0) for sib in after)
        if rest <= _FOOTER_SHARE * max(weight.get(parent, 0), 1):
            found.update([el, *after] if el.tag != "hr" else after)
    return found


_BLOCKS = frozenset(("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
                     "blockquote", "figure", "section"))


def _wrap_loose_text(root: Any) -> None:
    """Text standing loose in a block beside block children (a lead paragraph written straight
    into the article's div) becomes a paragraph of its own, as a browser lays it out: the
    extractor reads paragraphs and would pass it over."""
    import lxml.html

    for el in list(root.iter("div", "section", "article", "td")):
        children = [c for c in el if isinstance(c.tag, str)]
        if not any(c.tag.lower() in _BLOCKS for c in children):
            continue
        if len(_clean(el.text or "")) >= 20:
            para = lxml.html.Element("p")
            para.text, el.text = _XML_UNSAFE.sub("", el.text or ""), None
            el.insert(0, para)
        for child in children:
            if child.tag.lower() in _BLOCKS and len(_clean(child.tail or "")) >= 20:
                para = lxml.html.Element("p")
                para.text, child.tail = _XML_UNSAFE.sub("", child.tail or ""), None
                child.addnext(para)


def _description_standfirsts(root: Any, container: Any, inside: set[Any]) -> tuple[str, ...]:
    """Paragraphs printed above the article's body, outside it, that repeat the page's own
    description (meta/og description): a standfirst, whatever its class."""
    if container is None:
        return ()
    descriptions = [_clean(m.get("content") or "") for m in root.iter("meta")
                    if (m.get("name") or m.get("property") or "").lower() in
                    ("description", "og:description", "twitter:description")]
    keys = [d.rstrip(".…") for d in descriptions if len(d) >= 20]
    if not keys:
        return ()
    found = []
    for el in root.iter("p", "div", "h2", "h3", "span"):
        if el is container:
            break  # only what stands above the body
        if el in inside or any(child.tag in _BLOCKS for child in el if isinstance(child.tag, str)):
            continue
        text = _clean(el.text_content())
        if len(text) >= 20 and any(text.startswith(k[:60]) or k.startswith(text) for k in keys):
            found.append(re.sub(r"\s+", " ", el.text_content()).strip())
    return tuple(found)


def _paragraph_container(root: Any) -> Any:
    """The element whose own paragraphs hold the most text (the article body on most pages)."""
    best, best_size = None, 0
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag.lower() in _SKIP:
            continue
        size = sum(len(_clean(child.text_content())) for child in el
                   if isinstance(child.tag, str) and child.tag.lower() == "p")
        if size > best_size:
            best, best_size = el, size
    return best


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_roles(root: Any) -> PageRoles:
    """Take the elements of other roles out of a parsed page (a copy: ``root`` is left as is)."""
    import lxml.html

    tree = copy.deepcopy(root)
    weight = _prose_weight(tree)
    total = weight.get(tree, 0)
    # The article's own containers are never furniture, whatever their class says: the one
    # the page marks as its body, and the one holding the most paragraph text.
    body_el = next((el for el in tree.iter() if isinstance(el.tag, str)
                    and (el.get("itemprop") or "").lower() == "articlebody"), None)
    container = _paragraph_container(tree)
    protected: set[Any] = set()
    for el in (body_el, container):
        if el is not None:
            protected.update(el.iterancestors())
            protected.add(el)
    inside = set(container.iter()) if container is not None else set()
    decks = tuple(re.sub(r"\s+", " ", el.text_content()).strip() for el in tree.iter()
                  if isinstance(el.tag, str) and el not in inside and el not in protected
                  and _DECK.search(_attrs(el)) and 8 <= len(_clean(el.text_content())) <= 400)
    decks += _description_standfirsts(tree, container, inside)
    captions = _image_captions(tree)
    footer = _after_separator(tree, weight)
    furniture: list[tuple[str, str]] = []
    doomed: list[Any] = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag.lower() in _SKIP | {"html", "body", "head",
                                                                    "main", "article"}:
            continue
        if el in protected or any(el is d or d in el.iterancestors() for d in doomed[-1:]):
            continue
        role = "caption" if el in captions else "footer" if el in footer else role_of(el)
        if role is None or _in_running_text(el):
            continue
        if total and weight.get(el, 0) >= _MAIN_SHARE * total:
            continue
        doomed.append(el)
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        if text and role != "hidden":
            furniture.append((role, text))
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        # Keep the text that follows the element: it belongs to the parent.  (lxml reads
        # control characters it refuses to write back: they are dropped.)
        if el.tail:
            prev = el.getprevious()
            if prev is not None:
                prev.tail = _XML_UNSAFE.sub("", (prev.tail or "") + el.tail)
            else:
                parent.text = _XML_UNSAFE.sub("", (parent.text or "") + el.tail)
        parent.remove(el)
    _wrap_loose_text(tree)
    body = None
    if body_el is not None:
        text = body_el.text_content().strip()
        if len(_clean(text)) >= 100:
            body = text
    html = lxml.html.tostring(tree, encoding="unicode")
    return PageRoles(html=html, furniture=tuple(furniture), body=body, decks=decks)
