"""The result store is recognised before anything is written to it, and readers open it
read-only, even on read-only media (linker.runs.store)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from linker.render.jsonout import post_to_dict
from linker.runs.store import APPLICATION_ID, SCHEMA, SCHEMA_VERSION, Store

from ..support.archives import SOURCE, example_post, write_warc
from ..support.cli import run

pytest.importorskip("warcio")


def _batch(tmp_path: Path, db: Path, expect_exit: int = 0) -> str:
    warc = tmp_path / "sources.warc.gz"
    if not warc.exists():
        write_warc(warc, [("https://finance.sina.com.cn/tech/2026-03-14/doc-fictional0001.shtml",
                           "2026-03-14T03:00:00Z", 200,
                           {"Content-Type": "text/html; charset=utf-8"}, SOURCE)])
        (tmp_path / "posts.jsonl").write_text(json.dumps(post_to_dict(example_post())) + "\n",
                                              encoding="utf-8")
    return run("batch", "--posts", str(tmp_path / "posts.jsonl"), "--sources", str(warc),
               "--db", str(db), "--jobs", "0", "--no-cache", expect_exit=expect_exit).stderr


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def foreign(tmp_path: Path) -> Path:
    """Another program's database: an accounts table of its own."""
    path = tmp_path / "accounts.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)")
        conn.execute("INSERT INTO accounts (owner) VALUES ('someone')")
    conn.close()
    return path


def test_a_store_is_marked_as_linker_s(tmp_path: Path) -> None:
    db = tmp_path / "board.db"
    _batch(tmp_path, db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_another_program_s_database_is_refused_untouched(tmp_path: Path, foreign: Path) -> None:
    before = _digest(foreign)
    for stderr in (_batch(tmp_path, foreign, expect_exit=2),
                   run("report", str(foreign), expect_exit=2).stderr):
        line = stderr.strip().splitlines()[-1]
        assert "another program's database" in line and "accounts" in line, stderr
        assert "Traceback" not in stderr
    assert _digest(foreign) == before
    assert sorted(p.name for p in foreign.parent.iterdir() if p.name.startswith(foreign.name)) \
        == [foreign.name, f"{foreign.name}.lock"]  # no -wal or -shm was made
    with sqlite3.connect(foreign) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_file_that_is_no_database_is_refused_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("my notes, not a database\n" * 100, encoding="utf-8")
    stderr = _batch(tmp_path, notes, expect_exit=2)
    assert "not a database" in stderr.strip().splitlines()[-1]
    assert notes.read_text(encoding="utf-8") == "my notes, not a database\n" * 100


def test_a_store_from_before_the_mark_is_adopted(tmp_path: Path) -> None:
    """A store written by an earlier linker (its tables, no mark, no views table) is used and
    brought up to date; a batch adds to it."""
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(SCHEMA)
        conn.execute("DROP TABLE views")
    conn.close()
    _batch(tmp_path, db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("SELECT count(*) FROM views").fetchone()[0] == 1
    conn.close()


def test_a_newer_linker_s_store_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "board.db"
    _batch(tmp_path, db)
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    line = run("report", str(db), expect_exit=2).stderr.strip().splitlines()[-1]
    assert "newer linker" in line


def test_readers_never_write(tmp_path: Path) -> None:
    """`report` opens the store read-only: a store is as it was after it."""
    db = tmp_path / "board.db"
    _batch(tmp_path, db)
    before = _digest(db)
    run("report", str(db))
    assert _digest(db) == before
    with Store(db, read_only=True) as store, pytest.raises(Exception, match="readonly"):
        store.conn.execute("DELETE FROM checks")


@pytest.fixture()
def read_only_media(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write, as a CD or a read-only mount is: for a normal user, modes;
    for root (whom modes do not stop), a read-only tmpfs."""
    folder = tmp_path / "media"
    folder.mkdir()
    if os.geteuid() != 0:
        yield folder
        folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("needs a read-only folder: run as a normal user, or as root with the "
                    "right to mount")
    try:
        yield folder
    finally:
        # Lazily: a server thread may still hold the store open.
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def _make_read_only(folder: Path) -> None:
    if os.geteuid() != 0:
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
    else:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def test_a_store_on_read_only_media_can_be_reported_and_browsed(
        tmp_path: Path, read_only_media: Path) -> None:
    db = tmp_path / "board.db"
    _batch(tmp_path, db)
    expected = run("report", str(db)).stdout
    copy = read_only_media / "board.db"
    shutil.copy(db, copy)
    _make_read_only(read_only_media)
    with pytest.raises(OSError):
        (read_only_media / "probe").write_text("x", encoding="utf-8")
    assert run("report", str(copy)).stdout == expected
    with Store(copy, read_only=True) as store:
        assert store.immutable  # WAL mode, no -shm and none can be made
    pytest.importorskip("datasette", reason="the browse extra (Datasette) is not installed")
    import asyncio

    from linker.browse import datasette

    async def fetch() -> object:
        return await datasette(copy, immutable=True).client.get(
            "/board/results.json?_shape=array")

    page: object = asyncio.run(fetch())
    assert page.status_code == 200 and len(page.json()) == 1  # type: ignore[attr-defined]
