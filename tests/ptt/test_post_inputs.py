"""Posts linker is given — missing, deleted, empty, binary, huge — are read or refused in one line.

Servers are local (127.0.0.1) or cassettes; nothing else is ever contacted.
"""


from pathlib import Path

import pytest

from benchmarks.reposts import load_sources

from ..support.cli import run
from ..support.localserver import (
    Replay,
    one_line,
)


@pytest.mark.parametrize(("post", "message"), [
    ("http://[::1", "malformed URL"),
    ("https://www.ptt.cc:99999/bbs/Stock/M.1.A.000.html", "malformed URL"),
    ("gopher://www.ptt.cc/bbs/Stock/M.1.A.000.html", "unsupported URL scheme"),
    ("https://example.com/news/1", "not a PTT post URL"),
    ("https://www.ptt.cc/bbs/Stock/index.html", "board page"),
])
def test_bad_post_inputs(post: str, message: str) -> None:
    """Malformed, non-PTT and board URLs: exit 2 with one line."""
    one_line(run("check", post, "--no-cache", expect_exit=2), message)


def test_deleted_post(replay: Replay) -> None:
    """A deleted post reads as such."""
    with replay("post_404"):
        result = run("check", "https://www.ptt.cc/bbs/Stock/M.1925000001.A.404.html",
                     "--no-cache", expect_exit=2)
    one_line(result, "post not found or deleted")


@pytest.mark.parametrize(("text", "message"), [
    ("作者 a (b) 看板 Gossiping\n標題 [問卦] 有沒有八卦\n時間 Sat May  2 19:01:44 2026\n"
     "如題，有沒有相關的八卦？\n", "not a news post"),
    ("作者 a (b) 看板 Stock\n標題 [新聞] 沒有連結\n時間 Sat May  2 19:01:44 2026\n"
     "原文標題：沒有連結\n原文內容：\n只有內文，沒有連結。\n", "cites no article link"),
    ("作者 a (b) 看板 Stock\n標題 [新聞] 圖片\n時間 Sat May  2 19:01:44 2026\n"
     "原文連結：https://i.imgur.com/abc.jpg\n原文內容：\n內文。\n", "cites no article link"),
])
def test_posts_that_cannot_be_checked(tmp_path: Path, text: str, message: str) -> None:
    """A non-news post, a post with no link, a post linking only an image."""
    path = tmp_path / "post.txt"
    path.write_text(text, encoding="utf-8")
    one_line(run("check", str(path), "--no-cache", expect_exit=2), message)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (bytes(range(256)) * 200, "binary"),
    (b"\x00\x01\x02garbage\xff\xfe" * 1000, "binary"),
])
def test_unreadable_post_files(tmp_path: Path, content: bytes, message: str) -> None:
    """An empty file and binary garbage are refused cleanly."""
    path = tmp_path / "post.bin"
    path.write_bytes(content)
    one_line(run("check", str(path), "--no-cache", expect_exit=2), message)


def test_a_two_megabyte_post(tmp_path: Path) -> None:
    """A 2 MB post parses and checks against a 2 MB source, without trouble."""
    paragraphs = [p for _name, text in load_sources() for p in text.split("\n")]
    body = "\n".join(paragraphs[i % len(paragraphs)] + f"（第{i}段）" for i in range(9600))
    assert len(body.encode("utf-8")) > 2_000_000
    source = tmp_path / "source.html"
    source.write_text("<html><body><article>" + "".join(
        f"<p>{p}</p>" for p in body.split("\n")) + "</article></body></html>", encoding="utf-8")
    post = tmp_path / "post.txt"
    post.write_text(f"原文標題：長文\n原文連結：https://example.com/long\n原文內容：\n{body}\n"
                    "心得/評論：\n很長", encoding="utf-8")
    result = run("check", str(post), "--source", str(source), "--no-cache", "--json",
                 expect_exit=0)
    assert '"verdict": "faithful"' in result.stdout
