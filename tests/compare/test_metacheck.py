"""The metadata checks as a moderator reads them: what a poster writes in 記者署名, the bylines
pages really print, dates and outlet names.  A mismatch must be one a reader agrees with."""

from __future__ import annotations

import pytest

from linker.compare.metacheck import is_placeholder, link_check, published_check, reporter_check
from linker.models import Document, Post
from linker.ptt.parse import parse_document
from linker.source.extract import extract_article
from linker.source.pagemeta import editor_names, reporter_names

P1 = "颱風白鷺今天持續向西北移動，氣象局預估暴風圈最快明天清晨接觸東部陸地，沿海居民務必嚴加戒備。"
P2 = "東岸三座漁港已有超過四百艘漁船進港避風，港務單位呼籲民眾不要前往海邊觀浪，議員陳大文到場關心。"
P3 = "氣象局指出，白鷺颱風中心氣壓為九百五十五百帕，近中心最大風速每秒四十三公尺，暴風半徑達兩百公里。"
HEADLINE = "颱風白鷺逼近 東岸漁港緊急避風"


def page(byline: str = "<p>〔記者賴俊佑／高雄報導〕</p>", *, tail: str = "<p>（編輯：李亨山）</p>",
         head: str = "", title: str = f"{HEADLINE} - 生活 - 虛構新聞網") -> Document:
    html = f"""<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="虛構新聞網">{head}</head><body><article><h1>{HEADLINE}</h1>
<div class="article-body">{byline}<p>{P1}</p><p>{P2}</p><p>{P3}</p>{tail}</div></article>
</body></html>"""
    return Document(origin="test", content=html.encode(), url="https://news.example.com/a/1",
                    final_url="https://news.example.com/a/1", status=200)


def post(reporter: str, *, board: str = "Stock", published: str = "2026/03/14",
         outlet: str = "虛構新聞網") -> Post:
    if board == "Stock":
        body = ["1.原文連結：", "https://news.example.com/a/1", f"2.原文標題：{HEADLINE}",
                f"3.發布時間：{published}", f"4.記者署名：{reporter}", "5.原文內容：", P1, P2, P3, "",
                "6.心得/評論：", "小心為上。"]
    else:
        body = ["1.媒體來源:", outlet, "", "2.記者署名:", reporter, "", "3.完整新聞標題:", HEADLINE, "",
                "4.完整新聞內文:", P1, P2, P3, "", "5.完整新聞連結 (或短網址):",
                "https://news.example.com/a/1", "", "6.備註:", "小心為上。"]
    text = "\n".join([f"作者 tester (測試) 看板 {board}", f"標題 [新聞] {HEADLINE}",
                      "時間 Sat Mar 14 12:00:00 2026", "", *body, "--",
                      "※ 發信站: 批踢踢實業坊(ptt.cc), 來自: 203.0.113.9 (臺灣)"])
    return parse_document(Document(origin="post", content=text.encode()))


PLACEHOLDERS = ["未註明", "未注明", "無", "无", "沒有", "不詳", "略", "N/A", "n/a", "-", "—", "（未註明）",
                "無署名", "未提供", "見內文", "none", "?", "不知道"]


@pytest.mark.parametrize("given", PLACEHOLDERS)
@pytest.mark.parametrize("board", ["Stock", "Gossiping"])
def test_a_placeholder_is_never_a_mismatch(given: str, board: str) -> None:
    """未註明 and its kin mean "not given": missing, with what the page credits."""
    assert is_placeholder(given)
    item = reporter_check(post(given, board=board), extract_article(page()))
    assert item.status == "missing"
    assert "賴俊佑" in item.detail


def test_an_empty_field_is_missing() -> None:
    item = reporter_check(post(""), extract_article(page()))
    assert item.status == "missing"


@pytest.mark.parametrize("given", ["賴俊佑", "記者賴俊佑", "記者賴俊佑／高雄報導", "赖俊佑"])
def test_the_byline_s_reporter_is_ok(given: str) -> None:
    assert reporter_check(post(given), extract_article(page())).status == "ok"


@pytest.mark.parametrize("given", ["中央社", "綜合報導", "虛構新聞網"])
def test_a_desk_or_outlet_the_page_prints_is_ok(given: str) -> None:
    doc = page("<p>（中央社記者王大明台北14日電）</p>", tail="<p>〔體育中心／綜合報導〕</p>")
    assert reporter_check(post(given), extract_article(doc)).status == "ok"


def test_a_desk_the_page_does_not_print_is_a_warning() -> None:
    item = reporter_check(post("即時新聞中心"), extract_article(page()))
    assert item.status == "warning"


def test_the_editor_named_as_reporter_is_a_warning() -> None:
    item = reporter_check(post("李亨山"), extract_article(page()))
    assert item.status == "warning"
    assert "editor" in item.detail


def test_a_name_only_in_the_prose_is_a_mismatch() -> None:
    item = reporter_check(post("陳大文"), extract_article(page()))
    assert item.status == "mismatch"
    assert "only mentioned" in item.detail


def test_a_name_nowhere_on_the_page_is_a_mismatch() -> None:
    item = reporter_check(post("司馬中原"), extract_article(page()))
    assert item.status == "mismatch"
    assert "nowhere" in item.detail


def test_a_name_in_the_page_s_author_meta_is_a_byline() -> None:
    """A name standing in a byline-shaped place (here the author meta tag) is credited, even
    when the byline in the text names someone else too."""
    doc = page(head="<meta name=\"author\" content=\"樓冠陞\">")
    assert reporter_check(post("樓冠陞"), extract_article(doc)).status == "ok"


@pytest.mark.parametrize(("text", "names"), [
    ("责任编辑：张申", ("张申",)), ("（編輯：李亨山）", ("李亨山",)),
    ("编辑 刘晓阳 校对 李铭", ("刘晓阳", "李铭")), ("卓冠齊\n編輯", ("卓冠齊",)),
    ("（譯者：何宏儒/核稿：楊昭彥）1120823", ("何宏儒", "楊昭彥")), ("（編譯：劉淑琴）", ("劉淑琴",)),
    ("本報編輯部表示", ()), ("鄭惟仁 鍾建剛／編譯", ()),
])
def test_editors_are_read_as_editors(text: str, names: tuple[str, ...]) -> None:
    assert editor_names(text) == names
    assert not set(names) & set(reporter_names(text))


@pytest.mark.parametrize("label", ["作者", "記者", "文", "圖", "關注", "高雄", "即時新聞"])
def test_labels_are_not_names(label: str) -> None:
    assert reporter_names(label) == ()


def test_a_date_in_the_prose_is_never_the_publish_time() -> None:
    """No structured date: the page shows none, and the post's date is not judged."""
    prose = "<p>2019年3月29日，司法院宣布新制上路，這已是2005年8月23日卡崔那颶風以來最大的改革。</p>"
    doc = page(byline=prose)
    article = extract_article(doc)
    assert article.published is None
    item = published_check(post("賴俊佑", published="2026/03/14"), article)
    assert item.status == "skipped"
    assert "days after" not in item.detail


def test_a_dateline_by_the_headline_is_the_publish_time() -> None:
    doc = page(byline="<p>2026-03-14 10:05　記者賴俊佑／高雄報導</p>")
    assert (extract_article(doc).published or "").startswith("2026-03-14")


def test_the_outlet_is_never_the_headline() -> None:
    """A page whose <title> ends in its site's name, with no og:site_name: the outlet is the
    title's last segment, and a post naming it gets no warning."""
    html = page(title=f"{HEADLINE} | 虛構新聞雲").content.decode().replace(
        '<meta property="og:site_name" content="虛構新聞網">', "")
    doc = Document(origin="test", content=html.encode(), url="https://news.example.com/a/1",
                   final_url="https://news.example.com/a/1", status=200)
    article = extract_article(doc)
    assert article.sitename == "虛構新聞雲"
    item = link_check(post("賴俊佑", board="Gossiping", outlet="虛構新聞雲"), article,
                      "https://news.example.com/a/1")
    assert item.status == "ok"
