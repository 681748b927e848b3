"""A real headless Chromium for the view tests: one browser per session, no network.

Playwright's own browser download cannot work here, so the tests drive Debian's Chromium
(`/usr/bin/chromium`, or `$KG_CHROMIUM`) through `executable_path`. If it is missing,
`tests/provision.sh browser` is run once per session to install it. Set `KG_SKIP_BROWSER=1` to
skip the browser tests instead of failing them where no browser can be had.

Fixtures (import both into `tests/conftest.py`):

- `chromium_browser` (session): the launched browser.
- `view_page` (function): `view_page(path) -> ViewPage` opens a written view in a fresh
  context with every request other than the file itself recorded and aborted, waits until
  the page says it has settled, and collects console errors, page errors and dialogs.
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PROVISION = Path(__file__).with_name("provision.sh")
SETTLE_TIMEOUT_MS = 30_000


def launch_chromium(playwright: Any) -> Any:
    """Launch Debian's Chromium with the flags that keep it off the network."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


def ensure_chromium() -> None:
    """Install Chromium with `provision.sh browser` if it is missing; skip or fail if that fails."""
    if CHROMIUM.exists():
        return
    result = subprocess.run(
        ["bash", str(PROVISION), "browser"], capture_output=True, text=True, check=False
    )
    if CHROMIUM.exists():
        return
    reason = (
        f"no Chromium at {CHROMIUM} and {PROVISION.name} could not install it "
        f"(exit {result.returncode}): {result.stderr.strip()[-500:]}; run it as root, "
        "or set KG_SKIP_BROWSER=1 to skip the browser tests"
    )
    if os.environ.get("KG_SKIP_BROWSER"):
        pytest.skip(reason)
    pytest.fail(reason)


@dataclass
class ViewPage:
    """A view opened in the browser, with everything it tried to do on the side."""

    page: Any
    url: str
    blocked: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        """Requests for anything but the view file itself (data: URLs are in-page)."""
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def canvas_ink(self) -> int:
        """How many pixels of the vis canvas are drawn (not transparent, not white)."""
        return self.evaluate(
            """() => {
                const canvas = document.querySelector('#graph canvas');
                const ctx = canvas.getContext('2d');
                const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
                let ink = 0;
                for (let i = 0; i < px.length; i += 4) {
                    const white = px[i] > 250 && px[i + 1] > 250 && px[i + 2] > 250;
                    if (px[i + 3] > 0 && !white) { ink++; }
                }
                return ink;
            }"""
        )

    def click_edge(self, edge_id: str) -> None:
        """Click with the mouse on a point of the edge that no node or other edge covers."""
        point = self.evaluate(
            """(edgeId) => {
                const net = window.kgNetwork;
                const edge = net.body.data.edges.get(edgeId);
                const pos = net.getPositions([edge.from, edge.to]);
                const a = pos[edge.from], b = pos[edge.to];
                for (let k = 0; k <= 30; k++) {  // t = 0.5, 0.48, 0.52, ... out to 0.2 and 0.8
                    const t = 0.5 + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * 0.02;
                    const at = {x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t};
                    const dom = net.canvasToDOM(at);
                    if (net.getNodeAt(dom) === undefined && net.getEdgeAt(dom) === edgeId) {
                        const box = document.querySelector('#graph canvas').getBoundingClientRect();
                        return {x: box.left + dom.x, y: box.top + dom.y};
                    }
                }
                return null;
            }""",
            edge_id,
        )
        assert point is not None, f"edge {edge_id} has no clickable point clear of nodes"
        self.page.mouse.click(point["x"], point["y"])

    def click_node(self, node_id: str) -> None:
        """Click with the mouse on the centre of the node."""
        point = self.evaluate(
            """(nodeId) => {
                const net = window.kgNetwork;
                const dom = net.canvasToDOM(net.getPositions([nodeId])[nodeId]);
                if (net.getNodeAt(dom) !== nodeId) { return null; }
                const box = document.querySelector('#graph canvas').getBoundingClientRect();
                return {x: box.left + dom.x, y: box.top + dom.y};
            }""",
            node_id,
        )
        assert point is not None, f"node {node_id} is covered by another node"
        self.page.mouse.click(point["x"], point["y"])


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    if os.environ.get("KG_SKIP_BROWSER") and not CHROMIUM.exists():
        pytest.skip("KG_SKIP_BROWSER is set and there is no Chromium")
    ensure_chromium()
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="install the test extra: pip install -e '.[test]'"
    )
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def view_page(chromium_browser: Any) -> Iterator[Callable[[Path], ViewPage]]:
    contexts: list[Any] = []

    def open_view(path: Path, *, viewport: tuple[int, int] = (1200, 800)) -> ViewPage:
        context = chromium_browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block"
        )
        contexts.append(context)
        view = ViewPage(page=context.new_page(), url=Path(path).resolve().as_uri())

        def route(request_route: Any) -> None:
            url = request_route.request.url
            if url == view.url:
                request_route.continue_()
            else:
                view.blocked.append(url)
                request_route.abort()

        def on_dialog(dialog: Any) -> None:
            view.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        context.route("**/*", route)
        page = view.page
        page.on("request", lambda request: view.requests.append(request.url))
        page.on("websocket", lambda ws: view.blocked.append(ws.url))
        page.on(
            "console",
            lambda msg: view.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda err: view.page_errors.append(str(err)))
        page.on("dialog", on_dialog)
        page.goto(view.url, wait_until="load")
        # A selector, not wait_for_function: polling a JS predicate needs eval, which the
        # page's Content-Security-Policy rightly refuses.
        page.wait_for_selector(
            "body[data-state=settled]", state="attached", timeout=SETTLE_TIMEOUT_MS
        )
        return view

    yield open_view
    for context in contexts:
        context.close()
