"""The embedded store at scale: load rate, saved-query latency, Turtle export, peak memory.

For each size (triples in the article graphs), in a fresh child process and a fresh on-disk
store (the default OxigraphStore) in a temporary folder, this:
  load     writes articles through kg's own path (kg.rdf.extraction_triples, then
           OxigraphStore.put_graph: one named graph per article, in one transaction, each triple
           also in the default graph) after the ontology, as `kg build` does; the Extraction
           records are generated (below), not parsed, so 1M triples take minutes, not hours;
  query    runs every saved query in queries/ through kg.store.queries.run (as `kg query` does:
           binding, Oxigraph, terms back to rdflib), once to warm up then --runs times, in a
           child process on the store opened read-only, stopped after --timeout seconds;
           about-entity for the most mentioned person (the worst case) and for a country;
  export   kg.export.export_to_file(store, FILE, fmt="turtle"), as `kg export -o FILE` does,
           in a child process on the store opened read-only, so that its peak memory is its own;
  memory   peak resident size of the child (ru_maxrss) after each phase, and the store's
           size on disk.
The generated Extraction records are in kg's shape: articles with the text, title, URL,
date and source of a bench/corpus.py article; entities from the gazetteers (few recurring
hubs, a long tail of people the gazetteers do not know); roles with their titles; events of
every class the lexicon names (with its shortcut), agents, targets, topics, dates, places and
modality; an evidence node per fact. Target: every saved query under 100 ms median at 1M.

Run: python bench/bench_store.py [--sizes 10000,100000,1000000] [--runs 7]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import Corpus, FIRST_NAMES, GOODS, LAST_NAMES, TOPICS  # noqa: E402
from report import write_results  # noqa: E402

from kg import ingest  # noqa: E402
from kg.extract import lexicon as lexicons  # noqa: E402
from kg.gazetteer import slug  # noqa: E402
from kg.model import Article, Entity, Event, Evidence, Extraction, Role  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "store.json"
TARGET_MS = 100.0
MODALITIES = ("happened",) * 14 + ("planned",) * 3 + ("hypothetical",) * 2 + ("negated",)


class Generator:
    """Extraction records like those kg reads from news, at any number."""

    def __init__(self, *, seed: int = 1) -> None:
        self.rnd = random.Random(seed)
        self.corpus = Corpus()
        self.texts = self.corpus.articles(10**9, seed=seed)
        frames = lexicons.load().frames
        self.frames = [f for f in frames if f.lemmas and not f.conditional]
        self.people_mentioned: Counter[str] = Counter()

    def extraction(self) -> Extraction:
        rnd = self.rnd
        raw = next(self.texts)
        article_id = ingest.article_id(url=raw["url"], text=raw["text"])
        article = Article(id=article_id, text=raw["text"], title=raw["title"], url=raw["url"],
                          published=raw["published"], source=raw["source"], origin="bench")
        sentences = [s for s in raw["text"].replace("\n\n", " ").split(". ") if s]
        people = [self._person() for _ in range(rnd.randint(2, 4))]
        countries = {p.key: c for p, c in people if c}
        entities = {p.key: p for p, _ in people}
        for country in countries.values():
            entities[country.key] = country
        org = rnd.choice(self.corpus.orgs)
        place = rnd.choice(self.corpus.places)
        entities[org.key] = Entity(org.key, "Organization", org.name, org.aliases, wikidata=org.wikidata)
        entities[place.key] = Entity(place.key, "Location", place.name, place.aliases, wikidata=place.wikidata)
        actors = [k for k, e in entities.items() if e.type != "Location"]
        offset = 0

        def evidence(rule: str, confidence: float) -> Evidence:
            nonlocal offset
            sentence = rnd.choice(sentences)
            start = max(article.text.find(sentence), 0) + offset % 7
            offset += 1
            return Evidence(article_id, sentence, start, start + rnd.randint(4, 12), rule, confidence)

        roles = []
        for person, country in people:
            if country and rnd.random() < 0.7:
                title = rnd.choice(("President", "Prime Minister", "Foreign Minister", "Trade Minister", "envoy"))
                roles.append(Role(person.key, title, country.key, title in ("President", "Prime Minister"),
                                  evidence("role.title_before_name.v1", 0.9)))
        events = []
        for _ in range(rnd.randint(3, 9)):
            frame = rnd.choice(self.frames)
            agent, target = rnd.sample(actors, 2)
            events.append(Event(
                type=frame.event, trigger=rnd.choice(frame.lemmas), agents=(agent,),
                targets=(target,) if rnd.random() < 0.8 else (),
                participants=(rnd.choice(actors),) if rnd.random() < 0.2 else (),
                topics=tuple(rnd.sample(TOPICS, rnd.randint(0, 2))),
                goods=(rnd.choice(GOODS),) if frame.event in ("Tariff", "Embargo") else (),
                date=raw["published"] if rnd.random() < 0.4 else None,
                time_text=rnd.choice(("on Friday", "next month", "last week")) if rnd.random() < 0.5 else None,
                duration="PT45M" if frame.event == "PhoneCall" and rnd.random() < 0.3 else None,
                place=place.key if rnd.random() < 0.3 else None,
                ordinal=rnd.randint(2, 5) if frame.event == "Negotiation" and rnd.random() < 0.3 else None,
                modality=rnd.choice(MODALITIES), shortcut=frame.shortcut, symmetric=frame.symmetric,
                evidence=evidence(f"{frame.rule}.v1", frame.confidence),
            ))
        for key, entity in entities.items():
            if entity.type == "Person":
                self.people_mentioned[entity.name] += 1
        return Extraction(article=article, entities=tuple(sorted(entities.values(), key=lambda e: e.key)),
                          roles=tuple(roles), events=tuple(events))

    def _person(self) -> tuple[Entity, Entity | None]:
        rnd = self.rnd
        if rnd.random() < 0.3:  # the long tail: people the gazetteers do not know
            name = f"{rnd.choice(FIRST_NAMES)} {rnd.choice('ABCDEFGHJKLMNPRSTW')}. {rnd.choice(LAST_NAMES)}"
            country = rnd.choices(self.corpus.countries, self.corpus.country_weights)[0]
            person = Entity(f"person/{slug(name)}", "Person", name)
        else:
            known = rnd.choices(self.corpus.people, self.corpus.people_weights)[0]
            country = known.country
            person = Entity(f"person/{slug(known.name)}", "Person", known.name, (known.short,))
        return person, Entity(country.key, "Country", country.name, country.aliases, iso3=country.iso3,
                              wikidata=country.wikidata)


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def disk_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def time_query(path: Path, name: str, params: dict[str, str], *, runs: int, timeout: float) -> dict:
    """Median and p95 of a saved query, in a child process with its own read-only store."""
    command = [sys.executable, __file__, "--query", name, "--store", str(path), "--runs", str(runs),
               "--params", json.dumps(params)]
    try:
        child = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"params": params, "timeout_s": timeout, "within_target": False}
    if child.returncode:
        raise RuntimeError(f"query {name} failed: {child.stderr}")
    return json.loads(child.stdout)


def query_child(path: Path, name: str, params: dict[str, str], *, runs: int) -> dict:
    from kg.store.queries import run
    from kg.store.oxigraph import OxigraphStore

    store = OxigraphStore(path, read_only=True)
    rows = len(run(store, name, params=params).rows)  # warm-up
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        run(store, name, params=params)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    return {"params": params, "rows": rows, "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 1),
            "median_cpu_ms": round(statistics.median(cpu), 1),
            "within_target": statistics.median(times) <= TARGET_MS}


# ru_maxrss would not do here: a child starts with its parent's peak (Linux keeps it across
# fork and exec); VmHWM is the peak of the child's own memory.
EXPORT_CHILD = """
import json, re, sys, time
from pathlib import Path
from kg.export import export_to_file
from kg.store.oxigraph import OxigraphStore
store = OxigraphStore(sys.argv[1], read_only=True)
start = time.perf_counter()
summary = export_to_file(store, sys.argv[2], fmt="turtle")
seconds = time.perf_counter() - start
peak_kb = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
print(json.dumps({"export_s": round(seconds, 2), "export_triples_s": round(summary.triples / seconds),
                  "export_mb": round(Path(sys.argv[2]).stat().st_size / 1e6, 1),
                  "export_peak_mb": round(peak_kb / 1024, 1)}))
"""


def time_export(path: Path, output: Path) -> dict:
    """The Turtle export of the store to a file, streaming as `kg export -o FILE` does, in a
    child process: its peak resident size (VmHWM, Linux) is the export's own, not the load's."""
    child = subprocess.run([sys.executable, "-c", EXPORT_CHILD, str(path), str(output)], capture_output=True, text=True)
    if child.returncode:
        raise RuntimeError(f"export failed: {child.stderr}")
    output.unlink()
    return json.loads(child.stdout)


def one_size(size: int, *, runs: int, seed: int, export: bool, timeout: float) -> dict:
    """Load, query and export one store of about `size` article triples (in this process)."""
    from kg.store.queries import saved_queries
    from kg.rdf.graph import extraction_triples
    from kg.store.oxigraph import OxigraphStore

    generator = Generator(seed=seed)
    row: dict = {"target_triples": size}
    with tempfile.TemporaryDirectory(prefix="kg-store-bench-") as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        store.load_ontology()
        triples = articles = 0
        load_s = 0.0
        while triples < size:
            chunk = [extraction_triples(generator.extraction()) for _ in range(200)]
            start = time.perf_counter()
            for graph in chunk:
                store.put_graph(graph)
                triples += len(graph)
                articles += 1
                if triples >= size:
                    break
            load_s += time.perf_counter() - start
        start = time.perf_counter()
        store.flush()
        load_s += time.perf_counter() - start
        row.update(triples=triples, articles=articles, load_s=round(load_s, 2),
                   load_triples_s=round(triples / load_s), store_mb=disk_mb(Path(tmp) / "store"),
                   peak_mb_after_load=peak_mb())

        hub = generator.people_mentioned.most_common(1)[0][0]
        country = store.query("SELECT ?n WHERE { ?c a kg:Country ; kg:name ?n } ORDER BY ?n LIMIT 1").rows[0][0]
        cases = []
        for name, query in saved_queries().items():
            if "entity" in query.params:
                cases += [(f"{name} (top person)", name, {"entity": hub}), (f"{name} (a country)", name, {"entity": str(country)})]
            else:
                cases.append((name, name, {}))
        store.flush()
        del store  # each query runs in a read-only child, stopped after --timeout seconds
        queries = {}
        for label, name, params in cases:
            queries[label] = time_query(Path(tmp) / "store", name, params, runs=runs, timeout=timeout)
        row["queries"] = queries
        store = OxigraphStore(Path(tmp) / "store", read_only=True)
        if export:
            row.update(time_export(Path(tmp) / "store", Path(tmp) / "export.ttl"))
        del store
    row["loadavg_1min"] = round(os.getloadavg()[0], 2)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="article triples, comma-separated")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each query (after one warm-up)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-export", action="store_true", help="skip the Turtle export")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed for each query's runs")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size, JSON on stdout
    parser.add_argument("--query", help=argparse.SUPPRESS)  # child process: one query
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--params", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query:
        print(json.dumps(query_child(args.store, args.query, json.loads(args.params), runs=args.runs)))
        return
    if args.one:
        print(json.dumps(one_size(args.one, runs=args.runs, seed=args.seed, export=not args.no_export,
                                  timeout=args.timeout)))
        return

    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"{size} triples…", flush=True)
        command = [sys.executable, __file__, "--one", str(size), "--runs", str(args.runs), "--seed", str(args.seed),
                   "--timeout", str(args.timeout)]
        child = subprocess.run(command + (["--no-export"] if args.no_export else []), capture_output=True, text=True)
        if child.returncode:
            sys.exit(f"size {size} failed:\n{child.stderr}")
        rows.append(json.loads(child.stdout.splitlines()[-1]))

    columns = ["triples", "articles", "load_triples_s", "store_mb", "export_triples_s", "export_mb", "peak_mb_after_load",
               "export_peak_mb"]
    table = [[str(r.get(c, "-")) for c in columns] for r in rows]
    widths = [max(len(c), *(len(t[i]) for t in table)) for i, c in enumerate(columns)]
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
    for t in table:
        print("  ".join(v.rjust(w) for v, w in zip(t, widths)))
    print("\nsaved queries: median / p95 ms wall, median ms CPU (rows)")
    print("query".ljust(28) + "".join(f"{r['triples']:>26}" for r in rows))
    for label in rows[0]["queries"]:
        cells = [(lambda q: f"{q['median_ms']} / {q['p95_ms']}, {q['median_cpu_ms']} ({q['rows']})" if "rows" in q
                  else f"> {q['timeout_s']:.0f} s")(r["queries"][label]) for r in rows]
        print(label.ljust(28) + "".join(f"{c:>26}" for c in cells))

    write_results(args.output, {
        "benchmark": "kg's embedded store (Oxigraph on disk): load, saved queries, Turtle export",
        "target_median_ms": TARGET_MS,
        "runs": args.runs,
        "statistic": "median and p95 of the timed runs (wall), median CPU time of the querying process, after one warm-up run",
        "results": rows,
    })


if __name__ == "__main__":
    main()
