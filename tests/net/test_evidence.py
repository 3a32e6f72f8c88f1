"""The HTTP cache, recorded evidence replayed offline, and the Wayback Machine standing in for
a dead link or an article its outlet changed.

Servers are local (127.0.0.1) or cassettes; nothing else is ever contacted.
"""


import json
from pathlib import Path

from ..support.cli import run
from ..support.localserver import (
    Handler,
    Replay,
    one_line,
)

XINGHE = "https://www.ptt.cc/bbs/Stock/M.1773453912.A.1C3.html"


def test_the_cache_makes_a_second_check_request_nothing(tmp_path: Path) -> None:
    """Only successful answers are cached; a second check makes no request; --refresh does."""
    import vcr

    from ..conftest import CASSETTES

    player = vcr.VCR(cassette_library_dir=str(CASSETTES), record_mode="none")
    counts = []
    for flags in ([], [], ["--refresh"]):
        with player.use_cassette("stock_sina_faithful.yaml",
                                 allow_playback_repeats=True) as cassette:
            run("check", XINGHE, "--no-archive", *flags, expect_exit=0)
            counts.append(cassette.play_count)
    assert counts == [2, 0, 2]


def test_record_then_replay_offline(server: str, post_file: Path, tmp_path: Path) -> None:
    """--record saves every exchange; --replay gives the same result without the network."""

    evidence = tmp_path / "evidence.yaml"
    recorded = run("check", str(post_file), "--source", f"{server}/page", "--allow-private",
                   "--json", "--record", str(evidence), expect_exit=0)
    import yaml

    exchanges = yaml.safe_load(evidence.read_text(encoding="utf-8"))["interactions"]
    body = exchanges[0]["response"]["body"]["string"]
    assert "海港大學民意研究中心" in (body if isinstance(body, str) else body.decode("utf-8"))
    served = Handler.served
    replayed = run("check", str(post_file), "--source", f"{server}/page", "--allow-private",
                   "--json", "--replay", str(evidence), expect_exit=0)
    assert Handler.served == served  # nothing reached the server
    assert json.loads(replayed.stdout) == json.loads(recorded.stdout)
    other = run("check", str(post_file), "--source", f"{server}/pdf", "--allow-private",
                "--replay", str(evidence), expect_exit=2)
    one_line(other, "not in the evidence file")
    assert Handler.served == served
    missing = run("check", str(post_file), "--replay", str(tmp_path / "none.yaml"),
                  expect_exit=2)
    one_line(missing, "no such evidence file")


def test_dead_link_checked_against_the_archive(replay: Replay) -> None:
    """410 live; the Wayback Machine's copy from the post's day serves, and says so."""

    with replay("source_404_archived"):
        result = run("check", "https://www.ptt.cc/bbs/Gossiping/M.1777719704.A.A07.html",
                     "--json", "--no-cache", expect_exit=0)
    data = json.loads(result.stdout)
    assert data["verdict"] == "faithful"
    assert data["source"]["archived_at"].startswith("2026-05-02")
    assert data["source"]["archive_url"].startswith("https://web.archive.org/web/20260502")
    assert any("archived copy of 2026-05-02" in note for note in data["notes"])


def test_outlet_changed_the_article_later(replay: Replay) -> None:
    """The live page differs from the post, the archived copy from the post's day does not:
    the outlet changed its article, and the poster is not blamed."""

    with replay("outlet_changed_later"):
        result = run("check", XINGHE, "--json", "--no-cache", expect_exit=0)
    data = json.loads(result.stdout)
    assert data["verdict"] == "faithful"
    assert any("outlet changed the article" in note for note in data["notes"])
    with replay("outlet_changed_later"):
        live = run("check", XINGHE, "--json", "--no-cache", "--no-archive", expect_exit=1)
    assert json.loads(live.stdout)["verdict"] == "edited"


def test_dead_link_without_archive_copy(replay: Replay) -> None:
    """No archived copy either: unverifiable, and the reason says both."""
    with replay("source_404"):
        result = run("check", "https://www.ptt.cc/bbs/Stock/M.1780272000.A.DEA.html",
                     "--no-cache", expect_exit=2)
    one_line(result, "HTTP 404", "no archived copy either")


def test_outputs_are_written_atomically(replay: Replay, tmp_path: Path) -> None:
    """--output replaces the file whole; a failed run leaves an existing file untouched."""
    out = tmp_path / "report.json"
    out.write_text("previous", encoding="utf-8")
    run("check", "/no/such/post", "--json", "--output", str(out), expect_exit=2)
    assert out.read_text(encoding="utf-8") == "previous"
    with replay("stock_sina_faithful"):
        run("check", XINGHE, "--json", "--output", str(out), "--no-archive", expect_exit=0)
    assert out.read_text(encoding="utf-8").startswith("{")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.json")]
