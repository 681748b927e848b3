"""Memory and disk as the archive grows: `kg build` of corpora of different sizes into empty
stores, from the command line as a user runs it.

For each size, a corpus of that many articles is written with bench/corpus.py (the same seed,
so the smaller is the head of the larger), and `kg build CORPUS --store STORE` runs as a child
process, timed, its peak resident memory read from the child's own rusage (`os.wait4`; with
--jobs > 1 that is the largest of the build and its parser processes). Then the store on disk:
its size, per article and against the input's, and the write-ahead logs (`*.log`) left in it.
Sizes are interleaved over the runs (A, B, A, B ...). Targets (issue 17): peak memory at the
largest size within 10% of the smallest's, the store at most half of the 210x its input it
took before, no log left after a build.

Run: python bench/bench_growth.py [--sizes 500,5000] [--runs 2] [--jobs 1]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from child import run_kg  # noqa: E402
from corpus import write_corpus  # noqa: E402
from report import write_results  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "growth.json"
RSS_TARGET = 1.10  # peak RSS at the largest size over the smallest's
SIZE_TARGET = 105  # store bytes per input byte: half of the 210 measured before


def build(corpus: Path, store: Path, *, jobs: int) -> dict:
    """Wall and CPU seconds and peak RSS (MiB) of `kg build CORPUS --store STORE`."""
    shutil.rmtree(store, ignore_errors=True)
    run = run_kg(["build", str(corpus), "--store", str(store), "-q", "--jobs", str(jobs)], ok=(0, 3))
    return {"wall_s": round(run["wall_s"], 1), "cpu_s": round(run["cpu_s"], 1), "peak_rss_mib": run["peak_rss_mib"]}


def on_disk(store: Path) -> dict:
    """The store's size, and the write-ahead logs (`*.log`) left in it, by count and size (the
    empty log RocksDB opens for the next writes is none)."""
    files = [p for p in store.rglob("*") if p.is_file()]
    logs = [p for p in files if p.suffix == ".log" and p.stat().st_size]
    return {"store_mb": round(sum(p.stat().st_size for p in files) / 1e6, 1), "log_files": len(logs),
            "log_mb": round(sum(p.stat().st_size for p in logs) / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000", help="articles per corpus, comma-separated")
    parser.add_argument("--runs", type=int, default=2, help="builds per size, interleaved")
    parser.add_argument("--jobs", type=int, default=1, help="parser processes of each build")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    runs: dict[int, list[dict]] = {size: [] for size in sizes}
    with tempfile.TemporaryDirectory(prefix="kg-growth-") as tmp:
        tmp = Path(tmp)
        corpora = {size: tmp / f"corpus-{size}" for size in sizes}
        for size, folder in corpora.items():
            write_corpus(folder, size, seed=1)
        for run in range(args.runs):
            for size in sizes:
                store = tmp / "store"
                row = {**build(corpora[size], store, jobs=args.jobs), **on_disk(store),
                       "loadavg_1min": round(os.getloadavg()[0], 2)}
                runs[size].append(row)
                print(f"run {run + 1}, {size} articles: {row}", flush=True)
        input_mb = {size: sum(p.stat().st_size for p in folder.iterdir()) / 1e6 for size, folder in corpora.items()}
    rows = []
    for size in sizes:
        last = runs[size][-1]
        rows.append({"articles": size, "input_mb": round(input_mb[size], 2), "runs": runs[size],
                     "median_peak_rss_mib": statistics.median(r["peak_rss_mib"] for r in runs[size]),
                     "median_wall_s": statistics.median(r["wall_s"] for r in runs[size]),
                     "median_cpu_s": statistics.median(r["cpu_s"] for r in runs[size]),
                     "store_kb_per_article": round(last["store_mb"] * 1000 / size, 1),
                     "store_per_input": round(last["store_mb"] / input_mb[size], 1),
                     "log_files_left": last["log_files"]})
    small, large = rows[0], rows[-1]
    fields = {"benchmark": f"kg build of bench/corpus.py corpora of {sizes} articles into empty stores (CLI, "
                           f"{args.jobs} job(s), interleaved)",
              "targets": {"rss_ratio": RSS_TARGET, "store_per_input": SIZE_TARGET, "log_files_left": 0},
              "results": rows, "rss_ratio": round(large["median_peak_rss_mib"] / small["median_peak_rss_mib"], 3),
              "loadavg_1min": round(os.getloadavg()[0], 2)}
    print(f"peak RSS {large['articles']} / {small['articles']} articles: {fields['rss_ratio']} (target <= {RSS_TARGET}); "
          f"store per input byte {[r['store_per_input'] for r in rows]} (target <= {SIZE_TARGET}); "
          f"logs left {[r['log_files_left'] for r in rows]}")
    write_results(args.output, fields)


if __name__ == "__main__":
    main()
