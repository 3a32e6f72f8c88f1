"""The HTTP cache helps and never hangs: locked, stolen mid-run or not a database, it is dropped
with one warning and the check goes on.

Servers are local (127.0.0.1) or cassettes; nothing else is ever contacted.
"""


from pathlib import Path
from typing import Any

from ..support.localserver import (
    GENEROUS,
)


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
