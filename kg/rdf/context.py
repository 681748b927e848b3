"""kg's JSON-LD context: the prefixes, and a short term for every class and property.

`ontology/context.jsonld` is published with the package (`kg.ontology`), and `kg export
--format jsonld` writes its documents compacted with it, so they read as
`{"@id": "person:donald-trump", "@type": "Person", "name": "Donald Trump"}`. The file is made
by `build_context` from the ontology and the prefix table, and a test keeps the two in step:
regenerate it with
`python -c "from kg.rdf.context import context_text as t; print(t(), end='')" > ontology/context.jsonld`.

Each class and property of kg.ttl is a term named by its local name; object properties say
their values are IRIs (`"@type": "@id"`), datatype properties with a range other than
xsd:string say their datatype. A local name that is also a prefix (`article`, `place`,
`topic`) gets no term, since a term would stand in the prefix's place: those properties are
written as `kg:article`.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

from kg.errors import KGError
from kg.rdf.ontology import ONTOLOGY_PACKAGE, cached_ontology
from kg.rdf.vocabulary import KG, PREFIXES, compact_iri

CONTEXT_FILE = "context.jsonld"
# Terms of other vocabularies that kg writes into article graphs, with their kind.
OTHER_TERMS = {
    "label": (str(RDFS.label), None),
    "prefLabel": ("http://www.w3.org/2004/02/skos/core#prefLabel", None),
    "sameAs": (str(OWL.sameAs), "@id"),
    "wasDerivedFrom": ("http://www.w3.org/ns/prov#wasDerivedFrom", "@id"),
}
_KINDS = ((OWL.Class, None), (OWL.ObjectProperty, "@id"), (OWL.DatatypeProperty, "range"),
          (OWL.AnnotationProperty, None))


def build_context(ontology: Graph | None = None) -> dict[str, Any]:
    """The context document: {"@context": {prefix: namespace, ..., term: definition, ...}}."""
    ontology = ontology if ontology is not None else cached_ontology()
    context: dict[str, Any] = dict(PREFIXES)
    terms: dict[str, Any] = {}
    for kind, coercion in _KINDS:
        for term in sorted(set(ontology.subjects(RDF.type, kind)), key=str):
            if not isinstance(term, URIRef) or not str(term).startswith(str(KG._NS)):
                continue
            name = str(term)[len(str(KG._NS)):]
            terms[name] = _definition(compact_iri(str(term)), _coercion(ontology, term, coercion))
    for name, (iri, coercion) in OTHER_TERMS.items():
        terms[name] = _definition(compact_iri(iri), coercion)
    context.update((name, terms[name]) for name in sorted(terms) if name not in PREFIXES)
    return {"@context": context}


def _coercion(ontology: Graph, term: URIRef, kind: str | None) -> str | None:
    if kind != "range":
        return kind
    ranges = [r for r in ontology.objects(term, RDFS.range) if r != XSD.string]
    return compact_iri(str(ranges[0])) if len(ranges) == 1 else None


def _definition(iri: str, coercion: str | None) -> str | dict[str, str]:
    return {"@id": iri, "@type": coercion} if coercion else iri


def context_text(ontology: Graph | None = None) -> str:
    """`build_context` as the file's text."""
    return json.dumps(build_context(ontology), indent=2, ensure_ascii=False) + "\n"


@cache
def jsonld_context() -> dict[str, Any]:
    """The published context (ontology/context.jsonld), as a dict with its "@context" key."""
    try:
        text = resources.files(ONTOLOGY_PACKAGE).joinpath(CONTEXT_FILE).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise KGError(f"cannot read {CONTEXT_FILE} from the {ONTOLOGY_PACKAGE} package ({error}); "
                      "install kg (`pip install -e .` in a checkout)") from error
    return json.loads(text)
