"""What a daily `kg build` costs as the archive grows: adding the same new articles to stores of
different sizes, from the command line as a user runs it.

For each size (stored articles), a store is made once in a temporary folder (the stored
articles are generated records written through kg's own path, OxigraphStore.put_graph with
their fingerprints, as `kg build` stores them; parsing 5,000 articles would take an hour on a
busy machine and adds nothing the measured build reads). Then, interleaving the sizes (A, B,
A, B ...), each run copies a store and times `kg build NEW --store COPY` (a child process:
spaCy load, reading, duplicate detection against the stored fingerprints, extraction,
writes), wall and CPU seconds (the child's user + system). The ratio is the median at the
largest size over the median at the smallest (target <= 1.25 for 30 articles, 5,000 vs 50).

Run: python bench/bench_incremental.py [--sizes 50,5000] [--new 30] [--runs 3]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_store import Generator  # noqa: E402
from child import run_kg  # noqa: E402
from corpus import write_corpus  # noqa: E402
from report import write_results  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "incremental.json"
TARGET = 1.25


def make_store(path: Path, articles: int) -> None:
    from kg.rdf.graph import extraction_triples
    from kg.store.oxigraph import OxigraphStore

    generator = Generator(seed=11)
    with OxigraphStore(path) as store:
        store.load_ontology()
        for _ in range(articles):
            store.put_graph(extraction_triples(generator.extraction()))


def timed_build(store: Path, new: Path, copy: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `kg build NEW --store COPY` on a fresh copy of `store`."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    run = run_kg(["build", str(new), "--store", str(copy)])
    return run["wall_s"], run["cpu_s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,5000", help="stored articles, comma-separated")
    parser.add_argument("--new", type=int, default=30, help="articles added by each build")
    parser.add_argument("--runs", type=int, default=3, help="timed builds per size, interleaved")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="kg-incremental-") as tmp:
        tmp = Path(tmp)
        new = tmp / "new"
        write_corpus(new, args.new, seed=99)
        stores = {}
        for size in sizes:
            start = time.perf_counter()
            make_store(tmp / f"stored-{size}", size)
            stores[size] = tmp / f"stored-{size}"
            print(f"store of {size} articles made in {time.perf_counter() - start:.0f} s", flush=True)
        times: dict[int, list[tuple[float, float]]] = {size: [] for size in sizes}
        for run in range(args.runs):
            for size in sizes:
                times[size].append(timed_build(stores[size], new, tmp / "copy"))
                print(f"run {run + 1}: {size} stored: {times[size][-1][0]:.1f} s wall, {times[size][-1][1]:.1f} s CPU",
                      flush=True)
    rows = [{"stored_articles": size, "wall_s": [round(w, 2) for w, _ in times[size]],
             "cpu_s": [round(c, 2) for _, c in times[size]],
             "median_wall_s": round(statistics.median(w for w, _ in times[size]), 2),
             "median_cpu_s": round(statistics.median(c for _, c in times[size]), 2)} for size in sizes]
    small, large = rows[0], rows[-1]
    fields = {"benchmark": f"kg build of {args.new} new articles into stores of {sizes} articles (CLI, interleaved)",
              "target_ratio": TARGET, "results": rows,
              "ratio_wall": round(large["median_wall_s"] / small["median_wall_s"], 3),
              "ratio_cpu": round(large["median_cpu_s"] / small["median_cpu_s"], 3),
              "loadavg_1min": round(os.getloadavg()[0], 2)}
    print(f"ratio {large['stored_articles']} / {small['stored_articles']} stored: wall {fields['ratio_wall']}, "
          f"CPU {fields['ratio_cpu']} (target <= {TARGET}); load average {fields['loadavg_1min']}")
    write_results(args.output, fields)


if __name__ == "__main__":
    main()
