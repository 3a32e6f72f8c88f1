"""Shared fixtures: cassette replay through linker's own session factory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
import vcr

from linker.net.fetch import Client, HttpConfig, make_session
from tests.vcr_threads import make_vcr_thread_safe

# linker.cli builds its --help texts in the locale's language when it is imported: the tests
# import it in English whatever the developer's locale (tests that want zh-TW ask for it).
for _name in ("LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
SHARED = Path(os.environ.get("LINKER_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
REPLAY_DEADLINE = 600.0
"""The fetch deadline of clients that replay cassettes: nothing waits on a network, so only a
starved machine could meet it, and none meets ten minutes."""

make_vcr_thread_safe()

_VCR = vcr.VCR(
    cassette_library_dir=str(CASSETTES),
    record_mode="none",
    match_on=["method", "scheme", "host", "port", "path", "query"],
    filter_headers=["authorization", "cookie"],
)


@pytest.fixture(autouse=True)
def _fresh_rich_styles() -> Iterator[None]:
    """rich 15 memoises a style's ANSI codes on the shared ``Style`` instance for whichever
    colour system renders it first (``Style.render``: ``self._ansi or …``), and ``Style.parse``
    hands out shared instances: an in-process CLI run in a 16-colour terminal would make a later
    truecolor golden render print 16-colour codes.  Each test starts from fresh styles."""
    from rich.style import Style

    Style.parse.cache_clear()
    Style._add.cache_clear()
    yield


@pytest.fixture
def replay() -> Callable[[str], AbstractContextManager[Any]]:
    """Replay ``cassettes/NAME.yaml``; any request not in it fails the test."""

    def use(name: str) -> AbstractContextManager[Any]:
        path = CASSETTES / f"{name}.yaml"
        assert path.exists(), f"missing cassette {path}"
        return _VCR.use_cassette(path.name)  # type: ignore[no-any-return]

    return use


@pytest.fixture
def client() -> Iterator[Client]:
    """The production client; only the backoff is shortened so retried 5xx replay fast, and
    the deadline is generous (a replay on a loaded machine must not meet it)."""
    config = HttpConfig(backoff=0.0, deadline=REPLAY_DEADLINE)
    session = make_session(config)
    yield Client(session, config)
    session.close()


def corpus_dir(*parts: str) -> Path:
    """A folder of the shared real-page corpus, or skip the test when it is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.is_dir():
        pytest.skip(f"shared corpus not available at {path}")
    return path


_LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Views speak the locale's language: the tests choose it explicitly."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own HTTP cache, never the user's."""
    monkeypatch.setenv("LINKER_CACHE_DIR", str(tmp_path / "http-cache"))


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail fast if anything tries to reach the network (a cassette gap would otherwise
    retry against DNS for seconds); loopback stays allowed for local test servers."""
    import socket

    real_getaddrinfo = socket.getaddrinfo

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not str(host).startswith(_LOOPBACK):
            raise OSError(f"network access in a test: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


# The local test server and a post quoting its article, for every module that serves pages.
from tests.support.localserver import post_file, server  # noqa: E402, F401
