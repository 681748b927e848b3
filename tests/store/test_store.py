"""The Oxigraph store: named graphs per article, a de-duplicated default graph, plain literals."""
from __future__ import annotations

import subprocess
import sys
import types

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from kg.errors import StoreDamaged, StoreError, StoreLocked
from kg.store import open_store, register_store
from kg.store.base import _SCHEMES
from kg.store.oxigraph import OxigraphStore
from kg.store.remote import RemoteStore
from kg.rdf.vocabulary import ONTOLOGY_IRI

EX = Namespace("https://example.org/")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
A1, A2 = EX["article/1"], EX["article/2"]
TRUMP, ISHIBA = EX["person/trump"], EX["person/ishiba"]


def graph(name: URIRef, *triples: tuple) -> Graph:
    g = Graph(identifier=name)
    for triple in triples:
        g.add(triple)
    return g


def default_triples(store: OxigraphStore) -> set[tuple]:
    return set(store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows)


def graph_triples(store: OxigraphStore, name: URIRef) -> set[tuple]:
    return set(store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}").rows)


SPOKE = (TRUMP, EX.spokeWith, ISHIBA)
NAME_TRUMP = (TRUMP, EX.name, Literal("Donald Trump"))
NAME_ISHIBA = (ISHIBA, EX.name, Literal("Shigeru Ishiba"))


def test_store_put_graph_then_query_finds_its_triples():
    store = OxigraphStore(None)
    store.put_graph(graph(A1, SPOKE, NAME_TRUMP))
    results = store.query(
        "SELECT ?name WHERE { ?who <https://example.org/spokeWith> ?x ; <https://example.org/name> ?name }")
    assert results.variables == ("name",)
    assert results.rows == ((Literal("Donald Trump"),),)
    assert store.has_graph(A1) and not store.has_graph(A2)
    assert graph_triples(store, A1) == {SPOKE, NAME_TRUMP}


def test_store_put_graph_replaces_the_graph_of_the_same_name():
    store = OxigraphStore(None)
    store.put_graph(graph(A1, SPOKE, NAME_TRUMP, NAME_ISHIBA))
    store.put_graph(graph(A2, NAME_ISHIBA))
    store.put_graph(graph(A1, SPOKE))

    assert graph_triples(store, A1) == {SPOKE}
    assert graph_triples(store, A2) == {NAME_ISHIBA}
    # NAME_TRUMP was stated by the old A1 alone: gone. NAME_ISHIBA is still stated by A2: kept.
    assert default_triples(store) == {SPOKE, NAME_ISHIBA}


def test_store_triple_leaves_the_default_graph_when_its_last_graph_drops_it():
    store = OxigraphStore(None)
    store.put_graph(graph(A1, SPOKE, NAME_ISHIBA))
    store.put_graph(graph(A2, NAME_ISHIBA))
    store.put_graph(graph(A1, SPOKE))
    store.put_graph(graph(A2, NAME_TRUMP))
    assert default_triples(store) == {SPOKE, NAME_TRUMP}


def test_store_triple_stated_in_two_article_graphs_is_one_row():
    store = OxigraphStore(None)
    store.put_graph(graph(A1, SPOKE, NAME_TRUMP))
    store.put_graph(graph(A2, SPOKE))
    rows = store.query("SELECT ?a ?b WHERE { ?a <https://example.org/spokeWith> ?b }").rows
    assert rows == ((TRUMP, ISHIBA),)
    both = store.query("SELECT ?g WHERE { GRAPH ?g { ?a <https://example.org/spokeWith> ?b } } ORDER BY ?g").rows
    assert both == ((A1,), (A2,))  # provenance is kept per article


def test_store_literals_come_back_as_they_went_in():
    plain = Literal("Donald Trump")
    tagged = Literal("Donald Trump", lang="en")
    dated = Literal("2025-05-23", datatype=XSD_DATE)
    number = Literal(3)
    store = OxigraphStore(None)
    store.put_graph(graph(A1, *[(TRUMP, EX[f"p{n}"], o) for n, o in enumerate([plain, tagged, dated, number])]))
    values = {row[0] for row in store.query("SELECT ?o WHERE { ?s ?p ?o }").rows}
    assert values == {plain, tagged, dated, number}
    [(value,)] = store.query("SELECT ?o WHERE { ?s <https://example.org/p0> ?o }").rows
    assert value == Literal("Donald Trump")
    assert value.datatype is None and value.language is None  # not ^^xsd:string


def test_store_unbound_optional_is_none():
    store = OxigraphStore(None)
    store.put_graph(graph(A1, NAME_TRUMP))
    rows = store.query("SELECT ?s ?missing WHERE { ?s ?p ?o OPTIONAL { ?s <https://example.org/nope> ?missing } }").rows
    assert rows == ((TRUMP, None),)


def test_store_ask_gives_a_boolean():
    store = OxigraphStore(None)
    store.put_graph(graph(A1, SPOKE))
    assert store.query("ASK { ?a <https://example.org/spokeWith> ?b }").boolean is True
    assert store.query("ASK { ?a <https://example.org/metWith> ?b }").boolean is False


def test_store_construct_through_query_is_refused_and_construct_gives_a_graph():
    store = OxigraphStore(None)
    store.put_graph(graph(A1, SPOKE))
    sparql = "CONSTRUCT { ?b <https://example.org/spokeWith> ?a } WHERE { ?a <https://example.org/spokeWith> ?b }"
    with pytest.raises(StoreError, match="use construct"):
        store.query(sparql)
    assert set(store.construct(sparql)) == {(ISHIBA, EX.spokeWith, TRUMP)}


def test_store_article_graphs_leave_out_the_ontology():
    store = OxigraphStore(None)
    store.load_ontology()
    store.put_graph(graph(A2, SPOKE))
    store.put_graph(graph(A1, NAME_TRUMP))
    assert store.has_graph(ONTOLOGY_IRI)
    assert store.article_graphs() == [A1, A2]
    assert set(store.union_graph()) == {SPOKE, NAME_TRUMP}
    assert len(store.union_graph(include_ontology=True)) > 2
    dataset = store.dataset()
    assert {g.identifier for g in dataset.graphs() if len(g)} == {A1, A2}


def test_store_data_survives_closing_and_reopening_read_only(tmp_path):
    path = tmp_path / "store"
    with OxigraphStore(path) as writer:
        writer.put_graph(graph(A1, SPOKE, NAME_TRUMP))
    with OxigraphStore(path, read_only=True) as reader:
        assert reader.article_graphs() == [A1]
        assert default_triples(reader) == {SPOKE, NAME_TRUMP}


def test_store_closed_lets_go_of_its_lock_and_refuses_further_use(tmp_path):
    path = tmp_path / "store"
    first = OxigraphStore(path)
    first.close()
    first.close()  # closing twice is harmless
    with pytest.raises(StoreError, match="is closed"):
        first.query("ASK { ?s ?p ?o }")
    with OxigraphStore(path) as second:  # the lock is free at once, with no garbage collection
        assert second.article_graphs() == []


def test_store_closed_after_writing_leaves_no_write_ahead_log_behind(tmp_path):
    path = tmp_path / "store"
    with OxigraphStore(path) as writer:
        for n in range(50):
            writer.put_graph(graph(URIRef(f"{A1}-{n}"), (URIRef(f"{A1}-{n}"), EX.name, Literal(f"story {n}")), SPOKE))
    assert [log.name for log in path.glob("*.log") if log.stat().st_size] == []
    with OxigraphStore(path, read_only=True) as reader:
        assert len(reader.article_graphs()) == 50


def test_store_read_only_on_a_missing_folder_names_it_and_says_how_to_build(tmp_path):
    path = tmp_path / "no-store-here"
    with pytest.raises(StoreError) as caught:
        OxigraphStore(path, read_only=True)
    message = str(caught.value)
    assert str(path) in message
    assert "kg build" in message
    assert not path.exists()  # reading does not create a store


def test_store_second_writer_in_the_same_process_is_told_another_process_has_it(tmp_path):
    path = tmp_path / "store"
    with OxigraphStore(path), pytest.raises(StoreLocked) as caught:
        OxigraphStore(path)
    message = str(caught.value)
    assert str(path) in message
    assert "another kg process is using it" in message
    assert caught.value.for_command_line().endswith("or use another --store)")


def test_store_second_writer_from_another_process_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "store"
    opener = "import sys\nfrom kg.store.oxigraph import OxigraphStore\nOxigraphStore(sys.argv[1])\n"
    with OxigraphStore(path):
        done = subprocess.run([sys.executable, "-c", opener, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "kg.errors.StoreLocked: " in done.stderr
    assert "another kg process is using it" in done.stderr


def test_store_folder_that_is_not_a_store_is_a_store_error(tmp_path):
    (tmp_path / "notes.txt").write_text("not a store", encoding="utf-8")
    with pytest.raises(StoreError, match=f"cannot open the store at {tmp_path}"):
        OxigraphStore(tmp_path, read_only=True)


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "writable"])
def test_store_damaged_store_is_a_store_error(tmp_path, read_only):
    path = tmp_path / "store"
    with OxigraphStore(path) as writer:
        writer.put_graph(graph(A1, SPOKE))
    (path / "CURRENT").write_text("garbage\n", encoding="utf-8")
    with pytest.raises(StoreDamaged, match="cannot open the store.*if no build is running, rebuild the store"):
        OxigraphStore(path, read_only=read_only)


def test_store_is_created_whole_and_leftovers_of_killed_creations_are_cleared(tmp_path):
    leftover = tmp_path / ".store.creating-999999999"  # no such process: a creation killed midway
    leftover.mkdir()
    (leftover / "CURRENT").write_text("half made")
    with OxigraphStore(tmp_path / "store") as store:
        store.load_ontology()
    assert not leftover.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    with OxigraphStore(tmp_path / "store", read_only=True) as reader:
        assert reader.query("ASK { ?s ?p ?o }").boolean


def test_store_opened_by_the_scheme_of_its_address(tmp_path, monkeypatch):
    with open_store(tmp_path / "store") as embedded, open_store(None) as memory:
        assert isinstance(embedded, OxigraphStore) and isinstance(memory, OxigraphStore)
    remote = open_store("SPARQL+HTTP://127.0.0.1:9/sparql", read_only=True)  # nothing is sent yet
    assert isinstance(remote, RemoteStore) and remote.endpoint == "http://127.0.0.1:9/sparql"

    class MemoryStore(OxigraphStore):  # another kind of store, as a plugin would bring one
        def __init__(self, spec, **options):
            super().__init__(None, **options)
            self.spec = spec

    plugin = types.ModuleType("kg_test_plugin")
    plugin.MemoryStore = MemoryStore
    monkeypatch.setitem(sys.modules, "kg_test_plugin", plugin)
    monkeypatch.setitem(_SCHEMES, "memory", "kg_test_plugin:MemoryStore")
    register_store("Memory", "kg_test_plugin:MemoryStore")
    with open_store("memory://scratch") as opened:
        assert isinstance(opened, MemoryStore) and opened.spec == "memory://scratch"


def test_store_protocol_is_what_both_stores_do() -> None:
    wanted = {"has_graph", "put_graph", "query", "construct", "quads", "close", "__enter__", "__exit__"}
    for kind in (OxigraphStore, RemoteStore):
        assert wanted <= {name for name in dir(kind) if callable(getattr(kind, name))}


def test_store_texts_read_from_tsv_are_the_rows_texts():
    """The embedded store reads texts from Oxigraph's TSV: every kind of value comes out as
    `Results.texts` gives it, escapes undone."""
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import XSD

    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    values = [Literal('tab\there, line\nbreak, "quoted" and back\\slash'), Literal("café ✓ 東京"),
              Literal("bonjour", lang="fr"), Literal(3), Literal(2.5), Literal(True),
              Literal("2025-03-01", datatype=XSD.date), URIRef("https://example.org/o?a=1&b=%3C2%3E"),
              BNode("b1")]
    graph = Graph(identifier=URIRef("https://example.org/g"))
    for v in values:
        graph.add((s, p, v))
    query = "SELECT ?o ?none WHERE { ?s <https://example.org/p> ?o OPTIONAL { ?o <https://example.org/q> ?none } }"
    with open_store(None) as store:
        store.put_graph(graph)
        assert sorted(store.texts(query), key=str) == sorted(store.query(query).texts(), key=str)
        found = {row[0] for row in store.texts(query)}
        assert 'tab\there, line\nbreak, "quoted" and back\\slash' in found and "café ✓ 東京" in found
        assert {"bonjour", "3", "true", "2025-03-01"} <= found
        assert all(row[1] is None for row in store.texts(query))
