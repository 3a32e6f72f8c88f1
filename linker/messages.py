"""Library text that a view can say in the user's language.

The library writes its notes, check details, reasons and errors in English, and that English
is what JSON, the store and logs keep: the machine contract does not depend on the locale.
A :class:`Msg` is that English text, as a ``str``, which also remembers the gettext message
it was formatted from.  A view calls :func:`say` to format it again from the catalog of the
user's language; any other string is shown as written.

Message templates are extracted by Babel (``pybabel extract -k Msg``) like the views' own
``_()`` calls.  Arguments that are themselves messages are translated too; arguments that are
strangers' text (quotes, titles, names) are kept as they are.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from typing import Any


class Msg(str):
    """English text made from a gettext template and named arguments."""

    template: str
    args: dict[str, str]

    def __new__(cls, template: str, /, **args: object) -> Msg:
        strings = {k: v if isinstance(v, str) else str(v) for k, v in args.items()}
        self = super().__new__(cls, template.format(**strings))
        self.template = template
        self.args = strings
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # Reports cross process boundaries (batch workers, Dask): keep the template.
        return (_rebuild, (self.template, tuple(self.args.items())))

    def map_args(self, change: Any) -> Msg:
        """The same message with ``change`` applied to every argument (messages recursively)."""
        return Msg(self.template, **{k: v.map_args(change) if isinstance(v, Msg) else change(v)
                                     for k, v in self.args.items()})

    def localised(self, tr: gettext.NullTranslations) -> str:
        template = tr.gettext(self.template)
        joint = _JOINED.fullmatch(self.template)
        if joint is not None:
            # A list made by joined(): its separator is said in the language too ("; " is
            # "；" in Chinese).
            template = self.template.replace(joint.group(1), tr.gettext(joint.group(1)))
        return template.format(**{k: say(v, tr) for k, v in self.args.items()})


_JOINED = re.compile(r"\{p0\}([^{}]+)\{p1\}(?:\1\{p\d+\})*")


def _rebuild(template: str, items: tuple[tuple[str, str], ...]) -> Msg:
    return Msg(template, **dict(items))


def say(text: str, tr: gettext.NullTranslations) -> str:
    """``text`` in the language of ``tr`` when it is a :class:`Msg`; otherwise as written."""
    return text.localised(tr) if isinstance(text, Msg) else text


def joined(separator: str, parts: Iterable[str]) -> Msg:
    """``separator.join(parts)`` that keeps each part translatable."""
    items = list(parts)
    template = separator.join(f"{{p{i}}}" for i in range(len(items)))
    return Msg(template, **{f"p{i}": part for i, part in enumerate(items)})


# The separators joined() lists are made with, for the catalog.
SEPARATORS = (Msg("; "), Msg(", "))
