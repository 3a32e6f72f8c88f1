"""Sweep a board on this machine: list its news posts, check each one, store every outcome.

Network work runs in threads, politely (a per-host rate limit shared by all of them); the CPU
work of a check (extraction, alignment) runs in worker processes, so neither waits for the
other.  Every finished post is stored in its own transaction; a rerun skips posts already
checked unless their text changed (content hash or a new ``※ 編輯`` line).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

from linker.check import analyse
from linker.models import Document, Post, Report
from linker.net.fetch import Client
from linker.ptt.board import Row
from linker.runs.store import Known, Store
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
from linker.runs.workers import process_pool

if TYPE_CHECKING:
    import distributed

    from linker.runs.warc import WarcIndex


def run_batch(options: BatchOptions, client: Client, store: Store,
              on_listed: Callable[[int], None] | None = None,
              on_outcome: Callable[[Outcome], None] | None = None, *,
              dask: distributed.Client | None = None) -> BatchResult:
    """Sweep ``options.board``: list, check and store each news post.

    ``on_outcome`` is called in the calling thread after each post is stored; raising
    ``KeyboardInterrupt`` (or pressing Ctrl-C) stops the sweep once the posts in flight are
    stored.  The result says whether it was interrupted.  With ``dask``, the checks run on
    that cluster's workers (:mod:`linker.runs.cluster`); without, in this machine's threads and
    processes.
    """
    if dask is not None:
        from linker.runs.cluster import run_on_cluster

        return run_on_cluster(options, client, store, dask, on_listed, on_outcome)
    result = BatchResult()
    cpu = process_pool(options.jobs)
    stop = threading.Event()
    try:
        listed = list_or_read(options, client, result)
        sources = open_archives(options, result)
        result.listed = len(listed)
        if on_listed:
            on_listed(len(listed))
        known = store.known()
        with ThreadPoolExecutor(max_workers=max(1, options.threads),
                                thread_name_prefix="linker-batch") as pool:
            futures: list[Future[Outcome]] = [
                pool.submit(_process, row, options, client, known, cpu, stop, sources, given)
                for row, given in listed]
            try:
                for outcome in _in_order_of_completion(futures):
                    _finish(outcome, options, store, result, on_outcome)
            except KeyboardInterrupt:
                result.interrupted = True
                stop.set()
                for f in futures:
                    f.cancel()
                # Store what was in flight, so nothing finished is lost.
                for f in futures:
                    if f.cancelled():
                        continue
                    outcome = f.result()
                    if outcome.url not in result.urls and outcome.status != "cancelled":
                        _finish(outcome, options, store, result, None)
    finally:
        if cpu is not None:
            cpu.shutdown(wait=True, cancel_futures=True)
    decide_board_rules(store, options)
    return result


def _in_order_of_completion(futures: list[Future[Outcome]]) -> Iterator[Outcome]:
    pending = set(futures)
    while pending:
        done, pending = wait(pending, return_when="FIRST_COMPLETED")
        # Deterministic order among those finished together.
        for f in sorted(done, key=futures.index):
            yield f.result()


def _process(row: Row, options: BatchOptions, client: Client, known: dict[str, Known],
             cpu: Executor | None, stop: threading.Event, sources: WarcIndex | None = None,
             given: Post | None = None) -> Outcome:
    with post_deadline(client):
        return _process_post(row, options, client, known, cpu, stop, sources, given)


def _process_post(row: Row, options: BatchOptions, client: Client, known: dict[str, Known],
                  cpu: Executor | None, stop: threading.Event, sources: WarcIndex | None,
                  given: Post | None) -> Outcome:
    assert row.ref is not None
    if stop.is_set():
        return Outcome(row, row.ref.url, "cancelled")
    post = post_to_check(row, options, client, known, given)
    if isinstance(post, Outcome):
        return post

    def analyser(p: Post, doc: Document) -> Report:
        from linker.net.transport import budget_paused

        # The post's deadline is for the network: waiting for a worker and analysing are not.
        with budget_paused():
            return cpu.submit(analyse, p, doc).result() if cpu is not None else analyse(p, doc)

    try:
        return check_one(row, post, options, client, sources, analyser)
    except BrokenExecutor:
        # Its worker died (killed, out of memory): no verdict, so nothing is stored and a
        # rerun checks the post.
        return Outcome(row, row.ref.url, "lost", "its worker process died")


def _finish(outcome: Outcome, options: BatchOptions, store: Store, result: BatchResult,
            on_outcome: Callable[[Outcome], None] | None) -> None:
    record = record_of(outcome, options) \
        if outcome.status not in ("skipped", "cancelled", "lost") else None
    finish(outcome, record, store, result, on_outcome)
