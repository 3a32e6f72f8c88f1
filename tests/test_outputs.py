"""Output paths are a user's files: written whole, never clobbered, refused before any work
when they cannot be written (linker.files)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import ROOT
from .support.cli import run

POST = str(ROOT / "examples" / "faithful.html")
SOURCE = str(ROOT / "examples" / "source.html")
# A post whose link would need the network: a command that got as far as fetching would fail
# with another message than the output's.
ONLINE_POST = "https://www.ptt.cc/bbs/Stock/M.1700000000.A.000.html"


@pytest.mark.parametrize("option", ["--output", "--html", "--svg", "--record"])
def test_a_folder_is_refused_before_any_work(tmp_path: Path, option: str) -> None:
    result = run("check", ONLINE_POST, option, str(tmp_path), expect_exit=2)
    assert result.stderr.count("\n") == 1
    assert "is a folder" in result.stderr and option in result.stderr


def test_a_missing_folder_is_refused_before_any_work(tmp_path: Path) -> None:
    result = run("check", ONLINE_POST, "-o", str(tmp_path / "no" / "such" / "x.json"),
                 expect_exit=2)
    assert "does not exist" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("option", ["--csv", "--jsonl"])
def test_batch_outputs_are_checked_before_the_run(tmp_path: Path, option: str) -> None:
    result = run("batch", "Stock", "--db", str(tmp_path / "x.db"), option, str(tmp_path),
                 expect_exit=2)
    assert "is a folder" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    run("check", POST, "--source", SOURCE, "--json", "-o", str(link), expect_exit=0)
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("{")


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    run("check", POST, "--source", SOURCE, "--json", "-o", str(fifo), expect_exit=0)
    reader.join(timeout=60)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].startswith("{")


def test_dev_stdout_is_written_through() -> None:
    result = subprocess.run([sys.executable, "-m", "linker", "check", POST, "--source", SOURCE,
                             "--json", "-o", "/dev/stdout"], capture_output=True, text=True,
                            check=False, cwd=ROOT)
    assert result.returncode == 0
    assert result.stdout.startswith("{")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert Path("/dev/stdout").is_symlink()


def test_dev_stdout_appends_when_the_shell_asked_for_append(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text("earlier line\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as handle:
        result = subprocess.run([sys.executable, "-m", "linker", "check", POST, "--source",
                                 SOURCE, "--json", "-o", "/dev/stdout"], stdout=handle,
                                stderr=subprocess.PIPE, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("earlier line\n{")
    assert Path("/dev/stdout").is_symlink()


def test_permissions_follow_the_umask_and_an_existing_file_keeps_its_own(tmp_path: Path) -> None:
    new = tmp_path / "new.json"
    code = ("import os, sys; os.umask(0o027); from linker.cli import main; "
            f"sys.argv = ['linker', 'check', {POST!r}, '--source', {SOURCE!r}, '--json', "
            f"'-o', {str(new)!r}]; main()")
    subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True)
    assert stat.S_IMODE(os.stat(new).st_mode) == 0o640
    kept = tmp_path / "kept.json"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o604)
    run("check", POST, "--source", SOURCE, "--json", "-o", str(kept), expect_exit=0)
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o604
