"""The store as RDF files: Turtle, N-Triples, TriG (keeping article graphs) or JSON-LD.

They stream through Oxigraph's own serialisers (JSON-LD through `kg.store.jsonld`, which
compacts it with kg's context) straight to the output, so a large store needs neither an
rdflib graph nor the whole file in memory, and an export takes about the time Oxigraph's own
dump of the store does. Output is deterministic: the same store gives the same bytes (no
blank nodes are minted; triples come in the store's own order, which follows from the data
alone, each subject's together; TriG's graphs sorted by name). N-Triples is written in line
order (subjects sorted, then each one's lines), so that two exports can be compared with
`diff` or `comm`. Plain strings stay plain (Oxigraph writes xsd:string literals without a
datatype).

`store_size` counts what a store holds, the one way build, export and the endpoint's users
are told it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import count
from operator import itemgetter
from typing import BinaryIO

import pyoxigraph as ox
from rdflib.term import Node

from kg.errors import KGError
from kg.rdf.vocabulary import ONTOLOGY_IRI, PREFIXES
from kg.store.base import Store
from kg.store.jsonld import write_jsonld
from kg.store.remote import DEFAULT_GRAPH_IRI
from kg.store.results import to_ox

# `id:` would abbreviate event, role and evidence IRIs only by escaping their slashes
# (id:event\/…): they read better written in full.
EXPORT_PREFIXES = {name: iri for name, iri in sorted(PREFIXES.items()) if name != "id"}

GRAPH_FORMATS = ("graphml", "gexf")  # property graphs: entities and events as nodes, not triples
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
               "jsonld": ox.RdfFormat.JSON_LD}  # JSON-LD is written by kg.store.jsonld


@dataclass(frozen=True)
class ExportSummary:
    """What was exported: triples for the RDF formats, nodes and edges for GraphML and GEXF.

    Triples are counted as `StoreSize` counts them: each once, however many articles state
    it, without the ontology unless it was asked for. TriG alone keeps the article graphs
    apart, so its count is of each graph's own triples (a triple once per graph stating it).
    """

    format: str
    triples: int
    graphs: int
    nodes: int = 0
    edges: int = 0
    ontology: bool = False

    def describe(self) -> str:
        if self.format in GRAPH_FORMATS:
            return f"{self.nodes} nodes, {self.edges} edges ({self.format})"
        if self.format == "trig":
            graphs = f"{self.graphs - 1} article graphs and the ontology's" if self.ontology else \
                f"{self.graphs} article graphs"
            return f"{self.triples} triples in {graphs}, each graph's own (trig)"
        ontology = "with" if self.ontology else "without"
        return f"{self.triples} triples from {self.graphs} article graphs, each once, {ontology} the ontology ({self.format})"


@dataclass(frozen=True)
class StoreSize:
    """How much a store holds, counted once for every report (build, export, endpoint):
    `triples` are the distinct triples of the article graphs, each once however many
    articles state it (what a Turtle export writes); `with_ontology` adds the triples only
    the ontology states, and is what `SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }` counts,
    since queries' default graph holds the ontology too."""

    triples: int
    article_graphs: int
    with_ontology: int

    def describe(self) -> str:
        return (f"{self.triples} triples from {self.article_graphs} article graphs, each once "
                f"({self.with_ontology} with the ontology)")


COUNT_DEFAULT_GRAPH = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# the ontology's triples that no article graph states (kg's own default graph on a server,
# DEFAULT_GRAPH_IRI, holds them all, and is no article's)
COUNT_ONTOLOGY_ONLY = f"""SELECT (COUNT(*) AS ?n) WHERE {{
  GRAPH <{ONTOLOGY_IRI}> {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN (<{ONTOLOGY_IRI}>, <{DEFAULT_GRAPH_IRI}>)) }}
}}"""


def store_size(store: Store) -> StoreSize:
    """What the store holds, as `StoreSize` counts it (two counting queries)."""
    everything = _count(store, COUNT_DEFAULT_GRAPH)
    return StoreSize(triples=everything - _count(store, COUNT_ONTOLOGY_ONLY),
                     article_graphs=len(store.article_graphs()), with_ontology=everything)


def _count(store: Store, sparql: str) -> int:
    [(count,)] = store.query(sparql).rows
    return int(count)


def write_rdf(store: Store, output: BinaryIO, *, fmt: str = "turtle", include_ontology: bool = False) -> ExportSummary:
    """Serialise the store to a binary file object in one of `RDF_FORMATS`, streaming."""
    if fmt == "trig":
        quads = _Counted(store.stream_quads(include_ontology=include_ontology), graphs=True)
        _serialize(quads, output, fmt)
        return ExportSummary(fmt, quads.count, quads.graphs, ontology=include_ontology)
    counter = count()  # counted as they pass, without a Python step per triple
    triples = map(itemgetter(0), zip(store.stream_triples(include_ontology=include_ontology, line_order=fmt == "nt"),
                                     counter))
    _serialize(triples, output, fmt)
    return ExportSummary(fmt, next(counter), len(store.article_graphs()), ontology=include_ontology)


TRIPLE_FORMATS = ("turtle", "nt", "jsonld")


def write_triples(triples: Iterable[tuple[Node, Node, Node]], output: BinaryIO, *, fmt: str = "turtle") -> int:
    """rdflib triples (a CONSTRUCT or DESCRIBE answer) as Turtle, N-Triples or JSON-LD, sorted
    as exports are; how many were written."""
    if fmt not in TRIPLE_FORMATS:
        raise KGError(f"a graph is written as one of {', '.join(TRIPLE_FORMATS)}, not {fmt}")
    default = ox.DefaultGraph()
    quads = sorted({ox.Quad(to_ox(s), to_ox(p), to_ox(o), default) for s, p, o in triples}, key=str)
    _serialize(quads, output, fmt)
    return len(quads)


def _serialize(quads: Iterable[ox.Quad], output: BinaryIO, fmt: str) -> None:
    if fmt == "jsonld":
        write_jsonld(quads, output)
        return
    prefixes = EXPORT_PREFIXES if fmt in ("turtle", "trig") else None
    try:
        ox.serialize(quads, output, RDF_FORMATS[fmt], prefixes=prefixes)
    except (ValueError, TypeError) as err:  # a term the format cannot write
        raise KGError(f"cannot export as {fmt}: {err}") from None


class _Counted:
    """Passes quads on, counting them and, if asked, their graphs (which come one after another)."""

    def __init__(self, quads: Iterator[ox.Quad], *, graphs: bool = False) -> None:
        self.quads, self.count_graphs = quads, graphs
        self.count = self.graphs = 0

    def __iter__(self) -> Iterator[ox.Quad]:
        last = None
        for quad in self.quads:
            self.count += 1
            if self.count_graphs and quad.graph_name != last:
                last = quad.graph_name
                self.graphs += 1
            yield quad
