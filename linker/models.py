"""Frozen data that flows one way through the pipeline: fetch → parse → extract → align → check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Literal

TAIPEI = timezone(timedelta(hours=8), "UTC+8")
"""Taiwan's time (no daylight saving): PTT's clock, and the day a board counts in."""

Verdict = Literal["faithful", "edited", "unverifiable"]
"""A check's verdict (``linker.check/1`` ``verdict``)."""
FindingKind = Literal["omitted", "added", "altered", "moved"]
Severity = Literal["high", "medium", "low"]
CheckName = Literal["title", "reporter", "published", "link", "commentary"]
CheckStatus = Literal["ok", "mismatch", "missing", "warning", "skipped"]
RuleStatus = Literal["ok", "violation", "unknown"]
"""A board rule on one post; ``unknown`` when linker cannot tell."""


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
class EditLine:
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
    edits: tuple[EditLine, ...] = ()
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


@dataclass(frozen=True)
class Article:
    """The cited page as linker read it: its article text and what a reader takes from it."""

    url: str | None
    final_url: str | None
    status: int | None
    encoding: str
    title: str | None
    """The headline as the page shows it (without the site's and section's names)."""
    author: str | None
    """The reporters, joined with ``、`` (or the byline as printed when it names no person)."""
    published: str | None
    """``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` (Taipei time when the page gives a zone), from
    structured places only; None when the page shows no date."""
    sitename: str | None
    text: str
    extraction: str
    """Which reading of the page ``text`` is: ``trafilatura``, ``trafilatura-recall``,
    ``json-ld``, ``page-data`` (the page's script data) or ``page-text``."""
    html: str = field(default="", repr=False, compare=False)
    clean_html: str = field(default="", repr=False, compare=False)
    """The page with captions, embeds, related boxes and the like taken out (what the
    extractor read)."""
    extracted: str = field(default="", repr=False, compare=False)
    """The extractor's text before the page furniture was taken out."""
    titles: tuple[str, ...] = ()
    """Every reading of the headline a poster's title may match (document titles with and
    without their suffixes, the heading)."""
    reporters: tuple[str, ...] = ()
    bylines: tuple[str, ...] = ()
    """Every byline printed on the page, as printed (byline lines, byline elements, author
    meta tags and JSON-LD authors)."""
    editors: tuple[str, ...] = ()
    """The people the page credits as editors, proofreaders or checkers (not reporters)."""
    headline_source: str | None = None
    published_source: str | None = None
    furniture: tuple[str, ...] = field(default=(), repr=False)
    """Lines of the extraction that are page furniture, not article (see :mod:`linker.source.boilerplate`)."""
    decks: tuple[str, ...] = field(default=(), repr=False)
    """Standfirsts and summaries above the body (see :mod:`linker.source.roles`)."""
    minor: tuple[tuple[int, int, str], ...] = ()
    """Stretches of ``text`` that are not the article proper (byline, credit, companion story)."""
    conversion: str = "none"
    """Set by the check: the script conversion the poster's text matched."""
    archived_at: str | None = None
    """When the text was checked against an archived copy: the snapshot's time."""
    archive_url: str | None = None
    types: tuple[str, ...] = ()
    """What the page says it is (JSON-LD ``@type``, ``og:type``): see :class:`PageMeta`."""
    sections: tuple[str, ...] = ()
    """The sections the page files itself under (``articleSection``…)."""
    canonical: str | None = None
    """The page's canonical address."""
    reprint_of: tuple[str | None, str | None] | None = None
    """On a portal that reprints other outlets (:mod:`linker.source.outlets`): the original's
    address and the outlet's name, as far as the page says; None on an outlet's own page."""


@dataclass(frozen=True)
class Finding:
    """One difference between the quote and the source.

    ``post_span`` indexes the post's quote and ``source_span`` the source text (Python string
    offsets, half open).  A zero-width span marks where the other side's text belongs.
    """

    kind: FindingKind
    severity: Severity
    post_text: str
    post_span: tuple[int, int] | None
    source_text: str
    source_span: tuple[int, int] | None
    note: str


@dataclass(frozen=True)
class Report:
    """The result of checking a post: ``verdict`` is faithful, edited or unverifiable."""

    verdict: Verdict
    reason: str | None
    post: Post
    source: Article | None
    coverage: float | None
    added: float | None
    findings: tuple[Finding, ...] = ()
    checks: tuple[CheckItem, ...] = field(default_factory=tuple)
    matches: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()
    """Passages found unchanged and in order: (quote span, source span) pairs."""
    notes: tuple[str, ...] = ()
    """Things a reader should know about how the check was made (archived copies…)."""
    link_failure: str | None = None
    """Why the cited link itself failed (404, a host that does not resolve…), also when an
    archived copy stood in for the page."""
    failure: str | None = None
    """The kind of that failure, or of the one that left the post unverifiable: a
    :class:`linker.errors.Failure` value (``gone``, ``timeout``, ``no-text``…)."""
    rules: tuple[RuleResult, ...] = ()
    """A board's rules applied to the post (:mod:`linker.rules`), when a profile was given."""
    rule_profile: str | None = None
    """The name of the profile ``rules`` come from."""


@dataclass(frozen=True)
class CheckItem:
    """A metadata check (title, reporter, published, link, commentary)."""

    name: CheckName
    status: CheckStatus
    """``ok``, ``mismatch``, ``missing``, ``warning`` or ``skipped``."""
    detail: str


@dataclass(frozen=True)
class RuleResult:
    """One rule applied to one post."""

    id: str
    status: RuleStatus
    """``ok``, ``violation`` or ``unknown`` (linker cannot tell)."""
    evidence: str
    says_en: str
    says_zh_tw: str
    short_en: str
    short_zh_tw: str

    def says(self, lang: str = "en") -> str:
        return self.says_zh_tw if lang == "zh-TW" else self.says_en

    def short(self, lang: str = "en") -> str:
        return self.short_zh_tw if lang == "zh-TW" else self.short_en


@dataclass(frozen=True)
class RuleSummaryRow:
    """One line of ``linker report --by rule``."""

    rule: str
    profile: str
    violations: int
    kept: int
    unknown: int
    short_en: str
    short_zh_tw: str

    @property
    def share_broken(self) -> float:
        """Posts breaking the rule among those decided."""
        decided = self.violations + self.kept
        return self.violations / decided if decided else 0.0


@dataclass(frozen=True)
class SummaryRow:
    """One line of ``linker report``."""

    key: str
    posts: int
    faithful: int
    edited: int
    unverifiable: int
    median_coverage: float | None
    top_finding: str | None

    @property
    def share_edited(self) -> float:
        """Edited posts among those that could be checked."""
        checked = self.faithful + self.edited
        return self.edited / checked if checked else 0.0
