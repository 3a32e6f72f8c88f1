"""What a person sees in a real browser: the ``--html`` export and ``linker browse``.

Chromium (Debian's ``chromium`` package, or LINKER_CHROMIUM=/path) is driven headless by
Playwright.  Skipped with the reason when either is missing.  With LINKER_SCREENSHOTS=DIR the
Datasette row page is also saved there as ``browse.png`` (the README's screenshot).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="Playwright is not installed (pip install playwright)")
CHROMIUM = os.environ.get("LINKER_CHROMIUM") or shutil.which("chromium") or shutil.which(
    "chromium-browser")
if not CHROMIUM:
    pytest.skip("no Chromium installed (apt install chromium, or set LINKER_CHROMIUM)",
                allow_module_level=True)

from ..support.cli import run  # noqa: E402
from ..support.views import XINGHE  # noqa: E402

# As this machine's closed network needs: no background connections, no sandbox as root.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


SEPARATORS_JS = """() => {
  // The x position of every column separator (│) of the side-by-side table.
  const xs = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (let i = 0; i < node.data.length; i++) {
      if (node.data[i] !== '│') continue;
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect();
      xs.push(r.left);
    }
  }
  return xs;
}"""


def test_html_export_in_a_browser(page: Any, replay: Any, tmp_path: Path) -> None:
    html = tmp_path / "view.html"
    with replay("stock_sina_edited"):
        run("check", XINGHE, "--side-by-side", "--lang", "zh-TW", "--width", "100",
            "--html", str(html), "--no-pager", expect_exit=1)
    page.goto(html.as_uri())
    text = page.inner_text("body")
    assert "有改動" in text and "數字改動：42% → 62%" in text
    assert "這根本是遙遙領先" in text
    # The side-by-side columns line up: every row's separator at the same x.
    xs = page.evaluate(SEPARATORS_JS)
    assert len(xs) >= 5
    assert max(xs) - min(xs) < 1.0, xs
    # Each finding in the list links to its marked text, which is on screen after a click.
    links = page.locator('a[href^="#finding-"]:not([id])')
    assert links.count() >= 3
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        links.nth(i).click()
        assert page.evaluate("location.hash") == target
        anchor = page.locator(f'a[id="{target[1:]}"]')
        assert anchor.count() == 1 and anchor.is_visible()
        box = anchor.bounding_box()
        assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    assert page.console_errors == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("datasette", reason="the browse extra (Datasette) is not installed")
    import uvicorn

    from linker.browse import datasette_app
    from linker.runs.local import run_batch
    from linker.runs.store import Store
    from linker.runs.sweep import BatchOptions

    from ..support.board import board
    from ..support.board import client as board_client

    db = tmp_path_factory.mktemp("served") / "newslab.db"
    with board(), Store(db, writer=True) as store:
        run_batch(BatchOptions("NewsLab", pages=3, jobs=0, view_lang="zh-TW"), board_client(),
                  store)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(datasette_app(db), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120  # waits for the event; only a stuck server meets it
    while not server.started:
        assert time.monotonic() < deadline, "Datasette did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_browse_row_page_in_a_browser(page: Any, served: str) -> None:
    from datasette.utils import tilde_encode

    page.goto(f"{served}/newslab/results?verdict=edited")
    assert "Posts and verdicts" in page.inner_text("body")
    first = page.locator('td.col-url a[href*="/newslab/posts/"]').first
    url = first.inner_text()
    first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/newslab/posts/{tilde_encode(url)}")
    items = page.locator("ol.linker-findings a")
    assert items.count() >= 1
    frame = page.frame_locator('iframe[name="linker-view"]')
    assert "有改動" in frame.locator("body").inner_text()
    href = items.first.get_attribute("href")
    assert href is not None and "#finding-" in href
    items.first.click()
    view = page.frame(name="linker-view")
    assert view is not None
    fragment = href[href.index("#"):]
    # Playwright's sync API learns of the frame's navigation only while one of its own calls
    # waits (never during time.sleep), so the wait is Playwright's; the deadline is generous:
    # only a broken link meets it.
    view.wait_for_url(lambda u: u.endswith(fragment), timeout=60_000)
    assert view.url.endswith(fragment)
    anchor = view.locator(f'a[id="{href.split("#")[1]}"]')
    assert anchor.count() == 1 and anchor.is_visible()
    shots = os.environ.get("LINKER_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / "browse.png"), full_page=False)
    assert page.console_errors == []
