"""Real news pages from ../shared/corpus/news: decoding, extraction and a faithful check
(skipped when the folder is absent)."""

from __future__ import annotations

import json

import pytest

from linker.compare.findings import compare
from linker.compare.normalise import convert, fold
from linker.models import Document
from linker.source.extract import decode_html, extract_article

from ..conftest import corpus_dir

pytestmark = pytest.mark.corpus


def _page(name: str) -> Document:
    folder = corpus_dir("news")
    return Document(origin=name, content=(folder / name).read_bytes())


@pytest.mark.parametrize("stem", ["n4k-chinese_article", "n4k-chinese_article_001",
                                  "n4k-chinese_article_002"])
def test_newspaper4k_pages_extract_their_truth(stem: str) -> None:
    """The extracted body covers the expected text (folded, as linker compares)."""
    truth = (corpus_dir("news") / f"{stem}.truth.txt").read_text(encoding="utf-8")
    article = extract_article(_page(f"{stem}.html"))
    result = compare(truth, article.text)
    assert result.added <= 0.03, result.findings[:3]
    assert [f for f in result.findings if f.severity == "high"] == []


def test_trafilatura_pages_with_and_without_snippets() -> None:
    """Expected snippets are on the page as linker reads it, boilerplate is not in the article;
    headline and date are the expected ones; the GBK page is decoded.

    trafilatura's own expectations count a photo caption as body text; linker keeps captions
    out of the article on purpose (a poster who leaves one out has cut nothing), so a snippet
    may be found among the furniture lines instead."""
    expected = json.loads((corpus_dir("news") / "traf-expected.json").read_text("utf-8"))
    for name, meta in expected.items():
        doc = Document(origin=name, content=(corpus_dir("news") / name).read_bytes(),
                       url=meta["url"], final_url=meta["url"])
        article = extract_article(doc)
        body = fold(article.text).text
        furniture = fold("\n".join(article.furniture)).text
        for snippet in meta["with"]:
            assert fold(snippet).text in body or fold(snippet).text in furniture, (name, snippet)
        for snippet in meta["without"]:
            assert fold(snippet).text not in body, (name, snippet)
        assert fold(article.title or "").text == fold(meta["title"]).text, name
        assert (article.published or "")[:10] == meta["date"], name


def test_gbk_archive_page_without_a_usable_header_is_decoded() -> None:
    """The archived he.xinhuanet page is GBK; decoding from the bytes alone gets it right."""
    text, encoding = decode_html(_page("traf-archive.org.he.xinhuanet.com.25340717.html").content)
    assert encoding in ("gb18030", "gbk", "gb2312")
    assert "约定无期限" in text


@pytest.mark.parametrize("stem", ["n4k-chinese_article_001", "n4k-chinese_article_002"])
@pytest.mark.parametrize("conversion", ["s2t", "s2twp"])
def test_a_traditional_repost_of_a_real_page_is_faithful(stem: str, conversion: str) -> None:
    """The truth text converted to Traditional (as posters do) checks faithful against the
    real page's extraction: no medium or high finding."""
    truth = (corpus_dir("news") / f"{stem}.truth.txt").read_text(encoding="utf-8")
    article = extract_article(_page(f"{stem}.html"))
    quote = convert(truth, conversion).replace("，", ",")
    result = compare(quote, article.text)
    assert result.conversion == conversion
    assert [f for f in result.findings if f.severity != "low"] == []
