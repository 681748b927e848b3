"""Records -> RDF (kg/rdf.py): the article's own metadata."""
from __future__ import annotations

from rdflib import Literal

from kg.model import Article, Extraction
from kg.rdf.graph import extraction_graph
from kg.rdf.iris import article_iri
from kg.rdf.vocabulary import KG


def test_rdf_article_keeps_title_source_author_and_date():
    article = Article(id="a1", text="Talks resumed in Geneva.", title="Talks Resume", url="https://example.org/t",
                      published="2025-05-20", source="Example Wire", author="Jane Roe")
    graph = extraction_graph(Extraction(article=article))
    node = article_iri("a1")
    assert graph.value(node, KG.author) == Literal("Jane Roe")
    assert graph.value(node, KG.source) == Literal("Example Wire")
    assert str(graph.value(node, KG.published)) == "2025-05-20"


def test_rdf_article_without_a_byline_has_no_author():
    graph = extraction_graph(Extraction(article=Article(id="a2", text="Talks resumed.")))
    assert graph.value(article_iri("a2"), KG.author) is None


def test_rdf_standing_relation_is_a_triple_and_a_statement_with_its_evidence():
    from rdflib import RDF

    from kg.model import Entity, Evidence, Link
    from kg.rdf.iris import entity_iri, evidence_iri, link_iri
    from kg.rdf.validate import validate

    text = "Bern, the Swiss capital, was calm."
    evidence = Evidence("a1", text, 0, 20, "located.apposition.v1", 0.8)
    link = Link("locatedIn", "place/bern", "country/CHE", evidence)
    graph = extraction_graph(Extraction(
        article=Article(id="a1", text=text),
        entities=(Entity("place/bern", "Location", "Bern"), Entity("country/CHE", "Country", "Switzerland", iso3="CHE")),
        links=(link,)))
    bern, swiss, statement = entity_iri("place/bern"), entity_iri("country/CHE"), link_iri(link)
    assert (bern, KG.locatedIn, swiss) in graph
    assert set(graph.predicate_objects(statement)) >= {(RDF.type, RDF.Statement), (RDF.subject, bern),
                                                       (RDF.predicate, KG.locatedIn), (RDF.object, swiss),
                                                       (KG.evidence, evidence_iri(evidence))}
    assert (evidence_iri(evidence), KG.rule, Literal("located.apposition")) in graph
    assert validate(graph).conforms
