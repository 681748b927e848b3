"""The kg ontology as a reader's reference: every class and property with an example.

`ontology_terms` reads the terms out of `ontology/kg.ttl` (data); `describe_ontology`
renders them as Markdown (docs/ontology.md is its output) or plain text for a terminal.
"""
from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.errors import KGError
from kg.rdf.ontology import load_ontology
from kg.rdf.validate import prefixed_name
from kg.rdf.vocabulary import KG, ONTOLOGY_IRI, PREFIXES

KINDS = (
    (OWL.Class, "Classes", "class"),
    (OWL.ObjectProperty, "Object properties", "object property"),
    (OWL.DatatypeProperty, "Datatype properties", "datatype property"),
    (OWL.AnnotationProperty, "Annotation properties", "annotation property"),
    (OWL.NamedIndividual, "Individuals", "individual"),
)
CHARACTERISTICS = (
    (OWL.SymmetricProperty, "symmetric"),
    (OWL.FunctionalProperty, "functional"),
    (OWL.InverseFunctionalProperty, "inverse functional"),
)
TEXT_WIDTH = 88


@dataclass(frozen=True)
class Term:
    """One term of the ontology, with what a query writer needs to know about it."""

    name: str  # prefixed: "kg:PhoneCall"
    kind: str  # "class", "object property", ...
    label: str
    comment: str
    examples: tuple[str, ...]
    parents: tuple[str, ...] = ()  # superclasses or superproperties
    domain: str | None = None
    range: str | None = None
    characteristics: tuple[str, ...] = ()
    inverse: str | None = None
    shortcut_of: str | None = None
    notations: tuple[str, ...] = ()
    types: tuple[str, ...] = ()  # for individuals: their classes
    see_also: tuple[str, ...] = ()


def ontology_terms(graph: Graph | None = None) -> dict[str, tuple[Term, ...]]:
    """The kg terms of the ontology grouped by kind, each group in the order of kg.vocab."""
    graph = graph if graph is not None else load_ontology()
    order = {KG._NS[name]: i for i, name in enumerate(KG.__annotations__)}
    groups: dict[str, tuple[Term, ...]] = {}
    for owl_type, heading, kind in KINDS:
        iris = [s for s in graph.subjects(RDF.type, owl_type) if _is_kg(s)]
        iris.sort(key=lambda iri: (order.get(iri, len(order)), str(iri)))
        groups[heading] = tuple(_term(graph, iri, kind) for iri in iris)
    return groups


def describe_ontology(fmt: str = "markdown") -> str:
    """The ontology reference in `fmt`: "markdown" or "text"."""
    renderers: dict[str, Callable[[Graph], str]] = {"markdown": _markdown, "text": _text}
    if fmt not in renderers:
        raise KGError(f"unknown ontology format {fmt!r}: choose one of {', '.join(renderers)}.")
    return renderers[fmt](load_ontology())


def _term(graph: Graph, iri: URIRef, kind: str) -> Term:
    def names(values: Iterable) -> tuple[str, ...]:
        return tuple(sorted(prefixed_name(v) for v in values if isinstance(v, URIRef)))

    parents = names(graph.objects(iri, RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf))
    domain, range_ = graph.value(iri, RDFS.domain), graph.value(iri, RDFS.range)
    inverse, shortcut = graph.value(iri, OWL.inverseOf), graph.value(iri, KG.shortcutOf)
    return Term(
        name=prefixed_name(iri),
        kind=kind,
        label=_english(graph, iri, RDFS.label),
        comment=_english(graph, iri, RDFS.comment),
        examples=tuple(sorted(str(e) for e in graph.objects(iri, SKOS.example))),
        parents=parents,
        domain=prefixed_name(domain) if domain is not None else None,
        range=prefixed_name(range_) if range_ is not None else None,
        characteristics=tuple(c for t, c in CHARACTERISTICS if (iri, RDF.type, t) in graph),
        inverse=prefixed_name(inverse) if inverse is not None else None,
        shortcut_of=prefixed_name(shortcut) if shortcut is not None else None,
        notations=tuple(sorted(str(n) for n in graph.objects(iri, SKOS.notation))),
        types=names(t for t in graph.objects(iri, RDF.type) if not str(t).startswith(str(OWL))),
        see_also=names(graph.objects(iri, RDFS.seeAlso)),
    )


def _facts(term: Term) -> list[tuple[str, str]]:
    """The term's relations to other terms, as (label, value) pairs, in a fixed order."""
    facts = [
        ("Type", ", ".join(term.types)),
        ("Subclass of" if term.kind == "class" else "Subproperty of", ", ".join(term.parents)),
        ("Domain", term.domain or ""),
        ("Range", term.range or ""),
        ("Characteristics", ", ".join(term.characteristics)),
        ("Inverse of", term.inverse or ""),
        ("Shortcut of", term.shortcut_of or ""),
        ("Notation", ", ".join(term.notations)),
        ("See also", ", ".join(term.see_also)),
    ]
    return [(label, value) for label, value in facts if value]


def _class_tree(classes: tuple[Term, ...]) -> list[tuple[int, Term, list[str]]]:
    """The kg classes as (depth, term, other kg parents), depth first, children in vocab order."""
    by_name = {t.name: t for t in classes}
    children: dict[str | None, list[Term]] = {}
    for term in classes:
        kg_parents = [p for p in term.parents if p in by_name]
        # A class with two kg parents (kg:Country is an actor and a location) is shown under
        # the first in vocab order, and its other parents are named in its entry.
        parent = min(kg_parents, key=lambda p: classes.index(by_name[p])) if kg_parents else None
        children.setdefault(parent, []).append(term)

    def walk(parent: str | None, depth: int) -> list[tuple[int, Term, list[str]]]:
        rows = []
        for term in children.get(parent, []):
            rows.append((depth, term, [p for p in term.parents if p in by_name and p != parent]))
            rows.extend(walk(term.name, depth + 1))
        return rows

    return walk(None, 0)


def _markdown(graph: Graph) -> str:
    groups = ontology_terms(graph)
    version = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    lines = [
        "# The kg ontology",
        "",
        "<!-- Generated from ontology/kg.ttl by kg.rdf.docs.describe_ontology(); do not edit.",
        "     Regenerate with: kg ontology --format markdown > docs/ontology.md -->",
        "",
        f"Ontology `{ONTOLOGY_IRI}`, version {version}; terms in the namespace `{PREFIXES['kg']}`"
        " (prefix `kg:`).",
        "",
        _english(graph, ONTOLOGY_IRI, RDFS.comment).replace("\n", " "),
        "",
        "Examples are SPARQL graph patterns: put them in a `WHERE { ... }` after the project's"
        " prefixes (`kg query` adds them). The model itself (IRIs, named graphs, provenance,"
        " alignments) is explained in `ontology/README.md`.",
        "",
        "## Class hierarchy",
        "",
    ]
    for depth, term, others in _class_tree(groups["Classes"]):
        also = "".join(f", also a `{other}`" for other in others)
        lines.append(f"{'  ' * depth}- [`{term.name}`](#{_anchor(term.name)}) {term.label}{also}")
    for heading, terms in groups.items():
        lines += ["", f"## {heading}"]
        for term in terms:
            lines += ["", f"### {term.name}", "", f"**{term.label}**: {_markdown_text(term.comment)}", ""]
            lines += [f"- {label}: {_code_list(value)}" for label, value in _facts(term)]
            for example in term.examples:
                lines += ["", "```sparql", example, "```"]
    return "\n".join(_strip_blank_runs(lines)) + "\n"


def _text(graph: Graph) -> str:
    lines: list[str] = []
    for heading, terms in ontology_terms(graph).items():
        lines += [heading.upper(), ""]
        for term in terms:
            lines.append(f"{term.name}  ({term.kind}) {term.label}")
            lines += textwrap.wrap(
                term.comment, TEXT_WIDTH, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False
            )
            lines += [f"    {label.lower()}: {value}" for label, value in _facts(term)]
            lines += [f"    example: {example}" for example in term.examples]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _code_list(value: str) -> str:
    """Term names in backticks: "kg:Actor, schema:Person" -> "`kg:Actor`, `schema:Person`"."""
    return ", ".join(f"`{part}`" for part in value.split(", ")) if ":" in value else value


def _markdown_text(text: str) -> str:
    """Plain text made safe for Markdown, where "<slug>" would be taken for an HTML tag."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _anchor(name: str) -> str:
    """The GitHub heading anchor of `### kg:PhoneCall`."""
    return name.lower().replace(":", "")


def _strip_blank_runs(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return out


def _english(graph: Graph, iri: URIRef, predicate: URIRef) -> str:
    values = sorted(
        graph.objects(iri, predicate), key=lambda v: (getattr(v, "language", None) != "en", str(v))
    )
    return str(values[0]) if values else ""


def _is_kg(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(PREFIXES["kg"])
