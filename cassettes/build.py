"""Build linker's test cassettes (``cassettes/*.yaml``) from authored pages.

Run ``python cassettes/build.py`` after changing a case; ``--check`` exits 1 when a committed
cassette differs from what this script builds (the test suite runs that check).  The pages
come from :mod:`pages`; the articles are the fictional ones in ``examples/articles/``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from pages import (
    NOT_FOUND,
    OUT,
    OUTLET_SHAPES,
    PHOTOGRAPHER,
    TAIPEI,
    Article,
    P,
    article_body,
    cassette,
    dump,
    fold_commas,
    interaction,
    load_article,
    news_page,
    outlet_page,
    over18_page,
    ptt_page,
    to_traditional,
    wrap,
)

Case = Callable[[], dict[str, Any]]
CASES: dict[str, Case] = {}


def case(fn: Case) -> Case:
    """Register a cassette builder under its function name."""
    CASES[fn.__name__] = fn
    return fn


def ptt_file(when: datetime, suffix: str) -> str:
    """The article file name for a post created at ``when``."""
    return f"M.{int(when.timestamp())}.A.{suffix}"


def no_snapshot(url: str, when: datetime) -> dict[str, Any]:
    """The Wayback Machine's availability API answering that it has no copy."""
    from linker.net.wayback import availability_url

    body = json.dumps({"url": url, "archived_snapshots": {}})
    return interaction(availability_url(url, when), 200, body,
                       content_type="application/json")


def snapshot(url: str, when: datetime, stamp: str, page: str) -> list[dict[str, Any]]:
    """The availability API pointing at a copy, and the raw copy itself."""
    from linker.net.wayback import availability_url

    body = json.dumps({"url": url, "archived_snapshots": {"closest": {
        "status": "200", "available": True, "timestamp": stamp,
        "url": f"http://web.archive.org/web/{stamp}/{url}"}}})
    return [interaction(availability_url(url, when), 200, body,
                        content_type="application/json"),
            interaction(f"https://web.archive.org/web/{stamp}id_/{url}", 200, page)]


def ptt_url(board: str, file: str) -> str:
    """The www.ptt.cc URL of an article."""
    return f"https://www.ptt.cc/bbs/{board}/{file}.html"


# --- a Stock post quoting a Simplified-script source (the seed's situation) ----------------

XINGHE_TIME = datetime(2026, 3, 14, 10, 5, 12, tzinfo=TAIPEI)
XINGHE_FILE = ptt_file(XINGHE_TIME, "1C3")


def xinghe_quote(edited: bool, reordered: bool = False) -> str:
    """The xinghe article as a poster pastes it: s2t, half-width commas, one line a paragraph."""
    art = load_article("xinghe_chip.zh-hans")
    paragraphs = [to_traditional(p) for p in article_body(art)]
    if reordered:
        # Market paragraph moved up, a wording change, the tail cut with a declared （下略）.
        paragraphs[0] = paragraphs[0].replace("正式發佈新一代", "高調推出新一代")
        paragraphs = [paragraphs[0], paragraphs[4], paragraphs[1], paragraphs[2],
                      paragraphs[3], "（下略）"]
        return "\n".join(fold_commas(p) for p in paragraphs)
    if edited:
        paragraphs[0] = paragraphs[0].replace("提升42%", "提升62%")
        paragraphs[1] = paragraphs[1].replace(
            "高出約1.8倍。", "高出約1.8倍。這根本是遙遙領先,對手只能望塵莫及。")
        del paragraphs[3]  # the sceptical analyst's paragraph is cut
    return "\n".join(fold_commas(p) for p in paragraphs)


def xinghe_post(edited: bool, reordered: bool = False) -> str:
    art = load_article("xinghe_chip.zh-hans")
    title = fold_commas(to_traditional(art.title))
    body = f"""原文標題:{title}
原文連結:
{art.url}
發布時間:2026年03月14日 09:30
記者署名:{to_traditional(art.author)}
原文內容:
{xinghe_quote(edited, reordered)}
心得/評論:
國產晶片又來了,這次數字看起來很漂亮。
等量產再說吧,發表會誰都會開。"""
    echo = fold_commas(to_traditional(article_body(art)[1]))[:60]
    tail: list[P | str] = [
        P("推", "sky4test", "先推再說", "03/14 10:07"),
        P("→", "oceanfox", "股價已經反應了吧", "03/14 10:09"),
        "能效比提升是第三方測的嗎?還是自己說的",
        "※ 編輯: fictpost (203.0.113.7 臺灣), 03/14/2026 10:12:40",
        P("噓", "redcliff", "又在吹", "03/14 10:15"),
        echo,
        "原文就這樣寫的,自己看",
        P("推", "lamplight", "等財報", "03/14 10:20"),
    ]
    return ptt_page("Stock", XINGHE_FILE, "fictpost", "虛構帳號",
                    f"[新聞] {title}"[:46], XINGHE_TIME, body, tail)


def xinghe_source() -> dict[str, Any]:
    art = load_article("xinghe_chip.zh-hans")
    page = news_page(art, caption="星河智能发布会现场（虚构示意图）")
    return interaction(art.url, 200, page, content_type="text/html; charset=utf-8")


@case
def stock_sina_faithful() -> dict[str, Any]:
    """Stock post, Simplified source, faithful quote; author reply and edit among pushes."""
    return cassette(
        interaction(ptt_url("Stock", XINGHE_FILE), 200, xinghe_post(edited=False)),
        xinghe_source())


@case
def stock_sina_edited() -> dict[str, Any]:
    """The same post with a number changed, an opinion inserted and a paragraph cut."""
    art = load_article("xinghe_chip.zh-hans")
    return cassette(
        interaction(ptt_url("Stock", XINGHE_FILE), 200, xinghe_post(edited=True)),
        xinghe_source(), no_snapshot(art.url, XINGHE_TIME))


@case
def stock_sina_reordered() -> dict[str, Any]:
    """A paragraph moved up, a wording change and a declared cut of the tail."""
    art = load_article("xinghe_chip.zh-hans")
    return cassette(
        interaction(ptt_url("Stock", XINGHE_FILE), 200, xinghe_post(False, reordered=True)),
        xinghe_source(), no_snapshot(art.url, XINGHE_TIME))


def xinghe_updated() -> Article:
    """The xinghe article as the outlet later changed it: a number, and a note."""
    art = load_article("xinghe_chip.zh-hans")
    return replace(art, paragraphs=[
        p.replace("提升42%", "提升38%").replace("预计今年第三季度量产。",
                                               "预计今年第三季度量产。（本文已更新）")
        for p in art.paragraphs])


@case
def outlet_changed_later() -> dict[str, Any]:
    """A faithful post; the outlet later changed a number and added a sentence; the
    Wayback Machine holds the version the poster saw."""
    art = load_article("xinghe_chip.zh-hans")
    changed = xinghe_updated()
    return cassette(
        interaction(ptt_url("Stock", XINGHE_FILE), 200, xinghe_post(edited=False)),
        interaction(art.url, 200, news_page(changed, caption="星河智能发布会现场（虚构示意图）")),
        *snapshot(art.url, XINGHE_TIME, "20260314031500",
                  news_page(art, caption="星河智能发布会现场（虚构示意图）")))


# --- a Gossiping post with a reurl.cc short link -------------------------------------------

HAIGANG_TIME = datetime(2026, 5, 2, 19, 1, 44, tzinfo=TAIPEI)
HAIGANG_FILE = ptt_file(HAIGANG_TIME, "A07")
SHORT = "https://reurl.cc/Fict01"


def haigang_post() -> str:
    art = load_article("haigang_poll.zh-hant")
    quote = wrap("\n\n".join(article_body(art)))
    body = f"""1.媒體來源:
虛構電視

2.記者署名:
{art.author}

3.完整新聞標題:
{art.title}

4.完整新聞內文:
{quote}

5.完整新聞連結 (或短網址)需放媒體原始連結，不可用YAHOO、LINE、MSN等轉載媒體:
※ 當新聞連結過長時，需提供短網址方便網友點擊
{SHORT}

6.備註:
※ 一個人一天只能張貼一則新聞，被刪或自刪也算額度內，超貼者水桶，請注意

住宅只有31%還敢開心"""
    tail: list[P | str] = [
        P("推", "harbor88", "交通真的有變好", "05/02 19:03"),
        P("噓", "tidewalker", "民調看看就好", "05/02 19:05"),
        P("→", "saltwind", "https://i.imgur.com/fict01.jpg", "05/02 19:06"),
    ]
    return ptt_page("Gossiping", HAIGANG_FILE, "islandnews", "島嶼快報",
                    f"[新聞] {art.title}", HAIGANG_TIME, body, tail)


@case
def gossiping_reurl() -> dict[str, Any]:
    """Gossiping 2020 template, reurl.cc short link redirecting to the outlet's page."""
    art = load_article("haigang_poll.zh-hant")
    return cassette(
        interaction(ptt_url("Gossiping", HAIGANG_FILE), 200, haigang_post()),
        interaction(SHORT, 301, "", content_type=None, location=art.url),
        interaction(art.url, 200, news_page(art, caption="海港市政府外觀（虛構示意圖）")))


# --- a Big5 page without a charset header (Gossiping 2016 template) ------------------------

TYPHOON_TIME = datetime(2025, 9, 8, 15, 30, 2, tzinfo=TAIPEI)
TYPHOON_FILE = ptt_file(TYPHOON_TIME, "5E2")


@case
def big5_no_charset() -> dict[str, Any]:
    """Source served in Big5 with neither a charset header nor a meta tag."""
    art = load_article("typhoon_harbor.zh-hant")
    quote = wrap("\n".join(article_body(art)), 76)
    body = f"""1.媒體來源:
虛構日報

2.完整新聞標題:
{art.title}

3.完整新聞內文:
{quote}

4.完整新聞連結 (或短網址):
{art.url}

5.備註:
大家出門小心"""
    post = ptt_page("Gossiping", TYPHOON_FILE, "raincoat", "雨衣", f"[新聞] {art.title}",
                    TYPHOON_TIME, body, [P("推", "umbrella9", "注意安全", "09/08 15:31")])
    page = news_page(art, meta_charset=False, jsonld=False).encode("big5", "xmlcharrefreplace")
    return cassette(
        interaction(ptt_url("Gossiping", TYPHOON_FILE), 200, post),
        interaction(art.url, 200, page, content_type="text/html"))


# --- a GBK page, Stock's numbered template, Taiwan phrase conversion -----------------------

RAIL_TIME = datetime(2026, 11, 20, 12, 40, 9, tzinfo=TAIPEI)
RAIL_FILE = ptt_file(RAIL_TIME, "0B9")


@case
def gbk_s2twp() -> dict[str, Any]:
    """GBK page (meta charset only); the poster converted with s2twp (Taiwan phrases)."""
    art = load_article("railway_gbk.zh-hans")
    quote = "\n".join(to_traditional(p, "s2twp") for p in article_body(art))
    body = f"""1.原文連結：{art.url}
2.原文標題：{to_traditional(art.title, "s2twp")}
3.原文內容：
{quote}
4.心得/評論：
通車後去南灣玩"""
    post = ptt_page("Stock", RAIL_FILE, "trainfan", "鐵道迷",
                    f"[新聞] {to_traditional(art.title, 's2twp')}"[:40], RAIL_TIME, body,
                    [P("推", "railway1", "好快", "11/20 12:41")])
    page = news_page(art, charset="gbk").encode("gbk", "xmlcharrefreplace")
    return cassette(
        interaction(ptt_url("Stock", RAIL_FILE), 200, post),
        interaction(art.url, 200, page, content_type="text/html"))


# --- a source that returns 404 -------------------------------------------------------------

GONE_TIME = datetime(2026, 6, 1, 8, 0, 0, tzinfo=TAIPEI)
GONE_FILE = ptt_file(GONE_TIME, "DEA")
GONE_URL = "https://news.example-tv.com.tw/news/2026/06/01/removed-404"


@case
def source_404() -> dict[str, Any]:
    """The cited article is gone (HTTP 404)."""
    body = f"""原文標題：虛構新聞已被下架
原文連結：
{GONE_URL}
發布時間：2026/06/01 07:30
記者署名：某記者
原文內容：
這是一則虛構的新聞內文，用來測試來源網頁不存在的情況。
心得/評論：
連結死了"""
    post = ptt_page("Stock", GONE_FILE, "ghostlink", "幽靈", "[新聞] 虛構新聞已被下架",
                    GONE_TIME, body, [])
    return cassette(
        interaction(ptt_url("Stock", GONE_FILE), 200, post),
        interaction(GONE_URL, 404, NOT_FOUND), no_snapshot(GONE_URL, GONE_TIME))


@case
def source_404_archived() -> dict[str, Any]:
    """The cited article is gone, but the Wayback Machine kept a copy near the post's time."""
    art = load_article("haigang_poll.zh-hant")
    dead = "https://news.example-tv.com.tw/news/2026/05/02/fictional-1001-moved"
    post = haigang_post().replace(SHORT, dead)
    return cassette(
        interaction(ptt_url("Gossiping", HAIGANG_FILE), 200, post),
        interaction(dead, 410, NOT_FOUND),
        *snapshot(dead, HAIGANG_TIME, "20260502120000", news_page(art)))


@case
def redirect_to_metadata() -> dict[str, Any]:
    """A public link that redirects into the cloud metadata address."""
    return cassette(interaction("https://news.example-tv.com.tw/r/meta", 302, "",
                                content_type=None,
                                location="http://169.254.169.254/latest/meta-data/"))


# --- parser cases --------------------------------------------------------------------------

OVER18_FILE = "M.1925000000.A.18F"


@case
def over18_gate() -> dict[str, Any]:
    """The over-18 redirect still shown (as if the cookie were refused)."""
    path = f"/bbs/Gossiping/{OVER18_FILE}.html"
    return cassette(
        interaction(f"https://www.ptt.cc{path}", 302, "", content_type=None,
                    location=f"/ask/over18?from={path.replace('/', '%2F')}"),
        interaction(f"https://www.ptt.cc/ask/over18?from={path.replace('/', '%2F')}", 200,
                    over18_page(path)))


@case
def post_404() -> dict[str, Any]:
    """A deleted post."""
    return cassette(interaction(ptt_url("Stock", "M.1925000001.A.404"), 404, NOT_FOUND))


REPLY_TIME = datetime(2026, 5, 2, 21, 15, 0, tzinfo=TAIPEI)
REPLY_FILE = ptt_file(REPLY_TIME, "3AB")


@case
def reply_post() -> dict[str, Any]:
    """A ``Re: [新聞]`` post quoting the Gossiping template with ``: `` lines."""
    art = load_article("haigang_poll.zh-hant")
    quoted = [": 1.媒體來源:", ": 虛構電視", ": 2.記者署名:", f": {art.author}",
              ": 3.完整新聞標題:", f": {art.title}", ": 4.完整新聞內文:"]
    quoted += [f": {line}" for line in wrap(article_body(art)[0], 74).split("\n")]
    quoted += [": 5.完整新聞連結 (或短網址):", f": {SHORT}", ": 6.備註:", ": 住宅只有31%還敢開心"]
    body = "\n".join([
        "※ 引述《islandnews (島嶼快報)》之銘言：", *quoted, "",
        "民調誤差正負3個百分點，其實跟去年差不多", "", "不用太興奮"])
    post = ptt_page("Gossiping", REPLY_FILE, "counterpoll", "反方", f"Re: [新聞] {art.title}",
                    REPLY_TIME, body, [P("推", "harbor88", "說得對", "05/02 21:20")])
    return cassette(interaction(ptt_url("Gossiping", REPLY_FILE), 200, post))


WRAP_TIME = datetime(2025, 12, 31, 23, 40, 0, tzinfo=TAIPEI)
WRAP_FILE = ptt_file(WRAP_TIME, "77E")
LONG_URL = ("https://news.example-tv.com.tw/news/2025/12/31/"
            "fictional-long-address-that-wraps?from=ptt&utm_source=share&id=000123456789")


@case
def wrapped_url_new_year() -> dict[str, Any]:
    """A link wrapped over two lines, pushes into the new year with IPs, an imgur
    richcontent block, a Cloudflare-obfuscated e-mail, and a trailing 心得："""
    first, second = LONG_URL[:78], LONG_URL[78:]
    body = f"""1.媒體來源:
虛構電視

2.記者署名:
記者 陳小雨／台北報導

3.完整新聞標題:
跨年煙火　今年改在港邊施放

4.完整新聞內文:
虛構城市今年的跨年煙火改在港邊施放，主辦單位預估將吸引20萬人到場。
市府提醒民眾搭乘大眾運輸，活動洽詢信箱 fireworks@example.org。
https://i.imgur.com/fict02.jpg

5.完整新聞連結 (或短網址):
{first}
{second}

6.備註:

  心得：港邊風很大，記得穿外套"""
    tail: list[P | str] = [
        P("推", "nightowl", "人會很多", "12/31 23:45", ip="198.51.100.23"),
        P("→", "nightowl", "早點去卡位", "12/31 23:59", ip="198.51.100.23"),
        P("推", "newyear", "新年快樂", "01/01 00:01", ip="192.0.2.45"),
    ]
    post = ptt_page("Gossiping", WRAP_FILE, "fireworks", "煙火", "[新聞] 跨年煙火　今年改在港邊施放",
                    WRAP_TIME, body, tail, rich_after="https://i.imgur.com/fict02.jpg",
                    cf_email=("fireworks@example.org", _cf_hex("fireworks@example.org")))
    return cassette(interaction(ptt_url("Gossiping", WRAP_FILE), 200, post))


def _cf_hex(email: str, key: int = 0x5A) -> str:
    return f"{key:02x}" + "".join(f"{b ^ key:02x}" for b in email.encode())


OLD_TIME = datetime(2012, 7, 3, 9, 12, 30, tzinfo=TAIPEI)
OLD_FILE = ptt_file(OLD_TIME, "2C4")


@case
def stock_no_template() -> dict[str, Any]:
    """A 2012-style Stock post: no template, the link on the first line, no metalines."""
    body = """http://www.example-daily.com.tw/2012/07/03/fictional-0703.html

虛構公司今天宣布，第二季營收較去年同期成長12%，創下歷史新高。

公司發言人表示，下半年訂單能見度仍然良好。"""
    post = ptt_page("Stock", OLD_FILE, "oldtimer", "老股民", "[新聞] 虛構公司第二季營收創新高",
                    OLD_TIME, body, [P("推", "value1", "好", "07/03 09:15")], metalines=False)
    return cassette(interaction(ptt_url("Stock", OLD_FILE), 200, post))


EXAMPLES = OUT.parent / "examples"


def examples() -> dict[str, str]:
    """The offline example of the README: an edited post and the page it cites."""
    art = load_article("xinghe_chip.zh-hans")
    return {
        "post.html": xinghe_post(edited=True),
        "faithful.html": xinghe_post(edited=False),
        "source.html": news_page(art, caption="星河智能发布会现场（虚构示意图）"),
    }


# --- a small board for `linker batch` -------------------------------------------------------

BOARD = "NewsLab"
BOARD_START = datetime(2026, 4, 1, 9, 0, 0, tzinfo=TAIPEI)
BOARD_DEAD = "https://news.example-tv.com.tw/news/2026/04/02/gone-away"
BOARD_SHORT = "https://reurl.cc/Lab042"
# (article, template, edits): the board's 21 news posts, oldest first.
BOARD_PLAN: list[tuple[str, str, tuple[str, ...]]] = [
    (name, template, edits)
    for name, template, edits in [
        ("xinghe_chip.zh-hans", "stock", ()),
        ("haigang_poll.zh-hant", "gossiping", ()),
        ("typhoon_harbor.zh-hant", "gossiping", ("insert_opinion",)),
        ("railway_gbk.zh-hans", "stock", ("change_number",)),
        ("xinghe_chip.zh-hans", "gossiping", ("cut_paragraph",)),
        ("haigang_poll.zh-hant", "stock", ()),
        ("typhoon_harbor.zh-hant", "stock", ()),
        ("railway_gbk.zh-hans", "gossiping", ()),
        ("xinghe_chip.zh-hans", "stock", ("insert_opinion", "change_number")),
        ("haigang_poll.zh-hant", "gossiping", ("swap_paragraphs",)),
        ("DEAD", "stock", ()),
        ("typhoon_harbor.zh-hant", "gossiping", ()),
        ("railway_gbk.zh-hans", "stock", ()),
        ("SHORT", "gossiping", ()),
        ("xinghe_chip.zh-hans", "gossiping", ()),
        ("haigang_poll.zh-hant", "stock", ("cut_tail",)),
        ("typhoon_harbor.zh-hant", "stock", ("change_number",)),
        ("railway_gbk.zh-hans", "gossiping", ("insert_opinion",)),
        ("xinghe_chip.zh-hans", "stock", ()),
        ("haigang_poll.zh-hant", "gossiping", ()),
        ("typhoon_harbor.zh-hant", "gossiping", ()),
    ]
]
_ENCODING = {"typhoon_harbor.zh-hant": "big5", "railway_gbk.zh-hans": "gbk"}


def _board_post(i: int, name: str, template: str, edits: tuple[str, ...],
                when: datetime, file: str) -> tuple[str, str, str]:
    """(page, BBS title, cited URL) of the board's i-th news post."""
    if name in ("DEAD", "SHORT"):
        art = load_article("haigang_poll.zh-hant")
        url = BOARD_DEAD if name == "DEAD" else BOARD_SHORT
    else:
        art = load_article(name)
        url = art.url
    body, bbs_title = repost_body(i, art, url, template, edits)
    tail: list[P | str] = [P("推", f"reader{i:02d}", "推推", when.strftime("%m/%d %H:%M"))]
    return (ptt_page(BOARD, file, f"poster{i % 5}", f"測試{i % 5}", bbs_title, when, body, tail),
            bbs_title, url)


def repost_body(i: int, art: Article, url: str, template: str,
                edits: tuple[str, ...]) -> tuple[str, str]:
    """(post text, BBS title) of a repost of ``art`` citing ``url``, in Stock's or
    Gossiping's template, with ``edits`` made to the quote (seeded by ``i``)."""
    import random

    from benchmarks.reposts import make_repost

    simplified = art.name.endswith("zh-hans")
    source = "\n".join(article_body(art))
    repost = make_repost(source, random.Random(i), conversion="s2t" if simplified else "none",
                         width=78 if template == "gossiping" else None,
                         fold_punct=template == "stock", edits=edits)
    title = to_traditional(art.title) if simplified else art.title
    if template == "stock":
        body = (f"原文標題：{title}\n原文連結：\n{url}\n發布時間：{art.date}\n"
                f"記者署名：{to_traditional(art.author)}\n原文內容：\n{repost.quote}\n"
                f"心得/評論：\n第{i}篇的心得，僅供測試。")
    else:
        body = (f"1.媒體來源:\n{to_traditional(art.outlet)}\n\n2.記者署名:\n"
                f"{to_traditional(art.author)}\n\n3.完整新聞標題:\n{title}\n\n"
                f"4.完整新聞內文:\n{repost.quote}\n\n5.完整新聞連結 (或短網址):\n{url}\n\n"
                f"6.備註:\n第{i}篇的備註。")
    return body, f"[新聞] {title}"[:40]


def board_cases() -> tuple[dict[str, Any], dict[str, str]]:
    """The NewsLab board cassette and the verdict each listed news post must get."""
    from pages import IndexRow, index_page

    interactions: list[dict[str, Any]] = []
    rows: list[IndexRow] = []
    expected: dict[str, str] = {}
    sources_needed: dict[str, int] = {}
    for i, (name, template, edits) in enumerate(BOARD_PLAN):
        when = BOARD_START + timedelta(hours=3 * i)
        file = ptt_file(when, f"{0xB00 + i:03X}")
        page, bbs_title, url = _board_post(i, name, template, edits, when, file)
        interactions.append(interaction(ptt_url(BOARD, file), 200, page))
        rows.append(IndexRow(bbs_title, f"poster{i % 5}", when, file, str(i % 12)))
        post_url = ptt_url(BOARD, file)
        if name == "DEAD":
            expected[post_url] = "unverifiable"
            interactions.append(interaction(BOARD_DEAD, 404, NOT_FOUND))
            interactions.append(no_snapshot(BOARD_DEAD, when))
            continue
        expected[post_url] = "edited" if edits else "faithful"
        if edits:
            target = load_article(name).url
            interactions.append(no_snapshot(target, when))
        key = "haigang_poll.zh-hant" if name == "SHORT" else name
        sources_needed[key] = sources_needed.get(key, 0) + 1
        if name == "SHORT":
            art = load_article(key)
            interactions.append(interaction(BOARD_SHORT, 301, "", content_type=None,
                                            location=art.url))
        # Non-news rows, a deleted row and a reply among the news.
        if i == 4:
            rows.append(IndexRow("[閒聊] 今天盤勢如何", "chatter", when, ptt_file(
                when + timedelta(minutes=5), "C01")))
        if i == 7:
            rows.append(IndexRow("(本文已被刪除) [ghostuser]", "-", when, None))
        if i == 12:
            reply_when = when + timedelta(minutes=30)
            rows.append(IndexRow(f"Re: {bbs_title}"[:40], "replier", reply_when,
                                 ptt_file(reply_when, "D02"), "3"))
        if i == 16:
            rows.append(IndexRow("[情報] 虛構公司股利公告", "infobot", when,
                                 ptt_file(when + timedelta(minutes=7), "C03")))
    for key, times in sources_needed.items():
        art = load_article(key)
        page = news_page(art)
        encoding = _ENCODING.get(key)
        body: str | bytes = page.encode(encoding, "xmlcharrefreplace") if encoding else page
        content_type = "text/html" if encoding else "text/html; charset=utf-8"
        if encoding == "gbk":
            body = news_page(art, charset="gbk").encode("gbk", "xmlcharrefreplace")
        for _ in range(times):
            interactions.append(interaction(art.url, 200, body, content_type=content_type))
    # Three index pages of nine rows each, newest last; the newest lists a pinned post.
    pinned = [IndexRow("[公告] 板規（虛構）", "boardmod", BOARD_START - timedelta(days=30),
                       ptt_file(BOARD_START - timedelta(days=30), "A01"), "爆", "M")]
    chunks = [rows[0:9], rows[9:18], rows[18:]]
    for page_no, chunk in enumerate(chunks, start=1):
        newest = page_no == len(chunks)
        html_page = index_page(BOARD, chunk, page=page_no, newest=newest, pinned=pinned)
        url = (f"https://www.ptt.cc/bbs/{BOARD}/index.html" if newest else
               f"https://www.ptt.cc/bbs/{BOARD}/index{page_no}.html")
        interactions.insert(0, interaction(url, 200, html_page))
    # Search results for one poster (`--query author:poster1`): one page, then an empty one.
    wanted = [r for r in rows if r.author == "poster1"]
    interactions.insert(0, interaction(
        f"https://www.ptt.cc/bbs/{BOARD}/search?q=author%3Aposter1&page=1", 200,
        index_page(BOARD, list(reversed(wanted)), page=1, newest=True)))
    interactions.insert(0, interaction(
        f"https://www.ptt.cc/bbs/{BOARD}/search?q=author%3Aposter1&page=2", 200,
        index_page(BOARD, [], page=2, newest=True)))
    return cassette(*interactions), expected


# --- the offline archive example: a crawl dump and a WARC file ---------------------------

ARCHIVE = EXAMPLES / "archive"
ARCHIVE_SHORT = "https://reurl.cc/Arch07"
ARCHIVE_GONE = "https://news.example-tv.com.tw/news/2026/07/01/withdrawn"
ARCHIVE_MISSING = "https://news.example-tv.com.tw/news/2026/08/02/never-archived"
# (board, article or page, cited URL, edits, posted at)
ARCHIVE_PLAN: list[tuple[str, str, str | None, tuple[str, ...], datetime]] = [
    ("Stock", "xinghe_chip.zh-hans", None, (), datetime(2026, 3, 14, 10, 5, 12, tzinfo=TAIPEI)),
    ("Gossiping", "xinghe_updated", None, (), datetime(2026, 3, 21, 8, 30, 0, tzinfo=TAIPEI)),
    ("Gossiping", "haigang_poll.zh-hant", ARCHIVE_SHORT, (),
     datetime(2026, 5, 2, 19, 1, 44, tzinfo=TAIPEI)),
    ("Gossiping", "typhoon_harbor.zh-hant", None, ("change_number",),
     datetime(2025, 9, 8, 15, 30, 2, tzinfo=TAIPEI)),
    ("Stock", "railway_gbk.zh-hans", None, ("insert_opinion",),
     datetime(2026, 11, 20, 12, 40, 9, tzinfo=TAIPEI)),
    ("Gossiping", "haigang_poll.zh-hant", ARCHIVE_GONE, (),
     datetime(2026, 7, 1, 9, 0, 0, tzinfo=TAIPEI)),
    ("Stock", "typhoon_harbor.zh-hant", ARCHIVE_MISSING, (),
     datetime(2026, 8, 2, 14, 0, 0, tzinfo=TAIPEI)),
]


def _crawled(i: int, board: str, art: Article, url: str, edits: tuple[str, ...],
             when: datetime) -> dict[str, Any]:
    """One post in the layout of the common PTT web crawlers' JSON lines."""
    template = "stock" if board == "Stock" else "gossiping"
    body, title = repost_body(i, art, url, template, edits)
    file = ptt_file(when, f"{0xE00 + i:03X}")
    push_when = when + timedelta(minutes=2)
    return {
        "article_id": file, "article_title": title, "author": f"archiver{i} (存檔{i})",
        "board": board, "content": body,
        "date": when.strftime("%a %b ") + f"{when.day:2d}" + when.strftime(" %H:%M:%S %Y"),
        "ip": f"203.0.113.{20 + i}",
        "messages": [{"push_tag": "推", "push_userid": f"reader{i:02d}",
                      "push_content": ": 推", "push_ipdatetime":
                          push_when.strftime("%m/%d %H:%M")}],
    }


def archive_example() -> dict[str, bytes]:
    """``examples/archive/``: a crawl dump of seven news posts (and one chat post), and a WARC
    of the pages they cite: two captures of one page a week apart (the outlet changed a number
    in between), a short link's redirect, a Big5 page, a GBK page and a 404."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    posts = []
    for i, (board, name, cited, edits, when) in enumerate(ARCHIVE_PLAN):
        art = xinghe_updated() if name == "xinghe_updated" else load_article(name)
        posts.append(_crawled(i, board, art, cited or art.url, edits, when))
    chat_when = datetime(2026, 3, 14, 11, 0, 0, tzinfo=TAIPEI)
    posts.insert(1, {"article_id": ptt_file(chat_when, "E99"),
                     "article_title": "[閒聊] 這個晶片大家怎麼看", "author": "chatter (閒聊)",
                     "board": "Stock", "content": "不是新聞，只是聊聊。",
                     "date": chat_when.strftime("%a %b %d %H:%M:%S %Y"), "ip": "203.0.113.99",
                     "messages": []})
    dump_text = "".join(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n" for p in posts)

    xinghe = load_article("xinghe_chip.zh-hans")
    typhoon = load_article("typhoon_harbor.zh-hant")
    railway = load_article("railway_gbk.zh-hans")
    haigang = load_article("haigang_poll.zh-hant")
    utf8 = "text/html; charset=utf-8"
    captures: list[tuple[str, str, int, str | None, bytes]] = [
        (xinghe.url, "2026-03-14T03:00:00Z", 200, utf8, news_page(xinghe).encode()),
        (xinghe.url, "2026-03-21T00:00:00Z", 200, utf8, news_page(xinghe_updated()).encode()),
        (ARCHIVE_SHORT, "2026-05-02T11:05:00Z", 301, None, b""),
        (haigang.url, "2026-05-02T11:06:00Z", 200, utf8, news_page(haigang).encode()),
        (typhoon.url, "2025-09-08T08:00:00Z", 200, "text/html; charset=big5",
         news_page(typhoon, charset="big5").encode("big5", "xmlcharrefreplace")),
        (railway.url, "2026-11-20T05:00:00Z", 200, "text/html; charset=gbk",
         news_page(railway, charset="gbk").encode("gbk", "xmlcharrefreplace")),
        (ARCHIVE_GONE, "2026-07-01T02:00:00Z", 404, utf8, NOT_FOUND.encode()),
    ]
    out = BytesIO()
    writer = WARCWriter(out, gzip=True)
    for n, (url, date, status, content_type, body) in enumerate(captures):
        headers = [("Content-Length", str(len(body)))]
        if content_type:
            headers.insert(0, ("Content-Type", content_type))
        if status == 301:
            headers.append(("Location", haigang.url))
        http = StatusAndHeaders(f"{status} {'OK' if status == 200 else 'X'}", headers,
                                protocol="HTTP/1.1")
        # Fixed record IDs and dates: the file is the same every time it is built.
        record = writer.create_warc_record(
            url, "response", payload=BytesIO(body), length=len(body), http_headers=http,
            warc_headers_dict={"WARC-Date": date,
                               "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>"})
        writer.write_record(record)
    return {"posts.jsonl": dump_text.encode("utf-8"), "sources.warc.gz": out.getvalue()}


# --- pages in the shapes of Taiwanese outlets' pages ---------------------------------------

OUTLET_TIME = datetime(2025, 9, 8, 16, 20, 5, tzinfo=TAIPEI)
OUTLET_POSTS = ("faithful", "no-byline", "as-shown", "edited", "title", "reporter")
"""The posts of every outlet cassette; ``outlet_post_url`` gives each one's address."""


def outlet_url(shape: str) -> str:
    """The fictional article's address on the outlet (no date in it: the page's markup is the
    only place a date can come from)."""
    return f"https://news.{shape}.example-outlet.tw/article/fictional-{len(shape)}0{len(shape)}"


def outlet_post_url(shape: str, kind: str) -> str:
    """Where the ``kind`` post about the ``shape`` page lives on ptt.cc."""
    when = OUTLET_TIME + timedelta(minutes=OUTLET_POSTS.index(kind))
    return ptt_url("Stock", ptt_file(when, f"{len(shape):X}{OUTLET_POSTS.index(kind):X}0"))


def outlet_post(shape_name: str, kind: str) -> str:
    """A Stock post quoting the typhoon article as printed by ``shape_name``."""
    art = load_article("typhoon_harbor.zh-hant")
    shape = OUTLET_SHAPES[shape_name]
    paragraphs = article_body(art)
    byline = shape.byline.format(author=art.author, second="林美君")
    reporter = f"{art.author}、林美君" if "{second}" in shape.byline else art.author
    title = art.title
    if kind == "faithful":
        lines = ([byline + paragraphs[0]] if shape.byline_inline else [byline, paragraphs[0]])
        lines += paragraphs[1:]
        if shape.tail_credit:
            lines[-1] += shape.tail_credit
    elif kind == "as-shown":  # copied from the browser: headline, byline, caption and all
        caption = shape.caption.format(photographer=PHOTOGRAPHER)
        lines = [art.title, byline, paragraphs[0], paragraphs[1], caption, *paragraphs[2:]]
    else:
        lines = list(paragraphs)
    if kind == "edited":
        lines[1] = lines[1].replace("955百帕", "935百帕")
        lines[2] = lines[2] + "這種颱風根本是政府沒準備好，大家自求多福。"
    if kind == "title":
        title = title.replace("逼近", "逼近 震驚")
    if kind == "reporter":
        reporter = "歐陽正義"
    quote = wrap(fold_commas("\n".join(lines)))
    when = OUTLET_TIME + timedelta(minutes=OUTLET_POSTS.index(kind))
    body = f"""1.原文連結:
{outlet_url(shape_name)}
2.原文標題:{title}
3.發布時間:2025/09/08
4.記者署名:{reporter}
5.原文內容:
{quote}
6.心得/評論:
颱風天大家注意安全,漁民辛苦了。"""
    return ptt_page("Stock", outlet_post_url(shape_name, kind).rsplit("/", 1)[1][:-5],
                    "harborwatch", "港邊觀察", f"[新聞] {title}"[:46], when, body,
                    [P("推", "seabreeze", "注意安全", "09/08 16:30")])


def _outlet_case(shape_name: str) -> dict[str, Any]:
    art = load_article("typhoon_harbor.zh-hant")
    page = outlet_page(art, OUTLET_SHAPES[shape_name])
    return cassette(
        interaction(outlet_url(shape_name), 200, page, content_type="text/html; charset=utf-8"),
        *(interaction(outlet_post_url(shape_name, kind), 200, outlet_post(shape_name, kind))
          for kind in OUTLET_POSTS))


def outlet_expectations() -> dict[str, Any]:
    """What the outlet tests read: each shape's post addresses and what a reader takes from
    its page (``cassettes/outlets.expected.json``)."""
    art = load_article("typhoon_harbor.zh-hant")
    out: dict[str, Any] = {}
    for name, shape in sorted(OUTLET_SHAPES.items()):
        out[name] = {
            "posts": {kind: outlet_post_url(name, kind) for kind in OUTLET_POSTS},
            "headline": art.title,
            "reporters": [art.author, "林美君"] if "{second}" in shape.byline else [art.author],
            "photographer": PHOTOGRAPHER,
            "published": None if shape.date_markup == "none" else art.date,
        }
    return out


@case
def outlet_bracket() -> dict[str, Any]:
    """〔記者甲、乙／台北報導〕 byline, suffixed titles, dateline by the headline, caption,
    app promotion, hotline box, related list."""
    return _outlet_case("bracket")


@case
def outlet_wire() -> dict[str, Any]:
    """（虛構社記者甲台北8日電） byline, editor's credit and filing code at the end, update time,
    "you may also like" list."""
    return _outlet_case("wire")


@case
def outlet_desk() -> dict[str, Any]:
    """記者甲、乙／台北報導 paragraph, only <title> suffixed, meta dates, ▲ captions,
    copyright notice, hashtag row."""
    return _outlet_case("desk")


@case
def outlet_notices() -> dict[str, Any]:
    """No structured date at all (a year in the text), browser notice, app promotion, expiry
    notice, a second story with its own byline printed under the article."""
    return _outlet_case("notices")


def build() -> dict[str, dict[str, Any]]:
    """Every cassette, by name."""
    built = {name: make() for name, make in CASES.items()}
    built["board_newslab"] = board_cases()[0]
    return built


def main(argv: list[str]) -> int:
    """Write every cassette, or with ``--check`` list those that differ from the files."""
    check = "--check" in argv
    stale: list[str] = []

    def emit(path: Path, text: str, label: str) -> None:
        if not check:
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(label)

    for name, data in build().items():
        emit(OUT / f"{name}.yaml", dump(data), name)
    emit(OUT / "board_newslab.expected.json",
         json.dumps(board_cases()[1], indent=1, sort_keys=True) + "\n",
         "board_newslab.expected.json")
    emit(OUT / "outlets.expected.json",
         json.dumps(outlet_expectations(), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
         "outlets.expected.json")
    for name, text in examples().items():
        emit(EXAMPLES / name, text, f"examples/{name}")
    for name, data in archive_example().items():
        path = ARCHIVE / name
        if not check:
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
        elif not path.exists() or path.read_bytes() != data:
            stale.append(f"examples/archive/{name}")
    if stale:
        print("stale cassettes or examples: " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
