"""Views of linker's results: the terminal (rich), HTML and SVG exports, push and reply lines,
and the JSON report.  Only this package and the CLI import rich.

The view functions are loaded on first use, so that ``linker check --json`` (which needs only
:mod:`linker.render.jsonout`) does not pay for rich's tables.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_VIEWS = {"render_batch_summary": "linker.render.batch", "render_rule_table": "linker.render.batch",
          "render_summary_table": "linker.render.batch", "render_post": "linker.render.post",
          "render_report": "linker.render.report"}

if TYPE_CHECKING:
    from linker.render.batch import render_batch_summary, render_rule_table, render_summary_table
    from linker.render.post import render_post
    from linker.render.report import render_report


def __getattr__(name: str) -> Any:
    module = _VIEWS.get(name)
    if module is None:
        raise AttributeError(f"module 'linker.render' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = ["render_batch_summary", "render_post", "render_report", "render_rule_table",
           "render_summary_table"]
