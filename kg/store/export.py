"""The store as RDF files: Turtle, N-Triples, TriG (keeping article graphs) or JSON-LD.

They stream through Oxigraph's own serialisers straight to the output, so a large store
needs neither an rdflib graph nor the whole file in memory, and an export takes about the
time Oxigraph's own dump of the store does. Output is deterministic: the same store gives
the same bytes (no blank nodes are minted; triples come in the store's own order, which
follows from the data alone, each subject's together; TriG's graphs sorted by name).
N-Triples is written in line order (subjects sorted, then each one's lines), so that two
exports can be compared with `diff` or `comm`. Plain strings stay plain (Oxigraph writes
xsd:string literals without a datatype).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import KGError
from kg.rdf.vocabulary import PREFIXES
from kg.store.base import Store

# `id:` would abbreviate event, role and evidence IRIs only by escaping their slashes
# (id:event\/…): they read better written in full.
EXPORT_PREFIXES = {name: iri for name, iri in sorted(PREFIXES.items()) if name != "id"}

GRAPH_FORMATS = ("graphml", "gexf")  # property graphs: entities and events as nodes, not triples
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
               "jsonld": ox.RdfFormat.JSON_LD}


@dataclass(frozen=True)
class ExportSummary:
    """What was exported: triples for the RDF formats, nodes and edges for GraphML and GEXF."""

    format: str
    triples: int
    graphs: int
    nodes: int = 0
    edges: int = 0

    def describe(self) -> str:
        if self.format in GRAPH_FORMATS:
            return f"{self.nodes} nodes, {self.edges} edges ({self.format})"
        return f"{self.triples} triples from {self.graphs} article graphs ({self.format})"


def write_rdf(store: Store, output: BinaryIO, *, fmt: str = "turtle", include_ontology: bool = False) -> ExportSummary:
    """Serialise the store to a binary file object in one of `RDF_FORMATS`, streaming."""
    if fmt == "trig":
        quads = _Counted(store.stream_quads(include_ontology=include_ontology), graphs=True)
        _serialize(quads, output, fmt)
        return ExportSummary(fmt, quads.count, quads.graphs)
    triples = _Counted(store.stream_triples(include_ontology=include_ontology, line_order=fmt == "nt"))
    _serialize(triples, output, fmt)
    return ExportSummary(fmt, triples.count, len(store.article_graphs()))


def _serialize(quads: Iterable[ox.Quad], output: BinaryIO, fmt: str) -> None:
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
