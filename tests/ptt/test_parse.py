"""The PTT side: fetching posts through cassettes and parsing every template variant."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

import pytest

from linker.errors import InputError, NotFoundError, Over18Error, ParseError
from linker.models import TAIPEI, Post
from linker.net.fetch import Client, read_post_document
from linker.ptt.parse import parse_document, parse_text

Replay = Callable[[str], AbstractContextManager[Any]]
XINGHE = "https://www.ptt.cc/bbs/Stock/M.1773453912.A.1C3.html"


def fetch_parse(replay: Replay, client: Client, cassette: str, url: str) -> Post:
    with replay(cassette):
        return parse_document(read_post_document(url, client))


def test_stock_post_like_the_seed(replay: Replay, client: Client) -> None:
    """A Stock post quoting a Simplified source: fields, edit and author reply among pushes."""
    post = fetch_parse(replay, client, "stock_sina_faithful", XINGHE)
    assert post.template == "stock"
    assert (post.author, post.nickname, post.board) == ("fictpost", "虛構帳號", "Stock")
    assert post.time == datetime(2026, 3, 14, 10, 5, 12, tzinfo=TAIPEI)
    f = post.fields
    assert f.original_title == "星河智能發佈天樞-3芯片,能效比上一代提升42%"
    assert f.source_url == "https://finance.sina.com.cn/tech/2026-03-14/doc-fictional0001.shtml"
    assert f.published == "2026年03月14日 09:30"
    assert f.reporter == "李明遠"
    assert f.quote.startswith("3月13日,虛構企業星河智能")
    assert f.quote.endswith("讓更多人用得起人工智能。")
    assert f.quote_span is not None and f.quote_span.slice(post.body) == f.quote
    assert f.commentary == "國產晶片又來了,這次數字看起來很漂亮。\n等量產再說吧,發表會誰都會開。"
    assert [p.tag for p in post.pushes] == ["推", "→", "噓", "推"]
    assert post.pushes[2].user == "redcliff" and post.pushes[2].content == "又在吹"
    assert post.pushes[0].time == datetime(2026, 3, 14, 10, 7, tzinfo=TAIPEI)
    assert len(post.edits) == 1 and post.edits[0].time == datetime(2026, 3, 14, 10, 12, 40,
                                                                   tzinfo=TAIPEI)
    assert post.edits[0].country == "臺灣"
    # The author's words among the pushes are kept apart, never part of the article.
    assert post.author_replies[0] == "能效比提升是第三方測的嗎?還是自己說的"
    assert post.author_replies[1].endswith("原文就這樣寫的,自己看")
    assert "自己說的" not in f.quote
    assert post.footer.url == XINGHE and post.footer.ip == "203.0.113.7"


def test_short_form_aid_url_fetches_the_article(replay: Replay, client: Client) -> None:
    """``/b/Board/AID`` is decoded to the article file and fetched from www.ptt.cc."""
    from linker.ptt.url import encode_aid

    aid = encode_aid("M.1773453912.A.1C3")
    post = fetch_parse(replay, client, "stock_sina_faithful",
                       f"https://www.ptt.cc/b/Stock/{aid}")
    assert post.url == XINGHE


@pytest.mark.parametrize("mirror", [
    "https://www.pttweb.cc/bbs/Stock/M.1773453912.A.1C3",
    "https://webptt.com/m.aspx?n=bbs%2FStock%2FM.1773453912.A.1C3.html",
    "https://www.ucptt.com/article/Stock/1773453912/1C3",
    "https://www.ptt.best/bbs/Stock/M.1773453912.A.1C3.html",
])
def test_mirror_urls_map_back_to_ptt(replay: Replay, client: Client, mirror: str) -> None:
    """Mirror URLs are not parsed: the ptt.cc page is fetched instead."""
    post = fetch_parse(replay, client, "stock_sina_faithful", mirror)
    assert post.url == XINGHE and post.fields.reporter == "李明遠"


def test_gossiping_2020_with_short_link_and_help_lines(replay: Replay, client: Client) -> None:
    """Long field-5 label, ※ help lines stripped, reurl.cc short link as the source."""
    post = fetch_parse(replay, client, "gossiping_reurl",
                       "https://www.ptt.cc/bbs/Gossiping/M.1777719704.A.A07.html")
    f = post.fields
    assert post.template == "gossiping-2020"
    assert (f.outlet, f.reporter) == ("虛構電視", "林書妤")
    assert f.original_title == "海港市長施政滿意度58% 交通建設獲好評"
    assert f.source_url == "https://reurl.cc/Fict01"
    assert f.quote.startswith("虛構城市海港市今天公布最新民調")
    assert f.quote.rstrip().endswith("世代之間的差距值得觀察。")
    assert f.commentary == "住宅只有31%還敢開心"
    # The imgur link in a push is not a source URL.
    assert "https://i.imgur.com/fict01.jpg" not in f.source_urls


def test_gossiping_2016_template(replay: Replay, client: Client) -> None:
    """The 2016 form has no 記者署名 and numbers the link 4 and the note 5."""
    post = fetch_parse(replay, client, "big5_no_charset",
                       "https://www.ptt.cc/bbs/Gossiping/M.1757316602.A.5E2.html")
    assert post.template == "gossiping-2016"
    assert post.fields.reporter is None
    assert post.fields.source_url == \
        "http://www.example-daily.com.tw/2025/09/08/fictional-2002.html"
    assert post.fields.commentary == "大家出門小心"


def test_stock_numbered_template_with_values_on_label_lines(
        replay: Replay, client: Client) -> None:
    """``1.原文連結：URL`` with the value on the label's own line."""
    post = fetch_parse(replay, client, "gbk_s2twp",
                       "https://www.ptt.cc/bbs/Stock/M.1795149609.A.0B9.html")
    assert post.template == "stock-numbered"
    assert post.fields.source_url == "http://news.example-gbk.cn/2026/1120/fictional-3003.html"
    assert post.fields.original_title is not None
    assert post.fields.original_title.startswith("北嶺至南灣城際鐵路")
    assert post.fields.commentary == "通車後去南灣玩"


def test_wrapped_url_pushes_over_new_year_cf_email_richcontent(
        replay: Replay, client: Client) -> None:
    """A link split over two lines is rebuilt; push years roll over at New Year."""
    post = fetch_parse(replay, client, "wrapped_url_new_year",
                       "https://www.ptt.cc/bbs/Gossiping/M.1767195600.A.77E.html")
    f = post.fields
    assert f.source_url == ("https://news.example-tv.com.tw/news/2025/12/31/fictional-long-"
                            "address-that-wraps?from=ptt&utm_source=share&id=000123456789")
    assert f.reporter == "記者 陳小雨／台北報導"
    assert "fireworks@example.org" in f.quote
    assert "https://i.imgur.com/fict02.jpg" in f.source_urls
    assert f.commentary is not None and f.commentary.endswith("記得穿外套")
    times = [p.time for p in post.pushes]
    assert times == [datetime(2025, 12, 31, 23, 45, tzinfo=TAIPEI),
                     datetime(2025, 12, 31, 23, 59, tzinfo=TAIPEI),
                     datetime(2026, 1, 1, 0, 1, tzinfo=TAIPEI)]
    assert post.pushes[0].ip == "198.51.100.23"
    # The richcontent block after the imgur link adds nothing to the text.
    assert "fict02.jpg\n\n5.完整新聞連結" in post.body


def test_no_template_no_metalines(replay: Replay, client: Client) -> None:
    """A 2012-style post: no template, no metalines, the link on the first line."""
    post = fetch_parse(replay, client, "stock_no_template",
                       "https://www.ptt.cc/bbs/Stock/M.1341277950.A.2C4.html")
    assert post.template == "none"
    assert post.author is None and post.board == "Stock"
    assert post.time == datetime(2012, 7, 3, 9, 12, 30, tzinfo=TAIPEI)
    assert post.fields.source_url == \
        "http://www.example-daily.com.tw/2012/07/03/fictional-0703.html"
    assert post.fields.quote.startswith("虛構公司今天宣布")
    assert "http" not in post.fields.quote


def test_reply_post_keeps_quote_apart(replay: Replay, client: Client) -> None:
    """A Re: post: the quoted template is parsed, the replier's own text kept apart."""
    post = fetch_parse(replay, client, "reply_post",
                       "https://www.ptt.cc/bbs/Gossiping/M.1777727700.A.3AB.html")
    assert post.title_prefix == "Re: [新聞]"
    assert post.reply is not None and post.reply.quoted_author == "islandnews"
    assert "不用太興奮" in post.reply.own_text
    assert "不用太興奮" not in post.fields.quote
    assert post.fields.quote.startswith("虛構城市海港市今天公布最新民調")
    assert post.fields.source_url == "https://reurl.cc/Fict01"
    # Each line of the rebuilt quote maps back to the exact body characters.
    for qoff, boff, length in post.fields.quote_lines:
        assert post.fields.quote[qoff:qoff + length] == post.body[boff:boff + length]
    assert post.fields.quote_lines


def test_over18_gate_is_reported(replay: Replay, client: Client) -> None:
    """If the gate still shows, say so rather than parsing the gate page."""
    with replay("over18_gate"), pytest.raises(Over18Error, match="over-18"):
        read_post_document("https://www.ptt.cc/bbs/Gossiping/M.1925000000.A.18F.html", client)


def test_deleted_post_is_not_found(replay: Replay, client: Client) -> None:
    """A 404 reads as a deleted or missing post."""
    with replay("post_404"), pytest.raises(NotFoundError, match="not found or deleted"):
        read_post_document("https://www.ptt.cc/bbs/Stock/M.1925000001.A.404.html", client)


@pytest.mark.parametrize(("url", "message"), [
    ("https://www.ptt.cc/bbs/Stock/index.html", "board page"),
    ("https://www.ptt.cc/bbs/Stock/", "board page"),
    ("https://example.com/news/1", "not a PTT post URL"),
    ("ftp://www.ptt.cc/bbs/Stock/M.1.A.000.html", "unsupported URL scheme"),
    ("https://www.ptt.cc/b/Stock/abc", "not a PTT article URL"),
])
def test_bad_urls_are_input_errors(client: Client, url: str, message: str) -> None:
    """Non-article URLs are refused before any request is made."""
    with pytest.raises(InputError, match=message):
        read_post_document(url, client)


def test_plain_text_post_without_header() -> None:
    """A body pasted from a BBS client without the 作者/看板 header still parses."""
    post = parse_text("原文標題：測試標題\n原文連結：\nhttps://example.com/a\n原文內容：\n"
                      "第一句。\n第二句。\n心得/評論：\n沒有")
    assert post.author is None and post.template == "stock"
    assert post.fields.quote == "第一句。\n第二句。"
    assert post.fields.source_url == "https://example.com/a"


def test_text_header_forms() -> None:
    """Both the web-copy header (作者icrose) and the BBS one (作者: id (nick) 看板: B)."""
    a = parse_text("作者icrose (人本良心)\n看板Stock\n標題[新聞] 標題\n時間Wed Jan 22 08:58:28 2025\n"
                   "內文\n")
    b = parse_text("作者: someone (某人) 看板: Gossiping\n標題: Re: [新聞] 標題\n"
                   "時間: Sun Apr  3 21:04:15 2016\n\n內文\n")
    assert (a.author, a.nickname, a.board, a.title_prefix) == ("icrose", "人本良心", "Stock",
                                                               "[新聞]")
    assert a.time == datetime(2025, 1, 22, 8, 58, 28, tzinfo=TAIPEI)
    assert (b.author, b.board, b.title_prefix) == ("someone", "Gossiping", "Re: [新聞]")
    assert b.time == datetime(2016, 4, 3, 21, 4, 15, tzinfo=TAIPEI)


def test_label_value_on_next_line_and_halfwidth_colon() -> None:
    """Values may sit on the label's line or the next; colons may be half width."""
    post = parse_text("1.媒體來源:\n\n中央社\n\n3.完整新聞標題: 同一行的標題\n4.完整新聞內文:\n內文。\n"
                      "5.完整新聞連結 (或短網址):\nhttps://www.example.com/n/1\n6.備註:\n")
    assert post.fields.outlet == "中央社"
    assert post.fields.original_title == "同一行的標題"
    assert post.fields.quote == "內文。"
    assert post.fields.commentary is None


def test_article_text_that_looks_like_a_label_stays_in_the_quote() -> None:
    """Inside the quote an unnumbered 原文標題-like line is article text, not a new field."""
    post = parse_text("原文標題：A\n原文連結：https://example.com/a\n原文內容：\n第一段。\n"
                      "新聞標題：這是文章裡的一句話\n第三段。\n心得/評論：\n評論")
    assert "這是文章裡的一句話" in post.fields.quote
    assert post.fields.original_title == "A"


def test_binary_garbage_is_a_parse_error() -> None:
    """Random bytes are refused with a clear error."""
    from linker.models import Document

    with pytest.raises(ParseError, match="binary"):
        parse_document(Document(origin="x.bin", content=bytes(range(256)) * 40))


def test_board_index_page_is_refused() -> None:
    """A saved board index is not a post."""
    page = '<html><body><div class="r-ent"><div class="title">x</div></div></body></html>'
    with pytest.raises(InputError, match="index page"):
        parse_text(page)


def test_url_wrap_does_not_swallow_the_next_label() -> None:
    """A URL at a line end is not joined with a following ``1.媒體來源`` line."""
    from linker.ptt.template import find_urls

    urls = find_urls("http://www.example.com/b5/20160402/video/169005.html\n1.媒體來源:")
    assert [u.url for u in urls] == ["http://www.example.com/b5/20160402/video/169005.html"]


def test_url_cut_at_fullwidth_punctuation() -> None:
    """PTT links only ASCII: a URL ends at full-width punctuation."""
    from linker.ptt.template import find_urls

    urls = find_urls("見 https://example.com/a/b，另見https://example.com/c。")
    assert [u.url for u in urls] == ["https://example.com/a/b", "https://example.com/c"]
