"""`kg serve` under load, as a shared endpoint meets it: 200 users for 30 s, some of them
sending expensive queries, some hostile requests, while slowloris connections stall.

It builds a store of --articles generated news articles (bench/corpus.py, read by `kg
build`: 1,000 articles give about 224,000 triples) or takes --store, starts `kg serve` on it in its own process (as a user does: `python
-m kg serve --port 0 --workers N --memory-limit M --timeout T`), and then runs, on loopback:

  cheap      --clients minus the others: users sending cheap queries (three lookups, and
             the saved queries that take under 100 ms alone on this store, measured first,
             those about an entity asked about --entities entities of the store), each
             waiting --think seconds (1-3 s) between an answer and its next query, so that
             175 of them offer about 80 queries/s, the rate the issue measured;
  expensive  --expensive users sending the issue's expensive queries (a cross product
             sorted, which needs far more memory than a process may have; a cross product
             counted, which runs for ever; an aggregate over the whole store; the saved
             `events`); refused ones (503) are sent again at once. With --vary each query
             gets a random comment, so the server cannot know it ran long before;
  hostile    --hostile users sending malformed requests (Accept q=1.2.3, Content-Length: ²,
             a head over 32 KB, a request line of binary, HTTP/2.0, ...), DNS-rebinding and
             cross-origin requests, and SPARQL SERVICE queries to a listener on loopback that
             counts the connections it gets;
  slowloris  --slowloris connections that send a byte of header every 2 s.

Figures: for each kind, answers by status and p50/p90/p99/max seconds; requests/s; the
peak private memory (RssAnon, sampled every 0.1 s) of each query process against its
--memory-limit, and the server's own peak (VmHWM); connections the listener got (target 0);
hostile requests that got no answer (target 0); cheap p99 (target <= 3 s). The load average
is recorded beside them (the machine is shared: compare runs made together).

The server keeps the answers it gave (`kg serve --cache`, on by default): --cache 0 measures
it without them.

Run: python bench/bench_serve.py [--clients 200] [--seconds 30] [--articles 1000] [--vary] [--cache 0]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from kg.errors import KGError  # noqa: E402
from kg.serve import watch  # noqa: E402
from kg.serve.watch import memory_kb, processor_seconds, query_processes  # noqa: E402
from kg.store.queries import saved_queries  # noqa: E402
from load import run_load  # noqa: E402
from report import write_results  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "serve.json"
CHEAP_MS = 100.0  # alone, through HTTP on a shared machine: about-entity (China) is 15 ms of processor, 65 ms at load 10
EXPENSIVE = [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
    "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?o ORDER BY DESC(?n) LIMIT 10",
]
LOOKUPS = [
    "ASK { ?s a kg:Person }",
    "SELECT ?name WHERE { ?p a kg:Person ; kg:name ?name } LIMIT 20",
    "SELECT ?c ?name WHERE { ?c a kg:Country ; kg:name ?name } ORDER BY ?name LIMIT 10",
]


def build_store(path: Path, articles: int) -> int:
    """A store of `articles` generated news articles (bench/corpus.py), built by `kg build`."""
    from corpus import write_corpus

    corpus = path.parent / "corpus"
    write_corpus(corpus, articles, seed=1)
    done = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "--store", str(path), "--jobs", "2",
                           "--no-progress"], capture_output=True, text=True, check=True)
    return int(re.search(r"(\d+) triples", done.stdout).group(1))


def start_server(store: Path, log: Path, args: argparse.Namespace) -> tuple[subprocess.Popen, int]:
    try:
        process, url = watch.start(store, log, "--workers", str(args.workers), "--memory-limit", args.memory_limit,
                                   "--timeout", str(args.timeout), "--cache", args.cache, timeout=120)
    except KGError as err:
        raise SystemExit(str(err)) from None
    return process, int(url.rsplit(":", 1)[1].split("/")[0])


def solo_ms(port: int, query: str, runs: int = 3) -> float:
    """Median milliseconds of a query sent alone (each time with another comment, so that
    the server runs it again instead of sending the answer it kept)."""
    times = []
    for run in range(runs):
        text = f"{query}\n# solo {run}"
        request = Request(f"http://127.0.0.1:{port}/sparql", data=urlencode({"query": text}).encode(),
                          headers={"Accept": "application/sparql-results+json"})
        start = time.perf_counter()
        try:
            with urlopen(request, timeout=60) as answer:
                answer.read()
        except OSError:
            return float("inf")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def candidates(port: int) -> dict[str, str]:
    """Cheap-looking queries: lookups, and the saved queries (those about an entity for a
    person and a country of the store)."""
    found = {f"lookup {n}": q for n, q in enumerate(LOOKUPS, 1)}
    for name, saved in saved_queries().items():
        if "entity" in saved.params:
            for who in ("Donald Trump", "China"):
                found[f"{name} ({who})"] = about(saved.text, who)
        elif not saved.params:
            found[name] = saved.text
    return found


def about(text: str, who: str) -> str:
    return text.replace("?entity }", f'"{who}" }}')


def names(port: int, count: int) -> list[str]:
    """The names of `count` people, countries and organisations of the store."""
    query = ("SELECT DISTINCT ?name WHERE { VALUES ?type { kg:Person kg:Country kg:Organization } "
             f"?e a ?type ; kg:name ?name }} ORDER BY ?name LIMIT {count}")
    request = Request(f"http://127.0.0.1:{port}/sparql", data=urlencode({"query": query}).encode(),
                      headers={"Accept": "application/sparql-results+json"})
    with urlopen(request, timeout=60) as answer:
        return [row["name"]["value"] for row in json.load(answer)["results"]["bindings"]]


def hostile_requests(port: int, listener_port: int) -> list[str | bytes]:
    host = f"Host: 127.0.0.1:{port}"
    ask = "/sparql?query=" + quote("ASK { ?s ?p ?o }")
    raw = [
        f"GET {ask} HTTP/1.1\r\n{host}\r\nAccept: application/sparql-results+json;q=1.2.3\r\n\r\n",
        f"POST /sparql HTTP/1.1\r\n{host}\r\nContent-Length: ²\r\n\r\nASK{{}}",
        f"GET / HTTP/1.1\r\n{host}\r\nX-Padding: {'a' * 40_000}\r\n\r\n",
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
        f"GET / HTTP/2.0\r\n{host}\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        f"GET {ask} HTTP/1.1\r\nHost: attacker.example\r\n\r\n",
        f"GET {ask} HTTP/1.1\r\n{host}\r\nOrigin: https://attacker.example\r\n\r\n",
        f"POST /sparql HTTP/1.1\r\n{host}\r\nContent-Length: 50000000\r\n\r\nSELECT",
        "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
    ]
    service = [f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener_port}/admin?token=1> {{ ?s ?p ?o }} }}",
               f"ASK {{ SERVICE SILENT <http://localhost:{listener_port}/> {{ ?s ?p ?o }} }}"]
    return [r.encode("utf-8") if r.startswith(("GET", "POST", "\x16")) else r for r in raw] + service


class Listener:
    """A port on loopback that counts the connections made to it (SERVICE must make none)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


class Slowloris:
    """Connections that send a request head one byte every `every` seconds, never ending it."""

    def __init__(self, port: int, count: int, *, every: float = 2.0) -> None:
        self.port, self.count, self.every = port, count, every
        self.stop = threading.Event()
        self.opened = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        conns: list[socket.socket] = []
        while not self.stop.is_set():
            while len(conns) < self.count:  # the server cuts them off: open new ones
                try:
                    conn = socket.create_connection(("127.0.0.1", self.port), timeout=2)
                    conn.sendall(f"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n".encode())
                except OSError:
                    break
                conns.append(conn)
                self.opened += 1
            for conn in list(conns):
                try:
                    conn.sendall(b"X")
                except OSError:
                    conn.close()
                    conns.remove(conn)
            self.stop.wait(self.every)
        for conn in conns:
            conn.close()


class MemorySampler:
    """Peak private memory of each query process, and the server's, sampled every 0.1 s;
    and the processor seconds the server and its query processes used meanwhile."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.workers: dict[int, int] = {}  # pid -> peak RssAnon kB
        self.cpu: dict[int, float] = {}  # pid -> processor seconds last seen (since the sampler started)
        self.server_rss_kb = 0
        self.stop = threading.Event()
        self._base = {pid: processor_seconds(pid) or 0.0 for pid in query_processes(server_pid) | {server_pid}}
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(0.1):
            for pid in query_processes(self.server_pid) | {self.server_pid}:
                if pid != self.server_pid:
                    self.workers[pid] = max(self.workers.get(pid, 0), memory_kb(pid, "RssAnon"))
                used = (processor_seconds(pid) or 0.0) - self._base.get(pid, 0.0)
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), used)
            self.server_rss_kb = max(self.server_rss_kb, memory_kb(self.server_pid, "VmHWM"))


def parse_size(text: str) -> int:
    from kg.serve.options import parse_size as parse

    return parse(text)


def run(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="kg-serve-bench-") as tmp:
        store = Path(args.store) if args.store else Path(tmp) / "store"
        triples = build_store(store, args.articles) if not args.store else None
        log = args.log or Path(tmp) / "serve.log"
        process, port = start_server(store, log, args)
        try:
            return measure(args, port, process, triples)
        finally:
            process.terminate()
            process.wait(30)


def measure(args: argparse.Namespace, port: int, process: subprocess.Popen, triples: int | None) -> dict:
    started_load = os.getloadavg()[0]
    solo = {name: round(solo_ms(port, query), 1) for name, query in candidates(port).items()}
    queries = candidates(port)
    cheap = [queries[name] for name, ms in solo.items() if ms < CHEAP_MS and "(" not in name]
    about_queries = {name.partition(" (")[0] for name, ms in solo.items() if "(" in name and ms < CHEAP_MS}
    saved = saved_queries()
    everyone = names(port, args.entities)  # users ask about many entities, not the same two
    cheap += [about(saved[name].text, who) for name in sorted(about_queries) for who in everyone]
    rnd = random.Random(7)
    expensive = EXPENSIVE + [queries["events"]] if "events" in queries else list(EXPENSIVE)
    if args.vary:  # a comment the server cannot see through: every query looks new
        expensive = [f"{q}\n# {rnd.random()}" for q in expensive for _ in range(50)]
    listener = Listener()
    hostile = hostile_requests(port, listener.port)
    sampler = MemorySampler(process.pid)
    slowloris = Slowloris(port, args.slowloris) if args.slowloris else None
    mix = {"cheap": (args.clients - args.expensive - args.hostile, cheap), "expensive": (args.expensive, expensive),
           "hostile": (args.hostile, hostile)}
    low, _, high = args.think.partition(",")
    load = asyncio.run(run_load(port, mix, seconds=args.seconds, think=(float(low), float(high or low))))
    if slowloris:
        slowloris.stop.set()
        slowloris.thread.join()
    sampler.stop.set()
    sampler.thread.join()
    limit_kb = parse_size(args.memory_limit) // 1024
    summary = load.summary()
    cheap_p99 = summary["cheap"]["p99_s"]
    unanswered = summary.get("hostile", {}).get("statuses", {}).get(0, 0)
    over = [pid for pid, kb in sampler.workers.items() if kb > limit_kb]
    return {
        "benchmark": "kg serve: cheap queries while expensive and hostile ones run (issue 16)",
        "store": {"articles": args.articles, "triples": triples} if triples else {"path": args.store},
        "workers": args.workers, "memory_limit": args.memory_limit,
        "timeout_s": args.timeout, "clients": args.clients, "seconds": args.seconds, "vary": args.vary,
        "think_s": args.think, "expensive_clients": args.expensive, "hostile_clients": args.hostile,
        "slowloris_connections": args.slowloris, "slowloris_opened": slowloris.opened if slowloris else 0,
        "solo_ms": solo, "cheap_queries": len(cheap), "cache": args.cache, "load": summary,
        "memory": {"limit_mb": limit_kb // 1024, "query_processes_seen": len(sampler.workers),
                   "peak_process_mb": round(max(sampler.workers.values(), default=0) / 1024, 1),
                   "processes_over_limit": len(over), "server_peak_mb": round(sampler.server_rss_kb / 1024, 1)},
        "cpu": {"server_s": round(sampler.cpu.get(process.pid, 0.0), 1),
                "query_processes_s": round(sum(v for pid, v in sampler.cpu.items() if pid != process.pid), 1),
                "available_s": round(os.cpu_count() * load.seconds, 1)},
        "targets": {"cheap_p99_s": cheap_p99, "cheap_p99_within_3s": cheap_p99 <= 3.0,
                    "outbound_connections": listener.connections, "hostile_unanswered": unanswered,
                    "processes_over_memory_limit": len(over)},
        "loadavg_1min_at_start": round(started_load, 2),
        "loadavg_1min": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--expensive", type=int, default=20, help="of the clients, how many send expensive queries")
    parser.add_argument("--hostile", type=int, default=5, help="of the clients, how many send hostile requests")
    parser.add_argument("--slowloris", type=int, default=300, help="stalled connections held open meanwhile")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--articles", type=int, default=1000, help="articles of the store built for the run")
    parser.add_argument("--store", default=None, help="serve this store instead of building one")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="1G")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--vary", action="store_true", help="give each expensive query a random comment")
    parser.add_argument("--entities", type=int, default=100,
                        help="the saved queries about an entity are asked about this many entities")
    parser.add_argument("--cache", default="32M", help="kg serve --cache: answers kept (0: none)")
    parser.add_argument("--think", default="1,3", metavar="LOW,HIGH", help="seconds a user waits between queries")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--log", type=Path, default=None, help="keep the server's log (one line a request) here")
    args = parser.parse_args()
    result = run(args)
    load, targets = result["load"], result["targets"]
    print(f"{args.clients} clients x {args.seconds:g} s: {load['requests']} requests ({load['requests_per_s']}/s)")
    for kind in (k for k in ("cheap", "expensive", "hostile") if k in load):
        row = load[kind]
        print(f"  {kind:9} {row['requests']:6} p50 {row['p50_s']:.3f} s  p99 {row['p99_s']:.3f} s  "
              f"max {row['max_s']:.3f} s  statuses {row['statuses']}")
    memory = result["memory"]
    print(f"  memory: peak query process {memory['peak_process_mb']} MB of {memory['limit_mb']} MB "
          f"({memory['query_processes_seen']} processes seen, {memory['processes_over_limit']} over), "
          f"server {memory['server_peak_mb']} MB")
    cpu = result["cpu"]
    print(f"  processor: server {cpu['server_s']} s, query processes {cpu['query_processes_s']} s, "
          f"of {cpu['available_s']} s on the machine")
    print(f"  targets: {targets}  (load average {result['loadavg_1min_at_start']} at the start, "
          f"{result['loadavg_1min']} at the end)")
    write_results(args.output, result)


if __name__ == "__main__":
    main()
