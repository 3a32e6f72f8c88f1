"""Fuzzing: whatever the input, the parser, the extractor and the aligner either work or
raise linker's own error, and every span they return is valid."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linker.compare.findings import compare
from linker.errors import LinkerError
from linker.models import Document
from linker.ptt.parse import parse_document
from linker.source.extract import decode_html, extract_article

from .conftest import CASSETTES

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PUNCT = st.sampled_from(list("，。！？「」『』“”、：；（）…—\n 　,.!?%0123456789abcXYZ"))
CHINESE = st.text(st.one_of(HAN, PUNCT), max_size=400)
TAGS = st.sampled_from(["<div>", "</div>", "<p>", "</p>", '<div id="main-content">',
                        '<span class="f2">', "</span>", '<div class="push">',
                        '<span class="push-tag">推 </span>', '<div class="article-metaline">',
                        '<span class="article-meta-tag">作者</span>', "<html>", "<body>",
                        "<!--", "-->", "<script>", "</script>", "&#34;", "&amp;", "<", ">",
                        "--\n", "※ 發信站: 批踢踢實業坊(ptt.cc), 來自: 1.2.3.4\n",
                        "※ 編輯: x (1.2.3.4), 01/01/2020 00:00:00\n", "原文內容：\n",
                        "→ user: text 01/01 00:00\n", "https://example.com/a\n"])
HTMLISH = st.lists(st.one_of(TAGS, CHINESE, st.text(max_size=20)), max_size=60).map("".join)
RELAXED = settings(max_examples=150, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@RELAXED
@given(st.one_of(HTMLISH, st.text(max_size=2000), st.binary(max_size=3000)))
def test_parser_never_escapes(data: str | bytes) -> None:
    """Random, garbled or binary input: a Post or a LinkerError, nothing else."""
    content = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    try:
        post = parse_document(Document(origin="fuzz", content=content))
    except LinkerError:
        return
    f = post.fields
    if f.quote_span is not None:
        assert f.quote_span.slice(post.body) == f.quote
    for qoff, boff, length in f.quote_lines:
        assert f.quote[qoff:qoff + length] == post.body[boff:boff + length]


@RELAXED
@given(st.one_of(HTMLISH, st.binary(max_size=3000)))
def test_extractor_never_escapes(data: str | bytes) -> None:
    """Garbled pages: extracted text or a LinkerError (ExtractionError)."""
    content = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    decode_html(content)
    try:
        article = extract_article(Document(origin="fuzz", content=content))
    except LinkerError:
        return
    assert article.text.strip()


@RELAXED
@given(CHINESE, CHINESE)
def test_aligner_spans_are_exact(quote: str, source: str) -> None:
    """Any two texts: every finding's text is exactly its span on each side."""
    result = compare(quote, source)
    for f in result.findings:
        if f.post_span is not None:
            assert 0 <= f.post_span[0] <= f.post_span[1] <= len(quote)
            assert quote[f.post_span[0]:f.post_span[1]] == f.post_text
        if f.source_span is not None:
            assert 0 <= f.source_span[0] <= f.source_span[1] <= len(source)
            assert source[f.source_span[0]:f.source_span[1]] == f.source_text
    assert 0.0 <= result.coverage <= 1.0 and 0.0 <= result.added <= 1.0


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 40), st.integers(0, 2**16))
def test_aligner_on_long_repetitive_text(repeat: int, seed: int) -> None:
    """Long inputs full of repeats (the hard case for seed indexes) still align exactly."""
    import random

    rng = random.Random(seed)
    unit = "市場方面，股價當日上漲7.6%，收於每股88.5元。"
    source = "\n".join(unit + str(rng.randint(0, 3)) for _ in range(repeat * 20))
    lines = source.split("\n")
    rng.shuffle(lines)
    quote = "\n".join(lines[: len(lines) // 2])
    result = compare(quote, source)
    for f in result.findings:
        if f.post_span is not None:
            assert quote[f.post_span[0]:f.post_span[1]] == f.post_text


def test_real_cassette_pages_survive_truncation() -> None:
    """Every authored page cut at arbitrary points still parses or fails cleanly."""
    import yaml

    for path in sorted(CASSETTES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for exchange in data["interactions"][:3]:
            body = exchange["response"]["body"]["string"]
            raw = body.encode("utf-8") if isinstance(body, str) else body
            for cut in (len(raw) // 3, len(raw) // 2, len(raw) - 7):
                with contextlib.suppress(LinkerError):
                    parse_document(Document(origin=path.name, content=raw[:cut]))
