"""A view as a self-contained HTML page or an SVG image (``--html``, ``--svg``, the store).

The page is rich's own export, with two things a browser needs that a terminal does not:

* Wide characters get exactly two columns.  A monospace font draws Latin letters at about
  0.6 em and CJK characters, taken from a fallback font, at 1 em, so the side-by-side columns
  drift apart.  Each wide character is boxed to ``2ch``.
* Each finding is a link to itself (``#finding-N``, N its index in the report's findings):
  the list of serious findings jumps to the marked text, and other pages (the Datasette row
  page) can link straight to a finding.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable

from rich.console import Console
from rich.terminal_theme import MONOKAI

EXPORT_WIDTH = 110

_WIDE_CSS = (".w{display:inline-block;width:2ch;text-align:center}\n"
             "a{color:inherit;text-decoration:none}\na:hover{text-decoration:underline}\n"
             "a[id]{scroll-margin-top:2em}\n")
_TAG = re.compile(r"(<[^>]*>)")
_FINDING_LINK = re.compile(r'<a href="#(finding-\d+)">')


def _record(render: Callable[[Console], None], width: int | None) -> Console:
    recorder = Console(record=True, width=width or EXPORT_WIDTH, file=io.StringIO(),
                       force_terminal=True, color_system="truecolor")
    render(recorder)
    return recorder


def _boxed(text: str) -> str:
    return "".join(f'<span class="w">{c}</span>' if unicodedata.east_asian_width(c) in "WF"
                   else c for c in text)


def _with_wide_cells(html: str) -> str:
    head, sep, rest = html.partition("<pre")
    if not sep:
        return html
    body, end, tail = rest.partition("</pre>")
    parts = _TAG.split(body)
    # Odd indexes are tags, even ones text (the <pre ...> attributes sit in parts[0]'s tag).
    parts = [p if i % 2 or i == 0 else _boxed(p) for i, p in enumerate(parts)]
    return head.replace("</style>", _WIDE_CSS + "</style>", 1) + sep + "".join(parts) + end + tail


def _with_anchors(html: str) -> str:
    """The last link to each finding (the marked text, after the list) becomes its anchor."""
    last = {m[1]: m.start() for m in _FINDING_LINK.finditer(html)}
    for name, at in sorted(last.items(), key=lambda item: -item[1]):
        html = html[:at] + f'<a id="{name}" href="#{name}">' + html[at + len(
            f'<a href="#{name}">'):]
    return html


def export_html(render: Callable[[Console], None], width: int | None = None,
                title: str = "linker") -> str:
    """The view drawn by ``render`` as one HTML page (dark theme, inline styles)."""
    from html import escape

    page = _record(render, width).export_html(theme=MONOKAI, inline_styles=True)
    page = page.replace("<head>", f"<head>\n<title>{escape(title)}</title>", 1)
    return _with_anchors(_with_wide_cells(page))


def export_svg(render: Callable[[Console], None], width: int | None = None,
               title: str = "linker") -> str:
    """The view drawn by ``render`` as an SVG image (as a terminal window)."""
    return _record(render, width).export_svg(title=title, theme=MONOKAI)
