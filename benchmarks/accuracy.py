"""Accuracy of ``linker.check.compare`` on generated reposts with known edits.

Prints recall per kind of edit, character precision of what is flagged, and the number of
medium/high findings on faithful reposts.  Sources: the authored articles in
``examples/articles`` and, when present, the truth texts of ``../shared/corpus/news``.

Targets: recall >= 0.98 for added and omitted, >= 0.95 for altered numbers, character
precision >= 0.97, zero medium/high findings on faithful reposts.

A second section checks reposts of the real outlet pages in ``../shared/corpus/news``
(``modern/``: 2015–2025 markup, ~30 outlets; ``tw/``: 2005–2014; see
:mod:`benchmarks.realpages`): per outlet, how many pages give the right headline, reporters,
date, body and outlet name, and how many reposts of each kind — built from a hand-read truth of
each page, not from linker's extraction — are judged right.  Targets: the faithful reposts all
faithful, a placeholder 記者署名 never a mismatch, every tampered title caught, and at least
97% of all checks right.

Usage: python benchmarks/accuracy.py [--trials N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.reposts import (
    Repost,
    Truth,
    as_post,
    is_simplified,
    load_sources,
    make_repost,
)
from linker.compare.findings import compare
from linker.models import Finding
from linker.ptt.parse import parse_text

EDITS = ("cut_paragraph", "cut_sentence", "insert_opinion", "change_number",
         "swap_paragraphs", "cut_tail")
TOLERANCE = 2
"""Flagged characters this close to a true edit count as right (a number's % sign, the
punctuation after a cut sentence)."""


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None:
        return False
    return a[0] < b[1] and b[0] < a[1]


def _detected(truth: Truth, findings: list[Finding]) -> bool:
    for f in findings:
        if f.kind != truth.kind or f.severity == "low":
            continue
        if truth.kind == "omitted" and _overlaps(f.source_span, truth.source_span):
            return True
        if truth.kind != "omitted" and _overlaps(f.post_span, truth.post_span):
            return True
    return False


def _char_precision(repost: Repost, findings: list[Finding]) -> tuple[int, int]:
    post_true: set[int] = set()
    src_true: set[int] = set()
    for t in repost.truths:
        if t.post_span:
            post_true.update(range(t.post_span[0] - TOLERANCE, t.post_span[1] + TOLERANCE))
        if t.source_span and t.kind in ("omitted", "altered", "moved"):
            src_true.update(range(t.source_span[0] - TOLERANCE, t.source_span[1] + TOLERANCE))
    flagged = right = 0
    for f in findings:
        if f.severity == "low":
            continue
        if f.kind in ("added", "altered", "moved") and f.post_span:
            for i in range(*f.post_span):
                if not repost.quote[i].isspace():
                    flagged += 1
                    right += i in post_true
        if f.kind == "omitted" and f.source_span:
            for i in range(*f.source_span):
                if not repost.source[i].isspace():
                    flagged += 1
                    right += i in src_true
    return flagged, right


def run(trials: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    sources = load_sources()
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    flagged = right = 0
    faithful_false = faithful_n = 0
    chars = 0
    parse_failures = 0
    started = time.perf_counter()
    for name, text in sources:
        simplified = is_simplified(text)
        for _ in range(trials):
            conversion = rng.choice(("s2t", "s2tw", "s2twp")) if simplified else "none"
            width = rng.choice((None, 78, 76, 70))
            fold_punct = rng.random() < 0.5
            faithful = make_repost(text, rng, conversion=conversion, width=width,
                                   fold_punct=fold_punct)
            result = compare(faithful.quote, faithful.source)
            faithful_n += 1
            bad = [f for f in result.findings if f.severity != "low"]
            if bad:
                faithful_false += len(bad)
                print(f"  faithful {name} {conversion} w={width}: {bad[0]}", file=sys.stderr)
            edits = rng.sample(EDITS, rng.randint(1, 3))
            edited = make_repost(text, rng, conversion=conversion, width=width,
                                 fold_punct=fold_punct, edits=edits)
            # The quote goes through the parser first, pushes echoing the article and all.
            parsed = parse_text(as_post(edited, rng)).fields.quote
            if parsed != edited.quote:
                parse_failures += 1
            result = compare(parsed, edited.source)
            findings = list(result.findings)
            chars += len(edited.quote) + len(faithful.quote)
            for t in edited.truths:
                total[t.kind] += 1
                if _detected(t, findings):
                    found[t.kind] += 1
                else:
                    print(f"  missed {t.kind} in {name} ({edits}, {conversion}, w={width})",
                          file=sys.stderr)
            f_n, r_n = _char_precision(edited, findings)
            flagged += f_n
            right += r_n
    elapsed = time.perf_counter() - started
    print(f"reposts: {faithful_n} faithful + {faithful_n} edited from {len(sources)} sources "
          f"({chars:,} quote characters, {elapsed:.1f} s)")
    scores: dict[str, float] = {}
    for kind in ("added", "omitted", "altered", "moved"):
        if total[kind]:
            scores[f"recall_{kind}"] = found[kind] / total[kind]
            print(f"recall {kind:<8} {found[kind] / total[kind]:.3f}  ({found[kind]}/{total[kind]})")
    scores["char_precision"] = right / flagged if flagged else 1.0
    scores["faithful_false"] = faithful_false
    print(f"character precision {scores['char_precision']:.3f}  ({right}/{flagged})")
    print(f"medium/high findings on faithful reposts: {faithful_false}")
    print(f"quotes the parser did not recover exactly: {parse_failures}")
    scores["parse_failures"] = parse_failures
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()
    scores = run(args.trials, args.seed)
    from benchmarks import realpages

    real_ok = True
    for corpus in realpages.CORPORA:
        found = realpages.pages(corpus)
        if not found:
            print(f"\nreal outlet pages ({corpus}): shared corpus not found, section skipped")
            continue
        started = time.perf_counter()
        lines, totals = realpages.table(corpus)
        right, checked = sum(v[0] for v in totals.values()), sum(v[1] for v in totals.values())
        print(f"\nreal outlet pages, {corpus} ({len(found)} pages, "
              f"{time.perf_counter() - started:.1f} s): right / checked")
        print("\n".join(lines))
        print(f"{right}/{checked} checks right ({right / checked:.1%})")
        real_ok = real_ok and right >= 0.97 * checked and all(
            totals[k][0] == totals[k][1] for k in ("faithful", "placeholder", "title"))
    ok = real_ok and (scores.get("recall_added", 1) >= 0.98 and scores.get("recall_omitted", 1) >= 0.98
          and scores.get("recall_altered", 1) >= 0.95 and scores["char_precision"] >= 0.97
          and scores["faithful_false"] == 0 and scores["parse_failures"] == 0)
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
