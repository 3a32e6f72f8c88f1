"""Batch on a Dask cluster: ``linker batch --cluster local[:N] | tcp://HOST:8786``.

The client (the ``linker batch`` process) reads the posts, builds the WARC index, decides what
is unchanged since the last run, and stores every result: the SQLite store stays on one
machine and is written one post per transaction, as without a cluster.  Workers do the CPU
work (extraction, alignment, the check view) and any live fetch.

* **Tasks carry their sources.**  Posts are grouped by the archived record that serves their
  cited page, so posts citing one page travel in one task, and each task carries a
  :meth:`~linker.runs.warc.WarcIndex.subset` with those records' bytes read once by the client.
  Workers read no WARC file (they need no shared file system) and no record is read twice.
  Tasks are submitted a few at a time, so the client holds the bytes of the tasks in flight
  only.
* **Politeness across workers.**  Live fetches (``--live-fallback``, the Wayback Machine, a
  sweep without ``--sources``) keep one request per ``--rate`` seconds per host for the whole
  cluster with a :class:`distributed.Semaphore` per host (:class:`ClusterRateLimiter`).  Host
  partitioning was the alternative; it was not taken because a post's hosts are known only
  while it is fetched (short links, redirects, the Wayback Machine), and because it would
  put every post of a busy outlet on one worker.  A semaphore's lease held by a worker that
  dies is freed by the scheduler after its lease timeout.
* **Nothing finished is lost.**  A worker that dies takes its running task with it; Dask runs
  the task again elsewhere (its inputs are in the task).  A task that kills workers three
  times is reported, its posts are not stored, and a rerun checks them.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from linker.errors import ClusterError
from linker.messages import Msg
from linker.models import Post
from linker.net.fetch import Client, RateLimiter
from linker.ptt.board import Row
from linker.runs.store import Record, Store
from linker.runs.sweep import (
    BatchOptions,
    BatchResult,
    Outcome,
    check_one,
    decide_board_rules,
    finish,
    list_or_read,
    open_archives,
    post_deadline,
    post_to_check,
    record_of,
)
from linker.version import __version__

if TYPE_CHECKING:
    import distributed

    from linker.runs.warc import Capture, WarcIndex

TASK_POSTS = 8
"""Posts a task carries at most (posts citing one page are never split): small enough to
spread a few hundred posts over a handful of workers, large enough that Dask's ~1 ms per
task is noise next to ~50 ms of CPU per post."""
IN_FLIGHT_PER_THREAD = 2
"""Tasks submitted ahead per worker thread: workers never wait for the client, and the client
holds the source bytes of only this many tasks."""


@dataclass(frozen=True)
class ClusterSpec:
    """Where to run: a LocalCluster of ``workers`` processes, or the scheduler at
    ``address``."""

    address: str | None = None
    workers: int | None = None


def parse_cluster(spec: str) -> ClusterSpec:
    """``local``, ``local:N`` or a scheduler address (``tcp://HOST:8786``, ``tls://…``)."""
    text = spec.strip()
    if text == "local":
        return ClusterSpec()
    if text.startswith("local:"):
        count = text.removeprefix("local:")
        if not count.isdigit() or not 1 <= int(count) <= 256:
            raise ClusterError(Msg("--cluster local:N needs a number of workers from 1 to 256, "
                                   "not {value}", value=repr(count)), input=spec)
        return ClusterSpec(workers=int(count))
    parts = urlsplit(text)
    if parts.scheme in ("tcp", "tls", "ws", "wss") and parts.hostname:
        return ClusterSpec(address=text)
    raise ClusterError(Msg("--cluster takes local, local:N or a scheduler address such as "
                           "tcp://10.0.0.5:8786, not {value}", value=repr(spec)), input=spec)


def _linker_version() -> str:
    return __version__


@contextmanager
def connect(spec: ClusterSpec, *, timeout: float = 10.0,
            wait_for_workers: float = 60.0) -> Iterator[distributed.Client]:
    """A Dask client: on a new LocalCluster, or joined to a running scheduler (which must have
    a worker within ``wait_for_workers`` seconds: tasks would otherwise wait in silence).
    Its workers must run this version of linker (results of two versions would mix in one
    store)."""
    try:
        import distributed
    except ImportError:
        raise ClusterError(Msg("--cluster needs Dask: pip install 'linker[cluster]'")) from None
    cluster: Any = None
    try:
        if spec.address is None:
            # On loopback only: a local cluster has no business listening on the network.
            cluster = distributed.LocalCluster(
                n_workers=spec.workers, threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
            client = distributed.Client(cluster, set_as_default=False)
        else:
            client = distributed.Client(spec.address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        where = spec.address or "local"
        raise ClusterError(Msg("cannot reach the Dask scheduler at {address}: {error}",
                               address=where, error=str(exc) or type(exc).__name__),
                           input=where) from None
    try:
        if spec.address is not None:
            try:
                client.wait_for_workers(1, timeout=wait_for_workers)
            except TimeoutError:
                raise ClusterError(Msg("no Dask worker joined the scheduler at {address} within "
                                       "{n} s; start some with: dask worker {address}",
                                       address=spec.address, n=f"{wait_for_workers:g}"),
                                   input=spec.address) from None
        versions = client.run(_linker_version)
        other = sorted({v for v in versions.values() if v != __version__})
        if other:
            raise ClusterError(Msg("the cluster's workers run linker {theirs}, this is linker "
                                   "{ours}; install the same version everywhere",
                                   theirs=", ".join(other), ours=__version__),
                               input=spec.address or "local")
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def dashboard(client: distributed.Client) -> str | None:
    """The Dask dashboard's address, when the scheduler serves one."""
    info = client.scheduler_info()
    port = (info.get("services") or {}).get("dashboard")
    return str(client.dashboard_link) if port else None


class ClusterRateLimiter:
    """:class:`~linker.net.fetch.RateLimiter`'s promise for a whole cluster: at most one request
    per ``interval`` seconds to each host, whichever worker makes it.

    Each host has a :class:`distributed.Semaphore` with one lease.  A worker takes the lease
    before its request and gives it back ``interval`` seconds later (a timer), so the next
    request to that host, from any worker, starts no sooner.  Only the host's name and the
    interval travel with a task; the semaphores are made on the worker.
    """

    def __init__(self, interval: float = 1.0, per_host: dict[str, float] | None = None) -> None:
        # The intervals are the process limiter's (same per-host rules); only the booking
        # differs.
        self.spacing = RateLimiter(interval, per_host).spacing
        self.interval = interval
        self.per_host = dict(per_host or {})
        self._semaphores: dict[str, Any] = {}
        self._lock = threading.Lock()

    @classmethod
    def like(cls, limiter: object) -> ClusterRateLimiter | None:
        """The cluster-wide counterpart of a client's limiter (None for none)."""
        if isinstance(limiter, RateLimiter):
            return cls(limiter.interval, limiter.per_host)
        return None

    def __reduce__(self) -> tuple[Any, ...]:
        return (ClusterRateLimiter, (self.interval, self.per_host))

    def wait(self, url: str) -> None:
        """Block until this cluster may send a request to ``url``'s host, and book it."""
        host, interval = self.spacing(url)
        if interval <= 0:
            return
        with self._lock:
            semaphore = self._semaphores.get(host)
            if semaphore is None:
                import distributed

                semaphore = distributed.Semaphore(max_leases=1, name=f"linker-rate:{host}")
                self._semaphores[host] = semaphore
        semaphore.acquire()
        timer = threading.Timer(interval, semaphore.release)
        timer.daemon = True
        timer.start()


@dataclass(frozen=True)
class Task:
    """What one Dask task carries: its posts, and the archived pages they cite."""

    posts: tuple[tuple[Row, Post], ...]
    sources: WarcIndex | None


def check_task(task: Task, options: BatchOptions, client: Client) -> list[tuple[Outcome,
                                                                                Record]]:
    """Run on a worker: check each post of ``task``; what the client stores, and the outcome
    without the report (the record holds it)."""
    out = []
    for row, post in task.posts:
        outcome = check_one(row, post, options, client, task.sources)
        out.append((replace(outcome, report=None, post=None), record_of(outcome, options)))
    return out


def _served(post: Post, index: WarcIndex | None) -> Capture | str:
    """What serves ``post``'s source: an archived record, else the cited URL itself."""
    url = post.fields.source_url or ""
    if index is not None and url:
        served = index.serve(url, post.time)
        if served is not None:
            return served.capture
    return url


def plan(items: list[tuple[Row, Post]], index: WarcIndex | None,
         size: int = TASK_POSTS) -> list[list[tuple[Row, Post]]]:
    """The posts of ``items`` in tasks of about ``size``; posts served by one archived
    record (or citing one URL) are in one task, whatever its size."""
    groups: dict[object, list[tuple[Row, Post]]] = {}
    for row, post in items:
        groups.setdefault(_served(post, index) or row, []).append((row, post))
    tasks: list[list[tuple[Row, Post]]] = []
    current: list[tuple[Row, Post]] = []
    for group in groups.values():
        if current and len(current) + len(group) > size:
            tasks.append(current)
            current = []
        current.extend(group)
    if current:
        tasks.append(current)
    return tasks


def make_task(posts: list[tuple[Row, Post]], index: WarcIndex | None) -> Task:
    """A task of ``posts`` with the archived records they need (read here, once)."""
    sources = None
    if index is not None:
        sources = index.subset((p.fields.source_url, p.time) for _row, p in posts
                               if p.fields.source_url)
    return Task(tuple(posts), sources)


def _posts(options: BatchOptions, client: Client, result: BatchResult,
           store: Store) -> tuple[int, Iterator[tuple[Row, Post | Outcome]]]:
    """How many posts are listed, and each one's post to check or its outcome (unreadable,
    unchanged).  Posts no dump gives are fetched on this machine, politely."""
    known = store.known()
    listed = list_or_read(options, client, result)

    def fetch(item: tuple[Row, Post | None]) -> tuple[Row, Post | Outcome]:
        row, given = item
        with post_deadline(client):
            return row, post_to_check(row, options, client, known, given)

    if options.posts is not None:
        return len(listed), map(fetch, listed)

    def fetched() -> Iterator[tuple[Row, Post | Outcome]]:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=max(1, options.threads),
                                thread_name_prefix="linker-posts") as pool:
            yield from pool.map(fetch, listed)

    return len(listed), fetched()


def run_on_cluster(options: BatchOptions, client: Client, store: Store,
                   dask: distributed.Client,
                   on_listed: Callable[[int], None] | None = None,
                   on_outcome: Callable[[Outcome], None] | None = None, *,
                   task_posts: int = TASK_POSTS) -> BatchResult:
    """:func:`linker.runs.local.run_batch` with the checks on ``dask``'s workers, in tasks of
    about ``task_posts`` posts."""
    import distributed

    result = BatchResult()
    index = open_archives(options, result)
    listed, arrivals = _posts(options, client, result, store)
    result.listed = listed
    if on_listed:
        on_listed(listed)
    to_check: list[tuple[Row, Post]] = []
    try:
        for row, item in arrivals:
            if isinstance(item, Outcome):
                finish(item, None if item.status == "skipped" else record_of(item, options),
                       store, result, on_outcome)
            else:
                to_check.append((row, item))
    except KeyboardInterrupt:
        result.interrupted = True
        return result
    remote = client.with_limiter(ClusterRateLimiter.like(client.limiter))
    waiting = deque(plan(to_check, index, task_posts))
    threads = sum(w.get("nthreads", 1) for w in dask.scheduler_info()["workers"].values())
    ahead = max(2, IN_FLIGHT_PER_THREAD * threads)
    running: Any = distributed.as_completed(loop=dask.loop)  # untyped in Dask
    in_flight: dict[object, tuple[Any, list[tuple[Row, Post]]]] = {}

    def top_up() -> None:
        while waiting and running.count() < ahead:
            posts = waiting.popleft()
            future = dask.submit(check_task, make_task(posts, index), options, remote, pure=False)
            in_flight[future.key] = (future, posts)
            running.add(future)

    def store_done(future: Any, notify: Callable[[Outcome], None] | None) -> None:
        _future, posts = in_flight.pop(future.key)
        try:
            pairs = future.result()
        except Exception as exc:  # a lost task is reported, the rest go on
            reason = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
            result.lost.extend(f"{row.ref.url if row.ref else '?'} ({reason})"
                               for row, _post in posts)
            return
        stop: KeyboardInterrupt | None = None
        for outcome, record in pairs:
            # A task's posts are all finished: a stop asked for while storing one of them
            # waits until the others are stored too.
            try:
                finish(outcome, record, store, result, None if stop else notify)
            except KeyboardInterrupt as exc:
                stop = exc
        if stop is not None:
            raise stop

    top_up()
    try:
        for future in running:
            store_done(future, on_outcome)
            top_up()
    except KeyboardInterrupt:
        result.interrupted = True
        # What finished is stored; what did not is cancelled (a rerun checks it).
        for future, _unused in list(in_flight.values()):
            if future.status == "finished":
                store_done(future, None)
            else:
                future.cancel()
    decide_board_rules(store, options)
    return result
