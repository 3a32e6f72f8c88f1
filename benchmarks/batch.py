"""Batch throughput: posts per second sweeping the NewsLab board replayed from its cassette.

Replays ``cassettes/board_newslab.yaml`` (3 index pages, 21 news posts and their sources)
with the rate limit off, threads for the downloads and worker processes for the CPU work, on
a fresh store each round.  Target: at least 20 posts/s on a 2-core machine.

Usage: python benchmarks/batch.py [--rounds N] [--jobs N] [--threads N]
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

from linker.batch import BatchOptions, run_batch
from linker.fetch import Client, HttpConfig, RateLimiter, make_session
from linker.store import Store
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
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
