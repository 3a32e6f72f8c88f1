"""The aligner on canonical text (linker.compare.align): exact matches, the in-order backbone,
moved passages, and edits that account for every character of both texts."""

from __future__ import annotations

import random
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from linker.compare.align import Alignment, Block, align, chain, seeds

# Distinct characters so that no passage repeats by accident.
POOL = [chr(0x4E00 + i) for i in range(3000)]


def text(n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(POOL) for _ in range(n))


def covered(al: Alignment) -> tuple[list[bool], list[bool]]:
    """Which quote and source characters the backbone, the moves and the edits account for."""
    q, s = [False] * al.q_len, [False] * al.s_len
    for b in (*al.chain, *al.moved):
        for i in range(b.q, b.q_end):
            q[i] = True
        for j in range(b.s, b.s_end):
            s[j] = True
    for e in al.edits:
        for i in range(e.q_start, e.q_end):
            q[i] = True
        for j in range(e.s_start, e.s_end):
            s[j] = True
    return q, s


def test_identical_texts_are_one_match_and_no_edit() -> None:
    t = text(500, 1)
    al = align(t, t)
    assert [(b.q, b.s, b.size) for b in al.chain] == [(0, 0, 500)]
    assert al.edits == () and al.moved == () and al.matched == 500


def test_an_insertion_a_cut_and_a_change_are_edits_at_their_places() -> None:
    s = text(600, 2)
    q = s[:100] + "加入的評論文字" + s[100:300] + s[340:500] + "改" + s[501:]
    al = align(q, s)
    kinds = {(e.kind, q[e.q_start:e.q_end], s[e.s_start:e.s_end]) for e in al.edits}
    assert ("added", "加入的評論文字", "") in kinds
    assert ("omitted", "", s[300:340]) in kinds
    assert ("altered", "改", s[500]) in kinds
    assert all(covered(al)[0]) and all(covered(al)[1])


def test_a_passage_moved_elsewhere_is_moved_not_cut_and_added() -> None:
    s = text(900, 3)
    q = s[:200] + s[500:700] + s[200:500] + s[700:]
    al = align(q, s)
    assert sum(b.size for b in al.moved) >= 190
    assert not [e for e in al.edits if e.kind in ("added", "omitted") and
                (e.q_end - e.q_start) + (e.s_end - e.s_start) > 20]


def test_seeds_are_exact_and_the_chain_increases_in_both_texts() -> None:
    s = text(800, 4)
    q = s[50:250] + text(60, 5) + s[400:700]
    blocks = seeds(q, s)
    assert blocks and all(q[b.q:b.q_end] == s[b.s:b.s_end] for b in blocks)
    backbone, _rest = chain(blocks)
    assert all(a.q_end <= b.q and a.s_end <= b.s for a, b in pairwise(backbone))


def test_the_chain_prefers_the_heavier_order() -> None:
    heavy, light = Block(0, 100, 50), Block(60, 10, 5)
    backbone, rest = chain([heavy, light])
    assert backbone == [heavy] and rest == [light]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("甲乙丙丁戊己庚辛壬癸子丑")), max_size=120).map("".join),
       st.lists(st.sampled_from(list("甲乙丙丁戊己庚辛壬癸子丑")), max_size=120).map("".join))
def test_every_character_of_both_texts_is_accounted_for(q: str, s: str) -> None:
    """What no match or edit covers is text the two sides share inside a gap (the equal runs
    the character-level alignment keeps): the same characters, in the same order."""
    al = align(q, s)
    assert (al.q_len, al.s_len) == (len(q), len(s))
    in_q, in_s = covered(al)
    if not al.moved:
        assert ("".join(c for c, done in zip(q, in_q, strict=True) if not done)
                == "".join(c for c, done in zip(s, in_s, strict=True) if not done))
    for e in al.edits:
        assert 0 <= e.q_start <= e.q_end <= len(q) and 0 <= e.s_start <= e.s_end <= len(s)
        assert e.kind in ("added", "omitted", "altered", "moved")
