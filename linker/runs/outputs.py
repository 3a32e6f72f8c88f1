"""The files a batch run writes besides its store (``--jsonl``, ``--csv``, ``--parquet``):
checked before the run, so a bad path is told before any work, and written after it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from linker.files import check_output, write_atomic
from linker.runs.store import Store


@dataclass(frozen=True)
class Outputs:
    jsonl: Path | None = None
    csv: Path | None = None
    parquet: Path | None = None

    def check(self) -> None:
        """Refuse, before the run, paths that cannot be written.

        Raises:
            InputError: a path that is a folder, a missing folder's file, a device…
        """
        for path, option in ((self.jsonl, "--jsonl"), (self.csv, "--csv")):
            if path is not None:
                check_output(path, option)
        if self.parquet is not None:
            from linker.runs.parquet import check_target, require_pyarrow

            require_pyarrow()
            check_target(self.parquet)

    def write(self, store: Store, urls: list[str]) -> None:
        """Write each output asked for: the run's posts (``urls``) as JSON lines and CSV, the
        whole store as Parquet."""
        if self.parquet is not None:
            from linker.runs.parquet import write_parquet

            write_parquet(store, self.parquet)
        if self.jsonl is not None:
            write_atomic(self.jsonl, "".join(line + "\n" for line in store.jsonl(urls)))
        if self.csv is not None:
            write_atomic(self.csv, store.csv(urls))
