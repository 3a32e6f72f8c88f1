"""Telling the article from the furniture around it in extracted text (linker.source.boilerplate),
and what a repost that leaves the furniture out, or copies it, is judged."""

from __future__ import annotations

import pytest

from linker.compare.findings import compare
from linker.source.boilerplate import clean

P1 = "颱風白鷺今天持續向西北移動，氣象局預估暴風圈最快明天清晨接觸東部陸地，沿海居民務必嚴加戒備。"
P2 = "東岸三座漁港已有超過四百艘漁船進港避風，港務單位呼籲民眾不要前往海邊觀浪，以免發生危險。"
P3 = "氣象局指出，白鷺颱風中心氣壓為九百五十五百帕，近中心最大風速每秒四十三公尺，暴風半徑達兩百公里。"
P4 = "地方政府已開設災害應變中心，並預先撤離低窪地區居民共計一百二十六人，消防局也在各鄉鎮預置抽水機。"


def serious(quote: str, source_lines: list[str]) -> list[str]:
    body = clean("\n".join(source_lines))
    found = compare(quote, body.text, minor=body.minor).findings
    return [f"{f.kind} {f.severity} {f.note}" for f in found if f.severity != "low"]


def test_a_dropped_last_paragraph_is_an_omission() -> None:
    """With a byline closing the article, the last paragraph is still the article's: leaving
    it out is a cut tail, not 'a second story under the article'."""
    source = ["記者周文彬／台東報導", P1, P2, P3, P4, "新京報記者 周文彬", "編輯 劉曉陽 校對 李銘"]
    found = serious("\n".join([P1, P2, P3]), source)
    assert any(f.startswith("omitted medium") for f in found)
    assert serious("\n".join([P1, P2, P3, P4]), source) == []


def test_a_second_story_under_the_article_is_not_the_article() -> None:
    second = "漁會理事長今天表示，漁民損失將由漁會協助申請補助，相關表單已經放在漁會官方網站上供大家下載。"
    source = [P1, P2, P3, "漁會將協助申請補助", "〔記者林小華／台東報導〕", second]
    assert serious("\n".join([P1, P2, P3]), source) == []


@pytest.mark.parametrize("note", ["（原標題：颱風來了 漁港擠滿船）", "原标题：台风来了 渔港挤满船",
                                  "原創： 周文彬 虛構日報", "[摘要：颱風逼近，漁港擠滿避風漁船。]",
                                  "編按：本文為颱風系列報導之一"])
def test_notes_above_the_article_are_not_a_cut_head(note: str) -> None:
    assert serious("\n".join([P1, P2, P3]), [note, P1, P2, P3]) == []


@pytest.mark.parametrize("tail", [
    "(本文來自虛構新聞，更多原創資訊請下載「虛構新聞」APP)",
    "免責聲明：本文僅代表作者觀點，不代表本網立場。",
    "網友評論僅供其表達個人看法，並不表明本網立場。",
    "本文為周文彬授權虛構財經專欄發布，轉載請註明出處。",
    "你的獨家報料一旦被採用及報導，將獲得乙份獎品。",
    "本網站使用相關技術提供更好的閱讀體驗，同時尊重使用者隱私，點這裡了解隱私權政策，繼續瀏覽即表示同意。",
    "“只有潮水退了才知道谁在裸泳”，巴菲特的这句名言在今年的市场上再次得到了验证，不少基金经理...",
])
def test_notices_and_feed_items_after_the_article_are_not_a_cut_tail(tail: str) -> None:
    assert serious("\n".join([P1, P2, P3]), [P1, P2, P3, tail]) == []


def test_a_notice_closing_the_last_paragraph_leaves_the_paragraph() -> None:
    source = [P1, P2, P3 + "(本文來自虛構新聞，更多原創資訊請下載「虛構新聞」APP)"]
    assert P3 in clean("\n".join(source)).text
    assert any(f.startswith("omitted medium") for f in serious("\n".join([P1, P2]), source))


def test_a_paragraph_closed_by_a_credit_and_filing_code_is_the_last_paragraph() -> None:
    source = [P1, P2, P3 + "（編輯：李亨山）1120823"]
    assert P3 in clean("\n".join(source)).text


@pytest.mark.parametrize("caption", ["漁船進港避風。虛構漁會供图", "图片来源：虛構漁會", "图为漁港現況。",
                                     "漁港停滿船隻。 本文图片除特别标注外，均为记者周文彬 图",
                                     "▲漁港停滿船隻。（圖／記者周文彬攝）"])
def test_captions_by_their_wording(caption: str) -> None:
    body = clean("\n".join([P1, P2, caption, P3]))
    assert caption not in body.text


@pytest.mark.parametrize("caption", [
    # A credit closing a long caption: only the line's tail is searched for it.
    "漁船一艘接一艘駛進漁港避風，碼頭上的漁民忙著加固纜繩，港務人員也在現場指揮調度船隻，"
    "風雨漸大。（記者周文彬攝）",
    # Spaces inside the credit stretch how far back it may start.
    "漁港停滿船隻，漁民加固纜繩。 記者周文彬" + " " * 80 + "攝",
])
def test_photo_credits_at_the_end_of_long_captions(caption: str) -> None:
    assert caption not in clean("\n".join([P1, P2, caption, P3])).text


def test_a_credit_word_early_in_a_paragraph_does_not_make_it_a_caption() -> None:
    # 照片 and 提供 early in the line, nothing credit-like at its end.
    line = "漁會提供的照片顯示，漁船進港避風，港務人員在現場指揮調度，漁民也忙著加固纜繩。"
    assert line in clean("\n".join([P1, line, P2, P3])).text


def test_a_data_table_left_out_is_no_cut_but_a_changed_figure_is() -> None:
    table = ["| 指數 | 收市 | 升跌 |", "| 乾散貨 | 1403 | -4 |", "| 原油 | 1481 | -27 |"]
    source = [P1, *table, P2]
    assert serious("\n".join([P1, P2]), source) == []
    changed = "\n".join([P1, "指數 收市 升跌", "乾散貨 1409 -4", "原油 1481 -27", P2])
    assert any("number changed" in f for f in serious(changed, source))


def test_a_number_changed_in_a_subheading_is_still_a_number() -> None:
    source = [P1, "將提供4日半價乘車", P2]
    assert any("number changed" in f for f in serious("\n".join([P1, "將提供11日半價乘車", P2]), source))


def test_a_link_left_out_is_low() -> None:
    source = [P1, P2 + "平台連結：（https://example.gov.tw/）", P3]
    quote = "\n".join([P1, P2 + "平台連結:", P3])
    assert serious(quote, source) == []
