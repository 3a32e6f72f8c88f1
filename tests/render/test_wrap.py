"""Line breaking for mixed Chinese and Latin text (``linker.render.wrap``)."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from linker.render.wrap import Wrapped, breaks, units, wrap

CLOSING = "、。，．：；？！）」』】〕》〉］”’…%,.;:!?)]"
OPENING = "（「『【〔《〈［“‘([{"

PARAGRAPH = ("海港市今天公布最新民調，市長王志遠的施政滿意度來到58%，比去年同期上升4.8%。"
             "「這根本是遙遙領先」，一位市議員說。[~42%→62%]，業內人士（不願具名）認為，"
             "天樞-3的數據亮眼，但真實場景仍有待驗證；詳見新聞稿。")
URL = "https://news.example-tv.com.tw/news/2026/03/10/a-very-long-path"
# The widest piece of PARAGRAPH is "說。[~42%→62%]，": from this width on, no piece is folded.
FITS = 14


def lines_of(text: str, width: int) -> list[str]:
    return [line.plain for line in wrap(Text(text), width)]


def test_a_number_is_never_split() -> None:
    for width in range(FITS, 60):
        joined = "\n".join(lines_of(PARAGRAPH, width))
        for number in ("58%", "4.8%", "[~42%→62%]", "樞-3"):
            assert number in joined, (width, number)
        assert not re.search(r"[\d.%]\n[\d.%]", joined), (width, joined)


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one() -> None:
    for width in range(FITS, 70):
        lines = lines_of(PARAGRAPH, width)
        for line in lines[1:]:
            assert line[0] not in CLOSING, (width, lines)
        for line in lines[:-1]:
            assert line.rstrip()[-1] not in OPENING, (width, lines)


def test_every_line_fits_and_no_character_is_lost() -> None:
    text = f"{PARAGRAPH} 詳見 {URL} 。"
    for width in range(4, 90, 3):
        lines = lines_of(text, width)
        assert all(cell_len(line) <= width for line in lines), width
        # A break falls where a space was, or between two characters: only spaces vanish.
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_closing_mark_after_a_space_stays_with_what_it_closes() -> None:
    assert lines_of("詳見 https://a.example/1 。", 24) == ["詳見", "https://a.example/1 。"]


def test_a_word_that_fits_on_a_line_of_its_own_moves_there_whole() -> None:
    note = "text not in the source 「這根本是遙遙領先,對手只能…」"
    assert lines_of(note, 40) == ["text not in the source", "「這根本是遙遙領先,對手只能…」"]
    # Longer than a line: broken between its ideographs instead.
    assert lines_of("note " + "字" * 30, 20)[0] == "note " + "字" * 7


def test_a_piece_longer_than_the_line_is_folded() -> None:
    lines = lines_of(URL, 20)
    assert "".join(lines) == URL and all(cell_len(line) <= 20 for line in lines)
    assert list(units("4.8%，")) == [(0, 5)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("天地人中文字ab1.%，。「」（）[] -→")), max_size=80),
       st.integers(min_value=2, max_value=40))
def test_breaks_always_fit_and_keep_the_text(text: str, width: int) -> None:
    cuts = breaks(text, width)
    assert cuts == sorted(set(cuts)) and all(0 < c < len(text) for c in cuts)
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    assert "".join(pieces) == text
    assert all(cell_len(p.rstrip(" \t")) <= width for p in pieces)


def test_in_a_table_cell_the_text_wraps_by_its_pieces() -> None:
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    table.add_row("title", Wrapped(PARAGRAPH))
    buffer = io.StringIO()
    Console(file=buffer, width=40, color_system=None).print(table)
    lines = buffer.getvalue().splitlines()
    assert all(cell_len(line) <= 40 for line in lines)
    cells = [line[6:].rstrip() for line in lines]
    assert all(cell[0] not in CLOSING for cell in cells[1:] if cell)
    assert "".join(cells).replace(" ", "") == PARAGRAPH.replace(" ", "")
