"""``linker batch`` and ``linker report`` over a small board replayed from a cassette."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from linker.net.fetch import RateLimiter
from linker.runs import local
from linker.runs.local import run_batch
from linker.runs.store import Store
from linker.runs.sweep import BatchOptions, Outcome, list_posts

from ..support.board import EXPECTED, board, client, snapshot, verdicts
from ..support.cli import run


def test_listing_picks_news_posts_only() -> None:
    """Deleted, pinned, non-news and reply rows are left out; three pages are walked."""
    with board():
        rows = list_posts(BatchOptions("NewsLab", pages=3), client())
        replies = list_posts(BatchOptions("NewsLab", pages=3, include_replies=True), client())
        newest = list_posts(BatchOptions("NewsLab"), client())
    assert sorted(r.ref.url for r in rows if r.ref) == sorted(EXPECTED)
    assert len(replies) == len(rows) + 1 and any(r.is_reply for r in replies)
    assert 0 < len(newest) < len(rows)  # the newest page alone


def test_query_walks_search_results() -> None:
    """--query sweeps the board's search pages until one comes back empty."""
    with board():
        rows = list_posts(BatchOptions("NewsLab", query="author:poster1"), client())
    assert rows and {r.author for r in rows} == {"poster1"}
    assert {r.ref.url for r in rows if r.ref} <= set(EXPECTED)


def test_since_and_until_filter_by_post_time() -> None:
    """--since/--until use the post's creation time from its file name."""
    from datetime import date

    with board():
        rows = list_posts(BatchOptions("NewsLab", since=date(2026, 4, 2),
                                       until=date(2026, 4, 2)), client())
    assert rows and all(r.created is not None and r.created.date() == date(2026, 4, 2)
                        for r in rows)


@pytest.mark.parametrize("jobs", [0, 2])
def test_sweep_stores_every_post_once_with_the_right_verdict(tmp_path: Path,
                                                             jobs: int) -> None:
    """End to end, with and without worker processes for the CPU work."""
    db = tmp_path / "board.db"
    with board(), Store(db) as store:
        result = run_batch(BatchOptions("NewsLab", pages=3, jobs=jobs), client(), store)
    assert result.listed == len(EXPECTED) and not result.interrupted
    assert verdicts(db) == EXPECTED
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == len(EXPECTED)
        dead = conn.execute("SELECT reason FROM checks WHERE verdict='unverifiable'").fetchall()
        short = conn.execute("SELECT final_url FROM sources WHERE url LIKE "
                             "'https://reurl.cc/%'").fetchall()
    assert len(dead) == 1 and "404" in dead[0][0]
    assert short == [("https://news.example-tv.com.tw/news/2026/05/02/fictional-1001",)]


@pytest.mark.parametrize("stop_after", [1, 7, 15])
def test_interrupted_sweep_resumes_to_the_same_store(tmp_path: Path, stop_after: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Interrupted after k posts, a rerun finishes with exactly the uninterrupted result."""
    reference, resumed = tmp_path / "reference.db", tmp_path / "resumed.db"
    options = BatchOptions("NewsLab", pages=3, threads=2)
    seen: list[Outcome] = []
    # The download threads may start a post only when the store has taken one (two ahead at
    # most): otherwise, on a loaded machine, they finish every post before the k-th is
    # stored, and the interruption leaves the rerun nothing to resume.
    gate = threading.Semaphore(options.threads)
    stops: list[threading.Event] = []
    process = local._process

    def gated(row: Any, options: BatchOptions, client: Any, known: Any, cpu: Any,
              stop: threading.Event, *rest: Any) -> Outcome:
        stops.append(stop)
        gate.acquire()
        return process(row, options, client, known, cpu, stop, *rest)

    def interrupt(outcome: Outcome) -> None:
        seen.append(outcome)
        gate.release()
        if len(seen) == stop_after:
            stops[0].set()  # what the sweep does on Ctrl-C, before the waiting threads go on
            gate.release(len(EXPECTED))
            raise KeyboardInterrupt

    with board():
        with Store(reference) as store:
            run_batch(options, client(), store)
        monkeypatch.setattr(local, "_process", gated)
        with Store(resumed) as store:
            first = run_batch(options, client(), store, on_outcome=interrupt)
        monkeypatch.undo()
        assert first.interrupted and stop_after <= first.done < len(EXPECTED)
        stored = len(verdicts(resumed))
        assert stored == first.done  # everything finished was stored
        with Store(resumed) as store:
            second = run_batch(options, client(), store)
    assert not second.interrupted
    assert second.counts.get("skipped") == stored
    assert snapshot(resumed) == snapshot(reference)


def test_rerun_skips_unchanged_posts_and_rechecks_edited_ones(tmp_path: Path) -> None:
    """Unchanged posts cost one request (the post) and no check; a changed one is checked."""
    db = tmp_path / "board.db"
    options = BatchOptions("NewsLab", pages=3)
    with board(), Store(db) as store:
        run_batch(options, client(), store)
    edited_url = sorted(EXPECTED)[3]
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE posts SET content_hash = 'stale' WHERE url = ?", (edited_url,))
    with board() as cassette, Store(db) as store:
        before = cassette.play_count
        result = run_batch(options, client(), store)
        requests = cassette.play_count - before
    assert result.counts == {"skipped": len(EXPECTED) - 1, EXPECTED[edited_url]: 1}
    # 3 index pages + every post page + the one rechecked post's source (+ the Wayback
    # Machine's answer when it is edited: was the outlet's article different back then?).
    assert requests == 3 + len(EXPECTED) + 1 + (EXPECTED[edited_url] == "edited")
    with board(), Store(db) as store:
        again = run_batch(BatchOptions("NewsLab", pages=3, recheck=True), client(), store)
    assert "skipped" not in again.counts and again.done == len(EXPECTED)


def test_cli_batch_exports_and_report(tmp_path: Path) -> None:
    """The CLI writes the store, JSON lines and CSV; `linker report` summarises the store."""
    db, jsonl, csv = tmp_path / "s.db", tmp_path / "s.jsonl", tmp_path / "s.csv"
    with board():
        out = run("batch", "NewsLab", "--pages", "3", "--db", str(db), "--rate", "0",
                  "--jobs", "0", "--jsonl", str(jsonl), "--csv", str(csv))
    assert "by outlet" in out.stdout and "by poster" in out.stdout
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(EXPECTED)
    assert {json.loads(line)["schema"] for line in lines} == {"linker.check/1"}
    assert len(csv.read_text(encoding="utf-8").splitlines()) == len(EXPECTED) + 1
    summary_csv = tmp_path / "by-day.csv"
    report = run("report", str(db), "--by", "day", "--csv", str(summary_csv))
    assert "2026-04-01" in report.stdout
    rows = summary_csv.read_text(encoding="utf-8").splitlines()[1:]
    assert sum(int(r.split(",")[1]) for r in rows) == len(EXPECTED)
    assert "no such store" in run("report", str(tmp_path / "none.db"), expect_exit=2).stderr
    assert "--by" in run("report", str(db), "--by", "week", expect_exit=2).stderr


def test_rate_limiter_spaces_requests_per_host() -> None:
    """Requests to one host are an interval apart; other hosts are not held up."""
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    limiter = RateLimiter(1.0, {"slow.example": 3.0}, clock=lambda: now[0], sleep=sleep)
    for url in ("https://a.example/1", "https://b.example/1", "https://a.example/2",
                "https://a.example/3", "https://slow.example/1", "https://slow.example/2"):
        limiter.wait(url)
    assert slept == [1.0, 1.0, 3.0]


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_the_progress_line_fits_80_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           language: str) -> None:
    """At 80 columns the progress line keeps every count whole on one row (it used to cut
    its end to ``0…``), in both languages."""
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    result = run("batch", "--posts", "examples/archive/posts.jsonl", "--sources",
                 "examples/archive/sources.warc.gz", "--db", str(tmp_path / "p.db"),
                 "--no-cache", "--jobs", "0", "--lang", language)
    line = next(x for x in result.stderr.splitlines() if "posts.jsonl" in x and "7/7" in x)
    assert cell_len(line.rstrip()) <= 80 and "…" not in line
    words = {"en": ("faithful 3", "edited 2", "n/a 2"),
             "zh-TW": ("忠實 3", "改動 2", "未查 2")}[language]
    assert all(w in line for w in words), line
