"""How fast `kg view` pages open: write views of random graphs and time them in Chromium.

For each size this builds a random news-like graph (preferential attachment, typed nodes,
an evidence sentence on every edge), writes the view, opens it in headless Chromium with
every request but the file itself blocked, and reads the page's own timings
(`window.kgTimings`, milliseconds since navigation start): the first "afterDrawing", and
"settled" (physics stabilised and switched off, or with physics off the first drawing).
It also times `kg.analyze.select` on each graph (a type filter, then a two-hop focus on the
biggest hub), which `kg view` runs before writing. It prints a table and writes
bench/results/view.json. Target: 5k nodes settle within 10 s.

Run: python bench/bench_view.py [--runs 3] [--sizes 150,1000,5000,20000]
(tests/provision.sh installs Chromium; the `test` extra installs playwright.)
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from browser import CHROMIUM, launch_chromium  # noqa: E402
from report import write_results  # noqa: E402

from kg.analyze import Selection, select  # noqa: E402
from kg.views import DEFAULT_MAX_NODES, NODE_TYPES, PHYSICS_MAX_NODES, write_view  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "view.json"
TARGET_S = 10.0
RELATIONS = ("spokeWith", "agent", "target", "holdsRole", "mentions", "criticized", "metWith")
SENTENCE = (
    "{a} spoke with {b} for 45 minutes on Friday, addressing key topics including tariffs, "
    "diplomacy and regional security, according to officials familiar with the call."
)


def news_like_graph(n: int, *, seed: int = 1) -> nx.MultiDiGraph:
    """Preferential attachment: a few hubs (leaders, countries), a long tail of mentions."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    ids = [f"https://w3id.org/kg-news/id/bench/n{i}" for i in range(n)]
    for i, iri in enumerate(ids):
        g.add_node(iri, label=f"Entity {i}", type=rnd.choice(NODE_TYPES), date="2025-05-23")
    targets = [0]
    for i in range(1, n):
        for _ in range(rnd.choice((1, 1, 2, 3))):
            j = rnd.choice(targets)
            g.add_edge(
                ids[i], ids[j],
                relation=rnd.choice(RELATIONS),
                sentence=SENTENCE.format(a=f"Entity {i}", b=f"Entity {j}"),
                article_title=f"Article {rnd.randrange(n)}",
                article_url=f"https://example.org/news/{rnd.randrange(n)}",
                date="2025-05-23",
                confidence=round(rnd.uniform(0.5, 1.0), 2),
            )
            targets.append(j)
        targets.append(i)
    return g


def open_view(browser, path: Path) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    errors: list[str] = []
    url = path.resolve().as_uri()

    def route(request_route) -> None:
        if request_route.request.url == url:
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    page.wait_for_selector("body[data-state=settled]", state="attached", timeout=120_000)
    wall = time.perf_counter() - start
    timings = page.evaluate("window.kgTimings")
    context.close()
    if outside or errors:
        raise RuntimeError(f"{path.name}: requests {outside}, errors {errors}")
    return {
        "first_draw_s": timings["firstDraw"] / 1000,
        "settled_s": timings["settled"] / 1000,
        "wall_s": wall,
    }


def bench(sizes: list[int], runs: int) -> list[dict[str, object]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for n in sizes:
            g = news_like_graph(n)
            path = Path(tmp) / f"view-{n}.html"
            writes, opens, selects = [], [], []
            for _ in range(runs):
                start = time.perf_counter()
                select(g, Selection(focus=("Entity 0",), hops=2, types=("Person", "Country")))
                selects.append(time.perf_counter() - start)
                start = time.perf_counter()
                summary = write_view(g, path, title=f"bench {n}")
                writes.append(time.perf_counter() - start)
                opens.append(open_view(browser, path))
            row = {
                "nodes_in": n,
                "edges_in": g.number_of_edges(),
                "nodes_shown": summary.nodes,
                "edges_shown": summary.edges,
                "layout": "vis physics" if summary.nodes <= PHYSICS_MAX_NODES else "python",
                "html_mb": round(path.stat().st_size / 1e6, 2),
                "select_s": round(statistics.median(selects), 3),
                "write_s": round(statistics.median(writes), 3),
            }
            for key in ("first_draw_s", "settled_s", "wall_s"):
                row[key] = round(statistics.median(o[key] for o in opens), 3)
            row["within_target"] = row["settled_s"] <= TARGET_S
            rows.append(row)
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default=f"150,1000,{DEFAULT_MAX_NODES},20000")
    args = parser.parse_args()
    rows = bench([int(s) for s in args.sizes.split(",")], args.runs)

    columns = ["nodes_in", "edges_in", "nodes_shown", "layout", "html_mb", "select_s", "write_s",
               "first_draw_s", "settled_s", "within_target"]
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
    for r in rows:
        print("  ".join(str(r[c]).rjust(w) for c, w in zip(columns, widths)))

    write_results(RESULTS, {
        "benchmark": "kg view: write the page, open it in headless Chromium",
        "target_settled_s": TARGET_S,
        "runs": args.runs,
        "statistic": "median",
        "chromium": str(CHROMIUM),
        "results": rows,
    })


if __name__ == "__main__":
    main()
