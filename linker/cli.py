"""The ``linker`` command line: a thin typer layer over the library.

Each command builds its inputs, calls one library function, renders the result and leaves
errors to :func:`_errors_mapped`, the one place where exceptions become exit codes.
"""

# Unlike the rest of linker, no ``from __future__ import annotations`` here: typer reads every
# command's annotations at each start, and evaluating them from strings cost ~6 ms a run. So
# the option aliases come before the commands that use them, and names imported only for type
# checking are quoted.
import atexit
import errno
import functools
import gc
import gettext
import io
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, ParamSpec

import typer

from linker.errors import ExitStatus, LinkerError, exit_status_for, exit_status_for_verdict
from linker.messages import Msg
from linker.sanitize import visible
from linker.version import __version__

if TYPE_CHECKING:
    import distributed
    from rich.console import Console

    from linker.net.fetch import Client
    from linker.runs.cluster import ClusterSpec

_P = ParamSpec("_P")


def _argv_lang(argv: list[str]) -> str | None:
    # --help is built when this module loads, so --lang is read ahead of typer for it.
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _language(lang: str | None) -> gettext.NullTranslations:
    from linker.i18n import choose, translations

    try:
        return translations(choose(lang))
    except ValueError:  # an unknown --lang is reported by the command itself
        return translations("en")


# Help texts are built when this module loads: their language is the locale's or --lang's.
_ = _language(_argv_lang(sys.argv)).gettext


def _stage(stage: str, tr: gettext.NullTranslations) -> str:
    _ = tr.gettext
    names = {"input": _("input"), "fetch": _("fetch"), "fetch post": _("fetch post"),
             "fetch source": _("fetch source"), "parse": _("parse"), "extract": _("extract"),
             "archive": _("archive"), "list board": _("list board"), "replay": _("replay"),
             "report": _("report"), "store": _("store"), "linker": _("linker"),
             "browse": _("browse"), "cluster": _("cluster"),
             "parquet": _("parquet"), "output": _("output")}
    return names.get(stage, stage)

app = typer.Typer(
    name="linker",
    help=_("Check a PTT [新聞] repost against the news article it cites."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

PostArg = Annotated[str, typer.Argument(
    metavar="POST",
    help=_("A ptt.cc article URL, https://www.ptt.cc/b/BOARD/AID, a mirror URL, a saved page, "
         "a text file, or - for standard input."))]
JsonOpt = Annotated[bool, typer.Option("--json", help=_("Print the result as JSON."))]
TracebackOpt = Annotated[bool, typer.Option(
    "--traceback", help=_("Show the Python traceback instead of a one-line error."),
    envvar="LINKER_TRACEBACK")]


# Writing the result failed: a full disk, a quota, a failing device.  The library turns its
# own reads and writes into LinkerErrors, so an OSError of these kinds that reaches a command
# comes from its standard output.  A closed pipe (EPIPE, ``| head``) is left to click, which
# ends quietly.
_OUTPUT_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _say_output_failure(exc: OSError, lang: str | None) -> int:
    """Say in one line that the output could not be written; the exit status for it."""
    from linker.errors import InputError

    failure = InputError(Msg("cannot write the output: {error}",
                             error=exc.strerror or str(exc)), stage="output")
    _say_error(failure, lang)
    return int(exit_status_for(failure))


def _say_error(exc: LinkerError, lang: str | None) -> None:
    """The one line on stderr that reports ``exc``, in the user's language."""
    from linker.messages import say

    tr = _language(lang)
    line = tr.gettext("linker: error [{stage}]: {message}").format(
        stage=_stage(exc.stage, tr), message=say(exc.text(), tr))
    with suppress(OSError):  # stderr may be as full as stdout
        typer.echo(visible(line), err=True)


@contextmanager
def _errors_mapped(traceback: bool, lang: str | None = None) -> Iterator[None]:
    """Turn linker's errors into one line on stderr, in the user's language, and the
    matching exit status."""
    try:
        yield
    except LinkerError as exc:
        if traceback:
            raise
        _say_error(exc, lang)
        raise typer.Exit(code=int(exit_status_for(exc))) from None
    except OSError as exc:
        if traceback or exc.errno not in _OUTPUT_FAILURES:
            raise
        raise typer.Exit(code=_say_output_failure(exc, lang)) from None
    except KeyboardInterrupt:
        if traceback:
            raise
        typer.echo(_language(lang).gettext("linker: interrupted"), err=True)
        raise typer.Exit(code=int(exit_status_for(KeyboardInterrupt()))) from None


LangOpt = Annotated[str | None, typer.Option(
    "--lang", metavar="en|zh-TW",
    help=_("Language of the view, --push and --bbs (default: the locale's, zh-TW when LANG is "
         "zh_TW)."))]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"linker {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=_("Show the version and exit."))] = False,
    lang: LangOpt = None,
) -> None:
    """Check a PTT [新聞] repost against the news article it cites."""
    # `linker --lang zh-TW check …` as well as `linker check … --lang zh-TW`.
    ctx.obj = lang


def _lang(ctx: typer.Context, lang: str | None) -> str | None:
    """The command's --lang, else the one given before the command."""
    parent = ctx.parent.obj if ctx.parent is not None else None
    return lang or (parent if isinstance(parent, str) else None)


def _plain_text(render: Callable[["Console"], None], width: int | None) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    render(Console(file=buffer, width=width or 100, color_system=None, no_color=True))
    return buffer.getvalue()


PagerOpt = Annotated[bool | None, typer.Option(
    "--pager/--no-pager", help=_("Page long output (default: when writing to a terminal)."))]
WidthOpt = Annotated[int | None, typer.Option(
    "--width", min=30, max=400, help=_("Columns to render for (default: the terminal's)."))]
NoCacheOpt = Annotated[bool, typer.Option(
    "--no-cache", help=_("Neither read nor write the HTTP cache."))]
RefreshOpt = Annotated[bool, typer.Option(
    "--refresh", help=_("Fetch again even what the HTTP cache holds (and update it)."))]
PrivateOpt = Annotated[bool, typer.Option(
    "--allow-private", help=_("Allow links to private, loopback and link-local addresses."))]
TimeoutOpt = Annotated[float | None, typer.Option(
    "--timeout", min=0.1, max=300.0, metavar="SECONDS",
    help=_("Give up on a fetch after this many seconds in all: connecting, retries, "
         "redirects and the page itself (default 30)."))]
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", metavar="FILE",
    help=_("Write the result to FILE (atomically) instead of standard output."))]


def _long_running(command: Callable[_P, None]) -> Callable[_P, None]:
    """A command that runs long (a sweep of a board, a server) turns the cyclic garbage
    collector back on (:func:`main` turns it off for the one-off commands): cycles add up."""

    @functools.wraps(command)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> None:
        gc.enable()
        command(*args, **kwargs)

    return run


@app.command(help=_("Parse a PTT post: header, news template fields, pushes and footer.\n"
                    "\n"
                    "Example: linker parse https://www.ptt.cc/bbs/Stock/M.1737507516.A.88B.html --json"))
def parse(ctx: typer.Context, post: PostArg, json: JsonOpt = False, output: OutputOpt = None,
          pager: PagerOpt = None, width: WidthOpt = None, no_cache: NoCacheOpt = False,
          refresh: RefreshOpt = False, traceback: TracebackOpt = False) -> None:
    with _errors_mapped(traceback, _lang(ctx, None)), ExitStack() as stack:
        from linker.net.fetch import read_post_document
        from linker.ptt.parse import parse_document

        client = _client(no_cache=no_cache, refresh=refresh, allow_private=False)
        stack.enter_context(_cache_told(client, _lang(ctx, None)))
        parsed = parse_document(read_post_document(post, client))
        if json:
            from linker.render.jsonout import dumps, post_to_dict

            _emit(dumps(post_to_dict(parsed)), output)
            return
        from linker.render import render_post

        if output is not None:
            _emit(_plain_text(lambda console: render_post(parsed, console), width), output)
        else:
            _show(lambda console: render_post(parsed, console), pager, width)


RulesOpt = Annotated[str | None, typer.Option(
    "--rules", metavar="NAME|FILE",
    help=_("Apply a board's rules: gossiping, stock, a profile file of your own, or none "
         "(default: the post's board's, where linker ships one). See linker rules."))]
SourceOpt = Annotated[str | None, typer.Option(
    "--source", metavar="URL|FILE",
    help=_("Check against this URL or saved page instead of the post's own link."))]
FullOpt = Annotated[bool, typer.Option(
    "--full", help=_("Show omitted passages and unchanged stretches in full."))]
SideOpt = Annotated[bool, typer.Option(
    "--side-by-side", help=_("Source on the left, the post on the right."))]
HtmlOpt = Annotated[Path | None, typer.Option(
    "--html", metavar="FILE", help=_("Also write the view as a self-contained HTML file."))]
SvgOpt = Annotated[Path | None, typer.Option(
    "--svg", metavar="FILE", help=_("Also write the view as an SVG image."))]


def _write_exports(render: Callable[["Console"], None], html: Path | None, svg: Path | None,
                   width: int | None, title: str) -> None:
    if html is None and svg is None:
        return
    from linker.files import write_atomic
    from linker.render.export import export_html, export_svg

    if html is not None:
        write_atomic(html, export_html(render, width, title))
    if svg is not None:
        write_atomic(svg, export_svg(render, width, title))


def _show(render: Callable[["Console"], None], pager: bool | None, width: int | None) -> None:
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


def _client(*, no_cache: bool, refresh: bool, allow_private: bool,
            evidence: bool = False, rate: float | None = None,
            timeout: float | None = None, offline: bool = False) -> "Client":
    from linker.net.fetch import Client, HttpConfig, RateLimiter, no_resolver, session_factory
    from linker.net.safety import system_resolver

    config = HttpConfig() if timeout is None else HttpConfig(
        deadline=timeout, connect_timeout=min(5.0, timeout), read_timeout=min(20.0, timeout))
    # Evidence runs bypass the cache: every exchange must really happen (or be replayed).
    # The session is made on the first request: a check of saved files never opens the cache.
    return Client(session_factory(config, cached=not (no_cache or evidence)), config,
                  RateLimiter(rate) if rate is not None else None,
                  allow_private=allow_private, refresh=refresh,
                  resolver=no_resolver if offline else system_resolver)


@contextmanager
def _cache_told(client: "Client", lang: str | None) -> Iterator[None]:
    """Say once, however the command ends, that the HTTP cache was given up."""
    try:
        yield
    finally:
        if client.cache_problem is not None:
            from linker.messages import say

            tr = _language(lang)
            typer.echo(visible(tr.gettext("linker: warning: {message}").format(
                message=say(client.cache_problem, tr))), err=True)


@contextmanager
def _evidence(record: Path | None, replay: Path | None) -> Iterator[None]:
    if record is not None and replay is not None:
        raise typer.BadParameter("give --record or --replay, not both")
    if record is not None:
        from linker.net.evidence import recording

        with recording(record):
            yield
    elif replay is not None:
        from linker.net.evidence import replaying

        with replaying(replay):
            yield
    else:
        yield


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    from linker.files import write_atomic

    write_atomic(output, text if text.endswith("\n") else text + "\n")



def _choose(lang: str | None) -> str:
    from linker.errors import InputError
    from linker.i18n import LANGUAGES, choose

    try:
        return choose(lang)
    except ValueError:
        raise InputError(Msg("--lang {lang}: unknown language (choose {choices})",
                             lang=str(lang), choices=" or ".join(LANGUAGES)),
                         input=str(lang)) from None


def _translations(lang: str | None) -> gettext.NullTranslations:
    from linker.i18n import translations

    return translations(_choose(lang))


@app.command(help=_("Check a post's quoted article against its source.\n"
                    "\n"
                    "Exit status: 0 faithful, 1 edited, 2 could not check (the reason is printed).\n"
                    "\n"
                    "Example: linker check examples/post.html --source examples/source.html"))
def check(ctx: typer.Context, post: PostArg, source: SourceOpt = None, json: JsonOpt = False,
          full: FullOpt = False, side_by_side: SideOpt = False, html: HtmlOpt = None,
          svg: SvgOpt = None, output: OutputOpt = None, pager: PagerOpt = None,
          width: WidthOpt = None,
          record: Annotated[Path | None, typer.Option(
              "--record", metavar="FILE",
              help=_("Save every HTTP exchange of this check to FILE as evidence."))] = None,
          replay: Annotated[Path | None, typer.Option(
              "--replay", metavar="FILE",
              help=_("Re-run the check offline from a file saved with --record."))] = None,
          no_archive: Annotated[bool, typer.Option(
              "--no-archive", help=_("Do not fall back to the Wayback Machine."))] = False,
          push: Annotated[bool, typer.Option(
              "--push", help=_("Print a one-line verdict that fits a PTT push "
                             "(40 full-width columns, Big5-safe)."))] = False,
          bbs: Annotated[bool, typer.Option(
              "--bbs", help=_("Print a reply-post body (78 columns, Big5-safe) to paste "
                            "as a Re: post."))] = False,
          rules: RulesOpt = None,
          lang: LangOpt = None,
          no_cache: NoCacheOpt = False, refresh: RefreshOpt = False,
          allow_private: PrivateOpt = False, timeout: TimeoutOpt = None,
          traceback: TracebackOpt = False) -> None:
    lang = _lang(ctx, lang)
    with _errors_mapped(traceback, lang), ExitStack() as stack:
        from linker.check import check_post, check_source_file
        from linker.files import check_output
        from linker.net.fetch import read_post_document
        from linker.ptt.parse import parse_document
        from linker.rules import apply_rules, choose_profile

        for path, name in ((output, "--output"), (html, "--html"), (svg, "--svg"),
                           (record, "--record")):
            if path is not None:
                check_output(path, name)
        if source is not None:
            check_source_file(source)
        if rules is not None:
            choose_profile(rules, None)  # a bad profile is told before any work
        tr = _translations(lang)
        client = _client(no_cache=no_cache, refresh=refresh, allow_private=allow_private,
                         evidence=record is not None or replay is not None, timeout=timeout,
                         offline=replay is not None)
        stack.enter_context(_cache_told(client, lang))
        with _evidence(record, replay):
            parsed = parse_document(read_post_document(post, client))
            report = check_post(parsed, client, source, archive=not no_archive)
        report = apply_rules(report, choose_profile(rules, parsed.board))
        if json:
            from linker.render.jsonout import dumps, report_to_dict

            _emit(dumps(report_to_dict(report)), output)
        elif push or bbs:
            from linker.render.bbs import bbs_reply, push_line

            _emit(push_line(report, tr) if push else bbs_reply(report, tr), output)
        else:
            from linker.render import render_report


            def render(console: "Console", anchors: bool = False) -> None:
                render_report(report, console, full=full, side=side_by_side, tr=tr,
                              anchors=anchors)

            if output is not None:
                _emit(_plain_text(render, width), output)
            else:
                _show(render, pager, width)
            _write_exports(lambda console: render(console, anchors=True), html, svg, width,
                           visible(parsed.title or "linker check"))
        if report.verdict == "unverifiable":
            from linker.messages import say

            typer.echo(visible(tr.gettext("linker: could not check: {reason}").format(
                reason=say(report.reason or "", tr))), err=True)
        status = exit_status_for_verdict(report.verdict)
        if status:
            raise typer.Exit(code=int(status))


DbOpt = Annotated[Path, typer.Option("--db", metavar="FILE",
                                     help=_("The SQLite result store."))]


def _parse_date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)",
                                 param_hint=name) from None


@app.command(help=_("Sweep a board's news posts: check each one and keep the results in a SQLite store.\n"
                    "\n"
                    "A rerun resumes: posts already checked are skipped unless they were edited since.\n"
                    "Ctrl-C stops after the posts in flight; run the same command again to continue.\n"
                    "\n"
                    "Example: linker batch Stock --pages 3 --db stock.db --csv stock.csv"))
@_long_running
def batch(
    ctx: typer.Context,
    board: Annotated[str | None, typer.Argument(
        help=_("The board to sweep, e.g. Stock or Gossiping (optional with --posts)."))] = None,
    posts: Annotated[Path | None, typer.Option(
        "--posts", metavar="FILE|DIR",
        help=_("Read the posts from a dump instead of ptt.cc: crawler JSON lines, linker parse "
               "--json output, or a folder of saved pages."))] = None,
    sources: Annotated[list[Path] | None, typer.Option(
        "--sources", metavar="WARC",
        help=_("Read the cited pages from these WARC/ARC files (repeat for several)."))] = None,
    live_fallback: Annotated[bool, typer.Option(
        "--live-fallback", help=_("With --sources: fetch pages that are in no archive from "
                                  "the live web."))] = False,
    pages: Annotated[int | None, typer.Option(
        "--pages", min=1, help=_("Index pages to walk back (default 1, or until --since)."))] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE",
                                              help=_("Only posts from this day on."))] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE",
                                              help=_("Only posts up to this day."))] = None,
    query: Annotated[str | None, typer.Option(
        "--query", help=_("Sweep the board's search results (e.g. 'author:ID')."))] = None,
    include_replies: Annotated[bool, typer.Option(
        "--include-replies", help=_("Also check Re: [新聞] posts."))] = False,
    recheck: Annotated[bool, typer.Option(
        "--recheck", help=_("Check again posts already in the store."))] = False,
    db: DbOpt = Path("linker.db"),
    jsonl: Annotated[Path | None, typer.Option(
        "--jsonl", metavar="FILE", help=_("Also write the reports as JSON lines."))] = None,
    csv: Annotated[Path | None, typer.Option(
        "--csv", metavar="FILE", help=_("Also write a CSV table of the posts."))] = None,
    rate: Annotated[float, typer.Option(
        "--rate", min=0.0, help=_("Seconds between two requests to the same host."))] = 1.0,
    threads: Annotated[int, typer.Option("--threads", min=1, max=32,
                                         help=_("Parallel downloads (across hosts)."))] = 4,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", min=0, max=64,
        help=_("Worker processes for extraction and alignment (default: CPU count)."))] = None,
    ptt_base: Annotated[str, typer.Option(
        "--ptt-base", metavar="URL", help=_("Fetch PTT pages from this host instead."))]
        = "https://www.ptt.cc",
    no_archive: Annotated[bool, typer.Option(
        "--no-archive", help=_("Do not fall back to the Wayback Machine."))] = False,
    cluster: Annotated[str | None, typer.Option(
        "--cluster", metavar="local[:N]|tcp://HOST:PORT",
        help=_("Run the checks on Dask: a local cluster of N worker processes, or the "
               "scheduler at HOST:PORT (pip install 'linker[cluster]')."))] = None,
    parquet: Annotated[Path | None, typer.Option(
        "--parquet", metavar="DIR",
        help=_("Also write the store's checks, findings and metadata checks as Parquet, "
               "partitioned by board and month."))] = None,
    no_cache: NoCacheOpt = False, refresh: RefreshOpt = False,
    allow_private: PrivateOpt = False, timeout: TimeoutOpt = None,
    rules: RulesOpt = None,
    lang: LangOpt = None,
    traceback: TracebackOpt = False,
) -> None:
    lang = _lang(ctx, lang)
    with _errors_mapped(traceback, lang), ExitStack() as stack:
        from rich.console import Console

        from linker.errors import InputError, exit_status_for_run
        from linker.files import check_output
        from linker.render import render_batch_summary
        from linker.render.batch import run_notes
        from linker.render.progress import batch_progress
        from linker.runs.local import run_batch
        from linker.runs.outputs import Outputs
        from linker.runs.store import Store
        from linker.runs.sweep import BatchOptions
        from linker.runs.workers import terminate_as_interrupt

        # SIGTERM and SIGHUP (a shell's timeout, a closed terminal) end the run as Ctrl-C does.
        stack.enter_context(terminate_as_interrupt())
        if board is None and posts is None:
            raise typer.BadParameter(_("give a BOARD, or --posts with a dump"),
                                     param_hint="BOARD")
        outputs = Outputs(jsonl=jsonl, csv=csv, parquet=parquet)
        check_output(db, "--db")
        for path in (posts, *(sources or [])):
            if path is not None and not path.exists():
                raise InputError(Msg("no such file: {path}", path=str(path)), input=str(path))
        options = BatchOptions(
            board=board or "", posts=posts, sources=tuple(sources or ()),
            live_fallback=live_fallback, pages=pages, since=_parse_date(since, "--since"),
            until=_parse_date(until, "--until"), query=query,
            include_replies=include_replies, recheck=recheck, ptt_base=ptt_base,
            threads=threads, jobs=os.cpu_count() or 1 if jobs is None else jobs,
            archive=not no_archive, view_lang=_choose(lang), rules=rules)
        if rules is not None:
            from linker.rules import choose_profile

            choose_profile(rules, None)  # a bad profile is told before any work
        tr = _translations(lang)
        spec = None
        if cluster is not None:
            from linker.runs.cluster import parse_cluster

            spec = parse_cluster(cluster)
        outputs.check()
        client = _client(no_cache=no_cache, refresh=refresh, allow_private=allow_private,
                         rate=rate, timeout=timeout)
        stack.enter_context(_cache_told(client, lang))
        err = Console(stderr=True)
        dask = None if spec is None else stack.enter_context(_dask(spec, err, tr))
        with Store(db, writer=True) as store:
            label = board or (posts.name if posts else "")
            with batch_progress(err, label, tr) as (listed, done):
                result = run_batch(options, client, store, listed, done, dask=dask)
            outputs.write(store, result.urls)
            render_batch_summary({by: store.summary(by) for by in ("outlet", "poster")},
                                 Console(), tr)
        for line in run_notes(result, str(db), tr):
            typer.echo(line, err=True)
        status = exit_status_for_run(lost=bool(result.lost), interrupted=result.interrupted)
        if status:
            raise typer.Exit(code=int(status))


@contextmanager
def _dask(spec: "ClusterSpec", err: "Console", tr: gettext.NullTranslations
          ) -> Iterator["distributed.Client"]:
    """Connect to the cluster ``spec`` names and say where its dashboard is."""
    from linker.runs.cluster import connect, dashboard

    with connect(spec) as dask:
        # The dashboard draws with bokeh; without it the page only says so.
        link = dashboard(dask)
        err.print(visible(tr.gettext("linker: {n} Dask workers; dashboard: {link}").format(
            n=len(dask.scheduler_info()["workers"]), link=link or tr.gettext("none"))),
            markup=False, highlight=False)
        yield dask


StoreArg = Annotated[Path, typer.Argument(metavar="DB",
                                          help=_("A store written by linker batch."))]


def _existing_store(db: Path) -> None:
    from linker.errors import InputError

    if not db.is_file():
        raise InputError(Msg("no such store: {path}", path=str(db)), input=str(db))


@app.command(help=_("Summarise a batch store by outlet, poster, day or board rule.\n"
                    "\n"
                    "Example: linker report stock.db --by poster"))
def report(
    ctx: typer.Context,
    db: StoreArg,
    by: Annotated[str, typer.Option("--by", help=_("Group by outlet, poster, day or rule (the "
                                                   "board rules posts break)."))]
        = "outlet",
    csv: Annotated[Path | None, typer.Option(
        "--csv", metavar="FILE", help=_("Also write the table as CSV."))] = None,
    lang: LangOpt = None,
    traceback: TracebackOpt = False,
) -> None:
    lang = _lang(ctx, lang)
    with _errors_mapped(traceback, lang):
        from rich.console import Console

        from linker.files import check_output, write_atomic
        from linker.render import render_summary_table
        from linker.runs.store import Store, summary_csv

        tr = _translations(lang)
        if csv is not None:
            check_output(csv, "--csv")
        _existing_store(db)
        if by == "rule":
            from linker.render import render_rule_table
            from linker.runs.store import rule_summary_csv

            with Store(db, read_only=True) as store:
                rule_rows = store.rule_summary()
            render_rule_table(rule_rows, Console(), tr)
            if csv is not None:
                write_atomic(csv, rule_summary_csv(rule_rows))
            return
        with Store(db, read_only=True) as store:
            rows = store.summary(by)
        render_summary_table(rows, by, Console(), tr)
        if csv is not None:
            write_atomic(csv, summary_csv(rows, by))


@app.command(help=_("Browse a batch store in the web browser, on Datasette: facets by outlet, "
                    "poster, verdict and finding kind, canned queries, and each post's check "
                    "view on its row page.\n"
                    "\n"
                    "Needs the browse extra: pip install 'linker[browse]'.\n"
                    "\n"
                    "Example: linker browse stock.db"))
@_long_running
def browse(
    ctx: typer.Context,
    db: StoreArg,
    host: Annotated[str, typer.Option("--host", help=_("Address to listen on."))]
        = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535,
                                      help=_("Port to listen on."))] = 8001,
    traceback: TracebackOpt = False,
) -> None:
    with _errors_mapped(traceback, _lang(ctx, None)):
        from linker.errors import InputError

        _existing_store(db)
        try:
            from linker.browse import serve
        except ImportError:
            raise InputError(Msg("linker browse needs Datasette: pip install 'linker[browse]'"),
                             stage="browse") from None
        from linker.runs.store import Store

        # Opening recognises the store and brings an older one's schema up to date (views,
        # results) where it may; as a reader, so a store can be browsed while a batch is still
        # writing it, and one on read-only media is opened immutable.
        with Store(db, read_only=True) as store:
            immutable = store.immutable
        typer.echo(_("linker browse: http://{host}:{port}/{name} (Ctrl-C stops)").format(
            host=host, port=port, name=db.stem), err=True)
        serve(db, host=host, port=port, immutable=immutable)


@app.command(help=_("Print a board's rule profile: each rule's id, what it asks, its name in "
                    "push lines and its parameters. Without NAME, list the profiles linker "
                    "ships.\n"
                    "\n"
                    "Example: linker rules gossiping --lang zh-TW"))
def rules(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(
        metavar="[NAME|FILE]", help=_("A built-in profile or a profile file."))] = None,
    lang: LangOpt = None,
    traceback: TracebackOpt = False,
) -> None:
    lang = _lang(ctx, lang)
    with _errors_mapped(traceback, lang):
        from rich.console import Console

        from linker.render.rules import render_profile
        from linker.rules import builtin_profiles, load_profile

        tr = _translations(lang)
        console = Console()
        if name is None:
            for builtin in builtin_profiles():
                profile = load_profile(builtin)
                console.print(f"{builtin:<12} " + (profile.zh_tw if _choose(lang) == "zh-TW"
                                                   else profile.en), markup=False,
                              highlight=False)
            return
        render_profile(load_profile(name), console, tr)


def main() -> None:
    """Console-script entry point."""
    # A command is one short process: the cyclic collector's passes over the objects its
    # imports and its check create cost ~15 ms of a ~400 ms check (issue #22) and find next
    # to nothing (about a thousand objects, freed by the OS at exit anyway).  The commands that
    # run long (batch, browse) turn it back on.
    gc.disable()
    # Windows consoles and some pipes default to a legacy code page; PTT text is CJK.
    if os.environ.get("PYTHONIOENCODING") is None:
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                with suppress(AttributeError, ValueError):
                    reconfigure(encoding="utf-8")
    try:
        try:
            app()
        except SystemExit as exc:
            _end_process(exc.code)
        except OSError as exc:
            # The help or the version, written before any command maps its errors.
            if exc.errno not in _OUTPUT_FAILURES:
                raise
            _end_process(_say_output_failure(exc, None))
        _end_process(0)
    finally:
        gc.enable()  # reached only when the process goes on: a caller that embeds main()


def _end_process(code: object) -> NoReturn:
    """Exit with ``code``, without the interpreter's teardown when nothing can depend on it.

    After a check has printed its report, freeing OpenCC's phrase dictionaries and a few
    hundred modules object by object takes 70–90 ms, a fifth of the whole run (issue #22),
    and only hands memory back that the OS reclaims anyway.  So, as multiprocessing ends its
    children, the exit handlers run here (logging's flush, temporary files' finalizers, a
    coverage run's save), the standard streams are flushed and ``os._exit`` ends the
    process.  Every file linker writes is closed and renamed before its command returns.
    The usual exit is kept when another thread still runs (it may be writing), when the
    status is a message rather than a number, or when a standard stream was closed as a file
    object."""
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if (code is None or isinstance(code, int)) and threading.active_count() == 1 \
            and run_exit_handlers is not None:
        try:
            _flush_standard_streams()
        except OSError as exc:
            # What is left in stdout's buffer cannot be written (Python's own exit would try
            # again, print an "Exception ignored" notice and end with status 120).  A command
            # that noticed has said so already (status 2); one that did not fails now, in one
            # line.  A closed pipe ends quietly with the command's status, as click ends it.
            if exc.errno in _OUTPUT_FAILURES and code in (None, ExitStatus.OK,
                                                           ExitStatus.EDITED):
                code = _say_output_failure(exc, None)
        except ValueError:
            raise SystemExit(code) from None
        run_exit_handlers()
        with suppress(OSError, ValueError):
            _flush_standard_streams()
        os._exit(code or 0)
    raise SystemExit(code)


def _flush_standard_streams() -> None:
    # A stream the process was started without (``>&-``) is None in sys.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
