"""Saved pages for the archive tests: the bundled example, and WARC files written for a test."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

from linker.models import Document, Post
from linker.ptt.parse import parse_document

ROOT = Path(__file__).resolve().parents[2]
SOURCE = (ROOT / "examples" / "source.html").read_bytes()


def example_post() -> Post:
    page = ROOT / "examples" / "post.html"
    return parse_document(Document(origin=str(page), content=page.read_bytes()))


def write_warc(path: Path, records: list[tuple[str, str, int, dict[str, str], bytes]]) -> None:
    """A gzipped WARC file of response records ``(url, date, status, headers, body)``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, date, status, headers, body in records:
            http = StatusAndHeaders(f"{status} X", list(headers.items()), protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body),
                                               length=len(body), http_headers=http,
                                               warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)


def three_pages(path: Path) -> None:
    """A WARC of three small pages (news.example.tw/a/0…2)."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    write_warc(path, [(f"https://news.example.tw/a/{i}", "2026-03-14T03:00:00Z", 200, html,
                       f"<p>page {i}</p>".encode()) for i in range(3)])


HOSTILE_LINES = [  # a bad dump line, and what the error must say
    (b"\xff\xfe not utf-8 {\"a\": 1}", "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deep"),
    (b"[1, 2, 3]", "not a post object"),
    (b'"a string"', "not a post object"),
    (json.dumps({"article_id": 5, "board": 3, "content": "x"}).encode(), "is int, not text"),
    (json.dumps({"article_id": "M.1773453912.A.E99", "board": "Sto ck",
                 "content": "x"}).encode(), "not a PTT board"),
    (json.dumps({"article_id": "../../etc/passwd", "board": "Stock",
                 "content": "x"}).encode(), "not a PTT article id"),
    (json.dumps({"article_id": "M.1773453912.A.E98", "board": "Stock", "content": "x",
                 "messages": "no"}).encode(), "not a list"),
    (b"not json at all", "not JSON"),
]
