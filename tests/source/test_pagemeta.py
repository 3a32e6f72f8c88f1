"""The rules a reader applies to a news page and a post's metadata, on small inputs."""

from __future__ import annotations

import doctest
from datetime import datetime

import pytest

import linker.compare.metacheck
import linker.source.pagemeta
from linker.compare.metacheck import mark_differences, reporter_check, title_check
from linker.models import Article, NewsFields, Post
from linker.source.boilerplate import clean
from linker.source.pagemeta import is_person_name, parse_byline, parse_date

from ..conftest import corpus_dir


def test_doctests() -> None:
    for module in (linker.source.pagemeta, linker.compare.metacheck):
        failed, tried = doctest.testmod(module)
        assert tried > 0 and failed == 0, module.__name__


@pytest.mark.parametrize(("text", "names"), [
    ("〔記者王大明／台北報導〕", ("王大明",)),
    ("【王大明╱台北報導】", ("王大明",)),
    ("〔記者王大明、李小華、陳美玲／綜合報導〕", ("王大明", "李小華", "陳美玲")),
    ("（中央社記者王大明台北19日電）", ("王大明",)),
    ("（中央社記者劉屏華盛頓4日電）", ("劉屏",)),
    ("（中央社記者歐陽明輝紐約3日專電）", ("歐陽明輝",)),
    ("記者王大明／台北報導", ("王大明",)),
    ("記者：王大明", ("王大明",)),
    ("記者 王大明 / 攝影 李小華 報導", ("王大明",)),
    ("【聯合報╱本報記者王大明】", ("王大明",)),
    ("王大明／特稿", ("王大明",)),
    ("（王大明報導）", ("王大明",)),
    ("文／記者王大明", ("王大明",)),
    ("文｜王大明　攝影｜李小華", ("王大明",)),
    ("撰文／王大明", ("王大明",)),
    ("記者賴俊佑／高雄報導", ("賴俊佑",)),
    ("新京报快讯（记者裴剑飞）", ("裴剑飞",)),
    ("记者 张三", ("张三",)),
    ("澎湃新闻记者 段彦超 廖艳", ("段彦超", "廖艳")),
    ("陳冠勳 張梓嘉 溫正衡／新北 台南報導", ("陳冠勳", "張梓嘉", "溫正衡")),
    ("編譯茅毅、記者謝守真／綜合報導", ("茅毅", "謝守真")),
    ("石佳/中国青年报", ("石佳",)),
    ("新京报记者 陆一夫 编辑 刘晓阳", ("陆一夫",)),
    # not reporters: datelines, photographers, desks, outlets, editors, places
    ("中央社 澎湖縣28日電", ()),
    ("責任編輯：張申", ()),
    ("記者高雄報導", ()),
    ("王大明攝", ()),
    ("（圖／記者王大明翻攝）", ()),
    ("（記者王大明／攝影）", ()),
    ("地方中心／桃園報導", ()),
    ("【聯合新聞網／綜合報導】", ()),
    ("〔本報訊〕", ()),
])
def test_byline_forms(text: str, names: tuple[str, ...]) -> None:
    assert parse_byline(text) == names


def test_person_names() -> None:
    assert is_person_name("王大明") and is_person_name("歐陽明輝") and is_person_name("瓦歷斯‧貝林")
    assert not any(is_person_name(n) for n in ("中國時報", "澎湖縣", "地方中心", "記者會", "綜合"))


def test_the_key_pattern_keeps_exactly_letters_and_digits() -> None:
    """text_key keeps the characters of Unicode categories L and N; it drops the others with
    a regular expression, which must agree with the categories on every code point."""
    import unicodedata

    from linker.compare.normalise import NOT_LETTER_OR_DIGIT as pattern

    wrong = [hex(c) for c in range(0x110000)
             if (unicodedata.category(chr(c))[0] in "LN") == bool(pattern.fullmatch(chr(c)))]
    assert wrong == []


@pytest.mark.parametrize("words", ["_SURNAMES", "_COMPOUND_SURNAMES", "_PLACES"])
def test_word_lists_hold_every_traditional_form_s2t_gives(words: str) -> None:
    """The lists are read in both scripts without loading s2t's dictionary at run time: each
    Traditional form OpenCC's s2t gives of a listed word must be listed (or be the Simplified
    form t2s gives)."""
    from linker.compare.normalise import convert

    listed = frozenset(getattr(linker.source.pagemeta, words))
    traditional = set(convert("\n".join(sorted(listed)), "s2t").split("\n"))
    assert traditional <= linker.source.pagemeta._both_scripts(listed)


@pytest.mark.parametrize(("text", "want"), [
    ("2013-06-29T18:24:27+08:00", "2013-06-29 18:24"),
    ("2013-06-29T10:24:27Z", "2013-06-29 18:24"),
    ("2013年06月29日19:35", "2013-06-29 19:35"),
    ("2014/03/19 18:58 王大明 報導", "2014-03-19 18:58"),
    ("2013.06.29 04:17 pm", "2013-06-29 16:17"),
    ("2013-6-29", "2013-06-29"),
    ("1850年的舊事", None),
    ("沒有日期", None),
])
def test_dates(text: str, want: str | None) -> None:
    assert parse_date(text, now=datetime(2026, 1, 1)) == want


def test_differences_are_marked_like_the_plain_view() -> None:
    assert mark_differences("颱風逼近 震驚東岸", "颱風逼近 東岸") == "颱風逼近 [+震驚]東岸"
    assert mark_differences("颱風逼近", "颱風逼近 東岸") == "颱風逼近[-東岸]"
    assert mark_differences("颱風遠離 東岸", "颱風逼近 東岸") == "颱風[~逼近→遠離] 東岸"
    assert mark_differences("颱風逼近，東岸!", "颱風逼近 東岸") == "颱風逼近，東岸!"


def _post(title: str | None = None, reporter: str | None = None, bbs: str = "x") -> Post:
    return Post(input="-", url=None, board="Stock", author="a", nickname=None,
                title=f"[新聞] {bbs}", title_prefix="[新聞]", time=None, template="stock",
                body="", fields=NewsFields(original_title=title, reporter=reporter, quote="q"))


def _article(**kw: object) -> Article:
    base: dict[str, object] = {"url": None, "final_url": None, "status": 200, "encoding": "utf-8",
                                   "title": "颱風逼近 東岸漁港緊急避風", "author": None, "published": None,
                                   "sitename": None, "text": "本文。", "extraction": "trafilatura"}
    base.update(kw)
    return Article(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("given", "status"), [
    ("颱風逼近 東岸漁港緊急避風", "ok"),
    ("颱風逼近，東岸漁港緊急避風！", "ok"),          # punctuation
    ("台风逼近 东岸渔港紧急避风", "ok"),            # script
    ("快訊／颱風逼近 東岸漁港緊急避風（影）", "ok"),  # media tags
    ("颱風逼近 震驚東岸漁港緊急避風", "mismatch"),    # a word inserted
    ("颱風逼近 東岸漁港", "mismatch"),              # cut short in 原文標題
    ("颱風遠離 東岸漁港緊急避風", "mismatch"),        # a word changed
    ("完全不同的標題內容在此", "mismatch"),
])
def test_title_rules(given: str, status: str) -> None:
    assert title_check(_post(title=given), _article()).status == status


def test_the_site_name_after_the_headline_is_not_an_addition() -> None:
    article = _article(titles=("颱風逼近 東岸漁港緊急避風 | 地方 | 虛構新聞網",), sitename="虛構新聞網")
    assert title_check(_post(title="颱風逼近 東岸漁港緊急避風｜虛構新聞網"), article).status == "ok"
    assert title_check(_post(title="颱風逼近 東岸漁港緊急避風｜震驚"), article).status == "mismatch"


def test_a_bbs_title_cut_for_length_is_fine() -> None:
    check = title_check(_post(bbs="颱風逼近 東岸漁港緊"), _article())
    assert check.status == "ok" and "cut for length" in check.detail


def test_reporter_rules() -> None:
    article = _article(author="王大明", reporters=("王大明",), bylines=("〔記者王大明／台北報導〕",))
    assert reporter_check(_post(reporter="記者王大明／台北報導"), article).status == "ok"
    assert reporter_check(_post(reporter="王大明"), article).status == "ok"
    wrong = reporter_check(_post(reporter="李小華"), article)
    assert wrong.status == "mismatch" and "李小華 appears nowhere on the page" in wrong.detail
    unsigned = _article(text="消息來源指出，本案仍在調查。")
    assert reporter_check(_post(reporter="李小華"), unsigned).status == "mismatch"


def test_furniture_is_taken_out_and_bylines_marked() -> None:
    text = "\n".join([
        "字級：", "颱風逼近 東岸漁港緊急避風",
        "〔記者王大明／台北報導〕中度颱風今天持續向西北移動，暴風圈最快明天清晨接觸東部陸地。",
        "▲漁船進港避風。（記者李小華攝）",
        "氣象局指出，颱風中心氣壓為955百帕，近中心最大風速每秒43公尺，東部山區雨量可能很大。",
        "還想看更多新聞嗎？歡迎下載虛構新聞網APP",
        "＊珍惜生命，自殺不能解決問題。若需諮商可撥安心專線1925＊",
        "※本文僅供參考，不代表本站立場，投資人應獨立判斷，審慎評估並自負投資風險。",
        "相關新聞", "- 其他新聞一",
    ])
    body = clean(text, ["颱風逼近 東岸漁港緊急避風"])
    assert body.text.startswith("〔記者王大明／台北報導〕中度颱風")
    assert body.text.endswith("東部山區雨量可能很大。")
    assert "▲漁船進港避風。（記者李小華攝）" in body.furniture
    start, end, kind = body.minor[0]
    assert body.text[start:end] == "〔記者王大明／台北報導〕" and kind == "byline"


def test_lines_above_the_first_paragraph_are_never_a_cut() -> None:
    """An editor's note or teaser above the article is marked; a quote that starts at the
    first paragraph has cut nothing, and one that drops a real paragraph has."""
    from linker.compare.findings import compare

    first = "中度颱風今天持續向西北移動，暴風圈最快明天清晨接觸東部陸地，漁港已有四百艘漁船進港。"
    second = "氣象局指出，颱風中心氣壓為955百帕，近中心最大風速每秒43公尺，山區雨量可能很大。"
    body = clean("\n".join(["編按：本文為颱風系列報導之一，歡迎讀者提供線索", first, second]))
    assert body.minor and body.minor[0][2] == "deck"
    faithful = compare(first + "\n" + second, body.text, minor=body.minor)
    assert [f for f in faithful.findings if f.severity != "low"] == []
    cut = compare(second, body.text, minor=body.minor)
    assert any(f.kind == "omitted" and f.severity == "medium" for f in cut.findings)


def test_a_long_heading_under_a_short_social_title_is_the_headline_too() -> None:
    """og:title and <title> shortened for sharing, the page's h1 long: a poster who copies
    either is right."""
    from linker.models import Document
    from linker.source.extract import extract_article

    page = """<html><head><title>颱風逼近 漁港避風 | 虛構新聞網</title>
<meta property="og:title" content="颱風逼近 漁港避風"></head><body>
<h1>颱風白鷺逼近 東岸三座漁港四百艘漁船緊急進港避風</h1>
<p>中度颱風白鷺今天持續向西北移動，東岸三座漁港已有超過四百艘漁船進港避風，港務單位呼籲民眾不要前往海邊。</p>
<p>氣象局指出，颱風中心氣壓為955百帕，近中心最大風速每秒43公尺，東部山區雨量可能超過500毫米。</p>
</body></html>"""
    article = extract_article(Document(origin="page", content=page.encode("utf-8")))
    for given in ("颱風白鷺逼近 東岸三座漁港四百艘漁船緊急進港避風", "颱風逼近 漁港避風"):
        assert title_check(_post(title=given), article).status == "ok", given
    assert title_check(_post(title="颱風逼近 漁港震驚避風"), article).status == "mismatch"


def _elsewhere_by_definition(root: object) -> set[object]:
    """Every element's role read on its own (the definition _elsewhere reads faster)."""
    from linker.source.pagemeta import _link_list
    from linker.source.roles import role_of

    controls = ("input", "textarea", "button")
    return {d for el in root.iter() if isinstance(el.tag, str)  # type: ignore[attr-defined]
            and (role_of(el) in ("comment", "related", "share") or _link_list(el)
                 or el.tag.lower() in controls)
            for d in (el.iter() if el.tag.lower() not in controls else el.iterancestors())}


ELSEWHERE_PAGE = """<html><body><div id="main"><p class="byline">記者王大明／台北報導</p>
<p>正文第一段。</p><div class="comment-box"><p class="author">網友甲</p><form><div class="row">
<textarea name="c"></textarea><button>送出</button></div></form></div>
<ul class="hot"><li><a href="/a">甲</a></li><li><a href="/b">乙</a></li><li><a href="/c">丙</a></li>
</ul><div class="related"><ul><li><a href="/d">丁</a><span class="author">記者李小華</span></li>
<li><a href="/e">戊</a></li><li><a href="/f">己</a></li></ul><!-- note --></div></div></body></html>"""


def test_elsewhere_is_every_element_s_role_read_on_its_own() -> None:
    """Boxes are not read inside again, yet the set is the definition's: a comment box with a
    form inside (its controls' ancestors, up to the page, are elsewhere), a link list inside a
    related box."""
    from linker.source.extract import parse_html
    from linker.source.pagemeta import _elsewhere

    root = parse_html(ELSEWHERE_PAGE)
    found = _elsewhere(root)
    assert found == _elsewhere_by_definition(root)
    tags = {el.get("class") for el in found if el.get("class")}
    assert {"comment-box", "author", "row", "hot", "related"} <= tags
    assert "byline" not in tags
    assert root.find("body") in found  # the comment form's control holds it elsewhere


def test_elsewhere_agrees_with_its_definition_on_the_real_pages() -> None:
    from linker.source.extract import decode_html, parse_html
    from linker.source.pagemeta import _elsewhere

    pages = sorted(corpus_dir("news").rglob("*.html"))
    assert pages
    for page in pages:
        root = parse_html(decode_html(page.read_bytes(), None)[0])
        assert _elsewhere(root) == _elsewhere_by_definition(root), page.name
