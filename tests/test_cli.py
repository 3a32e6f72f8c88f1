"""The command line: exit codes, one-line errors, JSON shape, help for every command."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from linker.cli import app

from .support.cli import run

ROOT = Path(__file__).resolve().parent.parent
Replay = Callable[[str], AbstractContextManager[Any]]


def test_parse_json_has_the_documented_keys(replay: Replay) -> None:
    """``linker parse --json`` prints the post object that ``check --json`` embeds."""
    with replay("stock_sina_faithful"):
        out = run("parse", "https://www.ptt.cc/bbs/Stock/M.1773453912.A.1C3.html", "--json")
    data = json.loads(out.stdout)
    for key in ("url", "board", "author", "title", "time", "template", "fields", "pushes",
                "edits", "author_replies", "signature", "footer"):
        assert key in data
    for key in ("original_title", "source_url", "source_urls", "published", "reporter",
                "quote", "commentary"):
        assert key in data["fields"]
    assert data["time"] == "2026-03-14T10:05:12+08:00"
    assert data["pushes"][0] == {"tag": "推", "user": "sky4test", "content": "先推再說",
                                 "ip": None, "time": "2026-03-14T10:07:00+08:00"}
    start, end = data["fields"]["quote_span"]
    assert data["body"][start:end] == data["fields"]["quote"]


def test_parse_reads_standard_input() -> None:
    """``-`` reads the post from standard input."""
    out = run("parse", "-", "--json", stdin="原文標題：甲\n原文連結：https://example.com/x\n"
                                            "原文內容：\n內文。\n")
    assert json.loads(out.stdout)["fields"]["quote"] == "內文。"


def test_parse_summary_shows_the_fields(replay: Replay) -> None:
    """The default view names the fields a reader looks for."""
    with replay("gossiping_reurl"):
        out = run("parse", "https://www.ptt.cc/bbs/Gossiping/M.1777719704.A.A07.html")
    for text in ("林書妤", "https://reurl.cc/Fict01", "gossiping-2020", "虛構電視"):
        assert text in out.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["parse", "/no/such/file.txt"], "no such file"),
    (["parse", "https://www.ptt.cc/bbs/Stock/index.html"], "board page"),
    (["parse", "https://example.com/"], "not a PTT post URL"),
    (["parse", "javascript:alert(1)"], "no such file"),
    (["parse", "file:///etc/passwd"], "unsupported URL scheme"),
])
def test_bad_input_is_one_line_exit_2(args: list[str], message: str) -> None:
    """Bad input: exit 2, one line on stderr, no traceback."""
    out = run(*args, expect_exit=2)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert lines[0].startswith("linker: error")
    assert "Traceback" not in out.stderr


def test_empty_file_and_binary_file(tmp_path: Path) -> None:
    """An empty file and binary garbage are refused with exit 2."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "garbage.bin"
    binary.write_bytes(bytes(range(256)) * 50)
    assert "empty" in run("parse", str(empty), expect_exit=2).stderr
    assert "binary" in run("parse", str(binary), expect_exit=2).stderr


def test_traceback_flag_reraises() -> None:
    """``--traceback`` shows the real exception instead of the one-line message."""
    from linker.errors import InputError

    with pytest.raises(InputError):
        run("parse", "/no/such/file", "--traceback", expect_exit=1)


def test_deleted_post_exit_2(replay: Replay) -> None:
    """A 404 post reads as deleted."""
    with replay("post_404"):
        out = run("parse", "https://www.ptt.cc/bbs/Stock/M.1925000001.A.404.html",
                  expect_exit=2)
    assert "post not found or deleted" in out.stderr


def test_every_command_has_help_and_is_in_the_readme() -> None:
    """Docs drift test: each registered command documents itself and appears in README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    import typer.main

    group = typer.main.get_group(app)
    assert group.commands
    for name, command in group.commands.items():
        assert command.help, name
        assert re.search(rf"linker {name}\b", readme), f"`linker {name}` missing from README"
        run(name, "--help")


# --- what a new user types ------------------------------------------------------------------

FAITHFUL = str(ROOT / "examples" / "faithful.html")
SOURCE_PAGE = str(ROOT / "examples" / "source.html")


def test_a_post_address_without_its_scheme_is_fetched(replay: Replay) -> None:
    """`www.ptt.cc/bbs/…` as copied from the address bar: fetched as https."""
    with replay("stock_sina_faithful"):
        out = run("parse", "www.ptt.cc/bbs/Stock/M.1773453912.A.1C3.html", "--json")
    assert json.loads(out.stdout)["url"] == "https://www.ptt.cc/bbs/Stock/M.1773453912.A.1C3.html"


def test_a_file_name_is_not_taken_for_an_address() -> None:
    out = run("check", "missing-post.html", expect_exit=2)
    assert out.stderr.strip() == "linker: error [input]: no such file: missing-post.html"


def test_a_folder_as_source_is_one_line_before_any_work(tmp_path: Path) -> None:
    # The post is a ptt.cc address no cassette holds: it is never fetched.
    out = run("check", "https://www.ptt.cc/bbs/Stock/M.1773453912.A.1C3.html", "--source",
              str(tmp_path), "--no-cache", expect_exit=2)
    assert out.stderr.strip() == (f"linker: error [input]: --source {tmp_path} is a folder: "
                                  "give a saved page or a link")


@pytest.mark.parametrize("args", [["check", FAITHFUL, "--lang", "xx"],
                                  ["--lang", "xx", "check", FAITHFUL],
                                  ["report", "x.db", "--lang", "xx"]])
def test_an_unknown_language_is_one_line(args: list[str]) -> None:
    out = run(*args, expect_exit=2)
    assert out.stderr.strip() == ("linker: error [input]: --lang xx: unknown language "
                                  "(choose en or zh-TW)")


def test_lang_is_taken_before_the_command_too() -> None:
    after = run("check", FAITHFUL, "--source", SOURCE_PAGE, "--push", "--lang", "zh-TW").stdout
    before = run("--lang", "zh-TW", "check", FAITHFUL, "--source", SOURCE_PAGE, "--push").stdout
    assert before == after
    assert before != run("check", FAITHFUL, "--source", SOURCE_PAGE, "--push", "--lang",
                         "en").stdout
