"""Board rules on faithful reposts of the real outlet pages (``../shared/corpus/news``).

Every page of ``modern/`` and ``tw/`` (see :mod:`benchmarks.realpages`) gets the post an honest
Gossiping poster writes — the template, the true reporter, the headline and the whole article as
a browser shows it, the page's own address, posted on the publish day — and the ``gossiping``
profile is applied.  The script prints, per rule, how many posts it calls a violation, leaves
undecided, or passes, and every violation with its evidence, so a reader can judge whether each
accusation is one a moderator would agree with.  On a faithful post the only violations that
can be right are the ones the page itself causes: an outlet based in China, Hong Kong or Macau
(``banned-origin``); an address too long for a line or holding raw Chinese
(``link-unclickable``); and what the post builder cannot fill (no publish day known on the page:
the post is dated 2023-04-01, so ``stale-news``; no reporter or outlet known: an empty field).

Usage: python -m benchmarks.rules [modern|tw] [-v]
"""

from __future__ import annotations

import sys
from collections import Counter

from linker.models import Document
from linker.ptt.parse import parse_document
from linker.rules import RULE_IDS, evaluate, load_profile

from .realpages import CORPORA, _post, pages

BOARD_WIDE = ("duplicate-news", "daily-quota")
"""Decided over a board in a batch, never on one post: left out here."""


def main(argv: list[str]) -> int:
    from linker.check import analyse

    profile = load_profile("gossiping")
    counts: dict[str, Counter[str]] = {r: Counter() for r in RULE_IDS if r not in BOARD_WIDE}
    accused: list[str] = []
    posts = 0
    for corpus in [c for c in CORPORA if c in argv] or list(CORPORA):
        found = pages(corpus)
        if not found:
            print(f"{corpus}: ../shared/corpus/news/{corpus} is absent, skipped")
            continue
        for page in found:
            text = _post(page, page.body, template="gossiping")
            post = parse_document(Document(origin=f"{page.name}.txt", content=text.encode()))
            report = analyse(post, page.doc)
            posts += 1
            for result in evaluate(report, profile):
                if result.id in BOARD_WIDE:
                    continue
                counts[result.id][result.status] += 1
                if result.status == "violation":
                    accused.append(f"  {corpus}/{page.name}: {result.id}: {result.evidence[:110]}")
    if not posts:
        return 0
    print(f"gossiping rules on {posts} faithful reposts of real pages")
    print(f"{'rule':20} {'violation':>9} {'undecided':>9} {'ok':>5}")
    for rule_id, tally in counts.items():
        print(f"{rule_id:20} {tally['violation']:9} {tally['unknown']:9} {tally['ok']:5}")
    if "-v" in argv:
        print("\nevery violation, with its evidence:")
        print("\n".join(accused))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
