"""Messages in the user's language, from gettext catalogs managed with Babel.

The catalogs are ``linker/locale/<lang>/LC_MESSAGES/linker.po`` (extracted with
``pybabel extract -F babel.cfg -k Msg -o linker/locale/linker.pot linker`` and merged with
``pybabel update``).  A ``.mo`` next to a ``.po`` is used when it is not older; otherwise the
``.po`` is compiled in memory at first use, so a source checkout needs no build step.

English is the default.  ``zh-TW`` is chosen by ``--lang zh-TW`` or by the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG`` starting with ``zh_TW``).
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

DOMAIN = "linker"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "zh-TW")


def choose(lang: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    """The language to speak: ``lang`` when given (``en`` or ``zh-TW``), else the locale's.

    Raises:
        ValueError: ``lang`` is not one of :data:`LANGUAGES`.
    """
    if lang is not None:
        wanted = lang.replace("_", "-").lower()
        for known in LANGUAGES:
            if wanted == known.lower():
                return known
        raise ValueError(f"unknown language {lang!r} (choose {' or '.join(LANGUAGES)})")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh-TW" if value.replace("-", "_").startswith("zh_TW") else "en"
    return "en"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang`` (English: messages as written)."""
    if lang == "en":
        return gettext.NullTranslations()
    folder = LOCALE_DIR / lang.replace("-", "_") / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as stream:
            return gettext.GNUTranslations(stream)
    from babel.messages.mofile import write_mo  # lazy: only a translated run pays for Babel
    from babel.messages.pofile import read_po

    with po.open("rb") as stream:
        catalog = read_po(stream, locale=lang.replace("-", "_"), domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def language_of(tr: gettext.NullTranslations) -> str:
    """The language code (``en``, ``zh-TW``) of a catalog from :func:`translations`: what
    picks the wording of data that carries both languages (board rules)."""
    # Babel writes the catalog's locale as zh_Hant_TW.
    found = str(tr.info().get("language", "")).replace("_", "-").lower()
    return "zh-TW" if found.startswith("zh") and found.endswith("tw") else "en"
