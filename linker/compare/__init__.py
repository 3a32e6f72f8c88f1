"""Comparing the quote with the article: script, width and punctuation folding with offset maps
(``normalise``), the aligner (``align``), findings and their severity (``findings``) and the
metadata checks (``metacheck``). Pure functions of texts; no I/O."""
