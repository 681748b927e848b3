"""`kg export` against Oxigraph's own `Store.dump` of the same store: Turtle and N-Triples.

On one on-disk store (`--store`, or one of `--triples` generated triples made with
bench_store.py's generator), interleaving the two (A, B, A, B ...) in this process: `kg
export -o FILE --format F` as the CLI runs it (kg.export.export_to_file) and
`pyoxigraph.Store.dump(FILE, format, from_graph=DefaultGraph())`, the store's default graph
(every article triple once). CPU seconds of this process (less disturbed by a busy machine
than wall time) and wall seconds, medians of `--runs`. Target: export throughput >= 0.9x the
dump's (ratio = dump time / export time).

Run: python bench/bench_export.py [--triples 300000] [--runs 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import pyoxigraph as ox  # noqa: E402

from report import write_results  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "export.json"
FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def make_store(path: Path, triples: int) -> None:
    from bench_store import Generator

    from kg.rdf.graph import extraction_triples
    from kg.store.oxigraph import OxigraphStore

    generator, written = Generator(seed=7), 0
    with OxigraphStore(path) as store:
        store.load_ontology()
        while written < triples:
            graph = extraction_triples(generator.extraction())
            store.put_graph(graph)
            written += len(graph)


def main() -> None:
    from kg.export import export_to_file
    from kg.store.oxigraph import OxigraphStore

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: a generated one)")
    parser.add_argument("--triples", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-export-bench-") as tmp:
        path = args.store
        if path is None:
            path = Path(tmp) / "store"
            make_store(path, args.triples)
        store = OxigraphStore(path, read_only=True)
        out = Path(tmp) / "out"
        rows = {}
        for fmt, rdf_format in FORMATS.items():
            kg_times, dump_times = [], []
            for _ in range(args.runs):
                kg_times.append(timed(lambda: export_to_file(store, out, fmt=fmt)))
                size = out.stat().st_size
                dump_times.append(timed(lambda: store.engine.dump(str(out), rdf_format, from_graph=ox.DefaultGraph())))
            kg_wall, kg_cpu = (statistics.median(t[i] for t in kg_times) for i in (0, 1))
            dump_wall, dump_cpu = (statistics.median(t[i] for t in dump_times) for i in (0, 1))
            rows[fmt] = {"export_s": round(kg_wall, 2), "export_cpu_s": round(kg_cpu, 2), "dump_s": round(dump_wall, 2),
                         "dump_cpu_s": round(dump_cpu, 2), "export_mb": round(size / 1e6, 1),
                         "ratio_wall": round(dump_wall / kg_wall, 3), "ratio_cpu": round(dump_cpu / kg_cpu, 3)}
            print(f"{fmt}: kg export {kg_cpu:.2f} s CPU ({kg_wall:.2f} wall), Store.dump {dump_cpu:.2f} s CPU "
                  f"({dump_wall:.2f} wall): ratio {rows[fmt]['ratio_cpu']} CPU, {rows[fmt]['ratio_wall']} wall", flush=True)
        triples = len(store.engine)
    write_results(args.output, {"benchmark": "kg export against Oxigraph's Store.dump of the default graph",
                                "target_ratio": 0.9, "store_quads": triples, "runs": args.runs, "results": rows,
                                "loadavg_1min": round(os.getloadavg()[0], 2)})


if __name__ == "__main__":
    main()
