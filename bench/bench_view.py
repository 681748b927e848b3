"""How fast kg explores an archive: the graph commands end to end from a store, and the view
drawn in headless Chromium.

For each size (articles) this writes a synthetic corpus (bench/corpus.py), builds a store
from it with `kg build` (kept in --work, so a second run reuses it), then runs, as a user
does, `kg view`, `kg stats --top 5`, `kg path`, `kg neighbors`, `kg timeline --top 20` and
`kg merge --dry-run`: each first with an empty projection cache (cold: the store is read)
and again (warm: the cache is read), --runs times in turn, timing wall clock and the CPU
time of the command (the run of median wall clock is reported, with every run's wall clock),
and the load average beside each (other work on the machine slows the wall clock; CPU time
is what the command costs). When every command has run (no browser beside them), the page of
each `kg view` is opened in Chromium with every
request but the file itself blocked, and its own timings read (`window.kgTimings`: first
drawing, in ms since navigation). Last, a generated graph of --draw-nodes nodes (a news-like
preferential attachment, events folded) is drawn the same way. It prints a table and writes
bench/results/view.json. Targets: `kg view` and `kg stats` under 10 s on 5,000 articles;
first draw under 5 s at 10,000 nodes.

Run: python bench/bench_view.py [--sizes 500,2000,5000] [--work /tmp/kg-bench-view] [--draw-nodes 10000] [--runs 3]
(tests/provision.sh installs Chromium; the `test` extra installs playwright.)
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from browser import CHROMIUM, launch_chromium  # noqa: E402
from child import KG, run_kg  # noqa: E402
from corpus import write_corpus  # noqa: E402
from report import write_results  # noqa: E402

from kg.analyze.records import EntityNode, EventNode, FactEdge  # noqa: E402
from kg.views import NODE_TYPES, write_view  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "view.json"
TARGET_COMMAND_S = 10.0
TARGET_DRAW_S = 5.0


def commands(page: Path) -> dict[str, list[str]]:
    return {
        "view": ["view", "-o", str(page)],
        "stats": ["stats", "--top", "5"],
        "path": ["path", "Japan", "France"],
        "neighbors": ["neighbors", "Japan", "--top", "20"],
        "timeline": ["timeline", "Japan", "--top", "20"],
        "merge": ["merge", "--dry-run", "--top", "5"],
    }


def timed(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall clock and CPU time (user + system) of one command, with the load average."""
    run = run_kg(args, env=env, ok=(0, 1))  # kg path exits 1 when there is no path
    return {key: run[key] for key in ("wall_s", "cpu_s", "load")}


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run of median wall clock (the lower middle one of an even count)."""
    return sorted(runs, key=lambda r: r["wall_s"])[(len(runs) - 1) // 2]


def store_for(work: Path, articles: int) -> Path:
    """The store of `articles` synthetic articles, built once and kept in `work`."""
    store = work / f"s{articles}"
    if (store / "CURRENT").exists():
        return store
    corpus = work / f"corpus{articles}"
    if not corpus.exists():
        write_corpus(corpus, articles, seed=1)
    start = time.perf_counter()
    subprocess.run([*KG, "build", str(corpus), "--store", str(store), "-j", "2", "--no-progress"], check=True,
                   capture_output=True)
    print(f"built {articles} articles in {time.perf_counter() - start:.0f} s", flush=True)
    return store


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
    page.goto(url, wait_until="load")
    page.wait_for_selector("body[data-state=settled]", state="attached", timeout=180_000)
    timings = page.evaluate("window.kgTimings")
    drawn = page.evaluate("kgNetwork.body.data.nodes.get({filter: n => !n.hidden}).length")
    context.close()
    if outside or errors:
        raise RuntimeError(f"{path.name}: requests {outside}, errors {errors}")
    return {"first_draw_s": round(timings["firstDraw"] / 1000, 2), "drawn_nodes": drawn,
            "html_mb": round(path.stat().st_size / 1e6, 1)}


def news_like_graph(n: int, *, seed: int = 1) -> nx.MultiDiGraph:
    """Preferential attachment among `n` entities, each link an event with its evidence."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    ids = [f"https://w3id.org/kg-news/id/bench/n{i}" for i in range(n)]
    kinds = [t for t in NODE_TYPES if t not in ("Event", "Thing")]
    for i, iri in enumerate(ids):
        g.add_node(iri, **EntityNode(label=f"Entity {i}", type=rnd.choice(kinds)).attrs())
    targets = [0]
    for i in range(1, n):
        for k in range(rnd.choice((1, 1, 2, 3))):
            j = rnd.choice(targets)
            event = f"{ids[i]}/e{k}"
            g.add_node(event, **EventNode(label=f"Consult: {i} – {j}", event_type="Consult", modality="Happened",
                                          when=f"2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                                          sentence=f"Entity {i} spoke with Entity {j}.", confidence=0.8).attrs())
            g.add_edge(ids[i], event, **FactEdge(kind="event", relation="agent").attrs())
            g.add_edge(event, ids[j], **FactEdge(kind="event", relation="target").attrs())
            targets.append(j)
        targets.append(i)
    return g


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,5000", help="articles per store, comma-separated")
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "kg-bench-view"),
                        help="folder for the corpora and stores (kept between runs)")
    parser.add_argument("--draw-nodes", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3, help="cold and warm runs of each command (median reported)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rows, pages = [], {}
    # the commands first, with no browser running beside them; then the pages drawn
    for articles in (int(s) for s in args.sizes.split(",")):
        store = store_for(work, articles)
        cache = work / f"cache{articles}"
        pages[articles] = page = work / f"view{articles}.html"
        env = {**os.environ, "KG_CACHE_DIR": str(cache)}
        for name, command in commands(page).items():
            colds, warms = [], []
            for _ in range(args.runs):  # cold and warm in turn, so both see the same machine
                shutil.rmtree(cache, ignore_errors=True)
                colds.append(timed([*command, "--store", str(store)], env))
                warms.append(timed([*command, "--store", str(store)], env))
            cold, warm = median_run(colds), median_run(warms)
            rows.append({"articles": articles, "command": f"kg {name}", "cold": cold, "warm": warm,
                         "cold_runs_s": [r["wall_s"] for r in colds], "warm_runs_s": [r["wall_s"] for r in warms]})
            print(f"{articles:>5} kg {name:<9} cold {cold['wall_s']:>6} s wall {cold['cpu_s']:>6} s cpu  "
                  f"warm {warm['wall_s']:>6} s wall {warm['cpu_s']:>6} s cpu  (load {warm['load']})", flush=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for articles, page in pages.items():
            drawn = open_view(browser, page)
            rows.append({"articles": articles, "command": "open the view in Chromium", **drawn})
            print(f"{articles:>5} page {drawn}", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "drawn.html"
            start = time.process_time()
            write_view(news_like_graph(args.draw_nodes), path, fold=True, max_nodes=args.draw_nodes)
            written = round(time.process_time() - start, 2)
            drawn = open_view(browser, path)
            rows.append({"generated_nodes": args.draw_nodes, "command": "draw a generated graph",
                         "write_cpu_s": written, **drawn})
            print(f"generated {args.draw_nodes} nodes: written in {written} s cpu, {drawn}", flush=True)
        browser.close()
    write_results(RESULTS, {
        "benchmark": "kg graph commands end to end from a store, and the view drawn in Chromium",
        "targets": {"view_and_stats_s": TARGET_COMMAND_S, "first_draw_s": TARGET_DRAW_S},
        "chromium": str(CHROMIUM),
        "results": rows,
    })


if __name__ == "__main__":
    main()
