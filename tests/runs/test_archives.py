"""Posts from crawl dumps and cited pages from WARC files (linker.ptt.dump, linker.runs.warc)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from linker.check import analyse
from linker.ptt.dump import Unreadable, read_posts
from linker.render.jsonout import post_to_dict
from linker.runs.warc import WarcIndex, url_key

warcio = pytest.importorskip("warcio")


from ..support.archives import (  # noqa: E402
    HOSTILE_LINES,
    SOURCE,
    example_post,
    three_pages,
    write_warc,
)

TAIPEI = timezone(timedelta(hours=8))
ROOT = Path(__file__).resolve().parents[2]
@pytest.fixture()
def warc(tmp_path: Path) -> Path:
    path = tmp_path / "sources.warc.gz"
    html = {"Content-Type": "text/html; charset=utf-8"}
    write_warc(path, [
        ("https://news.example.tw/a/1", "2026-03-01T00:00:00Z", 200, html, b"<p>early</p>"),
        ("https://news.example.tw/a/1", "2026-03-20T00:00:00Z", 200, html, b"<p>late</p>"),
        ("http://short.example/x", "2026-03-10T00:00:00Z", 301,
         {"Location": "https://www.news.example.tw/a/1/?utm_source=ptt"}, b""),
        ("https://news.example.tw/gone", "2026-03-10T00:00:00Z", 404, html, b"not found"),
        ("https://big5.example.tw/b", "2026-03-10T00:00:00Z", 200,
         {"Content-Type": "text/html; charset=big5"}, "<p>臺灣</p>".encode("big5")),
        ("https://finance.sina.com.cn/tech/2026-03-14/doc-fictional0001.shtml",
         "2026-03-14T03:00:00Z", 200, html, SOURCE),
    ])
    return path


def test_url_keys_fold_what_does_not_name_another_page() -> None:
    base = url_key("https://news.example.tw/a/1")
    for same in ("http://news.example.tw/a/1", "https://www.news.example.tw/a/1/",
                 "https://NEWS.example.tw/a/1?utm_source=ptt&fbclid=x", "https://news.example.tw/a/1#top"):
        assert url_key(same) == base, same
    assert url_key("https://news.example.tw/a/1?id=2") != base
    assert url_key("https://news.example.tw/a/2") != base


def test_nearest_capture_to_the_post_wins(warc: Path) -> None:
    index = WarcIndex.build([warc])
    assert len(index) == 6
    early = index.serve("https://news.example.tw/a/1", datetime(2026, 3, 5, tzinfo=TAIPEI))
    late = index.serve("https://news.example.tw/a/1", datetime(2026, 3, 15, tzinfo=TAIPEI))
    assert early is not None and late is not None
    assert index.document(early, "x").content == b"<p>early</p>"
    assert index.document(late, "x").content == b"<p>late</p>"
    assert index.serve("https://news.example.tw/a/1", None).capture.when == datetime(  # type: ignore[union-attr]
        2026, 3, 20, tzinfo=UTC)


def test_redirects_recorded_in_the_archive_are_followed(warc: Path) -> None:
    index = WarcIndex.build([warc])
    served = index.serve("http://short.example/x", datetime(2026, 3, 19, tzinfo=UTC))
    assert served is not None and served.history == ("http://short.example/x",)
    doc = index.document(served, "http://short.example/x")
    assert doc.content == b"<p>late</p>" and doc.final_url == "https://news.example.tw/a/1"
    assert doc.history == ("http://short.example/x",)


def test_404_capture_big5_page_and_missing_page(warc: Path) -> None:
    index = WarcIndex.build([warc])
    gone = index.serve("https://news.example.tw/gone", None)
    assert gone is not None and index.document(gone, "g").status == 404
    big5 = index.serve("https://big5.example.tw/b", None)
    assert big5 is not None
    doc = index.document(big5, "b")
    assert doc.charset == "big5" and doc.content.decode("big5") == "<p>臺灣</p>"
    assert index.serve("https://nowhere.example/", None) is None


def test_an_archived_source_checks_like_a_live_one(warc: Path) -> None:
    post = example_post()
    index = WarcIndex.build([warc])
    served = index.serve("https://finance.sina.com.cn/tech/2026-03-14/doc-fictional0001.shtml",
                         post.time)
    assert served is not None
    report = analyse(post, index.document(served, served.capture.url))
    assert report.verdict == "edited"
    assert any(f.note == "number changed: 42% → 62%" for f in report.findings)


def test_crawler_jsonl_parse_json_and_a_folder_of_pages(tmp_path: Path) -> None:
    crawled = {
        "article_id": "M.1773453912.A.1C3", "article_title": "[新聞] 星河智能發佈天樞-3芯片",
        "author": "fictpost (虛構帳號)", "board": "Stock",
        "content": "1. 原文標題：星河智能發佈天樞-3芯片\n2. 原文連結：\nhttps://finance.sina.com.cn/"
                   "tech/2026-03-14/doc-fictional0001.shtml\n3. 發布時間：2026-03-14\n"
                   "4. 記者署名：李明远\n5. 原文內容：\n3月13日,虛構企業星河智能在杭州舉行發佈會。\n"
                   "6. 心得/評論：\n期待量產。",
        "date": "Sat Mar 14 10:05:12 2026", "ip": "1.2.3.4", "message_count": {"all": 1},
        "messages": [{"push_tag": "推", "push_userid": "sky4test", "push_content": ": 先推",
                      "push_ipdatetime": "03/14 10:07"}],
    }
    own = post_to_dict(example_post())
    dump = tmp_path / "posts.jsonl"
    dump.write_text(json.dumps(crawled, ensure_ascii=False) + "\n" + json.dumps(own) +
                    "\nnot json\n", encoding="utf-8")
    posts = list(read_posts(dump))
    assert isinstance(posts[2], Unreadable) and posts[2].where.endswith(":3")
    first, second = posts[0], posts[1]
    assert not isinstance(first, Unreadable) and not isinstance(second, Unreadable)
    assert first.url == "https://www.ptt.cc/bbs/Stock/M.1773453912.A.1C3.html"
    assert first.board == "Stock" and first.author == "fictpost"
    assert first.fields.source_url == ("https://finance.sina.com.cn/tech/2026-03-14/"
                                       "doc-fictional0001.shtml")
    assert "杭州舉行發佈會" in first.fields.quote and len(first.pushes) == 1
    assert second.url == own["url"] and second.fields.quote.strip() == own["fields"][
        "quote"].strip()
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_bytes((ROOT / "examples" / "post.html").read_bytes())
    (folder / "b.txt").write_text("", encoding="utf-8")
    from_folder = list(read_posts(folder))
    assert not isinstance(from_folder[0], Unreadable) and from_folder[0].url == own["url"]
    assert isinstance(from_folder[1], Unreadable)


def test_batch_over_a_dump_and_a_warc(warc: Path, tmp_path: Path) -> None:
    """`linker batch --posts … --sources …`: no BOARD, no network; the capture that served is
    named, and a post whose source is in no archive is unverifiable with that reason."""
    import sqlite3

    from ..support.cli import run

    own = post_to_dict(example_post())
    missing = dict(own, url="https://www.ptt.cc/bbs/Stock/M.1773453999.A.2C3.html")
    missing["body"] = own["body"].replace("doc-fictional0001", "doc-fictional0999")
    dump = tmp_path / "posts.jsonl"
    dump.write_text(json.dumps(own) + "\n" + json.dumps(missing) + "\n[broken\n",
                    encoding="utf-8")
    db = tmp_path / "out.db"
    out = run("batch", "--posts", str(dump), "--sources", str(warc), "--db", str(db),
              "--jobs", "0", "--no-cache")
    assert "posts.jsonl:3" in out.stderr  # the unreadable line is named, the rest goes on
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT post_url, verdict || ' ' || coalesce(reason, '') "
                                 "FROM checks"))
        report = json.loads(conn.execute("SELECT report FROM checks WHERE post_url = ?",
                                         (own["url"],)).fetchone()[0])
        board = conn.execute("SELECT DISTINCT board FROM posts").fetchall()
    assert rows[own["url"]].startswith("edited")
    assert rows[missing["url"]].startswith("unverifiable not in the archives")
    assert report["source"]["archived_at"].startswith("2026-03-14T03:00")
    assert report["source"]["archive_url"].startswith("sources.warc.gz@")
    assert board == [("Stock",)]
    run("batch", "--posts", str(dump), "--sources", str(warc), "--db", str(db), "--jobs", "0",
        "--no-cache")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM checks").fetchone()[0] == 2  # resumed
    assert "BOARD" in run("batch", "--db", str(db), expect_exit=2).stderr


def test_hostile_dump_lines_are_named_and_skipped(tmp_path: Path) -> None:
    """Each bad line is named with its place and why, once; the good posts around it are
    read; the first line being an array does not make the file one JSON document."""
    own = json.dumps(post_to_dict(example_post())).encode()
    lines = [own]
    for bad, _why in HOSTILE_LINES:
        lines += [bad, own]
    dump = tmp_path / "posts.jsonl"
    dump.write_bytes(b"\n".join(lines) + b"\n")
    found = list(read_posts(dump))
    good = [f for f in found if not isinstance(f, Unreadable)]
    skipped = [f for f in found if isinstance(f, Unreadable)]
    assert len(good) == len(HOSTILE_LINES) + 1
    assert [s.where for s in skipped] == [f"{dump}:{2 * n}"
                                          for n in range(1, len(HOSTILE_LINES) + 1)]
    for item, (_line, why) in zip(skipped, HOSTILE_LINES, strict=True):
        assert why in item.reason, (item, why)


def test_an_entry_over_the_post_limit_is_refused_unread(tmp_path: Path) -> None:
    """A 17 MB line is skipped to its end, never held whole: the next line is still read."""
    own = json.dumps(post_to_dict(example_post())).encode()
    dump = tmp_path / "posts.jsonl"
    with dump.open("wb") as out:
        out.write(b'{"article_id": "M.1773453912.A.E97", "content": "' + b"a" * (17 << 20)
                  + b'"}\n' + own + b"\n")
    found = list(read_posts(dump))
    assert isinstance(found[0], Unreadable) and "size limit of a post" in found[0].reason
    assert not isinstance(found[1], Unreadable)


def test_a_whole_file_json_array_is_read_as_one(tmp_path: Path) -> None:
    own = post_to_dict(example_post())
    dump = tmp_path / "posts.json"
    dump.write_text(json.dumps([own, 5, own], indent=1), encoding="utf-8")
    found = list(read_posts(dump))
    assert [isinstance(f, Unreadable) for f in found] == [False, True, False]
    assert isinstance(found[1], Unreadable) and found[1].where == f"{dump}[2]"


def test_batch_over_a_hostile_dump_stores_the_good_posts(warc: Path, tmp_path: Path) -> None:
    import sqlite3

    from ..support.cli import run

    own = json.dumps(post_to_dict(example_post())).encode()
    dump = tmp_path / "posts.jsonl"
    dump.write_bytes(b"\n".join([bad for bad, _why in HOSTILE_LINES] + [own]) + b"\n")
    db = tmp_path / "out.db"
    out = run("batch", "--posts", str(dump), "--sources", str(warc), "--db", str(db),
              "--jobs", "0", "--no-cache", expect_exit=0)
    for n in range(1, len(HOSTILE_LINES) + 1):
        assert out.stderr.count(f"posts.jsonl:{n}:") == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM checks").fetchone()[0] == 1


def _members(path: Path) -> list[bytes]:
    """The gzip members of a .warc.gz, decompressed (one record each)."""
    import zlib

    data, out, pos = path.read_bytes(), [], 0
    while pos < len(data):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out.append(d.decompress(data[pos:]))
        pos = len(data) - len(d.unused_data)
    return out


def _write_members(path: Path, members: list[bytes]) -> None:
    import gzip

    path.write_bytes(b"".join(gzip.compress(m) for m in members))


@pytest.mark.parametrize(("damage", "problem"), [
    ("negative", "is negative"),
    ("huge", "more than the file holds"),
    ("garbage", "not a WARC or ARC record"),
    ("short", "length does not match"),
])
def test_a_broken_record_is_named_and_the_rest_of_the_file_used(
        tmp_path: Path, damage: str, problem: str, capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.warc.gz"
    three_pages(path)
    members = _members(path)
    header_end = members[1].index(b"Content-Length: ")
    line_end = members[1].index(b"\r\n", header_end)
    members[1] = {
        "negative": members[1][:header_end] + b"Content-Length: -5" + members[1][line_end:],
        "huge": members[1][:header_end] + b"Content-Length: 99999999999" + members[1][line_end:],
        "garbage": b"\x00\x01garbage\r\n\r\n",
        "short": members[1][:header_end] + b"Content-Length: 40" + members[1][line_end:],
    }[damage]
    _write_members(path, members)
    index = WarcIndex.build([path])
    assert len(index.problems) == 1 and problem in index.problems[0]
    assert index.problems[0].startswith("broken.warc.gz@")
    for i in (0, 2):
        assert index.nearest(f"https://news.example.tw/a/{i}", None) is not None
    # Told once, in linker's words: nothing of warcio's own on stderr.
    assert capfd.readouterr().err == ""


def test_a_truncated_file_is_reported_and_what_came_before_used(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    three_pages(path)
    path.write_bytes(path.read_bytes()[:-60])
    index = WarcIndex.build([path])
    assert index.problems and "truncated" in index.problems[-1]
    assert index.nearest("https://news.example.tw/a/1", None) is not None


def test_garbage_files_do_not_stop_the_good_ones(tmp_path: Path) -> None:
    garbage = tmp_path / "random.warc.gz"
    garbage.write_bytes(bytes(range(256)) * 200)
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    good = tmp_path / "good.warc.gz"
    three_pages(good)
    index = WarcIndex.build([garbage, empty, good])
    assert [p.split(":")[0] for p in index.problems] == ["random.warc.gz@0"]
    assert len(index) == 3


def test_an_archived_page_is_capped_like_a_live_one(tmp_path: Path) -> None:
    """A page stored gzip-encoded that inflates to 64 MB (64 KB on disk) is refused at 5 MB,
    read as a stream: the post is unverifiable with that reason, the run goes on."""
    import gzip

    from linker.errors import UnsupportedContentError
    from linker.runs.warc import ArchiveLoader

    path = tmp_path / "bomb.warc.gz"
    bomb = gzip.compress(b"<p>" + b"a" * (64 << 20) + b"</p>", 9)
    write_warc(path, [("https://bomb.example/x", "2026-03-14T03:00:00Z", 200,
                       {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb)])
    index = WarcIndex.build([path])
    with pytest.raises(UnsupportedContentError, match="over 5 MB"):
        ArchiveLoader(index, None)("https://bomb.example/x")
    subset = index.subset([("https://bomb.example/x", None)])  # a cluster task's share
    with pytest.raises(UnsupportedContentError, match="over 5 MB"):
        ArchiveLoader(subset, None)("https://bomb.example/x")


def test_a_batch_over_everything_hostile_at_once(warc: Path, tmp_path: Path) -> None:
    """The issue's whole hostile set in one run: a dump of every bad line around good posts,
    a bomb, a garbage file, a truncated file and the good WARC. The good posts are stored,
    the bomb's post is unverifiable with why, each bad entry is named once, exit 0/1."""
    import gzip
    import sqlite3

    from ..support.cli import run

    own = post_to_dict(example_post())
    bombed = dict(own, url="https://www.ptt.cc/bbs/Stock/M.1773453998.A.B0B.html")
    bombed["body"] = own["body"].replace(
        "https://finance.sina.com.cn/tech/2026-03-14/doc-fictional0001.shtml",
        "https://bomb.example/x")
    good = [json.dumps(own).encode(), json.dumps(bombed).encode()]
    dump = tmp_path / "posts.jsonl"
    dump.write_bytes(b"\n".join([bad for bad, _why in HOSTILE_LINES] + good) + b"\n")
    bomb = tmp_path / "bomb.warc.gz"
    write_warc(bomb, [("https://bomb.example/x", "2026-03-14T03:00:00Z", 200,
                       {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                       gzip.compress(b"<p>" + b"a" * (64 << 20) + b"</p>", 9))])
    garbage = tmp_path / "random.warc.gz"
    garbage.write_bytes(bytes(range(256)) * 200)
    cut = tmp_path / "cut.warc.gz"
    three_pages(cut)
    cut.write_bytes(cut.read_bytes()[:-60])
    db = tmp_path / "out.db"
    out = run("batch", "--posts", str(dump), "--sources", str(bomb), "--sources", str(garbage),
              "--sources", str(cut), "--sources", str(warc), "--db", str(db), "--jobs", "0",
              "--no-cache", expect_exit=0)
    for n in range(1, len(HOSTILE_LINES) + 1):
        assert out.stderr.count(f"posts.jsonl:{n}:") == 1, n
    assert out.stderr.count("linker: archive: random.warc.gz@0") == 1
    assert out.stderr.count("linker: archive: cut.warc.gz@") == 1
    assert "Traceback" not in out.stderr
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT post_url, verdict || ' ' || coalesce(reason, '') "
                                 "FROM checks"))
    conn.close()
    assert set(rows) == {own["url"], bombed["url"]}
    assert rows[own["url"]].startswith("edited")
    assert rows[bombed["url"]].startswith("unverifiable") and "over 5 MB" in rows[bombed["url"]]
