"""The result store: one batch at a time, foreign, corrupt and read-only files told in one line.

Servers are local (127.0.0.1) or cassettes; nothing else is ever contacted.
"""


from pathlib import Path

import pytest

from ..support.cli import run
from ..support.localserver import (
    one_line,
)


def test_a_second_batch_on_the_same_store_stops_at_once(tmp_path: Path) -> None:
    """While a batch holds the store, another batch on it says so and exits 2; reports can
    still read it; once the first is done the second runs, and nothing is doubled."""
    from linker.runs.store import Store

    from ..support.board import EXPECTED, board

    db = tmp_path / "board.db"
    with Store(db, writer=True):  # a batch in progress
        busy = run("batch", "NewsLab", "--pages", "3", "--db", str(db), "--rate", "0",
                   "--jobs", "0", expect_exit=2)
        one_line(busy, "is in use by another linker batch")
        run("report", str(db))  # readers are not locked out
    with board():
        run("batch", "NewsLab", "--pages", "3", "--db", str(db), "--rate", "0", "--jobs", "0", "--no-cache")
        run("batch", "NewsLab", "--pages", "3", "--db", str(db), "--rate", "0", "--jobs", "0", "--no-cache",
            "--recheck")
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM checks").fetchone()[0] == len(EXPECTED)
        total, distinct = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT post_url || kind || post_start || source_start) "
            "FROM findings").fetchone()
        assert total == distinct > 0  # the rerun replaced findings, it did not add to them


@pytest.mark.parametrize("command", ["report", "batch"])
def test_a_corrupt_store_is_one_line(tmp_path: Path, command: str) -> None:
    db = tmp_path / "board.db"
    db.write_bytes(b"this is not a database" * 100)
    args = ["report", str(db)] if command == "report" else [
        "batch", "NewsLab", "--db", str(db), "--rate", "0", "--no-cache"]
    one_line(run(*args, expect_exit=2), f"cannot use {db} as a result store",
             "not a database")


def test_a_read_only_store_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store that cannot be written (a read-only file or mount) stops the batch at its
    first post with one line.  Root ignores file modes, so the file is opened read-only the
    way SQLite does for such a file."""
    import sqlite3

    from linker.runs import store

    from ..support.board import board

    db = tmp_path / "board.db"
    with board():
        run("batch", "NewsLab", "--pages", "1", "--db", str(db), "--rate", "0", "--jobs", "0", "--no-cache")
    db.chmod(0o444)
    monkeypatch.setattr(store, "_connect", lambda path, mode="rwc": sqlite3.connect(
        f"file:{path}?mode=ro", uri=True, isolation_level=None))
    with board():
        result = run("batch", "NewsLab", "--pages", "3", "--db", str(db), "--rate", "0",
                     "--jobs", "0", expect_exit=2)
    # The progress display stays on stderr above the error, which is one line, the last.
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("linker: error [store]: cannot write to") and "readonly" in last
