"""What every sweep shares, whichever runner runs it (:mod:`linker.runs.local` on this
machine, :mod:`linker.runs.cluster` on Dask): the options and outcomes, listing a board or
reading a dump, checking one post, what the store keeps of it, and the board-wide rules decided
over the store afterwards."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

from linker.check import analyse, check_post, unverifiable
from linker.errors import LinkerError, NotFoundError
from linker.models import Document, Post, Report
from linker.net.fetch import Client, fetch_article
from linker.ptt.board import Row, parse_board_page
from linker.ptt.parse import decode, parse_document
from linker.ptt.url import PTT_BASE, article_ref
from linker.render.jsonout import report_to_dict
from linker.rules import Profile, apply_rules, choose_profile
from linker.runs.store import Known, Record, Store, content_hash
from linker.runs.workers import interrupts_deferred

if TYPE_CHECKING:

    from linker.runs.warc import WarcIndex

MAX_PAGES = 1000
OutcomeStatus = Literal["faithful", "edited", "unverifiable", "skipped", "cancelled", "lost"]


@dataclass(frozen=True)
class BatchOptions:
    """What to sweep and how."""

    board: str
    pages: int | None = None
    """Index pages to walk back from the newest (default 1, or until ``since``)."""
    since: date | None = None
    until: date | None = None
    query: str | None = None
    include_replies: bool = False
    recheck: bool = False
    ptt_base: str = PTT_BASE
    threads: int = 4
    jobs: int = 0
    """Worker processes for the CPU work (0: in the fetching threads)."""
    archive: bool = True
    """Fall back to the Wayback Machine for dead links and outlet edits."""
    view_lang: str = "en"
    """Language of the HTML check view kept with each result (``linker browse`` shows it)."""
    posts: Path | None = None
    """Read the posts from this dump (see :mod:`linker.ptt.dump`) instead of the board's pages."""
    sources: tuple[Path, ...] = ()
    """Read the cited pages from these WARC/ARC files (see :mod:`linker.runs.warc`)."""
    live_fallback: bool = False
    """With ``sources``: fetch a page that is in no archive from the live web."""
    rules: str | None = None
    """The board rules to apply (a profile name or file; ``none``); None: the post's board's
    built-in profile, where linker ships one."""


@dataclass(frozen=True)
class Outcome:
    """What became of one listed post."""

    row: Row
    url: str
    status: OutcomeStatus
    """A verdict, or ``skipped`` (unchanged since the last run); ``cancelled`` (not started,
    the run was interrupted) and ``lost`` (its worker died) are not stored."""
    reason: str | None = None
    report: Report | None = None
    post: Post | None = None


@dataclass
class BatchResult:
    """Counts of a sweep."""

    listed: int = 0
    done: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    interrupted: bool = False
    urls: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """Dump entries that are not posts (``where: why``)."""
    lost: list[str] = field(default_factory=list)
    """Posts a cluster could not check (``url (why)``): not stored, a rerun checks them."""
    archive_problems: list[str] = field(default_factory=list)
    """Archive files and records that could not be read (``file@offset: what``)."""


def _board_url(options: BatchOptions, page: int | None = None) -> str:
    base = options.ptt_base.rstrip("/")
    board = options.board
    if options.query:
        return f"{base}/bbs/{board}/search?q={quote(options.query)}&page={page or 1}"
    return f"{base}/bbs/{board}/index.html"


def _wanted(row: Row, options: BatchOptions) -> bool:
    if row.deleted or row.ref is None or row.pinned or not row.is_news:
        return False
    if row.is_reply and not options.include_replies:
        return False
    created = row.created
    if created is not None:
        if options.since and created.date() < options.since:
            return False
        if options.until and created.date() > options.until:
            return False
    return True


def list_posts(options: BatchOptions, client: Client) -> list[Row]:
    """Walk index (or search) pages from the newest backwards and pick the news posts."""
    limit = options.pages or (MAX_PAGES if options.since else 1)
    url: str | None = _board_url(options)
    rows: list[Row] = []
    seen: set[str] = set()
    page = 1
    while url and page <= limit:
        doc = client.get(url, stage="list board")
        board_page = parse_board_page(decode(doc.content, doc.charset), url)
        for row in board_page.rows:
            if row.ref is not None and row.ref.url in seen:
                continue
            if _wanted(row, options):
                assert row.ref is not None
                seen.add(row.ref.url)
                rows.append(row)
        dated = [r.created for r in board_page.rows if r.created and not r.pinned]
        if options.since and dated and max(dated).date() < options.since:
            break
        page += 1
        if options.query:
            url = _board_url(options, page) if board_page.rows else None
        else:
            url = board_page.previous
    return rows


def post_to_check(row: Row, options: BatchOptions, client: Client, known: dict[str, Known],
                  given: Post | None = None) -> Post | Outcome:
    """The post of ``row`` (``given``, or fetched), or its outcome when it cannot be read or
    has not changed since the store last checked it."""
    assert row.ref is not None
    url = row.ref.url
    try:
        post = given or parse_document(fetch_article(row.ref, client, base=options.ptt_base))
    except NotFoundError:
        return Outcome(row, url, "unverifiable", "post deleted (HTTP 404)")
    except LinkerError as exc:
        return Outcome(row, url, "unverifiable", exc.text())
    previous = known.get(url)
    if (previous is not None and not options.recheck
            and previous.content_hash == content_hash(post)
            and previous.edit_count == len(post.edits)):
        return Outcome(row, url, "skipped", post=post)
    return post


def check_one(row: Row, post: Post, options: BatchOptions, client: Client,
              sources: WarcIndex | None,
              analyser: Callable[[Post, Document], Report] = analyse) -> Outcome:
    """Check one post against its source (live, or from ``sources``)."""
    assert row.ref is not None
    loader = None
    if sources is not None:
        from linker.check import load_source
        from linker.runs.warc import ArchiveLoader

        loader = ArchiveLoader(sources, post.time, (lambda target: load_source(
            target, client)) if options.live_fallback else None)
    try:
        report = check_post(post, client, archive=options.archive and (
            sources is None or options.live_fallback), analyser=analyser, loader=loader)
    except LinkerError as exc:
        report = unverifiable(post, exc.text())
    report = apply_rules(report, _profile(options.rules, post.board or options.board))
    if loader is not None and loader.served is not None and report.source is not None:
        # Which capture served, as for a Wayback copy.
        capture = loader.served.capture
        report = replace(report, source=replace(
            report.source, archived_at=loader.served.date,
            archive_url=f"{capture.file.name}@{capture.offset}"))
    return Outcome(row, row.ref.url, report.verdict, report.reason, report, post)


@cache
def _profile(spec: str | None, board: str | None) -> Profile | None:
    # Read once per process (a moderator's file too), not once per post.
    return choose_profile(spec, board)


def decide_board_rules(store: Store, options: BatchOptions) -> None:
    """Decide the board-wide rules (``duplicate-news``, ``daily-quota``) over every post the
    store holds, board by board, and store the results: computed from the store, so that a
    rerun, an interrupted run and a cluster run all agree."""
    from linker.rules import BOARD_RULES, board_rules

    posts = store.board_posts()
    boards = sorted({p.board for p in posts})
    for board in boards:
        profile = _profile(options.rules, board)
        if profile is None or not any(profile.rule(r) for r in BOARD_RULES):
            continue
        results = board_rules([p for p in posts if p.board == board], profile)
        store.save_rules(profile.name, results)


def dump_rows(path: Path) -> tuple[list[tuple[Row, Post]], list[str]]:
    """The posts of a dump as board rows (with the post itself), and the entries that could
    not be read (``where: why``)."""
    from linker.ptt.dump import Unreadable, read_posts

    rows: list[tuple[Row, Post]] = []
    bad: list[str] = []
    seen: set[str] = set()
    for item in read_posts(path):
        if isinstance(item, Unreadable):
            bad.append(f"{item.where}: {item.reason}")
            continue
        try:
            ref = article_ref(item.url) if item.url else None
        except LinkerError as exc:
            bad.append(f"{item.input}: {exc.text()}")
            continue
        if ref is None:
            bad.append(f"{item.input}: the post gives no ptt.cc address (文章網址)")
            continue
        if ref.url in seen:
            continue
        seen.add(ref.url)
        rows.append((Row(item.title or "", item.author or "", "", "", "", ref), item))
    return rows, bad


def list_or_read(options: BatchOptions, client: Client,
                 result: BatchResult) -> list[tuple[Row, Post | None]]:
    """The posts to sweep: the board's listed rows (posts to fetch), or the dump's posts
    (its unreadable entries noted in ``result``)."""
    if options.posts is None:
        return [(row, None) for row in list_posts(options, client)]
    dumped, result.unreadable = dump_rows(options.posts)
    return [(row, post) for row, post in dumped if _wanted(row, options)]


def check_view(report: Report, lang: str = "en") -> bytes:
    """The check view of ``report`` as ``--html`` draws it, zlib-compressed for the store."""
    import zlib

    from linker.i18n import translations
    from linker.render import render_report
    from linker.render.export import export_html

    page = export_html(lambda console: render_report(
        report, console, tr=translations(lang), anchors=True), title=report.post.title or "linker")
    return zlib.compress(page.encode("utf-8"), 6)


def record_of(outcome: Outcome, options: BatchOptions) -> Record:
    """What the store keeps of ``outcome`` (the check view drawn in ``options.view_lang``)."""
    post, report = outcome.post, outcome.report
    return Record(
        view=check_view(report, options.view_lang) if report is not None else None,
        url=outcome.url, board=(post.board if post else None) or options.board,
        author=(post.author if post else None) or outcome.row.author or None,
        title=(post.title if post else None) or outcome.row.title,
        posted_at=(post.time if post else None) or outcome.row.created,
        post=post, report_json=report_to_dict(report) if report else None,
        verdict=outcome.status, reason=outcome.reason)


def finish(outcome: Outcome, record: Record | None, store: Store, result: BatchResult,
           on_outcome: Callable[[Outcome], None] | None) -> None:
    """Store one post's outcome (``record``; None for an unchanged post) and count it."""
    if outcome.status == "cancelled":
        return
    if outcome.status == "lost":
        result.lost.append(f"{outcome.url} ({outcome.reason})")
        return
    with interrupts_deferred():
        if outcome.status != "skipped":
            assert record is not None
            store.save(record)
        result.done += 1
        result.counts[outcome.status] = result.counts.get(outcome.status, 0) + 1
        result.urls.append(outcome.url)
    if on_outcome is not None:
        on_outcome(outcome)


def open_archives(options: BatchOptions, result: BatchResult) -> WarcIndex | None:
    """The index of ``options.sources`` (None without any), its unreadable files and records
    noted in ``result``."""
    if not options.sources:
        return None
    from linker.runs.warc import WarcIndex

    index = WarcIndex.build(list(options.sources))
    result.archive_problems = list(index.problems)
    return index


def post_deadline(client: Client) -> AbstractContextManager[object]:
    """One deadline for a whole post: its page, its source and any archived copy."""
    from linker.net.transport import Budget

    return Budget(client.config.deadline)
