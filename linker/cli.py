"""The ``linker`` command line: a thin typer layer over the library.

Each command builds its inputs, calls one library function, renders the result and leaves
errors to :func:`_errors_mapped`, the one place where exceptions become exit codes.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from linker import __version__
from linker.errors import ExitStatus, LinkerError, exit_status_for

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    name="linker",
    help="Check a PTT [新聞] repost against the news article it cites.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

PostArg = Annotated[str, typer.Argument(
    metavar="POST",
    help="A ptt.cc article URL, https://www.ptt.cc/b/BOARD/AID, a mirror URL, a saved page, "
         "a text file, or - for standard input.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
TracebackOpt = Annotated[bool, typer.Option(
    "--traceback", help="Show the Python traceback instead of a one-line error.",
    envvar="LINKER_TRACEBACK")]


@contextmanager
def _errors_mapped(traceback: bool) -> Iterator[None]:
    """Turn linker's errors into one line on stderr and the matching exit status."""
    try:
        yield
    except LinkerError as exc:
        if traceback:
            raise
        where = f" [{exc.stage}]" if exc.stage else ""
        typer.echo(f"linker: error{where}: {exc}", err=True)
        raise typer.Exit(code=int(exit_status_for(exc))) from None
    except KeyboardInterrupt:
        if traceback:
            raise
        typer.echo("linker: interrupted", err=True)
        raise typer.Exit(code=int(ExitStatus.INTERRUPTED)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"linker {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Check a PTT [新聞] repost against the news article it cites."""


@app.command()
def parse(post: PostArg, json: JsonOpt = False, pager: PagerOpt = None,
          width: WidthOpt = None, traceback: TracebackOpt = False) -> None:
    """Parse a PTT post: header, news template fields, pushes and footer.

    Example: linker parse https://www.ptt.cc/bbs/Stock/M.1737507516.A.88B.html --json
    """
    with _errors_mapped(traceback):
        from linker.fetch import Client, read_post_document
        from linker.parse import parse_document

        doc = read_post_document(post, Client())
        parsed = parse_document(doc)
        if json:
            from linker.jsonout import dumps, post_to_dict

            typer.echo(dumps(post_to_dict(parsed)))
            return
        from linker.render import render_post

        _show(lambda console: render_post(parsed, console), pager, width)


SourceOpt = Annotated[str | None, typer.Option(
    "--source", metavar="URL|FILE",
    help="Check against this URL or saved page instead of the post's own link.")]
FullOpt = Annotated[bool, typer.Option(
    "--full", help="Show omitted passages and unchanged stretches in full.")]
SideOpt = Annotated[bool, typer.Option(
    "--side-by-side", help="Source on the left, the post on the right.")]
HtmlOpt = Annotated[Path | None, typer.Option(
    "--html", metavar="FILE", help="Also write the view as a self-contained HTML file.")]
SvgOpt = Annotated[Path | None, typer.Option(
    "--svg", metavar="FILE", help="Also write the view as an SVG image.")]
PagerOpt = Annotated[bool | None, typer.Option(
    "--pager/--no-pager", help="Page long output (default: when writing to a terminal).")]
WidthOpt = Annotated[int | None, typer.Option(
    "--width", min=30, max=400, help="Columns to render for (default: the terminal's).")]


def _write_exports(render: Callable[[Console], None], html: Path | None, svg: Path | None,
                   width: int | None, title: str) -> None:
    if html is None and svg is None:
        return
    from rich.console import Console

    from linker.files import write_atomic

    recorder = Console(record=True, width=width or 110, file=io.StringIO(),
                       force_terminal=True, color_system="truecolor")
    render(recorder)
    if html is not None:
        write_atomic(html, recorder.export_html(inline_styles=True, clear=False))
    if svg is not None:
        write_atomic(svg, recorder.export_svg(title=title, clear=False))


def _show(render: Callable[[Console], None], pager: bool | None, width: int | None) -> None:
    """Render to stdout, through a pager when asked or when long output goes to a terminal."""
    from rich.console import Console
    from rich.text import Text

    out = Console(width=width) if width else Console()
    use_pager = out.is_terminal if pager is None else pager
    if not use_pager:
        render(out)
        return
    with out.capture() as captured:
        render(out)
    text = captured.get()
    if pager is None and text.count("\n") < out.height:
        out.file.write(text)
        return
    os.environ.setdefault("LESS", "-R -F -X")
    with out.pager(styles=True):
        out.print(Text.from_ansi(text), end="")


@app.command()
def check(post: PostArg, source: SourceOpt = None, json: JsonOpt = False,
          full: FullOpt = False, side_by_side: SideOpt = False, html: HtmlOpt = None,
          svg: SvgOpt = None, pager: PagerOpt = None, width: WidthOpt = None,
          traceback: TracebackOpt = False) -> None:
    """Check a post's quoted article against its source.

    Exit status: 0 faithful, 1 edited, 2 could not check (the reason is printed).

    Example: linker check examples/post.html --source examples/source.html
    """
    with _errors_mapped(traceback):
        from linker.check import check_post
        from linker.fetch import Client, read_post_document
        from linker.parse import parse_document

        client = Client()
        parsed = parse_document(read_post_document(post, client))
        report = check_post(parsed, client, source)
        if json:
            from linker.jsonout import dumps, report_to_dict

            typer.echo(dumps(report_to_dict(report)))
        else:
            from linker.render import render_report

            def render(console: Console) -> None:
                render_report(report, console, full=full, side=side_by_side)

            _show(render, pager, width)
            _write_exports(render, html, svg, width, parsed.title or "linker check")
        if report.verdict == "unverifiable":
            typer.echo(f"linker: could not check: {report.reason}", err=True)
            raise typer.Exit(code=int(ExitStatus.ERROR))
        if report.verdict == "edited":
            raise typer.Exit(code=int(ExitStatus.EDITED))


def main() -> None:
    """Console-script entry point."""
    # Windows consoles and some pipes default to a legacy code page; PTT text is CJK.
    if os.environ.get("PYTHONIOENCODING") is None:
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                with suppress(AttributeError, ValueError):
                    reconfigure(encoding="utf-8")
    app()
