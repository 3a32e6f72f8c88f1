"""How a ``linker`` process ends (linker.cli.main): without the interpreter's teardown, but
with every byte written, every exit handler run and the verdict's status; and, when its output
cannot be written, with one line and status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

POST = str(ROOT / "examples" / "post.html")
SOURCE = str(ROOT / "examples" / "source.html")

# A module-level object whose finaliser only the interpreter's teardown runs, an exit handler,
# and optionally a second thread; then linker's own entry point.
SCRIPT = """
import atexit, sys, threading, time
from pathlib import Path
out = Path(sys.argv[1])
class Torn:
    def __del__(self):
        (out / "torn-down").write_text("yes")
torn = Torn()
atexit.register(lambda: (out / "handler").write_text("ran"))
if sys.argv[2] == "thread":
    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
sys.argv = ["linker", *sys.argv[3:]]
from linker.cli import main
main()
"""


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, check=False,
                          cwd=ROOT)


def _run(tmp_path: Path, thread: str, *args: str) -> subprocess.CompletedProcess[str]:
    return _python("-c", SCRIPT, str(tmp_path), thread, *args)


def test_a_check_ends_without_teardown_but_with_its_output_and_handlers(tmp_path: Path) -> None:
    result = _run(tmp_path, "alone", "check", POST, "--source", SOURCE, "--json")
    assert result.returncode == 1, result.stderr  # edited
    assert json.loads(result.stdout)["verdict"] == "edited"  # the whole report, flushed
    assert (tmp_path / "handler").read_text() == "ran"
    assert not (tmp_path / "torn-down").exists()  # the teardown was skipped
    assert result.stderr == ""


def test_another_thread_keeps_the_usual_exit(tmp_path: Path) -> None:
    result = _run(tmp_path, "thread", "check", POST, "--source", SOURCE, "--json")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["verdict"] == "edited"
    assert (tmp_path / "handler").read_text() == "ran"
    assert (tmp_path / "torn-down").read_text() == "yes"


def test_errors_and_help_keep_their_status(tmp_path: Path) -> None:
    missing = _run(tmp_path, "alone", "check", str(tmp_path / "no-such-post.txt"))
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1 and "linker: error" in missing.stderr
    shown = _run(tmp_path, "alone", "--help")
    assert shown.returncode == 0 and "check" in shown.stdout
    assert (tmp_path / "handler").read_text() == "ran"


def test_a_process_started_without_standard_output_ends_as_before(tmp_path: Path) -> None:
    # ``linker check … >&-``: Python starts with sys.stdout None; the verdict's status stays.
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" "$@" >&-', sys.executable, "-c", SCRIPT, str(tmp_path), "alone",
         "check", POST, "--source", SOURCE, "--json"], stderr=subprocess.PIPE, text=True,
        check=False, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "handler").read_text() == "ran"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [
    ("check", POST, "--source", SOURCE, "--json"),
    ("check", POST, "--source", SOURCE),
    ("--help",),
])
def test_a_full_disk_on_standard_output_is_one_line_and_status_2(args: tuple[str, ...]) -> None:
    with Path("/dev/full").open("w") as full:
        result = subprocess.run([sys.executable, "-m", "linker", *args], stdout=full,
                                stderr=subprocess.PIPE, text=True, check=False, cwd=ROOT)
    assert result.returncode == 2, result.stderr
    assert result.stderr == ("linker: error [output]: cannot write the output: "
                             "No space left on device\n")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_the_output_failure_is_said_in_the_users_language() -> None:
    with Path("/dev/full").open("w") as full:
        result = subprocess.run([sys.executable, "-m", "linker", "check", POST, "--source",
                                 SOURCE, "--json", "--lang", "zh-TW"], stdout=full,
                                stderr=subprocess.PIPE, text=True, check=False, cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "無法寫入輸出" in result.stderr


# Records whether the cyclic garbage collector is on when the check and the batch sweep run.
GC_SCRIPT = """
import gc, sys
from pathlib import Path
out = Path(sys.argv[1])
import linker.check, linker.runs.local
def spy(real, name):
    def wrapped(*args, **kwargs):
        (out / name).write_text(str(gc.isenabled()))
        return real(*args, **kwargs)
    return wrapped
linker.check.check_post = spy(linker.check.check_post, "check")
linker.runs.local.run_batch = spy(linker.runs.local.run_batch, "batch")
sys.argv = ["linker", *sys.argv[2:]]
from linker.cli import main
main()
"""


def test_a_check_runs_without_the_cyclic_collector_and_a_batch_with_it(tmp_path: Path) -> None:
    # A one-off check gains ~15 ms without the collector's passes; a batch sweep lives long
    # enough for cycles to add up, so it runs with the collector on.
    check = _python("-c", GC_SCRIPT, str(tmp_path), "check", POST, "--source", SOURCE, "--json")
    assert check.returncode == 1, check.stderr
    assert (tmp_path / "check").read_text() == "False"
    posts = tmp_path / "posts"
    posts.mkdir()
    batch = _python("-c", GC_SCRIPT, str(tmp_path), "batch", "--posts", str(posts), "--db",
                    str(tmp_path / "b.db"), "--no-cache")
    assert (tmp_path / "batch").read_text() == "True", batch.stderr


def test_main_leaves_the_collector_on_for_a_caller_that_goes_on() -> None:
    # Someone embedding main() catches its SystemExit (another thread keeps the usual exit).
    script = ("import gc, sys, threading, time\n"
              "threading.Thread(target=time.sleep, args=(600,), daemon=True).start()\n"
              "sys.argv = ['linker', '--version']\n"
              "from linker.cli import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(gc.isenabled())\n")
    result = _python("-c", script)
    assert result.stdout.splitlines()[-1] == "True", result.stderr
