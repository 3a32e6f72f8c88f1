"""Limits: many links, many pushes, posts and quotes too large to check, each told in one line.

Servers are local (127.0.0.1) or cassettes; nothing else is ever contacted.
"""


import json
from pathlib import Path

from .support.cli import run
from .support.localserver import (
    ARTICLE,
    TITLE,
    article_html,
    one_line,
)


def limit_post(tmp_path: Path, *, urls: int = 1, quote: str = ARTICLE, pushes: int = 0) -> Path:
    links = "\n".join(f"https://news.example-tv.com.tw/a/{i}" for i in range(urls))
    lines = [f"推 user{i % 700}: 第{i}則推文 說得好 " + f"05/02 19:{i % 60:02d}"
             for i in range(pushes)]
    path = tmp_path / "post.txt"
    path.write_text("\n".join([
        "作者 tester (測試) 看板 Stock", f"標題 [新聞] {TITLE}", "時間 Sat May  2 19:01:44 2026",
        f"原文標題：{TITLE}", "原文連結：", links, "記者署名：林書妤", "原文內容：", quote,
        "心得/評論：", "測試", "--", "※ 發信站: 批踢踢實業坊(ptt.cc), 來自: 1.2.3.4 (臺灣)",
        "※ 文章網址: https://www.ptt.cc/bbs/Stock/M.1777777777.A.123.html", *lines]),
        encoding="utf-8")
    return path


def test_fifty_links_in_one_post(tmp_path: Path) -> None:
    post = limit_post(tmp_path, urls=50)
    source = tmp_path / "source.html"
    source.write_text(article_html(), encoding="utf-8")
    result = run("check", str(post), "--source", str(source), "--no-cache", "--json")
    data = json.loads(result.stdout)
    assert len(data["post"]["fields"]["source_urls"]) == 50 and data["verdict"] == "faithful"


def test_a_hundred_thousand_pushes(tmp_path: Path) -> None:
    post = limit_post(tmp_path, pushes=100_000)
    parsed = json.loads(run("parse", str(post), "--json").stdout)
    assert len(parsed["pushes"]) == 100_000
    source = tmp_path / "source.html"
    source.write_text(article_html(), encoding="utf-8")
    result = run("check", str(post), "--source", str(source), "--no-cache", "--json")
    assert json.loads(result.stdout)["verdict"] == "faithful"


def test_a_twenty_megabyte_post_is_refused_in_one_line(tmp_path: Path) -> None:
    post = limit_post(tmp_path, quote=(ARTICLE + "\n") * 30_000)
    assert post.stat().st_size > 20 * 2**20
    one_line(run("check", str(post), "--no-cache", expect_exit=2),
             "the post file is", "linker reads posts up to 16 MB")
    one_line(run("check", "-", "--no-cache", expect_exit=2, stdin=post.read_text("utf-8")),
             "larger than 16 MB")


def test_a_quote_past_the_comparison_limit_is_unverifiable(tmp_path: Path) -> None:
    post = limit_post(tmp_path, quote=(ARTICLE + "\n") * 2200)
    unused = tmp_path / "unused.html"  # never compared: the limit comes first
    unused.write_text(article_html(), encoding="utf-8")
    result = run("check", str(post), "--source", str(unused), "--no-cache", expect_exit=2)
    one_line(result, "characters; linker compares quotes up to 1,000,000")
