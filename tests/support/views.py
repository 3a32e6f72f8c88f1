"""The cassette cases the views are drawn from, and their golden files."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from linker.check import check_post
from linker.models import Report
from linker.net.fetch import Client, read_post_document
from linker.ptt.parse import parse_document

Replay = Callable[[str], AbstractContextManager[Any]]
GOLDEN = Path(__file__).resolve().parents[1] / "render" / "golden"
UPDATE = os.environ.get("LINKER_UPDATE_GOLDEN") == "1"
XINGHE = "https://www.ptt.cc/bbs/Stock/M.1773453912.A.1C3.html"
CASES = {
    "stock_sina_edited": XINGHE,
    "stock_sina_faithful": XINGHE,
    "stock_sina_reordered": XINGHE,
    "gossiping_reurl": "https://www.ptt.cc/bbs/Gossiping/M.1777719704.A.A07.html",
}


def report_for(replay: Replay, client: Client, case: str) -> Report:
    with replay(case):
        return check_post(parse_document(read_post_document(CASES[case], client)), client)


def compare_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with LINKER_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def check(replay: Replay, client: Client, cassette: str, url: str) -> Report:
    """The report of the post at ``url``, replayed from ``cassette``."""
    with replay(cassette):
        post = parse_document(read_post_document(url, client))
        return check_post(post, client)


def serious(report: Report) -> list[Any]:
    """The medium and high findings."""
    return [f for f in report.findings if f.severity != "low"]
