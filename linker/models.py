"""Frozen data that flows one way through the pipeline: fetch → parse → extract → align → check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Document:
    """Bytes obtained from the outside world: an HTTP response, a file or standard input."""

    origin: str
    """What the user gave (URL, path or ``-``)."""
    content: bytes
    url: str | None = None
    """The URL requested, for fetched documents."""
    final_url: str | None = None
    """The URL after redirects."""
    status: int | None = None
    content_type: str | None = None
    charset: str | None = None
    """The charset named by the Content-Type header, if any."""
    history: tuple[str, ...] = ()
    """Every URL visited before ``final_url`` (redirect hops)."""


@dataclass(frozen=True)
class Push:
    """One 推/噓/→ line."""

    tag: str
    user: str
    content: str
    ip: str | None
    time: datetime | None


@dataclass(frozen=True)
class Edit:
    """A ``※ 編輯:`` line."""

    user: str
    ip: str | None
    country: str | None
    time: datetime | None
    raw: str


@dataclass(frozen=True)
class Footer:
    """The system footer below the last ``--``."""

    ip: str | None = None
    country: str | None = None
    url: str | None = None
    raw: str = ""


@dataclass(frozen=True)
class Span:
    """A half-open ``[start, end)`` range of Python string offsets."""

    start: int
    end: int

    def slice(self, text: str) -> str:
        """The text this span covers."""
        return text[self.start : self.end]


@dataclass(frozen=True)
class NewsFields:
    """The news-template fields of a post.

    ``quote`` is the article text as the poster pasted it.  ``quote_span`` locates it in the
    post body when it is one contiguous slice; for reply posts the quote is rebuilt from ``: ``
    lines and ``quote_lines`` maps each of its lines back to the body instead.
    """

    original_title: str | None = None
    source_url: str | None = None
    source_urls: tuple[str, ...] = ()
    published: str | None = None
    reporter: str | None = None
    outlet: str | None = None
    quote: str = ""
    quote_span: Span | None = None
    quote_lines: tuple[tuple[int, int, int], ...] = ()
    """``(quote_offset, body_offset, length)`` for each line of a rebuilt quote."""
    commentary: str | None = None
    commentary_span: Span | None = None
    labels: tuple[str, ...] = ()
    """The template labels found, in order (for diagnostics)."""


@dataclass(frozen=True)
class ReplyQuote:
    """The quoted original of a ``Re:`` post, kept apart from the replier's own text."""

    quoted_author: str | None
    quoted_text: str
    own_text: str


@dataclass(frozen=True)
class Post:
    """A parsed PTT post."""

    input: str
    url: str | None
    board: str | None
    author: str | None
    nickname: str | None
    title: str | None
    """The BBS title as shown, with its prefix (``[新聞] …``)."""
    title_prefix: str | None
    """``[新聞]``, ``Re: [新聞]``, ``Fw: [新聞]``, ``[轉錄]``… or None."""
    time: datetime | None
    template: str
    """``stock``, ``stock-numbered``, ``gossiping-2020``, ``gossiping-2016``, ``generic``, ``none``."""
    body: str
    """The article part of the post: below the header, above the signature and footer."""
    fields: NewsFields
    pushes: tuple[Push, ...] = ()
    edits: tuple[Edit, ...] = ()
    author_replies: tuple[str, ...] = ()
    """Text the author added among the pushes; never part of the article."""
    other_lines: tuple[str, ...] = ()
    """System lines among the pushes: 轉錄 notices, deleted-push notices."""
    signature: str | None = None
    footer: Footer = field(default_factory=Footer)
    reply: ReplyQuote | None = None

    @property
    def is_news(self) -> bool:
        """Whether the title marks a news post (``[新聞]`` in any prefix form)."""
        return bool(self.title_prefix and "新聞" in self.title_prefix)
