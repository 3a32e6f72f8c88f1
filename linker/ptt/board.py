"""Board index and search pages of ptt.cc: the rows a sweep walks through."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from linker.errors import LinkerError, ParseError
from linker.messages import Msg
from linker.models import TAIPEI
from linker.ptt.url import ArticleRef, article_ref

_PREFIX_NEWS = re.compile(r"^(?:(?:Re|RE|Fw|FW|Fwd)\s*[:：]\s*)*(?:\[轉錄\]\s*)?\[新聞\]")


@dataclass(frozen=True)
class Row:
    """One row of a board list (``div.r-ent``)."""

    title: str
    author: str
    date: str
    """The list's ``M/DD`` date (no year)."""
    recommend: str
    mark: str
    ref: ArticleRef | None
    """None for a deleted post or a link linker cannot read."""
    pinned: bool = False
    deleted: bool = False
    """The row stands for a deleted post (``(本文已被刪除) [id]``, no link)."""

    @property
    def created(self) -> datetime | None:
        """The post's creation time, from its file name."""
        return datetime.fromtimestamp(self.ref.created, TAIPEI) if self.ref else None

    @property
    def is_news(self) -> bool:
        """``[新聞]`` in any prefix form (``Re:``, ``Fw:``, ``[轉錄]``)."""
        return bool(_PREFIX_NEWS.match(self.title.strip()))

    @property
    def is_reply(self) -> bool:
        """A reply (``Re:``) rather than the news post itself."""
        return self.title.strip().lower().startswith("re")


@dataclass(frozen=True)
class BoardPage:
    """A parsed index or search page."""

    rows: tuple[Row, ...]
    previous: str | None
    """The URL of the next older page (``‹ 上頁``), if any."""


def parse_board_page(html: str, url: str) -> BoardPage:
    """Parse an index or search page (2016 and current layouts).

    Raises:
        ParseError: the page has no board list.
    """
    import lxml.html  # lazy: keeps `linker --help` fast

    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ParseError(Msg("unreadable board page: {error}", error=str(exc)), url=url) from exc
    container = tree.xpath('//div[contains(@class,"r-list-container")]')
    scope = container[0] if container else tree
    entries = scope.xpath('.//div[contains(@class,"r-ent")] | .//div[contains(@class,'
                          '"r-list-sep")]')
    if not entries and not tree.xpath('//div[contains(@class,"btn-group-paging")]'):
        raise ParseError(Msg("not a PTT board page (no post list)"), url=url)
    rows: list[Row] = []
    pinned = False
    for entry in entries:
        if "r-list-sep" in (entry.get("class") or ""):
            pinned = True
            continue
        link = entry.xpath('.//div[contains(@class,"title")]//a')
        title = (link[0].text_content() if link else
                 entry.xpath('string(.//div[contains(@class,"title")])')).strip()
        ref = None
        if link:
            try:
                ref = article_ref(urljoin("https://www.ptt.cc/", link[0].get("href", "")))
            except LinkerError:  # a hand-edited or odd link is skipped, not fatal
                ref = None
        rows.append(Row(
            title=title,
            author=entry.xpath('string(.//div[contains(@class,"author")])').strip(),
            date=entry.xpath('string(.//div[contains(@class,"date")])').strip(),
            recommend=entry.xpath('string(.//div[contains(@class,"nrec")])').strip(),
            mark=entry.xpath('string(.//div[contains(@class,"mark")])').strip(),
            ref=ref,
            pinned=pinned,
            deleted=not link,
        ))
    previous = None
    for a in tree.xpath('//div[contains(@class,"btn-group")]//a'):
        if "上頁" in a.text_content() and a.get("href"):
            previous = urljoin(url, a.get("href"))
    return BoardPage(tuple(rows), previous)
