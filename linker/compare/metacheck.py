"""The metadata checks: does the post's title, reporter, publish time and link agree with the
page, and did the poster write a commentary?

The page side comes from :mod:`linker.source.pagemeta` through :class:`linker.source.extract.Article`.  Titles
are compared the way board rules read them: any inserted, removed or changed word is a
mismatch; punctuation, spacing and script (Simplified/Traditional) are not.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from linker.compare.normalise import CONVERSIONS, Folded, canonical, convert, fold
from linker.messages import Msg, joined
from linker.models import Article, CheckItem, CheckStatus, Post
from linker.source.extract import page_text
from linker.source.pagemeta import BYLINE_WORDS, SEPARATOR, parse_byline, parse_date, reporter_names

_REPRINT_HOSTS = ("yahoo.com", "line.me", "today.line.me", "msn.com", "pchome.com.tw",
                  "hinet.net", "google.com")
# Media-type tags outlets attach to headlines ((影), 〈圖〉, 快訊／): a poster may keep or drop
# them without changing the headline.
_MEDIA_TAG = re.compile(r"[（(〈《【\[]\s*(?:影|圖|多圖|組圖|影音|影片|更新|快訊|獨家|直播|最新|懶人包|"
                        r"有片|專訪|圖輯|即時|圖表)\s*[)）〉》】\]]")
_LABEL = re.compile(r"^\s*(?:快訊|獨家|影|圖|影音|更新|直播|最新|即時|組圖|專訪)\s*[／/|｜:：]\s*")




def _folded(text: str | None) -> str:
    return canonical(text or "")


def bbs_title(post: Post) -> str | None:
    """The post's BBS title without its ``[新聞]``/``Re:`` prefix."""
    if not post.title:
        return None
    title = post.title
    if post.title_prefix and title.startswith(post.title_prefix):
        title = title[len(post.title_prefix):]
    return title.strip() or None


def mark_differences(given: str, reference: str) -> str:
    """``given`` with the differences from ``reference`` marked the way the plain view marks
    them: ``[+added]``, ``[-left out]``, ``[~reference→given]``.  Punctuation, spacing and
    script differences are not marked.

    >>> mark_differences("售桃園廠?震驚 定穎股價跳", "售桃園廠 定穎股價跳")
    '售桃園廠?[+震驚] 定穎股價跳'
    """
    fg, fr = fold(given), fold(reference)
    out: list[str] = []
    pos = 0  # original offset in ``given`` copied so far
    for op, a0, a1, b0, b1 in SequenceMatcher(None, fg.text, fr.text, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        start, end = _original_span(fg, a0, a1)
        ref_start, ref_end = _original_span(fr, b0, b1)
        out.append(given[pos:start])
        old = reference[ref_start:ref_end]
        if op == "insert":
            out.append(f"[-{old}]")
        elif op == "delete":
            out.append(f"[+{given[start:end]}]")
        else:
            out.append(f"[~{old}→{given[start:end]}]")
        pos = end
    out.append(given[pos:])
    return "".join(out)


def _original_span(f: Folded, start: int, end: int) -> tuple[int, int]:
    if start == end:
        point = f.point(start)
        return point, point
    return f.span(start, end, extend=False)


def _untagged(title: str) -> str:
    """A headline without its media-type tags: ``快訊／颱風來了（影）`` → ``颱風來了``."""
    return _LABEL.sub("", _MEDIA_TAG.sub("", title)).strip()


def _with_site_name(given: str, article: Article, keyed: dict[str, str]) -> bool:
    """Whether ``given`` is a headline reading followed by site or section names that the page's
    own titles print (``… ｜虛構新聞網``): nothing of the poster's own was added."""
    segments = [m.start() for m in SEPARATOR.finditer(given)]
    printed = [_folded(t) for t in (*article.titles, article.sitename or "")]
    for cut in segments:
        head, tail = given[:cut], given[cut:]
        if _folded(head) in keyed:
            rest = [_folded(x) for x in SEPARATOR.split(tail) if _folded(x)]
            if rest and all(any(r in p for p in printed) for r in rest):
                return True
    return False


def title_check(post: Post, article: Article) -> CheckItem:
    """The post's 原文標題 (or its BBS title) against every reading of the page's headline."""
    given = post.fields.original_title
    from_bbs = given is None
    if given is None:
        given = bbs_title(post)
    if not given:
        return CheckItem("title", "missing", Msg("the post gives no original title"))
    readings = [t for t in (article.title, *article.titles) if t]
    if not readings:
        return CheckItem("title", "skipped", Msg("the source page has no title"))
    g = _folded(given)
    g_untagged = _folded(_untagged(given))
    keyed: dict[str, str] = {}
    # Conversion by conversion, simplest first: a faithful title usually matches before the
    # costlier dictionaries are ever loaded.
    for c in CONVERSIONS:
        for r in readings:
            keyed.setdefault(_folded(convert(r, c)), r)
            keyed.setdefault(_folded(convert(_untagged(r), c)), r)
        if g in keyed or g_untagged in keyed:
            return CheckItem("title", "ok", Msg("matches the source headline"))
    if _with_site_name(given, article, keyed):
        return CheckItem("title", "ok", Msg("matches the source headline (with the site's name)"))
    headline = article.title or readings[0]
    if from_bbs:
        cut = re.sub(r"[.…⋯]+$", "", g)
        if len(cut) >= 6 and any(k.startswith(cut) for k in keyed):
            return CheckItem("title", "ok", Msg("the BBS title is the source headline cut for "
                                                    "length"))
    best = max(readings, key=lambda r: SequenceMatcher(None, g, _folded(r), autojunk=False).ratio())
    similarity = SequenceMatcher(None, g, _folded(best), autojunk=False).ratio()
    field = Msg("BBS title") if from_bbs else "原文標題"
    if similarity >= 0.5:
        return CheckItem("title", "mismatch", Msg("{field} differs from the source headline: "
                                                  "{marked}", field=field,
                                                  marked=mark_differences(given, best)))
    if g and len(g) >= 6 and g in _folded(page_text(article)):
        return CheckItem("title", "warning", Msg("{field} is not the page's headline 「{headline}」 "
                                                 "but appears on the page", field=field,
                                                 headline=headline))
    return CheckItem("title", "mismatch", Msg("the source headline is 「{headline}」",
                                              headline=headline))


# What posters write in 記者署名 when they do not give a reporter: "not stated", "none",
# "unknown", "omitted", a dash.  Compared after brackets, spaces and punctuation are taken out.
_PLACEHOLDER = re.compile(
    r"(?:未|沒有?|没有?|無|无|不)(?:註明|注明|標明|标明|署名|記名|记名|寫|写|提供|詳|详|明|知道?)|"
    r"(?:無|无|沒有?|没有?)(?:記者|记者|署名|作者|資料|资料)?|不詳|不详|不明|略|省略|從略|从略|"
    r"(?:詳|详|見|见|如)(?:見|见)?(?:內文|内文|原文|連結|链接)|待補|待补|佚名|匿名|"
    r"none|null|nil|n/?a|na|unknown|anonymous|no|x+|",
    re.I)


def is_placeholder(given: str) -> bool:
    """Whether a 記者署名 says "not given" (未註明, 無, N/A, ``-``, an empty field) rather than
    naming anyone.

    >>> is_placeholder("（未註明）"), is_placeholder("N/A"), is_placeholder("王大明")
    (True, True, False)
    """
    bare = re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", given)).replace("記者署名", "")
    return bool(_PLACEHOLDER.fullmatch(bare))


def _byline_of(article: Article) -> str:
    return article.author or "、".join(article.reporters)


def reporter_check(post: Post, article: Article) -> CheckItem:
    """The post's 記者署名 against the page's bylines, then against the whole page.

    A mismatch is kept for a person the page does not credit: a name nowhere on the page, or
    one it only mentions in its text while it prints a byline.  "Not given" is never a
    mismatch; a desk's, agency's or outlet's credit the page prints is right; the page's
    editor named as the reporter is a warning.
    """
    given = (post.fields.reporter or "").strip()
    byline = _byline_of(article)
    if not given or is_placeholder(given):
        stated = Msg("the post names no reporter") if not given else Msg(
            "記者署名 {given} gives no reporter", given=given)
        detail = joined("; ", [stated, Msg("the page credits {byline}", byline=byline)]) \
            if byline else stated
        return CheckItem("reporter", "missing" if given or post.template in (
            "stock", "stock-numbered", "gossiping-2020") else "skipped", detail)
    credited = {_folded(n) for n in article.reporters}
    for raw in article.bylines:
        credited.update(_folded(n) for n in parse_byline(raw))
        credited.update(_folded(n) for n in reporter_names(raw))
    printed = [_folded(b) for b in article.bylines]
    editors = {_folded(n) for n in article.editors}
    names = reporter_names(given)
    page = None

    def on_page(key: str) -> bool:
        nonlocal page
        if page is None:
            page = _folded(page_text(article))
        return bool(key) and key in page

    if not names:  # a desk, agency or outlet (綜合報導, 中央社, CTWANT): printed on the page?
        key = _folded(BYLINE_WORDS.sub("", given)) or _folded(given)
        site = _folded(article.sitename)
        if key and (any(key in p for p in printed) or on_page(key) or (site and key in site)):
            return CheckItem("reporter", "ok", Msg("{given} is printed on the page", given=given))
        detail = Msg("記者署名 {given} is not printed on the page", given=given)
        return CheckItem("reporter", "warning", joined("; ", [detail, Msg(
            "the source byline is {byline}", byline=byline)]) if byline else detail)
    unmatched = [n for n in names if _folded(n) not in credited
                 and not any(_folded(n) in p for p in printed)]
    if not unmatched:
        return CheckItem("reporter", "ok", Msg("matches the byline ({byline})",
                                               byline=byline or "、".join(names)))
    nowhere = [n for n in unmatched if not on_page(_folded(n))]
    if nowhere:
        detail = Msg("記者署名 {given} appears nowhere on the page", given="、".join(nowhere))
        return CheckItem("reporter", "mismatch", joined("; ", [detail, Msg(
            "the source byline is {byline}", byline=byline)]) if byline else detail)
    as_editor = [n for n in unmatched if _folded(n) in editors]
    if as_editor and len(as_editor) == len(unmatched):
        detail = Msg("{names} is the page's editor, not its reporter", names="、".join(as_editor))
        return CheckItem("reporter", "warning", joined("; ", [detail, Msg(
            "the source byline is {byline}", byline=byline)]) if byline else detail)
    if byline:
        return CheckItem("reporter", "mismatch", Msg(
            "the source byline is {byline}; {names} is only mentioned on the page",
            byline=byline, names="、".join(unmatched)))
    return CheckItem("reporter", "warning", Msg("{names} is named on the page, which prints no "
                                                "byline to compare with",
                                                names="、".join(unmatched)))


def published_check(post: Post, article: Article) -> CheckItem:
    """The post's 發布時間 against the page's structured publish date."""
    source = parse_date(article.published)
    source_day = source[:10] if source else None
    given = parse_date(post.fields.published)
    late: str | None = None
    if source_day and post.time:
        days = (post.time.date() - _day(source_day)).days
        if days > 3:
            late = Msg("posted {days} days after publication", days=days)

    def item(status: CheckStatus, detail: str) -> CheckItem:
        return CheckItem("published", status, joined("; ", [detail, late]) if late else detail)

    if post.fields.published is None:
        if post.template.startswith("stock"):
            return item("missing", Msg("the post gives no publish time"))
        return item("warning" if late else "skipped", Msg("the template has no publish-time field"))
    if given is None:
        return CheckItem("published", "warning", Msg("unreadable date: {given}",
                                                     given=post.fields.published))
    if source_day is None:
        return CheckItem("published", "skipped", Msg("the source page shows no date"))
    diff = abs((_day(given[:10]) - _day(source_day)).days)
    if diff == 0:
        return item("warning" if late else "ok", Msg("same day as the source ({day})",
                                                     day=source_day))
    if diff == 1:
        return item("warning", Msg("one day off the source ({day}; time zones?)", day=source_day))
    return item("mismatch", Msg("the source says {day}", day=source_day))


def _day(iso: str) -> date:
    return date.fromisoformat(iso[:10])


def link_check(post: Post, article: Article, requested: str | None) -> CheckItem:
    """The cited link: its status, where it led, reprint hosts, the outlet named."""
    final = article.final_url or article.url or requested or ""
    host = (urlsplit(final).hostname or "").lower()
    parts: list[str] = [f"HTTP {article.status}" if article.status else Msg("read from a file")]
    if requested and final and final != requested:
        parts.append(Msg("resolved to {url}", url=final))
    status: CheckStatus = "ok"
    if any(host == h or host.endswith("." + h) for h in _REPRINT_HOSTS):
        status = "warning"
        parts.append(Msg("a reprint site: board rules ask for the outlet's own page"))
    outlet = post.fields.outlet
    if outlet and article.sitename and not re.fullmatch(r"[\w.\-]+\.[a-z]{2,}", article.sitename):
        o, sname = _folded(outlet), _folded(article.sitename)
        if o and sname and not (o in sname or sname in o or o in _folded(article.title)):
            status = "warning"
            parts.append(Msg("媒體來源 {outlet} but the page is {site}", outlet=outlet,
                             site=article.sitename))
    return CheckItem("link", status, joined("; ", parts))


def commentary_check(post: Post) -> CheckItem:
    """Whether the poster wrote their own 心得/評論 after the article."""
    f = post.fields
    if not f.commentary:
        return CheckItem("commentary", "missing", Msg("no 心得/評論 or 備註 after the article"))
    if f.quote_span and f.commentary_span and f.commentary_span.start < f.quote_span.start:
        return CheckItem("commentary", "warning", Msg("the commentary comes before the article"))
    return CheckItem("commentary", "ok", Msg("{n} characters after the article",
                                             n=len(f.commentary)))


def metadata_checks(post: Post, article: Article, requested: str | None) -> tuple[CheckItem, ...]:
    """All five checks, in the order the views show them."""
    return (title_check(post, article), reporter_check(post, article),
            published_check(post, article), link_check(post, article, requested),
            commentary_check(post))
