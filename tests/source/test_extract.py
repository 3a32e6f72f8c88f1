"""Reading the cited page (linker.source.extract): bytes to text in the page's real charset, the
article from the markup, and its other readings (JSON-LD, a script's data) where the markup has
none."""

from __future__ import annotations

import json

import pytest

from linker.errors import ExtractionError, Failure
from linker.models import Document
from linker.source.extract import decode_html, extract_article, json_ld_bodies, page_data_bodies

PARAGRAPHS = [
    "港灣市政府今天上午舉行跨海大橋通車典禮，市長林志明表示，大橋全長二點四公里，將大幅縮短兩岸通勤時間。",
    "交通局指出，大橋通車後每日預估可分流三萬輛車次，尖峰時段的市區壅塞可望改善兩成以上。",
    "不過部分漁民擔心橋墩影響漁船進出，市府承諾將與漁會持續溝通，並在今年底前完成航道疏浚工程。",
]


def page(body: str, head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>大橋通車</title>{head}"
            f"</head><body>{body}</body></html>").encode()


@pytest.mark.parametrize(("content", "header", "expected"), [
    ("臺灣新聞".encode("big5"), "big5", "cp950"),  # read as its superset, as browsers do
    ("臺灣新聞".encode(), "iso-8859-1", "utf-8"),  # a Western label the bytes deny
    ("<meta charset='gbk'>台湾新闻".encode("gbk"), None, "gb18030"),
    (b"\xef\xbb\xbf" + "臺灣".encode(), "big5", "utf-8"),  # the byte-order mark wins
])
def test_the_page_is_read_in_its_real_charset(content: bytes, header: str | None,
                                               expected: str) -> None:
    text, used = decode_html(content, header)
    assert used == expected
    assert "灣" in text or "湾" in text


def test_the_article_is_read_from_the_markup_without_its_furniture() -> None:
    body = ("<nav><a href='/'>首頁</a><a href='/news'>新聞</a></nav><article><h1>大橋通車</h1>"
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
            + "<figure><img src='a.jpg'><figcaption>▲大橋今天通車。（圖／記者攝）</figcaption></figure>"
            + "</article><aside><h3>延伸閱讀</h3><a href='/x'>另一則新聞的標題在這裡</a></aside>")
    article = extract_article(Document(origin="page.html", content=page(body)))
    for p in PARAGRAPHS:
        assert p in article.text
    assert "延伸閱讀" not in article.text and "▲大橋今天通車" not in article.text
    assert article.extraction == "trafilatura"


def test_json_ld_and_script_data_are_other_readings_of_the_body() -> None:
    ld = json.dumps({"@type": "NewsArticle", "articleBody": "\n".join(PARAGRAPHS)},
                    ensure_ascii=False)
    data = json.dumps({"props": {"pageProps": {"story": {
        "content": "".join(f"<p>{p}</p>" for p in PARAGRAPHS), "id": 7}}}}, ensure_ascii=False)
    html = (f"<script type='application/ld+json'>{ld}</script>"
            f"<script id='__NEXT_DATA__' type='application/json'>{data}</script>")
    assert json_ld_bodies(html) == ["\n".join(PARAGRAPHS)]
    bodies = page_data_bodies(html)
    assert bodies and all(p in bodies[0] for p in PARAGRAPHS)


def test_a_page_rendered_by_scripts_is_read_from_its_data() -> None:
    data = json.dumps({"props": {"article": {"body": "".join(f"<p>{p}</p>" for p in PARAGRAPHS)}}},
                      ensure_ascii=False)
    content = page("<div id='app'></div>", f"<script id='__NEXT_DATA__' type='application/json'>"
                                            f"{data}</script>")
    article = extract_article(Document(origin="page.html", content=content))
    assert article.extraction == "page-data"
    assert all(p in article.text for p in PARAGRAPHS)


def test_a_page_without_article_text_fails_with_its_kind() -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_article(Document(origin="empty.html", content=page("")))
    assert caught.value.failure == Failure.NO_TEXT
