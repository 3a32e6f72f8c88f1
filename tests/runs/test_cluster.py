"""linker batch on Dask (linker.runs.cluster), Parquet output, and the bundled archive example."""

from __future__ import annotations

import itertools
import json
import os
import pickle
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from linker.errors import ClusterError
from linker.models import Post
from linker.net.fetch import (
    Client,
    HttpConfig,
    RateLimiter,
    make_session,
    no_resolver,
    session_factory,
)
from linker.runs.cluster import (
    ClusterRateLimiter,
    ClusterSpec,
    Task,
    check_task,
    connect,
    parse_cluster,
    plan,
    run_on_cluster,
)
from linker.runs.local import run_batch
from linker.runs.store import Store
from linker.runs.sweep import BatchOptions, Outcome

from ..conftest import REPLAY_DEADLINE

pytest.importorskip("distributed")
pytest.importorskip("warcio")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "archive"
POSTS, SOURCES = EXAMPLE / "posts.jsonl", EXAMPLE / "sources.warc.gz"
EXPECTED = {  # the example's posts by article id: verdict, and the capture that served
    "M.1773453912.A.E00": ("faithful", "2026-03-14T03:00:00+00:00"),  # the early capture
    "M.1774053000.A.E01": ("faithful", "2026-03-21T00:00:00+00:00"),  # the outlet's update
    "M.1777719704.A.E02": ("faithful", "2026-05-02T11:06:00+00:00"),  # via the short link
    "M.1757316602.A.E03": ("edited", "2025-09-08T08:00:00+00:00"),  # Big5 page, number
    "M.1795149609.A.E04": ("edited", "2026-11-20T05:00:00+00:00"),  # GBK page, opinion
    "M.1782867600.A.E05": ("unverifiable", None),  # a 404 capture
    "M.1785650400.A.E06": ("unverifiable", None),  # in no archive
}


def offline_client() -> Client:
    config = HttpConfig(deadline=REPLAY_DEADLINE)
    return Client(session_factory(config, cached=False), config, RateLimiter(0),
                  resolver=no_resolver)


def options(posts: Path = POSTS, **kw: Any) -> BatchOptions:
    return BatchOptions("", posts=posts, sources=(SOURCES,), jobs=0, **kw)


def store_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of a store, without what records when (timestamps, row ids)."""
    volatile = {"fetched_at", "checked_at", "id"}
    out = {}
    with sqlite3.connect(db) as conn:
        for table in ("posts", "sources", "checks", "findings", "metadata", "views"):
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                       if r[1] not in volatile]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
    return out


def many_posts(tmp_path: Path, copies: int) -> Path:
    """The example's dump with each post repeated under other article ids."""
    lines = POSTS.read_text(encoding="utf-8").splitlines()
    out = []
    for n in range(copies):
        for line in lines:
            entry = json.loads(line)
            entry["article_id"] = entry["article_id"].replace(".A.E", f".A.{n:X}")
            out.append(json.dumps(entry, ensure_ascii=False))
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dask() -> Any:
    with connect(ClusterSpec(workers=2)) as client:
        yield client


def single(tmp_path: Path, posts: Path = POSTS) -> Path:
    db = tmp_path / "single.db"
    with Store(db) as store:
        run_batch(options(posts), offline_client(), store)
    return db


# --- the pieces --------------------------------------------------------------------------

def test_cluster_specs() -> None:
    assert parse_cluster("local") == ClusterSpec()
    assert parse_cluster("local:3") == ClusterSpec(workers=3)
    assert parse_cluster("tcp://10.0.0.5:8786") == ClusterSpec(address="tcp://10.0.0.5:8786")
    for bad in ("local:0", "local:x", "10.0.0.5:8786", "http://x:8786", ""):
        with pytest.raises(ClusterError):
            parse_cluster(bad)


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    with pytest.raises(ClusterError, match=r"cannot reach the Dask scheduler at tcp://127\.0"), \
            connect(ClusterSpec(address="tcp://127.0.0.1:9"), timeout=0.5):
        pass  # pragma: no cover


def test_a_client_travels_as_its_settings_not_its_session() -> None:
    client = offline_client()
    _ = client.session  # made here; it must not travel
    copy = pickle.loads(pickle.dumps(client.with_limiter(ClusterRateLimiter(2.0))))
    assert copy.config == client.config and copy._session is None
    assert isinstance(copy.limiter, ClusterRateLimiter) and copy.limiter.interval == 2.0
    assert copy.session is not client.session
    with pytest.raises(TypeError, match="session factory"):
        pickle.dumps(Client(make_session(HttpConfig()), HttpConfig()))


def test_tasks_carry_their_sources_and_read_no_warc(tmp_path: Path) -> None:
    """Posts served by one record share a task; a task's sources need no WARC file."""
    import shutil

    from linker.runs.sweep import dump_rows
    from linker.runs.warc import WarcIndex

    dumped, _bad = dump_rows(many_posts(tmp_path, 3))
    index = WarcIndex.build([SOURCES])
    tasks = plan(dumped, index, size=4)
    assert sum(len(t) for t in tasks) == len(dumped) == 24  # with the chat posts
    # Posts served by one record (the three copies of each post) are always in one task.
    def record(post: Post) -> object:
        served = index.serve(post.fields.source_url or "", post.time)
        return served.capture if served else (post.fields.source_url or post.url)

    task_of = {id(post): n for n, task in enumerate(tasks) for _row, post in task}
    by_record: dict[object, set[int]] = {}
    for _row, post in dumped:
        by_record.setdefault(record(post), set()).add(task_of[id(post)])
    assert all(len(t) == 1 for t in by_record.values())
    assert len(by_record) == 6 + 1 + 3  # 6 records, 1 page in no archive, 3 chat posts
    moved = tmp_path / "elsewhere.warc.gz"
    shutil.copy(SOURCES, moved)
    index = WarcIndex.build([moved])
    posts = [p for p in dumped if p[1].url and p[1].url.endswith(("003.html", "002.html"))]
    sources = index.subset((p.fields.source_url, p.time) for _r, p in posts
                           if p.fields.source_url)
    assert 2 < len(sources) < len(index)  # the redirect and the pages it needs, no more
    moved.unlink()  # a worker has no WARC file: the task is enough
    pairs = check_task(Task(tuple(posts), sources), options(), offline_client())
    assert {o.status for o, _r in pairs} == {"faithful", "edited"}
    assert all(r.report_json and r.report_json["source"]["archive_url"] for _o, r in pairs)


def _stamp(limiter: ClusterRateLimiter, url: str) -> tuple[float, int]:
    limiter.wait(url)
    return time.time(), os.getpid()


def test_live_fetches_keep_the_rate_per_host_across_workers(dask: Any) -> None:
    """Six requests to one host from two worker processes: one per interval, not two."""
    limiter = ClusterRateLimiter(0.3)
    futures = [dask.submit(_stamp, limiter, "https://news.example.tw/a", pure=False)
               for _ in range(6)]
    stamped = dask.gather(futures)
    assert len({pid for _t, pid in stamped}) == 2  # both worker processes made requests
    stamps = sorted(t for t, _pid in stamped)
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= 0.3 * 0.95, gaps
    assert ClusterRateLimiter.like(RateLimiter(0.5, {"x": 2.0})).per_host == {"x": 2.0}  # type: ignore[union-attr]
    assert ClusterRateLimiter.like(None) is None


# --- the runs ----------------------------------------------------------------------------

def test_the_example_on_two_workers_equals_the_single_process_store(dask: Any,
                                                                   tmp_path: Path) -> None:
    reference = single(tmp_path)
    db = tmp_path / "cluster.db"
    seen: list[Outcome] = []
    with Store(db) as store:
        result = run_on_cluster(options(), offline_client(), store, dask, on_outcome=seen.append,
                                task_posts=2)
    assert result.listed == 7 and result.done == 7 and not result.lost
    assert store_rows(db) == store_rows(reference)
    with sqlite3.connect(db) as conn:
        got = {url.rsplit("/", 1)[1].removesuffix(".html"): (verdict, archived) for
               url, verdict, archived in conn.execute(
                   "SELECT post_url, verdict, json_extract(report, '$.source.archived_at') "
                   "FROM checks")}
    assert got == EXPECTED
    assert sorted(o.status for o in seen) == sorted(v for v, _a in EXPECTED.values())


def test_a_worker_killed_mid_run_loses_nothing(tmp_path: Path) -> None:
    posts = many_posts(tmp_path, 6)
    reference = single(tmp_path, posts)
    db = tmp_path / "killed.db"
    killed: list[int] = []
    with connect(ClusterSpec(workers=2)) as dask:

        def kill_one(outcome: Outcome) -> None:
            """After the first post is stored, kill a worker in the middle of a task."""
            if killed:
                return
            busy = {w: len(keys) for w, keys in dask.processing().items() if keys}
            victim = max(busy, key=busy.__getitem__)
            pid = dask.run(os.getpid, workers=[victim])[victim]
            os.kill(pid, signal.SIGKILL)
            killed.append(busy[victim])

        with Store(db) as store:
            result = run_on_cluster(options(posts), offline_client(), store, dask,
                                    on_outcome=kill_one, task_posts=1)
        assert killed[0] >= 1 and result.done == 42 and not result.lost
        assert store_rows(db) == store_rows(reference)
        with Store(db) as store:
            again = run_on_cluster(options(posts), offline_client(), store, dask)
    assert again.counts == {"skipped": 42}
    assert store_rows(db) == store_rows(reference)  # no duplicate rows


def test_cli_batch_on_a_local_cluster_with_parquet(tmp_path: Path) -> None:
    import pyarrow.dataset as ds

    from ..support.cli import run

    db, parquet = tmp_path / "out.db", tmp_path / "parquet"
    out = run("batch", "--posts", str(POSTS), "--sources", str(SOURCES), "--cluster", "local:2",
              "--db", str(db), "--parquet", str(parquet), "--no-cache")
    assert "2 Dask workers" in out.stderr and "dashboard: http" in out.stderr
    assert store_rows(db) == store_rows(single(tmp_path))
    checks = ds.dataset(parquet / "checks", format="parquet", partitioning="hive").to_table()
    assert checks.num_rows == 7
    assert sorted(set(zip(checks["board"].to_pylist(), checks["month"].to_pylist(),
                          strict=True))) == [
        ("Gossiping", "2025-09"), ("Gossiping", "2026-03"), ("Gossiping", "2026-05"),
        ("Gossiping", "2026-07"), ("Stock", "2026-03"), ("Stock", "2026-08"),
        ("Stock", "2026-11")]
    assert (parquet / "checks" / "board=Stock" / "month=2026-11").is_dir()
    findings = ds.dataset(parquet / "findings", format="parquet", partitioning="hive").to_table()
    with sqlite3.connect(db) as conn:
        assert findings.num_rows == conn.execute("SELECT count(*) FROM findings").fetchone()[0]
        edited = {r[0] for r in conn.execute("SELECT post_url FROM checks "
                                             "WHERE verdict = 'edited'")}
    assert {u for u, v in zip(checks["post_url"].to_pylist(), checks["verdict"].to_pylist(),
                              strict=True) if v == "edited"} == edited
    # A second run replaces the folder whole; nothing is left beside it.
    run("batch", "--posts", str(POSTS), "--sources", str(SOURCES), "--db", str(db),
        "--parquet", str(parquet), "--no-cache", "--jobs", "0")
    assert ds.dataset(parquet / "checks", format="parquet",
                      partitioning="hive").to_table().num_rows == 7
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_cli_refuses_a_bad_cluster_spec_in_one_line(tmp_path: Path) -> None:
    from ..support.cli import run

    out = run("batch", "--posts", str(POSTS), "--cluster", "local:zero", "--db",
              str(tmp_path / "x.db"), expect_exit=2)
    assert out.stderr.count("\n") == 1 and "--cluster local:N" in out.stderr
    assert not (tmp_path / "x.db").exists()


def test_readme_cited_outlets_snippet_runs_on_the_example(capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    """The README's CC-NEWS step 1, run on the bundled dump instead of gossiping.jsonl."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- cited-outlets -->\s*```python\n(.*?)```", readme, re.S)
    assert block is not None
    code = "\n".join(line[3:] for line in block.group(1).splitlines())
    exec(code.replace('"gossiping.jsonl"', repr(str(POSTS))), {})  # our own README
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6  # seven news posts; two cite one page in one month
    assert re.fullmatch(r"\s+2  2026/03  finance\.sina\.com\.cn", lines[0])
    assert any(line.endswith("2025/09  www.example-daily.com.tw") for line in lines)


def test_a_live_sweep_on_a_cluster_gives_the_store_of_the_threads(tmp_path: Path) -> None:
    """Without --sources the workers fetch the cited pages themselves, through the cluster's
    per-host limiter (the NewsLab cassette; workers are threads here so vcrpy replays for
    them), and store what the threads and processes store."""
    import distributed

    from ..support.board import EXPECTED, board, snapshot, verdicts

    def live() -> Client:
        config = HttpConfig(backoff=0.0, deadline=REPLAY_DEADLINE)
        return Client(session_factory(config, cached=False), config, RateLimiter(0.01))

    reference, db = tmp_path / "threads.db", tmp_path / "cluster.db"
    with board(), Store(reference) as store:
        run_batch(BatchOptions("NewsLab", pages=3, jobs=0), live(), store)
    with board(), distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False,
            dashboard_address="127.0.0.1:0") as cluster, \
            distributed.Client(cluster, set_as_default=False) as dask, Store(db) as store:
        result = run_batch(BatchOptions("NewsLab", pages=3), live(), store, dask=dask)
        semaphores = dask.run_on_scheduler(
            lambda dask_scheduler: sorted(dask_scheduler.extensions["semaphores"].max_leases))
    assert result.listed == len(EXPECTED) and not result.lost
    assert verdicts(db) == EXPECTED
    assert snapshot(db) == snapshot(reference)
    # The cited pages' hosts were fetched under the cluster's limiter; ptt.cc by the client.
    assert "linker-rate:news.example-tv.com.tw" in semaphores
    assert not any("ptt.cc" in name for name in semaphores)


def test_stopping_a_cluster_run_keeps_what_finished_and_a_rerun_completes(
        dask: Any, tmp_path: Path) -> None:
    """Ctrl-C (here: raised by the progress callback after two posts) stores every post whose
    task finished; the rerun checks only the rest."""
    posts = many_posts(tmp_path, 3)
    db = tmp_path / "stopped.db"
    seen: list[str] = []

    def stop_after_two(outcome: Outcome) -> None:
        seen.append(outcome.url)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with Store(db) as store:
        first = run_on_cluster(options(posts), offline_client(), store, dask,
                               on_outcome=stop_after_two, task_posts=2)
    assert first.interrupted and 2 <= first.done < 21
    with sqlite3.connect(db) as conn:
        stored = {r[0] for r in conn.execute("SELECT post_url FROM checks")}
    assert stored == set(first.urls)  # counted is stored, and nothing else
    with Store(db) as store:
        second = run_on_cluster(options(posts), offline_client(), store, dask)
    assert second.counts.get("skipped") == first.done and second.done == 21
    assert store_rows(db) == store_rows(single(tmp_path, posts))


def test_missing_extras_are_one_line_errors(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    import sys

    from ..support.cli import run

    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    out = run("batch", "--posts", str(POSTS), "--cluster", "local:2", "--db",
              str(tmp_path / "x.db"), expect_exit=2)
    assert out.stderr.strip().endswith("--cluster needs Dask: pip install 'linker[cluster]'")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    out = run("batch", "--posts", str(POSTS), "--parquet", str(tmp_path / "p"), "--db",
              str(tmp_path / "x.db"), expect_exit=2)
    assert "--parquet needs pyarrow" in out.stderr and out.stderr.count("\n") == 1
    assert not (tmp_path / "x.db").exists()  # refused before any work


def test_a_scheduler_without_workers_is_a_clear_error() -> None:
    import distributed

    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None,
                                  protocol="tcp", host="127.0.0.1") as empty, \
            pytest.raises(ClusterError, match="no Dask worker joined the scheduler at tcp://"), \
            connect(ClusterSpec(address=empty.scheduler_address), wait_for_workers=0.5):
        pass  # pragma: no cover


def test_joining_a_running_scheduler_by_address(tmp_path: Path) -> None:
    """--cluster tcp://HOST:PORT: a scheduler and a worker already running (here in this
    process, over TCP, so every task and result is serialised as between machines)."""
    import distributed

    db = tmp_path / "joined.db"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as running, \
            connect(parse_cluster(running.scheduler_address)) as dask, Store(db) as store:
        result = run_batch(options(), offline_client(), store, dask=dask)
    assert result.done == 7 and not result.lost
    assert store_rows(db) == store_rows(single(tmp_path))


def test_parquet_never_replaces_a_folder_linker_did_not_write(tmp_path: Path) -> None:
    """DIR is replaced whole: a folder holding anything else (or a file) is refused before
    the run, and left as it was."""
    from ..support.cli import run

    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.txt").write_text("keep me", encoding="utf-8")
    a_file = tmp_path / "data.parquet"
    a_file.write_bytes(b"PAR1")
    # A user's file deep inside what looks like linker's own output.
    deep = tmp_path / "out"
    (deep / "checks" / "board=Stock").mkdir(parents=True)
    (deep / "checks" / "board=Stock" / "thesis.txt").write_text("keep me", encoding="utf-8")
    for target in (mine, a_file, deep):
        out = run("batch", "--posts", str(POSTS), "--sources", str(SOURCES), "--parquet",
                  str(target), "--db", str(tmp_path / "x.db"), "--jobs", "0", expect_exit=2)
        assert "replaced whole" in out.stderr and out.stderr.count("\n") == 1
    assert (mine / "thesis.txt").read_text(encoding="utf-8") == "keep me"
    assert (deep / "checks" / "board=Stock" / "thesis.txt").exists()
    assert a_file.read_bytes() == b"PAR1" and not (tmp_path / "x.db").exists()
