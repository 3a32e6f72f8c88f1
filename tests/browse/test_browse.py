"""``linker browse``: a batch store on Datasette with linker's metadata and plugin."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("datasette", reason="the browse extra (Datasette) is not installed")

from datasette.utils import tilde_encode

from linker.browse import CANNED_QUERIES, datasette, view_url
from linker.check import check_post
from linker.net.fetch import Client, read_post_document
from linker.ptt.parse import parse_document
from linker.render.jsonout import report_to_dict
from linker.rules import RULE_IDS
from linker.runs.local import run_batch
from linker.runs.store import Record, Store, view_html
from linker.runs.sweep import BatchOptions, check_view

from ..support.board import EXPECTED, board
from ..support.board import client as board_client
from ..support.cli import run
from ..support.views import XINGHE


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("browse") / "newslab.db"
    with board(), Store(db, writer=True) as s:
        run_batch(BatchOptions("NewsLab", pages=3, jobs=0, rules="gossiping"), board_client(), s)
    return db


def get(db: Path, path: str) -> Any:
    async def fetch() -> Any:
        return await datasette(db).client.get(path)

    return asyncio.run(fetch())


def edited_post(db: Path) -> tuple[str, int]:
    with sqlite3.connect(db) as conn:
        url, n = conn.execute(
            "SELECT c.post_url, count(f.id) FROM checks c JOIN findings f ON f.post_url = "
            "c.post_url WHERE c.verdict = 'edited' GROUP BY c.post_url ORDER BY 2 DESC").fetchone()
    return str(url), int(n)


def test_every_checked_post_keeps_its_view(store: Path) -> None:
    with sqlite3.connect(store) as conn:
        rows = conn.execute("SELECT v.post_url, v.html, c.verdict FROM views v "
                            "JOIN checks c ON c.post_url = v.post_url").fetchall()
    assert len(rows) == len(EXPECTED)
    for _url, blob, verdict in rows:
        page = view_html(blob)
        assert page.startswith("<!DOCTYPE html>")
        label = {"faithful": "FAITHFUL", "edited": "EDITED", "unverifiable": "UNVERIFIABLE"}
        assert label[verdict] in page


def test_metadata_facets_and_results_view(store: Path) -> None:
    data = get(store, "/newslab/results.json?_shape=objects&_size=100").json()
    facets = data["facet_results"]
    results = facets.get("results", facets)
    assert {"outlet", "poster", "verdict"} <= set(results)
    verdicts = {v["value"]: v["count"] for v in results["verdict"]["results"]}
    assert verdicts == {v: list(EXPECTED.values()).count(v) for v in set(EXPECTED.values())}
    findings = get(store, "/newslab/findings.json").json()["facet_results"]
    findings = findings.get("results", findings)
    assert {"kind", "severity"} <= set(findings)
    page = get(store, "/newslab/results").text
    assert "Posts and verdicts" in page
    first = next(iter(EXPECTED))
    assert f'/newslab/posts/{tilde_encode(first)}' in page  # a result links to its post


def test_canned_queries_answer(store: Path) -> None:
    posters = get(store, "/newslab/most_edited_posters.json?_shape=objects").json()["rows"]
    assert posters and all(r["edited"] + r["faithful"] >= 2 for r in posters)
    assert posters == sorted(posters, key=lambda r: (-r["edited"], -(r["edited_percent"] or 0)))
    with sqlite3.connect(store) as conn:
        numbers = conn.execute("SELECT count(*) FROM findings WHERE kind = 'altered' AND "
                               "note LIKE 'number changed%'").fetchone()[0]
    outlets = get(store, "/newslab/outlets_with_altered_numbers.json?_shape=objects").json()
    assert sum(r["numbers_changed"] for r in outlets["rows"]) == numbers > 0
    assert set(CANNED_QUERIES) == {"most_edited_posters", "outlets_with_altered_numbers",
                                   "source_changed_after_posting"} | {
        f"rule_{r.replace('-', '_')}" for r in RULE_IDS}


def test_a_canned_query_and_a_facet_per_board_rule(store: Path) -> None:
    with sqlite3.connect(store) as conn:
        broken = dict(conn.execute("SELECT rule, count(*) FROM rules WHERE status = "
                                   "'violation' GROUP BY rule").fetchall())
    conn.close()
    assert broken  # the NewsLab board breaks some of Gossiping's rules
    for rule_id in RULE_IDS:
        rows = get(store, f"/newslab/rule_{rule_id.replace('-', '_')}.json?_shape=objects"
                   ).json()["rows"]
        assert len(rows) == broken.get(rule_id, 0), rule_id
        assert all(r["evidence"] for r in rows)
    facets = get(store, "/newslab/rules.json?_facet=rule&_facet=status").json()["facet_results"]
    facets = facets.get("results", facets)
    statuses = {v["value"] for v in facets["status"]["results"]}
    assert "violation" in statuses and statuses <= {"ok", "violation", "unknown"}


def test_source_changed_after_posting_query(replay: Any, client: Client,
                                            tmp_path: Path) -> None:
    db = tmp_path / "changed.db"
    with replay("outlet_changed_later"):
        post = parse_document(read_post_document(XINGHE, client))
        report = check_post(post, client)
    assert report.verdict == "faithful"
    with Store(db, writer=True) as s:
        s.save(Record(url=post.url or XINGHE, board="Stock", author=post.author,
                      title=post.title, posted_at=post.time, post=post,
                      report_json=report_to_dict(report), verdict=report.verdict,
                      reason=None, view=check_view(report)))
    rows = get(db, "/changed/source_changed_after_posting.json?_shape=objects").json()["rows"]
    assert [r["url"] for r in rows] == [post.url or XINGHE]
    assert rows[0]["archived_copy"]


def test_row_page_shows_the_view_and_links_each_finding(store: Path) -> None:
    url, _n = edited_post(store)
    page = get(store, f"/newslab/posts/{tilde_encode(url)}").text
    src = view_url("newslab", url)
    assert f'<iframe name="linker-view" title="check view" src="{src}" sandbox=""' in \
        page.replace("&amp;", "&")
    with sqlite3.connect(store) as conn:
        severities = [s for (s,) in conn.execute(
            "SELECT severity FROM findings WHERE post_url = ? ORDER BY id", (url,))]
    linked = {int(n) for n in re.findall(r'#finding-(\d+)" target="linker-view"', page)}
    assert linked == {n for n, s in enumerate(severities) if s != "low"}
    view = get(store, src)
    assert view.status_code == 200
    for n in linked:  # each link lands on its anchor in the view
        assert f'id="finding-{n}"' in view.text
    assert get(store, view_url("newslab", "https://www.ptt.cc/nope")).status_code == 404


def test_cli_browse_refuses_what_it_cannot_serve(tmp_path: Path) -> None:
    out = run("browse", str(tmp_path / "none.db"), expect_exit=2)
    assert "no such store" in out.stderr and "Traceback" not in out.stderr


def test_metadata_is_json_serialisable() -> None:
    from linker.browse import metadata

    assert json.loads(json.dumps(metadata("x")))["databases"]["x"]["tables"]["views"] == {
        "hidden": True}


def _with_view(tmp_path: Path, blob: bytes) -> tuple[Path, str]:
    """A copy of a store whose one view row was rewritten by someone else."""
    db = tmp_path / "edited.db"
    url = "https://www.ptt.cc/bbs/Stock/M.1773453912.A.E99.html"
    with Store(db, writer=True) as s:
        s.save(Record(url=url, board="Stock", author="x", title="t", posted_at=None, post=None,
                      report_json=None, verdict="unverifiable", reason="r", view=blob))
    return db, url


def test_a_stored_view_is_served_as_inert_data(tmp_path: Path) -> None:
    """HTML written into the store by someone else runs nothing and reaches nothing: a strict
    Content-Security-Policy with a sandbox of its own, and a sandboxed iframe."""
    import zlib

    evil = b"<html><script>fetch('/-/actor.json')</script><img src=https://x.example/t></html>"
    db, url = _with_view(tmp_path, zlib.compress(evil))
    view = get(db, view_url("edited", url))
    assert view.status_code == 200
    policy = view.headers["content-security-policy"]
    for directive in ("default-src 'none'", "sandbox", "form-action 'none'", "base-uri 'none'"):
        assert directive in policy
    assert "script-src" not in policy and "unsafe-eval" not in policy
    assert view.headers["x-content-type-options"] == "nosniff"


def test_a_stored_view_inflates_under_a_cap(tmp_path: Path) -> None:
    """64 MB of HTML in a 64 KB blob: refused with a line, not inflated whole."""
    import zlib

    from linker.errors import StoreError
    from linker.runs.store import MAX_VIEW_BYTES

    inflater = zlib.compressobj(9)
    blob = b"".join(inflater.compress(b"<p>" + b"x" * (1 << 20)) for _ in range(64))
    blob += inflater.flush()
    assert len(blob) < 1 << 20
    with pytest.raises(StoreError, match="inflates to over 32 MB"):
        view_html(blob)
    db, url = _with_view(tmp_path, blob)
    view = get(db, view_url("edited", url))
    assert view.status_code == 422 and "inflates to over" in view.text
    assert len(view.content) < 1000
    assert MAX_VIEW_BYTES == 32 << 20
