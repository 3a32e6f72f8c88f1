"""Hostile text in posts and pages: no control sequence, terminal escape or rich markup reaches
a view, an export or an error line; the JSON keeps the exact text, escaped.

Servers are local (127.0.0.1) or cassettes; nothing else is ever contacted.
"""


import io
import json
from pathlib import Path

import pytest

from ..support.cli import run
from ..support.localserver import (
    ARTICLE,
    TITLE,
    article_html,
    one_line,
)

# Clear the screen, set the window title, write the clipboard, plant a link, a C1 CSI, a
# right-to-left override and a bell: what a hostile poster or page may slip into its text.
INJECTED = ("\x1b[2J", "\x1b]0;pwned\x07", "\x1b]52;c;ZWNobyBoaQ==\x07",
            "\x1b]8;;https://evil.example/\x1b\\", "\x9b31m", "\u202e", "\x07")


HOSTILE = "".join(INJECTED)


RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def hostile_case(tmp_path: Path) -> tuple[Path, Path]:
    """A post whose title, quote and commentary carry the sequences (and rich markup), and a
    source page whose headline does."""
    lines = ARTICLE.split("\n")
    quote = "\n".join([lines[0], f"小編加註{HOSTILE}這段是我寫的。", *lines[1:]])
    post = tmp_path / "post.txt"
    post.write_text(f"作者 tester (測試) 看板 Stock\n標題 [新聞] {TITLE}{HOSTILE}\n"
                    f"時間 Sat May  2 19:01:44 2026\n原文標題：{TITLE}[link=https://evil.example/]"
                    f"點我[/link]{HOSTILE}\n原文連結：\nhttps://news.example-tv.com.tw/x\n"
                    f"記者署名：林書妤\n原文內容：\n{quote}\n心得/評論：\n{HOSTILE}[blink]測試[/blink]",
                    encoding="utf-8")
    source = tmp_path / "source.html"
    source.write_text(article_html().replace(f"<title>{TITLE}", f"<title>{TITLE}{HOSTILE}"),
                      encoding="utf-8")
    return post, source


def assert_inert(output: str, *, coloured: bool = False) -> None:
    """None of the injected sequences survives; without colour not one control byte does."""
    for sequence in (*INJECTED, "\u202e"):
        assert sequence not in output, repr(sequence)
    if not coloured:
        for raw in RAW:
            assert raw not in output, repr(raw)


@pytest.mark.parametrize("view", [(), ("--side-by-side",), ("--full",)])
def test_no_control_sequence_reaches_the_plain_views(tmp_path: Path,
                                                      view: tuple[str, ...]) -> None:
    post, source = hostile_case(tmp_path)
    result = run("check", str(post), "--source", str(source), "--no-cache", "--no-pager",
                 "--width", "100", *view, expect_exit=1)
    assert_inert(result.stdout + result.stderr)
    # PTT's colour codes (CSI) are taken out by the parser; the rest is made visible.
    assert "␛]0;pwned␇" in result.stdout
    # rich markup printed as written, not obeyed (a line may break before its bracket)
    assert "link=https://evil.example/]點我" in result.stdout and "[/link]" in result.stdout


def test_no_control_sequence_reaches_the_coloured_view_or_the_exports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    post, source = hostile_case(tmp_path)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    html, svg = tmp_path / "view.html", tmp_path / "view.svg"
    result = run("check", str(post), "--source", str(source), "--no-cache", "--no-pager",
                 "--html", str(html), "--svg", str(svg), expect_exit=1)
    assert "\x1b[" in result.stdout  # the view is coloured: its own escapes are there
    assert_inert(result.stdout + result.stderr, coloured=True)
    for export in (html, svg):
        text = export.read_text(encoding="utf-8")
        assert_inert(text)
        assert "evil.example/]" in text and 'href="https://evil.example' not in text
    parsed = run("parse", str(post), "--no-pager")
    assert_inert(parsed.stdout, coloured=True)
    assert "[blink]" in parsed.stdout


def test_json_keeps_the_exact_text_escaped(tmp_path: Path) -> None:
    post, source = hostile_case(tmp_path)
    result = run("check", str(post), "--source", str(source), "--no-cache", "--json",
                 expect_exit=1)
    assert_inert(result.stdout)
    data = json.loads(result.stdout)
    kept = "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07"  # the parser drops only CSI colour codes
    assert kept in data["post"]["fields"]["quote"] and "\u202e" in data["post"]["fields"]["quote"]
    assert any(kept in f["post_text"] for f in data["findings"] if f["kind"] == "added")


def test_error_lines_and_batch_tables_are_inert(tmp_path: Path) -> None:
    post, _source = hostile_case(tmp_path)
    result = run("check", str(post), "--source", f"ftp://example.com/{HOSTILE}", "--no-cache",
                 expect_exit=2)
    one_line(result, "unsupported link scheme")
    assert_inert(result.stderr)
    from rich.console import Console

    from linker.models import SummaryRow
    from linker.render import render_summary_table

    console = Console(file=io.StringIO(), force_terminal=True, width=100)
    render_summary_table([SummaryRow(f"evil{HOSTILE}.example", 3, 1, 1, 1, 0.5, "added")],
                         "outlet", console)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert_inert(out, coloured=True)
    assert "evil␛" in out
