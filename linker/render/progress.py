"""The progress line of a batch run (on stderr)."""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


class _Outcome(Protocol):
    @property
    def status(self) -> str: ...


@contextmanager
def batch_progress(console: Console, label: str, tr: gettext.NullTranslations
                   ) -> Iterator[tuple[Callable[[int], None], Callable[[_Outcome], None]]]:
    """A progress line for a sweep of ``label``; yields the sweep's ``on_listed`` and
    ``on_outcome`` callbacks.  Below 100 columns the line keeps to one row: a shorter bar and
    shorter counts."""
    counts = {"faithful": 0, "edited": 0, "unverifiable": 0, "skipped": 0}
    narrow = console.width < 100
    with Progress(TextColumn("{task.description}"), BarColumn(bar_width=12 if narrow else 40),
                  MofNCompleteColumn(), TextColumn("{task.fields[counts]}"),
                  TimeRemainingColumn(), console=console, transient=False) as progress:
        task = progress.add_task(tr.gettext("listing {board}").format(board=label), total=None,
                                 counts="")

        def listed(n: int) -> None:
            progress.update(task, total=n,
                            description=tr.gettext("checking {board}").format(board=label))

        def done(outcome: _Outcome) -> None:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            if not narrow:
                line = tr.gettext("faithful {faithful} · edited {edited} · unverifiable "
                                  "{unverifiable} · unchanged {skipped}").format(**counts)
            elif counts["skipped"]:
                line = tr.gettext("faithful {faithful} · edited {edited} · n/a "
                                  "{unverifiable} · same {skipped}").format(**counts)
            else:
                line = tr.gettext("faithful {faithful} · edited {edited} · n/a "
                                  "{unverifiable}").format(**counts)
            progress.update(task, advance=1, counts=line)

        try:
            yield listed, done
        finally:
            progress.stop()
