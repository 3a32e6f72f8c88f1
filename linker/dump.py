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

A line or file that cannot be read is reported with its place (:class:`DumpError` items in
the stream) and the others go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from linker.errors import LinkerError
from linker.messages import Msg
from linker.models import Document, Post
from linker.parse import parse_document

PAGE_SUFFIXES = (".html", ".htm", ".txt")


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


def _from_entry(entry: Any, where: str) -> Post | Unreadable:
    if not isinstance(entry, dict):
        return Unreadable(where, str(Msg("not a post object")))
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
    with path.open(encoding="utf-8-sig") as stream:
        first = stream.read(1)
        stream.seek(0)
        if first == "[":  # one JSON document holding a list of posts
            for n, entry in enumerate(json.load(stream), 1):
                yield _from_entry(entry, f"{path}[{n}]")
            return
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError as exc:
                yield Unreadable(f"{path}:{n}", str(Msg("not JSON: {error}", error=str(exc))))
                continue
            yield _from_entry(entry, f"{path}:{n}")
