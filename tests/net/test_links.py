"""Links a stranger may paste — private networks, odd schemes, redirects into them, DNS that
changes its answer — are refused before anything is fetched from them.

Servers are local (127.0.0.1) or cassettes; nothing else is ever contacted.
"""


from pathlib import Path
from typing import Any

import pytest

from linker.net.safety import address_problem, url_problem

from ..support.localserver import (
    Replay,
    check_source,
    one_line,
)


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
