"""Reorder-aware alignment of a quote against its source, on canonical (folded) text.

1. **Seeds.** Every k-character gram of the source is indexed; the quote is scanned left to
   right and each position whose gram occurs in the source is extended into the longest exact
   match (preferring the one continuing the previous match's diagonal).  Matched stretches are
   skipped, so the scan is linear in practice.
2. **Chain.** The heaviest chain of matches that is increasing in both texts (a weighted longest
   increasing subsequence, O(n log n) with a Fenwick tree) is the in-order backbone.  Long
   matches outside it are passages the poster **moved**.
3. **Gaps.** Between consecutive backbone matches the quote and source gaps are compared: a
   source gap alone is an omission, a quote gap alone an addition, and a pair of similar gaps
   is aligned character by character (Levenshtein opcodes) into precise edits.

Everything is on canonical strings; :mod:`linker.check` maps positions back to the original.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz.distance import Indel, Levenshtein

SEED = 6
"""Length of the exact seeds (canonical characters).  Short enough for Chinese clauses,
long enough that chance matches between unrelated sentences are rare."""
MOVE_MIN = 12
"""Shortest match outside the backbone reported as moved (git uses 20 alphanumerics; Han
characters carry more information each)."""
_NEAR = 8
STRIDE = 3
"""Only every STRIDE-th source position is indexed (a sparse index a third the size); any
match of SEED + STRIDE - 1 characters is still found, and shorter ones are left to the
character-level alignment of the gaps."""


@dataclass(frozen=True)
class Block:
    """An exact match: ``q[q : q + size] == s[s : s + size]``."""

    q: int
    s: int
    size: int

    @property
    def q_end(self) -> int:
        """End of the match in the quote."""
        return self.q + self.size

    @property
    def s_end(self) -> int:
        """End of the match in the source."""
        return self.s + self.size


@dataclass(frozen=True)
class Edit:
    """A difference between canonical quote ``[q_start, q_end)`` and source ``[s_start, s_end)``.

    ``kind`` is ``added`` (quote only), ``omitted`` (source only), ``altered`` (both) or
    ``moved`` (an exact match out of order).  Zero-width ranges mark where the other side's
    text would sit.
    """

    kind: str
    q_start: int
    q_end: int
    s_start: int
    s_end: int


@dataclass(frozen=True)
class Alignment:
    """The result of :func:`align`."""

    chain: tuple[Block, ...]
    moved: tuple[Block, ...]
    edits: tuple[Edit, ...]
    q_len: int
    s_len: int

    @property
    def matched(self) -> int:
        """Canonical characters matched exactly (in order or moved)."""
        return sum(b.size for b in self.chain) + sum(b.size for b in self.moved)


def _extend(q: str, s: str, i: int, j: int) -> int:
    """Length of the common prefix of ``q[i:]`` and ``s[j:]`` (galloping slice compares)."""
    limit = min(len(q) - i, len(s) - j)
    n, step = 0, 16
    while n < limit:
        m = min(step, limit - n)
        if q[i + n:i + n + m] == s[j + n:j + n + m]:
            n += m
            step *= 2
        elif m == 1:
            break
        else:
            step = max(1, m // 2)
    return n


def seeds(q: str, s: str, k: int = SEED) -> list[Block]:
    """Maximal exact matches found by a left-to-right scan of ``q`` (see module docstring)."""
    if len(q) < k or len(s) < k:
        return []
    # Unique grams map to an int and only repeated ones get a list: ints are not tracked by
    # the garbage collector, so building the index stays linear on long texts.
    first: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    for j in range(0, len(s) - k + 1, STRIDE):
        gram = s[j:j + k]
        at = first.setdefault(gram, j)
        if at != j:
            repeated.setdefault(gram, [at]).append(j)
    blocks: list[Block] = []
    i = 0
    expected = 0
    last_q_end = 0
    while i <= len(q) - k:
        gram = q[i:i + k]
        cands = repeated.get(gram)
        if cands is None:
            hit = first.get(gram)
            if hit is None:
                i += 1
                continue
            cands = [hit]
        want = expected + (i - last_q_end)
        if len(cands) > _NEAR:
            at = bisect_left(cands, want)
            cands = cands[max(0, at - _NEAR // 2):at + _NEAR // 2]
        best_j, best_n = -1, 0
        for j in cands:
            n = _extend(q, s, i, j)
            if j == want and n >= k:
                best_j, best_n = j, n
                break
            if n > best_n or (n == best_n and abs(j - want) < abs(best_j - want)):
                best_j, best_n = j, n
        # The index is sparse: the match may start a little before the hit.
        # (Never back into the source the previous match used: a character shared by the
        # end of an insertion and the text after it belongs to one match only.)
        floor = expected if best_j >= expected else 0
        back = 0
        while (i - back > last_q_end and best_j - back > floor
               and q[i - back - 1] == s[best_j - back - 1]):
            back += 1
        blocks.append(Block(i - back, best_j - back, best_n + back))
        i += best_n
        expected = best_j + best_n
        last_q_end = i
    return blocks


def chain(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """Split blocks (sorted by quote position) into the heaviest increasing chain and the rest.

    A weighted longest increasing subsequence: block b may follow a if ``a.s_end <= b.s``.
    """
    if not blocks:
        return [], []
    # A match that overlaps its predecessor's end in the source by a few characters (text
    # repeated at an edit boundary) is trimmed rather than dropped from the chain.
    trimmed = [blocks[0]]
    for b in blocks[1:]:
        a = trimmed[-1]
        overlap = a.s_end - b.s
        if 0 < overlap <= SEED and b.s > a.s and b.size - overlap >= SEED:
            b = Block(b.q + overlap, b.s + overlap, b.size - overlap)
        trimmed.append(b)
    blocks = trimmed
    coords = sorted({b.s for b in blocks} | {b.s_end for b in blocks})
    rank = {c: r + 1 for r, c in enumerate(coords)}
    size = len(coords)
    tree_val = [0] * (size + 1)
    tree_idx = [-1] * (size + 1)
    best = [0] * len(blocks)
    prev = [-1] * len(blocks)

    def query(pos: int) -> tuple[int, int]:
        val, idx = 0, -1
        while pos > 0:
            if tree_val[pos] > val:
                val, idx = tree_val[pos], tree_idx[pos]
            pos -= pos & -pos
        return val, idx

    def update(pos: int, val: int, idx: int) -> None:
        while pos <= size:
            if val > tree_val[pos]:
                tree_val[pos], tree_idx[pos] = val, idx
            pos += pos & -pos

    for n, b in enumerate(blocks):
        val, idx = query(rank[b.s])
        best[n] = val + b.size
        prev[n] = idx
        update(rank[b.s_end], best[n], n)
    end = max(range(len(blocks)), key=lambda n: best[n])
    picked: set[int] = set()
    while end >= 0:
        picked.add(end)
        end = prev[end]
    in_order = [b for n, b in enumerate(blocks) if n in picked]
    rest = [b for n, b in enumerate(blocks) if n not in picked]
    return in_order, rest


def _subtract(start: int, end: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    parts = []
    pos = start
    for c0, c1 in covered:
        if c1 <= pos or c0 >= end:
            continue
        if c0 > pos:
            parts.append((pos, c0))
        pos = max(pos, c1)
    if pos < end:
        parts.append((pos, end))
    return parts


def _overlap(a0: int, a1: int, spans: list[tuple[int, int]]) -> int:
    return sum(max(0, min(a1, b1) - max(a0, b0)) for b0, b1 in spans)


def diff_pair(q: str, s: str, q0: int, q1: int, s0: int, s1: int) -> list[Edit]:
    """Edits turning source gap ``s[s0:s1]`` into quote gap ``q[q0:q1]``.

    Short pairs are one alteration.  Longer pairs are aligned character by character and cut
    into clusters at equal runs of three or more characters; with no such anchor the two
    sides are unrelated text: an addition and an omission, never character confetti.
    """
    qa, sb = q[q0:q1], s[s0:s1]
    if not qa and not sb:
        return []
    if not sb:
        return [Edit("added", q0, q1, s0, s0)]
    if not qa:
        return [Edit("omitted", q0, q0, s0, s1)]
    if len(qa) <= 8 and len(sb) <= 8:
        return [Edit("altered", q0, q1, s0, s1)]
    ops = Levenshtein.opcodes(qa, sb)
    if not any(op.tag == "equal" and op.src_end - op.src_start >= 3 for op in ops):
        return [Edit("added", q0, q1, s0, s0), Edit("omitted", q1, q1, s0, s1)]
    edits: list[Edit] = []
    cur: list[int] | None = None  # [qa0, qa1, sb0, sb1] of the cluster being built
    for op in ops:
        if op.tag == "equal":
            if cur is not None and op.src_end - op.src_start >= 3:
                edits.extend(_cluster(cur, q, s, q0, s0))
                cur = None
            continue
        if cur is None:
            cur = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            cur[1], cur[3] = op.src_end, op.dest_end
    if cur is not None:
        edits.extend(_cluster(cur, q, s, q0, s0))
    return edits


def _cluster(c: list[int], q: str, s: str, q0: int, s0: int) -> list[Edit]:
    a0, a1, b0, b1 = q0 + c[0], q0 + c[1], s0 + c[2], s0 + c[3]
    if a1 > a0 and b1 > b0:
        if (a1 - a0 > 8 or b1 - b0 > 8) and Indel.normalized_similarity(
                q[a0:a1], s[b0:b1]) < 0.5:
            return [Edit("added", a0, a1, b0, b0), Edit("omitted", a1, a1, b0, b1)]
        return [Edit("altered", a0, a1, b0, b1)]
    if a1 > a0:
        return [Edit("added", a0, a1, b0, b0)]
    return [Edit("omitted", a0, a0, b0, b1)]


def _groups(rest: list[Block], gap: int = 8) -> list[list[Block]]:
    """Runs of unchained blocks that continue one another with small gaps on both sides
    (a moved passage broken by an edit inside it)."""
    groups: list[list[Block]] = []
    for b in sorted(rest, key=lambda b: b.q):
        if groups:
            last = groups[-1][-1]
            if 0 <= b.q - last.q_end <= gap and 0 <= b.s - last.s_end <= gap:
                groups[-1].append(b)
                continue
        groups.append([b])
    return groups


def align(q: str, s: str, *, k: int = SEED, move_min: int = MOVE_MIN) -> Alignment:
    """Align canonical quote ``q`` against canonical source ``s``."""
    blocks = seeds(q, s, k)
    backbone, rest = chain(blocks)
    covered_s = [(b.s, b.s_end) for b in backbone]
    moved_groups: list[list[Block]] = []
    for group in sorted(_groups(rest), key=lambda g: -sum(b.size for b in g)):
        size = sum(b.size for b in group)
        g_s0, g_s1 = group[0].s, group[-1].s_end
        if size < move_min:
            continue
        spans = sorted(covered_s + [(g[0].s, g[-1].s_end) for g in moved_groups])
        if _overlap(g_s0, g_s1, spans) > size // 4:
            continue  # the quote repeats text it already quoted in order: not a move
        moved_groups.append(group)
    moved_groups.sort(key=lambda g: g[0].q)
    moved = [b for g in moved_groups for b in g]
    moved_q = [(g[0].q, g[-1].q_end) for g in moved_groups]
    moved_s = sorted((g[0].s, g[-1].s_end) for g in moved_groups)
    edits: list[Edit] = []
    edges = [Block(0, 0, 0), *backbone, Block(len(q), len(s), 0)]
    for a, b in pairwise(edges):
        q_parts = _subtract(a.q_end, b.q, moved_q)
        s_parts = _subtract(a.s_end, b.s, moved_s)
        if len(q_parts) <= 1 and len(s_parts) <= 1:
            q0, q1 = q_parts[0] if q_parts else (b.q, b.q)
            s0, s1 = s_parts[0] if s_parts else (a.s_end, a.s_end)
            edits.extend(diff_pair(q, s, q0, q1, s0, s1))
        else:
            edits.extend(Edit("added", q0, q1, a.s_end, a.s_end) for q0, q1 in q_parts)
            edits.extend(Edit("omitted", b.q, b.q, s0, s1) for s0, s1 in s_parts)
    for g in moved_groups:
        edits.append(Edit("moved", g[0].q, g[-1].q_end, g[0].s, g[-1].s_end))
        for x, y in pairwise(g):
            edits.extend(diff_pair(q, s, x.q_end, y.q, x.s_end, y.s))
    edits.sort(key=lambda e: (e.q_start, e.s_start))
    return Alignment(tuple(backbone), tuple(moved), tuple(edits), len(q), len(s))
