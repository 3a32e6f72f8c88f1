"""Alignment speed: linker against difflib and diff-match-patch on the same text pairs.

Pairs of about 4k, 15k and 60k characters are generated (synthetic Chinese prose, so no
passage repeats by accident), turned into reposts with the generator of the accuracy
benchmark (Traditional script, BBS wraps, a cut paragraph, an inserted opinion, a changed
number), and diffed by:

- ``linker compare``: everything ``linker check`` does after extraction (script detection,
  folding with offset maps, alignment, classification);
- ``linker align``: the aligner alone on the folded texts;
- ``difflib``: ``SequenceMatcher(None, quote, source).get_opcodes()`` (standard settings);
- ``diff-match-patch``: ``diff_main`` + ``diff_cleanupSemantic`` with ``Diff_Timeout = 0``
  (a complete diff, as a fair exact comparison).

Targets: the 60k pair at least 10x faster than diff-match-patch and 100x faster than difflib;
doubling the input at most about 2.3x the time.

Usage: python benchmarks/speed.py [--repeat N] [--skip-slow]
"""

from __future__ import annotations

import argparse
import difflib
import math
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.reposts import make_repost
from linker.align import align
from linker.check import compare
from linker.extract import _COMMON
from linker.normalise import convert, fold

SIZES = (4_000, 15_000, 60_000)


def synthetic_source(size: int, rng: random.Random) -> str:
    """Simplified-script pseudo-prose: sentences of common characters, numbers, punctuation."""
    chars = list(dict.fromkeys(_COMMON))
    paragraphs: list[str] = []
    total = 0
    while total < size:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            words = [rng.choice(chars) for _ in range(rng.randint(12, 40))]
            if rng.random() < 0.3:
                words.insert(rng.randrange(len(words)), str(rng.randint(2, 9999)))
            clause = "".join(words)
            cut = rng.randrange(4, len(clause) - 4)
            sentences.append(clause[:cut] + "，" + clause[cut:] + "。")
        para = "".join(sentences)
        paragraphs.append(para)
        total += len(para) + 1
    return "\n".join(paragraphs)[:size]


def timed(fn: Callable[[], object], repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-slow", action="store_true",
                        help="time difflib and diff-match-patch once on the 60k pair")
    args = parser.parse_args()
    try:
        from diff_match_patch import diff_match_patch
    except ImportError:
        print("diff-match-patch is not installed: pip install -e '.[bench]'")
        return 2
    rng = random.Random(7)
    rows = []
    pairs = []
    for size in SIZES:
        source = synthetic_source(size, rng)
        repost = make_repost(source, rng, conversion="s2t", width=78, fold_punct=True,
                             edits=("cut_paragraph", "insert_opinion", "change_number"))
        pairs.append((size, repost.quote, source))
    # linker first, on a fresh heap: hours of difflib and diff-match-patch leave the
    # allocator fragmented, which would slow whatever runs after them.
    linker_times = []
    for _size, quote, source in pairs:
        fq = fold(quote)
        fs = fold(convert(source, "s2t"))

        def run_compare(q: str = quote, s: str = source) -> None:
            compare(q, s)

        def run_align(a: str = fq.text, b: str = fs.text) -> None:
            align(a, b)

        # Milliseconds on a shared virtual machine: take the best of many runs.
        linker_times.append((timed(run_compare, args.repeat),
                             timed(run_align, max(args.repeat, 30))))
    for (size, quote, source), (t_compare, t_align) in zip(pairs, linker_times, strict=True):
        slow_repeat = 1 if (args.skip_slow or size >= 60_000) else args.repeat

        def run_difflib(q: str = quote, s: str = source) -> None:
            difflib.SequenceMatcher(None, q, s).get_opcodes()

        def dmp_run(q: str = quote, s: str = source) -> None:
            dmp = diff_match_patch()
            dmp.Diff_Timeout = 0
            diffs = dmp.diff_main(q, s)
            dmp.diff_cleanupSemantic(diffs)

        t_difflib = timed(run_difflib, slow_repeat)
        t_dmp = timed(dmp_run, slow_repeat)
        rows.append((size, len(quote), t_compare, t_align, t_difflib, t_dmp))
    print(f"{'pair':>6} {'quote':>7} {'linker align':>13} {'linker compare':>15} "
          f"{'difflib':>9} {'dmp':>9} | {'align vs difflib':>16} {'align vs dmp':>13} | "
          f"{'compare vs difflib':>18} {'compare vs dmp':>15}")
    for size, qlen, tc, ta, td, tm in rows:
        print(f"{size // 1000:>5}k {qlen:>7} {ta * 1000:>11.1f}ms {tc * 1000:>13.1f}ms "
              f"{td:>8.2f}s {tm:>8.2f}s | {td / ta:>15.0f}x {tm / ta:>12.0f}x | "
              f"{td / tc:>17.0f}x {tm / tc:>14.0f}x")
    (_, _, c15, a15, _, _), (_, _, c60, a60, _, _) = rows[1], rows[2]
    per_doubling_align = math.sqrt(a60 / a15)
    per_doubling_compare = math.sqrt(c60 / c15)
    print(f"time per doubling of the input (15k→60k): align {per_doubling_align:.2f}x, "
          f"compare {per_doubling_compare:.2f}x")
    _, _, _, a_last, d_last, m_last = rows[-1]
    ok = m_last / a_last >= 10 and d_last / a_last >= 100 and per_doubling_align <= 2.3
    print("alignment targets met" if ok else "ALIGNMENT TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
