"""Worker processes that never outlive the run, and termination signals that end a run the way
Ctrl-C does.

However the parent ends (Ctrl-C, ``kill -TERM``, ``kill -9``, a shell's ``timeout``), no worker
lives on holding memory and the store:

- each worker asks the kernel for SIGKILL when its parent dies (Linux ``PR_SET_PDEATHSIG``), and
  elsewhere watches its parent from a thread;
- each worker leaves the command's process group, so a signal sent to the group (a terminal's
  Ctrl-C, ``timeout``) reaches only the parent, which lets the posts in flight finish, stores
  them and then shuts the pool down;
- :func:`terminate_as_interrupt` turns SIGTERM and SIGHUP into ``KeyboardInterrupt`` in the
  parent, so they store what finished, as Ctrl-C does; a post being stored when the signal
  comes is stored and counted first (:func:`interrupts_deferred`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from types import FrameType

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _warm(_: int) -> int:
    return os.getpid()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _die_with_parent(parent: int) -> None:
    """Arrange for this process to end when ``parent`` does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Out of the command's process group: the parent alone decides when a worker stops. The
    # pool's own terminate() still reaches the worker (SIGTERM keeps its default action).
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    armed = False
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch, args=(parent,), name="linker-parent-watch",
                         daemon=True).start()


def process_pool(jobs: int) -> ProcessPoolExecutor | None:
    """``jobs`` worker processes (None for none), started now, before any thread exists, by
    the calling thread (the kernel's parent-death signal follows the thread that forked)."""
    if jobs <= 0:
        return None
    # Fork keeps start-up cheap, which matters for sweeps of a few dozen posts.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                               initializer=_die_with_parent, initargs=(os.getpid(),))
    list(pool.map(_warm, range(jobs)))
    return pool


class _Deferral:
    """Stop signals that arrived while a post was being stored (handlers run in the main
    thread only, so this needs no lock)."""

    def __init__(self) -> None:
        self.depth = 0
        self.pending: list[int] = []


_deferral = _Deferral()


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    if _deferral.depth:
        _deferral.pending.append(signum)
        return
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Within the block, a stop signal handled by :func:`terminate_as_interrupt` waits for the
    block's end: a post is stored and counted together, never stored and left uncounted."""
    _deferral.depth += 1
    try:
        yield
    finally:
        _deferral.depth -= 1
    if not _deferral.depth and _deferral.pending:
        signum = _deferral.pending[0]
        _deferral.pending.clear()
        raise KeyboardInterrupt(signal.Signals(signum).name)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP raise ``KeyboardInterrupt`` in the main
    thread (after any :func:`interrupts_deferred` block), so a run ends as Ctrl-C ends it: what
    finished is stored. Elsewhere than the main thread (where Python cannot install handlers)
    the block changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [signal.SIGINT, signal.SIGTERM] + (
        [signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {s: signal.signal(s, _interrupt) for s in wanted}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
