"""linker: check a PTT [新聞] repost against the news article it cites.

The library is layered one module per pipeline stage::

    fetch      -> HTTP (one session factory), reading files and standard input
    parse      -> a PTT page or text into a :class:`~linker.models.Post`
    template   -> the news template fields of a post body
    extract    -> the article text and metadata of a source page (trafilatura)
    normalise  -> script, width and punctuation folding with an offset map
    align      -> reorder-aware alignment of the quote against the source
    check      -> findings, metadata checks and the verdict
    render     -> rich terminal views (the only module besides the CLI that imports rich)

``linker.cli`` is a thin typer layer over these.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
