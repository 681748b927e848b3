"""Screenshots of a written view, as a reader sees it: the whole archive at fit, one hub with
its neighbourhood lit and the rest dimmed, and a folded edge's evidence in the panel.

Run: python bench/view_screenshots.py VIEW.html [--out docs] [--name view-2000]
(writes OUT/NAME-fit.png, OUT/NAME-focus.png, OUT/NAME-edge.png; Chromium as in tests/browser.py)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import launch_chromium  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("view", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--name", default="view-2000")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(args.view.resolve().as_uri())
        page.wait_for_selector("body[data-state=settled]", state="attached", timeout=180_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(args.out / f"{args.name}-fit.png"))
        # the best-linked node of the second community: its neighbourhood lit, the rest dimmed
        hub = page.evaluate("""() => {
            const nodes = kgNetwork.body.data.nodes.get({filter: n => n.kg && n.kg.community === 1 && !n.hidden});
            nodes.sort((a, b) => b.kg.importance - a.kg.importance);
            return nodes[0].id;
        }""")
        page.evaluate("(id) => kgNetwork.focus(id, {scale: 0.9})", hub)
        page.wait_for_timeout(300)
        box = page.evaluate("""(id) => { const d = kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id]);
            const b = document.querySelector('#graph canvas').getBoundingClientRect();
            return {x: b.left + d.x, y: b.top + d.y}; }""", hub)
        page.mouse.click(box["x"], box["y"])
        page.wait_for_timeout(400)
        page.screenshot(path=str(args.out / f"{args.name}-focus.png"))
        # the heaviest folded edge of that hub, clicked: its events and evidence in the panel
        edge = page.evaluate("""(id) => {
            const edges = kgNetwork.body.data.edges.get({filter: e => e.id.startsWith('pair:') && (e.from === id || e.to === id)});
            edges.sort((a, b) => b.width - a.width);
            return edges[0].id;
        }""", hub)
        page.evaluate("(id) => { const e = kgNetwork.body.data.edges.get(id); kgNetwork.fit({nodes: [e.from, e.to]}); }", edge)
        page.wait_for_timeout(400)
        page.evaluate("(id) => kgView.open(undefined, id)", edge)  # as a click on it does
        page.wait_for_timeout(400)
        page.screenshot(path=str(args.out / f"{args.name}-edge.png"))
        browser.close()
    print(f"wrote {args.out}/{args.name}-{{fit,focus,edge}}.png")


if __name__ == "__main__":
    main()
