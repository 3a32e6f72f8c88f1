"""The result store as Parquet, for DuckDB, pandas or Spark: ``linker batch --parquet DIR``.

Three datasets, each partitioned Hive-style by board and month of posting
(``DIR/checks/board=Gossiping/month=2026-03/part-0.parquet``); a post without a date goes
under ``month=unknown``:

* ``checks``: one row per checked post (verdict, scores, poster, outlet);
* ``findings``: one row per finding;
* ``metadata``: one row per metadata check (title, reporter, published, link…).

They are written from the store, so a rerun that skips unchanged posts still writes them
all, and the folder is replaced whole (written beside it, then swapped in): a reader never
sees half of one run and half of another.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from linker.errors import StoreError
from linker.messages import Msg
from linker.runs.store import Store

PARTITIONS = ("board", "month")


def require_pyarrow() -> None:
    """Fail early, before a long run, when pyarrow is missing."""
    import importlib.util

    if importlib.util.find_spec("pyarrow") is None:
        raise StoreError(Msg("--parquet needs pyarrow: pip install 'linker[cluster]'"),
                         stage="parquet")


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _month(posted_at: str | None) -> str:
    when = _when(posted_at)
    return when.strftime("%Y-%m") if when else "unknown"


QUERIES = {
    "checks": (
        "SELECT c.post_url, p.board, p.posted_at, p.author AS poster, p.title, c.source_url,"
        " s.final_url, s.host AS outlet, c.verdict, c.reason, c.coverage, c.added,"
        " (SELECT count(*) FROM findings f WHERE f.post_url = c.post_url"
        "  AND f.severity != 'low') AS serious_findings, c.checked_at, c.linker_version"
        " FROM checks c JOIN posts p ON p.url = c.post_url"
        " LEFT JOIN sources s ON s.url = c.source_url ORDER BY c.post_url"),
    "findings": (
        "SELECT f.post_url, p.board, p.posted_at, f.kind, f.severity, f.post_text,"
        " f.post_start, f.post_end, f.source_text, f.source_start, f.source_end, f.note"
        " FROM findings f JOIN posts p ON p.url = f.post_url ORDER BY f.post_url, f.id"),
    "metadata": (
        "SELECT m.post_url, p.board, p.posted_at, m.name, m.status, m.detail"
        " FROM metadata m JOIN posts p ON p.url = m.post_url ORDER BY m.post_url, m.name"),
}


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    text, integer, real = pa.string(), pa.int64(), pa.float64()
    taipei = pa.timestamp("s", tz="+08:00")
    utc = pa.timestamp("s", tz="UTC")
    common = [("post_url", text), ("board", text), ("month", text), ("posted_at", taipei)]
    return {
        "checks": pa.schema([*common, ("poster", text), ("title", text), ("source_url", text),
                             ("final_url", text), ("outlet", text), ("verdict", text),
                             ("reason", text), ("coverage", real), ("added", real),
                             ("serious_findings", integer), ("checked_at", utc),
                             ("linker_version", text)]),
        "findings": pa.schema([*common, ("kind", text), ("severity", text), ("post_text", text),
                               ("post_start", integer), ("post_end", integer),
                               ("source_text", text), ("source_start", integer),
                               ("source_end", integer), ("note", text)]),
        "metadata": pa.schema([*common, ("name", text), ("status", text), ("detail", text)]),
    }


def tables(store: Store) -> dict[str, Any]:
    """The three datasets as pyarrow tables (with the ``month`` column)."""
    import pyarrow as pa

    out = {}
    for name, schema in _schemas().items():
        cursor = store.conn.execute(QUERIES[name])
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor]
        for row in rows:
            row["month"] = _month(row["posted_at"])
            row["posted_at"] = _when(row["posted_at"])
            if "checked_at" in row:
                row["checked_at"] = _when(row["checked_at"])
        out[name] = pa.Table.from_pylist(rows, schema=schema)
    return out


def check_target(folder: Path) -> None:
    """Refuse a folder this would destroy: ``folder`` is replaced whole, so it must be new,
    empty, or one linker wrote (nothing in it but the three datasets)."""
    folder = Path(folder)
    if not folder.exists():
        return
    if not folder.is_dir() or not all(_ours(path, folder) for path in folder.rglob("*")):
        raise StoreError(Msg("--parquet {path} holds other files; it is replaced whole, so give "
                             "a new folder or one linker wrote", path=str(folder)),
                         input=str(folder), stage="parquet")


def _ours(path: Path, folder: Path) -> bool:
    """Whether ``path``, below ``folder``, is of the shape linker writes: a dataset folder,
    partition folders (``board=…``, ``month=…``) and Parquet files in them — at any depth a
    user's file is never taken for ours."""
    parts = path.relative_to(folder).parts
    if path.is_symlink():
        return False
    if path.is_dir():
        return parts[0] in QUERIES and all("=" in p for p in parts[1:])
    return (path.is_file() and parts[0] in QUERIES and path.suffix == ".parquet"
            and all("=" in p for p in parts[1:-1]))


def write_parquet(store: Store, folder: Path) -> dict[str, int]:
    """Write the store under ``folder`` (replacing what was there); rows per dataset."""
    require_pyarrow()
    import pyarrow as pa
    import pyarrow.dataset as ds

    folder = Path(folder)
    check_target(folder)
    staging = folder.with_name(f".{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    counts = {}
    try:
        staging.mkdir(parents=True)
        for name, table in tables(store).items():
            (staging / name).mkdir()
            counts[name] = table.num_rows
            if table.num_rows:
                ds.write_dataset(table, staging / name, format="parquet",
                                 partitioning=ds.partitioning(
                                     pa.schema([table.schema.field(p) for p in PARTITIONS]),
                                     flavor="hive"),
                                 existing_data_behavior="error")
        retired = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        if folder.exists():
            folder.rename(retired)
        staging.rename(folder)
        shutil.rmtree(retired, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreError(Msg("cannot write Parquet to {path}: {error}", path=str(folder),
                             error=exc.strerror or str(exc)), input=str(folder),
                         stage="parquet") from exc
    return counts
