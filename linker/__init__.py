"""linker: check a PTT [新聞] repost against the news article it cites.

The library is layered by pipeline stage; data flows one way, as the frozen dataclasses of
:mod:`linker.models`::

    ptt/       a PTT page or text into a Post: parse, the news templates, ptt.cc addresses,
               board pages, crawler dumps
    net/       HTTP (one session factory, deadlines, address guards), recorded evidence,
               the Wayback Machine
    source/    the cited page: roles of its markup, the article text (trafilatura), headline,
               byline and dates, furniture, outlets and reprint portals
    compare/   folding with offset maps, the aligner, findings and severity, metadata checks
    check      the orchestration: fetch, analyse, fall back to archived copies
    rules      a board's rules over a checked post, and across a board
    render/    terminal, HTML, SVG, push and reply views; the JSON report
    runs/      many posts: the shared sweep, the local and Dask runners, WARC archives, the
               SQLite store, Parquet
    browse/    the store on Datasette
    cli        the thin typer layer over all of it

The names a script needs are importable from here (loaded when first used, so ``import
linker`` stays cheap): ``Client``, ``read_post_document``, ``parse_document``, ``check_post``,
``analyse``, ``extract_article``, and the data types (the comparison alone is
:func:`linker.compare.findings.compare`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from linker.version import __version__

_PUBLIC = {
    "Client": "linker.net.fetch", "read_post_document": "linker.net.fetch",
    "parse_document": "linker.ptt.parse", "parse_text": "linker.ptt.parse",
    "check_post": "linker.check", "analyse": "linker.check",
    "extract_article": "linker.source.extract",
    "apply_rules": "linker.rules", "load_profile": "linker.rules",
    "report_to_dict": "linker.render.jsonout",
    "Article": "linker.models", "CheckItem": "linker.models", "Document": "linker.models",
    "Finding": "linker.models", "Post": "linker.models", "Report": "linker.models",
    "RuleResult": "linker.models",
    "LinkerError": "linker.errors", "ExitStatus": "linker.errors", "Failure": "linker.errors",
}

if TYPE_CHECKING:
    from linker.check import analyse, check_post
    from linker.errors import ExitStatus, Failure, LinkerError
    from linker.models import Article, CheckItem, Document, Finding, Post, Report, RuleResult
    from linker.net.fetch import Client, read_post_document
    from linker.ptt.parse import parse_document, parse_text
    from linker.render.jsonout import report_to_dict
    from linker.rules import apply_rules, load_profile
    from linker.source.extract import extract_article


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'linker' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = ["Article", "CheckItem", "Client", "Document", "ExitStatus", "Failure", "Finding",
           "LinkerError", "Post", "Report", "RuleResult", "__version__", "analyse", "apply_rules",
           "check_post", "extract_article", "load_profile", "parse_document", "parse_text",
           "read_post_document", "report_to_dict"]
