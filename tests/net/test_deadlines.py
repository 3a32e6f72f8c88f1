"""One wall-clock deadline per fetch and per post: slow and trickling servers, retries and
Retry-After never outlast it (fake clocks or generous margins, never tight timings).

Servers are local (127.0.0.1) or cassettes; nothing else is ever contacted.
"""


import time
from pathlib import Path
from typing import Any

import pytest

from ..support.localserver import (
    TRICKLE_LIMIT,
    Handler,
    check_source,
    one_line,
)


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
