"""Tell the article from what surrounds it on the page.

trafilatura keeps more than the article on many real outlet pages: the headline again,
"字級：" and share bars, dates, photo captions, copyright and hotline boxes, app promotions,
"related news" lists, comment rules.  A reader would not call any of it the article, so a
poster who leaves it out has left nothing out.  This module sorts the extracted lines:

- **furniture** is taken out of the article text (kept in :attr:`Body.furniture`, so a poster
  who copied a caption along is found to have copied it from the page, not to have added it);
- **minor** stretches stay in the text but are not the article proper: the byline and
  dateline, an editor's credit or filing code, and a second story printed under the first
  (a new byline in mid-page).  Leaving them out is never a cut.

The rules look at the shape of a line (its length, its punctuation, where it sits relative to
the article's paragraphs) and at words every Taiwanese and Chinese outlet uses for the same
furniture; there is no table of outlets.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from linker.compare.normalise import HAN
from linker.source.pagemeta import byline_matches, text_key


@lru_cache(maxsize=8192)
def _key(line: str) -> str:
    # Each line is measured by many rules; NFKC of a line with full-width punctuation is the
    # costly part, so it is done once per line.
    return text_key(line)


_SENTENCE = re.compile(r"[。！？!?」』]")
# Photo credits and caption marks, by where they stand in the line.
_PHOTO_CREDIT_END = re.compile(
    r"[(（][^()（）]{0,30}(?:攝|摄|翻攝|提供|資料照|资料照|資料圖|资料图|截圖|截图|圖[/／╱]|图[/／╱]|取自|"
    r"翻拍|傳真)[^()（）]{0,30}[)）]\s*$|(?:報系|资料|資料)照\s*$|(?:圖|图)[/／╱][^。]{1,20}$|"
    r"(?:記者|记者)?[" + HAN + r"]{2,4}\s*[/／╱]?\s*(?:攝影|摄影|攝|摄)\s*$|"
    # 供图 / 视频截图 / 资料图: the mainland forms
    r"(?:供图|供圖)(?:\s*\S{1,12})?\s*$|提供\s*$|"
    r"(?:视频|影片|視頻)截(?:图|圖)[。.]?\s*$|(?:资料|資料)(?:图|圖)(?:片)?\s*[)）]?\s*$|"
    r"[\s　](?:图|圖)\s*$"
)
_PHOTO_CREDIT_SPAN = 66
"""Longer than any :data:`_PHOTO_CREDIT_END` match, spaces inside it not counted (the longest,
a bracketed credit, is 1 + 30 + 3 + 30 + 1 = 65 characters)."""
# 图片来源：… / 图为…
_PHOTO_CREDIT_START = re.compile(
    r"\s*(?:(?:图片|圖片|图像|圖像)(?:来源|來源|来自|來自)\s*[:：，,]|(?:图|圖)(?:为|為|：|:))")
_PHOTO_CREDIT_ANYWHERE = re.compile(r"本文(?:图片|圖片|照片)")
_PHOTO_CREDIT_WORD = re.compile(r"[攝摄照圖图]|提供|取自|翻拍|傳真")
"""Every :data:`_PHOTO_CREDIT_END` form holds one of these."""


def _photo_credit(line: str) -> bool:
    """Whether ``line`` carries a photo credit.  The end-anchored forms are tried only in the
    line's tail, where any match must lie, and only when it holds one of their words: tried
    at every character of a paragraph they cost about a millisecond per hundred lines."""
    if _PHOTO_CREDIT_START.match(line) or _PHOTO_CREDIT_ANYWHERE.search(line):
        return True
    spaces = len(line) - len("".join(line.split()))
    tail = max(0, len(line) - _PHOTO_CREDIT_SPAN - spaces)
    return bool(_PHOTO_CREDIT_WORD.search(line, tail) and _PHOTO_CREDIT_END.search(line, tail))


_CAPTION_MARK = re.compile(r"^\s*[▲▼△▽►▶◀︿]")
# Boxes and notices that are never article text, wherever they sit (lines up to ~120 chars).
_NOTICE = re.compile(
    # copyright and reprint notices
    r"版權所有|版权所有|不得轉載|不得转载|禁止轉載|禁止转载|著作權聲明|著作权声明|All Rights Reserved|"
    r"^\s*[©®]|Copyright\s*©|"
    # paywall, expiry and browser notices
    r"查詢時效|查询时效|已過.{0,8}時效|最佳的?瀏覽體驗|最佳的?浏览体验|瀏覽器.{0,12}(?:版本|更新|不支援)|"
    r"浏览器.{0,12}(?:版本|更新|不支持)|(?:不支援|不支持).{0,6}(?:繁體|繁体|简体|簡體)|"
    # cookie and privacy consent banners
    r"(?:本網站|本网站|本站).{0,30}(?:Cookie|cookie|技術|技术).{0,60}(?:隱私|隐私|同意)|"
    r"(?:隱私權|隐私权|隱私政策|隐私政策).{0,20}(?:同意|接受)|(?:同意|接受).{0,12}(?:隱私權|隐私权|Cookie)|"
    # promotions set into the article in brackets (熱門點閱：…)
    r"[(（【\[](?:熱門點閱|热门点阅|延伸閱讀|延伸阅读|推薦閱讀|推荐阅读|相關新聞|相关新闻|更多新聞|"
    r"你可能也會喜歡|你可能也会喜欢|編輯推薦|编辑推荐)|"
    # help lines (a hotline's name with its number) and statutory warnings
    r"(?:安心專線|安心专线|生命線|生命线|張老師|张老师|自殺防治|自杀防治|珍惜生命).{0,40}"
    r"(?:\d{4}|0800)|自殺不能解決|自杀不能解决|追蹤更多|追踪更多|"
    # reprint notes and disclaimers (investment news ends with one)
    r"授權轉載|授权转载|經授權|本文轉載自|本文转载自|文章來源[:：]|原文出處|"
    r"僅代表.{0,10}(?:觀點|立場|意見)|不代表本.{0,4}立場|自負投資風險|自负投资风险|投資人應.{0,10}審慎|"
    r"僅供參考.{0,20}(?:投資|風險)|仅代表.{0,10}(?:观点|立场)|免责声明|免責聲明|投資涉風險|投资有风险|"
    # where the text came from, and where to read more: the portal's, not the article's
    r"^\s*[(（]?\s*本文(?:来自|來自|转自|轉自|来源|來源)|更多原创资讯|更多原創資訊|"
    r"(?:APP|App|app).{0,16}(?:最新版本|請立即更新|请立即更新)|二维码|二維碼|扫一扫|掃一掃|"
    r"关注(?:我们|公众号|微信)|關注(?:我們|公眾號)|^\s*已收藏|您可通过|您可透過|"
    # news-tip lines and comment-section disclaimers
    r"(?:獨家|独家|立即)(?:報料|报料)|(?:報料|报料|爆料)(?:熱線|热线|專線|专线|信箱|電話|电话)|"
    r"(?:并不表明|並不表明|不代表|不表明).{0,8}(?:立场|立場|观点|觀點)|"
    r"(?:网友|網友)(?:评论|評論|留言).{0,8}(?:仅供|僅供|仅代表|僅代表)|"
    r"转载请注明|轉載請註明|转载请联系|轉載請聯繫|^\s*(?:作者|筆者|笔者)(?:为|為|係|是)"
)
# Link labels: a short line that only sends the reader elsewhere (按此, 點我看…, 直播連結：).
_LINK_LABEL = re.compile(r"按此|點此|点此|點我|点我|點擊|点击|請點|请点|連結[:：]|链接[:：]|"
                         r"網址[:：]|网址[:：]|可按此查閱|立即收看|立即下載|立即下载|"
                         r"繼續往下閱讀|继续往下阅读|繼續閱讀|继续阅读|閱讀全文|阅读全文|展開全文|"
                         r"展开全文|進入專題|进入专题|👉")
# A separator drawn with dashes or equals signs: what follows is the page's, not the article's.
_SEPARATOR = re.compile(r"^\s*(?:[-—－=＝_＿*＊~～#]\s*){3,}")
# Notes on the article's own title (原標題：…), printed above or below it.
_TITLE_NOTE = re.compile(r"^\s*[(（\[【]?\s*(?:(?:本文)?(?:原标题|原標題|原题|原題|原文标题|原文標題)"
                         r"\s*(?:为|為)?\s*[:：《]|(?:内容|內容)?(?:摘要|导语|導語|导读|導讀|编者按|編者按|"
                         r"編按|编按|點評|点评|小編按|小编按)\s*[:：】\]])")
# A credit line of who wrote, compiled or first published the text (原創：…, 作者：…).
_CREDIT_LINE = re.compile(r"^\s*(?:原创|原創|作者|来源|來源|出处|出處|转载自|轉載自|编译|編譯)\s*[:：]")
# Embedded social posts as they read once their markup is gone: a tweet signs off with
# "— Name (@handle) date" and carries pic.twitter.com links; other embeds name their site.
_EMBED_TEXT = re.compile(
    r"pic\.twitter\.com/|(?:^|\s)[—–-]\s*[^\n()]{1,60}\(@\w{1,30}\)\s*\w+|"
    r"^\s*(?:A post shared by|View this post on Instagram|在 Instagram 查看這則貼文|"
    r"在 Instagram 查看这篇帖子|Watch on YouTube|在 YouTube 觀看)", re.I)
# Statutory warnings, which articles also quote: furniture only as a line of their own.
_WARNING = re.compile(r"飲酒過量|饮酒过量|未成年請勿飲酒|未成年请勿饮酒|吸菸有害|吸烟有害|警語")
# Calls to act that are furniture on a line of their own (a paragraph may mention them).
_PROMPT = re.compile(
    r"歡迎下載|欢迎下载|下載.{0,12}(?:APP|App|app)|下载.{0,12}(?:APP|App|app)|App Store|Google Play|"
    r"還想看更多|还想看更多|粉絲團|粉丝团|粉絲專頁|加入.{0,10}(?:LINE|Line|好友|粉絲|會員)|按讚|點我|"
    r"更多精彩|看更多|更多新聞|更多文章|更多報導|訂閱電子報|@[\w.-]+\.(?:com|net|org|tw)|"
    r"(?:盡在|尽在|就在|請下載|请下载).{0,16}(?:APP|App|app)\s*$"
)
# Words of page widgets: furniture only as a short label without a sentence.
_WIDGET = re.compile(r"追蹤|追踪|訂閱|订阅|投稿|讀者迴響|網友回應|网友回应|留言|討論|讨论|驗證碼|验证码|"
                     r"收件人|Email|email")
_RELATED = re.compile(
    r"^[\s※【\[〈《]*(?:延伸閱讀|延伸阅读|相關新聞|相关新闻|相關報導|相关报道|延伸新聞|推薦閱讀|推荐阅读|"
    r"你可能還想看|你可能还想看|你可能也會喜歡|你可能也会喜欢|您可能會有興趣|猜你喜歡|猜你喜欢|"
    r"熱門新聞|热门新闻|最新新聞|最新新闻|"
    r"看更多|更多新聞|更多|熱門|热门|精選|精选|推薦|推荐|相關|相关|本日最夯|人氣|排行)"
)
_UI_WORDS = re.compile(
    r"^(?:字級|字级|字型|字體|分享|列印|打印|轉寄|转寄|友善列印|收藏|加入書籤|書籤|訂閱|订阅|留言數?|"
    r"評論|评论|網友回應|贊助商廣告|赞助商广告|廣告|广告|我要評比|發送推文|訊息|回首頁|回到頂端|TOP|"
    r"上一則|下一則|上一篇|下一篇|返回|關閉|分享到|Facebook|Line|LINE|Twitter|Email|E-mail|Plurk|"
    r"標籤|标签|關鍵字|关键字|tags?|Tags?|[▲▼]?\s*TOP|點閱|閱讀|人氣|讚|按讚|你的姓名|你的 ?Email)"
)
_DATE_LINE = re.compile(
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}\s*[:：]\s*\d{2}"
    r"(?:\s*[:：]\s*\d{2})?)?"
)
_DATE_LABEL = re.compile(r"最新|更新|修改|發布|发布|發佈|時間|时间|日期|上架|刊出|出刊|[:：()（）]|am|pm",
                         re.I)
_HASHTAGS = re.compile(r"^(?:\s*[#＃]\S+){2,}\s*$")
_LEAD_CREDIT = re.compile(
    r"^\s*[【〔\[(（][^】〕\])）]{0,30}?(?:報導|报道|電|电|本報訊|本报讯|綜合|综合|外電|外电)[^】〕\])）]{0,6}"
    r"[】〕\])）]"
)
_TRAIL_CREDIT = re.compile(
    r"[(（](?:[^()（）]{0,12}(?:報導|报道)|(?:責任)?(?:編輯|编辑|校對|校对|譯者|译者)[:：/／]?[^()（）]{1,20}|"
    r"中央社|中新社|新華社|新华社)[)）]\s*(?:\d{6,8})?\s*$"
)
_TRAIL_CODE = re.compile(r"(?<=[。」』！？!?)）])\s*\d{6,8}\s*$")
_DESK_BYLINE = re.compile(
    r"^[【〔\[(（]?\s*[^\s/／╱。，]{2,14}\s*[/／╱]\s*[^\s/／╱。，]{0,10}(?:報導|报道|專電|专电|電|电)\s*"
    r"[】〕\])）]?$"
)



@dataclass(frozen=True)
class Body:
    """The article text with page furniture taken out."""

    text: str
    furniture: tuple[str, ...]
    """The lines taken out, in page order."""
    minor: tuple[tuple[int, int, str], ...]
    """``(start, end, kind)`` stretches of ``text`` that are not the article proper:
    ``byline``, ``deck`` (short lines above the first paragraph: a subtitle, a section label),
    ``credit`` (an editor's credit or filing code) or ``companion`` (another story printed under
    the article)."""


def _cells(line: str) -> list[str]:
    """A layout-table row (``| a | b |``) as its non-empty cells."""
    if line.lstrip().startswith("|") and line.count("|") >= 2:
        return [c.strip() for c in line.strip().strip("|").split("|") if c.strip()]
    return [line]


_TRAIL_BRACKET = re.compile(r"(?<=[。！？!?」』”])\s*[(（【\[][^()（）【】\[\]]{4,80}[)）】\]]\s*$")


def _trailing_notice(line: str) -> re.Match[str] | None:
    """A notice in brackets closing a paragraph's line ("…至关重要。(本文来自…APP)"): the
    paragraph is the article's, only the notice is not."""
    m = _TRAIL_BRACKET.search(line)
    if m and _NOTICE.search(m.group(0)) and len(_key(line[:m.start()])) >= 20:
        return m
    return None


def _is_prose(line: str) -> bool:
    """A line of running text: a sentence, or long enough to be one."""
    k = _key(line)
    return bool(_SENTENCE.search(line) and len(k) >= 12) or len(k) >= 50


def _is_paragraph(line: str) -> bool:
    """Running text that ends like a paragraph does (not a form's help text or a teaser)."""
    k = _key(line)
    # A paragraph closed by an editor's credit or a filing code ends where its sentence does.
    end = _TRAIL_CODE.sub("", _TRAIL_CREDIT.sub("", line.rstrip())).rstrip()
    if end.endswith(("…", "...", "⋯")) and not end.endswith(("。…", "」…")):
        return False  # a teaser cut short: a feed's item, not the article's paragraph
    return len(k) >= 60 or (len(k) >= 4 and bool(re.search(r"。[」』”)）]*$", end))) or (
        len(k) >= 20 and bool(re.search(r"[！？!?][」』”)）]*$", end)))


def _is_heading_line(line: str) -> bool:
    """A short line that is no sentence: a story's heading."""
    return len(_key(line)) <= 30 and not _SENTENCE.search(line) and not _is_paragraph(line)


def _is_caption(line: str) -> bool:
    k = _key(line)
    return bool(_CAPTION_MARK.match(line)) or (len(k) <= 160 and _photo_credit(line))


def _is_date_line(line: str) -> bool:
    m = _DATE_LINE.search(line)
    if not m:
        return False
    rest = _DATE_LABEL.sub("", line[:m.start()] + line[m.end():])
    return len(_key(rest)) <= 4


def _is_ui(line: str) -> bool:
    k = _key(line)
    stripped = line.strip()
    if not k:
        return True
    if len(k) <= 10 and stripped.endswith((":", "：")):
        return True
    if re.fullmatch(r"[\d,]+\s*(?:點閱|人氣|次?瀏覽|閱讀|則留言|留言|讚|views?|likes?)", stripped, re.I):
        return True
    return len(k) <= 14 and bool(_UI_WORDS.match(stripped.lstrip("*-•· ")))


def _is_headline(line: str, headline_keys: Sequence[str]) -> bool:
    k = _key(line)
    if not k:
        return False
    k_no_date = _key(_DATE_LINE.sub("", line))
    for h in headline_keys:
        if h in (k, k_no_date):
            return True
        # 標題：<headline> in a share form
        if len(h) >= 6 and k.endswith(h) and len(k) - len(h) <= 4:
            return True
    return False


def _is_byline_line(line: str) -> bool:
    """A line that is only a byline (or a desk's or dateline's credit)."""
    k = _key(line)
    if len(k) > 40:
        return False
    if _DESK_BYLINE.match(line.strip()) or _LEAD_CREDIT.fullmatch(line.strip()):
        return True
    rest = k
    for raw, _names in byline_matches(line):
        rest = rest.replace(_key(raw), "", 1)
    return rest != k and len(rest) <= 4


def clean(text: str, headlines: Sequence[str] = (), decks: Sequence[str] = ()) -> Body:
    """Split extracted text into the article and the page furniture around it.

    Args:
        headlines: readings of the page's headline (a line repeating it is no article text).
        decks: standfirsts and summaries the page prints above its body (see
            :mod:`linker.source.roles`): kept, and marked as not the article proper.
    """
    # A headline is never a sentence: a heading that ends like one is a summary, not a title.
    headline_keys = [k for k in (_key(h) for h in headlines if not h.rstrip().endswith("。"))
                     if len(k) >= 4]
    lines = []
    table_cells: set[str] = set()
    for raw in text.splitlines():
        cells = _cells(raw)
        if cells != [raw]:
            table_cells.update(c.strip() for c in cells if not _is_paragraph(c))
        lines += [c.strip() for c in cells]
    kinds: list[str] = []
    for ln in lines:
        if not _key(ln):
            kinds.append("empty")
        elif _is_headline(ln, headline_keys):
            kinds.append("headline")
        elif _is_ui(ln):
            kinds.append("ui")
        elif _is_date_line(ln):
            kinds.append("date")
        elif _HASHTAGS.match(ln):
            kinds.append("tags")
        elif _is_caption(ln):
            kinds.append("caption")
        elif len(_key(ln)) <= 400 and _EMBED_TEXT.search(ln):
            kinds.append("embed")
        elif _SEPARATOR.match(ln) and len(_key(_SEPARATOR.sub("", ln))) <= 200:
            kinds.append("separator")
        elif (len(_key(ln)) <= 40 and _LINK_LABEL.search(ln)) or (
                len(_key(ln)) <= 200 and _NOTICE.search(ln) and not _trailing_notice(ln)) or (
                len(_key(ln)) <= 60 and _PROMPT.search(ln)) or (
                len(_key(ln)) <= 30 and _WARNING.search(ln)) or (
                len(_key(ln)) <= 24 and _WIDGET.search(ln) and not _SENTENCE.search(ln)):
            kinds.append("notice")
        elif ln.startswith(("- ", "* ", "• ")):
            kinds.append("item")
        elif _is_prose(ln):
            kinds.append("prose")
        else:
            kinds.append("short")

    # The article runs from its first to its last paragraph that reads as finished text.
    prose = [i for i, k in enumerate(kinds) if k == "prose" and _is_paragraph(lines[i])]
    if not prose:
        prose = [i for i, k in enumerate(kinds) if k == "prose"]
    if not prose:  # nothing reads as running text: keep what is not clearly furniture
        keep = [i for i, k in enumerate(kinds) if k in ("short", "item", "prose")]
        return _assemble(lines, keep, set(range(len(lines))) - set(keep), decks, table_cells)
    first, last = prose[0], prose[-1]

    drop: set[int] = set()
    for i, k in enumerate(kinds):
        if k in ("empty", "headline", "ui", "date", "tags", "caption", "notice", "separator",
                 "embed"):
            drop.add(i)
    # A separator after the article opens the page's footer (promotions, other stories).
    cut = next((i for i in range(first + 1, len(lines)) if kinds[i] == "separator"), None)
    if cut is not None:
        drop.update(range(cut, len(lines)))
    # Before the article: anything above a repeated headline is the page's header.
    heads = [i for i in range(first) if kinds[i] == "headline"]
    if heads:
        drop.update(range(heads[-1]))
    # After it: lists, keyword rows, forms and teasers are the page's footer.
    drop.update(range(last + 1, len(lines)))
    # Inside it: a "related news" heading opens a list that runs until the article resumes.
    in_list = False
    for i in range(first, last + 1):
        ln = lines[i]
        if kinds[i] in ("short", "item", "notice", "ui") and _RELATED.match(ln) and len(_key(ln)) <= 16:
            in_list = True
            drop.add(i)
            continue
        if in_list:
            if kinds[i] == "prose" and len(_key(ln)) >= 40 and not ln.startswith(("- ", "* ")):
                in_list = False
            else:
                drop.add(i)
    keep = [i for i in range(len(lines)) if i not in drop]
    return _assemble(lines, keep, drop, decks, table_cells)


def _assemble(lines: list[str], keep: list[int], drop: set[int],
              decks: Sequence[str] = (), table_cells: Collection[str] = ()) -> Body:
    kept = [lines[i] for i in keep]
    furniture = tuple(lines[i] for i in sorted(drop) if _key(lines[i]))
    text = "\n".join(kept)
    minor: list[tuple[int, int, str]] = []
    offsets = []
    pos = 0
    for ln in kept:
        offsets.append(pos)
        pos += len(ln) + 1
    deck_keys = {k for k in (_key(d) for d in decks) if len(k) >= 8}
    seen_article = False
    companion_from: int | None = None
    for n, ln in enumerate(kept):
        start = offsets[n]
        if _key(ln) in deck_keys or _TITLE_NOTE.match(ln) or (
                not seen_article and _CREDIT_LINE.match(ln) and len(_key(ln)) <= 40) or (
                not seen_article and ln.startswith(("- ", "* ", "• "))):
            # (A list above the first paragraph is a summary of key points, 划重点.)
            # A standfirst, a note of the original title, a credit line above the article.
            minor.append((start, start + len(ln), "deck"))
            continue
        if ln in table_cells:
            # A data table's cells: its figures are the article's, but a poster who leaves the
            # table out has cut no sentence.
            minor.append((start, start + len(ln), "table"))
            continue
        if not seen_article and not _is_paragraph(ln) and not _is_byline_line(ln):
            # Above the first paragraph: a deck, a section label, an editor's note, a name
            # without its form.
            minor.append((start, start + len(ln), "deck"))
            continue
        if _is_byline_line(ln):
            if seen_article and companion_from is None and any(
                    _is_paragraph(later) and len(_key(later)) >= 40 for later in kept[n + 1:]):
                # A byline with paragraphs after it, once the article has begun, opens another
                # story; its own heading, a short line just above, belongs to it.  A byline
                # with nothing after it is the article's own, printed at its end.
                companion_from = n - 1 if n > 0 and _is_heading_line(kept[n - 1]) else n
            if companion_from is None:
                minor.append((start, start + len(ln), "byline"))
            continue
        lead = _LEAD_CREDIT.match(ln)
        if lead:
            minor.append((start, start + lead.end(), "byline"))
        trail = _TRAIL_CREDIT.search(ln) or _TRAIL_CODE.search(ln) or _trailing_notice(ln)
        if trail and trail.start() > 0:
            minor.append((start + trail.start(), start + len(ln), "credit"))
        if _is_paragraph(ln) and len(_key(ln)) >= 20:
            seen_article = True
    if companion_from is not None:
        minor.append((offsets[companion_from], len(text), "companion"))
    return Body(text=text, furniture=furniture, minor=tuple(sorted(minor)))
