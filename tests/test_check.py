"""``linker check``: verdicts and findings for every cassette case, plus properties."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from benchmarks.reposts import OPINIONS, load_sources, make_repost
from linker.compare.findings import compare
from linker.compare.normalise import convert
from linker.net.fetch import Client

from .support.cli import run
from .support.views import XINGHE, Replay, check, serious


def test_faithful_simplified_source(replay: Replay, client: Client) -> None:
    """The seed's situation: s2t conversion, folded commas, nothing flagged."""
    report = check(replay, client, "stock_sina_faithful", XINGHE)
    assert report.verdict == "faithful"
    assert serious(report) == []
    assert report.source is not None
    assert report.source.conversion in ("s2t", "s2tw")
    assert report.source.extraction == "trafilatura"
    assert report.coverage == 1.0 and report.added == 0.0
    assert {c.name: c.status for c in report.checks} == {
        "title": "ok", "reporter": "ok", "published": "ok", "link": "ok", "commentary": "ok"}


def test_edited_post_points_at_each_edit(replay: Replay, client: Client) -> None:
    """A changed number, an inserted opinion and a cut paragraph, each found exactly."""
    report = check(replay, client, "stock_sina_edited", XINGHE)
    assert report.verdict == "edited"
    kinds = sorted((f.kind, f.severity) for f in serious(report))
    assert kinds == [("added", "high"), ("altered", "high"), ("omitted", "medium")]
    quote = report.post.fields.quote
    assert report.source is not None
    text = report.source.text
    for f in report.findings:
        assert f.post_span is not None and f.source_span is not None
        assert quote[f.post_span[0]:f.post_span[1]] == f.post_text
        assert text[f.source_span[0]:f.source_span[1]] == f.source_text
    by_kind = {f.kind: f for f in report.findings}
    assert by_kind["altered"].post_text == "62%"
    assert by_kind["altered"].source_text == "42%"
    assert by_kind["added"].post_text == "這根本是遙遙領先,對手只能望塵莫及。"
    assert by_kind["omitted"].source_text.startswith("不过，业内人士对此看法不一。")
    assert by_kind["omitted"].source_text.endswith("缺的是稳定的交付”。")


def test_short_link_followed_and_reported(replay: Replay, client: Client) -> None:
    """reurl.cc redirects to the outlet; the final URL is recorded."""
    report = check(replay, client, "gossiping_reurl",
                   "https://www.ptt.cc/bbs/Gossiping/M.1777719704.A.A07.html")
    assert report.verdict == "faithful", report.findings
    assert report.source is not None
    assert report.source.final_url == \
        "https://news.example-tv.com.tw/news/2026/05/02/fictional-1001"
    link = next(c for c in report.checks if c.name == "link")
    assert "resolved to https://news.example-tv.com.tw" in link.detail


def test_big5_page_without_charset(replay: Replay, client: Client) -> None:
    """Neither header nor meta names the charset: Big5 is recognised from the bytes."""
    report = check(replay, client, "big5_no_charset",
                   "https://www.ptt.cc/bbs/Gossiping/M.1757316602.A.5E2.html")
    assert report.source is not None and report.source.encoding in ("cp950", "big5hkscs")
    assert report.source.title == "颱風「白鷺」逼近 東岸漁港緊急避風"
    assert report.verdict == "faithful", report.findings


def test_gbk_page_and_taiwan_phrases(replay: Replay, client: Client) -> None:
    """A GBK page quoted through s2twp: Taiwan phrases (項目→專案) are not edits."""
    report = check(replay, client, "gbk_s2twp",
                   "https://www.ptt.cc/bbs/Stock/M.1795149609.A.0B9.html")
    assert report.source is not None
    assert report.source.encoding == "gb18030"
    assert report.source.conversion == "s2twp"
    assert "专案" not in report.source.text and "项目" in report.source.text
    assert report.verdict == "faithful", report.findings


def test_source_404_is_unverifiable(replay: Replay, client: Client) -> None:
    """A dead link cannot be checked; the reason says why."""
    report = check(replay, client, "source_404",
                   "https://www.ptt.cc/bbs/Stock/M.1780272000.A.DEA.html")
    assert report.verdict == "unverifiable"
    assert report.reason is not None and "404" in report.reason


@pytest.mark.parametrize(("cassette", "url", "code"), [
    ("stock_sina_faithful", XINGHE, 0),
    ("stock_sina_edited", XINGHE, 1),
    ("source_404", "https://www.ptt.cc/bbs/Stock/M.1780272000.A.DEA.html", 2),
])
def test_check_exit_codes_and_json(replay: Replay, cassette: str, url: str, code: int) -> None:
    """0 faithful, 1 edited, 2 unverifiable; the JSON follows linker.check/1."""
    with replay(cassette):
        out = run("check", url, "--json", expect_exit=code)
    data = json.loads(out.stdout)
    assert data["schema"] == "linker.check/1"
    assert data["verdict"] == ["faithful", "edited", "unverifiable"][code]
    quote = data["post"]["fields"]["quote"]
    for f in data["findings"]:
        if f["post_span"] is not None:
            assert quote[f["post_span"][0]:f["post_span"][1]] == f["post_text"]
        if f["source_span"] is not None:
            assert data["source"]["text"][f["source_span"][0]:f["source_span"][1]] == \
                f["source_text"]
        assert f["kind"] in ("omitted", "added", "altered", "moved")
        assert f["severity"] in ("high", "medium", "low")
    if code == 2:
        assert data["reason"] and "404" in out.stderr


def test_offline_example_from_the_readme() -> None:
    """The README's quick start: the bundled example is checked without network."""
    out = run("check", "examples/post.html", "--source", "examples/source.html",
              expect_exit=1)
    assert "EDITED" in out.stdout
    assert "[~42%→62%]" in out.stdout
    run("check", "examples/faithful.html", "--source", "examples/source.html", expect_exit=0)
    # The README shows the start of this view: it is the view linker prints, line for line.
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    mark = "(the start of the view, as printed when piped):\n\n```\n"
    shown = readme[readme.index(mark) + len(mark):].split("\n```", 1)[0].splitlines()
    assert shown[-1] == "…"
    printed = [line.rstrip() for line in out.stdout.splitlines()]
    assert printed[:len(shown) - 1] == shown[:-1]


def test_extraction_fallback_before_calling_text_added() -> None:
    """A paragraph only in JSON-LD (the extractor dropped it) is not called added."""
    from linker.compare.findings import compare_with_fallbacks
    from linker.models import Article

    body = "第一段是正文開頭的句子，記者報導。\n第二段描述事件經過與各方說法。\n第三段是結尾的評論與展望。"
    main = "第二段描述事件經過與各方說法。\n第三段是結尾的評論與展望。"
    html = ('<html><head><script type="application/ld+json">'
            + json.dumps({"@type": "NewsArticle", "articleBody": body}, ensure_ascii=False)
            + "</script></head><body><p>x</p></body></html>")
    article = Article(url=None, final_url=None, status=None, encoding="utf-8", title=None,
                      author=None, published=None, sitename=None, text=main,
                      extraction="trafilatura", html=html)
    result, text, name = compare_with_fallbacks(body, article)
    assert name == "json-ld" and text == body
    assert [f for f in result.findings if f.severity != "low"] == []


def test_declared_cut_is_low() -> None:
    """（略） marks a declared omission: reported, but low."""
    source = ("第一段的內容相當完整，沒有任何問題。\n第二段說明了很多細節，內容很長很長。\n"
              "第三段是結論，總結全文的重點。")
    quote = "第一段的內容相當完整，沒有任何問題。\n（略）\n第三段是結論，總結全文的重點。"
    result = compare(quote, source)
    omitted = [f for f in result.findings if f.kind == "omitted"]
    assert len(omitted) == 1 and omitted[0].severity == "low"
    assert "declared" in omitted[0].note


# --- properties ----------------------------------------------------------------------------

SOURCES = load_sources()
TEXTS = [text for _name, text in SOURCES]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(TEXTS) - 1),
       conversion=st.sampled_from(["none", "s2t", "s2tw", "s2twp"]),
       width=st.sampled_from([None, 40, 60, 76, 78, 100]),
       fold_punct=st.booleans(), seed=st.integers(0, 2**16))
def test_faithful_repost_has_no_serious_finding(index: int, conversion: str,
                                                width: int | None, fold_punct: bool,
                                                seed: int) -> None:
    """Any conversion, wrap width or punctuation style: a faithful repost is faithful."""
    repost = make_repost(TEXTS[index], random.Random(seed), conversion=conversion,
                         width=width, fold_punct=fold_punct)
    result = compare(repost.quote, repost.source)
    assert [f for f in result.findings if f.severity != "low"] == []


@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, len(TEXTS) - 1), opinion=st.sampled_from(OPINIONS),
       at=st.floats(0.05, 0.95), width=st.sampled_from([None, 78]))
def test_one_inserted_sentence_is_one_added_finding(index: int, opinion: str, at: float,
                                                    width: int | None) -> None:
    """An opinion inserted between two sentences is found with exactly its span."""
    source = TEXTS[index]
    quote = convert(source, "s2t")
    # Sentence ends, after any closing quote mark (one corpus text carries ” as the stray
    # C1 control \x94, a cp1252 decoding accident).
    ends = [m.end() for m in re.finditer(r"[。！？][”」』\x94]*", quote)]
    assume(len(ends) > 2)
    cut = ends[min(len(ends) - 2, int(len(ends) * at))]
    edited = quote[:cut] + opinion + quote[cut:]
    result = compare(edited, source)
    added = [f for f in result.findings if f.kind == "added"]
    assert len(added) == 1
    assert added[0].post_span == (cut, cut + len(opinion))
    assert added[0].severity == "high"
    assert [f for f in result.findings if f.kind != "added" and f.severity != "low"] == []


@settings(max_examples=30, deadline=None)
@given(index=st.integers(0, len(TEXTS) - 1), pick=st.floats(0.0, 1.0))
def test_one_removed_paragraph_is_one_omitted_finding(index: int, pick: float) -> None:
    """Cutting a paragraph from the middle gives one omitted finding covering it."""
    paragraphs = TEXTS[index].split("\n")
    middle = [i for i in range(1, len(paragraphs) - 1)
              if len(paragraphs[i]) > 20 and any(c in paragraphs[i] for c in "。！？")]
    assume(middle)
    victim = middle[min(len(middle) - 1, int(pick * len(middle)))]
    quote = "\n".join(p for i, p in enumerate(paragraphs) if i != victim)
    result = compare(quote, TEXTS[index])
    omitted = [f for f in result.findings if f.kind == "omitted" and f.severity != "low"]
    assert len(omitted) == 1
    assert omitted[0].source_text.strip() == paragraphs[victim].strip()
    assert [f for f in result.findings if f.kind != "omitted" and f.severity != "low"] == []
