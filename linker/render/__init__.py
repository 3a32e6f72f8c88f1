"""Rich terminal views of linker's results.  Only this package and the CLI import rich."""

from __future__ import annotations

from linker.render.batch import render_batch_summary, render_rule_table, render_summary_table
from linker.render.post import render_post
from linker.render.report import render_report

__all__ = ["render_batch_summary", "render_post", "render_report", "render_rule_table",
           "render_summary_table"]
