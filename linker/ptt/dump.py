"""Posts read from a crawl dump instead of ptt.cc: ``linker batch --posts FILE|DIR``.

Three layouts are read, and each post goes through the same parser as a live page:

* **JSON lines of the common PTT web crawlers** (one post per line).  Fields read:
  ``article_id`` (``M.1773453912.A.1C3``), ``article_title``, ``author`` (``id (nick)``),
  ``board``, ``content`` (the post text below the header), ``date`` (``Sat Mar 14 10:05:12
  2026``), ``ip`` and ``messages`` (``push_tag``, ``push_userid``, ``push_content``,
  ``push_ipdatetime``).  Other fields are ignored.
* **linker's own ``parse --json`` output**, one object per line (or one JSON document):
  ``url``, ``board``, ``author``, ``nickname``, ``title``, ``time``, ``body``, ``pushes``,
  ``footer``.
* **a folder of saved ptt.cc pages** (``*.html``, ``*.htm``) or plain-text posts (``*.txt``).

A line or file that cannot be read is reported with its place (``posts.jsonl:4: …``, an
:class:`Unreadable` in the stream) and the others go on: invalid UTF-8, text that is not JSON,
JSON nested too deep, a value that is not a post object, fields of the wrong type, an article
id or board that is not PTT's, an entry over the size limit of a post.  The file is read line
by line as bytes, never whole, except where it really is one JSON array.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from linker.errors import LinkerError
from linker.messages import Msg
from linker.models import Document, Post
from linker.ptt.parse import parse_document

PAGE_SUFFIXES = (".html", ".htm", ".txt")
MAX_ENTRY_BYTES = 16 * 1024 * 1024
"""Longest entry read: the size limit of a post (``linker check`` refuses longer ones)."""
MAX_ARRAY_BYTES = 256 * 1024 * 1024
"""Largest dump read as one JSON array (the whole file is read to parse it)."""
_ARTICLE_ID = re.compile(r"M\.\d{9,11}\.A\.[0-9A-F]{3}")
_BOARD = re.compile(r"[A-Za-z0-9_\-]{1,20}")
_TEXT_FIELDS = ("article_title", "author", "board", "content", "date", "ip", "title", "body",
                "url", "nickname", "time")


@dataclass(frozen=True)
class Unreadable:
    """A dump entry that is not a post linker can parse, and why."""

    where: str
    reason: str


def _ctime(value: str | None) -> str:
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value).strftime("%a %b %d %H:%M:%S %Y")
    except ValueError:
        return value  # already PTT's own ctime form


def post_text(entry: dict[str, Any]) -> str:
    """A crawler record or a ``parse --json`` object written back as a plain-text post."""
    if "article_id" in entry or "content" in entry:  # crawler layout
        board = str(entry.get("board") or "")
        url = f"https://www.ptt.cc/bbs/{board}/{entry['article_id']}.html" if entry.get(
            "article_id") and board else ""
        author, title = entry.get("author") or "", entry.get("article_title") or ""
        when, body, ip = entry.get("date") or "", entry.get("content") or "", entry.get("ip")
        pushes = [f"{m.get('push_tag', '→')} {m.get('push_userid', '')}: "
                  f"{m.get('push_content', '')} {m.get('push_ipdatetime', '')}".rstrip()
                  for m in entry.get("messages") or [] if isinstance(m, dict)]
    else:  # parse --json
        board, url = str(entry.get("board") or ""), str(entry.get("url") or "")
        nick = entry.get("nickname")
        author = f"{entry.get('author') or ''}" + (f" ({nick})" if nick else "")
        title, when, body = entry.get("title") or "", _ctime(entry.get("time")), entry.get(
            "body") or ""
        ip = (entry.get("footer") or {}).get("ip")
        pushes = [f"{p.get('tag', '→')} {p.get('user', '')}: {p.get('content', '')}"
                  for p in entry.get("pushes") or [] if isinstance(p, dict)]
    lines = [f"作者: {author}", f"看板: {board}", f"標題: {title}", f"時間: {when}", "",
             str(body).rstrip(), ""]
    if "※ 文章網址" not in str(body):
        lines += ["--", f"※ 發信站: 批踢踢實業坊(ptt.cc), 來自: {ip or ''}".rstrip(),
                  f"※ 文章網址: {url}" if url else ""]
    return "\n".join([*lines, *pushes]) + "\n"


def _entry_problem(entry: Any) -> str | None:
    """Why ``entry`` is not a post linker reads, or None."""
    if not isinstance(entry, dict):
        return str(Msg("not a post object"))
    for name in _TEXT_FIELDS:
        value = entry.get(name)
        if value is not None and not isinstance(value, str):
            return str(Msg("field {field} is {kind}, not text", field=name,
                           kind=type(value).__name__))
    article_id, board = entry.get("article_id"), entry.get("board")
    if article_id is not None and not _ARTICLE_ID.fullmatch(article_id):
        return str(Msg("{value} is not a PTT article id", value=repr(article_id[:40])))
    if board and not _BOARD.fullmatch(board):
        return str(Msg("{value} is not a PTT board", value=repr(board[:40])))
    for name in ("messages", "pushes"):
        if entry.get(name) is not None and not isinstance(entry[name], list):
            return str(Msg("field {field} is {kind}, not a list", field=name,
                           kind=type(entry[name]).__name__))
    return None


def _from_entry(entry: Any, where: str) -> Post | Unreadable:
    problem = _entry_problem(entry)
    if problem is not None:
        return Unreadable(where, problem)
    try:
        return parse_document(Document(origin=where, content=post_text(entry).encode("utf-8")))
    except (LinkerError, KeyError, TypeError, ValueError) as exc:
        return Unreadable(where, str(exc))


def read_posts(path: Path) -> Iterator[Post | Unreadable]:
    """Every post of a dump, in file order (a folder's files by name)."""
    if path.is_dir():
        for file in sorted(p for p in path.iterdir() if p.suffix.lower() in PAGE_SUFFIXES):
            try:
                yield parse_document(Document(origin=str(file), content=file.read_bytes()))
            except (LinkerError, OSError) as exc:
                yield Unreadable(str(file), str(exc))
        return
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield Unreadable(str(path), exc.strerror or str(exc))
        return
    with stream:
        if _is_one_array(stream, path):
            yield from _array_entries(stream, path)
            return
        for n, line in _lines(stream):
            where = f"{path}:{n}"
            if line is None:
                yield Unreadable(where, str(Msg(
                    "the entry is over {limit} bytes, the size limit of a post",
                    limit=f"{MAX_ENTRY_BYTES:,}")))
                continue
            entry = _decode(line.removeprefix(b"\xef\xbb\xbf") if n == 1 else line, where)
            if isinstance(entry, Unreadable):
                yield entry
            elif entry is not _BLANK:
                yield _from_entry(entry, where)


_BLANK = object()


def _decode(line: bytes, where: str) -> Any:
    """One line's JSON value, ``_BLANK`` for an empty line, or why it cannot be read."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Unreadable(where, str(Msg("not UTF-8 (byte {offset})", offset=exc.start)))
    if not text.strip():
        return _BLANK
    try:
        return json.loads(text)
    except RecursionError:
        return Unreadable(where, str(Msg("JSON nested too deep")))
    except ValueError as exc:
        return Unreadable(where, str(Msg("not JSON: {error}", error=str(exc))))


def _lines(stream: Any) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines of a binary stream, each read up to the size limit: a longer line is
    skipped to its end and given as None (never held whole in memory)."""
    n = 0
    while True:
        line = stream.readline(MAX_ENTRY_BYTES + 1)
        if not line:
            return
        n += 1
        if len(line) > MAX_ENTRY_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(1024 * 1024)) and not rest.endswith(b"\n"):
                pass
            yield n, None
            continue
        yield n, line


def _is_one_array(stream: Any, path: Path) -> bool:
    """Whether the file is one JSON document holding a list (not JSON lines whose first line
    happens to be an array): it starts with ``[`` and its first line is not a whole value."""
    head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    stream.seek(0)
    if not head.startswith(b"["):
        return False
    first = stream.readline(MAX_ENTRY_BYTES + 1)
    stream.seek(0)
    try:
        json.loads(first)
    except (ValueError, RecursionError):
        return True  # the array goes on past its first line
    return False


def _array_entries(stream: Any, path: Path) -> Iterator[Post | Unreadable]:
    if path.stat().st_size > MAX_ARRAY_BYTES:
        yield Unreadable(str(path), str(Msg(
            "one JSON array of {size} bytes is too large to read; write it as JSON lines",
            size=f"{path.stat().st_size:,}")))
        return
    entries = _decode(stream.read().removeprefix(b"\xef\xbb\xbf"), str(path))
    if isinstance(entries, Unreadable):
        yield entries
        return
    if not isinstance(entries, list):
        yield Unreadable(str(path), str(Msg("not a list of posts")))
        return
    for n, entry in enumerate(entries, 1):
        where = f"{path}[{n}]"
        if len(json.dumps(entry, ensure_ascii=False).encode()) > MAX_ENTRY_BYTES:
            yield Unreadable(where, str(Msg(
                "the entry is over {limit} bytes, the size limit of a post",
                limit=f"{MAX_ENTRY_BYTES:,}")))
            continue
        yield _from_entry(entry, where)
