"""PTT addresses: AIDs and mirrors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linker.errors import InputError
from linker.ptt.url import article_ref, decode_aid, encode_aid


@pytest.mark.parametrize(("aid", "file"), [
    ("1ZO92zHD", "M.1667272893.A.44D"),
    ("1WTC-hqz", "M.1618268075.A.D3D"),
    ("1cqR0XzI", "M.1725018145.A.F52"),
])
def test_reference_aids(aid: str, file: str) -> None:
    """The three worked examples of ptt-pages.md decode and encode both ways."""
    assert decode_aid(aid) == file
    assert encode_aid(file) == aid


@given(st.integers(0, 2**32 - 1), st.integers(0, 0xFFF))
def test_aid_round_trip(timestamp: int, suffix: int) -> None:
    """Any M-file name survives encode then decode."""
    file = f"M.{timestamp}.A.{suffix:03X}"
    assert decode_aid(encode_aid(file)) == file


@pytest.mark.parametrize("url", [
    "https://www.ptt.cc/bbs/Stock/M.1737507516.A.88B.html",
    "http://ptt.cc/bbs/Stock/M.1737507516.A.88B.html",
    "https://www.pttweb.cc/bbs/Stock/M.1737507516.A.88B",
    "https://webptt.com/cn.aspx?n=bbs%2FStock%2FM.1737507516.A.88B.html",
    "https://www.ucptt.com/article/Stock/1737507516/88B",
    "https://www.ptt.best/bbs/Stock/M.1737507516.A.88B.html",
    "https://pttcareers.com/Stock/" + encode_aid("M.1737507516.A.88B"),
    "https://pttdigits.com/Stock/" + encode_aid("M.1737507516.A.88B"),
])
def test_every_form_maps_to_the_article(url: str) -> None:
    """ptt.cc, its short form and six mirrors all name the same article."""
    assert article_ref(url).url == "https://www.ptt.cc/bbs/Stock/M.1737507516.A.88B.html"


def test_bad_aid() -> None:
    """AIDs are 8 characters of PTT's base 64."""
    with pytest.raises(InputError):
        decode_aid("1ZO92zH!")
