"""Check a graph against the kg shapes (SHACL), and say what is wrong in readable lines.

`validate` runs pySHACL with `ontology/shapes.ttl` as shapes and `ontology/kg.ttl` as the
ontology graph, without inference. pySHACL mixes the ontology's axioms into (a copy of) the
data graph, and SHACL's own class matching (`rdf:type/rdfs:subClassOf*`) then reaches every
subclass: `sh:targetClass kg:Event` covers a `kg:PhoneCall`. That is all the shapes need.
RDFS inference would add nothing they use and would hide errors they exist to catch: the
range of `kg:evidence` would type any dangling node as `kg:Evidence`. It would also cost
a full closure of the data on every run.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.errors import KGError
from kg.rdf.ontology import cached_ontology, cached_shapes
from kg.rdf.vocabulary import PREFIXES

SEVERITY_NAMES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
SEVERITY_ORDER = ("violation", "warning", "info")
PATH_OPERATORS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}
LONGEST_VALUE = 60


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node broke which shape, and how to fix it."""

    focus: Node  # the node that failed, e.g. an event IRI
    path: str | None  # the property path, prefixed: "kg:evidence", "^kg:holdsRole"
    shape: str  # the named shape: "kgsh:EventEvidence"
    constraint: str  # the SHACL parameter that failed: "minCount", "class", "datatype"
    message: str
    severity: str  # "violation", "warning" or "info"
    value: Node | None = None  # the offending value, when there is one


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of `validate`: warnings and infos do not make a graph non-conforming."""

    conforms: bool
    violations: tuple[Violation, ...] = ()


def validate(data: Graph, *, shapes: Graph | None = None) -> ValidationReport:
    """Validate `data` against `shapes` (default: the kg shapes) with the kg ontology.

    A Dataset is validated as the union of its graphs; pass `dataset.graph(article_iri)`
    to check one article on its own. The data graph is not changed.
    """
    shapes_graph = shapes if shapes is not None else cached_shapes()
    try:
        conforms, results, _text = pyshacl.validate(
            data,
            shacl_graph=shapes_graph,
            ont_graph=cached_ontology(),
            inference="none",
            allow_warnings=True,
        )
    except ReportableRuntimeError as error:
        raise KGError(
            f"SHACL validation could not run: {error.message}. "
            "Check that the shapes graph is valid SHACL (the kg shapes are in ontology/shapes.ttl)."
        ) from error
    namer = _Namer(shapes_graph)
    found = {
        _violation(results, result, shapes_graph, namer)
        for result in results.subjects(RDF.type, SH.ValidationResult)
    }
    # Sorted so that the same graph always gives the same report, line for line.
    ordered = sorted(
        found,
        key=lambda v: (
            SEVERITY_ORDER.index(v.severity), namer(v.focus), v.path or "", v.shape, namer(v.value)
        ),
    )
    return ValidationReport(conforms=bool(conforms), violations=tuple(ordered))


def format_report(report: ValidationReport) -> str:
    """The report as text: a summary line, then one line per violation."""
    namer = _Namer(None)
    counts = {s: sum(v.severity == s for v in report.violations) for s in SEVERITY_ORDER}
    tally = ", ".join(f"{n} {s}{'' if n == 1 else 's'}" for s, n in counts.items() if n)
    if report.conforms:
        summary = "The graph conforms to the kg shapes" + (f" ({tally})." if tally else ".")
    else:
        summary = f"The graph does not conform to the kg shapes: {tally}."
    return "\n".join([summary, *(_format_violation(v, namer) for v in report.violations)])


def prefixed_name(term: Node) -> str:
    """A term as a reader wants to see it: `kg:agent`, `id:person/shigeru-ishiba`, `"PT45M"^^xsd:duration`."""
    return _Namer(None)(term)


def _format_violation(violation: Violation, namer: _Namer) -> str:
    where = namer(violation.focus)
    if violation.path:
        where += f" {violation.path}"
    if violation.value is not None and violation.value != violation.focus:
        where += f" = {namer(violation.value)}"
    return f"{violation.severity}: {where}: {violation.message} [{violation.shape} {violation.constraint}]"


def _violation(results: Graph, result: Node, shapes: Graph, namer: _Namer) -> Violation:
    path = results.value(result, SH.resultPath)
    component = results.value(result, SH.sourceConstraintComponent)
    messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
    return Violation(
        focus=results.value(result, SH.focusNode),
        path=_path(results, path, namer) if path is not None else None,
        shape=_shape_name(shapes, results.value(result, SH.sourceShape), namer),
        constraint=_constraint_name(component),
        message=" ".join(messages),
        severity=SEVERITY_NAMES.get(results.value(result, SH.resultSeverity), "violation"),
        value=results.value(result, SH.value),
    )


def _shape_name(shapes: Graph, shape: Node | None, namer: _Namer) -> str:
    """The shape's IRI, or for a blank property shape the IRI of the node shape that holds it."""
    if isinstance(shape, URIRef):
        return namer(shape)
    owner = shapes.value(None, SH.property, shape) if shape is not None else None
    return namer(owner) if isinstance(owner, URIRef) else "(unnamed shape)"


def _constraint_name(component: Node | None) -> str:
    """`sh:MinCountConstraintComponent` -> `minCount`, the parameter a shape author wrote."""
    if not isinstance(component, URIRef):
        return "constraint"
    local = str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    return local[:1].lower() + local[1:]


def _path(graph: Graph, path: Node, namer: _Namer) -> str:
    """A SHACL property path in SPARQL property-path syntax."""
    if isinstance(path, URIRef):
        return namer(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path(graph, inverse, namer)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path(graph, p, namer) for p in Collection(graph, alternatives))
    for operator, suffix in PATH_OPERATORS.items():
        inner = graph.value(path, operator)
        if inner is not None:
            return f"({_path(graph, inner, namer)}){suffix}"
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path(graph, p, namer) for p in Collection(graph, path))
    return namer(path)


class _Namer:
    """Shortens IRIs with the project prefixes (and those of a shapes graph, after them)."""

    def __init__(self, shapes: Graph | None) -> None:
        table = dict(PREFIXES)
        if shapes is not None:
            for prefix, namespace in shapes.namespaces():
                table.setdefault(prefix, str(namespace))
        # Longest namespace first, so id:person/x is never written with a shorter match.
        self._table = sorted(((ns, p) for p, ns in table.items() if p), key=lambda item: -len(item[0]))

    def __call__(self, term: Node | None) -> str:
        if isinstance(term, URIRef):
            return self._iri(term)
        if isinstance(term, Literal):
            return self._literal(term)
        if isinstance(term, BNode):
            return "[]"  # blank node ids change from parse to parse
        return "" if term is None else str(term)

    def _iri(self, iri: URIRef) -> str:
        text = str(iri)
        for namespace, prefix in self._table:
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return f"<{text}>"

    def _literal(self, literal: Literal) -> str:
        text = str(literal)
        if len(text) > LONGEST_VALUE:
            text = text[: LONGEST_VALUE - 1] + "…"
        quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if literal.language:
            return f"{quoted}@{literal.language}"
        if literal.datatype is not None:
            return f"{quoted}^^{self._iri(literal.datatype)}"
        return quoted
