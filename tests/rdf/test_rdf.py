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
