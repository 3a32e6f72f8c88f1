"""Page roles read from markup (linker.source.roles): what is article and what is furniture.

The pages are authored here, shaped like today's outlet markup (see ../shared/reference): an
article with photos and captions, an embedded tweet, an Instagram post, a Facebook post, a
YouTube player, a related-news box, share bars, a standfirst, a promotion after a rule.  Each
test states what a reader sees as the article and what linker must make of a faithful repost.
"""

from __future__ import annotations

import json

import pytest

from linker.check import analyse
from linker.models import Document
from linker.ptt.parse import parse_document
from linker.source.extract import extract_article

P1 = "颱風白鷺今天持續向西北移動，氣象局預估暴風圈最快明天清晨接觸東部陸地，沿海居民務必嚴加戒備。"
P2 = "東岸三座漁港已有超過四百艘漁船進港避風，港務單位呼籲民眾不要前往海邊觀浪，以免發生危險。"
P3 = "氣象局指出，白鷺颱風中心氣壓為九百五十五百帕，近中心最大風速每秒四十三公尺，暴風半徑達兩百公里。"
P4 = "地方政府已開設災害應變中心，並預先撤離低窪地區居民共計一百二十六人，消防局也在各鄉鎮預置抽水機。"
BODY = (P1, P2, P3, P4)
HEADLINE = "颱風白鷺逼近 東岸漁港緊急避風"


def page(inner: str, *, head: str = "", title: str = f"{HEADLINE} | 虛構新聞網") -> Document:
    html = f"""<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8">
<title>{title}</title><meta property="og:site_name" content="虛構新聞網">
<meta property="article:published_time" content="2026-03-14T10:00:00+08:00">{head}</head>
<body><header><nav><a href="/">首頁</a><a href="/news">新聞</a></nav></header>
<main><article><h1>{HEADLINE}</h1>
<div class="byline">記者周文彬／台東報導</div>
<div class="article-body">{inner}</div>
</article></main><footer>虛構新聞網 版權所有</footer></body></html>"""
    return Document(origin="test", content=html.encode(), url="https://news.example.com/a/1",
                    final_url="https://news.example.com/a/1", status=200)


def paragraphs(*texts: str) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def post(quote: str, reporter: str = "周文彬") -> str:
    return "\n".join([
        "作者 tester (測試) 看板 Stock", f"標題 [新聞] {HEADLINE}", "時間 Sat Mar 14 12:00:00 2026", "",
        "1.原文連結：", "https://news.example.com/a/1", f"2.原文標題：{HEADLINE}",
        "3.發布時間：2026/03/14", f"4.記者署名：{reporter}", "5.原文內容：", quote, "",
        "6.心得/評論：", "大家出門小心。", "--",
        "※ 發信站: 批踢踢實業坊(ptt.cc), 來自: 203.0.113.9 (臺灣)"])


def verdict(doc: Document, quote: str) -> tuple[str, list[str]]:
    report = analyse(parse_document(Document(origin="post", content=post(quote).encode())), doc)
    serious = [f"{f.kind} {f.severity} {f.note}" for f in report.findings if f.severity != "low"]
    return report.verdict, serious


FAITHFUL = "\n".join(BODY)

TWEET = ("<blockquote class=\"twitter-tweet\"><p lang=\"en\" dir=\"ltr\">Typhoon is coming, stay "
         "safe everyone <a href=\"https://t.co/x\">pic.twitter.com/AbCdEf</a></p>&mdash; Weather Fan "
         "(@weatherfan) <a href=\"https://twitter.com/weatherfan/status/1\">March 14, 2026</a>"
         "</blockquote>")
INSTAGRAM = ("<blockquote class=\"instagram-media\" data-instgrm-permalink=\"https://www.instagram.com/p/x/\">"
             "<div><a href=\"https://www.instagram.com/p/x/\">View this post on Instagram</a></div>"
             "<p>港口現場風浪很大，大家注意安全 #颱風</p><p>A post shared by 虛構漁會 (@fishery)</p>"
             "</blockquote>")
FACEBOOK = ("<div class=\"fb-post\" data-href=\"https://www.facebook.com/x/posts/1\"><blockquote "
            "cite=\"https://www.facebook.com/x/posts/1\" class=\"fb-xfbml-parse-ignore\"><p>鄉公所"
            "提醒鄉親，今晚起暫停所有海上活動，請大家配合。</p>Posted by 虛構鄉公所</blockquote></div>")
YOUTUBE = "<iframe src=\"https://www.youtube.com/embed/abc\" title=\"颱風直播\"></iframe>"
FIGURE = ("<figure><img src=\"/p.jpg\" alt=\"\"><figcaption>漁船進港避風，港邊停滿船隻。"
          "（圖／記者周文彬攝）</figcaption></figure>")


@pytest.mark.parametrize("embed", [TWEET, INSTAGRAM, FACEBOOK, YOUTUBE, FIGURE],
                         ids=["tweet", "instagram", "facebook", "youtube", "figure"])
def test_embeds_and_figures_are_never_article(embed: str) -> None:
    """An embedded post or a figure between paragraphs is not article text: a repost without
    it is faithful, and one that copies it along is faithful too (it is on the page)."""
    doc = page(paragraphs(P1, P2) + embed + paragraphs(P3, P4))
    article = extract_article(doc)
    assert all(p in article.text for p in BODY)
    assert "pic.twitter.com" not in article.text and "@weatherfan" not in article.text
    assert "Instagram" not in article.text and "鄉公所提醒" not in article.text
    assert "漁船進港避風，港邊停滿船隻" not in article.text
    assert verdict(doc, FAITHFUL) == ("faithful", [])


def test_a_caption_or_embed_copied_along_is_on_the_page() -> None:
    doc = page(paragraphs(P1, P2) + FIGURE + FACEBOOK + paragraphs(P3, P4))
    quote = "\n".join([P1, P2, "漁船進港避風，港邊停滿船隻。（圖／記者周文彬攝）",
                       "鄉公所提醒鄉親，今晚起暫停所有海上活動，請大家配合。", P3, P4])
    assert verdict(doc, quote) == ("faithful", [])


def test_the_poster_s_own_words_between_embeds_are_still_added() -> None:
    doc = page(paragraphs(P1, P2) + TWEET + paragraphs(P3, P4))
    quote = "\n".join([P1, P2, "政府根本沒在管，大家自求多福吧。", P3, P4])
    found = verdict(doc, quote)
    assert found[0] == "edited"
    assert any(f.startswith("added high") for f in found[1])


@pytest.mark.parametrize("box", [
    "<div class=\"related-news\"><h3>相關新聞</h3><ul><li><a href=\"/b\">"
    "去年颱風造成嚴重災情的回顧與檢討報告出爐</a></li>"
    "<li><a href=\"/c\">氣象專家解析今年颱風路徑為何特別詭異難測</a></li></ul></div>",
    "<aside><p>延伸閱讀：漁民如何在颱風來臨前做好萬全準備，老漁民分享多年經驗談。</p></aside>",
    "<div class=\"ad_in_news\"><div class=\"adslot\">廣告</div></div>",
    "<div class=\"share-tools\"><a>分享到臉書</a><a>複製連結</a></div>",
], ids=["related", "aside", "ad", "share"])
def test_boxes_inside_the_article_are_furniture(box: str) -> None:
    doc = page(paragraphs(P1, P2) + box + paragraphs(P3, P4))
    article = extract_article(doc)
    assert all(p in article.text for p in BODY)
    assert verdict(doc, FAITHFUL) == ("faithful", [])


def test_keyword_links_inside_a_sentence_stay() -> None:
    """A tag link inside a paragraph is the paragraph's words, whatever its class says."""
    doc = page("<p>日本<a class=\"tag keyword\" href=\"/tag/1\">福島</a>第一核電廠今天開始排放"
               "<a class=\"tag\" href=\"/tag/2\">核汙水</a>，引發鄰國強烈反彈，漁民擔心生計受到影響。</p>"
               + paragraphs(P2, P3))
    assert "日本福島第一核電廠今天開始排放核汙水" in extract_article(doc).text


def test_the_article_wrapper_is_kept_whatever_its_class() -> None:
    """An outlet may call its article container a feed (infinite scroll): the element holding
    the article's paragraphs is never furniture."""
    doc = page(f"<div class=\"article-feed\">{paragraphs(*BODY)}</div>")
    assert all(p in extract_article(doc).text for p in BODY)


def test_the_line_under_a_lone_photo_is_its_caption() -> None:
    doc = page(paragraphs(P1, P2) + "<p><img src=\"/a.jpg\"></p><p>漁港現況。</p>" + paragraphs(P3, P4))
    article = extract_article(doc)
    assert "漁港現況" not in article.text
    assert verdict(doc, FAITHFUL) == ("faithful", [])


def test_a_photo_block_with_its_own_caption_slot_does_not_take_the_next_paragraph() -> None:
    short = "值得一提的是，漁會也已經準備好了救援物資。"
    doc = page(paragraphs(P1, P2) + "<div class=\"img_wrapper\"><img src=\"/a.jpg\"><span class="
               "\"img_descr\"></span></div>" + paragraphs(short, P3, P4))
    assert short in extract_article(doc).text


def test_a_photo_essay_keeps_its_lines() -> None:
    """Where most short lines stand under photos, they are the article told in pictures."""
    lines = ["漁民一早就到港邊綁船。", "孩子們幫忙搬運沙包。", "老船長檢查纜繩是否牢固。",
             "港務人員挨家挨戶提醒。"]
    inner = "".join(f"<p><img src=\"/{i}.jpg\"></p><p>{t}</p>" for i, t in enumerate(lines))
    doc = page(paragraphs(P1) + inner + paragraphs(P2))
    text = extract_article(doc).text
    assert all(t in text for t in lines)


def test_a_standfirst_above_the_body_is_optional() -> None:
    """A summary printed above the body (class summary/standfirst/chapo), repeating the
    description: a poster may copy it or leave it out; neither is an edit."""
    standfirst = "強烈颱風白鷺逼近東部，漁港已有四百艘漁船進港，應變中心撤離居民一百多人。"
    html_page = page(paragraphs(*BODY), head=f"<meta name=\"description\" content=\"{standfirst}\">")
    html = html_page.content.decode().replace(
        "<div class=\"article-body\">", f"<p class=\"article-summary\">{standfirst}</p>"
        "<div class=\"article-body\">")
    doc = Document(origin="test", content=html.encode(), url=html_page.url,
                   final_url=html_page.final_url, status=200)
    assert verdict(doc, FAITHFUL) == ("faithful", [])
    assert verdict(doc, standfirst + "\n" + FAITHFUL) == ("faithful", [])


def test_a_promotion_after_a_drawn_rule_is_the_outlet_s() -> None:
    promo = ("--- 《虛構申訴王》隆重登場，節目為民請命抱不平，追蹤城中熱話，你申訴我跟進，"
             "歡迎來信分享你的故事，一經採用將獲得精美獎品。")
    doc = page(paragraphs(*BODY, promo, "《虛構頭條》APP經已推出最新版本，請立即更新。"))
    article = extract_article(doc)
    assert "申訴王" not in article.text
    assert verdict(doc, FAITHFUL) == ("faithful", [])


def test_loose_text_in_the_article_div_is_a_paragraph() -> None:
    doc = page(f"{P1}<br>{P2}<h2>漁會呼籲</h2><p>{P3}</p><p>{P4}</p>")
    text = extract_article(doc).text
    assert P1 in text and P4 in text


def test_a_page_rendered_by_scripts_is_read_from_its_data() -> None:
    """Next.js pages ship the article in __NEXT_DATA__ and little in their markup."""
    data = {"props": {"pageProps": {"news": {"title": HEADLINE, "desc": "\n\n".join(BODY)}}}}
    html = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{HEADLINE} | 虛構新聞網"
            "</title><meta property=\"og:site_name\" content=\"虛構新聞網\"></head><body>"
            "<div id=\"__next\"><div class=\"nav\">繁 简</div></div>"
            f"<script id=\"__NEXT_DATA__\" type=\"application/json\">{json.dumps(data)}</script>"
            "</body></html>")
    doc = Document(origin="test", content=html.encode(), url="https://news.example.com/a/2",
                   final_url="https://news.example.com/a/2", status=200)
    article = extract_article(doc)
    assert article.extraction == "page-data"
    assert all(p in article.text for p in BODY)
    assert verdict(doc, FAITHFUL)[0] == "faithful"


def test_hostile_markup_does_not_escape() -> None:
    """Control characters after a removed element, roles inside roles and deep markup (the
    HTML parser itself gives up past about 250 levels: what follows is lost, not linker)."""
    inner = ("<div class=\"related\"><div class=\"share\">x</div></div>\x08tail"
             + "<div>" * 120 + P1 + "</div>" * 120 + paragraphs(P2, P3, P4))
    article = extract_article(page(inner))
    assert P1 in article.text and P4 in article.text
    assert "\x08" not in article.text


@pytest.mark.parametrize(("snippet", "role"), [
    (TWEET, "embed"), (INSTAGRAM, "embed"), (FACEBOOK, "embed"), (FIGURE, "caption"),
    ("<div class=\"picinfo\">漁船進港。（虛構社提供）</div>", "caption"),
    ("<p class=\"wp-caption-text\">港邊停滿船隻</p>", "caption"),
    ("<div class=\"recommend-list\"><a href=\"/x\">颱風天該準備什麼？</a></div>", "related"),
    ("<div id=\"post_comment_area\"><p>網友：大家小心</p></div>", "comment"),
    ("<div class=\"cookie-consent\">本網站使用 Cookie 提供更好的閱讀體驗</div>", "notice"),
    ("<div class=\"gg200x300\"><a href=\"/ad\">特價機票</a></div>", "ad"),
], ids=["tweet", "instagram", "facebook", "figure", "picinfo", "wp-caption", "recommend",
        "comments", "cookie", "ad"])
def test_roles_are_read_from_markup(snippet: str, role: str) -> None:
    """The structural reading itself, before any text rule: each element is taken out of
    what the extractor reads and kept as furniture under its role."""
    from linker.source.extract import parse_html
    from linker.source.roles import page_roles

    doc = page(paragraphs(P1, P2) + snippet + paragraphs(P3, P4))
    roles = page_roles(parse_html(doc.content.decode()))
    assert role in {r for r, _text in roles.furniture}
    assert P1 in roles.html and P4 in roles.html


def test_a_tweet_that_lost_its_markup_is_still_an_embed() -> None:
    """Saved as text (a reader's copy, a feed): the tweet's signature gives it away."""
    from linker.source.boilerplate import clean

    body = clean("\n".join([P1, P2, "Typhoon is coming, stay safe everyone pic.twitter.com/AbCdEf",
                            "— Weather Fan (@weatherfan) March 14, 2026", P3, P4]))
    assert "weatherfan" not in body.text and "pic.twitter.com" not in body.text
    assert P4 in body.text


def test_a_standfirst_repeating_the_description_is_optional_whatever_its_class() -> None:
    standfirst = ("強烈颱風白鷺逼近東部，漁港已有四百艘漁船進港，應變中心撤離居民一百多人，"
                  "氣象局預估明天清晨暴風圈將接觸陸地，呼籲民眾做好防颱準備。")
    html_page = page(paragraphs(*BODY), head=f"<meta name=\"description\" content=\"{standfirst}\">")
    html = html_page.content.decode().replace(
        "<div class=\"article-body\">", f"<p>{standfirst}</p><div class=\"article-body\">")
    doc = Document(origin="test", content=html.encode(), url=html_page.url,
                   final_url=html_page.final_url, status=200)
    assert extract_article(doc).decks == (standfirst,)
    assert verdict(doc, FAITHFUL) == ("faithful", [])
    assert verdict(doc, standfirst + "\n" + FAITHFUL) == ("faithful", [])
