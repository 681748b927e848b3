"""Remote stores: kg building into, querying and exporting from a real Virtuoso 7.2 server
(the `virtuoso` fixture, tests/virtuoso.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from kg.cli import main
from kg.errors import StoreError
from kg.store.queries import saved_queries
from kg.store.remote import RemoteStore
from virtuoso import Virtuoso

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
PARAMS = {"about-entity": {"entity": "Shigeru Ishiba"}, "what-did": {"entity": "Donald Trump"}}
def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


@pytest.fixture(scope="module")
def remote_build(virtuoso, nlp):
    """The seeds built into the Virtuoso server with `kg build`, once for the module."""
    return run("build", str(SEEDS), "--store", virtuoso.write_url, "--no-progress")


def normalised(answer: dict) -> list[tuple]:
    """Rows of a SPARQL JSON answer, sorted, each a tuple of (type, value, datatype, lang).

    GROUP_CONCAT's order is the engine's own (SPARQL leaves it open), so a value that lists
    items is compared as the sorted list of its items.
    """
    def cell(binding: dict | None) -> tuple:
        if binding is None:
            return ()
        kind = "literal" if binding["type"] in ("literal", "typed-literal") else binding["type"]
        value = ", ".join(sorted(binding["value"].split(", ")))
        return kind, value, binding.get("datatype", ""), binding.get("xml:lang", "")
    names = answer["head"]["vars"]
    return sorted(tuple(cell(b.get(v)) for v in names) for b in answer["results"]["bindings"])


def query_json(name: str, store: str) -> dict:
    args = ["query", name, "--format", "json", "--store", store]
    for param, value in PARAMS.get(name, {}).items():
        args += ["--param", f"{param}={value}"]
    return json.loads(run(*args).output)


def test_remote_build_adds_every_seed_article(remote_build, virtuoso, seed_store):
    stored = seed_store.article_graphs()
    assert f"{len(stored)} added, 0 already in the store" in remote_build.output
    assert RemoteStore(virtuoso.query_url).article_graphs() == stored


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_remote_saved_queries_answer_as_the_embedded_store(remote_build, virtuoso, seed_store_path, name):
    embedded = query_json(name, str(seed_store_path))
    remote = query_json(name, virtuoso.query_url)
    assert remote["head"]["vars"] == embedded["head"]["vars"]
    assert normalised(remote) == normalised(embedded)


def test_remote_answers_the_seed_facts(remote_build, virtuoso):
    rows = normalised(query_json("who-spoke-with-whom", virtuoso.query_url))
    values = [tuple(c[1] for c in row) for row in rows]
    assert any(r[:2] == ("Donald Trump", "Shigeru Ishiba") and "PT45M" in r for r in values), values
    ask = run("query", "ASK { person:shigeru-ishiba kg:leaderOf country:JPN }", "--store", virtuoso.query_url)
    assert ask.output == "yes\n"
    ask = run("query", "ASK { person:shigeru-ishiba kg:leaderOf country:USA }", "--store", virtuoso.query_url)
    assert ask.output == "no\n"


def server_count(virtuoso: Virtuoso) -> int:
    """Triples on the server in kg's graphs (the default graph and the article graphs)."""
    result = RemoteStore(virtuoso.query_url).query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER (STRSTARTS(STR(?g), 'https://w3id.org/kg-news/')) }")
    return int(result.rows[0][0])


def test_remote_second_build_adds_nothing(remote_build, virtuoso, seed_store):
    before = server_count(virtuoso)
    again = run("build", str(SEEDS), "--store", virtuoso.write_url, "--no-progress")
    stored = len(seed_store.article_graphs())
    assert f"0 added, {stored} already in the store" in again.output
    assert server_count(virtuoso) == before > 0


def test_remote_export_is_isomorphic_to_the_embedded_export(remote_build, virtuoso, seed_store_path, tmp_path):
    run("export", "--format", "trig", "--store", str(seed_store_path), "-o", str(tmp_path / "embedded.trig"))
    run("export", "--format", "trig", "--store", virtuoso.query_url, "-o", str(tmp_path / "remote.trig"))
    embedded, remote = Dataset(), Dataset()
    embedded.parse(tmp_path / "embedded.trig", format="trig")
    remote.parse(tmp_path / "remote.trig", format="trig")
    graphs = {g.identifier: g for g in embedded.graphs() if len(g)}
    remote_graphs = {g.identifier: g for g in remote.graphs() if len(g)}
    assert set(remote_graphs) == set(graphs) and len(graphs) > 1
    for name, graph in graphs.items():
        same, only_embedded, only_remote = graph_diff(to_isomorphic(graph), to_isomorphic(remote_graphs[name]))
        assert not only_embedded and not only_remote, (
            f"{name}: only in the embedded export: {sorted(only_embedded)[:5]}; "
            f"only in the remote export: {sorted(only_remote)[:5]}")


def small_graph(name: str, *objects: str) -> Graph:
    graph = Graph(identifier=URIRef(f"urn:kg-test:{name}"))
    for obj in objects:
        graph.add((URIRef("urn:kg-test:s"), URIRef("urn:kg-test:p"), Literal(obj)))
    return graph


def default_graph_values(store: RemoteStore) -> set[str]:
    return {str(row[0]) for row in store.query("SELECT ?o WHERE { <urn:kg-test:s> <urn:kg-test:p> ?o }").rows}


def test_remote_replacing_a_graph_keeps_what_others_state(remote_build, virtuoso):
    store = RemoteStore(virtuoso.write_url)
    store.put_graph(small_graph("a", "shared", "only a", "  spaced\n"))
    store.put_graph(small_graph("b", "shared"))
    assert default_graph_values(store) == {"shared", "only a", "  spaced\n"}
    store.put_graph(small_graph("a", "new in a"))          # replaces graph a
    assert default_graph_values(store) == {"shared", "new in a"}
    store.put_graph(small_graph("a"))
    store.put_graph(small_graph("b"))
    assert default_graph_values(store) == set()
    assert not store.has_graph(URIRef("urn:kg-test:a"))


def test_remote_write_errors_say_what_to_do(virtuoso):
    anonymous = RemoteStore(virtuoso.query_url)
    with pytest.raises(StoreError, match="sparql-auth"):
        anonymous.put_graph(small_graph("refused", "x"))
    wrong = RemoteStore(f"sparql+http://dba:wrong@127.0.0.1:{virtuoso.http_port}/sparql-auth")
    with pytest.raises(StoreError, match="refused the credentials of dba"):
        wrong.put_graph(small_graph("refused", "x"))
    assert not anonymous.has_graph(URIRef("urn:kg-test:refused"))
