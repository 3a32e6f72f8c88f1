"""A local HTTP server for the hostile-input tests: slow, trickling, oversized, redirecting and
broken pages, one path each; and a faithful post quoting its article."""

from __future__ import annotations

import gzip
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, ClassVar

import pytest

from benchmarks.reposts import load_sources

from .cli import Result, run

Replay = Callable[[str], AbstractContextManager[Any]]
ARTICLE = dict(load_sources())["haigang_poll.zh-hant"]
TITLE = "海港市長施政滿意度58% 交通建設獲好評"


def article_html(charset: str | None = "utf-8", broken: bool = False) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n"))
    meta = f'<meta charset="{charset}">' if charset else ""
    if broken:
        # Unclosed paragraphs and table cells, a mismatched heading, stray closing tags.
        return (f"<html><head>{meta}<title>{TITLE}</title><body></span><div><article>"
                f"<h1>{TITLE}</h2>{paragraphs.replace('</p>', '')}</div></div><table><tr><td>"
                f"<p>版權所有")
    return (f"<!DOCTYPE html><html><head>{meta}<title>{TITLE}</title></head><body>"
            f"<nav><a href='/'>首頁</a></nav><article><h1>{TITLE}</h1>{paragraphs}</article>"
            f"<footer>版權所有</footer></body></html>")


BOMB = gzip.compress(b"<html><body><p>" + b"0" * (30 * 1024 * 1024) + b"</p></body></html>")


class Handler(http.server.BaseHTTPRequestHandler):
    """The local test server's pages, one path each."""

    served = 0
    counts: ClassVar[dict[str, int]] = {}
    trickles: ClassVar[list[bool]] = []
    """For each close-delimited trickle: whether the client hung up before it ended."""

    def log_message(self, *args: Any) -> None:
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
             **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.served += 1
        path = self.path
        if path == "/page":
            self.send(200, article_html().encode())
        elif path == "/slow":
            time.sleep(3)
            self.send(200, article_html().encode())
        elif path == "/stall":  # accepts, then answers after 40 s
            Handler.counts["/stall"] = Handler.counts.get("/stall", 0) + 1
            time.sleep(40)
            self.send(200, article_html().encode())
        elif path in ("/trickle", "/trickle-head"):  # a byte every half second
            body = article_html().encode()
            head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n").encode()
            slow, fast = (head, b"") if path == "/trickle-head" else (b"", head)
            try:
                self.wfile.write(fast)
                for i in range(len(slow + body)):
                    self.wfile.write((slow + body)[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.5)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/trickle-close":  # HTTP/1.0, no length: the body ends when it closes
            cut = False
            try:
                self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8"
                                 b"\r\n\r\n<html><body><p>")
                end = time.monotonic() + TRICKLE_LIMIT
                while time.monotonic() < end:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                cut = True
            Handler.trickles.append(cut)
            self.close_connection = True
        elif path == "/retry-after":
            Handler.counts[path] = Handler.counts.get(path, 0) + 1
            self.send(503, b"busy", Retry_After="3600")
        elif path == "/echo-host":
            self.send(200, article_html().replace(
                "<footer>", f"<footer>{self.headers.get('Host')}").encode())
        elif path == "/loop":
            self.send(302, b"", Location="/loop")
        elif path.startswith("/chain/"):
            self.send(302, b"", Location=f"/chain/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            try:
                for _ in range(50 * 1024 * 1024 // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/bigdeclared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            self.wfile.write(b"<html>")
        elif path == "/bomb":
            self.send(200, BOMB, "text/html", Content_Encoding="gzip")
        elif path == "/500":
            self.send(500, b"broken")
        elif path == "/410":
            self.send(410, b"gone")
        elif path == "/pdf":
            self.send(200, b"%PDF-1.7 ...", "application/pdf")
        elif path == "/image":
            self.send(200, b"\x89PNG\r\n\x1a\n", "image/png")
        elif path == "/empty":
            self.send(200, b"<html><head><title>x</title></head><body></body></html>")
        elif path == "/paywall":
            self.send(200, "<html><body><article><h1>海港市長施政滿意度</h1><p>本文為付費會員"
                           "專屬內容，請登入會員後閱讀全文。</p></article></body></html>".encode())
        elif path == "/mojibake":
            self.send(200, article_html(None).encode("utf-8"), "text/html; charset=iso-8859-1")
        elif path == "/big5":
            self.send(200, article_html(None).encode("big5", "xmlcharrefreplace"), "text/html")
        elif path == "/gbk":
            from linker.compare.normalise import convert

            page = convert(article_html(None), "t2s")
            self.send(200, page.encode("gbk", "xmlcharrefreplace"), "text/html")
        elif path == "/malformed":
            self.send(200, article_html(broken=True).encode())
        else:
            self.send(404, b"not found")


class QuietServer(http.server.ThreadingHTTPServer):
    """Clients hang up on purpose (timeouts, size caps): no tracebacks for that."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def post_file(tmp_path: Path) -> Path:
    """A Stock post quoting the article faithfully, its link pointing nowhere in particular."""
    path = tmp_path / "post.txt"
    path.write_text(f"作者 tester (測試) 看板 Stock\n標題 [新聞] {TITLE}\n"
                    f"時間 Sat May  2 19:01:44 2026\n原文標題：{TITLE}\n"
                    f"原文連結：\nhttps://news.example-tv.com.tw/x\n記者署名：林書妤\n"
                    f"原文內容：\n{ARTICLE}\n心得/評論：\n測試", encoding="utf-8")
    return path


def one_line(result: Result, *needles: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


TRICKLE_LIMIT = 120.0
"""How long the endless trickle goes on when nobody hangs up: far beyond any deadline here."""
GENEROUS = "120"
"""--timeout for checks that are not about the deadline: no loaded machine comes near it."""


def check_source(post_file: Path, source: str, *extra: str, code: int = 2,
                 timeout: str = GENEROUS) -> Result:
    return run("check", str(post_file), "--source", source, "--no-cache", "--no-archive",
               "--timeout", timeout, *extra, expect_exit=code)
