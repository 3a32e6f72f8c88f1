"""Fold text into a canonical comparison stream, keeping a map back to the original.

Both sides are folded the same way: script conversion (the poster's converter applied to the
source), NFKC (full-width digits and Latin to ASCII), whitespace and PTT hard wraps removed,
punctuation and quote/dash variants dropped (kept only where they carry a number: ``79.8``,
``12:30``, ``1/10``, ``%``), Latin lower-cased, and every Han character reduced to one
Simplified form so 臺/台, 裡/裏/里 and 後/后 compare equal.  ``Folded.offsets[i]`` is the index
in the original text of canonical character ``i``, so any canonical span maps back to the exact
characters the user wrote.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Container, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import compress
from pathlib import Path
from typing import Any

CONVERSIONS = ("none", "s2t", "s2tw", "s2twp", "s2hk", "t2s", "tw2s", "tw2sp")
"""Script conversions a poster may have used, tried in this order (ties go to the first)."""

_ALWAYS_KEEP = frozenset("%")
_CHUNK = re.compile(r"[^\s，。！？；：、,.!?;:「」『』“”‘’（）()]+|.", re.S)
DECLARED_CUT = re.compile(r"[（(]\s*[上中下前後后]?略\s*[)）]|[…⋯]{2,}|\.{3,}|(?<![0-9])…(?![0-9])")

HAN = "\u3400-\u9fff\uf900-\ufaff"
"""Han characters (unified ideographs, extension A, compatibility ideographs), as the body of
a regular expression's character class."""


_WIDE = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
"""Full-width ASCII and the ideographic space, to what NFKC makes of them."""
_WIDE_CHAR = re.compile("[\uff01-\uff5e\u3000]")


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster on Chinese text: the full-width
    punctuation every line holds (，：？) fails NFKC's quick check and sends the whole line
    through decomposition; mapped first (as NFKC maps them), most lines pass it."""
    return unicodedata.normalize("NFKC", _WIDE_CHAR.sub(lambda m: _WIDE[m[0]], text))


def is_han(c: str) -> bool:
    """Whether ``c`` is a Han character (see :data:`HAN`)."""
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def han_only(text: str, least: int, most: int) -> bool:
    """Whether ``text`` is ``least`` to ``most`` Han characters: what ``[HAN]{least,most}``
    fully matches, without a pattern whose Han class takes ~2 ms to compile in each process."""
    return least <= len(text) <= most and all(map(is_han, text))


_CHEAP_FIRST = ("t2s", "tw2s", "tw2sp")


class _Chain:
    """Two OpenCC conversions in a row, behaving as one."""

    def __init__(self, first: Any, second: Any) -> None:
        self.first, self.second = first, second

    def convert(self, text: str) -> str:
        return str(self.second.convert(self.first.convert(text)))


class _Recalling:
    """A converter that gives its last output again when given the very same text object:
    detection converts one sample with s2t, then with s2tw and s2hk, both s2t first."""

    def __init__(self, converter: Any) -> None:
        self.converter = converter
        self.config = converter.config
        self._last: tuple[str, str] = ("", "")  # one tuple, replaced whole: threads may share it

    def convert(self, text: str) -> str:
        last = self._last
        if last[0] is text:
            return last[1]
        out = str(self.converter.convert(text))
        self._last = (text, out)
        return out


_AFTER_S2T = {"s2tw": "t2tw", "s2hk": "t2hk"}
"""s2tw and s2hk are s2t followed by the regional variants (OpenCC's own configurations chain
the same dictionaries).  Built that way they share s2t's phrase dictionary instead of loading
their own copy (s2tw alone took ~45 ms to load, t2tw 0.4 ms); the outputs were identical on
all 9.3 million characters of the shared news corpus (see tests/compare/test_normalise.py)."""


_MERGED = Path(__file__).resolve().parents[1] / "data" / "opencc"
"""OpenCC's s2t and s2twp with one dictionary a step (built by ``tools/opencc_s2t.py``):
OpenCC 1.4 makes a group of dictionaries into a prefix table of hash maps whenever a converter
is made: for s2t's phrases and characters ~43 ms inside a check (80–110 ms in a fresh
process) and ~20 MB, for s2twp ~60 ms.  A single dictionary is used as it is (~14 ms); it
converts more slowly (60k characters in 11 ms rather than 5), which a check of a long page
pays back in part."""
_ONE_DICTIONARY = frozenset({"s2t", "s2twp"})


def _share(opencc: Any) -> Path:
    """Where the OpenCC package keeps its configurations and dictionaries."""
    return Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"


def _own(opencc: Any, config: str) -> Any:
    """OpenCC's own configuration ``config``, named by its full path: given a bare name, OpenCC
    reads a file of that name in the working directory first, and a ``t2s.json`` lying there
    would replace linker's folding (or end the check with a traceback)."""
    path = _share(opencc) / f"{config}.json"
    return opencc.OpenCC(str(path) if path.is_file() else f"{config}.json")


@cache
def _installed_digest(path: Path) -> str:
    """The SHA-256 of one of the installed OpenCC's files, read once a process (s2t and s2twp
    both ask, ~1 MB each time)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _merged_fits(opencc: Any) -> bool:
    """Whether the installed OpenCC holds exactly the files the merged forms were built from."""
    try:
        built = json.loads((_MERGED / "sources.json").read_text(encoding="utf-8"))["sources"]
        return all(_installed_digest(_share(opencc) / name) == digest
                   for name, digest in built.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False  # another OpenCC build, or a damaged copy


def _one_dictionary(opencc: Any, config: str) -> Any:
    """OpenCC's s2t or s2twp: the merged form when it fits the installed OpenCC (and converts
    alike, see tests/compare/test_normalise.py), else OpenCC's own, right but slower."""
    if _merged_fits(opencc):
        with suppress(RuntimeError):  # OpenCC's error for a dictionary it cannot read
            return opencc.OpenCC(str(_MERGED / f"{config}.json"))
    return _own(opencc, config)


@cache
def _converter(config: str) -> Any:
    import opencc  # lazy: loading dictionaries costs time `linker --help` should not pay

    # Measured with OpenCC 1.1: the Traditional → Simplified configurations load in ~2 ms
    # each in a fresh process, but in 30–55 ms each once the large s2t phrase dictionary is
    # loaded.  Every check needs t2s (folding), and many need the others, so they go first.
    # (With OpenCC 1.4 and the merged s2t the order no longer measures either way.)
    if config not in _CHEAP_FIRST:
        for cheap in _CHEAP_FIRST:
            _converter(cheap)
    if config in _AFTER_S2T:
        return _Chain(_converter("s2t"), _own(opencc, _AFTER_S2T[config]))
    if config == "s2t":
        return _Recalling(_one_dictionary(opencc, config))
    if config in _ONE_DICTIONARY:
        return _one_dictionary(opencc, config)
    return _own(opencc, config)


def convert(text: str, config: str) -> str:
    """Convert script with OpenCC (``none`` returns the text unchanged)."""
    if config == "none" or not text:
        return text
    return str(_converter(config).convert(text))


_JOIN = "\ue000"  # a private-use character: no dictionary phrase spans it


def convert_many(texts: Sequence[str], config: str) -> list[str]:
    """:func:`convert` of each text, in one OpenCC call (each call costs ~35 µs of setup, and
    a check may convert hundreds of short passages)."""
    if config == "none" or len(texts) < 2 or any(_JOIN in t for t in texts):
        return [convert(t, config) for t in texts]
    out = convert(_JOIN.join(texts), config).split(_JOIN)
    return out if len(out) == len(texts) else [convert(t, config) for t in texts]


REGIONAL_CHARS: dict[str, frozenset[str]] = {
    "s2tw": frozenset("幺檐潨痹睾腭鮎鲇齶"),
    "s2hk": frozenset("卫叙敘檯潨衛"),
}
"""The characters whose s2tw (or s2hk) form folds differently from their s2t form: every
other character folds the same whichever of the three converted it, so those two conversions
can only explain an edit holding one of these.  The test suite re-derives the sets from
OpenCC's own dictionaries."""


def taiwan_phrased(passages: Sequence[str]) -> list[bool]:
    """Whether each passage uses a Taiwan phrase (軟體 for 软件, 資訊 for 信息): tw2sp, which
    turns them back into mainland phrases, and tw2s, which does not, disagree on it."""
    return [a != b for a, b in zip(convert_many(passages, "tw2sp"),
                                   convert_many(passages, "tw2s"), strict=True)]


# Characters whose Traditional forms are used differently across regions, so that a
# Simplified → Traditional round trip does not come back to the same one (計畫/計劃 →
# 计划 → 計劃; 著/着): they compare as one.
_REGIONAL = {"划": "画", "着": "著"}


_SIMPLIFIED: dict[str, str] = {}
"""Han character → its t2s conversion, learnt a text at a time (see :func:`_learn`)."""


def _learn(text: str) -> None:
    """Convert the Han characters of ``text`` not seen before in one OpenCC call: one call per
    character costs ~35 µs each, and a long article brings a thousand new ones."""
    new = [c for c in {unicodedata.normalize("NFKC", ch) for ch in set(text)
                       if ord(ch) not in _FOLD.known}
           if len(c) == 1 and is_han(c) and c not in _SIMPLIFIED]
    for c, simplified in zip(new, convert_many(new, "t2s"), strict=True):
        _SIMPLIFIED[c] = simplified


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """NFKC, lower-case, and a single Simplified form for a Han character."""
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if is_han(c):
            s = _SIMPLIFIED.get(c) or convert(c, "t2s")
            c = s if len(s) == 1 else c
            c = _REGIONAL.get(c, c)
        out.append(c.lower())
    return "".join(out)


@lru_cache(maxsize=4096)
def _is_dropped(c: str) -> bool:
    if c in _ALWAYS_KEEP:
        return False
    cat = unicodedata.category(c)
    # U+FFFD stands where a page's bytes could not be decoded: no one wrote it, no one can
    # copy it faithfully.
    return c.isspace() or cat[0] in "PZ" or cat in ("Cc", "Cf", "Cs", "Co", "Cn") or c == "\ufffd"


# Punctuation kept between digits is swapped for these noncharacters (never found in text a
# person wrote) before the translate tables run, so that one table pass folds everything.
_DIGIT_MARKS = {".": "\ufdd0", ":": "\ufdd1", "/": "\ufdd2"}
_DIGIT_PUNCT = re.compile(r"(?<=\w)[.:/\u2024\ufe13\ufe52\ufe55\uff0e\uff0f\uff1a](?=\w)")
"""``.:/`` and the characters NFKC turns into them, between two word characters (the digits,
① and ² among them, are told apart by ``str.isdigit``)."""
_NONCHARACTERS = re.compile("[\ufdd0-\ufdd2]")


class _Table(dict[int, str]):
    """Code point → output text, for ``str.translate``; each code point is worked out on first
    sight (``fn`` is pure, so concurrent fills agree)."""

    def __init__(self, fn: Callable[[str], str], preset: dict[int, str]) -> None:
        super().__init__(preset)
        self._fn = fn

    def __missing__(self, code: int) -> str:
        out = self[code] = self._fn(chr(code))
        return out


class CharMap:
    """A per-character text mapping run at C speed with ``str.translate``, that also tells
    which input character each output character came from.

    Args:
        fn: one character → its output ('' drops it; several characters are allowed).
        preset: fixed outputs for some characters.
    """

    def __init__(self, fn: Callable[[str], str], preset: dict[str, str] | None = None) -> None:
        fixed = {ord(k): v for k, v in (preset or {}).items()}
        self._out = _Table(fn, fixed)
        self._lengths = _Table(lambda c: chr(len(self._out[ord(c)])),
                               {k: chr(len(v)) for k, v in fixed.items()})

    @property
    def known(self) -> Container[int]:
        """The code points already worked out."""
        return self._out

    def apply(self, text: str) -> str:
        """The mapped text."""
        return text.translate(self._out)

    def origins(self, text: str) -> list[int]:
        """For each character of :meth:`apply`'s output, the index of its input character."""
        lengths = text.translate(self._lengths)
        if not lengths or max(lengths) <= "\x01":
            return list(compress(range(len(text)), lengths.encode("latin-1")))
        # A character that maps to several (NFKC expands ½ and ㈱): repeat its index.
        return [i for i, n in enumerate(lengths) for _ in range(ord(n))]


def _folded_char(ch: str) -> str:
    return "".join(c for c in _fold_char(ch) if not _is_dropped(c))


_MARKED_PUNCT = {mark: punct for punct, mark in _DIGIT_MARKS.items()}
_FOLD = CharMap(_folded_char, _MARKED_PUNCT)
"""Each character's share of the canonical stream (the marks of kept punctuation included)."""

_SPLIT = "\ufdd3"
"""Joins the texts :func:`canonical_many` folds together: a noncharacter, which folding drops,
kept by :data:`_FOLD_JOINED` alone."""
_FOLD_JOINED = CharMap(_folded_char, {**_MARKED_PUNCT, _SPLIT: _SPLIT})


def _trails(c: str) -> bool:
    """Punctuation that closes what precedes it (。，」) and stray control characters, as
    opposed to opening marks."""
    return not c.isspace() and _is_dropped(c) and unicodedata.category(c) in (
        "Po", "Pe", "Pf", "Cc", "Cf")


def _opens(c: str) -> bool:
    return unicodedata.category(c) in ("Ps", "Pi")


@dataclass(frozen=True)
class Folded:
    """A text and its canonical comparison stream.

    Attributes:
        original: the text as given.
        text: the canonical stream compared by the aligner.
        offsets: ``offsets[i]`` is the index in ``original`` of canonical character ``i``.
    """

    original: str
    text: str
    offsets: Sequence[int]

    def span(self, start: int, end: int, *, extend: bool = True) -> tuple[int, int]:
        """Map canonical ``[start, end)`` to the original text.

        With ``extend`` the end grows over punctuation that directly follows (so a cut
        sentence keeps its 。), but never over whitespace or line breaks.
        """
        if start >= end:
            return self.point(start), self.point(start)
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1
        if not extend:
            return o_start, o_end
        # Opening marks (「【“) directly before belong to the passage too.
        floor = self.offsets[start - 1] + 1 if start > 0 else 0
        while o_start > floor and _opens(self.original[o_start - 1]):
            o_start -= 1
        limit = self.offsets[end] if end < len(self.offsets) else len(self.original)
        while o_end < limit and _trails(self.original[o_end]):
            o_end += 1
        return o_start, o_end

    def point(self, index: int) -> int:
        """The original position of canonical position ``index`` (a cut point)."""
        if index <= 0:
            return self.offsets[0] if self.offsets else 0
        if index >= len(self.offsets):
            return len(self.original.rstrip())
        # Just after the previous canonical character and the punctuation that follows it.
        return self.span(index - 1, index)[1]


def _conversion_map(text: str, config: str) -> tuple[str, list[int] | None]:
    """Convert ``text`` and map each converted character to an original index (``None``
    when the conversion kept every length, so that index ``i`` maps to ``i``)."""
    converted = convert(text, config)
    if len(converted) == len(text):
        return converted, None
    # Phrase conversions (s2twp) change lengths: convert clause by clause, and inside a clause
    # whose length changed spread its characters proportionally over the original clause.
    pieces: list[str] = []
    mapping: list[int] = []
    for match in _CHUNK.finditer(text):
        chunk = match.group(0)
        out = convert(chunk, config)
        base = match.start()
        if len(out) == len(chunk):
            mapping.extend(range(base, base + len(chunk)))
        else:
            n = len(out)
            mapping.extend(base + min(len(chunk) - 1, (i * len(chunk)) // max(n, 1))
                           for i in range(n))
        pieces.append(out)
    return "".join(pieces), mapping


def _blank(text: str, cmap: list[int] | None, ignore: Iterable[tuple[int, int]]) -> str:
    """``text`` with the characters that come from ignored original ranges made NUL (which
    folding drops)."""
    spans = sorted((max(0, s), e) for s, e in ignore if e > s)
    if not spans:
        return text
    if cmap is None:
        chars = list(text)
        for start, end in spans:
            chars[start:end] = "\0" * len(chars[start:end])
        return "".join(chars)
    skip = bytearray(max(cmap[-1] + 1 if cmap else 0, spans[-1][1]) + 1)
    for start, end in spans:
        skip[start:end] = b"\1" * (end - start)
    return "".join("\0" if skip[o] else c for c, o in zip(text, cmap, strict=True))


def _marked(text: str, cmap: list[int] | None, ignore: Iterable[tuple[int, int]]) -> str:
    """The converted text ready for the fold table: kept punctuation marked, ignored ranges
    blanked, new Han characters learnt."""
    if _NONCHARACTERS.search(text):  # dropped anyway; they must not pose as marks
        text = _NONCHARACTERS.sub("\0", text)

    def mark(m: re.Match[str]) -> str:
        i = m.start()
        if text[i - 1].isdigit() and text[i + 1].isdigit():
            return _DIGIT_MARKS[unicodedata.normalize("NFKC", m[0])]
        return m[0]

    marked = _blank(_DIGIT_PUNCT.sub(mark, text), cmap, ignore)
    _learn(marked)
    return marked


def canonical(text: str, conversion: str = "none") -> str:
    """``fold(text, conversion).text`` without the offset map, for comparisons only."""
    converted, cmap = _conversion_map(text, conversion)
    return _FOLD.apply(_marked(converted, cmap, ()))


def canonical_many(texts: Sequence[str]) -> list[str]:
    """:func:`canonical` of each text (no conversion), in one pass over them all: a check
    folds hundreds of short passages, and each call costs its own setup."""
    if len(texts) < 2 or any(_SPLIT in t for t in texts):
        return [canonical(t) for t in texts]
    # The joint cannot take part in a mark: marks need a word character on either side.
    return _FOLD_JOINED.apply(_marked(_SPLIT.join(texts), None, ())).split(_SPLIT)


def fold(text: str, conversion: str = "none",
         ignore: Iterable[tuple[int, int]] = ()) -> Folded:
    """Fold ``text`` (optionally converting its script first) into a :class:`Folded`.

    Args:
        text: the original text.
        conversion: an OpenCC configuration applied before folding (see :data:`CONVERSIONS`).
        ignore: original ``[start, end)`` ranges left out of the stream (declared cuts, URLs).
    """
    converted, cmap = _conversion_map(text, conversion)
    marked = _marked(converted, cmap, ignore)
    positions = _FOLD.origins(marked)
    offsets = positions if cmap is None else [cmap[i] for i in positions]
    return Folded(text, _FOLD.apply(marked), offsets)


def declared_cuts(text: str) -> list[tuple[int, int]]:
    """Spans of declared omissions in a quote: （略）, （下略）, ……, ⋯⋯, ``...``."""
    return [(m.start(), m.end()) for m in DECLARED_CUT.finditer(text)]


def url_lines(text: str) -> list[tuple[int, int]]:
    """Spans of URLs in a quote (image links and the like are not article text)."""
    return [(m.start(), m.end()) for m in re.finditer(r"https?://[!-~]+", text)]


def bigrams(text: str) -> set[str]:
    """Every pair of neighbouring characters of ``text``."""
    return {text[i:i + 2] for i in range(len(text) - 1)}


NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
"""What is not a letter or a digit (Unicode categories L and N: the word characters but
``_``), removed by a scan in C where a translate table would look each character up."""


def _light(text: str) -> str:
    """NFKC without punctuation or whitespace, but keeping the script as written."""
    return NOT_LETTER_OR_DIGIT.sub("", nfkc(text)).lower()


_TO_TRADITIONAL = frozenset({"s2t", "s2tw", "s2twp", "s2hk"})
_TO_SIMPLIFIED = frozenset({"t2s", "tw2s", "tw2sp"})

def script_of(text: str) -> str | None:
    """``traditional``, ``simplified``, or None when ``text`` has too few Han characters to
    tell.  Only the cheap t2s dictionary is used: in Traditional prose t2s changes about one
    Han character in five, in Simplified prose next to none."""
    han = "".join(filter(is_han, text))
    if len(han) < 50:
        return None
    simplified = convert(han, "t2s")
    if len(simplified) != len(han):
        return None
    changed = sum(1 for a, b in zip(han, simplified, strict=True) if a != b)
    return "traditional" if changed >= 0.05 * len(han) else "simplified"


QUOTE_SAMPLE = 3000
SOURCE_SAMPLE = 12000
"""Detection reads the quote's first 3,000 characters (thousands of bigrams: plenty to tell
conversions apart) against the source's first 12,000, where they come from unless the poster
cut more than 9,000 characters of its head."""
CLEAR_WIN = 0.995
"""A candidate that covers this share of the quote's bigrams has clearly won: the rest can
explain at most one bigram in two hundred, and any passage a rival would explain is still
found per edit by the check's conversion-equivalence test."""


def plausible_conversions(quote: str) -> tuple[str, ...]:
    """The conversions that can have produced ``quote`` (in :data:`CONVERSIONS` order): a
    conversion towards the other script cannot have (a Traditional quote is not the output of
    t2s), nor can s2twp a quote without a Taiwan phrase in the sample detection reads, so
    their dictionaries need not be loaded."""
    script = script_of(quote[:6000])
    if script == "simplified":
        return tuple(c for c in CONVERSIONS if c not in _TO_TRADITIONAL)
    # s2twp differs from s2tw only where it puts a Taiwan phrase (軟體 for 软件): a quote sample
    # with none cannot be its output, and its dictionary costs ~30 ms to load.
    phrased = taiwan_phrased([quote[:QUOTE_SAMPLE]])[0]
    if script == "traditional":
        return tuple(c for c in CONVERSIONS
                     if c not in _TO_SIMPLIFIED and (phrased or c != "s2twp"))
    return tuple(c for c in CONVERSIONS if phrased or c != "s2twp")


def detect_conversion(quote: str, source: str,
                      candidates: Sequence[str] = CONVERSIONS) -> tuple[str, float]:
    """The script conversion that best turns ``source`` into ``quote``, and its score.

    Each candidate converts the source; the one whose character bigrams cover most of the
    quote's wins (ties go to the earlier, simpler candidate).  Phrase conversions such as
    s2twp (信息→資訊) only win when the quote really uses those phrases.

    Only :func:`plausible_conversions` are tried, and once a candidate covers every bigram of
    the quote no later one can beat it (ties go to the earlier candidate): dictionaries that
    cannot matter are never loaded.
    """
    q = _light(quote[:QUOTE_SAMPLE])
    qgrams = bigrams(q)
    if not qgrams:
        return "none", 0.0
    sample = source[:SOURCE_SAMPLE]
    plausible = plausible_conversions(quote)
    candidates = [c for c in candidates if c in plausible]
    best, best_score = "none", -1.0
    seen: dict[str, float] = {}
    for config in candidates:
        converted = convert(sample, config)
        if converted in seen:
            continue  # same text as a simpler candidate, which already won any tie
        grams = bigrams(_light(converted))
        score = len(qgrams & grams) / len(qgrams)
        seen[converted] = score
        if score > best_score + 1e-9:
            best, best_score = config, score
        if best_score >= CLEAR_WIN:
            break
    return best, best_score
