"""Getting bytes in: one HTTP session factory, a small client around it, files and stdin.

Fetch returns data and never prints.  The same :func:`make_session` serves live runs and the
tests (which replay cassettes through it), so there is no test-only code path.
"""

from __future__ import annotations

import copy
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol
from urllib.parse import urljoin, urlsplit

from linker.errors import (
    Failure,
    FetchError,
    InputError,
    NotFoundError,
    Over18Error,
    UnsupportedContentError,
)
from linker.messages import Msg
from linker.models import Document
from linker.net.safety import Resolver, system_resolver, url_problem
from linker.ptt.url import PTT_BASE, ArticleRef, article_ref, is_url, looks_like_address
from linker.version import __version__

if TYPE_CHECKING:  # requests costs ~40 ms to import: a check of local files never needs it
    import requests

    from linker.net.transport import Exchange

USER_AGENT = (
    f"linker/{__version__} (PTT news repost checker; +https://pypi.org/project/linker/) "
    "python-requests"
)
RETRY_STATUSES = (429, 500, 502, 503, 504)
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


@dataclass(frozen=True)
class HttpConfig:
    """Network settings shared by every request linker makes."""

    deadline: float = 30.0
    """Wall-clock seconds one fetch may take in all: connects, retries, redirects, the body."""
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    """Longest wait for any single read (a stalled server); the deadline bounds the sum."""
    retries: int = 3
    """Retries of failed connections and of 429/5xx answers (never of a slow read)."""
    backoff: float = 0.5
    """urllib3 backoff factor: sleeps of backoff × 2^n between retries."""
    max_redirects: int = 10
    max_bytes: int = 5 * 1024 * 1024
    """Largest article page read, after decompression (so gzip bombs stop here too)."""
    max_post_bytes: int = 16 * 1024 * 1024
    """Largest post read (a file, standard input or a ptt.cc page): room for a post with a
    hundred thousand pushes, not for anything that would take minutes and gigabytes."""
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class CacheConfig:
    """The HTTP cache: a SQLite file of successful responses (requests-cache)."""

    path: Path
    max_bytes: int = 200 * 1024 * 1024
    """The cache file is pruned (oldest responses first) when it grows past this."""
    expire_after: int = 7 * 24 * 3600
    ptt_expire_after: int = 600
    """PTT pages change as people push: keep them ten minutes only."""
    wait: float = 10.0
    """Seconds the cache's lock is waited for (another linker writing it) before the run goes
    on without the cache."""


def default_cache_path() -> Path:
    """Where the HTTP cache lives: ``$LINKER_CACHE_DIR`` or the user cache directory."""
    import os

    folder = os.environ.get("LINKER_CACHE_DIR")
    if not folder:
        import platformdirs

        folder = platformdirs.user_cache_dir("linker", appauthor=False)
    return Path(folder) / "http-cache.sqlite"


def is_cached(session: requests.Session) -> bool:
    """Whether ``session`` is a caching one."""
    return hasattr(session, "cache") and hasattr(session, "settings")


def make_session(config: HttpConfig | None = None,
                 cache: CacheConfig | None = None) -> requests.Session:
    """Build the one ``requests.Session`` linker uses for every request.

    It sends an honest User-Agent and PTT's ``over18=1`` cookie, retries connection errors and
    429/5xx answers with exponential backoff (honouring ``Retry-After`` within the deadline),
    and connects only to addresses the client checked (:mod:`linker.net.transport`).  With ``cache``, it is
    a requests-cache session that stores successful HTML responses only, and only when their
    declared size is under the body cap (a cached body is read whole, so unbounded ones are
    never cached).
    """
    import requests

    from linker.net.transport import DeadlineRetry, GuardedAdapter

    config = config or HttpConfig()
    session: requests.Session
    if cache is None:
        session = requests.Session()
    else:
        import requests_cache  # lazy: only the CLI's cached runs pay for it

        cache.path.parent.mkdir(parents=True, exist_ok=True)
        _probe_cache(cache.path, cache.wait)
        # Responses are stored by Client.get after its size-capped read, never by
        # requests-cache itself (which would read a body whole, however large).
        session = requests_cache.CachedSession(
            str(cache.path), backend="sqlite", expire_after=cache.expire_after,
            allowable_codes=(200,), allowable_methods=("GET",),
            filter_fn=lambda _response: False, stale_if_error=False,
            busy_timeout=int(cache.wait * 1000))
        for table in (session.cache.responses, session.cache.redirects):
            _bound_write_lock(table)
        session.linker_cache = cache  # type: ignore[attr-defined]
        prune_cache(session, cache.max_bytes)
    retry = DeadlineRetry(
        total=config.retries,
        connect=config.retries,
        read=0,  # a server that was slow once is slow again: the deadline is spent waiting
        status=config.retries,
        backoff_factor=config.backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,
        redirect=False,
    )
    adapter = GuardedAdapter(max_retries=retry)
    # Redirects are followed by Client.get, hop by hop, after each hop is checked.
    session.max_redirects = config.max_redirects
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = config.user_agent
    session.headers["Accept-Language"] = "zh-TW,zh;q=0.9,en;q=0.5"
    session.cookies.set("over18", "1", domain="www.ptt.cc", path="/")
    return session


def _probe_cache(path: Path, wait: float) -> None:
    """Take and drop the cache file's write lock, waiting ``wait`` seconds at most: opening
    a cache whose lock another process holds would otherwise wait forever.

    Raises:
        sqlite3.Error: the lock was not free in time, or the file is no database.
    """
    import sqlite3

    probe = sqlite3.connect(path, timeout=wait, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
    finally:
        probe.close()


def _bound_write_lock(table: Any) -> None:
    """requests-cache takes a cache table's write lock in a loop that never ends while another
    process holds the lock or the file is read-only (a hung linker, a cache on read-only
    media): one attempt here, which SQLite's busy timeout bounds, then the error."""
    if not hasattr(table, "_acquire_sqlite_lock"):
        return

    @contextmanager
    def acquire() -> Iterator[None]:
        with table._lock:
            table._connection.execute("BEGIN IMMEDIATE")
            table._active_transaction = True
            try:
                yield
                table._connection.commit()
            except BaseException:
                table._connection.rollback()
                raise
            finally:
                table._active_transaction = False

    table._acquire_sqlite_lock = acquire


def prune_cache(session: requests.Session, max_bytes: int) -> None:
    """Keep the cache file under ``max_bytes``: drop expired responses, then the oldest."""
    cache = getattr(session, "cache", None)
    db_path = getattr(cache, "db_path", None)
    if cache is None or db_path is None or not Path(db_path).exists():
        return
    if Path(db_path).stat().st_size <= max_bytes:
        return
    cache.delete(expired=True)
    responses = list(cache.sorted(key="created_at"))
    if responses:
        cache.delete(*[r.cache_key for r in responses[: len(responses) // 2 + 1]], vacuum=True)


def charset_of(content_type: str | None) -> str | None:
    """The charset a Content-Type header names, lower-cased, or None."""
    if not content_type:
        return None
    from email.message import Message  # lazy: only pages fetched over HTTP need it

    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return charset.strip().lower() if isinstance(charset, str) and charset.strip() else None


def session_factory(config: HttpConfig, cached: bool) -> Callable[[], requests.Session]:
    """How to make the session: with the HTTP cache in the user cache directory or not.

    A function, not a session, so that nothing is imported or opened before the first request,
    and so that a client can travel to another process (a batch on a cluster) and make its
    own session there.
    """
    return partial(_session, config, cached)


def _session(config: HttpConfig, cached: bool) -> requests.Session:
    return make_session(config, CacheConfig(default_cache_path()) if cached else None)


def no_resolver(_host: str) -> list[str]:
    """A resolver that resolves nothing: replaying evidence touches no network, DNS included."""
    return []


class Limiter(Protocol):
    """Spaces out requests to each host (:class:`RateLimiter` in one process; a batch on a
    cluster uses one shared by all its workers)."""

    def wait(self, url: str) -> None:
        """Block until a request to ``url``'s host is allowed, and book the slot."""


class RateLimiter:
    """At most one request per ``interval`` seconds to each host, shared by all threads.

    Args:
        interval: seconds between two requests to the same host (0 disables the limit).
        per_host: other intervals for particular hosts.
    """

    def __init__(self, interval: float = 1.0, per_host: dict[str, float] | None = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self.per_host = dict(per_host or {})
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def spacing(self, url: str) -> tuple[str, float]:
        """``url``'s host, and the seconds between two requests to it (0: no limit)."""
        host = (urlsplit(url).hostname or "").lower()
        return host, self.per_host.get(host, self.interval)

    def wait(self, url: str) -> None:
        """Block until a request to ``url``'s host is allowed, and book the slot."""
        host, interval = self.spacing(url)
        if interval <= 0:
            return
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + interval
        if slot > now:
            self._sleep(slot - now)


class Client:
    """Fetches documents through a session with linker's limits applied.

    Args:
        session: the HTTP session, normally from :func:`make_session`, or a function that
            makes it on the first request (a check of saved files then never pays for
            importing requests and opening the cache).
        config: timeouts and limits; must match the session's.
        limiter: a per-host rate limit (batch runs); None for none.
        allow_private: fetch from private, loopback and link-local addresses too.
        refresh: bypass the HTTP cache (still storing the fresh answers).
        resolver: host name → addresses, for the private-address check.
    """

    def __init__(self, session: requests.Session | Callable[[], requests.Session] | None = None,
                 config: HttpConfig | None = None, limiter: Limiter | None = None, *,
                 allow_private: bool = False, refresh: bool = False,
                 resolver: Resolver = system_resolver) -> None:
        self.config = config or HttpConfig()
        self._session: requests.Session | None = None
        self._make_session: Callable[[], requests.Session] | None = None
        if session is None:
            self._make_session = partial(make_session, self.config)
        elif callable(session):
            self._make_session = session
        else:
            self._session = session
        self._session_lock = threading.Lock()
        self.limiter = limiter
        self.allow_private = allow_private
        self.refresh = refresh
        self._resolve = resolver
        self._resolved: dict[str, Sequence[str]] = {}
        self.cache_problem: Msg | None = None
        """Why the HTTP cache was given up during this run, if it was."""

    @property
    def session(self) -> requests.Session:
        """The HTTP session, made on first use."""
        if self._session is None:
            # sqlite3 only for the HTTP cache: a check of saved files never imports it.
            import sqlite3

            with self._session_lock:
                if self._session is None:
                    assert self._make_session is not None
                    try:
                        self._session = self._make_session()
                    except sqlite3.Error as exc:
                        self._session = self._without_cache(exc)
        return self._session

    def _without_cache(self, error: BaseException) -> requests.Session:
        """A session without the HTTP cache, after the cache failed (locked by another
        process past :attr:`CacheConfig.wait`, read-only, damaged): the cache only saves time, so
        the run goes on, and :attr:`cache_problem` says why once."""
        if self.cache_problem is None:
            cache = getattr(self._session, "linker_cache", None)
            path = cache.path if isinstance(cache, CacheConfig) else default_cache_path()
            self.cache_problem = Msg("the HTTP cache {path} could not be used ({error}); this "
                                     "run went without it", path=str(path),
                                     error=str(error) or type(error).__name__)
        return make_session(self.config)

    def _drop_cache(self, error: BaseException) -> None:
        with self._session_lock:
            if self._session is not None and is_cached(self._session):
                self._session = self._without_cache(error)

    def __getstate__(self) -> dict[str, Any]:
        # What travels to another process is how to make a session, never a session: its
        # sockets and its cache connection belong to this process.
        if self._make_session is None:
            raise TypeError("a Client made with a session object cannot be sent to another "
                            "process; give it a session factory (fetch.session_factory)")
        return {k: v for k, v in self.__dict__.items()
                if k not in ("_session", "_session_lock", "_resolved")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._session = None
        self._session_lock = threading.Lock()
        self._resolved = {}

    def with_limiter(self, limiter: Limiter | None) -> Client:
        """This client's settings with another rate limit (and a session of its own)."""
        other = copy.copy(self)
        other.limiter = limiter
        return other

    def resolver(self, host: str) -> Sequence[str]:
        """The addresses of ``host``, looked up once per client (a sweep meets the same
        outlets again and again)."""
        if host not in self._resolved:
            self._resolved[host] = self._resolve(host)
        return self._resolved[host]

    def get(self, url: str, *, stage: str = "fetch", origin: str | None = None,
            accept: tuple[str, ...] = HTML_TYPES, max_bytes: int | None = None) -> Document:
        """GET ``url`` and return its body, refusing errors, non-HTML and oversized bodies.

        Redirects are followed here, hop by hop, so that every hop passes the same checks
        (scheme, private addresses, the redirect cap, loops).

        Raises:
            NotFoundError: 404 or 410.
            FetchError: any other failure (connection, timeout, HTTP error, redirect loop,
                a private address).
            UnsupportedContentError: not an HTML/text page, or larger than the cap.
        """
        from linker.net.transport import Exchange, allowance

        origin = origin or url
        seconds = allowance(self.config.deadline)
        with Exchange(seconds, guarded=not self.allow_private,
                      shared=seconds < 0.9 * self.config.deadline) as exchange:
            response, current, visited = self._follow(url, stage, origin, exchange)
            with response:
                status = response.status_code
                if status in (404, 410):
                    raise NotFoundError(Msg("HTTP {status}: not found or deleted",
                                            status=status), url=url, stage=stage, status=status, input=origin)
                if status >= 400:
                    message: str = f"HTTP {status} {response.reason or ''}".strip()
                    if status in RETRY_STATUSES and self.config.retries:
                        message = Msg("{status}, still after {n} retries", status=message,
                                      n=self.config.retries)
                    raise FetchError(message, url=url, stage=stage, status=status,
                                     input=origin, failure=Failure.HTTP)
                content_type = response.headers.get("Content-Type")
                media = (content_type or "").split(";")[0].strip().lower()
                if media and not media.startswith(accept):
                    raise UnsupportedContentError(
                        Msg("not a web page: the server sent {media}", media=media), url=url, stage=stage,
                        status=status, input=origin)
                body = self._read_capped(response, url, stage, origin, exchange,
                                         max_bytes or self.config.max_bytes)
                self._store(response, body)
        return Document(
            origin=origin,
            content=body,
            url=url,
            final_url=current,
            status=status,
            content_type=content_type,
            charset=charset_of(content_type),
            history=tuple(visited),
        )

    def _follow(self, url: str, stage: str, origin: str,
                exchange: Exchange) -> tuple[requests.Response, str, list[str]]:
        """Request ``url`` and its redirects, hop by hop; the last response, its URL and the
        hops before it."""
        visited: list[str] = []
        current = url
        while True:
            response = self._request(current, stage, origin, exchange)
            if not response.is_redirect:
                return response, current, visited
            location = response.headers.get("Location", "")
            response.close()
            visited.append(current)
            current = urljoin(current, location)
            if current in visited:
                raise FetchError(Msg("redirect loop ({hops} hops back to {url})", hops=len(visited),
                                     url=current),
                                 url=url, stage=stage, input=origin, failure=Failure.REDIRECTS)
            if len(visited) > self.config.max_redirects:
                raise FetchError(Msg("too many redirects (more than {n})",
                                     n=self.config.max_redirects),
                                 url=url, stage=stage, input=origin, failure=Failure.REDIRECTS)

    def _store(self, response: requests.Response, body: bytes) -> None:
        """Put a successful HTML answer in the HTTP cache (when there is one)."""
        cache_config = getattr(self.session, "linker_cache", None)
        if cache_config is None or response.status_code != 200 or getattr(
                response, "from_cache", False):
            return
        host = (urlsplit(response.url).hostname or "").lower()
        ttl = cache_config.ptt_expire_after if host.endswith("ptt.cc") else \
            cache_config.expire_after
        response._content = body  # what was read, within the cap
        response._content_consumed = True  # type: ignore[attr-defined]
        import sqlite3

        backend = self.session.cache  # type: ignore[attr-defined]
        try:
            backend.save_response(response, backend.create_key(response.request),
                                  datetime.now(UTC) + timedelta(seconds=ttl))
        except sqlite3.Error as exc:
            self._drop_cache(exc)

    def _request(self, url: str, stage: str, origin: str,
                 exchange: Exchange) -> requests.Response:
        problem = url_problem(url, allow_private=self.allow_private, resolver=self.resolver)
        if problem:
            raise FetchError(problem, url=url, stage=stage, input=origin,
                             failure=Failure.BLOCKED)
        host = (urlsplit(url).hostname or "").lower()
        if exchange.guarded and host not in exchange.pins:
            # The address the check above approved (the resolution is cached per client):
            # the connection goes there, never to a second answer of the DNS.
            addresses = self.resolver(host)
            if addresses:
                exchange.pins[host] = addresses[0]
        if self.limiter is not None:
            self.limiter.wait(url)
        remaining = exchange.remaining()
        if remaining <= 0:
            raise FetchError(_too_slow(stage, host, exchange), url=url, stage=stage,
                             input=origin, failure=Failure.TIMEOUT)
        timeout = (min(self.config.connect_timeout, remaining),
                   min(self.config.read_timeout, remaining))
        import sqlite3

        extra: dict[str, Any] = (
            {"force_refresh": True} if self.refresh and is_cached(self.session) else {})
        try:
            try:
                return self.session.get(url, timeout=timeout, stream=True,
                                        allow_redirects=False, **extra)
            except sqlite3.Error as exc:  # the cache's, read before any request is sent
                self._drop_cache(exc)
                return self.session.get(url, timeout=timeout, stream=True,
                                        allow_redirects=False)
        except Exception as exc:
            requests = _requests()
            if isinstance(exc, requests.exceptions.RetryError):
                raise FetchError(Msg("the server kept failing after {n} retries",
                                     n=self.config.retries), url=url, stage=stage, input=origin,
                                 failure=Failure.HTTP) from exc
            if isinstance(exc, requests.RequestException):
                failure, words = network_failure(exc, stage, host, exchange)
                raise FetchError(words, url=url, stage=stage, input=origin,
                                 failure=failure) from exc
            # Replaying evidence (--replay), vcrpy refuses requests the file does not hold.
            if type(exc).__module__.startswith("vcr"):
                raise FetchError(Msg("this request is not in the evidence file"), url=url,
                                 stage=stage, input=origin,
                                 failure=Failure.NOT_RECORDED) from exc
            raise

    def _read_capped(self, response: requests.Response, url: str, stage: str,
                     origin: str, exchange: Exchange, limit: int) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise UnsupportedContentError(
                Msg("page too large ({size} bytes; the limit is {limit})",
                    size=f"{int(declared):,}", limit=f"{limit:,}"),
                url=url, stage=stage, input=origin)
        chunks: list[bytes] = []
        size = 0
        host = (urlsplit(url).hostname or "").lower()
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > limit:
                    raise UnsupportedContentError(
                        Msg("page too large (over {limit} bytes)", limit=f"{limit:,}"), url=url, stage=stage,
                        input=origin)
                chunks.append(chunk)
                if exchange.expired:
                    break
        except _requests().RequestException as exc:
            failure, words = network_failure(exc, stage, host, exchange)
            raise FetchError(words, url=url, stage=stage, input=origin,
                             failure=failure) from exc
        if exchange.expired:
            raise FetchError(_too_slow(stage, host, exchange), url=url, stage=stage,
                             input=origin, failure=Failure.TIMEOUT)
        return b"".join(chunks)


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size % 2**20 else f"{size // 2**20} MB"


def _requests() -> Any:
    import requests

    return requests


def _subject(stage: str, host: str) -> str:
    return host if "post" in stage else Msg("the source ({host})", host=host) if host else Msg(
        "the source")


def _too_slow(stage: str, host: str, exchange: Exchange) -> str:
    if exchange.shared:
        return Msg("{subject} did not answer in the time left for this post",
                   subject=_subject(stage, host))
    return Msg("{subject} did not answer within {seconds} s", subject=_subject(stage, host),
               seconds=f"{round(exchange.seconds, 1):g}")


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what lies under it (``__cause__``/``__context__`` and urllib3's
    ``reason``), outermost first."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop(0)
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        todo.extend([getattr(item, "reason", None) if isinstance(
            getattr(item, "reason", None), BaseException) else None,
            item.__cause__, item.__context__])
        todo.extend(a for a in item.args if isinstance(a, BaseException))
    return seen


DEADLINE_SLACK = 0.05
"""Seconds before the deadline at which a failure counts as the deadline's."""


def network_failure(exc: BaseException, stage: str, host: str,
                    exchange: Exchange) -> tuple[Failure, str]:
    """What went wrong on the network: its kind, and in words (never a library's repr)."""
    import ssl

    from urllib3.exceptions import NameResolutionError

    causes = _causes(exc)
    names = {type(c).__name__ for c in causes}
    subject = _subject(stage, host)
    # Definite answers first, even when the retries ran into the deadline.
    if any(isinstance(c, NameResolutionError | socket.gaierror) for c in causes):
        return Failure.NO_HOST, Msg("{subject}: the host name does not resolve", subject=subject)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return Failure.REFUSED, Msg("connection refused by {host}", host=host)
    if any(isinstance(c, ssl.SSLCertVerificationError) for c in causes):
        return Failure.TLS, Msg("{subject}: its TLS certificate could not be verified",
                                subject=subject)
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return Failure.TLS, Msg("{subject}: the TLS handshake failed", subject=subject)
    # A socket timeout capped at the time left is the deadline too, even when it fires before
    # the deadline's timer thread gets to mark the exchange (a busy machine).
    if exchange.expired or exchange.remaining() < DEADLINE_SLACK:
        return Failure.TIMEOUT, _too_slow(stage, host, exchange)
    if "ConnectTimeoutError" in names or "ConnectTimeout" in names:
        return Failure.TIMEOUT, Msg("{subject} did not accept a connection in time",
                                    subject=subject)
    if any(isinstance(c, TimeoutError | socket.timeout) for c in causes) or \
            "ReadTimeoutError" in names or "ReadTimeout" in names:
        return Failure.TIMEOUT, Msg("{subject} stopped answering", subject=subject)
    if any(isinstance(c, ConnectionResetError | BrokenPipeError) for c in causes) or \
            names & {"ProtocolError", "IncompleteRead", "ChunkedEncodingError"}:
        return Failure.BROKEN, Msg("{subject} broke the connection off mid-answer",
                                   subject=subject)
    if any(isinstance(c, OSError) and c.strerror for c in causes):
        error = next(c for c in causes if isinstance(c, OSError) and c.strerror)
        return Failure.UNREACHABLE, Msg("could not connect to {host}: {error}", host=host,
                   error=(error.strerror or "").lower())
    return Failure.UNREACHABLE, Msg("could not fetch from {host} ({error})", host=host,
                                    error=type(exc).__name__)


def fetch_article(ref: ArticleRef, client: Client, *, base: str = PTT_BASE,
                  origin: str | None = None) -> Document:
    """Fetch a PTT article page from ``base`` (www.ptt.cc, or a mirror or test host).

    Raises:
        NotFoundError: the post is deleted or never existed.
        Over18Error: the over-18 gate still shows.
    """
    url = ref.url if base == PTT_BASE else f"{base.rstrip('/')}/bbs/{ref.board}/{ref.file}.html"
    try:
        doc = client.get(url, stage="fetch post", origin=origin or ref.url,
                         max_bytes=client.config.max_post_bytes)
    except NotFoundError as exc:
        raise NotFoundError(Msg("post not found or deleted (HTTP 404)"), url=url,
                            stage="fetch post", status=exc.status,
                            input=origin or ref.url) from exc
    if "/ask/over18" in (doc.final_url or "") or b"over18-notice" in doc.content:
        raise Over18Error(Msg("ptt.cc showed its over-18 gate even with the over18 cookie"),
                          url=url, stage="fetch post", input=origin or ref.url)
    return doc


def read_post_document(origin: str, client: Client, stdin: BinaryIO | None = None) -> Document:
    """Obtain the bytes of a post: a URL (ptt.cc, short form, mirror), a file, or ``-``.

    Raises:
        InputError: unreadable path, empty input, a URL that is not a PTT post.
        NotFoundError: the post is deleted or never existed.
        Over18Error: ptt.cc still shows the over-18 gate.
    """
    limit = client.config.max_post_bytes
    if origin == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        content = stream.read(limit + 1)
        if len(content) > limit:
            raise InputError(Msg("the post on standard input is larger than {size}, the most "
                                 "linker reads", size=_mb(limit)), input=origin)
        if not content.strip():
            raise InputError(Msg("standard input is empty"), input=origin)
        return Document(origin=origin, content=content)
    if is_url(origin):
        return fetch_article(article_ref(origin), client, origin=origin)
    path = Path(origin)
    if not path.exists():
        if looks_like_address(origin):
            # `www.ptt.cc/bbs/…` as copied from a browser's address bar, without its scheme.
            return fetch_article(article_ref("https://" + origin.strip()), client,
                                 origin=origin)
        raise InputError(Msg("no such file: {path}", path=origin), input=origin)
    if path.is_dir():
        raise InputError(Msg("is a directory, not a post file: {path}", path=origin), input=origin)
    with suppress(OSError):
        if path.stat().st_size > limit:
            raise InputError(Msg("the post file is {size}; linker reads posts up to {limit}",
                                 size=_mb(path.stat().st_size), limit=_mb(limit)), input=origin)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InputError(Msg("cannot read {path}: {error}", path=origin,
                             error=exc.strerror or ""), input=origin) from exc
    if not content.strip():
        raise InputError(Msg("the file is empty: {path}", path=origin), input=origin)
    return Document(origin=origin, content=content)
