"""The SQLite result store of batch runs, readable with any SQLite tool.

Schema (one row per post in ``posts`` and ``checks``; ``findings`` and ``metadata`` hang off
the post's URL; ``sources`` is keyed by the cited URL)::

    posts     url PK, board, author, title, posted_at (ISO 8601, +08:00), template,
              source_url, content_hash, edit_count, fetched_at
    sources   url PK, final_url, host, status, title, author, published, sitename,
              extraction, conversion, encoding, fetched_at
    checks    post_url PK → posts, source_url → sources, verdict
              (faithful|edited|unverifiable), reason, coverage, added, checked_at,
              linker_version, report (the linker.check/1 JSON document)
    findings  id PK, post_url → posts, kind, severity, post_text, post_start, post_end,
              source_text, source_start, source_end, note
    metadata  (post_url, name) PK, status, detail      -- title, reporter, published, link…
    rules     (post_url, rule) PK, status (ok|violation|unknown), evidence, profile, the
              rule's wording (says_en, says_zh_tw) and short names    -- board rules
    views     post_url PK → posts, html (the check view as ``--html`` draws it, zlib-compressed)
    results   (SQL view) url, board, poster, title, posted_at, outlet, verdict, coverage,
              serious_findings                     -- one row per checked post

Each post is written in one transaction, so an interrupted run loses nothing it finished.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import sqlite3
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from linker.errors import InputError, StoreError
from linker.messages import Msg
from linker.models import Post, RuleSummaryRow, SummaryRow
from linker.render.jsonout import SCHEMA as REPORT_SCHEMA
from linker.render.jsonout import rule_to_dict
from linker.sanitize import json_safe
from linker.version import __version__

if TYPE_CHECKING:
    from linker.models import RuleResult
    from linker.rules import BoardPost

SCHEMA = """
CREATE TABLE IF NOT EXISTS posts (
    url TEXT PRIMARY KEY,
    board TEXT NOT NULL,
    author TEXT,
    title TEXT,
    posted_at TEXT,
    template TEXT,
    source_url TEXT,
    content_hash TEXT,
    edit_count INTEGER,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    url TEXT PRIMARY KEY,
    final_url TEXT,
    host TEXT,
    status INTEGER,
    title TEXT,
    author TEXT,
    published TEXT,
    sitename TEXT,
    extraction TEXT,
    conversion TEXT,
    encoding TEXT,
    fetched_at TEXT
);
CREATE TABLE IF NOT EXISTS checks (
    post_url TEXT PRIMARY KEY REFERENCES posts(url) ON DELETE CASCADE,
    source_url TEXT,
    verdict TEXT NOT NULL CHECK (verdict IN ('faithful', 'edited', 'unverifiable')),
    reason TEXT,
    coverage REAL,
    added REAL,
    checked_at TEXT NOT NULL,
    linker_version TEXT,
    report TEXT
);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    post_url TEXT NOT NULL REFERENCES posts(url) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    post_text TEXT,
    post_start INTEGER,
    post_end INTEGER,
    source_text TEXT,
    source_start INTEGER,
    source_end INTEGER,
    note TEXT
);
CREATE INDEX IF NOT EXISTS findings_post ON findings(post_url);
CREATE VIEW IF NOT EXISTS results AS
SELECT p.url, p.board, p.author AS poster, p.title, p.posted_at, s.host AS outlet, c.verdict,
       c.coverage, (SELECT count(*) FROM findings f
                    WHERE f.post_url = p.url AND f.severity != 'low') AS serious_findings
FROM posts p JOIN checks c ON c.post_url = p.url LEFT JOIN sources s ON s.url = c.source_url;
CREATE TABLE IF NOT EXISTS views (
    post_url TEXT PRIMARY KEY REFERENCES posts(url) ON DELETE CASCADE,
    html BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS metadata (
    post_url TEXT NOT NULL REFERENCES posts(url) ON DELETE CASCADE,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (post_url, name)
);
CREATE TABLE IF NOT EXISTS rules (
    post_url TEXT NOT NULL REFERENCES posts(url) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'violation', 'unknown')),
    evidence TEXT,
    profile TEXT,
    says_en TEXT,
    says_zh_tw TEXT,
    short_en TEXT,
    short_zh_tw TEXT,
    PRIMARY KEY (post_url, rule)
);
CREATE INDEX IF NOT EXISTS rules_rule ON rules(rule, status);
"""

GROUPINGS = ("outlet", "poster", "day")


def content_hash(post: Post) -> str:
    """A fingerprint of what the author wrote (body and edit lines), not of the pushes."""
    digest = hashlib.sha256(post.body.encode("utf-8"))
    for edit in post.edits:
        digest.update(b"\x00" + edit.raw.encode("utf-8"))
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Known:
    """What the store remembers of a post, to decide whether a rerun checks it again."""

    content_hash: str | None
    edit_count: int | None
    verdict: str


@dataclass(frozen=True)
class Record:
    """One post's outcome, as a batch hands it to the store."""

    url: str
    board: str
    author: str | None
    title: str | None
    posted_at: datetime | None
    post: Post | None
    report_json: dict[str, Any] | None
    verdict: str
    reason: str | None
    view: bytes | None = None
    """The check view as an HTML page, zlib-compressed (see :func:`view_html`)."""


MAX_VIEW_BYTES = 32 * 1024 * 1024
"""The most a stored check view may inflate to (a view of the largest post is a few MB; a
store edited by someone else may hold a 1 MB blob that inflates to gigabytes)."""


def view_html(blob: bytes, limit: int = MAX_VIEW_BYTES) -> str:
    """The HTML page of a ``views`` row.

    Raises:
        StoreError: the row inflates past ``limit`` bytes, or is not a compressed page.
    """
    import zlib

    inflater = zlib.decompressobj()
    try:
        page = inflater.decompress(blob, limit + 1)
    except zlib.error as exc:
        raise StoreError(Msg("a stored check view is damaged: {error}", error=str(exc))) \
            from exc
    if len(page) > limit:
        raise StoreError(Msg("a stored check view inflates to over {n} MB; it is not shown",
                             n=limit // (1024 * 1024)))
    return page.decode("utf-8", "replace")






APPLICATION_ID = 0x4C4E4B52
"""``PRAGMA application_id`` of a store ("LNKR"): what tells a store from another program's
database before anything is written to it."""
SCHEMA_VERSION = 2
"""``PRAGMA user_version`` of the schema above (2: the ``rules`` table)."""
_TABLES = frozenset({"posts", "sources", "checks", "findings", "views", "metadata", "rules"})
_OBJECTS = _TABLES | {"results", "findings_post", "rules_rule"}


def _connect(path: Path, mode: str = "rwc") -> sqlite3.Connection:
    # A busy store (a report reading, a checkpoint) is waited for, not an error.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True,
                           isolation_level=None, timeout=30)


def _read_only(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A read-only connection to ``path``, and whether it had to be opened immutable: a
    store in WAL mode on read-only media (a CD, a read-only mount, another user's folder)
    cannot be opened even read-only without its ``-shm`` file, which cannot be created."""
    conn = _connect(path, "ro")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn, False
    except sqlite3.OperationalError:
        conn.close()
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True,
                           isolation_level=None)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn, True


def _recognise(conn: sqlite3.Connection, path: Path) -> str:
    """What the database on ``conn`` is: ``complete`` (a store of this schema), ``older`` (a
    store lacking tables or views added since), ``empty`` (a new store).

    Raises:
        StoreError: it is another program's database, or a newer linker's store.
    """
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    names = {name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
    if app == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise StoreError(Msg("{path} was written by a newer linker (store schema {n}); "
                                 "upgrade linker to use it", path=str(path), n=version),
                             input=str(path))
        return "complete" if names >= _OBJECTS and version == SCHEMA_VERSION else "older"
    tables = {name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    # A store written before stores were marked holds linker's tables and nothing else.
    ours = app == 0 and {"posts", "checks"} <= tables <= _TABLES and names <= _OBJECTS \
        and {"url", "content_hash"} <= {row[1] for row in conn.execute(
            "PRAGMA table_info(posts)")}
    if app == 0 and not names:
        return "empty"
    if not ours:
        other = sorted(names - _OBJECTS) or sorted(names)
        raise StoreError(Msg("{path} is another program's database, not a linker store (it "
                             "holds {tables}); it was left untouched: give another --db",
                             path=str(path), tables=", ".join(other[:5])
                             + (", …" if len(other) > 5 else "")), input=str(path))
    return "older"


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _store_errors(action: str) -> Callable[[_Method], _Method]:
    """SQLite failures (a corrupt file, a read-only one, a full disk) as one StoreError."""

    def wrap(method: _Method) -> _Method:
        @functools.wraps(method)
        def guarded(self: Store, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise StoreError(Msg("cannot {action} {path}: {error}", action=action,
                                     path=str(self.path), error=str(exc)),
                                 input=str(self.path)) from exc

        return guarded  # type: ignore[return-value]

    return wrap


class Store:
    """A result store in one SQLite file.

    Args:
        path: the database file (created when missing).
        writer: a batch run: take the store's lock (``FILE.lock``) so that a second batch on
            the same file stops at once with a clear message instead of checking the same
            posts twice.  Readers (``linker report``) need no lock: SQLite's WAL lets them
            read while a batch writes.
        read_only: a reader (``linker report``, ``linker browse``): the file is opened
            read-only, immutable on read-only media (``immutable`` says so).

    A store is recognised before anything is written to it: by its ``application_id``, or
    (stores written before it) by holding linker's tables and nothing else.

    Raises:
        StoreError: the file is not a SQLite database, is another program's database (left
            untouched), cannot be written, or another batch holds it.
    """

    def __init__(self, path: str | Path, *, writer: bool = False,
                 read_only: bool = False) -> None:
        self.path = Path(path)
        self._lock: Any = None
        if writer:
            from filelock import FileLock, Timeout

            self._lock = FileLock(f"{self.path}.lock", timeout=0)
            try:
                self._lock.acquire()
            except Timeout:
                raise StoreError(Msg("{path} is in use by another linker batch; wait for it to "
                                     "finish or give another --db", path=str(path)),
                                 input=str(path)) from None
            except OSError as exc:
                raise StoreError(Msg("cannot lock {path}: {error}", path=str(path),
                                     error=exc.strerror or ""), input=str(path)) from exc
        self.immutable = False
        try:
            if read_only:
                self.conn, self.immutable = _read_only(self.path)
                kind = _recognise(self.conn, self.path)
                if kind == "empty":
                    raise StoreError(Msg("{path} is empty: no batch has written to it",
                                         path=str(path)), input=str(path))
                if kind == "older":
                    self._bring_up_to_date()
            else:
                if self.path.exists() and self.path.stat().st_size:
                    # Looked at read-only first: another program's database is left as it was.
                    probe = _connect(self.path, "ro")
                    try:
                        _recognise(probe, self.path)
                    finally:
                        probe.close()
                self.conn = _connect(self.path)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
                if _recognise(self.conn, self.path) != "complete":
                    self._write_schema(self.conn)
        except StoreError:
            self._close_quietly()
            raise
        except (sqlite3.Error, OSError) as exc:
            self._close_quietly()
            raise StoreError(Msg("cannot use {path} as a result store: {error}", path=str(path),
                                     error=str(exc)),
                             input=str(path)) from exc

    @staticmethod
    def _write_schema(conn: sqlite3.Connection) -> None:
        conn.executescript(SCHEMA)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _bring_up_to_date(self) -> None:
        """A reader of an older store adds the tables and views it lacks (the ``results``
        view, ``views``), when it may write; on read-only media it reads the store as it is."""
        try:
            conn = _connect(self.path, "rw")
        except sqlite3.Error:
            return
        try:
            self._write_schema(conn)
        except sqlite3.Error:
            pass
        finally:
            conn.close()

    def _close_quietly(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
        self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def close(self) -> None:
        """Close the database (and release the batch lock)."""
        self.conn.close()
        self._unlock()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @_store_errors(Msg("read"))
    def known(self) -> dict[str, Known]:
        """Every checked post: URL → what the store remembers."""
        rows = self.conn.execute(
            "SELECT p.url, p.content_hash, p.edit_count, c.verdict FROM posts p "
            "JOIN checks c ON c.post_url = p.url")
        return {url: Known(h, n, v) for url, h, n, v in rows}

    @_store_errors(Msg("write to"))
    def save(self, record: Record) -> None:
        """Write one post's outcome in a single transaction (replacing an older one)."""
        post, report = record.post, record.report_json
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM findings WHERE post_url = ?", (record.url,))
            conn.execute("DELETE FROM metadata WHERE post_url = ?", (record.url,))
            conn.execute("DELETE FROM views WHERE post_url = ?", (record.url,))
            conn.execute("DELETE FROM rules WHERE post_url = ?", (record.url,))
            conn.execute(
                "INSERT INTO posts (url, board, author, title, posted_at, template, source_url,"
                " content_hash, edit_count, fetched_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(url) DO UPDATE SET board=excluded.board, author=excluded.author,"
                " title=excluded.title, posted_at=excluded.posted_at,"
                " template=excluded.template, source_url=excluded.source_url,"
                " content_hash=excluded.content_hash, edit_count=excluded.edit_count,"
                " fetched_at=excluded.fetched_at",
                (record.url, record.board, record.author, record.title,
                 record.posted_at.isoformat() if record.posted_at else None,
                 post.template if post else None,
                 post.fields.source_url if post else None,
                 content_hash(post) if post else None,
                 len(post.edits) if post else None, _now()))
            source = report.get("source") if report else None
            source_key = None
            if isinstance(source, dict):
                source_key = source.get("url") or source.get("final_url")
                if source_key:
                    final = source.get("final_url") or source_key
                    conn.execute(
                        "INSERT OR REPLACE INTO sources (url, final_url, host, status, title,"
                        " author, published, sitename, extraction, conversion, encoding,"
                        " fetched_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        (source_key, final, urlsplit(str(final)).hostname, source.get("status"),
                         source.get("title"), source.get("author"), source.get("published"),
                         source.get("sitename"), source.get("extraction"),
                         source.get("conversion"), source.get("encoding"), _now()))
            scores = report.get("scores") if report else None
            coverage = scores.get("coverage") if isinstance(scores, dict) else None
            added = scores.get("added") if isinstance(scores, dict) else None
            conn.execute(
                "INSERT OR REPLACE INTO checks (post_url, source_url, verdict, reason, coverage,"
                " added, checked_at, linker_version, report) VALUES (?,?,?,?,?,?,?,?,?)",
                (record.url, source_key or (post.fields.source_url if post else None),
                 record.verdict, record.reason, coverage, added, _now(), __version__,
                 json_safe(json.dumps(report, ensure_ascii=False)) if report else None))
            for f in (report.get("findings") or []) if report else []:
                assert isinstance(f, dict)
                ps, ss = f.get("post_span") or [None, None], f.get("source_span") or [None, None]
                conn.execute(
                    "INSERT INTO findings (post_url, kind, severity, post_text, post_start,"
                    " post_end, source_text, source_start, source_end, note)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (record.url, f["kind"], f["severity"], f["post_text"], ps[0], ps[1],
                     f["source_text"], ss[0], ss[1], f["note"]))
            for c in (report.get("checks") or []) if report else []:
                assert isinstance(c, dict)
                conn.execute("INSERT OR REPLACE INTO metadata (post_url, name, status, detail)"
                             " VALUES (?,?,?,?)", (record.url, c["name"], c["status"],
                                                   c["detail"]))
            if record.view is not None:
                conn.execute("INSERT INTO views (post_url, html) VALUES (?, ?)",
                             (record.url, record.view))
            profile = report.get("rule_profile") if report else None
            for r in (report.get("rules") or []) if report else []:
                assert isinstance(r, dict)
                _save_rule(conn, record.url, profile, r)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @_store_errors(Msg("read"))
    def board_posts(self) -> list[BoardPost]:
        """What the board-wide rules need of every stored post (see :mod:`linker.rules`)."""
        from linker.compare.normalise import canonical
        from linker.rules import BoardPost
        from linker.runs.warc import url_key

        out = []
        for url, board, author, posted_at, link, final, report in self.conn.execute(
                "SELECT p.url, p.board, p.author, p.posted_at, p.source_url, s.final_url, "
                "c.report FROM posts p JOIN checks c ON c.post_url = p.url "
                "LEFT JOIN sources s ON s.url = c.source_url"):
            quote = ""
            if report:
                post = json.loads(report).get("post") or {}
                quote = str((post.get("fields") or {}).get("quote") or "")
            cited = final or link
            out.append(BoardPost(url=url, board=board or "", author=author,
                                 posted_at=datetime.fromisoformat(posted_at) if posted_at
                                 else None, source_key=url_key(cited) if cited else None,
                                 text=canonical(quote)))
        return out

    @_store_errors(Msg("write to"))
    def save_rules(self, profile: str, results: dict[str, list[RuleResult]]) -> None:
        """Store board-wide rule results (``post URL → results``) in one transaction."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for url, items in results.items():
                for item in items:
                    _save_rule(conn, url, profile, rule_to_dict(item))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _rules_of(self, url: str) -> list[dict[str, Any]] | None:
        """A post's stored rule results as ``linker.check/1`` gives them (None: the store
        predates rules)."""
        from linker.rules import RULE_IDS

        try:
            rows = self.conn.execute(
                "SELECT rule, status, evidence, says_en, says_zh_tw, short_en, short_zh_tw "
                "FROM rules WHERE post_url = ?", (url,)).fetchall()
        except sqlite3.OperationalError:
            return None
        order = {r: i for i, r in enumerate(RULE_IDS)}
        return [{"id": r[0], "status": r[1], "evidence": r[2],
                 "rule": {"en": r[3], "zh-TW": r[4]}, "short": {"en": r[5], "zh-TW": r[6]}}
                for r in sorted(rows, key=lambda r: order.get(r[0], len(order)))]

    @_store_errors(Msg("read"))
    def _rows(self, urls: Iterable[str] | None = None) -> list[sqlite3.Row]:
        self.conn.row_factory = sqlite3.Row
        try:
            query = (
                "SELECT p.url, p.board, p.author, p.title, p.posted_at, p.source_url,"
                " s.final_url, s.host, c.verdict, c.reason, c.coverage, c.added, c.report,"
                " (SELECT COUNT(*) FROM findings f WHERE f.post_url = p.url"
                "   AND f.severity = 'high') AS high,"
                " (SELECT COUNT(*) FROM findings f WHERE f.post_url = p.url"
                "   AND f.severity = 'medium') AS medium,"
                " (SELECT COUNT(*) FROM findings f WHERE f.post_url = p.url"
                "   AND f.severity = 'low') AS low"
                " FROM posts p JOIN checks c ON c.post_url = p.url"
                " LEFT JOIN sources s ON s.url = c.source_url")
            rows = list(self.conn.execute(query + " ORDER BY p.posted_at, p.url"))
        finally:
            self.conn.row_factory = None
        if urls is not None:
            wanted = set(urls)
            rows = [r for r in rows if r["url"] in wanted]
        return rows

    @_store_errors(Msg("read"))
    def rule_summary(self) -> list[RuleSummaryRow]:
        """Per board rule: how many posts break it, keep it, or could not be decided."""
        from linker.rules import RULE_IDS

        try:
            rows = self.conn.execute(
                "SELECT rule, profile, sum(status = 'violation'), sum(status = 'ok'), "
                "sum(status = 'unknown'), max(short_en), max(short_zh_tw) FROM rules "
                "GROUP BY rule, profile").fetchall()
        except sqlite3.OperationalError:  # a store from before rules, read-only
            return []
        order = {r: i for i, r in enumerate(RULE_IDS)}
        out = [RuleSummaryRow(rule=r[0], profile=r[1] or "", violations=r[2], kept=r[3],
                              unknown=r[4], short_en=r[5] or r[0], short_zh_tw=r[6] or r[0])
               for r in rows]
        return sorted(out, key=lambda r: (r.profile, order.get(r.rule, len(order))))

    @_store_errors(Msg("read"))
    def summary(self, by: str = "outlet") -> list[SummaryRow]:
        """Posts, verdicts, median coverage and the most common finding, grouped ``by``
        outlet (the cited page's host), poster or day."""
        if by not in GROUPINGS:
            raise InputError(Msg("--by must be one of {choices}",
                                 choices=", ".join((*GROUPINGS, "rule"))), stage="report")
        kinds: dict[str, Counter[str]] = defaultdict(Counter)
        for url, kind in self.conn.execute(
                "SELECT post_url, kind FROM findings WHERE severity != 'low'"):
            kinds[url][kind] += 1
        groups: dict[str, list[sqlite3.Row]] = defaultdict(list)
        for row in self._rows():
            if by == "outlet":
                key = row["host"] or (urlsplit(row["source_url"] or "").hostname or "(no link)")
            elif by == "poster":
                key = row["author"] or "(unknown)"
            else:
                key = (row["posted_at"] or "")[:10] or "(unknown)"
            groups[key].append(row)
        out = []
        for key, rows in groups.items():
            verdicts = Counter(r["verdict"] for r in rows)
            coverage = [r["coverage"] for r in rows if r["coverage"] is not None]
            finding_kinds: Counter[str] = Counter()
            for r in rows:
                finding_kinds.update(kinds.get(r["url"], Counter()))
            out.append(SummaryRow(
                key=key, posts=len(rows), faithful=verdicts["faithful"],
                edited=verdicts["edited"], unverifiable=verdicts["unverifiable"],
                median_coverage=statistics.median(coverage) if coverage else None,
                top_finding=finding_kinds.most_common(1)[0][0] if finding_kinds else None))
        return sorted(out, key=lambda r: (-r.posts, r.key))

    def jsonl(self, urls: Iterable[str] | None = None) -> Iterator[str]:
        """One linker.check/1 document a line (unverifiable posts without a report get a
        minimal document with their reason)."""
        for row in self._rows(urls):
            if row["report"]:
                doc = json.loads(row["report"])
                rules = self._rules_of(row["url"])
                if rules is not None and (rules or doc.get("rules")):
                    # Board-wide rules are decided after the post was checked: the table
                    # holds the decision.
                    doc["rules"] = rules
                yield json_safe(json.dumps(doc, ensure_ascii=False))
            else:
                yield json_safe(json.dumps(
                    {"schema": REPORT_SCHEMA, "verdict": row["verdict"],
                     "reason": row["reason"], "post": {"url": row["url"]}}, ensure_ascii=False))

    def csv(self, urls: Iterable[str] | None = None) -> str:
        """A CSV table of the posts, one row each."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        columns = ["url", "board", "author", "title", "posted_at", "source_url", "final_url",
                   "verdict", "reason", "coverage", "added", "high", "medium", "low"]
        writer.writerow(columns)
        for row in self._rows(urls):
            writer.writerow([row[c] for c in columns])
        return buffer.getvalue()


def _save_rule(conn: sqlite3.Connection, url: str, profile: object, r: dict[str, Any]) -> None:
    says, short = r.get("rule") or {}, r.get("short") or {}
    conn.execute(
        "INSERT OR REPLACE INTO rules (post_url, rule, status, evidence, profile, says_en, "
        "says_zh_tw, short_en, short_zh_tw) VALUES (?,?,?,?,?,?,?,?,?)",
        (url, r["id"], r["status"], r.get("evidence"), profile, says.get("en"),
         says.get("zh-TW"), short.get("en"), short.get("zh-TW")))


def rule_summary_csv(rows: list[RuleSummaryRow]) -> str:
    """``linker report --by rule`` as CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["rule", "profile", "violations", "kept", "unknown", "share_broken",
                     "short_en", "short_zh_tw"])
    for r in rows:
        writer.writerow([r.rule, r.profile, r.violations, r.kept, r.unknown,
                         round(r.share_broken, 4), r.short_en, r.short_zh_tw])
    return buffer.getvalue()


def summary_csv(rows: list[SummaryRow], by: str) -> str:
    """The summary table as CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([by, "posts", "faithful", "edited", "unverifiable", "share_edited",
                     "median_coverage", "top_finding"])
    for r in rows:
        writer.writerow([r.key, r.posts, r.faithful, r.edited, r.unverifiable,
                         round(r.share_edited, 4),
                         None if r.median_coverage is None else round(r.median_coverage, 4),
                         r.top_finding])
    return buffer.getvalue()
