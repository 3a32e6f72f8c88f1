"""Line breaking for mixed Chinese and Latin text.

rich breaks lines at spaces only; a run of Chinese has none, so rich cuts it wherever the width
ends: inside a number (``4`` / ``.8%``), before a closing mark (``]``, ``。``, ``、`` alone at a
line's start) or after an opening one. :func:`units` gives the pieces a line may not split, the
part of Unicode's line breaking rules (UAX #14) that Chinese and English text needs: each
ideograph is a piece, closing marks stay with what they close and opening marks with what they
open, and a run of Latin letters, digits and ASCII punctuation (``4.8%``, ``[~42%→62%],``, a
URL) is one piece. (The uniseg package implements all of UAX #14, at about 80 µs a character:
a long quote would take seconds; this takes a regular expression pass.)

:class:`Wrapped` is a rich renderable that wraps its text by these pieces at whatever width
rich gives it (a table cell, the console).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

_OPEN = "（「『【〔《〈｛［“‘〝"
_CLOSE = "、。，．：；？！）」』】〕》〉｝］”’〞…‥・ー～％﹐﹑﹒﹔﹕﹖﹗"
_ASCII_CLOSE = ",.;:!?)]}%"
_IDEOGRAPH = ("\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
              "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff")
_SPACE = " \t"
# No line starts with these: closing marks, and a hyphen (UAX #14 classes CL, CP, IS, EX, NS, HY).
_NO_START = frozenset(_CLOSE + _ASCII_CLOSE + "-")
_UNIT = re.compile(
    f"[{_OPEN}]*"
    f"(?:[^{_SPACE}{_IDEOGRAPH}]+[{_CLOSE}]*"  # a Latin run, and the marks that close it
    f"|[{_IDEOGRAPH}][{_CLOSE}{re.escape(_ASCII_CLOSE)}]*"  # one ideograph, and its marks
    f"|.)"
    f"[{_SPACE}]*", re.S)


def units(line: str) -> Iterator[tuple[int, int]]:
    """The pieces of ``line`` (no newlines) a break may fall between: ``(start, end)``."""
    pos = 0
    while pos < len(line):
        m = _UNIT.match(line, pos)
        end = m.end() if m and m.end() > pos else pos + 1
        # A closing mark after a space still closes what came before (「見 https://… 。」)
        while end < len(line) and line[end] in _NO_START:
            after = _UNIT.match(line, end)
            end = after.end() if after and after.end() > end else end + 1
        yield pos, end
        pos = end


def _fold(plain: str, start: int, end: int, width: int) -> list[int]:
    # A piece wider than the line (a URL in a narrow column): cut by cells, as rich would.
    cuts: list[int] = []
    cells = 0
    for i in range(start, end):
        w = cell_len(plain[i])
        if cells and cells + w > width:
            cuts.append(i)
            cells = 0
        cells += w
    return cuts


def _words(line: str, pieces: list[tuple[int, int]]) -> dict[int, int]:
    # The cell width of each space-separated word, keyed by where it starts.
    words: dict[int, int] = {}
    start = 0
    for _, b in pieces:
        if line[b - 1] in _SPACE or b == len(line):
            words[start] = cell_len(line[start:b].rstrip(_SPACE))
            start = b
    return words


def breaks(line: str, width: int) -> list[int]:
    """Where ``line`` (no newlines) is cut to fit ``width`` cells between its :func:`units`."""
    width = max(1, width)
    if cell_len(line) <= width:
        return []
    cuts: list[int] = []
    start, cells = 0, 0
    pieces = list(units(line))
    words = _words(line, pieces)
    for a, b in pieces:
        piece = cell_len(line[a:b].rstrip(_SPACE))
        # A space-separated word that fits on a line of its own moves there whole, as rich
        # would move it; only a word longer than a line is broken between its pieces.
        word = words.get(a, 0)
        if a > start and (cells + piece > width or (word and cells + word > width >= word)):
            cuts.append(a)
            start, cells = a, 0
        if piece > width:
            folded = _fold(line, a, b, width)
            cuts.extend(folded)
            start = folded[-1] if folded else a
            cells = cell_len(line[start:b])
            continue
        cells += cell_len(line[a:b])
    return cuts


def wrap_line(text: Text, width: int) -> list[Text]:
    """``text`` (one line) wrapped to ``width`` cells between its :func:`units`."""
    cuts = breaks(text.plain, width)
    if not cuts:
        return [text]
    lines = list(text.divide(cuts))
    for line in lines[:-1]:
        line.rstrip()  # the spaces a line ends on are where it broke
    return lines


def wrap(text: Text, width: int) -> list[Text]:
    """``text`` wrapped to ``width`` cells, its own line breaks kept."""
    out: list[Text] = []
    for line in text.split("\n", include_separator=False, allow_blank=True):
        out.extend(wrap_line(line, width))
    return out


class Wrapped:
    """A rich renderable: ``text`` wrapped by :func:`wrap` at the width it is given."""

    def __init__(self, text: Text | str, style: str = "") -> None:
        self.text = text if isinstance(text, Text) else Text(text, style=style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        longest = max((cell_len(line) for line in plain.split("\n")), default=0)
        widest_unit = max((cell_len(line[a:b].rstrip(_SPACE)) for line in plain.split("\n")
                           for a, b in units(line)), default=0)
        # A column may narrow to a few ideographs; long Latin pieces are folded below that.
        least = min(widest_unit, 16)
        return Measurement(least, longest).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap(self.text, options.max_width):
            line.no_wrap = True
            line.overflow = "crop"
            yield line
