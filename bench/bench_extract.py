"""How close `kg build` comes to bare spaCy: articles/s and words/s, full build against nlp.pipe.

On one generated corpus (bench/corpus.py), for each number of jobs, this times, back to back
and alternating (so both see the same machine load):
  bare   spaCy's `nlp.pipe` over the article texts, with the pipeline kg uses (kg.extract.nlp.load:
         the same package, with kg's gazetteer ruler; `--baseline spacy` for spacy.load of
         the package alone), the same batch size and the same number of processes;
  full   `kg.build.build` of the corpus folder into a fresh on-disk store in a temporary
         folder: reading, parsing, extraction rules, resolution, RDF graphs, store writes.
The ratio is full throughput / bare throughput (median wall time of the runs; target >=
0.85); cpu_ratio is the same from CPU seconds (this process and its finished children),
which a busy machine disturbs less.
`--profile` then runs the full build once more under cProfile (jobs 1) and prints where
kg's own time goes. It prints a table and writes bench/results/extract.json.

Run: python bench/bench_extract.py [--articles 2000] [--jobs 1,2] [--runs 2] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_corpus  # noqa: E402
from report import write_results  # noqa: E402

from kg import ingest
from kg.extract import nlp as pipelines  # noqa: E402
from kg.build import build  # noqa: E402
from kg.store.oxigraph import OxigraphStore  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "extract.json"
TARGET_RATIO = 0.85

# Where time goes, by the file a function is defined in (exclusive time, cProfile tottime).
AREAS = (
    ("kg extraction rules", ("kg/extract/",)),
    ("kg resolution", ("kg/extract/resolve.py", "kg/gazetteer.py")),
    ("kg RDF graphs (kg/rdf/)", ("kg/rdf/",)),
    ("kg store (kg/store/)", ("kg/store/",)),
    ("rdflib", ("rdflib/",)),
    ("pyoxigraph", ("pyoxigraph",)),
    ("kg ingest", ("kg/ingest/",)),
    ("kg build loop", ("kg/build/",)),
    ("spaCy/thinc/numpy", ("spacy/", "thinc/", "numpy/", "srsly/", "catalogue", "cymem", "preshed", "murmurhash",
                            "spacy.", "thinc.")),
)
# Stages, as the cumulative time of the function that does each.
STAGES = (
    ("parse (nlp.pipe, spaCy)", "spacy/language.py", "pipe"),
    ("extract rules + resolution (Extractor.read)", "kg/extract/__init__.py", "read"),
    ("RDF triples (rdf.extraction_triples)", "kg/rdf/graph.py", "extraction_triples"),
    ("duplicate detection (Duplicates.original_of)", "kg/build/pipeline.py", "original_of"),
    ("store write, waiting for the writer thread (StoreWriter.put_graph)", "kg/build/pipeline.py", "put_graph"),
    ("ingest (read_articles)", "kg/ingest/__init__.py", "read_articles"),
)
# OxigraphStore.put_graph runs in kg.build's writer thread, which cProfile (this thread only)
# does not see: the store's share is the full build's time less the rest.


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (spaCy's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bare(nlp, texts: list[str], *, jobs: int, batch_size: int) -> tuple[float, float]:
    """Wall and CPU seconds of nlp.pipe over the texts."""
    cpu, start = cpu_seconds(), time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=jobs):
        pass
    return time.perf_counter() - start, cpu_seconds() - cpu


def full(corpus: Path, *, model: str | None, jobs: int, batch_size: int) -> tuple[float, float, dict]:
    """Wall and CPU seconds of kg.build.build into a fresh on-disk store, and what it built."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        cpu, start = cpu_seconds(), time.perf_counter()
        report = build([corpus], store, model=model, jobs=jobs, batch_size=batch_size)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        del store
    return seconds, cpu, {"duplicates": getattr(report, "duplicates", 0), "articles_added": report.articles_added, "events": report.events, "roles": report.roles,
                     "entities": len(report.entities), "triples": report.triples}


def profile_full(corpus: Path, *, model: str | None, batch_size: int, top: int = 25) -> dict:
    """cProfile one full build (jobs 1): time by area, by stage, and the top functions."""
    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        profiler.enable()
        build([corpus], store, model=model, jobs=1, batch_size=batch_size)
        profiler.disable()
        del store
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())
    areas = {name: 0.0 for name, _ in AREAS}
    areas["other"] = 0.0
    stages = {}
    for (filename, _, function), (_, _, tottime, cumtime, _) in stats.stats.items():
        where = filename.replace("\\", "/") + " " + function
        area = next((name for name, marks in AREAS if any(m in where for m in marks)), "other")
        areas[area] += tottime
        for stage, file_mark, name in STAGES:
            if filename.replace("\\", "/").endswith(file_mark) and function == name:
                stages[stage] = max(stages.get(stage, 0.0), cumtime)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return {
        "total_s": round(total, 2),
        "by_area_s": {k: round(v, 2) for k, v in sorted(areas.items(), key=lambda kv: -kv[1])},
        "by_stage_cumulative_s": {k: round(v, 2) for k, v in stages.items()},
        "top_functions": out.getvalue(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", default="1,2", help="comma-separated numbers of processes")
    parser.add_argument("--runs", type=int, default=2, help="bare/full pairs per jobs value")
    parser.add_argument("--batch-size", type=int, default=64, help="kg build's default")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: kg's)")
    parser.add_argument("--baseline", choices=("kg", "spacy"), default="kg",
                        help="bare pipeline: kg.extract.nlp.load (with kg's gazetteer ruler) or spacy.load of the package")
    parser.add_argument("--profile", action="store_true", help="then profile one full build (jobs 1)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kg-corpus-") as tmp:
        corpus = Path(tmp)
        write_corpus(corpus, args.articles, seed=args.seed)
        articles = [a for a in ingest.read_articles([corpus]) if isinstance(a, ingest.Article)]
        texts = [a.text for a in articles]
        words = sum(len(t.split()) for t in texts)
        print(f"corpus: {len(texts)} articles, {words} words (seed {args.seed}); loading the pipeline…", flush=True)
        nlp = pipelines.load(args.model)  # cached: the full build reuses it, so loading is timed by neither
        if args.baseline == "spacy":
            import spacy

            baseline = spacy.load(pipelines.model_name(args.model), exclude=["senter"])
        else:
            baseline = nlp
        bare(baseline, texts[:50], jobs=1, batch_size=args.batch_size)  # warm-up

        rows = []
        for jobs in (int(j) for j in args.jobs.split(",")):
            bare_s, full_s, bare_cpu, full_cpu, loads = [], [], [], [], []
            for run in range(args.runs):
                loads.append(os.getloadavg()[0])
                # alternate which goes first, so neither always gets the quieter moment
                order = ("bare", "full") if run % 2 == 0 else ("full", "bare")
                for which in order:
                    if which == "bare":
                        seconds, cpu = bare(baseline, texts, jobs=jobs, batch_size=args.batch_size)
                        bare_s.append(seconds)
                        bare_cpu.append(cpu)
                    else:
                        seconds, cpu, summary = full(corpus, model=args.model, jobs=jobs, batch_size=args.batch_size)
                        full_s.append(seconds)
                        full_cpu.append(cpu)
                    print(f"  jobs {jobs} run {run + 1} {which}: {(bare_s if which == 'bare' else full_s)[-1]:.1f} s", flush=True)
            b, f = statistics.median(bare_s), statistics.median(full_s)
            rows.append({
                "jobs": jobs,
                "bare_s": round(b, 2),
                "full_s": round(f, 2),
                "bare_articles_s": round(len(texts) / b, 1),
                "full_articles_s": round(len(texts) / f, 1),
                "bare_words_s": round(words / b),
                "full_words_s": round(words / f),
                "ratio": round(b / f, 3),
                "ratios_per_run": [round(x / y, 3) for x, y in zip(bare_s, full_s)],
                "bare_cpu_s": round(statistics.median(bare_cpu), 2),
                "full_cpu_s": round(statistics.median(full_cpu), 2),
                "cpu_ratio": round(statistics.median(bare_cpu) / statistics.median(full_cpu), 3),
                "meets_target": b / f >= TARGET_RATIO,
                "loadavg_1min": [round(x, 2) for x in loads],
                "build": summary,
            })

        profile = profile_full(corpus, model=args.model, batch_size=args.batch_size) if args.profile else None

    columns = ["jobs", "bare_articles_s", "full_articles_s", "bare_words_s", "full_words_s", "ratio", "cpu_ratio",
               "meets_target"]
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
    for r in rows:
        print("  ".join(str(r[c]).rjust(w) for c, w in zip(columns, widths)))
    if profile:
        print(f"\nprofile of one full build, jobs 1 ({profile['total_s']} s profiled):")
        print("by stage (cumulative):")
        for k, v in profile["by_stage_cumulative_s"].items():
            print(f"  {v:8.2f} s  {k}")
        print("by area (exclusive):")
        for k, v in profile["by_area_s"].items():
            print(f"  {v:8.2f} s  {k}")
        print(profile["top_functions"])

    write_results(args.output, {
        "benchmark": "kg build vs bare spaCy nlp.pipe on a generated corpus",
        "target_ratio": TARGET_RATIO,
        "corpus": {"articles": len(texts), "words": words, "seed": args.seed, "generator": "bench/corpus.py"},
        "model": pipelines.model_name(args.model),
        "baseline": args.baseline,
        "batch_size": args.batch_size,
        "runs": args.runs,
        "statistic": "median",
        "results": rows,
        "profile": profile,
    })


if __name__ == "__main__":
    main()
