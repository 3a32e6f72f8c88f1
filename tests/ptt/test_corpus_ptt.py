"""Real saved PTT pages from ../shared/corpus/ptt and the seed post (skipped when absent)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from linker.models import TAIPEI, Post
from linker.net.fetch import Client, read_post_document
from linker.ptt.parse import parse_document

from ..conftest import SHARED, corpus_dir

pytestmark = pytest.mark.corpus


def load(*parts: str) -> Post:
    folder: Path = corpus_dir(*parts[:-1]) if parts[0] != "seed" else _seed_dir()
    return parse_document(read_post_document(str(folder / parts[-1]), Client()))


def _seed_dir() -> Path:
    path = SHARED / "seed"
    if not path.is_dir():
        pytest.skip(f"seed post not available at {path}")
    return path


def test_seed_post() -> None:
    """The post linker started from: Stock template, sina link, replies and edits."""
    post = load("seed", "000_917dda00c19bb564.txt")
    f = post.fields
    assert (post.author, post.board, post.template) == ("icrose", "Stock", "stock")
    assert post.time == datetime(2025, 1, 22, 8, 58, 28, tzinfo=TAIPEI)
    assert f.original_title == "DeepSeek R1來了,追平o1!它現在不但比OpenAI開放,也比它有活力"
    assert f.source_url == \
        "https://finance.sina.com.cn/tech/internet/2025-01-21/doc-inefsutf8860181.shtml"
    assert (f.published, f.reporter) == ("2025年01月21日 09:42", "王兆洋")
    assert f.quote.startswith("在DeepSeek V3一個月前驚艷亮相後")
    assert f.quote.endswith("接下來的「比拼」會越來越有意思。")
    assert f.commentary is not None and f.commentary.endswith("高成本算力高歌猛進的時代即將終結")
    assert len(post.pushes) == 64
    assert len(post.edits) == 4
    assert post.edits[-1].time == datetime(2025, 1, 22, 10, 0, 24, tzinfo=TAIPEI)
    assert len(post.author_replies) == 4
    assert post.author_replies[0] == "低成本會縮小算力需求。deepseek只有chatgpt訓練成本1/10"
    # The reply that re-quotes the article is the author's, not part of the quote.
    assert post.author_replies[3].endswith("新聞好歹看仔細點")
    assert post.pushes[-1].time == datetime(2025, 1, 27, 23, 29, tzinfo=TAIPEI)
    assert post.footer.ip == "123.52.231.221" and post.footer.country == "中國"


@pytest.mark.parametrize("folder", ["text", "raw-big5"])
def test_gossiping_setn_cattle(folder: str) -> None:
    """2020 Gossiping: byline with a date line, an image URL in the text, 378 pushes."""
    name = ("Gossiping_news_M.1608548066.A.6CD_setn_cattle.txt" if folder == "text"
            else "Gossiping_news_M.1608548066.A.6CD_setn_cattle.big5ansi")
    post = load("ptt", folder, name)
    f = post.fields
    assert post.template == "gossiping-2020"
    assert (post.author, post.nickname) == ("thouloveme", "赫赫")
    assert post.title == "[新聞] 陽明山擎天崗24頭牛暴斃\u3000死因曝光"
    assert (f.outlet, f.reporter) == ("三立新聞", "林奇樺報導")
    assert f.original_title == "陽明山擎天崗24頭牛暴斃\u3000死因曝光"
    assert f.source_url == "https://www.setn.com/News.aspx?NewsID=869094"
    assert "https://attach.setn.com/newsimages/2020/12/08/2924507-PH.jpg" in f.source_urls
    assert f.quote.startswith("生活中心／林奇樺報導")
    assert f.commentary == "營養不良?????????????????????\n這有點扯..."
    assert len(post.pushes) == 378
    assert post.url == "https://www.ptt.cc/bbs/Gossiping/M.1608548066.A.6CD.html"
    assert post.pushes[-1].time == datetime(2020, 12, 22, 0, 0, tzinfo=TAIPEI)


@pytest.mark.parametrize("folder", ["text", "raw-big5"])
def test_gossiping_tvbs_short_link(folder: str) -> None:
    """The link field holds a reurl.cc short link; two edit lines."""
    name = ("Gossiping_news_M.1608551127.A.91E_tvbs_poll_shorturl.txt" if folder == "text"
            else "Gossiping_news_M.1608551127.A.91E_tvbs_poll_shorturl.big5ansi")
    post = load("ptt", folder, name)
    f = post.fields
    assert (f.outlet, f.reporter) == ("TVBS", "韋家齊")
    assert f.original_title == "TVBS六都民調 侯奪冠、盧升第四、柯墊底"
    assert f.source_url == "https://reurl.cc/8nK7eo"
    assert f.quote.startswith("2022選戰即將開打")
    assert f.quote.endswith("讓市民朋友們過得更好。」")
    assert f.commentary == "1.侯 2.鄭 3.黃 4.盧 5.陳 6.柯\n\n草包滾了 柯果然墊底"
    assert len(post.pushes) == 76 and len(post.edits) == 2


def test_mirrormedia_body_only_with_help_lines() -> None:
    """Template help lines (※ …) are stripped; the trailing 心得： joins the commentary."""
    post = load("ptt", "text", "Gossiping_news_2020_mirrormedia_body_only_from_code.txt")
    f = post.fields
    assert post.author is None and post.template == "gossiping-2020"
    assert (f.outlet, f.reporter) == ("鏡新聞", "吳妍")
    assert f.original_title == "罷韓民調比例高「大勢已去」\u3000沈富雄：韓國瑜你就認了"
    assert f.source_url == "https://www.mirrormedia.mg/story/20200525edi008/"
    assert f.quote.endswith("直言「韓國瑜你就認了。」")
    assert f.commentary is not None and f.commentary.startswith("心得：韓總可以準備去選2022")
    assert "※" not in (f.commentary or "")


@pytest.mark.parametrize(("folder", "name"), [
    ("text", "Gossiping_Re_news_M.1459688662.A.CFE_quotes_ntdtv_template_2016.txt"),
    ("html", "article_Gossiping_Re_news_2016_M.1459688662.A.CFE.html"),
])
def test_reply_quoting_2016_template(folder: str, name: str) -> None:
    """A 2016 Re: post: quoted template parsed, replier's text and signature apart."""
    post = load("ptt", folder, name)
    f = post.fields
    assert post.title_prefix == "Re: [新聞]" and post.author == "senyek9527"
    assert post.template == "gossiping-2016"
    assert post.reply is not None and post.reply.quoted_author == "sunbysea"
    assert post.reply.own_text.startswith("學不到什麼的啦")
    assert f.outlet == "新唐人亞太台"
    assert f.original_title == "5年7起隨機殺人 台灣社會學到甚麼？"
    assert f.source_url == "http://www.ntdtv.com.tw/b5/20160402/video/169005.html"
    assert f.quote.startswith("【新唐人亞太台 2016 年 04 月 02 日訊】")
    assert "學不到什麼" not in f.quote
    assert len(post.pushes) == 8
    assert post.signature is not None and "乳溝" in post.signature
    assert post.footer.ip == "126.148.111.173"
    assert post.time == datetime(2016, 4, 3, 21, 4, 15, tzinfo=TAIPEI)


@pytest.mark.parametrize(("folder", "name"), [
    ("text", "GO_news_M.1597603762.A.135_sina_noTemplate_2020.txt"),
    ("html", "article_GO_news_2020_M.1597603762.A.135_titleTemplated.html"),
])
def test_go_board_no_template(folder: str, name: str) -> None:
    """No template: the sina link is the last body line; the fixture's title is ``%s``."""
    post = load("ptt", folder, name)
    f = post.fields
    assert post.template == "none" and post.board == "GO"
    assert post.title == "%s"
    assert f.source_url == "https://sports.sina.com.cn/go/2020-08-16/doc-iivhvpwy1334335.shtml"
    assert f.quote.startswith("以卵擊石 朴廷桓九段拒絕參加KBS杯圍棋王戰？")
    assert f.quote.endswith("到底什麼原因，讓朴廷桓放棄了KBS圍棋王戰？")
    assert len(post.edits) == 1 and len(post.pushes) == 1
    assert post.pushes[0].content == "最後一段是作者沒睡醒寫的嗎???"


def test_push_with_ip_and_deleted_push_line() -> None:
    """Pushes showing IPs; ``(id 刪除 id 的推文: …)`` kept as a system line."""
    post = load("ptt", "raw-big5", "Gossiping_askgua_M.1584668624.A.064_ip_in_push.big5ansi")
    assert post.pushes[0].ip == "118.160.112.18" and post.pushes[0].user == "lats"
    deleted = load("ptt", "raw-big5", "Publish_M.1618064341.A.E54_deleted_push_line.big5ansi")
    assert deleted.other_lines == ("(teemocogs 刪除 teemocogs 的推文: 誤植)",)
    assert deleted.fields.source_url == "https://www.cna.com.tw/news/firstnews/202104010163.aspx"


def test_forwarded_post_keeps_the_original_footer_apart() -> None:
    """A Fw: post carries the original's footer; its URL is not this post's."""
    post = load("ptt", "raw-big5", "RedSox_Fw_forwarded.big5ansi")
    assert post.title_prefix == "Fw: [情報]" and post.board == "RedSox"
    assert post.url is None
    assert post.footer.url == "https://www.ptt.cc/bbs/MLB/M.1581529446.A.73C.html"
    assert any("轉錄者" in line for line in post.other_lines)
    assert len(post.pushes) == 23


def test_index_pages_are_refused_as_posts() -> None:
    """Saved board index pages are not posts."""
    from linker.errors import InputError

    folder = corpus_dir("ptt", "html")
    for page in sorted(folder.glob("index_*.html")):
        with pytest.raises(InputError, match="index page"):
            parse_document(read_post_document(str(page), Client()))
