"""Exports read by the libraries people load them with: Turtle, N-Triples and TriG by
pyoxigraph, JSON-LD by PyLD (the JSON-LD API) and rdflib; each gives back the store's triples."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.export import export
from kg.rdf.context import jsonld_context
from kg.rdf.vocabulary import ID, KG, PREFIXES
from kg.store.oxigraph import OxigraphStore

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

ISHIBA = PREFIXES["person"] + "shigeru-ishiba"
OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG}


def triples(quads) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in quads}


def pyld_nquads(data: bytes) -> bytes:
    """The triples PyLD reads from a JSON-LD document, as N-Quads."""
    return jsonld.to_rdf(json.loads(data), {"format": "application/n-quads"}).encode("utf-8")


def jsonld_triples(data: bytes) -> set[tuple]:
    """The triples PyLD reads from a JSON-LD document (without blank nodes), parsed back by pyoxigraph."""
    return triples(ox.parse(pyld_nquads(data), format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def odd_store():
    """Literals that test a writer: tabs, newlines, quotes, language tags, typed values,
    a typed literal under a term of another type, and an IRI where a string is expected."""
    graph = Graph(identifier=ID["article/odd"])
    article, event = ID["article/odd"], ID["event/odd/1"]
    graph.add((article, RDF.type, KG.Article))
    graph.add((article, KG.title, Literal('Tabs\tand "quotes"\nand lines')))
    graph.add((article, KG.title, Literal("Titre", lang="fr")))
    graph.add((article, KG.url, Literal("https://example.org/a?b=1&c=2", datatype=XSD.anyURI)))
    graph.add((article, KG.published, Literal("2025-06-01T09:30:00+09:00", datatype=XSD.dateTime)))
    graph.add((event, RDF.type, KG.Visit))
    graph.add((event, RDF.type, KG.Consult))
    graph.add((event, KG.date, Literal("2025-06-10", datatype=XSD.date)))
    graph.add((event, KG.date, Literal("June 10")))  # a plain string under a term typed xsd:date
    graph.add((event, KG.confidence, Literal("0.7", datatype=XSD.decimal)))
    graph.add((event, KG.agent, URIRef(ISHIBA)))
    graph.add((event, KG.article, article))  # a property whose name is also a prefix
    graph.add((event, KG.trigger, URIRef("https://example.org/not-a-string")))
    graph.add((event, URIRef("https://example.org/ns#other"), Literal("7", datatype=XSD.integer)))
    store = OxigraphStore(None)
    store.load_ontology()
    store.put_graph(graph)
    return store


# --- Turtle, N-Triples, TriG --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_export_pyoxigraph_reads_the_store_triples(seed_store, fmt):
    data, summary = export(seed_store, fmt=fmt)
    parsed = triples(ox.parse(data, format=OX_FORMATS[fmt]))
    assert parsed == triples(seed_store.stream_triples(line_order=True))
    assert len(parsed) == summary.triples


def test_export_pyoxigraph_reads_every_article_graph_of_trig(seed_store):
    data, summary = export(seed_store, fmt="trig")
    parsed = set(ox.parse(data, format=ox.RdfFormat.TRIG))
    assert parsed == set(seed_store.stream_quads())
    assert len({q.graph_name for q in parsed}) == summary.graphs == len(seed_store.article_graphs())


# --- JSON-LD ------------------------------------------------------------------------------


def test_export_jsonld_pyld_reads_the_store_triples(seed_store):
    data, summary = export(seed_store, fmt="jsonld")
    assert jsonld_triples(data) == triples(seed_store.stream_triples(line_order=True))
    assert summary.triples == len(triples(seed_store.stream_triples(line_order=True)))


def test_export_jsonld_rdflib_reads_the_store_graph(seed_store):
    parsed = Graph().parse(data=export(seed_store, fmt="jsonld")[0], format="json-ld")
    assert isomorphic(parsed, seed_store.union_graph())


def test_export_jsonld_is_compacted_with_the_published_context(seed_store):
    document = json.loads(export(seed_store, fmt="jsonld")[0])
    assert document["@context"] == jsonld_context()["@context"]
    nodes = {node["@id"]: node for node in document["@graph"]}
    ishiba = nodes["person:shigeru-ishiba"]
    assert ishiba["@type"] == "Person" and ishiba["name"] == "Shigeru Ishiba"
    [call] = [n for n in nodes.values() if n.get("@type") == "PhoneCall"]
    assert "person:shigeru-ishiba" in call["participant"] and call["modality"] == "kg:Happened"
    assert call["duration"] == "PT45M"  # the term says xsd:duration: the value is bare
    keys = {key for node in nodes.values() for key in node}
    assert not [k for k in keys if "://" in k]  # every key a term or a compact IRI
    ids = {node["@id"] for node in nodes.values()}
    assert not [i for i in ids if i.startswith(("http://", "https://w3id.org/kg-news/"))]


def test_export_jsonld_round_trips_odd_literals_and_the_ontology(odd_store):
    data, summary = export(odd_store, fmt="jsonld")
    assert jsonld_triples(data) == triples(odd_store.stream_triples(line_order=True)) and summary.triples == len(jsonld_triples(data))
    assert isomorphic(Graph().parse(data=data, format="json-ld"), odd_store.union_graph())
    # the ontology has blank nodes (OWL lists): compared as graphs, by isomorphism
    data, summary = export(odd_store, fmt="jsonld", include_ontology=True)
    expected = odd_store.union_graph(include_ontology=True)
    assert isomorphic(Graph().parse(data=pyld_nquads(data), format="nquads"), expected)
    assert isomorphic(Graph().parse(data=data, format="json-ld"), expected)
    assert summary.triples == len(expected)


def test_export_jsonld_writes_values_its_terms_do_not_type_as_value_objects(odd_store):
    nodes = {n["@id"]: n for n in json.loads(export(odd_store, fmt="jsonld")[0])["@graph"]}
    event, article = nodes["id:event/odd/1"], nodes["article:odd"]
    assert sorted(event["@type"]) == ["Consult", "Visit"]
    assert sorted(event["date"], key=str) == ["2025-06-10", {"@value": "June 10"}]
    assert event["confidence"] == "0.7"  # a string: JSON numbers would lose the lexical form
    assert event["kg:article"] == {"@id": "article:odd"}
    assert event["trigger"] == {"@id": "https://example.org/not-a-string"}
    assert event["https://example.org/ns#other"] == {"@value": "7", "@type": "xsd:integer"}
    assert {"@value": "Titre", "@language": "fr"} in article["title"]
    assert article["published"] == {"@value": "2025-06-01T09:30:00+09:00", "@type": "xsd:dateTime"}


def test_export_jsonld_of_an_empty_store_is_an_empty_graph():
    with OxigraphStore(None) as store:
        document = json.loads(export(store, fmt="jsonld")[0])
    assert document["@graph"] == [] and "@context" in document


# --- what the counts count ----------------------------------------------------------------


def test_export_store_size_counts_what_the_export_writes_and_count_star_gives(seed_store):
    from kg.store.export import store_size

    size = store_size(seed_store)
    assert size.triples == export(seed_store, fmt="nt")[1].triples == export(seed_store, fmt="jsonld")[1].triples
    assert size.with_ontology == export(seed_store, fmt="nt", include_ontology=True)[1].triples
    [(count,)] = seed_store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
    assert size.with_ontology == int(count)  # what a user's COUNT(*) on the endpoint gives
    assert size.article_graphs == len(seed_store.article_graphs())
    assert size.describe() == (f"{size.triples} triples from {size.article_graphs} article graphs, each once "
                               f"({size.with_ontology} with the ontology)")


def test_export_summaries_say_what_they_count(seed_store):
    plain, with_ontology, trig = (export(seed_store, fmt="turtle")[1], export(seed_store, fmt="turtle",
                                  include_ontology=True)[1], export(seed_store, fmt="trig")[1])
    assert plain.describe() == f"{plain.triples} triples from 18 article graphs, each once, without the ontology (turtle)"
    assert with_ontology.describe().endswith("each once, with the ontology (turtle)")
    per_graph = sum(1 for _ in seed_store.stream_quads())
    assert trig.triples == per_graph > plain.triples  # a triple stated by several articles is in each of their graphs
    assert trig.describe() == f"{per_graph} triples in 18 article graphs, each graph's own (trig)"
    trig_with = export(seed_store, fmt="trig", include_ontology=True)[1]
    assert trig_with.describe() == f"{trig_with.triples} triples in 18 article graphs and the ontology's, each graph's own (trig)"


@pytest.mark.parametrize("fmt", ["turtle", "nt", "trig", "jsonld", "graphml", "gexf"])
def test_export_holds_no_local_path(seed_store, fmt):
    """The seed store was built from the absolute path of seeds/: no export may say where it lies."""
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    data = export(seed_store, fmt=fmt)[0].decode("utf-8")
    assert root not in data
    assert "seeds/000_42b68af8222b094e.txt#headline-1" in data
