"""Make vcrpy usable from several threads (linker's batch runs download in threads), and
give its replayed responses the one urllib3 attribute requests-cache reads."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import urllib3.connectionpool
import vcr.patch
import vcr.stubs

# vcrpy is not thread-safe: each stub connection is built inside `force_reset()`, which puts
# the real connection classes back for a moment, so a second thread opening a connection
# then gets a real one (and tries the network).  Serialise the two with one lock.  This only
# touches the test harness; linker's session and code path are the same as in production.
_VCR_LOCK = threading.RLock()
_real_force_reset = vcr.patch.force_reset


@contextlib.contextmanager
def _locked_force_reset() -> Iterator[None]:
    with _VCR_LOCK, _real_force_reset():
        yield


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(self: Any) -> Any:
        with _VCR_LOCK:
            return method(self)

    return wrapper




def make_vcr_thread_safe() -> None:
    """Install the lock (idempotent)."""
    if getattr(vcr.patch, "_linker_locked", False):
        return
    vcr.patch.force_reset = _locked_force_reset
    for pool in (urllib3.connectionpool.HTTPConnectionPool,
                 urllib3.connectionpool.HTTPSConnectionPool):
        pool._new_conn = _locked(pool._new_conn)  # type: ignore[method-assign]
    # urllib3 2 responses know their request URL; vcrpy's replayed ones do not, and
    # requests-cache reads it when storing a response.
    if not hasattr(vcr.stubs.VCRHTTPResponse, "_request_url"):
        vcr.stubs.VCRHTTPResponse._request_url = None
    vcr.patch._linker_locked = True
