"""However `linker batch` ends, no worker process outlives it, and SIGTERM stores what finished
as Ctrl-C does (linker.runs.workers). Real processes and real signals; no wall-clock margins: every
wait is for an event, under a deadline far beyond what the event needs."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from linker.render.jsonout import post_to_dict

from ..support.archives import SOURCE, example_post, write_warc

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="finds worker processes through Linux's /proc")

ROOT = Path(__file__).resolve().parents[2]
POSTS = 6
DEADLINE = 120.0

# Runs `linker batch` with the CPU step of every post but the first two held until a file
# appears, so the test knows exactly what has finished when it sends its signal.
DRIVER = """
import os, sys, time
import linker.runs.local
from linker.check import analyse

release = sys.argv[1]

def held(post, doc):
    if not post.url.endswith(("A.000.html", "A.001.html")):
        while not os.path.exists(release):
            time.sleep(0.02)
    return analyse(post, doc)

linker.runs.local.analyse = held
from linker.cli import main
sys.argv = ["linker", *sys.argv[2:]]
main()
"""


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (field 2) is in parentheses and may hold spaces.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _until(condition: Callable[[], bool], what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"still waiting for {what} after {DEADLINE:g} s")
        time.sleep(0.05)


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return int(conn.execute("SELECT count(*) FROM checks").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.fixture()
def sweep(tmp_path: Path) -> tuple[list[str], Path, Path]:
    warc = tmp_path / "sources.warc.gz"
    write_warc(warc, [("https://finance.sina.com.cn/tech/2026-03-14/doc-fictional0001.shtml",
                       "2026-03-14T03:00:00Z", 200,
                       {"Content-Type": "text/html; charset=utf-8"}, SOURCE)])
    own = post_to_dict(example_post())
    dump = tmp_path / "posts.jsonl"
    dump.write_text("".join(
        json.dumps(dict(own, url=f"https://www.ptt.cc/bbs/Stock/M.17734539{n:02d}.A.{n:03d}.html"))
        + "\n" for n in range(POSTS)), encoding="utf-8")
    db = tmp_path / "out.db"
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    release = tmp_path / "release"
    command = [sys.executable, str(driver), str(release), "batch", "--posts", str(dump),
               "--sources", str(warc), "--db", str(db), "--jobs", "2", "--threads", "2",
               "--no-cache"]
    return command, db, release


def _start(command: list[str]) -> subprocess.Popen[str]:
    # A session of its own: the test can signal the command's whole process group, as a
    # shell's `timeout` does.
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def _kill_all(pids: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def _two_stored(command: list[str], db: Path) -> Iterator[tuple[subprocess.Popen[str], set[int]]]:
    """The sweep started, its first two posts stored, the rest held in their workers; the
    process and its workers are killed afterwards, whatever the test did."""
    workers: set[int] = set()
    with _start(command) as process:  # its pipes are closed on the way out
        try:
            _until(lambda: _stored(db) == 2, "the first two posts to be stored")
            workers = _children(process.pid)
            assert len(workers) >= 2  # the two CPU workers (and any resource tracker)
            yield process, workers
        finally:
            process.kill()
            _kill_all(workers)


@pytest.mark.parametrize("to_group", [False, True], ids=["kill-parent", "timeout-group"])
def test_sigterm_stores_what_finished_and_the_workers_end(
        sweep: tuple[list[str], Path, Path], to_group: bool) -> None:
    command, db, release = sweep
    with _two_stored(command, db) as (process, workers):
        if to_group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.send_signal(signal.SIGTERM)
        # The two posts in flight finish and are stored before the run ends.
        release.touch()
        out, err = process.communicate(timeout=DEADLINE)
    assert process.returncode == 130, err
    assert "interrupted after 4 of 6 posts" in err, (err, out)
    assert _stored(db) == 4
    _until(lambda: not any(_alive(pid) for pid in workers), "the workers to end")


def test_sigkill_of_the_parent_ends_its_workers(sweep: tuple[list[str], Path, Path]) -> None:
    command, db, _release = sweep
    with _two_stored(command, db) as (process, workers):
        process.kill()
        process.wait(timeout=DEADLINE)
        # Held forever in their CPU step, they end only because their parent did.
        _until(lambda: not any(_alive(pid) for pid in workers), "the workers to end")
    assert _stored(db) == 2  # the store is intact


def test_a_killed_worker_loses_its_posts_but_stores_no_verdict_for_them(
        sweep: tuple[list[str], Path, Path]) -> None:
    """A worker killed by the system (out of memory, kill -9) gives no verdict: its posts are
    named, not stored, and the run says to rerun; a rerun checks them."""
    command, db, release = sweep
    with _two_stored(command, db) as (process, workers):
        os.kill(min(workers), signal.SIGKILL)
        release.touch()
        _, err = process.communicate(timeout=DEADLINE)
    assert process.returncode == 2, err
    assert "4 posts could not be checked (their worker died)" in err
    assert err.count("linker: not checked: https://www.ptt.cc/") == 4
    assert _stored(db) == 2
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False,
                           timeout=DEADLINE)
    assert rerun.returncode == 0, rerun.stderr
    assert _stored(db) == POSTS


def test_a_stop_signal_waits_for_the_post_being_stored() -> None:
    from linker.runs.workers import interrupts_deferred, terminate_as_interrupt

    before = signal.getsignal(signal.SIGTERM)
    done: list[str] = []
    with terminate_as_interrupt():
        with pytest.raises(KeyboardInterrupt), interrupts_deferred():
            signal.raise_signal(signal.SIGTERM)
            done.append("stored and counted")
        assert done == ["stored and counted"]
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGTERM)
            done.append("after the signal")
        assert done == ["stored and counted"]
    assert signal.getsignal(signal.SIGTERM) is before
