"""The open web: bad inputs, hostile links and broken servers end in a clear verdict or a
one-line error with exit status 2, never a traceback.

Servers are local (127.0.0.1) or cassettes; nothing else is ever contacted.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, ClassVar

import pytest

from benchmarks.reposts import load_sources
from linker.net.safety import address_problem, url_problem

from .test_cli import Result, run

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


# --- the source side, served locally --------------------------------------------------------

@pytest.mark.parametrize(("path", "message"), [
    ("/410", "HTTP 410"),
    ("/nothing", "HTTP 404"),
    ("/500", "HTTP 500 Internal Server Error, still after 3 retries"),
    ("/loop", "redirect loop"),
    ("/chain/0", "too many redirects"),
    ("/big", "page too large"),
    ("/bigdeclared", "page too large"),
    ("/bomb", "page too large"),
    ("/pdf", "application/pdf"),
    ("/image", "image/png"),
    ("/empty", "no article text"),
    ("/paywall", "does not contain the quoted text"),
])
def test_source_failures_are_unverifiable(server: str, post_file: Path, path: str,
                                          message: str) -> None:
    """Each failure of the cited page: exit 2, one clear line, no traceback."""
    result = check_source(post_file, server + path, "--allow-private")
    one_line(result, "could not check", message)


def test_a_source_slower_than_the_deadline_is_unverifiable(server: str, post_file: Path) -> None:
    result = check_source(post_file, server + "/slow", "--allow-private", timeout="1")
    one_line(result, "could not check", "the source (127.0.0.1) did not answer within 1 s")


@pytest.mark.parametrize("path", ["/page", "/mojibake", "/big5", "/gbk", "/malformed"])
def test_readable_pages_are_checked(server: str, post_file: Path, path: str) -> None:
    """Encodings without a header, a lying header, broken markup: still faithful."""
    result = check_source(post_file, server + path, "--allow-private", "--json", code=0)
    assert '"verdict": "faithful"' in result.stdout


# --- links a stranger may paste ---------------------------------------------------------------

@pytest.mark.parametrize(("source", "message"), [
    ("http://127.0.0.1:9/", "loopback"),
    ("http://localhost:9/news", "loopback"),
    ("http://[::1]:9/news", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://10.0.0.1/", "private"),
    ("file:///etc/passwd", "unsupported link scheme 'file'"),
    ("javascript:alert(1)", "unsupported link scheme 'javascript'"),
    ("ftp://example.com/x", "unsupported link scheme 'ftp'"),
])
def test_hostile_links_are_refused(post_file: Path, source: str, message: str) -> None:
    """Private addresses and non-web schemes are never fetched (no --allow-private)."""
    one_line(check_source(post_file, source), "could not check", message)


def test_a_redirect_hop_into_a_private_network_is_refused(replay: Replay, post_file: Path,
                                                          tmp_path: Path) -> None:
    """The guard runs again on every hop: a public link redirecting to 169.254.x is refused."""
    with replay("redirect_to_metadata"):
        result = check_source(post_file, "https://news.example-tv.com.tw/r/meta")
    one_line(result, "169.254.169.254", "link-local")


@pytest.mark.parametrize(("address", "problem"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"),
    ("240.0.0.1", "reserved"), ("100.64.0.1", "not globally routable"),
    ("::ffff:127.0.0.1", "loopback"), ("fc00::1", "private"),
    ("93.184.216.34", None), ("2606:2800:220:1:248:1893:25c8:1946", None),
])
def test_address_rules(address: str, problem: str | None) -> None:
    """The address rules as a pure function: no connection is ever opened."""
    assert address_problem(address) == problem


def test_host_names_are_checked_through_their_addresses() -> None:
    """A name resolving to a private address is refused; one that does not resolve passes
    (the request then fails on its own); --allow-private lifts the rule."""
    table = {"intranet.example": ["10.0.0.5"], "news.example": ["93.184.216.34"],
             "mixed.example": ["93.184.216.34", "192.168.0.9"]}

    def resolver(host: str) -> list[str]:
        return table.get(host, [])

    assert "private" in (url_problem("https://intranet.example/a", resolver=resolver) or "")
    assert "private" in (url_problem("https://mixed.example/a", resolver=resolver) or "")
    assert url_problem("https://news.example/a", resolver=resolver) is None
    assert url_problem("https://nowhere.example/a", resolver=resolver) is None
    assert url_problem("https://intranet.example/a", allow_private=True,
                       resolver=resolver) is None


# --- the post side --------------------------------------------------------------------------

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


# --- cache, evidence, archive ---------------------------------------------------------------

XINGHE = "https://www.ptt.cc/bbs/Stock/M.1773453912.A.1C3.html"


def test_the_cache_makes_a_second_check_request_nothing(tmp_path: Path) -> None:
    """Only successful answers are cached; a second check makes no request; --refresh does."""
    import vcr

    from .conftest import CASSETTES

    player = vcr.VCR(cassette_library_dir=str(CASSETTES), record_mode="none")
    counts = []
    for flags in ([], [], ["--refresh"]):
        with player.use_cassette("stock_sina_faithful.yaml",
                                 allow_playback_repeats=True) as cassette:
            run("check", XINGHE, "--no-archive", *flags, expect_exit=0)
            counts.append(cassette.play_count)
    assert counts == [2, 0, 2]


def test_record_then_replay_offline(server: str, post_file: Path, tmp_path: Path) -> None:
    """--record saves every exchange; --replay gives the same result without the network."""
    import json

    evidence = tmp_path / "evidence.yaml"
    recorded = run("check", str(post_file), "--source", f"{server}/page", "--allow-private",
                   "--json", "--record", str(evidence), expect_exit=0)
    import yaml

    exchanges = yaml.safe_load(evidence.read_text(encoding="utf-8"))["interactions"]
    body = exchanges[0]["response"]["body"]["string"]
    assert "海港大學民意研究中心" in (body if isinstance(body, str) else body.decode("utf-8"))
    served = Handler.served
    replayed = run("check", str(post_file), "--source", f"{server}/page", "--allow-private",
                   "--json", "--replay", str(evidence), expect_exit=0)
    assert Handler.served == served  # nothing reached the server
    assert json.loads(replayed.stdout) == json.loads(recorded.stdout)
    other = run("check", str(post_file), "--source", f"{server}/pdf", "--allow-private",
                "--replay", str(evidence), expect_exit=2)
    one_line(other, "not in the evidence file")
    assert Handler.served == served
    missing = run("check", str(post_file), "--replay", str(tmp_path / "none.yaml"),
                  expect_exit=2)
    one_line(missing, "no such evidence file")


def test_dead_link_checked_against_the_archive(replay: Replay) -> None:
    """410 live; the Wayback Machine's copy from the post's day serves, and says so."""
    import json

    with replay("source_404_archived"):
        result = run("check", "https://www.ptt.cc/bbs/Gossiping/M.1777719704.A.A07.html",
                     "--json", "--no-cache", expect_exit=0)
    data = json.loads(result.stdout)
    assert data["verdict"] == "faithful"
    assert data["source"]["archived_at"].startswith("2026-05-02")
    assert data["source"]["archive_url"].startswith("https://web.archive.org/web/20260502")
    assert any("archived copy of 2026-05-02" in note for note in data["notes"])


def test_outlet_changed_the_article_later(replay: Replay) -> None:
    """The live page differs from the post, the archived copy from the post's day does not:
    the outlet changed its article, and the poster is not blamed."""
    import json

    with replay("outlet_changed_later"):
        result = run("check", XINGHE, "--json", "--no-cache", expect_exit=0)
    data = json.loads(result.stdout)
    assert data["verdict"] == "faithful"
    assert any("outlet changed the article" in note for note in data["notes"])
    with replay("outlet_changed_later"):
        live = run("check", XINGHE, "--json", "--no-cache", "--no-archive", expect_exit=1)
    assert json.loads(live.stdout)["verdict"] == "edited"


def test_dead_link_without_archive_copy(replay: Replay) -> None:
    """No archived copy either: unverifiable, and the reason says both."""
    with replay("source_404"):
        result = run("check", "https://www.ptt.cc/bbs/Stock/M.1780272000.A.DEA.html",
                     "--no-cache", expect_exit=2)
    one_line(result, "HTTP 404", "no archived copy either")


def test_outputs_are_written_atomically(replay: Replay, tmp_path: Path) -> None:
    """--output replaces the file whole; a failed run leaves an existing file untouched."""
    out = tmp_path / "report.json"
    out.write_text("previous", encoding="utf-8")
    run("check", "/no/such/post", "--json", "--output", str(out), expect_exit=2)
    assert out.read_text(encoding="utf-8") == "previous"
    with replay("stock_sina_faithful"):
        run("check", XINGHE, "--json", "--output", str(out), "--no-archive", expect_exit=0)
    assert out.read_text(encoding="utf-8").startswith("{")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.json")]


# --- hostile text: nothing a terminal obeys reaches it ------------------------------------

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


# --- slow servers: one wall-clock deadline per fetch ---------------------------------------

@pytest.mark.parametrize("path", ["/stall", "/trickle", "/trickle-head", "/trickle-close"])
def test_a_slow_or_trickling_server_is_cut_at_the_deadline(server: str, post_file: Path,
                                                           path: str) -> None:
    """A server that answers after 40 s, or a byte every half second (body or headers, with
    a length or ending only when it closes), ends the check at --timeout with a sentence, not
    urllib3's words."""
    trickles = len(Handler.trickles)
    result = check_source(post_file, server + path, "--allow-private", timeout="1")
    one_line(result, "the source (127.0.0.1) did not answer within 1 s")
    for library_words in ("HTTPConnectionPool", "Max retries", "Read timed out", "object at"):
        assert library_words not in result.stderr
    if path == "/trickle-close":
        # linker hung up; the trickle did not run to its end (TRICKLE_LIMIT). The server
        # notices at its next write: wait for its word, however long the machine takes.
        end = time.monotonic() + TRICKLE_LIMIT + 60
        while len(Handler.trickles) == trickles and time.monotonic() < end:
            time.sleep(0.05)
        assert Handler.trickles[trickles:] == [True]


def test_a_read_timeout_is_not_retried(server: str, post_file: Path) -> None:
    before = Handler.counts.get("/stall", 0)
    check_source(post_file, server + "/stall", "--allow-private", timeout="1")
    assert Handler.counts.get("/stall", 0) == before + 1


def test_retry_after_cannot_outlast_the_deadline(server: str, post_file: Path) -> None:
    """``Retry-After: 3600`` is honoured only within the deadline: the retries happen at once
    and the check ends with the server's answer."""
    before = Handler.counts.get("/retry-after", 0)
    result = check_source(post_file, server + "/retry-after", "--allow-private", timeout="1")
    one_line(result)
    # The retries take the deadline's second: the server's 503 or the deadline ends them.
    assert "HTTP 503" in result.stderr or "did not answer within 1 s" in result.stderr
    assert Handler.counts["/retry-after"] - before <= 4


def test_network_failures_are_told_in_words(post_file: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = check_source(post_file, f"http://127.0.0.1:{port}/x", "--allow-private")
    one_line(refused, f"connection refused by 127.0.0.1 (http://127.0.0.1:{port}/x)")

    real = socket.getaddrinfo

    def dns(host: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", dns)
    unresolved = check_source(post_file, "http://no-such-outlet.invalid/news/1")
    one_line(unresolved, "the source (no-such-outlet.invalid): the host name does not resolve")
    for result in (refused, unresolved):
        assert "HTTPConnectionPool" not in result.stderr and "Errno" not in result.stderr


# --- DNS rebinding: the connection goes to the address that was checked ---------------------

def test_the_checked_address_is_the_one_connected_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """A zone answering a public address to the check and 127.0.0.1 afterwards: linker
    connects to the public address it checked and never resolves the name again."""
    import urllib3.util.connection as util

    from linker.errors import FetchError
    from linker.net.fetch import Client, HttpConfig, make_session

    answers = [["93.184.216.34"], ["127.0.0.1"]]
    lookups: list[str] = []

    def rebinding(host: str) -> list[str]:
        lookups.append(host)
        return answers[min(len(lookups), len(answers)) - 1]

    connected: list[str] = []

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
        connected.append(address[0])
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(util, "create_connection", create_connection)
    config = HttpConfig(retries=2, backoff=0.0)
    client = Client(make_session(config), config, resolver=rebinding)
    for _ in range(2):  # a second fetch, and the retries, still go to the checked address
        with pytest.raises(FetchError, match=r"connection refused by rebind\.example"):
            client.get("http://rebind.example/news/1")
    assert set(connected) == {"93.184.216.34"} and len(connected) == 6
    assert lookups == ["rebind.example"]


def test_a_pinned_connection_keeps_the_host_name(server: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Pinned to an address, the request still names its host (Host header; TLS uses the same
    name for SNI and the certificate)."""
    from linker.net import fetch
    from linker.net.fetch import Client, HttpConfig, make_session

    port = server.rsplit(":", 1)[1]
    monkeypatch.setattr(fetch, "url_problem", lambda *_args, **_kwargs: None)
    config = HttpConfig(retries=0)
    client = Client(make_session(config), config, resolver=lambda _host: ["127.0.0.1"])
    doc = client.get(f"http://news.pinned.test:{port}/echo-host")
    assert f"<footer>news.pinned.test:{port}" in doc.content.decode()


# --- limits ---------------------------------------------------------------------------------

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


# --- the result store: one batch at a time, bad files in one line ---------------------------

def test_a_second_batch_on_the_same_store_stops_at_once(tmp_path: Path) -> None:
    """While a batch holds the store, another batch on it says so and exits 2; reports can
    still read it; once the first is done the second runs, and nothing is doubled."""
    from linker.runs.store import Store

    from .test_batch import EXPECTED, board

    db = tmp_path / "board.db"
    with Store(db, writer=True):  # a batch in progress
        busy = run("batch", "NewsLab", "--pages", "3", "--db", str(db), "--rate", "0",
                   "--jobs", "0", expect_exit=2)
        one_line(busy, "is in use by another linker batch")
        run("report", str(db))  # readers are not locked out
    with board():
        run("batch", "NewsLab", "--pages", "3", "--db", str(db), "--rate", "0", "--jobs", "0", "--no-cache")
        run("batch", "NewsLab", "--pages", "3", "--db", str(db), "--rate", "0", "--jobs", "0", "--no-cache",
            "--recheck")
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM checks").fetchone()[0] == len(EXPECTED)
        total, distinct = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT post_url || kind || post_start || source_start) "
            "FROM findings").fetchone()
        assert total == distinct > 0  # the rerun replaced findings, it did not add to them


@pytest.mark.parametrize("command", ["report", "batch"])
def test_a_corrupt_store_is_one_line(tmp_path: Path, command: str) -> None:
    db = tmp_path / "board.db"
    db.write_bytes(b"this is not a database" * 100)
    args = ["report", str(db)] if command == "report" else [
        "batch", "NewsLab", "--db", str(db), "--rate", "0", "--no-cache"]
    one_line(run(*args, expect_exit=2), f"cannot use {db} as a result store",
             "not a database")


def test_a_read_only_store_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store that cannot be written (a read-only file or mount) stops the batch at its
    first post with one line.  Root ignores file modes, so the file is opened read-only the
    way SQLite does for such a file."""
    import sqlite3

    from linker.runs import store

    from .test_batch import board

    db = tmp_path / "board.db"
    with board():
        run("batch", "NewsLab", "--pages", "1", "--db", str(db), "--rate", "0", "--jobs", "0", "--no-cache")
    db.chmod(0o444)
    monkeypatch.setattr(store, "_connect", lambda path, mode="rwc": sqlite3.connect(
        f"file:{path}?mode=ro", uri=True, isolation_level=None))
    with board():
        result = run("batch", "NewsLab", "--pages", "3", "--db", str(db), "--rate", "0",
                     "--jobs", "0", expect_exit=2)
    # The progress display stays on stderr above the error, which is one line, the last.
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("linker: error [store]: cannot write to") and "readonly" in last


def test_a_post_has_one_deadline_for_all_its_fetches(server: str) -> None:
    """In a batch every fetch of a post draws on one budget: once a stalling source has spent
    it, nothing else of that post waits."""
    from linker.errors import FetchError
    from linker.net.fetch import Client, HttpConfig, make_session
    from linker.net.transport import Budget

    config = HttpConfig(deadline=1.0, retries=0)
    client = Client(make_session(config), config, allow_private=True)
    with Budget(1.0):
        with pytest.raises(FetchError, match="did not answer within 1 s"):
            client.get(server + "/stall")
        with pytest.raises(FetchError, match="did not answer in the time left for this post"):
            client.get(server + "/page")
    assert client.get(server + "/page").status == 200  # outside the budget: a fresh second


def test_waiting_for_a_cpu_worker_does_not_spend_a_post_s_network_time() -> None:
    """A busy machine queues analyses; the archived copy fetched after one still has the
    post's budget (a fake clock: no wall-clock margin)."""
    from linker.net.transport import Budget, allowance, budget_paused

    now = [0.0]
    with Budget(30.0, clock=lambda: now[0]) as budget:
        now[0] = 5.0  # the post and its source took 5 s
        with budget_paused():
            now[0] = 65.0  # a minute in the CPU queue and the analysis
        assert budget.remaining() == 25.0
        assert allowance(30.0) == 25.0
        now[0] = 80.0
        assert allowance(30.0) == 10.0
    with budget_paused():  # no budget on this thread: nothing to pause
        pass


def test_a_read_timeout_at_the_deadline_is_the_deadline_before_its_timer_runs() -> None:
    """The socket's timeout is capped at the time left, so it can fire a moment before the
    deadline's timer thread marks the exchange (on a busy machine): still the deadline."""

    from linker.net.fetch import network_failure
    from linker.net.transport import Exchange

    now = [0.0]
    exchange = Exchange(1.0, clock=lambda: now[0])  # not entered: no timer thread
    now[0] = 1.0  # the time is up, and nothing has marked the exchange expired
    assert not exchange.expired
    kind, said = network_failure(TimeoutError("timed out"), "fetch source", "x.example",
                                 exchange)
    assert said == "the source (x.example) did not answer within 1 s" and kind == "timeout"
    now[0] = 0.5  # half the time left: a read that timed out is a server that stopped
    kind, said = network_failure(TimeoutError("timed out"), "fetch source", "x.example",
                                 exchange)
    assert said == "the source (x.example) stopped answering" and kind == "timeout"


# --- the HTTP cache: a help, never a hang -----------------------------------------------------

def _cached_client(path: Path) -> Any:
    from linker.net.fetch import CacheConfig, Client, HttpConfig, make_session

    config = HttpConfig(deadline=float(GENEROUS))
    return Client(lambda: make_session(config, CacheConfig(path, wait=0.2)), config,
                  allow_private=True)


def test_a_cache_locked_by_another_process_is_gone_without(server: str, tmp_path: Path) -> None:
    """Another linker holding the cache's lock (hung, or stopped with Ctrl-Z) once made every
    run wait forever: now the lock is waited for a while, then the run goes on uncached."""
    import sqlite3

    path = tmp_path / "http-cache.sqlite"
    warm = _cached_client(path)
    assert warm.get(server + "/page").status == 200  # the cache file exists, with one page
    assert warm.cache_problem is None
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        client = _cached_client(path)
        assert client.get(server + "/page").status == 200
        assert client.cache_problem is not None
        assert "database is locked" in str(client.cache_problem)
        assert client.get(server + "/echo-host").status == 200  # the rest of the run goes on
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_lock_taken_during_the_run_ends_the_cache_not_the_run(server: str,
                                                                tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "http-cache.sqlite"
    client = _cached_client(path)
    assert client.get(server + "/page").status == 200
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert client.get(server + "/echo-host").status == 200  # its answer cannot be stored
        assert client.cache_problem is not None
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_cache_that_is_no_database_is_gone_without(server: str, tmp_path: Path) -> None:
    path = tmp_path / "http-cache.sqlite"
    path.write_bytes(b"not a database\n" * 1000)
    client = _cached_client(path)
    assert client.get(server + "/page").status == 200
    assert "not a database" in str(client.cache_problem)
    assert path.read_bytes() == b"not a database\n" * 1000
