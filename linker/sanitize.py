"""Strangers' text made safe to show: no control sequences, no bidi reordering.

A post, a page or a cassette may carry bytes a terminal obeys rather than shows: ESC starts
colour, cursor and screen sequences (``ESC[2J`` clears the screen), OSC sequences set the
window title, write the clipboard (OSC 52) or plant links (OSC 8), C1 controls do the same in
one byte, and bidi overrides (U+202E) reorder what surrounds them.  PTT's own text carries
ANSI colours, so this is ordinary input.

Every view (terminal, pager, HTML, SVG, error lines) shows text through :func:`visible`, which
replaces each such character by one visible character, so offsets into the text stay valid:
C0 controls and DEL by their Unicode control pictures (ESC → ␛), C1 controls and bidi
controls by U+FFFD.  Tabs and newlines are kept.  JSON output keeps the exact text and only
escapes these characters the JSON way (:func:`json_safe`).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from linker.messages import Msg

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but tab and newline, DEL, C1 controls, and the bidi marks, embeddings,
overrides and isolates."""

T = TypeVar("T")


def _picture(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def visible(text: str) -> str:
    """``text`` with every control and bidi character replaced by one visible character."""
    return UNSAFE.sub(_picture, text) if UNSAFE.search(text) else text


def visible_fields(value: T) -> T:
    """``value`` with :func:`visible` applied to every string inside it (frozen dataclasses,
    tuples, lists and dicts are rebuilt; anything else is returned as is)."""
    return _walk(value)  # type: ignore[no-any-return]


def _walk(value: Any) -> Any:
    if isinstance(value, Msg):
        return value.map_args(visible)
    if isinstance(value, str):
        return visible(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name))
                   for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_walk(v) for v in value)
    if isinstance(value, list):
        return [_walk(v) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v) for k, v in value.items()}
    return value


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_safe(serialised: str) -> str:
    """JSON text with DEL, C1 and bidi characters written as ``\\uXXXX`` escapes (json.dumps
    already escapes C0): the same data, but nothing a terminal obeys when the JSON is shown."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", serialised)
