"""A generator of PTT-style reposts with known edits, for the accuracy benchmark and tests.

A repost is built from a source article's paragraphs the way posters make them: the script
converted (s2t, s2tw, s2twp), full-width punctuation typed half width, lines hard-wrapped at a
BBS width, and optionally edited: a paragraph or sentence cut, an opinion inserted, a number
changed, two paragraphs swapped.  Every edit is recorded with its exact spans.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from linker.compare.normalise import convert

ROOT = Path(__file__).resolve().parent.parent
OPINIONS = (
    "這根本是在畫大餅，誰信誰倒楣。",
    "我覺得這個數字有點誇張，大家自己判斷。",
    "看來又要大漲一波了，快上車。",
    "說穿了就是官商勾結而已。",
    "政府到底在幹嘛，人民都看不下去了。",
    "小編表示看不懂，但大受震撼。",
    "難怪最近鄉民都在討論這件事。",
    "照這樣下去，明年一定會出大事。",
)
FOLD = str.maketrans({"，": ",", "：": ":", "！": "!", "？": "?", "；": ";", "（": "(",
                      "）": ")"})
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?」”]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Truth:
    """One edit made on purpose: its kind and spans (quote / source string offsets)."""

    kind: str
    post_span: tuple[int, int] | None
    source_span: tuple[int, int] | None


@dataclass(frozen=True)
class Repost:
    """A generated quote, its source, and the edits made."""

    quote: str
    source: str
    conversion: str
    truths: tuple[Truth, ...] = field(default_factory=tuple)


@dataclass
class _Unit:
    text: str  # in the source's script
    source_span: tuple[int, int] | None
    kind: str = "same"  # same | added
    para: int = 0
    number: tuple[int, int, str] | None = None  # (start, end) inside text, new number


def load_sources() -> list[tuple[str, str]]:
    """(name, text) of every authored article, plus the corpus truth texts when present."""
    out = []
    for path in sorted((ROOT / "examples" / "articles").glob("*.txt")):
        body = path.read_text(encoding="utf-8").partition("\n\n")[2]
        paras = [p.strip() for p in body.split("\n\n")
                 if p.strip() and not p.strip().startswith(("（本", "延伸", "更多"))]
        out.append((path.stem, "\n".join(paras)))
    corpus = ROOT.parent / "shared" / "corpus" / "news"
    if corpus.is_dir():
        for path in sorted(corpus.glob("*.truth.txt")):
            text = path.read_text(encoding="utf-8")
            paras = [p.strip() for p in text.splitlines() if p.strip()]
            out.append((path.stem, "\n".join(paras)))
    return out


def is_simplified(text: str) -> bool:
    """Whether the text is in Simplified script: converting it to Traditional changes more
    characters than converting it to Simplified does (a Traditional text also has a few
    characters that s2t rewrites, variants and the like)."""
    sample = text[:2000]

    def changed(config: str) -> int:
        return sum(1 for a, b in zip(sample, convert(sample, config), strict=False) if a != b)

    return changed("s2t") > changed("t2s")


def _units(source: str) -> list[_Unit]:
    units = []
    pos = 0
    for p_index, para in enumerate(source.split("\n")):
        for m in _SENTENCE.finditer(para):
            if m.group(0):
                units.append(_Unit(m.group(0), (pos + m.start(), pos + m.end()), para=p_index))
        pos += len(para) + 1
    return units


def wrap(text: str, width: int | None) -> tuple[str, list[int]]:
    """Hard-wrap at ``width`` display columns; also return old→new index map."""
    if width is None:
        return text, list(range(len(text) + 1))
    out: list[str] = []
    mapping: list[int] = []
    col = 0
    for ch in text:
        if ch == "\n":
            mapping.append(len(out))
            out.append(ch)
            col = 0
            continue
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if col + w > width:
            out.append("\n")
            col = 0
        mapping.append(len(out))
        out.append(ch)
        col += w
    mapping.append(len(out))
    return "".join(out), mapping


def make_repost(source: str, rng: random.Random, *, conversion: str = "none",
                width: int | None = None, fold_punct: bool = False,
                edits: Sequence[str] = ()) -> Repost:
    """Build a repost of ``source`` with the named ``edits`` (see module docstring)."""
    units = _units(source)
    truths: list[Truth] = []
    paras = sorted({u.para for u in units})
    for edit in edits:
        if edit == "cut_paragraph" and len(paras) > 2:
            victim = rng.choice(paras[1:-1])
            gone = [u for u in units if u.para == victim]
            if gone and all(u.source_span and u.kind == "same" for u in gone) and any(
                    re.search(r"[。！？!?]", u.text) for u in gone):
                truths.append(Truth("omitted", None, (gone[0].source_span[0],  # type: ignore[index]
                                                      gone[-1].source_span[1])))  # type: ignore[index]
                units = [u for u in units if u not in gone]
                paras.remove(victim)
        elif edit == "cut_sentence":
            # A sentence, not a subheading or credit line (leaving those out is no edit).
            middle = [u for u in units[1:-1] if u.kind == "same" and len(u.text) > 8
                      and re.search(r"[。！？!?]", u.text)]
            if middle:
                cut = rng.choice(middle)
                truths.append(Truth("omitted", None, cut.source_span))
                units.remove(cut)
        elif edit == "insert_opinion":
            at = rng.randrange(1, len(units))
            opinion = rng.choice(OPINIONS)
            if conversion in ("none", "t2s") and is_simplified(source):
                opinion = convert(opinion, "t2s")
            units.insert(at, _Unit(opinion, None, "added", units[at - 1].para))
        elif edit == "change_number":
            cands = [u for u in units if u.kind == "same" and u.number is None
                     and _NUMBER.search(u.text)]
            if cands:
                u = rng.choice(cands)
                m = rng.choice(list(_NUMBER.finditer(u.text)))
                old = m.group(0)
                first = str((int(old[0]) + rng.randint(1, 8)) % 10)
                if first == "0" and len(old) > 1 and old[1] != ".":
                    first = "9"
                u.number = (m.start(), m.end(), first + old[1:])
        elif edit == "swap_paragraphs" and len(paras) > 3:
            i = rng.randrange(1, len(paras) - 2)
            a, b = paras[i], paras[i + 1]
            block_a = [u for u in units if u.para == a]
            block_b = [u for u in units if u.para == b]
            if (block_a and block_b and all(
                    sum(len(u.text) for u in blk) >= 20 and any(
                        re.search(r"[。！？!?]", u.text) for u in blk)
                    for blk in (block_a, block_b))
                    and all(u.kind == "same" for u in block_a + block_b)):
                start = units.index(block_a[0])
                end = units.index(block_b[-1]) + 1
                units[start:end] = block_b + block_a
                # The shorter block is the one the aligner will call moved.
                # Either block may be called the moved one; the truth is the swapped region.
                for u in block_a + block_b:
                    u.kind = "moved"
        elif edit == "cut_tail":
            # Cut from the last paragraph that holds a sentence (credit lines go with it).
            content = [p for p in paras if any(u.para == p and re.search(r"[。！？!?]", u.text)
                                               for u in units)]
            last = content[-1] if content else paras[-1]
            gone = [u for u in units if u.para >= last]
            if len(paras) > 2 and gone and all(u.kind == "same" for u in gone):
                truths.append(Truth("omitted", None, (gone[0].source_span[0],  # type: ignore[index]
                                                      gone[-1].source_span[1])))  # type: ignore[index]
                units = [u for u in units if u not in gone]
                paras = [p for p in paras if p < last]
    # Render: convert each unit, fold punctuation, join paragraphs with newlines.
    pieces: list[str] = []
    spans: list[tuple[_Unit, int, int, int | None]] = []
    pos = 0
    prev_para: int | None = None
    for u in units:
        if prev_para is not None and u.para != prev_para:
            pieces.append("\n")
            pos += 1
        prev_para = u.para
        text = u.text
        number_at: int | None = None
        if u.number is not None:
            s, e, new = u.number
            before = convert(text[:s], conversion)
            text = before + new + convert(text[e:], conversion)
            number_at = len(before)
            rendered = text
        else:
            rendered = text if u.kind == "added" else convert(text, conversion)
        if fold_punct:
            rendered = rendered.translate(FOLD)
        pieces.append(rendered)
        spans.append((u, pos, pos + len(rendered), number_at))
        pos += len(rendered)
    flat = "".join(pieces)
    quote, mapping = wrap(flat, width)
    moved = [(start, end, u) for u, start, end, _ in spans if u.kind == "moved"]
    if moved:
        src = [u.source_span for _s, _e, u in moved if u.source_span]
        truths.append(Truth("moved", (mapping[moved[0][0]], mapping[moved[-1][1] - 1] + 1),
                            (min(x[0] for x in src), max(x[1] for x in src))))
    for u, start, end, number_at in spans:
        if u.kind == "added":
            truths.append(Truth("added", (mapping[start], mapping[end - 1] + 1), None))
        if u.number is not None and number_at is not None and u.source_span:
            s, e, new = u.number
            ns = start + number_at
            truths.append(Truth("altered", (mapping[ns], mapping[ns + len(new) - 1] + 1),
                                (u.source_span[0] + s, u.source_span[0] + e)))
    return Repost(quote, source, conversion, tuple(truths))


def as_post(repost: Repost, rng: random.Random) -> str:
    """The repost inside a Stock-template post, with pushes that echo the article and an
    author reply among them, as text copied from a BBS client."""
    lines = [line for line in repost.quote.split("\n") if len(line) > 12]
    echo = rng.choice(lines)[:30] if lines else "推文"
    return "\n".join([
        "作者 generator (測試) 看板 Stock",
        "標題 [新聞] 產生的轉貼",
        "時間 Mon Mar 16 10:00:00 2026",
        "原文標題：產生的轉貼",
        "原文連結：",
        "https://example.com/news/generated",
        "發布時間：2026/03/16",
        "記者署名：測試記者",
        "原文內容：",
        repost.quote,
        "",
        "心得/評論：",
        "看看就好",
        "--",
        "※ 發信站: 批踢踢實業坊(ptt.cc), 來自: 203.0.113.9 (臺灣)",
        "※ 文章網址: https://www.ptt.cc/bbs/Stock/M.1773626400.A.123.html",
        f"推 echo1: {echo}" + " " * 8 + "03/16 10:01",
        echo,
        "原文就是這樣寫",
        "→ echo2: 真的假的" + " " * 8 + "03/16 10:02",
    ])


_FOOTER = ("--", "※ 發信站: 批踢踢實業坊(ptt.cc), 來自: 203.0.113.9 (臺灣)")


def _header(board: str, title: str, day: datetime) -> list[str]:
    return [f"作者 tester (測試) 看板 {board}", f"標題 [新聞] {title[:30]}",
            f"時間 {day.strftime('%a %b %d')} 12:00:00 {day.year}", ""]


def stock_post(*, title: str, url: str, published: str, reporter: str, quote: str,
               day: datetime, commentary: str = "轉貼給大家參考，看看就好。") -> str:
    """A Stock-board news post (numbered template) as copied from a BBS client."""
    return "\n".join([
        *_header("Stock", title, day),
        "1.原文連結：",
        url,
        f"2.原文標題：{title}",
        f"3.發布時間：{published or '(無)'}",
        f"4.記者署名：{reporter}",
        "5.原文內容：",
        wrap(quote, 78)[0],
        "",
        "6.心得/評論：",
        commentary,
        *_FOOTER,
        "※ 文章網址: https://www.ptt.cc/bbs/Stock/M.1400000000.A.123.html",
    ])


def gossiping_post(*, outlet: str, reporter: str, title: str, url: str, quote: str,
                   day: datetime, note: str = "大家怎麼看？") -> str:
    """A Gossiping-board news post (the 2020 template with 記者署名)."""
    return "\n".join([
        *_header("Gossiping", title, day),
        "1.媒體來源:",
        outlet,
        "",
        "2.記者署名:",
        reporter,
        "",
        "3.完整新聞標題:",
        title,
        "",
        "4.完整新聞內文:",
        wrap(quote, 78)[0],
        "",
        "5.完整新聞連結 (或短網址)不可用YAHOO、LINE、MSN等轉載媒體:",
        url,
        "",
        "6.備註:",
        note,
        *_FOOTER,
        "※ 文章網址: https://www.ptt.cc/bbs/Gossiping/M.1400000000.A.456.html",
    ])
