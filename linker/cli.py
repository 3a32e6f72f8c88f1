"""The ``linker`` command line: a thin typer layer over the library.

Each command builds its inputs, calls one library function, renders the result and leaves
errors to :func:`_errors_mapped`, the one place where exceptions become exit codes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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


def _consoles() -> tuple[Console, Console]:
    from rich.console import Console

    return Console(), Console(stderr=True)


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
def parse(post: PostArg, json: JsonOpt = False, traceback: TracebackOpt = False) -> None:
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

        out, _err = _consoles()
        render_post(parsed, out)


SourceOpt = Annotated[str | None, typer.Option(
    "--source", metavar="URL|FILE",
    help="Check against this URL or saved page instead of the post's own link.")]


@app.command()
def check(post: PostArg, source: SourceOpt = None, json: JsonOpt = False,
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
            from linker.render import render_summary

            out, _err = _consoles()
            render_summary(report, out)
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
