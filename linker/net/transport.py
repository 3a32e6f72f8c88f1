"""The connection layer under requests: connect to the address that was checked, and stop at
one wall-clock deadline.

Two gaps a hostile server or DNS zone could use are closed here.

- **DNS rebinding.**  :mod:`linker.net.safety` resolves a link's host and refuses private
  addresses; if urllib3 then resolved the name again to connect, a zone answering a public
  address first and 127.0.0.1 second would get through.  Instead the pools below make each
  new connection open its socket to the checked address while its ``host`` stays the name,
  so the Host header, TLS SNI and certificate checks are those of the name.  A name that was
  not checked (it did not resolve) is sent to a reserved ``.invalid`` name, so it fails
  instead of being resolved behind the check's back.
- **Slow servers.**  Timeouts bound each socket operation, not the whole: a server sending a
  byte a second never trips them.  An :class:`Exchange` carries one deadline for a whole
  fetch (connects, retries, redirects, the body), and a timer shuts the exchange's sockets
  down when it passes, which ends any read blocked on them, whoever holds the socket by then
  (a response read until the server closes holds it, not the connection).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import TracebackType
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

UNRESOLVED = "unresolved.invalid"
"""Where a connection to a host that was never checked goes: nowhere (RFC 2606)."""

_local = threading.local()


class Exchange:
    """One fetch in progress on this thread: its deadline, the addresses its hosts are pinned
    to, and the connections it has used (shut down when the deadline passes).

    Args:
        seconds: the wall-clock budget of the whole fetch.
        guarded: whether hosts must be pinned (False with ``--allow-private``).
        shared: the budget is what a :class:`Budget` had left, not a fetch's own.
    """

    def __init__(self, seconds: float, *, guarded: bool = True, shared: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.guarded = guarded
        self.shared = shared
        self._clock = clock
        self.deadline = clock() + seconds
        self.pins: dict[str, str] = {}
        self.expired = False
        self._connections: list[Any] = []
        self._sockets: list[tuple[Any, bool]] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def remaining(self) -> float:
        """Seconds left before the deadline (never negative)."""
        return max(0.0, self.deadline - self._clock())

    def watch(self, connection: Any) -> None:
        """Shut ``connection`` down if the deadline passes while it is in use."""
        with self._lock:
            self._connections.append(connection)
            expired = self.expired
        if expired:
            _shut(connection)

    def keep(self, sock: Any, *, owned: bool = False) -> None:
        """Shut ``sock``, a socket this exchange opened or used, down at the deadline, whoever
        holds it then: ``http.client`` hands the socket of a response that ends when the
        server closes (HTTP/1.0, no length) to the response, leaving the connection none.
        ``owned``: a duplicate made for the exchange, closed when it ends."""
        with self._lock:
            self._sockets.append((sock, owned))
            expired = self.expired
        if expired:
            _shut_socket(sock)

    def expire(self) -> None:
        """The deadline has passed: end every read or write in progress."""
        with self._lock:
            self.expired = True
            connections = list(self._connections)
            sockets = list(self._sockets)
        for connection in connections:
            _shut(connection)
        for sock, _owned in sockets:
            _shut_socket(sock)

    def __enter__(self) -> Exchange:
        self._previous = getattr(_local, "exchange", None)
        _local.exchange = self
        self._timer = threading.Timer(self.remaining(), self.expire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            owned = [sock for sock, mine in self._sockets if mine]
        for sock in owned:
            with suppress(OSError):
                sock.close()
        _local.exchange = self._previous


class Budget:
    """A deadline shared by every fetch made inside it on this thread (a batch gives each post
    one: its page, its source and any archived copy together)."""

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.deadline = clock() + seconds
        self._clock = clock

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.deadline - self._clock())

    def __enter__(self) -> Budget:
        self._previous = getattr(_local, "budget", None)
        _local.budget = self
        return self

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Time spent inside does not count: a post waiting for a free CPU worker has not
        spent its network time (the archived copy fetched after the analysis still gets it)."""
        start = self._clock()
        try:
            yield
        finally:
            self.deadline += self._clock() - start

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        _local.budget = self._previous


@contextmanager
def budget_paused() -> Iterator[None]:
    """Pause this thread's :class:`Budget`, if any, for the block."""
    budget: Budget | None = getattr(_local, "budget", None)
    if budget is None:
        yield
        return
    with budget.paused():
        yield


def allowance(seconds: float) -> float:
    """The seconds a fetch may take: ``seconds``, or what is left of the thread's budget."""
    budget: Budget | None = getattr(_local, "budget", None)
    return seconds if budget is None else min(seconds, budget.remaining())


def current() -> Exchange | None:
    """The exchange in progress on this thread, if any."""
    exchange: Exchange | None = getattr(_local, "exchange", None)
    return exchange


def _shut(connection: Any) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        _shut_socket(sock)


def _shut_socket(sock: Any) -> None:
    with suppress(OSError, AttributeError, TypeError, ValueError):  # closed, or a replay stub
        sock.shutdown(socket.SHUT_RDWR)


def _is_ip(host: str) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host.strip("[]"))
    except OSError:
        return False
    return True


def _connect_to(connection: Any, address: str) -> socket.socket:
    """urllib3's ``HTTPConnection._new_conn``, to ``address`` instead of the host name: the
    connection keeps its ``host``, so the Host header and TLS (SNI, certificate) are the
    name's, and a replayed (vcrpy) connection, which never connects, is unaffected."""
    from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
    from urllib3.util import connection as util

    try:
        return util.create_connection((address, connection.port), connection.timeout,
                                      source_address=connection.source_address,
                                      socket_options=connection.socket_options)
    except socket.gaierror as exc:
        raise NameResolutionError(connection.host, connection, exc) from exc
    except TimeoutError as exc:
        raise ConnectTimeoutError(connection, f"Connection to {connection.host} timed out. "
                                              f"(connect timeout={connection.timeout})") from exc
    except OSError as exc:
        raise NewConnectionError(connection,
                                 f"Failed to establish a new connection: {exc}") from exc


class _GuardedPool:
    """Pool behaviour shared by the HTTP and HTTPS pools (mixed in before them)."""

    host: str

    def _new_conn(self) -> Any:
        connection = super()._new_conn()  # type: ignore[misc]
        exchange = current()
        opener: Callable[[], socket.socket] = connection._new_conn
        if exchange is not None and exchange.guarded and not _is_ip(self.host):
            address = exchange.pins.get(self.host.lower(), UNRESOLVED)
            opener = lambda: _connect_to(connection, address)  # noqa: E731

        def opened() -> socket.socket:
            sock = opener()
            now = current()
            if now is not None:
                # A duplicate: TLS takes the socket object over (detaching it), and a response
                # read until the server closes takes the connection's socket away.
                now.keep(sock.dup(), owned=True)
            return sock

        connection._new_conn = opened
        return connection

    def _get_conn(self, timeout: float | None = None) -> Any:
        connection = super()._get_conn(timeout)  # type: ignore[misc]
        exchange = current()
        if exchange is not None:
            exchange.watch(connection)
            sock = getattr(connection, "sock", None)
            if sock is not None:  # a kept-alive connection, its socket opened earlier
                exchange.keep(sock)
        return connection


class GuardedHTTPPool(_GuardedPool, HTTPConnectionPool):
    """An HTTP pool whose connections go to the pinned address, under the deadline."""


class GuardedHTTPSPool(_GuardedPool, HTTPSConnectionPool):
    """An HTTPS pool whose connections go to the pinned address, under the deadline (SNI and
    certificate checks stay those of the host name)."""


class GuardedAdapter(HTTPAdapter):
    """requests' adapter with the guarded pools."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": GuardedHTTPPool, "https": GuardedHTTPSPool}


class DeadlineRetry(Retry):
    """Retries whose waits (backoff, ``Retry-After``) never outlast the exchange's deadline:
    a server answering ``Retry-After: 3600`` gets no hour of linker's time."""

    def _capped(self, seconds: float) -> float:
        exchange = current()
        return seconds if exchange is None else min(seconds, exchange.remaining())

    def get_backoff_time(self) -> float:
        return self._capped(super().get_backoff_time())

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else self._capped(seconds)
