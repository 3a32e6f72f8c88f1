"""The fetch deadline against hostile servers: how long linker really waits.

A local server (127.0.0.1, the test suite's) answers in three hostile ways: it accepts the
connection and answers after 40 s (``/stall``), it sends the page a byte every half second
(``/trickle``), it sends even the headers that way (``/trickle-head``), or it answers HTTP/1.0
with no length and trickles a body that ends only when the connection closes
(``/trickle-close``, issue #20).  For each, with
``--timeout`` T, this prints

- the fetch alone (``Client.get`` in this process): from the call to the error;
- the whole ``linker check --source URL --timeout T`` process (start-up included).

Target (issue #12): the fetch never exceeds T by more than 10%.

Usage: python benchmarks/deadline.py [--timeouts 2 5 10]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from linker.errors import FetchError
from linker.net.fetch import Client, HttpConfig, make_session
from tests.support.localserver import ARTICLE, TITLE, Handler, QuietServer

CASES = ("/stall", "/trickle", "/trickle-head", "/trickle-close")


def fetch_time(url: str, timeout: float) -> tuple[float, str]:
    config = HttpConfig(deadline=timeout, connect_timeout=min(5.0, timeout),
                        read_timeout=min(20.0, timeout))
    client = Client(make_session(config), config, allow_private=True)
    start = time.perf_counter()
    try:
        client.get(url)
    except FetchError as exc:
        return time.perf_counter() - start, exc.message
    return time.perf_counter() - start, "answered in time"


def process_time(post: Path, url: str, timeout: float) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from linker.cli import main; main()", "check", str(post),
         "--source", url, "--allow-private", "--no-cache", "--no-archive", "--timeout",
         str(timeout)], capture_output=True, text=True, check=False)
    return time.perf_counter() - start, (done.stderr.strip().splitlines() or ["?"])[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeouts", type=float, nargs="+", default=[2.0, 5.0])
    args = parser.parse_args()
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        post = Path(tmp) / "post.txt"
        post.write_text(f"原文標題：{TITLE}\n原文連結：\n{base}/page\n原文內容：\n{ARTICLE}\n"
                        "心得/評論：\n測試", encoding="utf-8")
        print(f"{'server':<14} {'--timeout':>9} {'fetch':>8} {'over':>6} {'process':>8}  message")
        for timeout in args.timeouts:
            for case in CASES:
                t_fetch, message = fetch_time(base + case, timeout)
                t_process, _line = process_time(post, base + case, timeout)
                over = t_fetch / timeout - 1
                worst = max(worst, over)
                print(f"{case:<14} {timeout:>8g}s {t_fetch:>7.2f}s {over:>+6.0%} "
                      f"{t_process:>7.2f}s  {message}")
    httpd.shutdown()
    ok = worst <= 0.10
    print(f"worst overshoot of the fetch: {worst:+.1%} "
          f"({'within' if ok else 'MORE THAN'} 10% of the deadline)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
