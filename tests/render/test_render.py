"""Golden files for the check views, and every finding visible in them.

Regenerate the golden files after an intended change of the views with::

    LINKER_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/render/test_render.py
"""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import pytest
from rich.console import Console

from linker.models import Report
from linker.net.fetch import Client, read_post_document
from linker.ptt.parse import parse_document
from linker.render import render_post, render_report

from ..support.cli import run
from ..support.views import CASES, XINGHE, Replay, compare_golden, report_for


def render(report: Report, width: int, colour: bool, *, side: bool = False,
           full: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=colour,
                      color_system="truecolor" if colour else None, legacy_windows=False,
                      no_color=not colour)
    render_report(report, console, full=full, side=side)
    return buffer.getvalue()


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("width", [60, 100, 160])
@pytest.mark.parametrize("colour", [True, False], ids=["colour", "plain"])
@pytest.mark.parametrize("side", [False, True], ids=["inline", "side"])
def test_golden_views(replay: Replay, client: Client, case: str, width: int, colour: bool,
                      side: bool) -> None:
    """The rendered views match their golden files at 60, 100 and 160 columns."""
    report = report_for(replay, client, case)
    text = render(report, width, colour, side=side)
    view = "side" if side else "inline"
    compare_golden(f"{case}-{view}-{width}-{'colour' if colour else 'plain'}.txt", text)
    # No rendered line is wider than the console (double-width characters counted).
    from rich.cells import cell_len

    plain_lines = re.sub(r"\x1b\[[0-9;]*m", "", text).split("\n")
    assert max(cell_len(line) for line in plain_lines) <= width


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("side", [False, True], ids=["inline", "side"])
def test_every_finding_is_visible(replay: Replay, client: Client, case: str,
                                  side: bool) -> None:
    """Each finding's text appears in the full plain view, with its kind's marker."""
    report = report_for(replay, client, case)
    rendered = render(report, 100, False, side=side, full=True)
    if side:
        # Read each column on its own: wrapped cells interleave line by line.
        rows = [line.split("│", 1) for line in rendered.splitlines() if "│" in line]
        rendered = "".join(r[0] for r in rows) + "".join(r[1] for r in rows)
    shown = _squash(rendered)
    markers = {"added": "[+", "omitted": "[-", "altered": "[~", "moved": "[^"}
    for f in report.findings:
        if f.kind in ("added", "moved"):
            assert _squash(markers[f.kind] + f.post_text) in shown, f
        elif f.kind == "omitted":
            assert _squash(f.source_text) in shown, f
            assert "[-" in shown
        else:
            assert _squash(f.source_text) in shown and _squash(f.post_text) in shown, f
    if not side:  # the inline view collapses long omissions to a counted marker
        short = _squash(render(report, 100, False))
        for f in report.findings:
            if f.kind == "omitted" and len(f.source_text) > 40:
                assert f"{len(f.source_text.strip())}字" in short


def test_collapsed_omission_marker(replay: Replay, client: Client) -> None:
    """By default a long cut paragraph collapses to a counted marker at the cut."""
    report = report_for(replay, client, "stock_sina_edited")
    text = render(report, 100, False)
    assert "⋯ 略去 1 段 · 80 字" in text
    # It sits between the paragraphs where the cut was made.
    before = text.index("部署自己的模型。")
    marker = text.index("⋯ 略去")
    after = text.index("市場方面")
    assert before < marker < after


def test_long_unchanged_stretches_fold(replay: Replay, client: Client) -> None:
    """A faithful post's quote folds to its first and last lines unless --full."""
    report = report_for(replay, client, "gossiping_reurl")
    short, full = render(report, 80, False), render(report, 80, False, full=True)
    assert "unchanged lines" in short and "unchanged lines" not in full
    assert len(short.splitlines()) < len(full.splitlines())


def test_html_and_svg_exports(replay: Replay, client: Client, tmp_path: Path) -> None:
    """--html and --svg write self-contained files of the same view."""
    html, svg = tmp_path / "view.html", tmp_path / "view.svg"
    with replay("stock_sina_edited"):
        run("check", XINGHE, "--html", str(html), "--svg", str(svg), "--no-pager",
            expect_exit=1)
    page = html.read_text(encoding="utf-8")
    shown = unescape(re.sub(r"<[^>]+>", "", page))
    assert page.lstrip().startswith("<!DOCTYPE html>") and "這根本是遙遙領先" in shown
    # Every finding is an anchor the list of findings (and other pages) can link to.
    report = report_for(replay, client, "stock_sina_edited")
    for n in range(len(report.findings)):
        assert page.count(f'id="finding-{n}"') == 1
    assert '<span class="w">遙</span>' in page  # wide characters boxed to two columns
    assert "<link" not in page and "<script" not in page  # nothing fetched when opened
    image = svg.read_text(encoding="utf-8")
    assert image.lstrip().startswith("<svg") and "62%" in image
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, no leftovers


def test_non_tty_output_uses_plain_markers(replay: Replay) -> None:
    """Piped output has no escape codes and uses markers that survive copy-paste."""
    with replay("stock_sina_edited"):
        out = run("check", XINGHE, "--width", "100", expect_exit=1)
    assert "\x1b[" not in out.stdout
    assert "[~42%→62%]" in out.stdout and "[+這根本是遙遙領先" in out.stdout


def test_parse_view_is_rendered(replay: Replay, client: Client) -> None:
    """The parse summary names every field at a narrow width without overflowing."""
    with replay("gossiping_reurl"):
        post = parse_document(read_post_document(CASES["gossiping_reurl"], client))
    buffer = io.StringIO()
    render_post(post, Console(file=buffer, width=60, color_system=None))
    text = buffer.getvalue()
    for label in ("媒體來源", "原文標題", "原文連結", "記者署名", "原文內容"):
        assert label in text
    from rich.cells import cell_len

    assert max(cell_len(line) for line in text.splitlines()) <= 60


@pytest.mark.parametrize("width", [80, 100, 120])
def test_batch_tables_never_break_an_id(width: int) -> None:
    """At 80 columns and more an id or host stays whole on its line, and every count and
    header stays readable."""
    from linker.models import SummaryRow
    from linker.render import render_summary_table

    rows = [SummaryRow("kaohsiung8", 12, 5, 6, 1, 0.91, "added"),
            SummaryRow("news.example-tv.com.tw", 3, 3, 0, 0, 1.0, None)]
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, no_color=True)
    render_summary_table(rows, "poster", console)
    text = buffer.getvalue()
    assert "kaohsiung8" in text and "news.example-tv.com.tw" in text
    header = next(line for line in text.splitlines() if "posts" in line).split()
    # Every column is named whole, in its full form or, where the terminal is narrow, its short one.
    assert header in (["poster", "posts", "faithful", "edited", "n/a", "edited%", "coverage",
                       "top", "finding"],
                      ["poster", "posts", "ok", "edited", "n/a", "ed%", "cov", "top"])
    assert "55%" in text and "91%" in text and "added" in text
    assert all(len(line) <= width for line in text.splitlines())


@pytest.mark.parametrize("language", ["en", "zh-TW"])
@pytest.mark.parametrize("width", [60, 80])
def test_batch_tables_at_narrow_widths_keep_headers_and_cells_whole(language: str,
                                                                    width: int) -> None:
    """The issue's 80-column table cut its last column to ``top `` / ``adde`` (``最`` / ``新``):
    every header and cell is now whole, in both languages, and nothing passes the width."""
    from rich.cells import cell_len

    from linker.i18n import translations
    from linker.models import SummaryRow
    from linker.render import render_summary_table

    tr = translations(language)
    rows = [SummaryRow("kaohsiung8", 12, 5, 6, 1, 0.91, "added"),
            SummaryRow("ptt-user-0042", 4, 1, 3, 0, 0.62, "altered"),
            SummaryRow("news.example-tv.com.tw", 3, 3, 0, 0, 1.0, None)]
    buffer = io.StringIO()
    render_summary_table(rows, "poster", Console(file=buffer, width=width, color_system=None,
                                                  no_color=True), tr)
    lines = buffer.getvalue().splitlines()
    assert all(cell_len(line) <= width for line in lines)
    header = next(line for line in lines if tr.gettext("posts") in line).split()
    short = [tr.pgettext("short", h) for h in ("posts", "ok", "edited", "n/a", "ed%", "cov",
                                                "top")]
    full = [tr.gettext(h) for h in ("posts", "faithful", "edited", "n/a", "edited%", "coverage",
                                    "top finding")]
    named = " ".join(header[1:])
    assert named in (" ".join(short), " ".join(full))
    body = "\n".join(lines)
    for kind in ("added", "altered"):
        assert tr.gettext(kind) in body.split()
    if width >= 80:
        assert "ptt-user-0042" in body and "news.example-tv.com.tw" in body
    else:  # narrower, the group's column alone gives way, and says so with …
        assert "ptt-user-0042" in body or "ptt-user-0…" in body


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("colour", [True, False], ids=["colour", "plain"])
@pytest.mark.parametrize("side", [False, True], ids=["inline", "side"])
def test_golden_views_in_traditional_chinese(replay: Replay, client: Client, case: str,
                                             colour: bool, side: bool) -> None:
    """The zh-TW views at 80 columns: the words change, the markers and the widths hold."""
    from rich.cells import cell_len

    from linker.i18n import translations

    report = report_for(replay, client, case)
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, force_terminal=colour,
                      color_system="truecolor" if colour else None, legacy_windows=False,
                      no_color=not colour)
    render_report(report, console, side=side, tr=translations("zh-TW"))
    text = buffer.getvalue()
    compare_golden(f"{case}-{'side' if side else 'inline'}-80-{'colour' if colour else 'plain'}"
                   "-zh-TW.txt", text)
    plain_lines = re.sub(r"\x1b\[[0-9;]*m", "", text).split("\n")
    assert max(cell_len(line) for line in plain_lines) <= 80
    verdict = {"faithful": "轉錄忠實", "edited": "有改動", "unverifiable": "無法查核"}
    assert verdict[report.verdict] in plain_lines[0]
    if report.findings and not colour:
        assert "[+新增] [-刪減] [~原文→轉錄] [^移動]" in text


def test_the_view_follows_lang_and_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("check", "examples/post.html", "--source", "examples/source.html", "--no-pager")
    assert run(*args, expect_exit=1).stdout.startswith("[EDITED]")
    assert run(*args, "--lang", "zh-TW", expect_exit=1).stdout.startswith("[有改動]")
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    assert run(*args, expect_exit=1).stdout.startswith("[有改動]")
    assert run(*args, "--lang", "en", expect_exit=1).stdout.startswith("[EDITED]")


def test_batch_tables_in_traditional_chinese() -> None:
    from rich.cells import cell_len

    from linker.i18n import translations
    from linker.models import SummaryRow
    from linker.render import render_summary_table

    rows = [SummaryRow("kaohsiung8", 12, 5, 6, 1, 0.91, "added")]
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, color_system=None, no_color=True)
    render_summary_table(rows, "poster", console, translations("zh-TW"))
    text = buffer.getvalue()
    for word in ("依發文者", "篇數", "改動比例", "覆蓋", "kaohsiung8", "新增", "55%"):
        assert word in text
    assert all(cell_len(line) <= 80 for line in text.splitlines())
