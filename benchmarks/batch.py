"""Batch throughput: posts per second sweeping the NewsLab board replayed from its cassette,
or (``--archive``) checking a crawl dump against a WARC file.

Live mode replays ``cassettes/board_newslab.yaml`` (3 index pages, 21 news posts and their
sources) with the rate limit off, threads for the downloads and worker processes for the CPU
work, on a fresh store each round.  Target: at least 20 posts/s on a 2-core machine.

Archive mode multiplies the bundled example (``examples/archive``) into ``--posts`` posts,
each citing a page of its own, with a WARC holding each page (redirects, a 404 and Big5 and
GBK pages among them), and times the same run single-process, with threads and processes,
and on a Dask LocalCluster of 1 and 2 workers.

Usage: python benchmarks/batch.py [--rounds N] [--jobs N] [--threads N]
       python benchmarks/batch.py --archive [--posts N] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import vcr

from linker.net.fetch import Client, HttpConfig, RateLimiter, make_session
from linker.runs.local import run_batch
from linker.runs.store import Store
from linker.runs.sweep import BatchOptions
from tests.vcr_threads import make_vcr_thread_safe

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"


def one_round(jobs: int, threads: int) -> tuple[int, float]:
    make_vcr_thread_safe()
    replay = vcr.VCR(cassette_library_dir=str(CASSETTES), record_mode="none")
    config = HttpConfig(backoff=0.0)
    # A replay is offline: no DNS lookups for the private-address check either.
    client = Client(make_session(config), config, RateLimiter(0), resolver=lambda _host: [])
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store, \
            replay.use_cassette("board_newslab.yaml", allow_playback_repeats=True):
        start = time.perf_counter()
        result = run_batch(BatchOptions("NewsLab", pages=3, jobs=jobs, threads=threads),
                           client, store)
        elapsed = time.perf_counter() - start
    return result.done, elapsed


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "archive"


def archive_inputs(folder: Path, posts: int) -> tuple[Path, Path]:
    """The example's dump and WARC multiplied: copy ``n`` of a post cites ``URL?copy=n``, and
    the WARC holds every copy's captures (a redirect pointing at its copy's page)."""
    import json
    from io import BytesIO

    from warcio.archiveiterator import ArchiveIterator
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    lines = (EXAMPLE / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    news = [json.loads(line) for line in lines if "[新聞]" in line]
    records = []
    with (EXAMPLE / "sources.warc.gz").open("rb") as stream:
        for record in ArchiveIterator(stream):
            records.append((record.rec_headers.get_header("WARC-Target-URI"),
                            record.rec_headers.get_header("WARC-Date"),
                            record.http_headers.statusline, record.http_headers.headers,
                            record.content_stream().read()))
    copies = -(-posts // len(news))
    out = []
    for n in range(copies):
        for entry in news:
            entry = dict(entry, article_id=entry["article_id"][:-3] + f"{n:03X}")
            for url, *_rest in records:
                entry["content"] = entry["content"].replace(url, f"{url}?copy={n}")
            out.append(json.dumps(entry, ensure_ascii=False))
    dump = folder / "posts.jsonl"
    dump.write_text("\n".join(out[:posts]) + "\n", encoding="utf-8")
    warc = folder / "sources.warc.gz"
    with warc.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for n in range(copies):
            for url, date, status, headers, body in records:
                headers = [(k, f"{v}?copy={n}" if k == "Location" else v) for k, v in headers]
                writer.write_record(writer.create_warc_record(
                    f"{url}?copy={n}", "response", payload=BytesIO(body), length=len(body),
                    http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
                    warc_headers_dict={"WARC-Date": date}))
    return dump, warc


def archive_round(dump: Path, warc: Path, mode: str) -> tuple[int, float, float]:
    """(posts, seconds for the run, seconds to start the cluster) in one mode."""
    from linker.net.fetch import no_resolver, session_factory
    from linker.runs.cluster import ClusterSpec, connect, run_on_cluster

    config = HttpConfig()
    client = Client(session_factory(config, cached=False), config, RateLimiter(0),
                    resolver=no_resolver)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        if mode.startswith("local:"):
            begin = time.perf_counter()
            with connect(ClusterSpec(workers=int(mode[6:]))) as dask:
                started = time.perf_counter() - begin
                start = time.perf_counter()
                result = run_on_cluster(BatchOptions("", posts=dump, sources=(warc,)), client,
                                        store, dask)
                elapsed = time.perf_counter() - start
            return result.done, elapsed, started
        jobs, threads = (0, 1) if mode == "single" else (os.cpu_count() or 1, 4)
        start = time.perf_counter()
        result = run_batch(BatchOptions("", posts=dump, sources=(warc,), jobs=jobs,
                                        threads=threads), client, store)
        return result.done, time.perf_counter() - start, 0.0


def archive_main(posts: int, rounds: int) -> int:
    print(f"archive mode: {posts} posts from a crawl dump, their pages from one WARC file; "
          f"this machine has {os.cpu_count()} cores, and the client process (reading the WARC, "
          f"storing results) runs on the same cores as the workers")
    rates: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        begin = time.perf_counter()
        dump, warc = archive_inputs(Path(tmp), posts)
        print(f"inputs written in {time.perf_counter() - begin:.1f} s "
              f"(WARC {warc.stat().st_size / 1e6:.1f} MB)")
        for mode, label in (("single", "single process (--jobs 0 --threads 1)"),
                            ("threads", f"threads + {os.cpu_count()} processes (default)"),
                            ("local:1", "--cluster local:1"), ("local:2", "--cluster local:2")):
            runs = [archive_round(dump, warc, mode) for _ in range(rounds)]
            done = runs[0][0]
            best = statistics.median(done / elapsed for done, elapsed, _s in runs)
            rates[mode] = best
            start = statistics.median(s for _d, _e, s in runs)
            extra = f"; cluster start {start:.1f} s, not counted" if start else ""
            print(f"{label:<42} {done} posts: median {best:6.1f} posts/s over {rounds} "
                  f"rounds{extra}")
        print(f"1 → 2 Dask workers: × {rates['local:2'] / rates['local:1']:.2f} "
              f"(× 2 would be perfect; 2 cores shared with the client cap it below that)")
        client_cost = client_costs(dump, warc)
    worker_cost = worker_cost_on_real_pages()
    estimate(worker_cost, client_cost)
    return 0


def client_costs(dump: Path, warc: Path) -> float:
    """Seconds per post of what the client does alone: read and parse the dump, index the
    WARC and read each post's records, store each result."""
    from linker.net.fetch import no_resolver, session_factory
    from linker.runs.cluster import check_task, make_task
    from linker.runs.sweep import dump_rows
    from linker.runs.warc import WarcIndex

    start = time.perf_counter()
    dumped, _bad = dump_rows(dump)
    parse = time.perf_counter() - start
    start = time.perf_counter()
    index = WarcIndex.build([warc])
    tasks = [make_task([item], index) for item in dumped]
    read = time.perf_counter() - start
    config = HttpConfig()
    client = Client(session_factory(config, cached=False), config, resolver=no_resolver)
    options = BatchOptions("", posts=dump, sources=(warc,))
    records = [r for t in tasks for _o, r in check_task(t, options, client)]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "c.db") as store:
        start = time.perf_counter()
        for record in records:
            store.save(record)
        save = time.perf_counter() - start
    n = len(dumped)
    print(f"client, per post: parse the dump {parse / n * 1000:.2f} ms, index the WARC and "
          f"read the records {read / n * 1000:.2f} ms, store the result {save / n * 1000:.2f} ms")
    return (parse + read + save) / n


def worker_cost_on_real_pages() -> float | None:
    """Median seconds of a worker's share of one post (extraction, comparison, metadata
    checks, the stored check view) on the real outlet pages of the shared corpus."""
    from benchmarks.realpages import cases, pages
    from linker.check import analyse
    from linker.models import Document
    from linker.ptt.parse import parse_document
    from linker.render.jsonout import report_to_dict
    from linker.runs.sweep import check_view

    found = pages("tw")
    if not found:
        print("real outlet pages: ../shared/corpus/news/tw is absent, skipped")
        return None
    times = []
    for page in found:
        case = next(c for c in cases(page) if c.expect == "faithful")
        post = parse_document(Document(origin=case.page, content=case.post.encode("utf-8")))
        analyse(post, page.doc)  # warm
        start = time.perf_counter()
        report = analyse(post, page.doc)
        report_to_dict(report)
        check_view(report)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"worker, per post on the {len(found)} real outlet pages of the corpus (extract, "
          f"compare, check view): median {median * 1000:.0f} ms, slowest "
          f"{max(times) * 1000:.0f} ms")
    return median


GOSSIPING_NEWS_PER_DAY = 1000
"""An assumption, not a count: see the README's estimate."""


def estimate(worker: float | None, client: float) -> None:
    """A paper estimate for all of Gossiping's [新聞] posts since 2015."""
    if worker is None:
        return
    from datetime import date

    days = (date(2026, 11, 25) - date(2015, 1, 1)).days
    posts = GOSSIPING_NEWS_PER_DAY * days
    print(f"estimate: {posts:,} posts ({GOSSIPING_NEWS_PER_DAY}/day × {days:,} days, assumed); "
          f"the client caps a cluster at {worker / client:.0f} workers")
    for workers in (1, 2, 8, 32, 128):
        per_post = max(worker / workers, client)
        print(f"  {workers:>3} workers: {posts * per_post / 3600:7.1f} hours")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--archive", action="store_true",
                        help="check a crawl dump against a WARC file, in every mode")
    parser.add_argument("--posts", type=int, default=420,
                        help="posts in archive mode (the example multiplied)")
    args = parser.parse_args()
    if args.archive:
        return archive_main(args.posts, min(args.rounds, 3))
    rates = []
    for n in range(args.rounds):
        done, elapsed = one_round(args.jobs, args.threads)
        rates.append(done / elapsed)
        print(f"round {n + 1}: {done} posts in {elapsed:.2f} s = {done / elapsed:.1f} posts/s")
    for jobs in (0,):
        done, elapsed = one_round(jobs, args.threads)
        print(f"for comparison, CPU work in the download threads (--jobs 0): "
              f"{done / elapsed:.1f} posts/s")
    median = statistics.median(rates)
    print(f"median {median:.1f} posts/s with {args.jobs} worker processes and "
          f"{args.threads} threads (target >= 20)")
    return 0 if median >= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
