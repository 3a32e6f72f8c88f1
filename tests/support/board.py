"""The NewsLab board cassette: a small board with its expected verdicts, replayed through
linker's own session factory."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import vcr

from linker.net.fetch import Client, HttpConfig, RateLimiter, make_session

from ..conftest import CASSETTES, REPLAY_DEADLINE

EXPECTED: dict[str, str] = json.loads(
    (CASSETTES / "board_newslab.expected.json").read_text(encoding="utf-8"))
BOARD = vcr.VCR(cassette_library_dir=str(CASSETTES), record_mode="none")


@contextmanager
def board() -> Iterator[Any]:
    # Several posts cite the same article, and reruns fetch the board again.
    with BOARD.use_cassette("board_newslab.yaml", allow_playback_repeats=True) as cassette:
        yield cassette


def client() -> Client:
    config = HttpConfig(backoff=0.0, deadline=REPLAY_DEADLINE)
    return Client(make_session(config), config, RateLimiter(0))


def verdicts(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT post_url, verdict FROM checks"))


def snapshot(db: Path) -> tuple[list[Any], list[Any]]:
    """The store's content without timestamps."""
    with sqlite3.connect(db) as conn:
        checks = conn.execute("SELECT post_url, verdict, reason, coverage, added FROM checks "
                              "ORDER BY post_url").fetchall()
        findings = conn.execute("SELECT post_url, kind, severity, post_start, post_end, "
                                "source_start, source_end FROM findings "
                                "ORDER BY post_url, post_start, kind").fetchall()
    return checks, findings
