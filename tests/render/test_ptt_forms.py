"""The verdict sized for PTT (--push, --bbs) in both languages, and the catalogs behind it."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from linker import i18n
from linker.net.fetch import Client
from linker.render.bbs import LINE_CELLS, PUSH_CELLS, bbs_reply, big5_safe, push_line

from ..support.cli import run
from ..support.views import CASES, compare_golden, report_for

Replay = Callable[[str], AbstractContextManager[Any]]


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_push_and_bbs_forms(replay: Replay, client: Client, case: str, lang: str) -> None:
    report = report_for(replay, client, case)
    tr = i18n.translations(lang)
    push, reply = push_line(report, tr), bbs_reply(report, tr)
    compare_golden(f"{case}-push-{lang}.txt", push + "\n")
    compare_golden(f"{case}-bbs-{lang}.txt", reply)
    assert "\n" not in push and cell_len(push) <= PUSH_CELLS
    assert all(cell_len(line) <= LINE_CELLS for line in reply.splitlines())
    push.encode("cp950")  # pastes into PTT as shown
    reply.encode("cp950")


def test_the_push_line_leads_with_the_verdict_and_counts(replay: Replay,
                                                         client: Client) -> None:
    report = report_for(replay, client, "stock_sina_edited")
    zh = push_line(report, i18n.translations("zh-TW"))
    serious = [f for f in report.findings if f.severity != "low"]
    assert zh.startswith(f"查核:改動{len(serious)}處(")
    assert f"覆蓋{round((report.coverage or 0) * 100)}%" in zh
    faithful = report_for(replay, client, "stock_sina_faithful")
    assert push_line(faithful, i18n.translations("zh-TW")).startswith("查核:轉錄忠實")


def test_big5_safe_replaces_what_big5_cannot_hold() -> None:
    assert big5_safe("台灣 认为 😀 ␛\x1b") == "台灣 ?? ? ??"
    assert big5_safe("查核：改動 3 處 → 覆蓋 86%") == "查核：改動 3 處 → 覆蓋 86%"


def test_cli_push_bbs_and_lang(tmp_path: Path) -> None:
    args = ("check", "examples/post.html", "--source", "examples/source.html")
    en = run(*args, "--push", "--lang", "en", expect_exit=1).stdout
    zh = run(*args, "--push", "--lang", "zh-TW", expect_exit=1).stdout
    assert en.startswith("check: edited") and zh.startswith("查核:改動")
    out = tmp_path / "reply.txt"
    run(*args, "--bbs", "--lang", "zh_tw", "--output", str(out), expect_exit=1)
    assert out.read_text(encoding="utf-8").startswith("※ linker 查核：有改動")
    bad = run(*args, "--push", "--lang", "fr", expect_exit=2)
    assert "--lang fr: unknown language" in bad.stderr


@pytest.mark.parametrize(("environ", "lang"), [
    ({"LANG": "zh_TW.UTF-8"}, "zh-TW"), ({"LC_ALL": "zh_TW.Big5", "LANG": "en_US.UTF-8"}, "zh-TW"),
    ({"LC_ALL": "C", "LANG": "zh_TW.UTF-8"}, "en"), ({"LANG": "ja_JP.UTF-8"}, "en"), ({}, "en"),
])
def test_the_locale_chooses_the_language(environ: dict[str, str], lang: str) -> None:
    assert i18n.choose(None, environ) == lang


def test_the_catalog_is_complete_and_current() -> None:
    """Every message in the code (views' ``_()`` and the library's ``Msg()``) is in the zh-TW
    catalog, translated (extracted with Babel as README says), and the catalog holds no stale
    ones."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.pofile import read_po

    package = Path(i18n.__file__).parent
    in_code = {message for _file, _line, message, _comments, _context in extract_from_dir(
        str(package), method_map=[("**.py", "python")],
        keywords={**DEFAULT_KEYWORDS, "Msg": None}) if isinstance(message, str)}
    assert in_code
    po = package / "locale" / "zh_TW" / "LC_MESSAGES" / "linker.po"
    catalog = read_po(io.BytesIO(po.read_bytes()))
    translated = {m.id: m.string for m in catalog if m.id}
    assert in_code <= set(translated), sorted(in_code - set(translated))
    assert all(translated[m] for m in in_code)
    assert set(translated) <= in_code, sorted(set(translated) - in_code)
