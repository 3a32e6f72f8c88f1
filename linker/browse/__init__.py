"""``linker browse``: a batch store in the browser, on Datasette.

The store is already a SQLite database; this package makes it a first-class Datasette site:

* :func:`metadata` titles the tables, describes every column, sets the facets (outlet,
  poster, verdict, finding kind) and ships canned queries;
* the package is also a Datasette plugin: ``/-/linker/view/<db>?post=URL`` serves a post's
  check view (the page ``--html`` writes, kept in the ``views`` table), and a post's row page
  shows that view with its serious findings listed, each linking to its place in the view.

Datasette is an optional extra (``pip install 'linker[browse]'``); nothing here is imported
unless ``linker browse`` runs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import Response

from linker.errors import StoreError
from linker.rules import RULE_IDS
from linker.runs.store import view_html

VIEW_ROUTE = "/-/linker/view/{database}"
VIEW_HEADERS = {
    # A stored view is data, not code: anyone who can write the store file can write it. It
    # runs nothing, loads nothing, sends nothing, and lives in an origin of its own (sandbox),
    # away from Datasette's, whatever HTML it holds. linker's views need their inline styles
    # only.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                               "base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'self'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
ROW_TABLES = ("posts", "checks")
"""Tables (and views) whose row page is a post: they show its check view."""

_EDITED_SHARE = ("round(100.0 * sum(c.verdict = 'edited') / "
                 "nullif(sum(c.verdict IN ('faithful', 'edited')), 0), 1)")

CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "most_edited_posters": {
        "title": "Most-edited posters",
        "description": "Posters whose reposts were most often edited (at least 2 checked).",
        "sql": f"""SELECT p.author AS poster, count(*) AS posts,
       sum(c.verdict = 'edited') AS edited, sum(c.verdict = 'faithful') AS faithful,
       {_EDITED_SHARE} AS edited_percent
FROM posts p JOIN checks c ON c.post_url = p.url
GROUP BY p.author
HAVING sum(c.verdict IN ('faithful', 'edited')) >= 2
ORDER BY edited DESC, edited_percent DESC""",
    },
    "outlets_with_altered_numbers": {
        "title": "Outlets with altered numbers",
        "description": "Outlets whose articles were reposted with a number changed.",
        "sql": """SELECT s.host AS outlet, count(DISTINCT f.post_url) AS posts,
       count(*) AS numbers_changed
FROM findings f JOIN checks c ON c.post_url = f.post_url
JOIN sources s ON s.url = c.source_url
WHERE f.kind = 'altered' AND f.note LIKE 'number changed%'
GROUP BY s.host ORDER BY posts DESC, numbers_changed DESC""",
    },
    "source_changed_after_posting": {
        "title": "Posts whose source changed after posting",
        "description": "The outlet edited its article after the post: the repost matches the "
                       "archived copy better than today's page.",
        "sql": """SELECT p.url, p.author AS poster, p.title, p.posted_at, c.verdict,
       json_extract(c.report, '$.source.archived_at') AS archived_copy
FROM posts p JOIN checks c ON c.post_url = p.url
WHERE c.report LIKE '%the outlet changed the article after it was posted%'
ORDER BY p.posted_at DESC""",
    },
}

def _rule_query(rule_id: str) -> dict[str, Any]:
    return {
        "title": f"Posts breaking {rule_id}",
        "description": f"Posts that break the board rule {rule_id}, with the evidence.",
        "sql": f"""SELECT p.url, p.board, p.author AS poster, p.title, p.posted_at,
       r.evidence, r.says_en AS rule, r.profile
FROM rules r JOIN posts p ON p.url = r.post_url
WHERE r.rule = '{rule_id}' AND r.status = 'violation'
ORDER BY p.posted_at DESC""",
    }


CANNED_QUERIES.update({f"rule_{rule_id.replace('-', '_')}": _rule_query(rule_id)
                       for rule_id in RULE_IDS})

COLUMNS: dict[str, dict[str, str]] = {
    "posts": {
        "url": "The post on ptt.cc", "board": "PTT board", "author": "Poster's PTT id",
        "title": "BBS title", "posted_at": "When it was posted (ISO 8601, Taiwan time)",
        "template": "Board template the post follows", "source_url": "The link it cites",
        "content_hash": "Hash of the post text (a rerun checks changed posts again)",
        "edit_count": "How often the poster edited it", "fetched_at": "When linker read it",
    },
    "checks": {
        "post_url": "The post", "source_url": "The page it was checked against",
        "verdict": "faithful, edited or unverifiable", "reason": "Why it could not be checked",
        "coverage": "Share of the article that was quoted (0–1)",
        "added": "Share of the quote not in the article (0–1)",
        "checked_at": "When it was checked", "linker_version": "linker version",
        "report": "The whole linker.check/1 JSON report",
    },
    "findings": {
        "post_url": "The post", "kind": "omitted, added, altered or moved",
        "severity": "high, medium or low", "post_text": "Text as posted",
        "post_start": "Start offset in the quote", "post_end": "End offset in the quote",
        "source_text": "Text in the source", "source_start": "Start offset in the source",
        "source_end": "End offset in the source", "note": "Why it counts",
    },
    "sources": {
        "url": "The cited link", "final_url": "Where it led", "host": "Outlet's host",
        "status": "HTTP status", "title": "Headline", "author": "Byline",
        "published": "Publish time the page gives", "sitename": "Outlet's name",
        "extraction": "How the article was extracted", "conversion": "Script conversion",
        "encoding": "Page encoding", "fetched_at": "When it was fetched",
    },
    "rules": {"post_url": "The post", "rule": "The board rule's id",
              "status": "ok, violation or unknown (linker cannot tell)",
              "evidence": "What linker found", "profile": "The rule profile applied",
              "says_en": "The rule, as the profile words it", "says_zh_tw": "The rule in Chinese",
              "short_en": "Its name in push lines", "short_zh_tw": "Its Chinese name"},
    "metadata": {"post_url": "The post", "name": "title, reporter, published, link or "
                 "commentary", "status": "ok, mismatch, missing, warning or skipped",
                 "detail": "What was found"},
    "results": {
        "url": "The post", "board": "PTT board", "poster": "Poster's PTT id",
        "title": "BBS title", "posted_at": "When it was posted", "outlet": "Outlet's host",
        "verdict": "faithful, edited or unverifiable", "coverage": "Share of the article quoted",
        "serious_findings": "Medium and high findings",
    },
}


def metadata(title: str) -> dict[str, Any]:
    """Datasette metadata for a store called ``title``."""
    facets = {"posts": ["board", "author"], "checks": ["verdict"],
              "findings": ["kind", "severity"], "sources": ["host"],
              "metadata": ["name", "status"], "results": ["outlet", "poster", "verdict"],
              "rules": ["rule", "status", "profile"]}
    tables: dict[str, Any] = {
        name: {"columns": COLUMNS[name], "facets": facets[name]} for name in COLUMNS}
    tables["results"].update(title="Posts and verdicts", sort_desc="posted_at",
                             description="One row per post: who, which outlet, the verdict.")
    tables["findings"]["title"] = "Findings"
    tables["views"] = {"hidden": True}
    return {
        "title": f"linker: {title}",
        "description": "PTT news reposts checked against the articles they cite.",
        "about": "linker", "about_url": "https://github.com/linker-ptt/linker",
        "databases": {title: {"tables": tables, "queries": CANNED_QUERIES}},
    }


def view_url(database: str, post_url: str) -> str:
    return VIEW_ROUTE.format(database=quote(database, safe="")) + "?post=" + quote(
        post_url, safe="")


async def _view(datasette: Any, request: Any) -> Response:
    post = request.args.get("post")
    try:
        db = datasette.get_database(request.url_vars["database"])
    except KeyError:
        return Response.text("no such database", status=404)
    row = (await db.execute("SELECT html FROM views WHERE post_url = ?", [post])).first()
    if row is None:
        return Response.text("no check view is stored for this post", status=404,
                             headers=VIEW_HEADERS)
    try:
        page = view_html(row[0])
    except StoreError as exc:
        return Response.text(exc.text(), status=422, headers=VIEW_HEADERS)
    return Response.html(page, headers=VIEW_HEADERS)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/linker/view/(?P<database>[^/]+)$", _view)]


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str | None,
                datasette: Any) -> Any:
    # SQL views have no row pages: a result's post links to its row in ``posts``.
    if table != "results" or column != "url" or not isinstance(value, str) or database is None:
        return None
    from datasette.utils import tilde_encode
    from markupsafe import Markup, escape

    href = datasette.urls.table(database, "posts") + "/" + tilde_encode(value)
    return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None,
                        request: Any, datasette: Any) -> Any:
    if template != "row.html" or table not in ROW_TABLES or database is None:
        return {}

    async def inner() -> dict[str, Any]:
        post_url = tilde_decode(request.url_vars.get("pks", ""))
        db = datasette.get_database(database)
        if (await db.execute("SELECT 1 FROM views WHERE post_url = ?", [post_url])).first() \
                is None:
            return {}
        rows = (await db.execute(
            "SELECT kind, severity, note, post_text, source_text FROM findings "
            "WHERE post_url = ? ORDER BY id", [post_url])).rows
        findings = [{"n": n, "kind": r[0], "severity": r[1], "note": r[2],
                     "text": (r[3] or r[4] or "")[:40]}
                    for n, r in enumerate(rows) if r[1] != "low"]
        try:
            broken = [{"rule": r[0], "says": r[1], "evidence": r[2]} for r in (await db.execute(
                "SELECT rule, says_en, evidence FROM rules WHERE post_url = ? AND "
                "status = 'violation'", [post_url])).rows]
        except sqlite3.OperationalError:  # a store from before rules has no such table
            broken = []
        return {"linker_view_url": view_url(database, post_url), "linker_findings": findings,
                "linker_rules": broken}

    return inner


def serve(db: Path, *, host: str = "127.0.0.1", port: int = 8001,
          immutable: bool = False) -> None:
    """Serve ``db`` with Datasette, this package registered as a plugin, until interrupted."""
    import uvicorn

    uvicorn.run(datasette_app(db, immutable=immutable), host=host, port=port,
                log_level="warning")


def datasette(db: Path, *, immutable: bool = False) -> Any:
    """A Datasette serving ``db`` with linker's metadata, this package as its plugin;
    ``immutable`` for a store on read-only media (see :class:`linker.runs.store.Store`)."""
    import sys

    from datasette.app import Datasette
    from datasette.plugins import pm

    plugin = sys.modules[__name__]
    if not pm.is_registered(plugin):
        pm.register(plugin, name="linker")
    files = {"immutables" if immutable else "files": [str(db)]}
    return Datasette(**files, metadata=metadata(db.stem), settings={"sql_time_limit_ms": 5000})


def datasette_app(db: Path, *, immutable: bool = False) -> Any:
    """The ASGI app of :func:`datasette`."""
    return datasette(db, immutable=immutable).app()
