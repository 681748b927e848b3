"""The store as compacted JSON-LD: one node object per subject, written as the triples stream.

The document carries kg's context (`kg.rdf.context`, published as ontology/context.jsonld)
and is what the JSON-LD compaction algorithm makes of the same triples with that context:
keys are terms (`name`, `agent`) or compact IRIs (`kg:article`, `skos:notation`), types are
class terms (`Person`), IRIs are compact (`person:donald-trump`), a value that its term's
type already says is written bare (`"date": "2025-06-10"`), any other typed or
language-tagged literal as a value object. Values are never JSON numbers, so each literal
keeps its exact lexical form.

It is written a subject at a time (the triples come sorted, so a subject's triples come
together), never holding the whole graph.
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import pyoxigraph as ox

from kg.rdf.context import jsonld_context

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
GEN_DELIMS = tuple(":/?#[]@")


@dataclass(frozen=True)
class Compactor:
    """The context read for writing: prefixes by namespace, and each term by its IRI with the
    type its values are taken to have (None, "@id", or a datatype IRI)."""

    prefixes: tuple[tuple[str, str], ...]  # (namespace, prefix), longest namespace first
    terms: dict[str, tuple[str, str | None]]  # IRI -> (term, coercion)

    @classmethod
    def of(cls, context: dict[str, Any]) -> Compactor:
        prefixes = {value: name for name, value in context.items()
                    if isinstance(value, str) and value.endswith(GEN_DELIMS) and "://" in value}

        def expand(name: str) -> str:
            prefix, _, local = name.partition(":")
            namespace = next((ns for ns, p in prefixes.items() if p == prefix), None)
            return namespace + local if namespace is not None else name

        terms = {}
        for name, value in context.items():
            if isinstance(value, str) and value not in prefixes:
                terms[expand(value)] = (name, None)
            elif isinstance(value, dict):
                coercion = value.get("@type")
                terms[expand(value["@id"])] = (name, coercion if coercion in (None, "@id") else expand(coercion))
        return cls(tuple(sorted(prefixes.items(), key=lambda kv: -len(kv[0]))), terms)

    def iri(self, iri: str) -> str:
        """A compact IRI (`person:donald-trump`) where a prefix fits, else the IRI."""
        for namespace, prefix in self.prefixes:
            local = iri[len(namespace):]
            if iri.startswith(namespace) and local and not local.startswith("//"):
                return f"{prefix}:{local}"
        return iri

    def node(self, subject: ox.NamedNode | ox.BlankNode, triples: Iterable[ox.Quad]) -> dict[str, Any]:
        """The node object of one subject's triples."""
        node: dict[str, Any] = {"@id": self._id(subject)}
        types: list[str] = []
        values: dict[str, list[Any]] = {}
        for quad in triples:
            predicate, obj = quad.predicate.value, quad.object
            if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode):
                types.append(self.terms.get(obj.value, (self.iri(obj.value),))[0])
                continue
            term, coercion = self.terms.get(predicate, (self.iri(predicate), None))
            values.setdefault(term, []).append(self._value(obj, coercion))
        if types:
            node["@type"] = types[0] if len(types) == 1 else types
        for key in sorted(values):
            node[key] = values[key][0] if len(values[key]) == 1 else values[key]
        return node

    def _id(self, term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def _value(self, term: Any, coercion: str | None) -> Any:
        if not isinstance(term, ox.Literal):
            return self._id(term) if coercion == "@id" else {"@id": self._id(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == (coercion or XSD_STRING):
            return term.value
        if datatype == XSD_STRING:
            return {"@value": term.value}
        return {"@value": term.value, "@type": self.iri(datatype)}


def write_jsonld(quads: Iterable[ox.Quad], output: BinaryIO) -> None:
    """Triples, sorted so that each subject's come together, as one compacted document."""
    context = jsonld_context()
    compactor = Compactor.of(context["@context"])
    head = json.dumps(context, indent=2, ensure_ascii=False)[:-2]  # without the closing "\n}"
    output.write(f'{head},\n  "@graph": ['.encode("utf-8"))
    for n, node in enumerate(_nodes(compactor, quads)):
        text = json.dumps(node, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        output.write(f'{"," if n else ""}\n    {text}'.encode("utf-8"))
    output.write(b"\n  ]\n}\n")


def _nodes(compactor: Compactor, quads: Iterable[ox.Quad]) -> Iterator[dict[str, Any]]:
    for subject, triples in itertools.groupby(quads, key=lambda q: q.subject):
        yield compactor.node(subject, triples)
