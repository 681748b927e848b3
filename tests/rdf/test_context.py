"""The published JSON-LD context: made from the ontology, current, and usable by a JSON-LD
processor (PyLD) to read kg's terms as the ontology's IRIs."""
from __future__ import annotations

from pathlib import Path

from pyld import jsonld

from kg.rdf.context import build_context, context_text, jsonld_context
from kg.rdf.vocabulary import KG, PREFIXES

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "ontology" / "context.jsonld"


def test_context_published_file_is_current() -> None:
    assert PUBLISHED.read_text(encoding="utf-8") == context_text(), (
        "ontology/context.jsonld is out of date; regenerate it with "
        "`python -c \"from kg.rdf.context import context_text as t; print(t(), end='')\" > ontology/context.jsonld`")
    assert jsonld_context() == build_context()


def test_context_names_every_kg_term_that_is_no_prefix() -> None:
    context = build_context()["@context"]
    for name in KG.__annotations__:
        if name in PREFIXES:
            assert context[name] == PREFIXES[name]  # the prefix keeps its place
        elif name in context:
            definition = context[name]
            assert (definition if isinstance(definition, str) else definition["@id"]) == f"kg:{name}"
    missing = [n for n in KG.__annotations__ if n not in context and n[0].islower() and n not in PREFIXES]
    assert not missing, missing


def test_context_terms_expand_to_the_ontology_iris() -> None:
    document = {**build_context(), "@id": "person:ishiba", "@type": "Person", "name": "Shigeru Ishiba",
                "date": "2025-06-10", "agent": "country:JPN", "kg:article": {"@id": "article:a1"}}
    [node] = jsonld.expand(document)
    assert node["@id"] == PREFIXES["person"] + "ishiba"
    assert node["@type"] == [str(KG.Person)]
    assert node[str(KG.name)] == [{"@value": "Shigeru Ishiba"}]
    assert node[str(KG.date)] == [{"@value": "2025-06-10", "@type": "http://www.w3.org/2001/XMLSchema#date"}]
    assert node[str(KG.agent)] == [{"@id": PREFIXES["country"] + "JPN"}]
    assert node[str(KG.article)] == [{"@id": PREFIXES["article"] + "a1"}]
