"""One view of the store: `kg serve` answers from one snapshot in every query process,
keeps it while a build writes to the store, and serves the new state, in every process at
once, as soon as the build has finished, without a restart."""
from __future__ import annotations

import itertools
import json
import shutil
import time
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from kg.rdf.vocabulary import ID, KG
from kg.store.oxigraph import OxigraphStore

from kg.serve.watch import query_processes
from serving import start_server, wait_for_processes

ARTICLES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"
ASKED = itertools.count()


@pytest.fixture
def store_copy(seed_store_path, tmp_path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(seed_store_path, copy, ignore=shutil.ignore_patterns("LOCK"))
    return copy


def articles(url: str) -> int:
    """The articles the server counts, asked each time with another comment, so that a query
    process answers (not the answer the server kept)."""
    query = f"{ARTICLES}\n# {next(ASKED)}"
    request = Request(url, data=urlencode({"query": query}).encode(),
                      headers={"Accept": "application/sparql-results+json"})
    with urlopen(request, timeout=30) as answer:
        return int(json.loads(answer.read())["results"]["bindings"][0]["n"]["value"])


def new_article(n: int) -> Graph:
    """A named graph as a build writes it for one article (an Article node, its title)."""
    name = URIRef(f"{ID}article/refresh-test-{n}")
    graph = Graph(identifier=name)
    graph.add((name, RDF.type, KG.Article))
    graph.add((name, KG.title, Literal(f"Refresh test {n}")))
    return graph


def test_serve_refresh_serves_a_finished_build_from_every_process_at_once(store_copy, tmp_path):
    served = start_server(store_copy, tmp_path / "serve.log", "--workers", "3")
    try:
        before_pids = wait_for_processes(served.process.pid, 5)  # three, one for long queries, and the spare
        start = articles(served.url)
        assert start > 0
        snapshots = list(store_copy.parent.glob(f".{store_copy.name}.serve-*/g*"))
        assert len(snapshots) == 1  # the processes read a snapshot beside the store, not the store

        writer = OxigraphStore(store_copy)  # a build: it holds the store's lock while it writes
        for n in range(3):
            writer.put_graph(new_article(n))
        writer.flush()
        time.sleep(3)  # longer than the server's look at the store (every 2 s)
        assert {articles(served.url) for _ in range(9)} == {start}  # the build has not finished
        writer.close()

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and articles(served.url) == start:
            time.sleep(0.2)
        seen = [articles(served.url) for _ in range(30)]  # each of the 3 processes, many times
        time.sleep(1)  # the old spare is replaced too
        assert seen == [start + 3] * 30
        assert not query_processes(served.process.pid) & before_pids  # every process was replaced
        time.sleep(1)
        assert [p.name for p in store_copy.parent.glob(f".{store_copy.name}.serve-*/g*")] == ["g2"]  # the old one is gone
    finally:
        served.stop()
    assert not list(store_copy.parent.glob(f".{store_copy.name}.serve-*"))  # and all of them when it stops


def test_serve_refresh_a_snapshot_left_by_a_killed_server_is_cleared(store_copy, tmp_path):
    leftover = store_copy.parent / f".{store_copy.name}.serve-999999999"
    (leftover / "g1").mkdir(parents=True)
    served = start_server(store_copy, tmp_path / "serve.log")
    try:
        assert articles(served.url) > 0
        assert not leftover.exists()
    finally:
        served.stop()
