"""A check from end to end: the cited page fetched (or read, or taken from an archive), the
CPU half (extraction, comparison, metadata checks, the verdict) and the Wayback fallbacks.
The comparison itself is :mod:`linker.compare.findings`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from linker.compare.findings import compare_with_fallbacks, quote_ignores, serious
from linker.compare.metacheck import commentary_check, metadata_checks
from linker.errors import UNREACHED, ExtractionError, Failure, FetchError, InputError
from linker.messages import Msg
from linker.models import CheckItem, Document, Post, Report
from linker.net.fetch import Client
from linker.ptt.url import is_url, looks_like_address
from linker.source.extract import (
    extract_article,
)

if TYPE_CHECKING:
    from linker.net.wayback import Snapshot


def check_source_file(target: str) -> None:
    """Refuse a ``--source`` that names no readable page on this machine (a folder, a missing
    file); links and addresses without their scheme pass.

    Raises:
        InputError: what is wrong, in one line.
    """
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", target) and not Path(target).exists():
        return
    path = Path(target)
    if path.is_dir():
        raise InputError(Msg("--source {path} is a folder: give a saved page or a link",
                             path=target), input=target, stage="input")
    if not path.exists() and not looks_like_address(target):
        raise InputError(Msg("no such source file: {path}", path=target), input=target,
                         stage="input")


def load_source(target: str, client: Client) -> Document:
    """Fetch the source URL, or read a saved page when ``target`` is a file path."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", target) and not Path(target).exists():
        scheme = target.split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            raise InputError(Msg("unsupported link scheme {scheme}: only http and https",
                                 scheme=repr(scheme)),
                             url=target, stage="fetch source")
        return client.get(target, stage="fetch source")
    path = Path(target)
    if not path.exists() and looks_like_address(target):
        # A link copied without its scheme (`news.ltn.com.tw/news/…`).
        return client.get("https://" + target.strip(), stage="fetch source")
    check_source_file(target)
    try:
        return Document(origin=target, content=path.read_bytes())
    except OSError as exc:
        raise InputError(Msg("cannot read {path}: {error}", path=target,
                             error=exc.strerror or ""), input=target,
                         stage="fetch source") from exc


MAX_QUOTE_CHARS = 1_000_000
"""Longest quote compared (a hundred times a long article; ~3.5 s and ~250 MB on a 2-core
machine): past it a post is no news repost, and the time and memory would grow with it."""


def unverifiable(post: Post, reason: str, failure: Failure | None = None, *,
                 link_failed: bool = True) -> Report:
    """A report for a post that could not be checked, with the reason (and its kind, when a
    fetch or a read failed); ``link_failed``: the reason is the cited link's, and the link
    check says so."""
    link = (CheckItem("link", "mismatch", reason),) if link_failed else ()
    return Report("unverifiable", reason, post, None, None, None,
                  checks=(*link, commentary_check(post)), failure=failure)


SourceLoader = Callable[[str], Document]
"""Gives the page at a cited URL (live, or from an archive); raises FetchError or InputError."""


def fetch_source(post: Post, client: Client, source: str | None = None,
                 loader: SourceLoader | None = None) -> Document | Report:
    """The network half of a check: the cited page's bytes, or an unverifiable report."""
    target = source or post.fields.source_url
    if not post.fields.quote.strip():
        return unverifiable(post, Msg("the post quotes no article text"), link_failed=False)
    if not target:
        return unverifiable(post, Msg("the post cites no article link (give --source)"),
                            link_failed=False)
    try:
        return loader(target) if loader is not None else load_source(target, client)
    except (FetchError, InputError) as exc:
        return unverifiable(post, exc.text(), exc.failure)


def _unreached(report: Report) -> bool:
    """The cited page failed in a way an archived copy can stand in for (not a refusal such
    as a PDF)."""
    return report.source is None and report.failure in UNREACHED


def _with_snapshot(report: Report, snapshot: Snapshot, note: str) -> Report:
    assert report.source is not None
    source = replace(report.source, archived_at=snapshot.date, archive_url=snapshot.url)
    return replace(report, source=source, notes=(*report.notes, note))


def _serious_count(report: Report) -> int:
    """What makes a report edited: medium and high findings, and a tampered title."""
    title_mismatch = any(c.name == "title" and c.status == "mismatch" for c in report.checks)
    return serious(report.findings) + (1 if title_mismatch else 0)


def analyse(post: Post, doc: Document) -> Report:
    """The CPU half of a check: extraction, comparison, metadata checks and the verdict.

    Pure computation on data already fetched, so a batch can run it in worker processes.
    """
    try:
        article = extract_article(doc)
    except ExtractionError as exc:
        return unverifiable(post, exc.text(), exc.failure)
    ignore = quote_ignores(post, article)
    comparison, text, extraction = compare_with_fallbacks(post.fields.quote, article, ignore)
    # The page's markup stays out of the report: it is large and reports cross processes.
    info = replace(article, text=text, extraction=extraction, conversion=comparison.conversion,
                   minor=comparison.minor, html="", clean_html="", extracted="", furniture=())
    checks = metadata_checks(post, article, doc.url)
    matched_share = 1.0 - comparison.added
    if matched_share < 0.15:
        return Report("unverifiable", Msg("the linked page does not contain the quoted text "
                      "(wrong link, paywall, or a page linker cannot read)"), post, info,
                      comparison.coverage, comparison.added, comparison.findings, checks,
                      comparison.matches)
    report = Report("faithful", None, post, info, comparison.coverage, comparison.added,
                    comparison.findings, checks, comparison.matches)
    return replace(report, verdict="edited") if _serious_count(report) else report


Analyser = Callable[[Post, Document], Report]


def check_post(post: Post, client: Client, source: str | None = None, *,
               archive: bool = True, analyser: Analyser | None = None,
               loader: SourceLoader | None = None) -> Report:
    """Check ``post`` against its cited article (or ``source``, a URL or saved page).

    Source-side failures (dead link, not HTML, nothing extracted) give an ``unverifiable``
    report with the reason; they do not raise.  With ``archive``, a dead link is checked
    against the Wayback Machine's copy nearest the post's time, and an edited verdict is
    checked again against that copy: when the copy matches the post, the outlet changed its
    article after the post, and the poster is not blamed for it.

    Args:
        analyser: runs the CPU half (:func:`analyse`); batch runs pass one that uses worker
            processes.
        loader: gives the cited page instead of fetching it (a WARC index).
    """
    run = analyser or analyse
    if (post.title_prefix and "新聞" not in post.title_prefix and post.template == "none"
            and source is None):
        return unverifiable(post, Msg("not a news post (its title is marked {prefix}); give "
                                      "--source to compare it with a page anyway",
                                      prefix=post.title_prefix))
    if len(post.fields.quote) > MAX_QUOTE_CHARS:
        return unverifiable(post, Msg("the quoted text is {n} characters; linker compares "
                                      "quotes up to {limit}", n=f"{len(post.fields.quote):,}",
                                      limit=f"{MAX_QUOTE_CHARS:,}"))
    target = source or post.fields.source_url
    fetched = fetch_source(post, client, source, loader)
    report = fetched if isinstance(fetched, Report) else run(post, fetched)
    if target and _unreached(report):
        report = replace(report, link_failure=report.reason)
    if not archive or not target or not is_url(target) or not post.fields.quote.strip():
        return report
    from linker.net.wayback import nearest_snapshot

    if report.verdict == "unverifiable" and _unreached(report):
        failure, kind = report.reason, report.failure
        snapshot = nearest_snapshot(target, post.time, client)
        if snapshot is None:
            return replace(report, reason=Msg("{reason}; no archived copy either",
                                              reason=report.reason or ""), link_failure=failure)
        archived = run(post, snapshot.document)
        if archived.source is None:
            return replace(report, reason=Msg(
                "{reason}; the archived copy is unreadable too ({archived})",
                reason=report.reason or "", archived=archived.reason or ""),
                link_failure=failure, failure=kind)
        return replace(_with_snapshot(archived, snapshot,
                                      Msg("the live page failed ({reason}); checked against "
                                          "the archived copy of {day}",
                                          reason=report.reason or "", day=snapshot.date[:10])),
                       link_failure=failure, failure=kind)
    if report.verdict == "edited":
        snapshot = nearest_snapshot(target, post.time, client)
        if snapshot is None:
            return report
        archived = run(post, snapshot.document)
        if archived.source is None or archived.source.text == (
                report.source.text if report.source else None):
            return report
        if _serious_count(archived) < _serious_count(report):
            return _with_snapshot(
                archived, snapshot,
                Msg("the outlet changed the article after it was posted: against the archived "
                    "copy of {day} the repost has {then} serious finding(s), against today's "
                    "page {now}", day=snapshot.date[:10], then=_serious_count(archived),
                    now=_serious_count(report)))
    return report


__all__ = ["analyse", "check_post", "check_source_file", "fetch_source", "load_source",
           "unverifiable"]
