"""Real Taiwanese outlet pages (../shared/corpus/news/tw, skipped when absent): the headline,
reporters and date a reader takes from each page, its body sentences, and reposts of it checked
the way a moderator would judge them."""

from __future__ import annotations

import pytest

from benchmarks import realpages
from linker.extract import extract_article
from linker.normalise import fold

from .conftest import corpus_dir

pytestmark = pytest.mark.corpus


def _pages() -> list[realpages.Page]:
    corpus_dir("news", "tw")
    return realpages.pages()


def _names() -> list[str]:
    return [p.name for p in realpages.pages()] or ["(corpus absent)"]


@pytest.fixture(params=_names())
def page(request: pytest.FixtureRequest) -> realpages.Page:
    pages = {p.name: p for p in _pages()}
    return pages[str(request.param)]


def test_the_corpus_has_every_page() -> None:
    """27 pages from 10 outlets, as its README says; a missing page would skip silently."""
    pages = _pages()
    assert len(pages) == 27
    assert len({str(p.truth.get("outlet") or p.name.split("_s")[0]) for p in pages}) >= 10


def test_headline_reporters_date_and_body(page: realpages.Page) -> None:
    """The headline without site or section names, the reporters (not photographers, desks or
    datelines), the structured publish date and the truth sentences in the article text."""
    article = extract_article(page.doc)
    truth = page.truth
    assert fold(article.title or "").text == fold(str(truth["title"])).text
    if "reporter" in truth:
        assert article.reporters == tuple(str(truth["reporter"] or "").replace("、", " ").split())
    if truth.get("published"):
        assert (article.published or "")[:10] == str(truth["published"])[:10]
    body = fold(article.text).text
    for sentence in truth["body_contains"]:  # type: ignore[attr-defined]
        assert fold(str(sentence)).text in body


def test_reposts_are_judged_right(page: realpages.Page) -> None:
    """Faithful reposts (with or without the byline, with captions copied along, as the
    browser shows the page) are faithful; a quote of the truth sentences has no added text and
    no metadata mismatch; an added opinion, a changed number, a dropped sentence, a tampered
    title and a wrong reporter are each caught."""
    article = extract_article(page.doc)
    problems = {}
    kinds = set()
    for case in realpages.cases(page, article):
        kinds.add(case.kind)
        found = realpages.evaluate(case, realpages.check(case, page.doc))
        if found:
            problems[case.kind] = found
    assert problems == {}
    assert {"faithful", "truth-sentences", "added", "dropped", "title", "reporter-wrong"} <= kinds
