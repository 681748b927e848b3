"""A bounded load on `kg serve` (loopback, 8 s): 100 users, of whom 10 send expensive queries
and 4 hostile requests, while 100 slowloris connections stall. Every request is answered,
cheap queries stay quick, and no query process grows past its memory limit.
bench/bench_serve.py runs the full figure (200 users, 30 s) and reports it."""
from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path

import pytest

from kg.store.queries import saved_queries

from kg.serve.watch import memory_kb, query_processes
from serving import start_server, wait_for_processes

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_serve import Listener, Slowloris, hostile_requests  # noqa: E402
from load import run_load  # noqa: E402

MEMORY_MB = 400
CHEAP = ["ASK { ?s a kg:Person }", "SELECT ?name WHERE { ?p a kg:Person ; kg:name ?name } LIMIT 20",
         saved_queries()["who-holds-which-role"].text, saved_queries()["who-spoke-with-whom"].text]
EXPENSIVE = ["SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
             "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1",
             "SELECT (STRLEN(?s26) AS ?n) WHERE { BIND(\"0123456789\" AS ?s0) "
             + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(26)) + " }"]


@pytest.mark.slow
def test_serve_load_answers_everyone_and_keeps_cheap_queries_quick(seed_store_path, tmp_path):
    served = start_server(seed_store_path, tmp_path / "serve.log", "--workers", "2", "--memory-limit",
                          f"{MEMORY_MB}M", "--timeout", "5", "--request-timeout", "2")
    peaks: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            for pid in query_processes(served.process.pid):
                peaks[pid] = max(peaks.get(pid, 0), memory_kb(pid, "RssAnon"))

    listener = Listener()
    try:
        wait_for_processes(served.process.pid, 4)
        sampler = threading.Thread(target=sample)
        sampler.start()
        slowloris = Slowloris(served.port, 100, every=1.0)
        mix = {"cheap": (86, CHEAP), "expensive": (10, EXPENSIVE),
               "hostile": (4, hostile_requests(served.port, listener.port))}
        loads = []  # in a thread of its own: the browser tests' Playwright keeps an event loop in this one
        runner = threading.Thread(target=lambda: loads.append(asyncio.run(run_load(served.port, mix, seconds=8,
                                                                                   patience=30))))
        runner.start()
        runner.join()
        load = loads[0]
        slowloris.stop.set()
        slowloris.thread.join()
        done.set()
        sampler.join()
    finally:
        done.set()
        served.stop()
        listener.socket.close()
    summary = load.summary()
    assert summary["cheap"]["requests"] > 300
    assert summary["cheap"]["statuses"] == {200: summary["cheap"]["requests"]}
    assert summary["cheap"]["p99_s"] <= 3.0, summary["cheap"]
    assert 0 not in summary["expensive"]["statuses"] and 0 not in summary["hostile"]["statuses"], summary
    assert set(summary["hostile"]["statuses"]) <= {400, 403, 413, 421, 431, 505}
    assert listener.connections == 0  # SERVICE called out to nobody
    assert slowloris.opened > 100  # the stalled ones were cut off, and came back
    assert len(peaks) >= 4 and max(peaks.values()) <= MEMORY_MB * 1024
