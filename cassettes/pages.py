"""Page builders for linker's test cassettes: pages authored for the purpose.

Every page here is written by linker's developers from the structures described in
``shared/reference/ptt-pages.md`` (ptt.cc article, over-18 gate, 404) and from the common
shape of news article pages (meta tags, JSON-LD, an article body among navigation and
boilerplate).  The articles are fictional (``examples/articles/``); nothing is copied from a
real site.

``build.py`` beside this file assembles the cassettes from these builders.
"""

from __future__ import annotations

import html
import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "examples" / "articles"
OUT = ROOT / "cassettes"
TAIPEI = timezone(timedelta(hours=8))


# --- authored articles ---------------------------------------------------------------------

@dataclass(frozen=True)
class Article:
    """A fictional news article: metadata and paragraphs."""

    name: str
    title: str
    author: str
    date: str
    outlet: str
    url: str
    paragraphs: list[str]


def load_article(name: str) -> Article:
    """Read ``examples/articles/NAME.txt`` (``key: value`` header, blank line, paragraphs)."""
    text = (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    return Article(name, meta["title"], meta["author"], meta["date"], meta["outlet"],
                   meta["url"], paragraphs)


def article_body(article: Article) -> list[str]:
    """The paragraphs a reader sees as the article (no notes, no related links)."""
    body = []
    for p in article.paragraphs:
        if p.startswith(("（本文", "延伸", "更多新聞", "更多新闻")):
            continue
        body.append(p)
    return body


# --- news pages ----------------------------------------------------------------------------

def news_page(article: Article, *, charset: str = "utf-8", meta_charset: bool = True,
              jsonld: bool = True, caption: str | None = None) -> str:
    """A news article page: navigation, headline, byline, body, captions, related links."""
    esc = html.escape
    paras = []
    notes = [p for p in article.paragraphs if p.startswith("（本")]
    for i, p in enumerate(article.paragraphs):
        if p.startswith("（本"):
            continue
        if p.startswith(("延伸", "更多新聞", "更多新闻")):
            head, _, rest = p.partition("\n")
            paras.append(f'<div class="related"><h3>{esc(head)}</h3><ul><li><a href="/related/1">'
                         f'{esc(rest)}</a></li></ul></div>')
            continue
        paras.append(f"<p>{esc(p)}</p>")
        if i == 1 and caption:
            paras.append(f'<figure><img src="/img/photo{i}.jpg" alt=""><figcaption>'
                         f'{esc(caption)}</figcaption></figure>')
    date_iso = datetime.strptime(article.date, "%Y-%m-%d %H:%M").replace(
        tzinfo=TAIPEI).isoformat()
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
        "datePublished": date_iso, "author": {"@type": "Person", "name": article.author},
        "publisher": {"@type": "Organization", "name": article.outlet},
        "articleBody": "\n".join(article_body(article)),
    }
    meta = f'<meta charset="{charset}">' if meta_charset else ""
    ld_tag = (f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}'
              "</script>") if jsonld else ""
    nav = "".join(f'<li><a href="/c/{i}">{esc(x)}</a></li>'
                  for i, x in enumerate(["首頁", "財經", "科技", "國際", "影音"]))
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
{meta}
<title>{esc(article.title)}｜{esc(article.outlet)}</title>
<meta property="og:title" content="{esc(article.title)}">
<meta property="og:type" content="article">
<meta property="og:url" content="{esc(article.url)}">
<meta name="author" content="{esc(article.author)}">
<meta property="article:published_time" content="{date_iso}">
{ld_tag}
</head>
<body>
<header class="site-header"><a class="logo" href="/">{esc(article.outlet)}</a>
<nav><ul>{nav}</ul></nav></header>
<main>
<article class="article">
<h1 class="article-title">{esc(article.title)}</h1>
<div class="article-meta"><span class="author">記者 {esc(article.author)}</span>
<time datetime="{date_iso}">{esc(article.date)}</time></div>
<div class="article-body" id="artibody">
{chr(10).join(paras)}
</div>
<div class="article-tags">標籤：<a href="/tag/1">示例</a></div>
</article>
</main>
<aside class="sidebar"><h3>熱門排行</h3><ol><li><a href="/hot/1">其他虛構新聞一</a></li>
<li><a href="/hot/2">其他虛構新聞二</a></li></ol></aside>
<footer class="site-footer"><p>{esc(" ".join(notes))}</p>
<p>© 2026 {esc(article.outlet)}（虛構） 版權所有</p></footer>
</body>
</html>
"""


# --- PTT pages -----------------------------------------------------------------------------

@dataclass(frozen=True)
class P:
    """A push line."""

    tag: str
    user: str
    content: str
    when: str  # "MM/DD hh:mm"
    ip: str | None = None


def ptt_page(board: str, file: str, author: str, nick: str, title: str, when: datetime,
             body: str, tail: list[P | str], *, ip: str = "203.0.113.7",
             country: str = "臺灣", metalines: bool = True, rich_after: str | None = None,
             cf_email: tuple[str, str] | None = None) -> str:
    """A ptt.cc article page in the markup pttweb serves (see ptt-pages.md)."""
    esc = html.escape
    url = f"https://www.ptt.cc/bbs/{board}/{file}.html"

    def meta(tag: str, value: str, right: bool = False) -> str:
        cls = "article-metaline-right" if right else "article-metaline"
        return (f'<div class="{cls}"><span class="article-meta-tag">{tag}</span>'
                f'<span class="article-meta-value">{esc(value)}</span></div>')

    asctime = when.strftime("%a %b ") + f"{when.day:2d}" + when.strftime(" %H:%M:%S %Y")
    head = ""
    if metalines:
        head = (meta("作者", f"{author} ({nick})") + meta("看板", board, right=True)
                + meta("標題", title) + meta("時間", asctime))
    lines = []
    for line in body.split("\n"):
        escaped = esc(line, quote=False).replace("'", "&#39;").replace('"', "&#34;")
        if line.startswith(": "):
            escaped = f'<span class="f6">{escaped}</span>'
        elif line.startswith("※"):
            escaped = f'<span class="f2">{escaped}</span>'
        else:
            for word in sorted({w for w in line.split() if w.startswith("http")},
                               key=len, reverse=True):
                ascii_url = word.split("\u3000")[0]
                escaped = escaped.replace(
                    esc(ascii_url), f'<a href="{esc(ascii_url)}" target="_blank" '
                                     f'rel="nofollow">{esc(ascii_url)}</a>')
        if cf_email and cf_email[0] in line:
            plain, hexed = cf_email
            escaped = escaped.replace(
                esc(plain), f'<a href="/cdn-cgi/l/email-protection" class="__cf_email__" '
                            f'data-cfemail="{hexed}">[email&#160;protected]</a>')
        lines.append(escaped)
        if rich_after and rich_after in line:
            lines[-1] += (f'<div class="richcontent"><img src="{esc(rich_after)}" alt="" '
                          'referrerpolicy="no-referrer"></div>')
    text = "\n".join(lines)
    footer = (f'--\n<span class="f2">※ 發信站: 批踢踢實業坊(ptt.cc), 來自: {ip} ({country})\n'
              f'</span><span class="f2">※ 文章網址: <a href="{url}" target="_blank" '
              f'rel="nofollow">{url}</a>\n</span>')
    rest = []
    for item in tail:
        if isinstance(item, P):
            tag_cls = "hl push-tag" if item.tag == "推" else "f1 hl push-tag"
            ipdt = f"{item.ip} {item.when}" if item.ip else item.when
            rest.append(
                f'<div class="push"><span class="{tag_cls}">{item.tag} </span>'
                f'<span class="f3 hl push-userid">{item.user}</span>'
                f'<span class="f3 push-content">: {esc(item.content)}</span>'
                f'<span class="push-ipdatetime"> {ipdt}\n</span></div>')
        elif item.startswith("※ 編輯"):
            rest.append(f'<span class="f2">{esc(item)}\n</span>')
        else:
            rest.append(esc(item) + "\n")
    page_title = f"{title} - 看板 {board} - 批踢踢實業坊" if metalines else \
        f"閱讀文章 - 看板 {board} - 批踢踢實業坊"
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{esc(page_title)}</title>
<meta property="og:site_name" content="Ptt 批踢踢實業坊">
<meta property="og:title" content="{esc(title)}">
<link rel="canonical" href="{url}">
</head>
<body>
<div id="topbar-container"><div id="topbar" class="bbs-content">
<a id="logo" href="/bbs/">批踢踢實業坊</a><span>&rsaquo;</span>
<a class="board" href="/bbs/{board}/index.html"><span class="board-label">看板 </span>{board}</a>
</div></div>
<div id="main-container">
<div id="main-content" class="bbs-screen bbs-content">{head}
{text}
{footer}{"".join(rest)}</div>
<div id="article-polling" data-pollurl="/poll/{board}/{file}.html?cacheKey=0000-000000000"
 data-longpollurl="/v1/longpoll?id=0" data-offset="1000"></div>
</div>
</body>
</html>
"""


def over18_page(path: str) -> str:
    """ptt.cc's over-18 gate."""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>批踢踢實業坊</title></head>
<body><div class="bbs-screen bbs-content center clear">
<div class="over18-notice"><p>本網站已依網站內容分級規定處理</p>
<p>警告︰您即將進入之看板內容需滿十八歲方可瀏覽。</p>
<p>若您尚未年滿十八歲，請點選離開。若您已滿十八歲，亦不可將本區之內容派發、傳閱、出售、
出租、交給或借予年齡未滿十八歲的觀眾</p></div>
<div class="over18-button-container"><form action="/ask/over18" method="post">
<input type="hidden" name="from" value="{html.escape(path)}">
<button class="btn-big" type="submit" name="yes" value="yes">我同意，我已年滿十八歲<br>
<small>進入</small></button></form></div>
<div class="over18-button-container"><form action="/ask/over18" method="post">
<button class="btn-big" type="submit" name="no" value="no">未滿十八歲或不同意本條款<br>
<small>離開</small></button></form></div></div></body></html>
"""


NOT_FOUND = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>404</title></head>
<body><div class="bbs-screen bbs-content"><div class="bbs-content">404 - Not Found.</div>
</div></body></html>
"""


# --- post text helpers ---------------------------------------------------------------------

def to_traditional(text: str, config: str = "s2t") -> str:
    """Convert script the way a poster's converter would."""
    import opencc

    return str(opencc.OpenCC(f"{config}.json").convert(text))


def fold_commas(text: str) -> str:
    """The seed's habit: full-width commas and exclamation marks typed as half-width."""
    return text.replace("，", ",").replace("！", "!").replace("：", ":")


def wrap(text: str, width: int = 78) -> str:
    """Hard-wrap each paragraph at ``width`` display columns, as a BBS editor does."""
    out = []
    for para in text.split("\n"):
        line, col = "", 0
        for ch in para:
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if col + w > width:
                out.append(line)
                line, col = "", 0
            line += ch
            col += w
        out.append(line)
    return "\n".join(out)


# --- cassettes -----------------------------------------------------------------------------

def interaction(url: str, status: int, body: str | bytes, *, content_type: str | None =
                "text/html; charset=utf-8", location: str | None = None) -> dict[str, Any]:
    """One recorded HTTP exchange in vcrpy's format."""
    headers: dict[str, list[str]] = {}
    if content_type:
        headers["Content-Type"] = [content_type]
    if location:
        headers["Location"] = [location]
    messages = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found",
                410: "Gone", 500: "Internal Server Error", 503: "Service Unavailable"}
    return {
        "request": {"body": None, "headers": {}, "method": "GET", "uri": url},
        "response": {"status": {"code": status, "message": messages.get(status, "")},
                     "headers": headers, "body": {"string": body}},
    }


def cassette(*interactions: dict[str, Any]) -> dict[str, Any]:
    """A vcrpy cassette."""
    return {"interactions": list(interactions), "version": 1}



def dump(data: dict[str, Any]) -> str:
    """YAML text of a cassette, stable across runs."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=100)


@dataclass(frozen=True)
class IndexRow:
    """A row of a board index page."""

    title: str
    author: str
    when: datetime
    file: str | None  # None: a deleted post
    recommend: str = ""
    mark: str = ""


def index_page(board: str, rows: list[IndexRow], *, page: int, newest: bool,
               pinned: list[IndexRow] = ()) -> str:  # type: ignore[assignment]
    """A board index page in pttweb's current markup (see ptt-pages.md)."""
    esc = html.escape

    def nrec(value: str) -> str:
        if not value:
            return ""
        if value == "爆":
            return '<span class="hl f1">爆</span>'
        cls = "hl f2" if value.isdigit() and int(value) < 10 else "hl f3"
        return f'<span class="{cls}">{esc(value)}</span>'

    def entry(r: IndexRow) -> str:
        if r.file is None:
            title = f'<div class="title">\n\t\t\t\n\t\t\t\t{esc(r.title)}\n\t\t\t\n\t\t\t</div>'
            author = "-"
        else:
            title = (f'<div class="title">\n\t\t\t\n\t\t\t\t<a href="/bbs/{board}/{r.file}.html">'
                     f'{esc(r.title)}</a>\n\t\t\t\n\t\t\t</div>')
            author = r.author
        date = f"{r.when.month:>2}/{r.when.day:02d}"
        return (f'<div class="r-ent">\n\t\t\t<div class="nrec">{nrec(r.recommend)}</div>\n\t\t\t'
                f'{title}\n\t\t\t<div class="meta">\n\t\t\t\t<div class="author">{esc(author)}'
                f'</div>\n\t\t\t\t<div class="article-menu"></div>\n\t\t\t\t<div class="date">'
                f'{date}</div>\n\t\t\t\t<div class="mark">{esc(r.mark)}</div>\n\t\t\t</div>\n'
                f'\t\t</div>')

    prev = (f'<a class="btn wide" href="/bbs/{board}/index{page - 1}.html">&lsaquo; 上頁</a>'
            if page > 1 else '<a class="btn wide disabled">&lsaquo; 上頁</a>')
    nxt = ('<a class="btn wide disabled">下頁 &rsaquo;</a>' if newest else
           f'<a class="btn wide" href="/bbs/{board}/index{page + 1}.html">下頁 &rsaquo;</a>')
    body = "\n".join(entry(r) for r in rows)
    if newest and pinned:
        body += '\n<div class="r-list-sep"></div>\n' + "\n".join(entry(r) for r in pinned)
    return f"""<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>看板 {board} 文章列表 - 批踢踢實業坊</title></head>
<body>
<div id="topbar-container"><div id="topbar" class="bbs-content">
<a id="logo" href="/bbs/">批踢踢實業坊</a><span>&rsaquo;</span>
<a class="board" href="/bbs/{board}/index.html"><span class="board-label">看板 </span>{board}</a>
</div></div>
<div id="action-bar-container"><div class="action-bar">
<div class="btn-group btn-group-dir"><a class="btn selected" href="/bbs/{board}/index.html">看板</a>
<a class="btn" href="/man/{board}/index.html">精華區</a></div>
<div class="btn-group btn-group-paging">
<a class="btn wide" href="/bbs/{board}/index1.html">最舊</a>
{prev}
{nxt}
<a class="btn wide" href="/bbs/{board}/index.html">最新</a>
</div></div></div>
<div id="main-container"><div class="r-list-container action-bar-margin bbs-screen">
<div class="search-bar"><form type="get" action="search" id="search-bar">
<input class="query" type="text" name="q" value="" placeholder="搜尋文章&#x22ef;"></form></div>
{body}
</div></div>
</body>
</html>
"""


# --- pages in the shapes of Taiwanese outlets' pages ---------------------------------------
# Structures described in ``shared/corpus/news/tw/README.md`` and seen across outlets: the
# site's name in <title>, the byline inside the body, captions, promotions, notices and
# related lists around the article.  Outlets, people and text are fictional.

PHOTOGRAPHER = "李小華"
SECOND_REPORTER = "林美君"
HOTLINE = ("＊珍惜生命，自殺不能解決問題，生命一定可以找到出路。若需諮商或相關協助可撥"
           "生命線專線1995、張老師專線1980或衛福部安心專線1925＊")
APP_PROMO = "還想看更多新聞嗎？歡迎下載虛構新聞網APP，每天給你最新的消息！"
BROWSER = "親愛的網友：為確保您享有最佳的瀏覽體驗，建議您使用Chrome、Firefox或Edge瀏覽器。"
EXPIRED = "您所瀏覽的新聞已過查詢時效，如需查詢請洽虛構新聞網資料服務中心。"


@dataclass(frozen=True)
class OutletShape:
    """How one kind of outlet page prints an article."""

    name: str
    site: str
    title_suffix: str
    """Appended to the headline in <title> (the og:title too when ``og_suffixed``)."""
    og_suffixed: bool
    byline: str
    """The byline as printed, with ``{author}`` and ``{second}`` placeholders."""
    byline_inline: bool
    """The byline opens the first paragraph (else it is a paragraph of its own)."""
    date_markup: str
    """``meta`` (meta tags), ``dateline`` (printed under the headline only) or ``none``."""
    caption: str
    """A photo caption with ``{photographer}``."""
    furniture_top: tuple[str, ...] = ()
    furniture_bottom: tuple[str, ...] = ()
    tail_credit: str = ""
    companion: bool = False


OUTLET_SHAPES = {
    "bracket": OutletShape(
        "bracket", "虛構時報電子報", " - 生活 - 虛構時報電子報", True,
        "〔記者{author}、{second}／台北報導〕", True, "dateline",
        "▲漁船進港避風。（記者{photographer}攝）",
        furniture_top=("字級：", "分享："),
        furniture_bottom=("不用抽 不用搶 現在用APP看新聞 保證天天中獎 點我下載APP", HOTLINE,
                          "相關新聞", "- 其他虛構新聞一", "- 其他虛構新聞二")),
    "wire": OutletShape(
        "wire", "虛構通訊社", " | 社會 | 虛構通訊社 FNA", True,
        "（虛構社記者{author}台北8日電）", True, "dateline",
        "漁船在港內避風。（虛構社記者{photographer}攝 114年9月8日）",
        furniture_top=("最新更新時間：2025/09/08 14:05",),
        furniture_bottom=("※你可能還想看：", "颱風來襲 東部停班停課", "漁民搶收 港口忙碌"),
        tail_credit="（編輯：王小明）1140908"),
    "desk": OutletShape(
        "desk", "虛構新聞雲", " | 虛構新聞雲", False,
        "記者{author}、{second}／台北報導", False, "meta",
        "▲颱風逼近，漁船紛紛進港。（圖／記者{photographer}攝）",
        furniture_bottom=("※本文版權所有，非經授權，不得轉載。[虛構新聞雲著作權聲明]※",
                          "#颱風 #白鷺 #漁港", "►其他虛構新聞一")),
    "notices": OutletShape(
        "notices", "虛構新聞網", " | 地方 | 虛構新聞網", True,
        "記者{author}／即時報導", False, "none",
        "漁港一景。 記者{photographer}／攝影",
        furniture_top=(BROWSER,),
        furniture_bottom=(APP_PROMO, EXPIRED),
        companion=True),
}


def outlet_page(article: Article, shape: OutletShape) -> str:
    """The article printed in ``shape``: headline with the site's suffix in <title>, byline in
    the body, a caption between paragraphs and the shape's furniture around the article."""
    esc = html.escape
    body = article_body(article)
    byline = shape.byline.format(author=article.author, second=SECOND_REPORTER)
    paras = [f"<p>{esc(p)}</p>" for p in shape.furniture_top]
    for i, p in enumerate(body):
        text = (byline + p) if (i == 0 and shape.byline_inline) else p
        if i == 0 and not shape.byline_inline:
            paras.append(f"<p>{esc(byline)}</p>")
        if i == len(body) - 1 and shape.tail_credit:
            text += shape.tail_credit
        paras.append(f"<p>{esc(text)}</p>")
        if i == 1:
            paras.append(f'<figure><img src="/img/{i}.jpg" alt=""><figcaption>'
                         f'{esc(shape.caption.format(photographer=PHOTOGRAPHER))}'
                         "</figcaption></figure>")
    if shape.companion:
        paras += ["<h3>港務局：加派人力巡港</h3>", "<p>記者林美君／台北報導</p>",
                  "<p>港務局表示，颱風期間將加派人力在港區巡查，並提醒船主加強纜繩固定，"
                  "避免船隻互相碰撞造成損失。港務局指出，2005年曾有颱風造成港內船隻大量受損。</p>"]
    bottom = "".join(f"<p>{esc(p)}</p>" if not p.startswith("- ")
                     else f'<ul><li><a href="/r/{i}">{esc(p[2:])}</a></li></ul>'
                     for i, p in enumerate(shape.furniture_bottom))
    date_iso = datetime.strptime(article.date, "%Y-%m-%d %H:%M").replace(
        tzinfo=TAIPEI).isoformat()
    head_meta = ""
    dateline = ""
    if shape.date_markup == "meta":
        head_meta = (f'<meta property="article:published_time" content="{date_iso}">'
                     f'<meta name="pubdate" content="{date_iso}">')
    elif shape.date_markup == "dateline":
        dateline = f'<span class="time">{article.date.replace("-", "/")}</span>'
    og_title = article.title + (shape.title_suffix if shape.og_suffixed else "")
    nav = "".join(f'<li><a href="/c/{i}">{esc(x)}</a></li>'
                  for i, x in enumerate(["首頁", "即時", "政治", "社會", "生活", "影音"]))
    return f"""<!DOCTYPE html>
<html lang="zh-Hant">
<head>
<meta charset="utf-8">
<title>{esc(article.title + shape.title_suffix)}</title>
<meta property="og:title" content="{esc(og_title)}">
<meta property="og:site_name" content="{esc(shape.site)}">
<meta property="og:type" content="article">
{head_meta}
</head>
<body>
<header><a class="logo" href="/">{esc(shape.site)}</a><nav><ul>{nav}</ul></nav></header>
<div class="whitecon">
<h1>{esc(article.title)}</h1>
<div class="info">{dateline}<span class="share">分享</span></div>
<div class="text boxTitle" itemprop="articleBody">
{chr(10).join(paras)}
{bottom}
</div>
</div>
<aside><h2>熱門新聞</h2><ol><li><a href="/hot/1">其他虛構熱門新聞</a></li></ol></aside>
<footer><p>© 2026 {esc(shape.site)}（虛構） 版權所有 不得轉載</p></footer>
</body>
</html>
"""
