"""Pages in the shapes of Taiwanese outlets' pages (authored: ``cassettes/outlet_*.yaml``):
suffixed titles, bylines inside the body, captions, notices, promotions, related lists, a
second story under the article and a page without a structured date.  Each is checked against
faithful and edited reposts, replayed through linker's own client."""

from __future__ import annotations

import json
from typing import Any

import pytest

from linker.models import Report
from linker.net.fetch import Client

from ..conftest import CASSETTES
from ..support.views import Replay, check, serious

EXPECTED: dict[str, Any] = json.loads(
    (CASSETTES / "outlets.expected.json").read_text(encoding="utf-8"))
SHAPES = sorted(EXPECTED)


def _check(replay: Replay, client: Client, shape: str, kind: str) -> Report:
    return check(replay, client, f"outlet_{shape}", EXPECTED[shape]["posts"][kind])


def _status(report: Report) -> dict[str, str]:
    return {c.name: c.status for c in report.checks}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", ["faithful", "no-byline", "as-shown"])
def test_faithful_reposts_are_faithful(replay: Replay, client: Client, shape: str,
                                       kind: str) -> None:
    """With the byline as printed, without it, or copied from the browser with the headline
    and a caption: faithful, and the title, reporters and date agree with the page."""
    report = _check(replay, client, shape, kind)
    assert report.verdict == "faithful", serious(report)
    status = _status(report)
    assert status["title"] == "ok"
    assert status["reporter"] == "ok"
    assert status["published"] == ("skipped" if EXPECTED[shape]["published"] is None else "ok")
    assert report.coverage is not None and report.coverage >= 0.98


@pytest.mark.parametrize("shape", SHAPES)
def test_page_metadata_read_like_a_reader(replay: Replay, client: Client, shape: str) -> None:
    """The headline without the site's suffix, the reporters without the photographer, the
    date only from structured places (never the year in the text), the furniture out of the
    article text."""
    report = _check(replay, client, shape, "faithful")
    source = report.source
    expected = EXPECTED[shape]
    assert source is not None
    assert source.title == expected["headline"]
    assert list(source.reporters) == expected["reporters"]
    assert expected["photographer"] not in source.reporters
    if expected["published"] is None:
        assert source.published is None
        detail = next(c.detail for c in report.checks if c.name == "published")
        assert detail == "the source page shows no date"
    else:
        assert source.published == expected["published"]
    for furniture in ("點我下載APP", "安心專線", "不得轉載", "#颱風", "瀏覽體驗", "查詢時效",
                      "還想看更多", "你可能還想看", "相關新聞", "字級"):
        assert furniture not in source.text


@pytest.mark.parametrize("shape", SHAPES)
def test_edits_are_caught(replay: Replay, client: Client, shape: str) -> None:
    """A changed number and an opinion slipped in: edited, both pointed at."""
    report = _check(replay, client, shape, "edited")
    assert report.verdict == "edited"
    kinds = {(f.kind, f.severity) for f in serious(report)}
    assert ("altered", "high") in kinds and ("added", "high") in kinds
    altered = next(f for f in report.findings if f.kind == "altered")
    assert "955" in altered.source_text and "935" in altered.post_text


@pytest.mark.parametrize("shape", SHAPES)
def test_tampered_title_is_a_mismatch_and_edits_the_verdict(replay: Replay, client: Client,
                                                             shape: str) -> None:
    """震驚 inserted into 原文標題: a mismatch that shows the insertion, and the verdict is edited
    although the quote is faithful."""
    report = _check(replay, client, shape, "title")
    title = next(c for c in report.checks if c.name == "title")
    assert title.status == "mismatch"
    assert "[+震驚]" in title.detail
    assert report.verdict == "edited"
    assert serious(report) == []


@pytest.mark.parametrize("shape", SHAPES)
def test_reporter_nowhere_on_the_page(replay: Replay, client: Client, shape: str) -> None:
    """A 記者署名 that the page never prints is a mismatch that says so, not "skipped"."""
    report = _check(replay, client, shape, "reporter")
    reporter = next(c for c in report.checks if c.name == "reporter")
    assert reporter.status == "mismatch"
    assert "歐陽正義 appears nowhere on the page" in reporter.detail
    assert report.verdict == "faithful"


def test_every_post_of_every_cassette_is_exercised() -> None:
    """The parametrisations above cover every post the builder writes, for four shapes."""
    covered = {"faithful", "no-byline", "as-shown", "edited", "title", "reporter"}
    assert len(SHAPES) == 4
    assert all(set(EXPECTED[shape]["posts"]) == covered for shape in SHAPES)
