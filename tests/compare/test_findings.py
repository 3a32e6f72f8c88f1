"""Pure comparison helpers of linker.compare.findings, on small inputs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linker.compare.findings import _Sentences, quote_ignores
from linker.compare.normalise import canonical, convert
from linker.models import Article, NewsFields, Post

HEADLINE = "真相一目了然后他决定辞职"
"""A Simplified headline whose s2t form folds differently: s2t writes 一目了然 as 一目瞭然, and
瞭 is its own Simplified form, so only converting the headline makes the two equal."""


def _post(quote: str, original_title: str | None = None) -> Post:
    return Post(input="-", url=None, board="Gossiping", author="a", nickname=None,
                title="[新聞] 某事", title_prefix="[新聞]", time=None, template="none",
                body="", fields=NewsFields(original_title=original_title, quote=quote))


def _article(title: str) -> Article:
    return Article(url=None, final_url=None, status=200, encoding="utf-8", title=title,
                   author=None, published=None, sitename=None, text="正文。",
                   extraction="trafilatura")


def test_the_fold_alone_does_not_match_the_converted_headline() -> None:
    """The premise of the next test: without s2t the line and the headline differ."""
    line = convert(HEADLINE, "s2t")
    assert "瞭" in line and canonical(line) != canonical(HEADLINE)
    assert canonical(line) == canonical(HEADLINE, "s2t")


@pytest.mark.parametrize(("first_line", "ignored"), [
    (convert(HEADLINE, "s2t"), True),            # the headline, converted by the poster
    (HEADLINE, True),                            # the headline as printed
    ("真相一目瞭然，後他決定辭職。", True),        # punctuation and script folded away
    ("真相一目瞭然後他決定留任", False),           # same length, other words
    ("記者王大明／台北報導", False),               # a byline, not the headline
])
def test_a_first_line_repeating_the_headline_is_left_out(first_line: str, ignored: bool) -> None:
    quote = f"{first_line}\n第一段正文在這裡。"
    spans = quote_ignores(_post(quote), _article(HEADLINE))
    assert spans == ([(0, len(first_line))] if ignored else [])


def test_the_post_s_own_title_fields_count_as_headlines() -> None:
    line = convert(HEADLINE, "s2t")
    post = _post(f"{line}\n正文。", original_title=HEADLINE)
    assert quote_ignores(post, _article("完全不同的標題")) == [(0, len(line))]


def _sentence_by_search(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``[start, end)`` found by searching for each end mark from the
    passage, as _confirm_on_page first did (the reference for _Sentences)."""
    marks = ("。", "！", "？", "!", "?", "\n\n")
    s0 = max(text.rfind(p, 0, start) for p in marks) + 1
    s1 = min((i for i in (text.find(p, end) for p in marks) if i >= 0),
             default=len(text) - 1) + 1
    return s0, s1


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="甲乙。！？!?\n a", max_size=40), st.data())
def test_sentences_found_once_agree_with_searching_from_each_passage(text: str,
                                                                    data: st.DataObject) -> None:
    end = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(0, end))
    assert _Sentences(text).around(start, end) == _sentence_by_search(text, start, end)
