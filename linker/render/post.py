"""The view of a parsed post (``linker parse``)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from linker.sanitize import visible_fields

if TYPE_CHECKING:
    from linker.models import Post

_PUSH_STYLE = {"推": "bold green", "噓": "bold red", "→": "yellow"}


def _clip(text: str | None, limit: int = 160) -> Text:
    # Text, never a markup string: a poster's "[link=…]" must print as written.
    if not text:
        return Text("—")
    text = text.replace("\n", " ⏎ ")
    return Text(text if len(text) <= limit else text[: limit - 1] + "…")


def render_post(post: Post, console: Console, *, quote_lines: int = 6) -> None:
    """A readable summary of a parsed post: header, template fields, quote preview, pushes."""
    post = visible_fields(post)
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold cyan", no_wrap=True)
    head.add_column()
    head.add_row("標題", Text(post.title or "—", style="bold"))
    author = post.author or "—"
    if post.nickname:
        author += f" ({post.nickname})"
    head.add_row("作者", Text(author))
    head.add_row("看板", Text(post.board or "—"))
    head.add_row("時間", post.time.strftime("%Y-%m-%d %H:%M:%S %Z") if post.time else "—")
    head.add_row("網址", Text(post.url or "—"))
    kind = post.template
    if post.reply is not None:
        kind += f" · reply quoting {post.reply.quoted_author or '?'}"
    head.add_row("範本", Text(kind))

    f = post.fields
    fields = Table(show_header=False, box=None, padding=(0, 2))
    fields.add_column(style="bold magenta", no_wrap=True)
    fields.add_column(overflow="fold")
    fields.add_row("媒體來源", _clip(f.outlet))
    fields.add_row("原文標題", _clip(f.original_title))
    fields.add_row("原文連結", Text(f.source_url) if f.source_url else
                   Text("no article link found", style="red"))
    others = [u for u in f.source_urls if u != f.source_url]
    if others:
        fields.add_row("其他連結", Text("\n".join(others)))
    fields.add_row("發布時間", _clip(f.published))
    fields.add_row("記者署名", _clip(f.reporter))
    lines = [ln for ln in f.quote.split("\n") if ln.strip()]
    preview = "\n".join(lines[:quote_lines])
    if len(lines) > quote_lines:
        preview += f"\n⋯ {len(lines) - quote_lines} more lines"
    fields.add_row("原文內容", Text(f"{len(f.quote)} characters\n", style="dim") + Text(preview))
    fields.add_row("心得/評論", _clip(f.commentary, 300))

    tags = Counter(p.tag for p in post.pushes)
    summary = Text()
    for tag in ("推", "噓", "→"):
        summary.append(f"{tag} {tags.get(tag, 0)}  ", style=_PUSH_STYLE[tag])
    summary.append(f"· {len(post.edits)} edits · {len(post.author_replies)} author replies")
    if post.footer.ip:
        summary.append(f" · from {post.footer.ip}" + (f" ({post.footer.country})"
                                                      if post.footer.country else ""))
    console.print(Panel(Group(head, Text(""), fields, Text(""), summary),
                        title="linker parse", title_align="left", border_style="cyan"))

