"""What a reader takes from a news page besides its text: the headline, the reporters and the
publish time.

Real outlet pages make these harder than their markup suggests:

- ``<title>`` and often ``og:title`` carry the site's and section's names
  (``… - 政治 - 自由時報電子報``, ``自由電子報 - …``), and some pages' ``og:title`` is only the
  site's name.  The headline a reader sees is the heading on the page; the one a poster copies
  is that heading.  A heading that is also a run of segments of a document title is confirmed
  twice and wins; otherwise the candidate that shares most words with the article's lead does.
- Taiwanese outlets put the byline in the body (``〔記者王大明／台北報導〕``,
  ``（中央社記者王大明台北19日電）``), in a byline element, or in ``<meta name=author>`` next to
  the outlet's names.  Photographers (``王大明攝``, ``圖／記者王大明翻攝``), desks
  (``地方中心／桃園報導``) and datelines (``中央社 澎湖縣28日電``) are not reporters.
- A date is trusted only from structured places: meta tags, JSON-LD, ``<time>``, the dateline
  printed by the headline, and the URL.  Years mentioned in the article text are not dates.

The rules are general: nothing here names an outlet.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import unquote, urlsplit

from linker.compare.normalise import HAN, NOT_LETTER_OR_DIGIT, CharMap, bigrams, han_only, nfkc
from linker.models import TAIPEI

# --- names -------------------------------------------------------------------------------

# The commonest Chinese surnames (Taiwan and mainland), single and compound.  A reporter's name
# starts with one; this is what tells a name from a place or a desk in a dateline.
_SURNAMES = frozenset(
    "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙"
    "顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓阮馬董温溫唐藍石蔣古紀姚連馮歐程湯黄田康姜白汪鄒尤巫鐘"
    "黎涂龔嚴韓袁金童陸夏柳凃邵錢伍倪溫于譚駱熊任甘秦顧毛章史官萬俞雷粘饒張尹房孔易辛武湯麥"
    "喬賀文賈聶殷牛龍關段齊崔常霍焦樊戚左穆車花鄔閻郝牟卜包單祝冉樂晏喻艾舒苗池岳翟安時褚程"
    "孟米葛鮑伍申扶仇成項祁畢鞏雲習佘桂闕全查向裴宮季梅蒲殷郁詹滕欒衛苑藺竇莫邢酈衣滿蘭"
    "陈刘杨许郑谢叶庄吕萧罗钟卢赵颜鲁邓苏孙戴侯沈傅汤兰黄龚严韩袁陆涂邵钱谭骆顾万乔贾聂龙关"
    "齐乐宁闻蒋纪冯欧巫邹尤汪黎陶荣凤阎郝孔严薛华韦邝"
    # What OpenCC's s2t makes of some above (于 → 於, 华 → 華): listed rather than converted
    # at run time, which would load s2t's phrase dictionary (~45 ms) for every Traditional page.
    "塗寧嶽於榮範聞華遊鄺韋餘鬱魯鳳"
)
_COMPOUND_SURNAMES = frozenset((
    "歐陽", "欧阳", "司馬", "司马", "上官", "諸葛", "诸葛", "東方", "东方", "皇甫", "尉遲", "公孫",
    "慕容", "長孫", "宇文", "司徒", "夏侯", "張簡", "范姜", "張廖", "簡陳", "陳李", "江謝", "周黃",
))
# Places that follow a reporter's name in a dateline (記者王大明台北19日電); used only to split
# a name from the place glued to it.
_PLACES = (
    "台北", "臺北", "新北", "桃園", "台中", "臺中", "台南", "臺南", "高雄", "基隆", "新竹", "苗栗",
    "彰化", "南投", "雲林", "嘉義", "屏東", "宜蘭", "花蓮", "台東", "臺東", "澎湖", "金門", "馬祖",
    "連江", "北京", "上海", "香港", "澳門", "廣州", "深圳", "南京", "杭州", "廈門", "福州", "重慶",
    "武漢", "成都", "天津", "東京", "大阪", "首爾", "漢城", "釜山", "仁川", "曼谷", "河內", "馬尼拉",
    "新加坡", "吉隆坡", "雅加達", "新德里", "華盛頓", "紐約", "洛杉磯", "舊金山", "休士頓", "芝加哥",
    "多倫多", "溫哥華", "倫敦", "巴黎", "柏林", "布魯塞爾", "日內瓦", "莫斯科", "羅馬", "雪梨",
    "墨爾本", "聖保羅", "約翰尼斯堡", "開羅", "杜拜", "特拉維夫", "耶路撒冷", "渥太華", "墨西哥",
    "綜合", "外電",
)
_NOT_A_NAME_TRAD = (
    r"中心|新聞|報|社|網|電視|編輯|記者|綜合|外電|特稿|頻道|週刊|周刊|雜誌|公司|小組|團隊|中央|"
    r"本刊|國際|地方|政治|財經|生活|娛樂|體育|影劇|社會|專電|翻攝|攝|提供|時間|地區|部$|組$|"
    r"[縣市鄉鎮區]$|大陸|中國|台灣|臺灣|美國|日本|今日|即時|焦點|要聞|頭條|最新|校對|審校|核稿|"
    r"編譯|撰文|作者|來源|主編|責編|關注|訂閱|分享|登錄|登入|發表|評論|收藏|舉報|留言|點讚|回覆|轉發"
)


@cache
def _not_a_name() -> re.Pattern[str]:
    """Words that are never part of a person's name (desks, outlets, places, credits), in
    both scripts."""
    from linker.compare.normalise import convert

    return re.compile(f"{_NOT_A_NAME_TRAD}|{convert(_NOT_A_NAME_TRAD, 't2s')}")


_HAN = f"[{HAN}]"
# In the byline patterns a name is read as letters other than Latin ones, and checked to be
# Han by is_person_name: the class compiles in microseconds where each copy of the Han range
# costs a millisecond (the byline patterns hold about thirty copies).
_LETTER = r"[^\W\d_A-Za-z]"
_NAME = rf"{_LETTER}{{2,4}}(?:[‧・·•．]{_LETTER}{{1,6}})?"
_NAMES = rf"{_NAME}(?:\s*[、,，及與和]\s*{_NAME})*"
_SLASH = r"\s*[/／╱∕⁄]\s*"
_REPORT = r"(?:[^\s/／╱】〕\])]{0,12}?)(?:報導|报道|專電|专电|電|电|特稿|撰稿)"
# Names separated by spaces, as some outlets print several reporters (陳大明 林小華／台北報導),
# with places that may be spaced too (新北 台南報導), or a compiler's credit (／編譯).
_ROLES = r"(?:實習記者|实习记者|特約記者|特约记者|記者|记者|編譯|编译)"
_NAMES_SPACED = (rf"{_ROLES}?{_NAME}(?:(?:\s*[、,，及與和]\s*|[ \t　]+){_ROLES}?{_NAME})*")
_REPORT_SPACED = r"(?:[^/／╱】〕\])\n]{0,14}?(?:報導|报道)|編譯|编译|整理)"
# Roles printed before a name in a list of credits: the writers keep their place, the
# photographers are left out.
_ROLE_PREFIX = re.compile(r"^(?:本報|本报)?(?:實習記者|实习记者|特約記者|特约记者|駐[^\W\d_]{1,3}記者|"
                          r"記者|记者|編譯|编译|撰文|撰稿|文字)")
_PHOTO_PREFIX = re.compile(r"^(?:攝影記者|摄影记者|攝影|摄影|圖|图)")


@cache
def _both_scripts(words: frozenset[str]) -> frozenset[str]:
    """``words`` with their Simplified forms (one OpenCC call).  The lists hold every
    Traditional form s2t gives of their words (tests/source/test_pagemeta.py checks it)."""
    from linker.compare.normalise import convert

    return words | frozenset(convert("\n".join(sorted(words)), "t2s").split("\n"))


def is_person_name(name: str) -> bool:
    """Whether ``name`` reads as a person's name (2–4 Han characters starting with a surname,
    or a name with a middle dot), not an outlet, desk, place or credit word.

    >>> is_person_name("张申"), is_person_name("高雄"), is_person_name("即時新聞")
    (True, False, False)
    """
    core = re.sub(r"[‧・·•．]", "", name)
    if not han_only(core, 2, 12) or _not_a_name().search(name):
        return False
    if re.search(r"[‧・·•．]", name):
        return True
    if len(core) > 4 or core in _both_scripts(frozenset(_PLACES)):
        return False
    return core[0] in _both_scripts(_SURNAMES) or core[:2] in _both_scripts(_COMPOUND_SURNAMES)


def _split_names(text: str) -> list[str]:
    return [n for n in re.split(r"\s*[、,，及與和_]\s*|\s+", text.strip()) if n]


_EDITOR_WORD = re.compile(r"責任編輯|责任编辑|值班編輯|值班编辑|編輯|编辑|責編|责编|主編|主编|核稿|"
                          r"校對|校对|審校|审校|校稿|編審|编审|美編|美编|編譯|编译|譯者|译者|翻譯|翻译")
_EDITOR_AFTER = re.compile(r"\s*[:：｜|/／]?\s*(?P<names>[^\W\d_A-Za-z]{2,4}(?:(?:\s*[、,，及與和]\s*|"
                           r"[ \t　]+)[^\W\d_A-Za-z]{2,4})*)")
_COMPILER = re.compile(r"編譯|编译")
# Characters NFKC turns into other ideographs (radicals, compatibility ideographs).
_COMPATIBILITY = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_EDITOR_BEFORE = re.compile(r"(?P<names>[^\W\d_A-Za-z]{2,4})\s*[/／]?\s*$")


def editor_names(text: str) -> tuple[str, ...]:
    """The people ``text`` credits as editors, proofreaders, checkers or translators (not
    reporters; a compiler named in the byline itself, 編譯王大明／台北報導, is a writer).

    >>> editor_names("责任编辑：张申")
    ('张申',)
    >>> editor_names("（譯者：何宏儒/核稿：楊昭彥）1120823")
    ('何宏儒', '楊昭彥')
    """
    if not _EDITOR_WORD.search(text) and not _COMPATIBILITY.search(text):
        # No role word, and none NFKC could make: skip normalising a whole page (~7 ms).
        return ()
    text = nfkc(text)
    found: list[str] = []
    # The role words are rare: find them first, then read the names beside them.
    for m in _EDITOR_WORD.finditer(text):
        after = _EDITOR_AFTER.match(text, m.end())
        names = _split_names(after.group("names")) if after else []
        good = [n for n in names if is_person_name(n)]
        if not good and not _COMPILER.match(m.group(0)) and re.match(r"[ \t　]*(?:\n|$)",
                                                                     text[m.end():]):
            # 卓冠齊 編輯: the name before the role word, at the end of a line.
            before = _EDITOR_BEFORE.search(text, max(0, m.start() - 8), m.start())
            good = [n for n in _split_names(before.group("names") if before else "")
                    if is_person_name(n)]
        found += good
    return tuple(_dedupe(found))


def _name_before_place(glued: str) -> str | None:
    """``王大明台北`` → ``王大明``: the reporter's name at the start of a dateline."""
    lengths: tuple[int, ...] = (4, 3) if glued[:2] in _COMPOUND_SURNAMES else (3, 2, 4)
    for n in lengths:
        if any(glued[n:].startswith(p) for p in _PLACES) and is_person_name(glued[:n]):
            return glued[:n]
    for n in lengths:  # no known place follows: the commonest name length
        if len(glued) > n and is_person_name(glued[:n]):
            return glued[:n]
    return None


# A credit after the name makes it a photographer's, unless the credit labels the next name
# (記者王大明 / 攝影 李小華).
_PHOTO_AFTER = re.compile(r"\s*(?:[/／╱:：]\s*)?(?>攝影|翻攝|攝於|拍攝|攝|摄影|摄|提供)"
                          r"(?![ \t　]*[:：｜|/／]?[ \t　]*" + _HAN + "{2})")
_PHOTO_BEFORE = re.compile(r"(?:(?:圖|图|照片|影像|畫面)\s*[/／╱:：]|攝影|摄影)\s*[/／╱:：]?\s*"
                           r"(?:記者|记者)?\s*$")

@cache
def _byline_forms() -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    """The byline patterns and the wire-dateline pattern, compiled on first use (they are
    large: compiling them at import would slow every start)."""
    forms = (
        # 陳大明 林小華／新北 台南報導   編譯茅毅、記者謝守真／綜合報導   陳大明 林小華／編譯
        re.compile(rf"(?:^|[\s　／/])(?P<names>{_NAMES_SPACED}){_SLASH}{_REPORT_SPACED}\s*$", re.M),
        # 【王大明／台北報導】 〔記者甲、乙／台北報導〕 (記者王大明/綜合報導)
        re.compile(rf"[【〔\[(（]\s*(?:[^】〕\])）]{{0,8}}?(?:記者|记者))?\s*(?P<names>{_NAMES})"
                   rf"{_SLASH}{_REPORT}\s*[】〕\])）]"),
        # 【聯合報╱本報記者王大明】 【記者王大明】
        re.compile(rf"[【〔\[]\s*(?:[^】〕\]]{{0,10}}?{_SLASH})?(?:本報)?(?:記者|记者)\s*"
                   rf"(?P<names>{_NAMES})\s*[】〕\]]"),
        # 記者王大明／台北報導  記者：王大明  文／記者王大明  記者 王大明 / 攝影 李小華
        re.compile(rf"(?:^|[\s　(（【〔])(?:文{_SLASH})?(?:本報)?(?:記者|记者)\s*[:：]?\s*"
                   rf"(?P<names>{_NAMES})(?={_SLASH}|\s*(?:報導|报道)|[\s　)）】〕]|$)", re.M),
        # 撰文／王大明  文字：王大明  文｜王大明
        re.compile(rf"(?:^|[\s　(（【〔])(?:撰文|撰稿|文字|採訪|采访|作者|文)\s*[/／╱:：｜|]\s*"
                   rf"(?:記者|记者)?\s*(?P<names>{_NAMES_SPACED})(?=[/／╱｜|\s　)）】〕]|$)", re.M),
        # 王大明／台北報導   王大明／華盛頓4日電   王大明／特稿
        re.compile(rf"(?:^|[\s　])(?P<names>{_NAMES}){_SLASH}{_REPORT}", re.M),
        # （溫大明報導） at the end of a paragraph
        re.compile(rf"[(（](?:記者|记者)?(?P<names>{_NAMES})(?:報導|报道)[)）]"),
        # 石佳/中国青年报 (the writer, then the newspaper that first printed the piece)
        re.compile(rf"^[ \t　]*(?P<names>{_NAMES}){_SLASH}[^\s/／]{{1,12}}?(?:報|报|網|网|社|刊|台|"
                   rf"新聞|新闻)[ \t　]*$", re.M),
        # 澎湃新闻记者 段彦超 廖艳   扬子晚报记者 张楠 (a credit line ending in the names)
        re.compile(rf"^[^\n]{{0,16}}?(?:記者|记者|作者)[ \t　]+(?P<names>{_NAMES_SPACED})[ \t　]*$",
                   re.M),
        # 王大明 李小華 報導 (names separated by spaces in a byline line)
        re.compile(rf"(?:^|[\s　])(?P<names>{_NAME}(?:[ 　]+{_NAME})*)[ 　]+(?:報導|报道)(?:[\s　]|$)",
                   re.M),
    )
    # （中央社記者王大明台北19日電）: the name is glued to the place.
    wire = re.compile(rf"(?:中央社|中新社|新華社|新华社)?(?:記者|记者)(?P<glued>{_LETTER}{{3,14}}?)"
                      r"\s*\d{1,2}\s*日\s*(?:專|专|綜合|综合)?(?:電|电)")
    return forms, wire


@dataclass(frozen=True)
class Byline:
    """A byline as printed, with the reporters' names read from it."""

    names: tuple[str, ...]
    raw: str
    where: str
    """``body`` (in the article text), ``page`` (by the headline), ``element`` (a byline
    element), ``meta`` (meta tags, JSON-LD)."""


def reporter_names(text: str) -> tuple[str, ...]:
    """The reporters named in ``text``: a byline form when there is one, else every word of it
    that reads as a person's name (``王大明、李小華``, ``記者：王大明``)."""
    names = parse_byline(text)
    if names:
        return names
    # Editors credited in the same place are not reporters.
    text = nfkc(text)
    editors = editor_names(text)
    for name in editors:
        text = text.replace(name, " ")
    words = BYLINE_WORDS.sub(" ", text)
    return tuple(n for n in _split_names(words) if is_person_name(n))


BYLINE_WORDS = re.compile(r"記者|记者|報導|报道|綜合|综合|外電|外电|編輯|编辑|攝影|摄影|撰文|特稿|"
                          r"專電|专电|[/／╱:：、,，]")
"""The words and marks of a byline around its names (記者…／…報導)."""


def parse_byline(text: str) -> tuple[str, ...]:
    """The reporters named in a byline string, in order (photographers and desks left out).

    >>> parse_byline("〔記者施曉光、吳亮儀／台北報導〕")
    ('施曉光', '吳亮儀')
    >>> parse_byline("（中央社記者王大明台北19日電）")
    ('王大明',)
    >>> parse_byline("（圖／記者王大明翻攝）")
    ()
    """
    return tuple(_dedupe(n for _raw, names in byline_matches(text) for n in names))


def byline_matches(text: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each byline printed in ``text`` (NFKC-normalised) with the reporters it names."""
    text = nfkc(text)
    forms, wire = _byline_forms()
    taken: list[tuple[int, int]] = []
    for m in wire.finditer(text):
        name = _name_before_place(m.group("glued"))
        if name:
            taken.append(m.span())
            yield m.group(0), (name,)
    for form in forms:
        for m in form.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if _PHOTO_AFTER.match(text, m.end("names")) or _PHOTO_BEFORE.search(
                    text[max(0, m.start("names") - 8):m.start("names")]):
                continue
            tokens = _split_names(m.group("names"))
            # The names end where an editor's credit begins (记者 陆一夫 编辑 刘晓阳); a
            # compiler's credit (編譯茅毅) is a byline's own.
            tokens = list(itertools.takewhile(
                lambda t: not (_EDITOR_WORD.match(t) and not _COMPILER.match(t)), tokens))
            photo = next((i for i, t in enumerate(tokens) if re.search(r"攝|摄|圖|图|照", t)
                          and not is_person_name(_ROLE_PREFIX.sub("", t))), len(tokens))
            names = tuple(_credited(t) for t in tokens[:photo]
                          if not _PHOTO_PREFIX.match(t) and _credited(t))
            if names:
                taken.append(m.span())
                yield m.group(0).strip(), names


def _credited(token: str) -> str:
    """The name in a byline's token, or "": ``記者王大明`` → ``王大明``.  After a role word
    (記者, 編譯) any two to four characters that are no place or desk are a name, rare surname
    or not; without one the name must start with a common surname."""
    name = _ROLE_PREFIX.sub("", token)
    if is_person_name(name):
        return name
    if name != token and han_only(name, 2, 4) and not _not_a_name().search(name) \
            and name not in _both_scripts(frozenset(_PLACES)):
        return name
    return ""


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


# --- dates -------------------------------------------------------------------------------

_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:[\sT\xa0,]*(?P<H>\d{1,2})\s*[:：時]\s*(?P<M>\d{2})(?:\s*[:：]\s*(?P<S>\d{2}))?"
    r"(?:\.\d+)?(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)


def parse_date(text: str | None, *, now: datetime | None = None) -> str | None:
    """The first date in ``text`` as ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` (Taipei time when
    the text gives a time zone), or None.

    >>> parse_date("2013-06-29T10:24:27Z")
    '2013-06-29 18:24'
    >>> parse_date("2013.06.29 04:17 pm")
    '2013-06-29 16:17'
    """
    if not text:
        return None
    latest = (now or datetime.now(TAIPEI)).year + 1
    for m in _DATE.finditer(nfkc(text)):
        try:
            day = datetime(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            continue
        if not 1990 <= day.year <= latest:
            continue
        if m["H"] is None:
            return day.strftime("%Y-%m-%d")
        hour = int(m["H"])
        if m["ampm"]:
            pm = m["ampm"].lower().startswith("p")
            hour = hour % 12 + (12 if pm else 0)
        if hour > 23 or int(m["M"]) > 59:
            return day.strftime("%Y-%m-%d")
        moment = day.replace(hour=hour, minute=int(m["M"]))
        if m["tz"]:
            tz = m["tz"].replace(":", "")
            offset = timedelta(0) if tz == "Z" else timedelta(
                hours=int(tz[1:3]), minutes=int(tz[3:5])) * (1 if tz[0] == "+" else -1)
            moment = (moment - offset).replace(tzinfo=UTC).astimezone(TAIPEI)
        return moment.strftime("%Y-%m-%d %H:%M")
    return None


def _url_date(url: str | None) -> str | None:
    if not url:
        return None
    path = unquote(urlsplit(url).path)
    for pattern in (r"(?<!\d)(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?!\d)",
                    r"(?<![\d])(20\d{2}|19\d{2})(\d{2})(\d{2})(?=\d{0,8}(?:\D|$))"):
        for m in re.finditer(pattern, path):
            found = parse_date(f"{m.group(1)}-{m.group(2)}-{m.group(3)}")
            if found:
                return found
    return None


def _more_precise(a: str | None, b: str | None) -> str | None:
    """Of two readings of one date, the one with a (non-midnight) time."""
    if a is None or b is None or a[:10] != b[:10]:
        return a or b
    if len(b) > len(a) and not b.endswith("00:00"):
        return b
    return a


# --- reading the page --------------------------------------------------------------------

# Between a headline and the site's or section's name in a document title.
SEPARATOR = re.compile(r"\s*[|｜│┃]\s*|\s+[-–—:]\s+|\s*_\s*|\s+::\s+|\s*»\s*|"
                        r"(?<=[" + HAN + r"！？」』）])\s*[-–—]{1,2}\s*(?=" + _HAN + ")")
_SKIP_TAGS = frozenset(("script", "style", "noscript", "select", "option", "textarea", "template",
                        "svg", "iframe"))
_TITLEISH = re.compile(r"title|headline|subject|heading", re.I)
_BYLINEISH = re.compile(r"author|byline|reporter|writer|journalist|source", re.I)
_DATEISH = re.compile(r"date|time|publish|posted|update", re.I)
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "pubdate",
    "publishdate", "publish-date", "publish_date", "publishtime", "datepublished", "date",
    "dc.date", "dc.date.issued", "dcterms.created", "dcterms.issued", "sailthru.date",
    "parsely-pub-date", "article.published", "published_time", "datecreated", "created",
)
_AUTHOR_META = ("author", "article:author", "og:article:author", "dc.creator", "byl",
                "parsely-author", "sailthru.author", "dcterms.creator")


@dataclass(frozen=True)
class PageMeta:
    """The headline, reporters and publish time as a reader would take them from a page."""

    headline: str | None
    headline_source: str | None
    """How the headline was found: ``heading+title`` (a heading that is also the document
    title without its site and section names), ``title`` (document titles agreeing),
    ``heading`` (the heading over the article), ``og:title``…"""
    headlines: tuple[str, ...]
    """Every reading of the headline worth comparing a poster's title with: the headline, the
    document titles with and without their site and section names, the page's h1 headings."""
    titles: tuple[str, ...]
    """The headline and the document titles' readings only (what a repeated headline line in
    the extracted text can be)."""
    reporters: tuple[str, ...]
    bylines: tuple[Byline, ...]
    """Every byline found on the page, the article's first."""
    published: str | None
    published_source: str | None
    sitenames: tuple[str, ...]
    editors: tuple[str, ...] = ()
    """The people the page credits as its editors, proofreaders or checkers."""
    types: tuple[str, ...] = ()
    """The page's own word for what it is: the JSON-LD ``@type`` of its article item(s)
    (``NewsArticle``, ``OpinionNewsArticle``…) and ``og:type``."""
    sections: tuple[str, ...] = ()
    """The sections the page files itself under: JSON-LD ``articleSection``/``genre``,
    ``article:section`` and ``articleSection`` meta tags."""
    canonical: str | None = None
    """The page's canonical address (``<link rel=canonical>``, else ``og:url``)."""


@dataclass(frozen=True)
class _Flat:
    """The page's visible text in document order, with where each element starts."""

    text: str
    starts: dict[Any, int]


def _flatten(root: Any) -> _Flat:
    parts: list[str] = []
    starts: dict[Any, int] = {}
    size = 0

    def walk(el: Any) -> None:
        nonlocal size
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.lower() in _SKIP_TAGS or not isinstance(el.tag, str):
            return
        starts[el] = size
        block = tag.lower() in ("p", "div", "br", "li", "tr", "td", "h1", "h2", "h3", "h4",
                                "section", "article", "header", "table", "ul", "dd", "dt")
        if block:
            parts.append("\n")
            size += 1
        if el.text:
            parts.append(el.text)
            size += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                size += len(child.tail)
        if block:
            parts.append("\n")
            size += 1

    walk(root)
    return _Flat("".join(parts), starts)


def _clean(text: str | None) -> str:
    """Whitespace runs (full-width spaces too) to one space; the characters are kept as
    printed."""
    return re.sub(r"[\s\u3000]+", " ", text or "").strip()


def _key_char(c: str) -> str:
    return "".join(k for k in unicodedata.normalize("NFKC", c).lower()
                   if unicodedata.category(k)[0] in "LN")


_KEYS = CharMap(_key_char)


def text_key(text: str) -> str:
    """A comparison key: NFKC, no punctuation or spaces, lower case."""
    return NOT_LETTER_OR_DIGIT.sub("", nfkc(text).lower())


def _segments(title: str) -> list[str]:
    return [s for s in SEPARATOR.split(title) if s.strip()]


def _cores(title: str) -> list[str]:
    """Runs of a document title's segments from either end: ``A | B | C`` gives A, A | B,
    A | B | C, B | C and C (prefix runs first)."""
    segs = _segments(title)
    if len(segs) <= 1:
        return [title]
    pieces = list(SEPARATOR.finditer(title))
    out: list[str] = []
    starts = [0] + [p.end() for p in pieces]
    ends = [p.start() for p in pieces] + [len(title)]
    for e in ends:
        out.append(title[:e].strip())
    for s in starts[1:]:
        out.append(title[s:].strip())
    return [o for o in out if o]


def json_ld_items(blocks: Iterable[str]) -> list[dict[str, Any]]:
    """Every object inside the given JSON-LD blocks (nested graphs and lists flattened);
    blocks that are not valid JSON are skipped."""
    items: list[dict[str, Any]] = []
    for block in blocks:
        try:
            data = json.loads(block.strip() or "null")
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                items.append(item)
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return items


def json_ld_of(root: Any) -> list[dict[str, Any]]:
    """Every object in the JSON-LD blocks of the page ``root``."""
    return json_ld_items(script.text or "" for script in root.iter("script")
                         if "ld+json" in (script.get("type") or "").lower())


def _metas(root: Any) -> list[tuple[str, str]]:
    out = []
    for meta in root.iter("meta"):
        content = meta.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                out.append((key.strip().lower(), content.strip()))
    return out


def _heading_text(el: Any) -> str:
    """A heading's text without the date or byline printed inside it."""
    texts: list[str] = []

    def walk(node: Any, skip: bool) -> None:
        if not isinstance(node.tag, str) or node.tag.lower() in _SKIP_TAGS:
            return
        attrs = " ".join((node.get("class") or "", node.get("id") or ""))
        hide = skip or node.tag.lower() == "time" or (node is not el and bool(
            _DATEISH.search(attrs) or _BYLINEISH.search(attrs)))
        if node.text and not hide:
            texts.append(node.text)
        for child in node:
            walk(child, hide)
            if child.tail and not hide:
                texts.append(child.tail)

    walk(el, False)
    text = _clean(" ".join(texts))
    return re.sub(r"\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$",
                  "", text)


def _bigrams(text: str) -> set[str]:
    return bigrams(text_key(text))


def _relevance(candidate: str, lead: str) -> float:
    grams = _bigrams(candidate)
    if not grams:
        return 0.0
    lead_grams = _bigrams(lead)
    return len(grams & lead_grams) / len(grams)


def read_page_meta(root: Any, body: str, url: str | None, *,
                   fallback_title: str | None = None, fallback_author: str | None = None,
                   sitename: str | None = None) -> PageMeta:
    """Read the headline, bylines and publish time from a parsed page.

    Args:
        root: the page parsed with ``lxml.html``.
        body: the extracted article text (its lead is matched against headline candidates, and
            bylines are read from its first lines).
        url: the page's URL (dates in the path are trusted).
        fallback_title, fallback_author, sitename: what the extractor found, used only when the
            page itself gives nothing better (its dates are not used: they can be guesses from
            the article text).
    """
    try:
        flat = _flatten(root)
    except RecursionError:  # pathologically deep markup: read it as one block of text
        flat = _Flat(root.text_content(), {root: 0})
    metas = _metas(root)
    ld = json_ld_of(root)
    meta: dict[str, str] = {}
    for key, value in metas:
        meta.setdefault(key, value)

    # The outlet's name, where pages state it: og:site_name, application-name, the JSON-LD
    # publisher, then the shorter meta tags.  The extractor's guess comes last, and only when
    # short: it is sometimes the headline.
    sitenames = _dedupe(_clean(v) for k, v in metas if k in ("og:site_name", "application-name")
                        and v.strip())
    sitenames += [_clean(str(item.get("name"))) for item in ld
                  if str(item.get("@type", "")).lower() in ("organization", "newsmediaorganization")
                  and item.get("name")]
    sitenames += [_clean(v) for k, v in metas if k in ("publisher", "source", "copyright")
                  and 0 < len(v.strip()) <= 30]
    if sitename and len(_clean(sitename)) <= 20:
        sitenames.append(_clean(sitename))
    # A host name (news.example.com) is the outlet's name of last resort.
    sitenames = sorted(_dedupe(sitenames), key=lambda n: bool(re.fullmatch(r"[\w.\-]+\.[a-z]{2,}", n)))
    site_keys = {text_key(s) for s in sitenames if text_key(s)}

    # Document titles: where a page states its own headline.
    doc_titles: list[tuple[str, str]] = []
    title_el = root.find(".//title")
    if title_el is not None and title_el.text_content().strip():
        doc_titles.append(("title", _clean(title_el.text_content())))
    for key in ("og:title", "twitter:title", "title", "headline", "dc.title"):
        if meta.get(key):
            doc_titles.append((key, _clean(meta[key])))
    for item in ld:
        head = item.get("headline")
        if isinstance(head, str) and head.strip():
            doc_titles.append(("json-ld", _clean(head)))
    if fallback_title:
        doc_titles.append(("extractor", _clean(fallback_title)))

    # Headings on the page, with where they sit.
    headings: list[tuple[str, Any, int]] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el not in flat.starts:
            continue
        tag = el.tag.lower()
        attrs = " ".join((el.get("class") or "", el.get("id") or "", el.get("itemprop") or ""))
        rank = {"h1": 0, "h2": 1, "h3": 2}.get(tag)
        if rank is None and _TITLEISH.search(attrs) and tag not in ("a", "meta", "title", "link"):
            rank = 3
        if rank is None:
            continue
        text = _heading_text(el)
        if 4 <= len(text_key(text)) <= 80:
            headings.append((text, el, rank))

    lead = body[:600] + " " + meta.get("description", "") + " " + meta.get("og:description", "")
    headline, source, element = _choose_headline(doc_titles, headings, site_keys, lead)

    variants: list[str] = []
    if headline:
        variants.append(headline)
    for _src, t in doc_titles:
        for core in _cores(t):
            if text_key(core) not in site_keys:
                variants.append(core)
    titled = tuple(_dedupe(v for v in variants if text_key(v)))
    # The page's own headings: an outlet may shorten og:title and <title> while the heading a
    # poster copies stays long.  Every h1, and any heading that reads like the article's lead.
    variants += [h for h, _el, rank in headings
                 if (rank == 0 or _relevance(h, lead) >= 0.5) and not h.rstrip().endswith("。")]
    headlines = tuple(_dedupe(v for v in variants if text_key(v)))

    position = flat.starts.get(element) if element is not None else None
    if position is None and headline:
        found = _key_find(flat.text, headline)
        position = found if found >= 0 else None

    published, published_source = _published(root, metas, ld, flat, position, url)
    bylines = _bylines(root, metas, ld, flat, position, body, fallback_author)
    # A headline is never the outlet; the document title's last segment other than the
    # headline is the outlet's own name for itself (… | ETtoday新聞雲).
    head_key = text_key(headline or "")
    sitenames = [n for n in sitenames if text_key(n) and text_key(n) != head_key
                 and not (len(head_key) >= 6 and head_key in text_key(n))]
    for _src, t in doc_titles[:1]:
        segs = [g for g in _segments(t) if text_key(g) and text_key(g) != head_key]
        if len(_segments(t)) > 1 and segs and len(segs[-1]) <= 20:
            sitenames = _dedupe([*sitenames, segs[-1].strip()])
    sitenames.sort(key=lambda n: bool(re.fullmatch(r"[\w.\-]+\.[a-z]{2,}", n)))
    reporters = next((b.names for b in bylines if b.names), ())
    editors = tuple(n for n in _dedupe([*editor_names(flat.text), *editor_names(body)])
                    if n not in reporters)
    return PageMeta(headline=headline, headline_source=source, headlines=headlines,
                    titles=titled,
                    reporters=reporters, bylines=tuple(bylines), published=published,
                    published_source=published_source, sitenames=tuple(sitenames),
                    editors=editors, types=_types(ld, meta), sections=_sections(ld, metas),
                    canonical=_canonical(root, meta))


_ARTICLE_TYPE = re.compile(r"article|posting|report|review|opinion|editorial|column|blog",
                           re.I)


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [_clean(str(v)) for v in items if isinstance(v, str | int) and str(v).strip()]


def _types(ld: list[dict[str, Any]], meta: dict[str, str]) -> tuple[str, ...]:
    found = [t for item in ld for t in _strings(item.get("@type")) if _ARTICLE_TYPE.search(t)]
    if meta.get("og:type"):
        found.append(_clean(meta["og:type"]))
    return tuple(_dedupe(found))


def _sections(ld: list[dict[str, Any]], metas: list[tuple[str, str]]) -> tuple[str, ...]:
    found: list[str] = []
    for item in ld:
        if any(_ARTICLE_TYPE.search(t) for t in _strings(item.get("@type"))):
            for key in ("articleSection", "genre"):
                found += _strings(item.get(key))
    found += [_clean(v) for k, v in metas if k in ("article:section", "articlesection",
                                                   "og:article:section", "section")]
    return tuple(s for s in _dedupe(found) if 0 < len(s) <= 40)


def _canonical(root: Any, meta: dict[str, str]) -> str | None:
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return str(link.get("href")).strip()
    return meta.get("og:url") or None


def _key_find(text: str, needle: str) -> int:
    """Where ``needle`` starts in ``text``, ignoring spaces and punctuation (or -1)."""
    k = text_key(needle)
    if not k:
        return -1
    at = _KEYS.apply(text).find(k)
    return _KEYS.origins(text)[at] if at >= 0 else -1


def _choose_headline(doc_titles: list[tuple[str, str]], headings: list[tuple[str, Any, int]],
                     site_keys: set[str], lead: str) -> tuple[str | None, str | None, Any]:
    prefix_cores: dict[str, str] = {}
    any_cores: dict[str, str] = {}
    # The extractor's title is read from the page's headings: it cannot confirm one of them.
    for _src, t in [(src, t) for src, t in doc_titles if src != "extractor"]:
        cores = _cores(t)
        segs = _segments(t)
        for i, core in enumerate(cores):
            k = text_key(core)
            if not k or k in site_keys:
                continue
            any_cores.setdefault(k, core)
            if len(segs) == 1 or i < len(segs):
                prefix_cores.setdefault(k, core)
    # 1. A heading that is also a document title without its site and section names.
    # A heading that repeats a whole suffixed title (a share box) is the weaker reading.
    whole = {text_key(t) for _src, t in doc_titles if len(_segments(t)) > 1}
    confirmed = [(h, el, rank) for h, el, rank in headings if text_key(h) in any_cores]
    if confirmed:
        h, el, _rank = max(confirmed, key=lambda c: (
            text_key(c[0]) in prefix_cores, text_key(c[0]) not in whole, -c[2], len(text_key(c[0]))))
        return h, "heading+title", el
    # 2. Document titles that agree with each other (og:title = <title> less its suffix).
    counts: dict[str, int] = {}
    for _src, t in [(src, t) for src, t in doc_titles if src != "extractor"]:
        for k in {text_key(c) for c in _cores(t)}:
            if k in any_cores:
                counts[k] = counts.get(k, 0) + 1
    agreed = [k for k, n in counts.items() if n >= 2 and _relevance(any_cores[k], lead) >= 0.3]
    if agreed:
        k = max(agreed, key=lambda k: (k in prefix_cores, counts[k], len(k)))
        return any_cores[k], "title", None
    # 3. Whatever shares most with the article's lead: a heading or a document title's
    # longest segment (site and section names are short and unrelated to the article).
    pool: list[tuple[float, int, str, str, Any]] = []
    for h, el, rank in headings:
        pool.append((_relevance(h, lead), -rank, h, "heading", el))
    for src, t in doc_titles:
        segs = [s for s in _segments(t) if text_key(s) not in site_keys]
        if segs:
            seg = max(segs, key=lambda s: len(text_key(s)))
            pool.append((_relevance(seg, lead), -5, seg, src, None))
    pool = [p for p in pool if p[0] >= 0.25]
    if pool:
        _score, _rank, text, src, el = max(pool, key=lambda p: (round(p[0], 1), p[1],
                                                                len(text_key(p[2]))))
        return text, src, el
    if doc_titles:
        segs = _segments(doc_titles[0][1])
        return (max(segs, key=lambda s: len(text_key(s))) if segs else doc_titles[0][1],
                doc_titles[0][0], None)
    return None, None, None


def _published(root: Any, metas: list[tuple[str, str]], ld: list[dict[str, Any]], flat: _Flat,
               position: int | None, url: str | None) -> tuple[str | None, str | None]:
    for key in _PUBLISHED_META:
        for k, v in metas:
            if k == key:
                found = parse_date(v)
                if found:
                    return found, f"meta {key}"
    # Outlets' own names for the same thing (apub:time, pubtime, publish-time…).
    for k, v in metas:
        if re.search(r"pub", k) and re.search(r"time|date", k) and not re.search(r"mod|upd", k):
            found = parse_date(v)
            if found:
                return found, f"meta {k}"
    for item in ld:
        for key in ("datePublished", "dateCreated"):
            value = item.get(key)
            if isinstance(value, str) and parse_date(value):
                return parse_date(value), f"json-ld {key}"
    # <time> elements and the dateline printed by the headline, nearest to it first.
    candidates: list[tuple[int, str, str]] = []
    anchor = position if position is not None else 0
    for el in root.iter("time"):
        if el not in flat.starts:
            continue
        found = _more_precise(parse_date(el.get("datetime")), parse_date(el.text_content()))
        if found:
            candidates.append((abs(flat.starts[el] - anchor), found, "time element"))
    if position is not None:
        window = flat.text[max(0, position - 200):position + 600]
        base = max(0, position - 200)
        for m in _DATE.finditer(window):
            found = parse_date(m.group(0))
            if found and _is_dateline(window, m):
                where = base + m.start()
                label = window[max(0, m.start() - 8):m.start()]
                if re.search(r"修改|更正|modified|updated?", label, re.I) and "最新" not in label:
                    continue
                candidates.append((abs(where - position), found, "dateline"))
    if candidates:
        _d, found, src = min(candidates, key=lambda c: c[0])
        return found, src
    found = _url_date(url)
    if found:
        return found, "url"
    return None, None


_CONTROLS = frozenset(("input", "textarea", "button"))
_NOT_BYLINES = _SKIP_TAGS | {"meta", "link"}
"""Elements whose text is never a byline (built once: the byline search tests every element)."""


def _elsewhere(root: Any) -> set[Any]:
    """The elements whose bylines are not the article's: comment threads, boxes of other
    articles, share bars and lists of links, with all they hold, and whatever holds a form's
    control (a comment form, a search box).  A box's inside is not read again: on a portal's
    page most of the page is such boxes (2,600 of 3,100 elements on a 163.com page, 22 ms)."""
    from linker.source.roles import role_of

    out: set[Any] = set()
    todo = [root]
    while todo:
        el = todo.pop()
        if isinstance(el.tag, str):
            if el.tag.lower() in _CONTROLS:
                out.update(el.iterancestors())
            elif role_of(el) in ("comment", "related", "share") or _link_list(el):
                for inner in el.iter():
                    out.add(inner)
                    if isinstance(inner.tag, str) and inner.tag.lower() in _CONTROLS:
                        out.update(inner.iterancestors())
                continue
        todo.extend(el)
    return out


def _link_list(el: Any) -> bool:
    """A list of links to other pages (three or more items, each a link): its authors and
    dates are other articles'."""
    if not isinstance(el.tag, str):
        return False
    items = [li for li in el if isinstance(li.tag, str) and li.tag.lower() == "li"]
    return len(items) >= 3 and all(li.find(".//a") is not None for li in items)


def _is_dateline(text: str, m: re.Match[str]) -> bool:
    """Whether a date stands in a line of its own kind (a dateline, a byline with a time, a
    source line), not inside a sentence of the article: prose dates (這已是2005年8月23日…) are
    what the story is about, not when it was published."""
    date_end = m.start() + len(m.group(0).rstrip())
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", date_end)
    line = text[start:len(text) if end < 0 else end]
    rest = line[:m.start() - start] + line[date_end - start:]
    return "。" not in rest and len(text_key(rest)) <= 40


def _bylines(root: Any, metas: list[tuple[str, str]], ld: list[dict[str, Any]], flat: _Flat,
             position: int | None, body: str, fallback_author: str | None) -> list[Byline]:
    out: list[Byline] = []

    def add(text: str, where: str, loose: bool = False) -> None:
        found = False
        for raw, names in byline_matches(text):
            out.append(Byline(names, raw, where))
            found = True
        if not found and loose:
            credit = text.strip()
            # In a byline place a lone three-character name is a name, whatever its surname
            # (樓, 茅, 冀): the place says so (two or four characters are as often words).
            names = reporter_names(text) or ((credit,) if len(credit) == 3 and _credited(
                "記者" + credit) else ())
            if names or (2 <= len(credit) <= 40 and not re.search(r"https?:|www\.|[。！？]", credit)):
                # A byline place that names no person still credits someone (a desk, an
                # agency, the outlet): a poster may write it as the reporter.
                out.append(Byline(names, credit, where))

    # In the article: its first lines, then a credit at the end of its first paragraph.
    lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
    lead = next((i for i, ln in enumerate(lines[:8]) if len(ln) >= 40), min(len(lines), 8) - 1)
    add("\n".join(ln[:80] for ln in lines[:lead + 1]), "body")
    # By the headline: the stretch of page text from the headline to the article's start.
    if position is not None:
        start = _key_find(flat.text[position:], body[:30]) if body else -1
        stop = position + (start if 0 <= start < 1500 else 400) + 120
        add(flat.text[position:stop], "page")
    # Byline elements, outside comment threads and boxes of other articles (whose authors
    # are not this article's).
    elsewhere = _elsewhere(root)
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag.lower() in _NOT_BYLINES or el in elsewhere:
            continue
        attrs = " ".join((el.get("class") or "", el.get("id") or "", el.get("itemprop") or "",
                          el.get("rel") or ""))
        if _BYLINEISH.search(attrs):
            text = _clean(el.text_content())
            if 2 <= len(text) <= 80:
                add(text, "element", loose=True)
    for key in _AUTHOR_META:
        for k, v in metas:
            if k == key:
                for part in re.split(r"\s*[,，;；]\s*", v):
                    add(part, "meta", loose=True)
    for item in ld:
        author = item.get("author")
        for a in author if isinstance(author, list) else [author]:
            name = a.get("name") if isinstance(a, dict) else a
            if isinstance(name, str):
                add(name, "meta", loose=True)
    if fallback_author:
        for part in re.split(r"\s*[,，;；]\s*", fallback_author):
            add(part, "meta", loose=True)
    # Bylines further down the article (a second story on the same page).
    for ln in lines[lead + 1:]:
        if len(ln) <= 60 or re.search(r"[(（][^()（）]{2,12}(?:報導|报道)[)）]\s*$", ln):
            add(ln[-40:] if len(ln) > 60 else ln, "body")
    return out
