"""Board rules (linker.rules): the profiles, each rule and its parameters, a moderator's own
file, the Chinese wording, and the board-wide rules over a batch. The pages are authored here,
in the structure outlets use (JSON-LD NewsArticle/OpinionNewsArticle, a byline line, a
canonical link); the real-page cases are in test_rules_pages.py."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from benchmarks.reposts import gossiping_post, stock_post
from linker.check import analyse
from linker.errors import InputError
from linker.models import Document, Report
from linker.ptt.parse import parse_document
from linker.rules import (
    RULE_IDS,
    BoardPost,
    board_rules,
    builtin_profiles,
    evaluate,
    load_profile,
    parse_profile,
    profile_for_board,
)

from .support.cli import run

HEADLINE = "港灣市新建跨海大橋今通車　尖峰車流減三成"
PARAGRAPHS = [
    "港灣市政府今天上午舉行跨海大橋通車典禮，市長林志明表示，大橋全長2.4公里，總經費新台幣86億元，"
    "歷時五年完工，預計可讓市區往返離島的尖峰車流減少三成。",
    "交通局長陳怡君說明，大橋設有雙向四線車道與自行車專用道，機車與行人也能通行，夜間則以燈光秀"
    "點亮海灣，盼成為新的觀光景點。",
    "不過部分漁民擔心橋墩影響漁船進出，市府承諾將與漁會持續溝通，並在今年底前完成航道疏浚工程。",
]
URL = "https://news.example-tv.com.tw/news/2026/03/10/bridge-1"
PUBLISHED = "2026-03-10T09:00:00+08:00"


def page(*, headline: str = HEADLINE, paragraphs: list[str] | None = None,
         kind: str = "NewsArticle", section: str | None = "地方", byline: str | None = "記者王小明／港灣報導",
         reporter: str | None = "王小明", url: str = URL, published: str = PUBLISHED,
         canonical: str | None = None, head: str = "", opening: str = "") -> Document:
    """A news page as outlets publish them: JSON-LD, a byline line, the paragraphs."""
    ld: dict[str, Any] = {"@context": "https://schema.org", "@type": kind, "headline": headline,
                          "datePublished": published}
    if section:
        ld["articleSection"] = section
    if reporter:
        ld["author"] = {"@type": "Person", "name": reporter}
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS))
    shown = f"{published[:10].replace('-', '/')} {published[11:16]}"
    html = f"""<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8">
<title>{headline} | 範例電視新聞網</title>
<meta property="og:site_name" content="範例電視新聞網">
<meta property="og:url" content="{canonical or url}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>{head}
</head><body><header><nav><a href="/">首頁</a></nav></header>
<article><h1>{headline}</h1>
<div class="date"><time datetime="{published}">{shown}</time></div>
{f'<div class="author">{byline}</div>' if byline else ''}
<div class="article-body">{opening}{body}</div></article>
<footer><p>版權所有 範例電視新聞網</p></footer></body></html>"""
    return Document(origin=url, content=html.encode("utf-8"), url=url, final_url=url, status=200,
                    charset="utf-8")


def post(*, title: str = HEADLINE, paragraphs: list[str] | None = None, url: str = URL,
         day: datetime | None = None, reporter: str = "王小明", outlet: str = "範例電視新聞網",
         board: str = "gossiping") -> str:
    quote = "\n".join(paragraphs if paragraphs is not None else PARAGRAPHS)
    when = day or datetime(2026, 3, 10, 12, 0)
    if board == "stock":
        return stock_post(title=title, url=url, published="2026/03/10", reporter=reporter,
                          quote=quote, day=when)
    return gossiping_post(outlet=outlet, reporter=reporter, title=title, url=url, quote=quote,
                          day=when)


def checked(text: str, doc: Document | None = None) -> Report:
    parsed = parse_document(Document(origin="post.txt", content=text.encode("utf-8")))
    return analyse(parsed, doc or page())


def statuses(report: Report, profile: str = "gossiping") -> dict[str, str]:
    return {r.id: r.status for r in evaluate(report, load_profile(profile))}


def broken(report: Report, profile: str = "gossiping") -> set[str]:
    return {r for r, s in statuses(report, profile).items() if s == "violation"}


def evidence(report: Report, rule_id: str, profile: str = "gossiping") -> str:
    return next(r.evidence for r in evaluate(report, load_profile(profile)) if r.id == rule_id)


# --- profiles ----------------------------------------------------------------------------------

def test_the_shipped_profiles() -> None:
    assert builtin_profiles() == ("gossiping", "stock")
    gossiping = load_profile("gossiping")
    assert [r.id for r in gossiping.rules] == list(RULE_IDS)  # every rule, in order
    assert profile_for_board("gossiping") == gossiping
    assert profile_for_board("Stock") == load_profile("stock")
    assert profile_for_board("NewsLab") is None
    for rule in gossiping.rules:
        assert rule.says("en") and rule.says("zh-TW") and rule.short("zh-TW")
        assert "{" not in rule.says("en") + rule.says("zh-TW") + rule.short("zh-TW")
    stale = gossiping.rule("stale-news")
    assert stale is not None and stale.short("zh-TW") == "新聞逾3日"
    assert "3 days" in stale.says("en")


def test_a_faithful_post_on_an_outlet_s_page_breaks_nothing() -> None:
    report = checked(post())
    assert report.verdict == "faithful"
    found = statuses(report)
    assert {r for r, s in found.items() if s == "violation"} == set()
    assert found["duplicate-news"] == found["daily-quota"] == "unknown"  # needs the board


MODERATOR = """
[profile]
name = "newslab"
boards = ["NewsLab"]
en = "NewsLab"
zh-TW = "新聞實驗板"

[rules.stale-news]
en = "At most {days} days old."
zh-TW = "不得超過 {days} 日。"
short-zh-TW = "逾{days}日"
days = 5

[rules.banned-origin]
en = "Not from mainland China."
zh-TW = "不得為中國媒體。"
regions = ["CN"]
"""


def test_a_moderator_s_own_profile(tmp_path: Path) -> None:
    mine = tmp_path / "newslab.toml"
    mine.write_text(MODERATOR, encoding="utf-8")
    profile = load_profile(str(mine))
    assert [r.id for r in profile.rules] == ["stale-news", "banned-origin"]
    four_days = checked(post(day=datetime(2026, 3, 14, 12, 0)))
    assert statuses(four_days, str(mine)) == {"stale-news": "ok", "banned-origin": "ok"}
    assert statuses(four_days)["stale-news"] == "violation"  # Gossiping's 3 days
    six_days = checked(post(day=datetime(2026, 3, 16, 12, 0)))
    assert statuses(six_days, str(mine))["stale-news"] == "violation"
    rule = profile.rule("stale-news")
    assert rule is not None and rule.short("zh-TW") == "逾5日" and rule.says("en") == \
        "At most 5 days old."
    hk = checked(post(url="https://www.example.hk/news/1"), page(url="https://www.example.hk/news/1"))
    assert statuses(hk, str(mine))["banned-origin"] == "ok"  # only CN on this board
    assert statuses(hk)["banned-origin"] == "violation"


@pytest.mark.parametrize(("text", "problem"), [
    ("[profile]\nname='x'\n[rules.no-such-rule]\nen='a'\nzh-TW='b'\n", "unknown rule no-such-rule"),
    ("[profile]\nname='x'\n[rules.stale-news]\nen='a'\nzh-TW='b'\nweeks=2\n",
     "[rules.stale-news] has no parameter weeks"),
    ("[profile]\nname='x'\n[rules.stale-news]\nen='a'\nzh-TW='b'\ndays='three'\n",
     "[rules.stale-news] days must be a whole number"),
    ("[profile]\nname='x'\n[rules.stale-news]\nen='a'\n", "[rules.stale-news] needs its wording in zh-TW"),
    ("[profile]\nname='x'\n[rules.missing-field]\nen='a'\nzh-TW='b'\nfields=['email']\n",
     "unknown field email"),
    ("[profile]\nname='x'\n[rules.banned-origin]\nen='a'\nzh-TW='b'\nregions=['JP']\n",
     "unknown region JP"),
    ("[rules.stale-news]\nen='a'\nzh-TW='b'\n", "a [profile] table with a name is needed"),
    ("[profile\nname='x'", "rule profile"),
])
def test_a_bad_profile_is_one_line(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(InputError, match=None) as caught:
        parse_profile(text, "mine.toml")
    assert problem in str(caught.value)
    bad = tmp_path / "mine.toml"
    bad.write_text(text, encoding="utf-8")
    # Refused before the post is read: the post here does not even exist.
    out = run("check", str(tmp_path / "nowhere.txt"), "--rules", str(bad), expect_exit=2)
    assert out.stderr.count("\n") == 1 and "rule profile" in out.stderr
    assert "no rule profile nope" in run("check", "x.txt", "--rules", "nope",
                                          expect_exit=2).stderr


# --- each rule ---------------------------------------------------------------------------------

def test_title_not_original() -> None:
    changed = checked(post(title="港灣市新建跨海大橋今通車　尖峰車流大減三成"))
    assert broken(changed) == {"title-not-original", "content-modified"} - {"content-modified"}
    assert "三成" in evidence(changed, "title-not-original")


def test_body_incomplete_by_profile() -> None:
    cut = checked(post(paragraphs=PARAGRAPHS[:1]))
    assert "body-incomplete" in broken(cut)  # Gossiping: the whole article
    assert "left out" in evidence(cut, "body-incomplete")
    assert statuses(checked(post(paragraphs=PARAGRAPHS[:1], board="stock")),
                    "stock")["body-incomplete"] == "ok"  # Stock: an excerpt of 2 lines or more
    one_line = checked(post(paragraphs=[PARAGRAPHS[0][:40]], board="stock"))
    assert statuses(one_line, "stock")["body-incomplete"] == "violation"
    declared = checked(post(paragraphs=[*PARAGRAPHS[:2], "（下略）"]))
    assert "body-incomplete" in broken(declared)  # a declared cut is still a cut here


def test_content_modified() -> None:
    opinion = [PARAGRAPHS[0], PARAGRAPHS[1] + "這座橋根本是蚊子橋，浪費公帑。", PARAGRAPHS[2]]
    report = checked(post(paragraphs=opinion))
    assert broken(report) == {"content-modified"}
    number = checked(post(paragraphs=[PARAGRAPHS[0].replace("86億", "68億"), *PARAGRAPHS[1:]]))
    assert "content-modified" in broken(number)
    assert "number changed" in evidence(number, "content-modified")


def test_missing_field_and_its_fields_parameter(tmp_path: Path) -> None:
    report = checked(post(reporter=""))
    assert broken(report) == {"missing-field"}
    assert "記者署名" in evidence(report, "missing-field")
    mine = tmp_path / "fields.toml"
    mine.write_text("[profile]\nname='f'\n[rules.missing-field]\nen='a'\nzh-TW='b'\n"
                    "fields=['link', 'body']\n", encoding="utf-8")
    assert statuses(report, str(mine)) == {"missing-field": "ok"}


def test_link_missing_and_link_dead() -> None:
    no_link = checked(post(url=""))
    assert statuses(no_link)["link-missing"] == "violation"
    report = checked(post())
    assert statuses(report)["link-dead"] == "ok"

    def failing(error: Exception) -> str:
        """link-dead when the cited page fails with ``error``: decided by the failure's kind,
        whatever its words."""
        from linker.check import check_post
        from linker.net.fetch import Client

        def loader(target: str) -> Document:
            raise error

        parsed = parse_document(Document(origin="post.txt", content=post().encode("utf-8")))
        failed = check_post(parsed, Client(), archive=False, loader=loader)
        return statuses(failed)["link-dead"]

    from linker.errors import Failure, FetchError, NotFoundError

    assert failing(NotFoundError("HTTP 404: not found or deleted", status=404)) == "violation"
    assert failing(NotFoundError("頁面不存在", status=410)) == "violation"  # any wording
    assert failing(FetchError("no such host", failure=Failure.NO_HOST)) == "violation"
    # Slow once, or refused by a server's error, is not dead.
    assert failing(FetchError("HTTP 404 in the words", failure=Failure.TIMEOUT)) == "unknown"
    assert failing(FetchError("HTTP 503", status=503, failure=Failure.HTTP)) == "unknown"


def test_link_not_original_names_the_original() -> None:
    yahoo = "https://tw.news.yahoo.com/bridge-opens-091500123.html"
    reprint = page(url=yahoo, canonical=URL, head='<script type="application/ld+json">'
                   '{"@type": "NewsArticle", "provider": {"@type": "Organization", '
                   '"name": "範例電視新聞網"}}</script>')
    report = checked(post(url=yahoo), reprint)
    assert broken(report) == {"link-not-original"}
    said = evidence(report, "link-not-original")
    assert "Yahoo" in said and URL in said and "範例電視新聞網" in said
    # A portal page saying nothing of its source: still a reprint, the original unnamed.
    bare = checked(post(url="https://today.line.me/tw/v2/article/abc123"),
                   page(url="https://today.line.me/tw/v2/article/abc123"))
    assert "LINE TODAY" in evidence(bare, "link-not-original")


def test_link_unclickable_and_its_length() -> None:
    long_url = URL + "?" + "&".join(f"p{i}=value{i}" for i in range(10))
    long = checked(post(url=long_url), page(url=long_url))
    assert "link-unclickable" in broken(long)
    raw = "https://news.example-tv.com.tw/地方/港灣大橋通車"
    cjk = checked(post(url=raw), page(url=raw))
    assert "link-unclickable" in broken(cjk)
    assert "港灣大橋" in evidence(cjk, "link-unclickable")
    wide = parse_profile(MODERATOR.replace("[rules.stale-news]", "[rules.link-unclickable]\n"
                                           "en='a'\nzh-TW='b'\nmax-length=300\n\n"
                                           "[rules.stale-news]"), "wide.toml")
    assert {r.id: r.status for r in evaluate(long, wide)}["link-unclickable"] == "ok"


def test_stale_news_counts_from_the_publish_time() -> None:
    # The posts are written at noon: 2 days 3 h, then 3 days 3 h after 09:00 on the 10th.
    assert statuses(checked(post(day=datetime(2026, 3, 12))))["stale-news"] == "ok"
    late = checked(post(day=datetime(2026, 3, 13)))
    assert statuses(late)["stale-news"] == "violation"
    assert "2026-03-10" in evidence(late, "stale-news")
    plain = "https://news.example-tv.com.tw/news/bridge-1"  # no date in the address either
    undated = checked(post(url=plain), page(published="", url=plain))
    assert statuses(undated)["stale-news"] == "unknown"


@pytest.mark.parametrize(("url", "region"), [
    ("https://finance.example.cn/a/1", "mainland China"),
    ("https://news.qq.com/rain/a/20260310A01", "mainland China"),
    ("https://www.hk01.com/sns/article/1", "Hong Kong"),
    ("https://www.example.mo/news/1", "Macau"),
])
def test_banned_origin(url: str, region: str) -> None:
    report = checked(post(url=url), page(url=url))
    assert "banned-origin" in broken(report)
    assert region in evidence(report, "banned-origin")


@pytest.mark.parametrize("marks", [
    {"kind": "OpinionNewsArticle"},
    {"section": "專欄"},
    {"section": "社論"},
    {"headline": "【社論】" + HEADLINE},
    {"url": "https://news.example-tv.com.tw/opinion/2026/03/10/bridge-1"},
])
def test_not_news(marks: dict[str, str]) -> None:
    doc = page(kind=marks.get("kind", "NewsArticle"), section=marks.get("section", "地方"),
               headline=marks.get("headline", HEADLINE), url=marks.get("url", URL))
    report = checked(post(title=marks.get("headline", HEADLINE), url=marks.get("url", URL)), doc)
    assert broken(report) == {"not-news"}


def test_not_news_is_undecided_where_the_page_does_not_say_it_is_news() -> None:
    plain = page(kind="Article", section=None)
    assert statuses(checked(post(), plain))["not-news"] == "unknown"
    assert statuses(checked(post(), page(kind="Article")))["not-news"] == "ok"  # a section
    assert statuses(checked(post(), page(section=None)))["not-news"] == "ok"  # NewsArticle
    own = parse_profile("[profile]\nname='x'\n[rules.not-news]\nen='a'\nzh-TW='b'\n"
                        "news-types=['Article']\n", "x")
    assert [r.status for r in evaluate(checked(post(), plain), own)] == ["ok"]


def test_no_reporter_only_with_a_sign_of_a_press_release() -> None:
    unsigned = page(byline=None, reporter=None)
    placeholder = post(reporter="未註明")
    assert statuses(checked(placeholder, unsigned))["no-reporter"] == "unknown"
    release = page(byline=None, reporter=None, section="企業新聞")
    assert broken(checked(placeholder, release)) >= {"no-reporter"}
    assert "企業新聞" in evidence(checked(placeholder, release), "no-reporter")
    newsroom = page(byline=None, reporter=None, opening="<p>〔本報訊〕</p>")
    assert statuses(checked(placeholder, newsroom))["no-reporter"] == "ok"
    assert statuses(checked(post()))["no-reporter"] == "ok"


# --- the board ---------------------------------------------------------------------------------

def _board_post(n: int, author: str, when: str, key: str | None, text: str) -> BoardPost:
    return BoardPost(url=f"https://www.ptt.cc/bbs/Gossiping/M.17{n:08d}.A.{n:03d}.html",
                     board="Gossiping", author=author, posted_at=datetime.fromisoformat(when),
                     source_key=key, text=text)


def test_duplicates_and_the_daily_quota() -> None:
    article = "港灣市政府今天上午舉行跨海大橋通車典禮市長林志明表示大橋全長二點四公里" * 5
    other = "颱風外圍環流影響北部山區明天起豪雨特報請民眾注意土石流與落石" * 5
    posts = [
        _board_post(1, "alice", "2026-03-10T09:00:00+08:00", "a.example/1", article),
        _board_post(2, "bob", "2026-03-11T09:00:00+08:00", "a.example/1", article),  # same link
        _board_post(3, "carol", "2026-03-11T10:00:00+08:00", "b.example/9",
                    article[:-3] + "。"),  # the same text elsewhere
        _board_post(4, "alice", "2026-03-10T23:59:00+08:00", "c.example/2", other),
        _board_post(5, "alice", "2026-03-11T00:01:00+08:00", "d.example/3", other[::-1]),
    ]
    results = board_rules(posts, load_profile("gossiping"))
    got = [{r.id: r.status for r in results[p.url]} for p in posts]
    assert got == [
        {"duplicate-news": "ok", "daily-quota": "ok"},
        {"duplicate-news": "violation", "daily-quota": "ok"},
        {"duplicate-news": "violation", "daily-quota": "ok"},
        {"duplicate-news": "ok", "daily-quota": "violation"},
        {"duplicate-news": "ok", "daily-quota": "ok"},  # the next day, Taiwan time
    ]
    same_link = next(r for r in results[posts[1].url] if r.id == "duplicate-news")
    assert posts[0].url in same_link.evidence and "same link" in same_link.evidence
    two_a_day = parse_profile("[profile]\nname='x'\n[rules.daily-quota]\nen='{per-day}'\n"
                              "zh-TW='b'\nper-day=2\n", "x")
    assert all(r.status == "ok" for rs in board_rules(posts, two_a_day).values() for r in rs)
    first_at = posts[0].posted_at
    assert first_at is not None
    a_week_later = [posts[0], replace(posts[1], posted_at=first_at + timedelta(days=9))]
    window = parse_profile("[profile]\nname='x'\n[rules.duplicate-news]\nen='a'\nzh-TW='b'\n"
                           "within-days=7\n", "x")
    assert [r.status for rs in board_rules(a_week_later, window).values() for r in rs] == \
        ["ok", "ok"]


# --- where moderators see it -------------------------------------------------------------------

def test_the_push_and_the_view_name_the_broken_rules_in_chinese(tmp_path: Path) -> None:
    text = post(title="港灣市新建跨海大橋今通車　車流大減", day=datetime(2026, 3, 15, 12, 0))
    post_file = tmp_path / "post.txt"
    post_file.write_text(text, encoding="utf-8")
    source = tmp_path / "page.html"
    source.write_bytes(page().content)
    push = run("check", str(post_file), "--source", str(source), "--rules", "gossiping",
               "--push", "--lang", "zh-TW", expect_exit=1).stdout
    assert "違反:標題非原標、新聞逾3日" in push
    english = run("check", str(post_file), "--source", str(source), "--rules", "gossiping",
                  "--push", expect_exit=1).stdout
    assert "breaks: title not the headline, news over 3 days old" in english
    view = run("check", str(post_file), "--source", str(source), "--rules", "gossiping",
               "--lang", "zh-TW", "--width", "100", expect_exit=1).stdout
    lines = view.splitlines()
    rules_at = next(i for i, line in enumerate(lines) if line.startswith("板規（gossiping）"))
    source_at = next(i for i, line in enumerate(lines) if line.startswith("原文："))
    assert rules_at < source_at  # the broken rules come first
    assert "✗ title-not-original" in view and "標題須為新聞的原標題" in view
    reply = run("check", str(post_file), "--source", str(source), "--rules", "gossiping",
                "--bbs", "--lang", "zh-TW", expect_exit=1).stdout
    assert "板規（gossiping）：違反 2 條" in reply
    none = run("check", str(post_file), "--source", str(source), "--rules", "none", "--json",
               expect_exit=1).stdout
    assert json.loads(none)["rules"] == [] and json.loads(none)["rule_profile"] is None


def test_linker_rules_prints_a_profile() -> None:
    listing = run("rules").stdout
    assert "gossiping" in listing and "stock" in listing
    shown = run("rules", "gossiping", "--lang", "zh-TW").stdout
    assert "新聞逾3日" in shown and "days = 3" in shown
    assert "未附連結" in shown


def test_the_store_keeps_the_rules_and_reports_by_rule(tmp_path: Path) -> None:
    """A dump where two users post the same news a day apart and one user posts two news on
    one day: --jsonl names duplicate-news and daily-quota on the later posts only, and
    report --by rule counts them; a cluster run gives the same lines."""
    from .support.archives import SOURCE, example_post, write_warc

    pytest.importorskip("warcio")
    from linker.render.jsonout import post_to_dict

    own = post_to_dict(example_post())
    bridge = parse_document(Document(origin="bridge.txt", content=post().encode("utf-8")))
    other = post_to_dict(bridge)
    posts = [
        dict(own, url="https://www.ptt.cc/bbs/Gossiping/M.1773453000.A.001.html",
             author="alice", time="2026-03-14T09:00:00+08:00", board="Gossiping"),
        dict(own, url="https://www.ptt.cc/bbs/Gossiping/M.1773539400.A.002.html",
             author="bob", time="2026-03-15T09:00:00+08:00", board="Gossiping"),
        dict(other, url="https://www.ptt.cc/bbs/Gossiping/M.1773460000.A.003.html",
             author="alice", time="2026-03-14T11:00:00+08:00", board="Gossiping"),
    ]
    dump = tmp_path / "posts.jsonl"
    dump.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in posts),
                    encoding="utf-8")
    warc = tmp_path / "sources.warc.gz"
    html = {"Content-Type": "text/html; charset=utf-8"}
    write_warc(warc, [
        ("https://finance.sina.com.cn/tech/2026-03-14/doc-fictional0001.shtml",
         "2026-03-14T03:00:00Z", 200, html, SOURCE),
        (URL, "2026-03-10T03:00:00Z", 200, html, page().content),
    ])

    def sweep(name: str, *extra: str) -> dict[str, dict[str, str]]:
        lines = tmp_path / f"{name}.jsonl"
        run("batch", "--posts", str(dump), "--sources", str(warc), "--db",
            str(tmp_path / f"{name}.db"), "--jsonl", str(lines), "--no-cache", *extra,
            expect_exit=0)
        out = {}
        for line in lines.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            out[doc["post"]["url"][-10:]] = {r["id"]: r["status"] for r in doc["rules"]
                                            if r["id"] in ("duplicate-news", "daily-quota")}
        return out

    local = sweep("local", "--jobs", "0")
    assert local == {
        "A.001.html": {"duplicate-news": "ok", "daily-quota": "ok"},
        "A.003.html": {"duplicate-news": "ok", "daily-quota": "violation"},
        "A.002.html": {"duplicate-news": "violation", "daily-quota": "ok"},
    }
    pytest.importorskip("distributed")
    assert sweep("cluster", "--cluster", "local:2") == local
    by_rule = run("report", str(tmp_path / "local.db"), "--by", "rule", "--csv",
                  str(tmp_path / "rules.csv")).stdout
    assert "duplicate-news" in by_rule and "daily-quota" in by_rule
    rows = {line.split(",")[0]: line.split(",") for line in
            (tmp_path / "rules.csv").read_text(encoding="utf-8").splitlines()[1:]}
    assert rows["duplicate-news"][2] == rows["daily-quota"][2] == "1"  # one violation each


def test_report_by_rule_keeps_each_board_s_profile_apart() -> None:
    """A store of Stock and Gossiping posts holds two profiles whose rules share ids: each
    profile gets its own table, named, never two unlabelled rows of one id."""
    import io

    from rich.console import Console

    from linker.i18n import translations
    from linker.models import RuleSummaryRow
    from linker.render.batch import render_rule_table

    rows = [RuleSummaryRow("link-unclickable", "gossiping", 1, 3, 0, "link unclickable", "連結無法點開"),
            RuleSummaryRow("link-unclickable", "stock", 0, 3, 0, "link too long", "網址過長")]
    for lang, first, second in (("en", "by rule (gossiping)", "by rule (stock)"),
                                ("zh-TW", "依板規（gossiping）", "依板規（stock）")):
        buffer = io.StringIO()
        render_rule_table(rows, Console(file=buffer, width=80, color_system=None),
                          translations(lang))
        text = buffer.getvalue()
        assert text.index(first) < text.index("25%") < text.index(second)
        assert text.count("link-unclickable") == 2


def test_the_readme_s_moderator_session_is_what_linker_prints(tmp_path: Path) -> None:
    """Every command of the README's board-rules session, run: its output starts with the
    lines the README shows (up to a line "…")."""
    import shlex

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Board rules"):]
    block = section[section.index("```text\n") + 8:].split("\n```", 1)[0]
    sessions: list[tuple[list[str], list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ linker "):
            args = [str(tmp_path / "board.db") if a == "board.db" else a
                    for a in shlex.split(line[len("$ linker "):])]
            sessions.append((args, []))
        else:
            sessions[-1][1].append(line)
    assert len(sessions) == 4
    for args, shown in sessions:
        out = run(*args, expect_exit=None).stdout
        printed = [line.rstrip() for line in out.splitlines()]
        for i, expected in enumerate(shown):
            if expected.strip() == "…":
                break
            assert printed[i] == expected, (args, i)
        else:
            assert printed == shown, args
