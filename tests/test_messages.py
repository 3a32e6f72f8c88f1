"""Library text in the user's language: messages keep their template through every layer,
views translate them, and the machine outputs stay English."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from linker import i18n
from linker.errors import InputError
from linker.messages import Msg, joined, say
from linker.models import CheckItem
from linker.sanitize import visible_fields

from .support.cli import run

ROOT = Path(__file__).resolve().parent.parent
ZH = i18n.translations("zh-TW")
EN = i18n.translations("en")


def test_a_message_is_its_english_text() -> None:
    m = Msg("number changed: {source} → {post}", source="42%", post="62%")
    assert m == "number changed: 42% → 62%"
    assert json.dumps(m) == json.dumps(str(m))
    assert say(m, EN) == m
    assert say(m, ZH) == "數字改動：42% → 62%"
    assert say("plain text stays", ZH) == "plain text stays"


def test_messages_nest_and_join() -> None:
    subject = Msg("the source ({host})", host="news.example.tw")
    m = joined("; ", [Msg("{subject} stopped answering", subject=subject),
                      Msg("posted {days} days after publication", days=5)])
    assert m == "the source (news.example.tw) stopped answering; posted 5 days after publication"
    # The separator is said in the language too: "；" in a Chinese sentence, not an ASCII ";".
    assert say(m, ZH) == "原文網站（news.example.tw）中途停止回應；在新聞發布 5 天後才轉錄"
    listed = joined(", ", [Msg("{host}", host="a.example"), Msg("{host}", host="b.example")])
    assert say(listed, ZH) == "a.example、b.example" and say(listed, EN) == "a.example, b.example"
    # A template that merely contains the separator is not a list.
    assert say(Msg("{a}; {b}", a="x", b="y"), ZH) == "x; y"


def test_messages_survive_pickling_and_sanitising() -> None:
    """Reports cross process boundaries and pass through visible_fields before every view."""
    item = CheckItem("reporter", "mismatch", Msg("the source byline is {byline}",
                                                 byline="王\x1b[2J大明"))
    back = pickle.loads(pickle.dumps(item))
    assert isinstance(back.detail, Msg) and back.detail == item.detail
    safe = visible_fields(item)
    assert isinstance(safe.detail, Msg)
    assert "\x1b" not in say(safe.detail, ZH) and say(safe.detail, ZH) == "原文署名是 王␛[2J大明"


def test_errors_keep_their_message_for_translation() -> None:
    exc = InputError(Msg("no such file: {path}", path="nope.html"), input="nope.html")
    assert str(exc) == "no such file: nope.html"
    exc = InputError(Msg("standard input is empty"), input="-")
    assert str(exc) == "standard input is empty (-)"
    assert say(exc.text(), ZH) == "標準輸入是空的（-）"


def test_error_lines_follow_lang_and_locale() -> None:
    en = run("check", "no-such-post.html", "--lang", "en", expect_exit=2)
    assert en.stderr.strip() == "linker: error [input]: no such file: no-such-post.html"
    zh = run("check", "no-such-post.html", "--lang", "zh-TW", expect_exit=2)
    assert zh.stderr.strip() == "linker：錯誤［輸入］：找不到檔案：no-such-post.html"
    os.environ["LANG"] = "zh_TW.UTF-8"  # the autouse fixture restores it
    assert "找不到檔案" in run("parse", "no-such-post.html", expect_exit=2).stderr


def test_check_view_details_and_notes_are_translated() -> None:
    args = ("check", "examples/post.html", "--source", "examples/source.html", "--no-pager")
    zh = run(*args, "--lang", "zh-TW", expect_exit=1).stdout
    assert "與署名相符（李明远）" in zh and "數字改動：42% → 62%" in zh
    assert "原文沒有的文字 「這根本是遙遙領先" in zh
    en = run(*args, "--lang", "en", expect_exit=1).stdout
    assert "matches the byline (李明远)" in en and "number changed: 42% → 62%" in en


def test_json_is_the_same_in_every_language() -> None:
    args = ("check", "examples/post.html", "--source", "examples/source.html", "--json")
    en = json.loads(run(*args, "--lang", "en", expect_exit=1).stdout)
    zh = json.loads(run(*args, "--lang", "zh-TW", expect_exit=1).stdout)
    assert en == zh
    notes = [f["note"] for f in en["findings"]]
    assert "number changed: 42% → 62%" in notes


def test_help_speaks_the_locale() -> None:
    """--help is built at import, so it is checked in a fresh process."""
    env = {**os.environ, "LANG": "zh_TW.UTF-8", "PYTHONIOENCODING": "utf-8"}
    out = subprocess.run([sys.executable, "-m", "linker", "check", "--help"], env=env,
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "查核文章轉錄的新聞與原文是否相符" in out and "以 JSON 輸出結果" in out
    out = subprocess.run([sys.executable, "-m", "linker", "check", "--help", "--lang", "en"],
                         env=env, capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "Check a post's quoted article against its source." in out
