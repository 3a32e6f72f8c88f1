"""Cited pages that fail — gone, refused, bombs, not HTML, too large — end in an unverifiable verdict
with the reason, never a traceback; readable ones, however broken their markup, are checked.

Servers are local (127.0.0.1) or cassettes; nothing else is ever contacted.
"""


from pathlib import Path

import pytest

from ..support.localserver import (
    check_source,
    one_line,
)


@pytest.mark.parametrize(("path", "message"), [
    ("/410", "HTTP 410"),
    ("/nothing", "HTTP 404"),
    ("/500", "HTTP 500 Internal Server Error, still after 3 retries"),
    ("/loop", "redirect loop"),
    ("/chain/0", "too many redirects"),
    ("/big", "page too large"),
    ("/bigdeclared", "page too large"),
    ("/bomb", "page too large"),
    ("/pdf", "application/pdf"),
    ("/image", "image/png"),
    ("/empty", "no article text"),
    ("/paywall", "does not contain the quoted text"),
])
def test_source_failures_are_unverifiable(server: str, post_file: Path, path: str,
                                          message: str) -> None:
    """Each failure of the cited page: exit 2, one clear line, no traceback."""
    result = check_source(post_file, server + path, "--allow-private")
    one_line(result, "could not check", message)


def test_a_source_slower_than_the_deadline_is_unverifiable(server: str, post_file: Path) -> None:
    result = check_source(post_file, server + "/slow", "--allow-private", timeout="1")
    one_line(result, "could not check", "the source (127.0.0.1) did not answer within 1 s")


@pytest.mark.parametrize("path", ["/page", "/mojibake", "/big5", "/gbk", "/malformed"])
def test_readable_pages_are_checked(server: str, post_file: Path, path: str) -> None:
    """Encodings without a header, a lying header, broken markup: still faithful."""
    result = check_source(post_file, server + path, "--allow-private", "--json", code=0)
    assert '"verdict": "faithful"' in result.stdout
