"""Hostile archives and dumps in one batch: how much memory and time linker takes.

Builds, in a temporary folder, the inputs of issue #20: a dump holding every bad line of the
test suite (invalid UTF-8, 100,000-deep nesting, non-objects, wrong types, bad ids and
boards) and a 50 MB post around good posts; a WARC record whose page inflates to 2 GiB (a few
MB on disk); a WARC of random bytes; a truncated WARC; the good WARC. Then it runs
``linker batch --posts … --sources …`` in a child process and prints its exit status, peak
memory (max RSS), wall time, what was stored and how often each bad entry was named.

Target: exit 0 or 1, peak memory under 400 MB, the good posts stored, each bad entry named
once.

Usage: python benchmarks/hostile.py [--bomb-mib 2048]
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linker.render.jsonout import post_to_dict  # noqa: E402
from tests.support.archives import (  # noqa: E402
    HOSTILE_LINES,
    SOURCE,
    example_post,
    three_pages,
    write_warc,
)

PEAK = """
import atexit, resource, sys
def peak():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write(f"PEAK {own} {workers}\\n")
atexit.register(peak)
from linker.cli import main
sys.argv = ["linker", *sys.argv[1:]]
main()
"""


def gzip_of_zeros(mib: int) -> bytes:
    """A gzip stream of ``mib`` MiB of one byte, compressed piece by piece (never held)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"a" * (1 << 20)
    parts = [packer.compress(b"<p>")]
    parts += [packer.compress(chunk) for _ in range(mib)]
    parts.append(packer.flush())
    return b"".join(parts)


def build(folder: Path, bomb_mib: int) -> list[str]:
    own = post_to_dict(example_post())
    bombed = dict(own, url="https://www.ptt.cc/bbs/Stock/M.1773453998.A.B0B.html")
    bombed["body"] = own["body"].replace(
        "https://finance.sina.com.cn/tech/2026-03-14/doc-fictional0001.shtml",
        "https://bomb.example/x")
    huge = dict(own, url="https://www.ptt.cc/bbs/Stock/M.1773453997.A.B0C.html",
                body=own["body"] + "字" * ((50 << 20) // 3))
    lines = [bad for bad, _why in HOSTILE_LINES]
    lines += [json.dumps(huge).encode(), json.dumps(own).encode(), json.dumps(bombed).encode()]
    (folder / "posts.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    write_warc(folder / "bomb.warc.gz", [(
        "https://bomb.example/x", "2026-03-14T03:00:00Z", 200,
        {"Content-Type": "text/html", "Content-Encoding": "gzip"}, gzip_of_zeros(bomb_mib))])
    (folder / "random.warc.gz").write_bytes(bytes(range(256)) * 4000)
    cut = folder / "cut.warc.gz"
    three_pages(cut)
    cut.write_bytes(cut.read_bytes()[:-60])
    write_warc(folder / "good.warc.gz", [(
        "https://finance.sina.com.cn/tech/2026-03-14/doc-fictional0001.shtml",
        "2026-03-14T03:00:00Z", 200, {"Content-Type": "text/html; charset=utf-8"}, SOURCE)])
    return [own["url"], bombed["url"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bomb-mib", type=int, default=2048)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build is not None:
        good = build(args.build, args.bomb_mib)
        (args.build / "good.json").write_text(json.dumps(good), encoding="utf-8")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # The inputs are built in a child of their own, and linker reports its own peak: a
        # child's peak would otherwise count the memory of the process it was forked from.
        subprocess.run([sys.executable, __file__, "--build", str(folder), "--bomb-mib",
                        str(args.bomb_mib)], check=True, cwd=ROOT)
        good = json.loads((folder / "good.json").read_text(encoding="utf-8"))
        sizes = {p.name: p.stat().st_size for p in folder.iterdir() if p.suffix != ".json"}
        db = folder / "out.db"
        command = [sys.executable, "-c", PEAK, "batch", "--posts", str(folder / "posts.jsonl"),
                   "--db", str(db), "--no-cache"]
        for name in ("bomb.warc.gz", "random.warc.gz", "cut.warc.gz", "good.warc.gz"):
            command += ["--sources", str(folder / name)]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        elapsed = time.perf_counter() - start
        peaks = [int(v) for v in re.findall(r"^PEAK (\d+) (\d+)$", done.stderr, re.M)[0]]
        peak_mb, workers_mb = peaks[0] / 1024, peaks[1] / 1024
        with sqlite3.connect(db) as conn:
            stored = dict(conn.execute("SELECT post_url, verdict || ' ' || coalesce(reason, '') "
                                       "FROM checks"))
        conn.close()
    print("inputs: " + ", ".join(f"{k} {v / 1e3:,.0f} KB" for k, v in sorted(sizes.items())))
    print(f"bomb: inflates to {args.bomb_mib} MiB")
    print(f"exit status {done.returncode}, peak memory {peak_mb:.0f} MB (largest worker "
          f"{workers_mb:.0f} MB), {elapsed:.2f} s")
    for url in good:
        print(f"stored {url.rsplit('/', 1)[1]}: {stored.get(url, 'NOT STORED')[:90]}")
    named = [done.stderr.count(f"posts.jsonl:{n}:") for n in range(1, len(HOSTILE_LINES) + 2)]
    print(f"dump lines named (each should be 1): {named}")
    archives = [line for line in done.stderr.splitlines() if line.startswith("linker: archive:")]
    print(f"archive problems named: {len(archives)}")
    for line in archives:
        print("  " + line)
    ok = (done.returncode in (0, 1) and max(peak_mb, workers_mb) < 400
          and all(u in stored for u in good)
          and named == [1] * len(named) and "Traceback" not in done.stderr)
    print("target (exit 0/1, < 400 MB, good posts stored, each bad entry named once): "
          + ("met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
