"""The projection's reading of the store: rows read as text straight from Oxigraph's terms
give the projection that rdflib terms gave, on the seed store and on a store with typed
literals that Oxigraph and rdflib write differently."""
from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from kg.analyze.projection import QUERIES, project, rows
from kg.store.oxigraph import OxigraphStore
from kg.rdf.vocabulary import BASE, PREFIXES
from kg.store.remote import term
from kg.store.results import Results, from_ox

XSD = "http://www.w3.org/2001/XMLSchema#"
PROLOGUE = f"@base <{PREFIXES['id']}> .\n" + "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())


def rdflib_texts(results: Results) -> list[tuple[str | None, ...]]:
    """The rows as the projection read them before: rdflib terms, then their text."""
    return [tuple(None if t is None else str(t) for t in row) for row in results.rows]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_projection_rows_as_text_are_the_rdflib_terms_text(seed_store, name: str) -> None:
    texts = seed_store.query(QUERIES[name]).texts()
    assert sorted(texts, key=str) == sorted(rdflib_texts(seed_store.query(QUERIES[name])), key=str)


def snapshot(g: nx.MultiDiGraph) -> tuple:
    """Everything the projection holds, in its order (attributes too: exports write them so)."""
    return ([(n, list(a.items())) for n, a in g.nodes(data=True)],
            [(u, v, k, list(a.items())) for u, v, k, a in g.edges(keys=True, data=True)], g.graph)


def projected_through_rdflib(store, monkeypatch, **options) -> nx.MultiDiGraph:
    with monkeypatch.context() as patch:
        patch.setattr(Results, "texts", rdflib_texts)
        return project(store, **options)


# Dates, a date-time in UTC and confidences as doubles: Oxigraph and rdflib write them otherwise.
TYPED_STORE = PROLOGUE + """
<article/t1> a kg:Article ; kg:title "Talks" ; kg:published "2025-05-23T08:00:00Z"^^xsd:dateTime .
<person/a> a kg:Person ; kg:name "Ann Able" ; kg:alias "Able" .
<country/B> a kg:Country ; kg:name "Bland" .
<event/t1/call> a kg:PhoneCall ; rdfs:label "PhoneCall: Ann Able – Bland" ; kg:modality kg:Happened ;
  kg:agent <person/a> ; kg:target <country/B> ; kg:participant <person/a>, <country/B> ;
  kg:evidence <evidence/t1/call> .
<evidence/t1/call> kg:article <article/t1> ; kg:rule "consult.speak" ; kg:confidence "8.5E-1"^^xsd:double ;
  kg:sentence "Able spoke with Bland." .
<event/t1/visit> a kg:Visit ; rdfs:label "Visit: Ann Able" ; kg:modality kg:Planned ;
  kg:date "2025-06-10"^^xsd:date ; kg:agent <person/a> ; kg:evidence <evidence/t1/visit> .
<evidence/t1/visit> kg:article <article/t1> ; kg:rule "consult.visit" ; kg:confidence "1"^^xsd:double ;
  kg:sentence "Able will visit." .
<person/a> kg:spokeWith <country/B> .
"""


@pytest.fixture(scope="module")
def typed_store() -> OxigraphStore:
    store = OxigraphStore(None)
    store.load_ontology()
    graph = Graph(identifier=URIRef(PREFIXES["id"] + "article/t1"))
    graph.parse(data=TYPED_STORE, format="turtle")
    store.put_graph(graph)
    return store


@pytest.mark.parametrize("events", [True, False])
def test_projection_of_the_seed_is_the_one_rdflib_terms_gave(seed_store, monkeypatch, events: bool) -> None:
    assert snapshot(project(seed_store, events=events)) == snapshot(
        projected_through_rdflib(seed_store, monkeypatch, events=events))


@pytest.mark.parametrize("events", [True, False])
def test_projection_of_typed_literals_is_the_one_rdflib_terms_gave(typed_store, monkeypatch, events: bool) -> None:
    g = project(typed_store, events=events)
    assert snapshot(g) == snapshot(projected_through_rdflib(typed_store, monkeypatch, events=events))
    [reading] = [a for *_, a in g.edges(data=True) if a.get("rule") == "consult.speak"][:1]
    assert (reading["confidence"], reading["when"]) == (0.85, "2025-05-23")


def test_projection_rows_are_sorted_with_unbound_first(seed_store) -> None:
    articles = rows(seed_store, QUERIES["ARTICLES"])
    assert articles == sorted(articles, key=lambda row: tuple("" if t is None else t for t in row))
    assert all(isinstance(t, str) for row in articles for t in row[:2])


def solutions(*terms: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> ox.QuerySolutions:
    """One row of `terms` (None: unbound) from a query on an empty store."""
    values = " ".join("UNDEF" if t is None else str(t) for t in terms)
    names = " ".join(f"?v{i}" for i in range(len(terms)))
    return ox.Store().query(f"SELECT * WHERE {{ VALUES ({names}) {{ ({values}) }} }}")


TYPED = [
    ox.NamedNode("https://w3id.org/kg-news/id/person/shigeru-ishiba"),
    ox.Literal("Shigeru Ishiba"),
    ox.Literal("石破 茂", language="ja"),
    ox.Literal("0.80", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("2025-05-01", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("7", datatype=ox.NamedNode(XSD + "integer")),
    None,
]


def test_projection_text_of_each_kind_of_term_is_its_rdflib_text() -> None:
    [texts] = Results.of_solutions(solutions(*TYPED), from_ox).texts()
    assert texts == rdflib_texts(Results.of_solutions(solutions(*TYPED), from_ox))[0]
    assert texts == ("https://w3id.org/kg-news/id/person/shigeru-ishiba", "Shigeru Ishiba", "石破 茂", "0.8",
                     "2025-05-01", "7", None)


def test_projection_text_keeps_a_double_s_value() -> None:
    double = ox.Literal("0.8E0", datatype=ox.NamedNode(XSD + "double"))
    [(text,)] = Results.of_solutions(solutions(double), from_ox).texts()
    [(rdflib_text,)] = rdflib_texts(Results.of_solutions(solutions(double), from_ox))
    assert float(text) == float(rdflib_text) == 0.8


def test_projection_text_of_converted_rows_and_of_a_server_s_terms() -> None:
    given = Results(("a", "b", "c"), rows=((URIRef("http://x/a"), Literal("b"), None), (BNode("n1"), None, None)))
    assert given.texts() == [("http://x/a", "b", None), ("n1", None, None)]
    skolem = ox.NamedNode(BASE + ".well-known/genid/b7")  # a blank node, as a server sends it
    served = Results.of_solutions(solutions(skolem), term)
    assert served.texts() == [("b7",)]
    assert served.rows == ((BNode("b7"),),)
