"""Turn a ptt.cc page, a saved page or a plain-text post into a :class:`~linker.models.Post`.

HTML and text take the same road: the page is first flattened into the lines a BBS client
would show (with pushes already structured), then one assembler splits header, body,
signature, footer and the lines among the pushes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from linker.errors import InputError, Over18Error, ParseError
from linker.messages import Msg
from linker.models import TAIPEI, Document, EditLine, Footer, NewsFields, Post, Push, ReplyQuote
from linker.ptt.template import parse_fields
from linker.ptt.url import article_ref

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\*[^\n]{0,8}?[A-Za-z]")
_PUSH_LINE = re.compile(
    r"^(?P<tag>[推噓→])[ \u3000]+(?P<user>[A-Za-z0-9_]+)[ \u3000]*:[ ]?(?P<content>.*?)"
    r"[ \u3000]*(?:(?P<ip>\d{1,3}(?:\.\d{1,3}){3})[ \u3000]+)?"
    r"(?P<md>\d{1,2}/\d{1,2})(?:[ \u3000]+(?P<hm>\d{1,2}:\d{2}))?[ \u3000]*$"
)
_OLD_PUSH = re.compile(r"^(?P<tag>[推噓→])[ \u3000]+(?P<user>[A-Za-z0-9_]+)[ \u3000]*:(?P<content>.*)$")
_EDIT = re.compile(
    r"^※ 編輯[:：]\s*(?P<user>[A-Za-z0-9_]+)\s*(?:\((?P<paren>[^)]*)\))?\s*,?\s*"
    r"(?P<date>\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_FROM = re.compile(r"^※ 發信站[:：].*?來自[:：]\s*(?P<ip>[0-9a-fA-F.:]+)(?:\s*\((?P<country>[^)]*)\))?")
_OLD_FROM = re.compile(r"^(?:◆ From[:：]\s*(?P<ip>\S+)|※ 發信站[:：])")
_ARTICLE_URL = re.compile(r"^※ 文章網址[:：]\s*(?P<url>\S+)")
_SYSTEM = re.compile(r"^(※ \S+[:：]轉錄至|※ 轉錄者|\(\S+ 刪除 \S+ 的推文|※ \[本文轉錄自)")
_QUOTE_HEAD = re.compile(r"^※ 引述《(?P<who>[^》]*)》之銘言[:：]?\s*$")
_HEAD_AUTHOR = re.compile(
    r"^作者[:：]?[ \u3000]*(?P<id>[A-Za-z0-9_]+)[ \u3000]*(?:\((?P<nick>.*)\))?"
    r"[ \u3000]*(?:(?:看板|站內)[:：]?[ \u3000]*(?P<board>[A-Za-z0-9_\-]+))?[ \u3000]*$"
)
_HEAD_BOARD = re.compile(r"^(?:看板|站內)[:：]?[ \u3000]*(?P<board>[A-Za-z0-9_\-]+)\s*$")
_HEAD_TITLE = re.compile(r"^標題[:：]?[ \u3000]*(?P<title>.*)$")
_HEAD_TIME = re.compile(r"^時間[:：]?[ \u3000]*(?P<time>.*)$")
_TITLE_PREFIX = re.compile(
    r"^(?P<prefix>(?:(?:Re|RE|re|Fw|FW|Fwd)[ ]?[:：][ ]*)*(?:\[[^\]]{1,8}\][ ]*)*)"
)


@dataclass(frozen=True)
class _Header:
    author: str | None = None
    nickname: str | None = None
    board: str | None = None
    title: str | None = None
    time: str | None = None


@dataclass(frozen=True)
class _RawPush:
    tag: str
    user: str
    content: str
    ip: str | None
    md: str | None
    hm: str | None


_Item = str | _RawPush


def decode(content: bytes, charset: str | None = None) -> str:
    """Decode a post: the declared charset, else UTF-8, else Big5 (raw BBS files)."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    for encoding in [charset] if charset else []:
        try:
            return content.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("big5hkscs")
    except UnicodeDecodeError:
        return content.decode("cp950", errors="replace")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if "\x00" in sample:
        return True
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\x1b\x0c")
    bad = sample.count("\ufffd")
    return (controls + bad) > max(8, len(sample) // 50)


def parse_time(value: str | None) -> datetime | None:
    """A BBS asctime (``Wed Jan 22 08:58:28 2025``, Taipei time) as an aware datetime."""
    if not value:
        return None
    try:
        parsed = datetime.strptime(" ".join(value.split()), "%a %b %d %H:%M:%S %Y")
    except ValueError:
        return None
    return parsed.replace(tzinfo=TAIPEI)


def parse_document(doc: Document) -> Post:
    """Parse a post from its bytes (HTML page or text).

    Raises:
        ParseError: binary data, or a page that is not a PTT article.
        InputError: a PTT board page instead of a post.
        Over18Error: the saved page is ptt.cc's over-18 gate.
    """
    text = decode(doc.content, doc.charset)
    if _looks_binary(text):
        raise ParseError(Msg("not a PTT post: the input is binary data"), input=doc.origin,
                         url=doc.url)
    head = text[:4000].lower()
    if "<html" in head or "<!doctype" in head or 'id="main-content"' in text[:200000]:
        header, items, extra = _from_html(text, doc)
    else:
        header, items = _from_text(text)
        extra = {}
    return _assemble(doc, header, items, extra)


def parse_text(text: str, origin: str = "<text>") -> Post:
    """Parse a post given as a string (HTML or plain text)."""
    return parse_document(Document(origin=origin, content=text.encode("utf-8"),
                                   charset="utf-8"))


# --- HTML ---------------------------------------------------------------------------------

def _cf_decode(hexstr: str) -> str | None:
    try:
        data = bytes.fromhex(hexstr)
    except ValueError:
        return None
    if not data:
        return None
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _from_html(text: str, doc: Document) -> tuple[_Header, list[_Item], dict[str, Any]]:
    import lxml.html  # lazy: keeps `linker --help` fast

    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ParseError(Msg("unreadable HTML: {error}", error=str(exc)), input=doc.origin,
                         url=doc.url) from exc
    mains = tree.xpath('//div[@id="main-content"]')
    if not mains:
        if tree.xpath('//div[contains(@class,"over18-notice")]'):
            raise Over18Error(Msg("this page is ptt.cc's over-18 gate, not the post"),
                              input=doc.origin, url=doc.url, stage="parse")
        if tree.xpath('//div[contains(@class,"r-ent")]'):
            raise InputError(Msg("this is a PTT board index page, not a post"), input=doc.origin,
                             url=doc.url, stage="parse")
        raise ParseError(Msg("not a ptt.cc article page (no #main-content)"), input=doc.origin,
                         url=doc.url)
    main = mains[0]
    # Cloudflare rewrites e-mail addresses into hex; restore them before reading text.
    for el in main.xpath('.//*[@data-cfemail]'):
        decoded = _cf_decode(el.get("data-cfemail", ""))
        if decoded is not None:
            for child in list(el):
                el.remove(child)
            el.text = decoded
    for el in main.xpath('.//a[starts-with(@href,"/cdn-cgi/l/email-protection#")]'):
        decoded = _cf_decode(el.get("href", "").split("#", 1)[1])
        if decoded is not None and not el.xpath('.//*[@data-cfemail]'):
            el.text = decoded
            for child in list(el):
                el.remove(child)

    meta: dict[str, str] = {}
    items: list[_Item] = []
    buffer: list[str] = [main.text or ""]

    def flush() -> None:
        chunk = "".join(buffer)
        buffer.clear()
        if chunk:
            items.extend(("\x00" + line) for line in chunk.split("\n"))

    for child in main:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            buffer.append(child.tail or "")
            continue
        classes = set((child.get("class") or "").split())
        if classes & {"article-metaline", "article-metaline-right"}:
            tag = child.xpath('string(.//span[contains(@class,"article-meta-tag")])').strip()
            value = child.xpath('string(.//span[contains(@class,"article-meta-value")])')
            meta[tag] = value.strip()
        elif "push" in classes and child.tag == "div":
            flush()
            items.append(_html_push(child))
        elif "richcontent" in classes:
            pass
        else:
            buffer.append(child.text_content())
        buffer.append(child.tail or "")
    flush()
    lines = _merge_lines(items)
    author, nick = _split_author(meta.get("作者"))
    header = _Header(author=author, nickname=nick, board=meta.get("看板"),
                     title=meta.get("標題"), time=meta.get("時間"))
    extra: dict[str, Any] = {}
    if not meta:
        page_title = tree.findtext(".//title") or ""
        match = re.search(r"看板\s*([A-Za-z0-9_\-]+)", page_title)
        og = tree.xpath('string(//meta[@property="og:title"]/@content)')
        extra["board"] = match.group(1) if match else None
        extra["title"] = og or None
    canonical = tree.xpath('string(//link[@rel="canonical"]/@href)')
    if canonical:
        extra["canonical"] = canonical
    return header, lines, extra


def _merge_lines(items: list[_Item]) -> list[_Item]:
    """Re-join text pieces split by flushes: lines are separated only by real newlines."""
    merged: list[_Item] = []
    pending: str | None = None
    for item in items:
        if isinstance(item, _RawPush):
            if pending is not None and pending:
                merged.append(pending)
            pending = None
            merged.append(item)
            continue
        piece = item[1:]
        # Each flush produced pieces split on "\n"; consecutive flushes continue the last line.
        if pending is None:
            pending = piece
        else:
            merged.append(pending)
            pending = piece
    if pending:
        merged.append(pending)
    return merged


def _html_push(div: Any) -> _RawPush:
    def part(cls: str) -> str:
        return str(div.xpath(f'string(.//span[contains(@class,"{cls}")])'))

    content = part("push-content")
    content = content[2:] if content.startswith(": ") else content.removeprefix(":")
    ipdt = part("push-ipdatetime").strip()
    match = re.match(r"^(?:(?P<ip>\d{1,3}(?:\.\d{1,3}){3})\s+)?(?P<md>\d{1,2}/\d{1,2})?"
                     r"(?:\s+(?P<hm>\d{1,2}:\d{2}))?", ipdt)
    return _RawPush(
        tag=part("push-tag").strip() or "→",
        user=part("push-userid").strip(),
        content=content.rstrip(),
        ip=match.group("ip") if match else None,
        md=match.group("md") if match else None,
        hm=match.group("hm") if match else None,
    )


def _split_author(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    match = re.match(r"^\s*(\S+)\s*(?:\((.*)\))?\s*$", value)
    if not match:
        return value.strip() or None, None
    return match.group(1), (match.group(2) or "").strip() or None


# --- text ---------------------------------------------------------------------------------

def _from_text(text: str) -> tuple[_Header, list[_Item]]:
    text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    fields: dict[str, str | None] = {}
    i = 0
    while i < len(lines) and i < 6:
        line = lines[i].rstrip()
        if not line.strip() and not fields:
            i += 1
            continue
        if (m := _HEAD_AUTHOR.match(line)) and "author" not in fields:
            fields["author"], fields["nickname"] = m.group("id"), m.group("nick")
            if m.group("board"):
                fields["board"] = m.group("board")
        elif (m := _HEAD_BOARD.match(line)) and "board" not in fields:
            fields["board"] = m.group("board")
        elif (m := _HEAD_TITLE.match(line)) and "title" not in fields and fields:
            fields["title"] = m.group("title").strip()
        elif (m := _HEAD_TIME.match(line)) and "time" not in fields and fields:
            fields["time"] = m.group("time").strip()
        elif fields and re.fullmatch(r"[─—\-]{10,}", line.strip()):
            i += 1
            break
        else:
            break
        i += 1
    if not fields:
        i = 0
    header = _Header(author=fields.get("author"), nickname=fields.get("nickname"),
                     board=fields.get("board"), title=fields.get("title"),
                     time=fields.get("time"))
    items: list[_Item] = list(lines[i:])
    return header, items


# --- assembly -----------------------------------------------------------------------------

def _find_footer(items: list[_Item]) -> tuple[int, int | None]:
    """Index where the body ends and the index of the footer's ``--`` line, if any."""
    anchor = None
    for idx, item in enumerate(items):
        if isinstance(item, str) and (_FROM.match(item) or _OLD_FROM.match(item)):
            anchor = idx
            break
    if anchor is None:
        for idx, item in enumerate(items):
            if isinstance(item, str) and _ARTICLE_URL.match(item):
                anchor = idx
                break
    if anchor is None:
        first_push = next((i for i, it in enumerate(items) if isinstance(it, _RawPush)
                           or _PUSH_LINE.match(it)), len(items))
        for idx in range(first_push - 1, max(-1, first_push - 4), -1):
            item = items[idx]
            if isinstance(item, str) and item.strip() == "--":
                return idx, idx
        return first_push, None
    for idx in range(anchor - 1, max(-1, anchor - 4), -1):
        item = items[idx]
        if isinstance(item, str) and item.strip() == "--":
            return idx, idx
    return anchor, None


def _assemble(doc: Document, header: _Header, items: list[_Item],
              extra: dict[str, Any]) -> Post:
    body_end, _dash = _find_footer(items)
    body_items = items[:body_end]
    signature: str | None = None
    body_lines = [it for it in body_items if isinstance(it, str)]
    # A second `--` shortly before the footer separates the user's signature.
    for idx in range(len(body_lines) - 1, max(-1, len(body_lines) - 14), -1):
        if body_lines[idx].strip() == "--":
            sig = "\n".join(body_lines[idx + 1:]).strip("\n")
            if sig.strip():
                signature = sig
            body_lines = body_lines[:idx]
            break
    body = "\n".join(body_lines).strip("\n")
    if not body.strip() and not any(isinstance(it, _RawPush) for it in items):
        raise ParseError(Msg("the post has no text"), input=doc.origin, url=doc.url)

    footer_ip = footer_country = footer_url = None
    footer_raw: list[str] = []
    pushes_raw: list[_RawPush] = []
    edits: list[EditLine] = []
    replies: list[str] = []
    other: list[str] = []
    reply_block: list[str] = []

    def end_reply() -> None:
        if reply_block:
            text = "\n".join(reply_block).strip("\n")
            if text.strip():
                replies.append(text)
            reply_block.clear()

    for item in items[body_end:]:
        if isinstance(item, _RawPush):
            end_reply()
            pushes_raw.append(item)
            continue
        line = item.rstrip()
        if line.strip() == "--" and not pushes_raw and not footer_raw:
            continue
        if m := (_FROM.match(line) or _OLD_FROM.match(line)):
            footer_ip = m.group("ip") or footer_ip
            footer_country = m.groupdict().get("country") or footer_country
            footer_raw.append(line)
        elif m := _ARTICLE_URL.match(line):
            footer_url = m.group("url")
            footer_raw.append(line)
        elif line.startswith("※ 編輯"):
            end_reply()
            edits.append(_edit(line, header))
        elif _SYSTEM.match(line):
            end_reply()
            other.append(line)
        elif m := _PUSH_LINE.match(line):
            end_reply()
            pushes_raw.append(_RawPush(m.group("tag"), m.group("user"), m.group("content"),
                                       m.group("ip"), m.group("md"), m.group("hm")))
        elif (m := _OLD_PUSH.match(line)) and not reply_block:
            pushes_raw.append(_RawPush(m.group("tag"), m.group("user"),
                                       m.group("content").strip(), None, None, None))
        elif not line.strip():
            if reply_block:
                reply_block.append("")
        else:
            reply_block.append(line)
    end_reply()

    post_time = parse_time(header.time)
    board = header.board or extra.get("board")
    own_footer_url = footer_url
    if footer_url and board:
        try:
            # A forwarded post keeps the original's footer: that URL is not this post's.
            own_footer_url = footer_url if article_ref(footer_url).board == board else None
        except InputError:
            own_footer_url = None
    url = doc.final_url or doc.url or own_footer_url or extra.get("canonical")
    if url and not board:
        try:
            board = article_ref(url).board
        except InputError:
            board = None
    if post_time is None and url:
        try:
            post_time = datetime.fromtimestamp(article_ref(url).created, TAIPEI)
        except (InputError, ValueError, OverflowError):
            post_time = None
    title = header.title or extra.get("title")
    prefix = None
    if title:
        match = _TITLE_PREFIX.match(title)
        prefix = match.group("prefix").strip() if match and match.group("prefix").strip() \
            else None

    template, fields, reply = _news(body)
    return Post(
        input=doc.origin,
        url=_canonical_url(url),
        board=board,
        author=header.author,
        nickname=header.nickname,
        title=title,
        title_prefix=prefix,
        time=post_time,
        template=template,
        body=body,
        fields=fields,
        pushes=tuple(_date_pushes(pushes_raw, post_time)),
        edits=tuple(edits),
        author_replies=tuple(replies),
        other_lines=tuple(other),
        signature=signature,
        footer=Footer(ip=footer_ip, country=footer_country, url=footer_url,
                      raw="\n".join(footer_raw)),
        reply=reply,
    )


def _canonical_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return article_ref(url).url
    except InputError:
        return url


def _edit(line: str, header: _Header) -> EditLine:
    match = _EDIT.match(line)
    if not match:
        return EditLine(user=header.author or "", ip=None, country=None, time=None, raw=line)
    paren = (match.group("paren") or "").split()
    ip = paren[0] if paren else None
    country = " ".join(paren[1:]) or None
    when = None
    if match.group("date"):
        for fmt in ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"):
            try:
                when = datetime.strptime(" ".join(match.group("date").split()), fmt)
                when = when.replace(tzinfo=TAIPEI)
                break
            except ValueError:
                continue
    return EditLine(user=match.group("user"), ip=ip, country=country, time=when, raw=line)


def _date_pushes(raw: list[_RawPush], post_time: datetime | None) -> list[Push]:
    """Give pushes a year: start from the post's, and step a year when the month wraps."""
    pushes: list[Push] = []
    year = post_time.year if post_time else None
    last: tuple[int, int] | None = (post_time.month, post_time.day) if post_time else None
    for p in raw:
        when: datetime | None = None
        if p.md and year is not None:
            month, day = (int(x) for x in p.md.split("/"))
            if last is not None and (month, day) < last and last[0] - month >= 6:
                year += 1
            hour, minute = (int(x) for x in (p.hm or "0:0").split(":"))
            try:
                when = datetime(year, month, day, hour, minute, tzinfo=TAIPEI)
            except ValueError:
                when = None
            if when is not None:
                last = (month, day)
        pushes.append(Push(tag=p.tag, user=p.user, content=p.content, ip=p.ip, time=when))
    return pushes


def _news(body: str) -> tuple[str, NewsFields, ReplyQuote | None]:
    lines = body.split("\n")
    for idx, line in enumerate(lines):
        match = _QUOTE_HEAD.match(line.strip())
        if match:
            return _reply_news(lines, idx, match.group("who"))
    # A reply without the 引述 header still quotes with `: ` lines.
    quoted = [ln for ln in lines if ln.startswith((": ", "> "))]
    if len(quoted) >= 3 and len(quoted) >= len([ln for ln in lines if ln.strip()]) // 3:
        return _reply_news(lines, -1, None)
    template, fields = parse_fields(body)
    return template, fields, None


def _reply_news(lines: list[str], head: int, who: str | None) -> tuple[
        str, NewsFields, ReplyQuote]:
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    quoted: list[str] = []
    mapping: list[tuple[int, int, int]] = []
    own: list[str] = []
    qpos = 0
    for idx, line in enumerate(lines):
        if idx == head:
            continue
        if line.startswith((": ", "> ")) or line in (":", ">"):
            cut = 2 if len(line) >= 2 and line[1] == " " else 1
            piece = line[cut:]
            mapping.append((qpos, offsets[idx] + cut, len(piece)))
            quoted.append(piece)
            qpos += len(piece) + 1
        elif not (line.startswith(("※ 引述", ": ※ 引述")) and "銘言" in line):
            own.append(line)
    quoted_text = "\n".join(quoted)
    template, fields = parse_fields(quoted_text)
    qlines: list[tuple[int, int, int]] = []
    if fields.quote_span is not None:
        start, end = fields.quote_span.start, fields.quote_span.end
        for qoff, boff, length in mapping:
            lo, hi = max(qoff, start), min(qoff + length, end)
            if lo < hi or (lo == hi and start <= qoff < end and length == 0):
                qlines.append((lo - start, boff + (lo - qoff), hi - lo))
    fields = replace(fields, quote_span=None, commentary_span=None, quote_lines=tuple(qlines))
    author = None
    if who:
        author = who.split(" ")[0].strip() or None
    return template, fields, ReplyQuote(quoted_author=author, quoted_text=quoted_text,
                                        own_text="\n".join(own).strip("\n"))
