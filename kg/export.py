"""The store as a file: Turtle (default), N-Triples, TriG (keeping article graphs), JSON-LD;
or, for Gephi and Cytoscape, GraphML and GEXF of the networkx projection (`kg.analyze`).

Output is deterministic: the same store gives the same bytes (no blank nodes are minted,
and triples are written in sorted order where the format allows).
"""
from __future__ import annotations

from dataclasses import dataclass

from kg.errors import KGError
from kg.store import GraphStore

FORMATS = {"turtle": "ttl", "nt": "nt", "trig": "trig", "jsonld": "jsonld", "graphml": "graphml", "gexf": "gexf"}
GRAPH_FORMATS = ("graphml", "gexf")  # property graphs: entities and events as nodes, not triples
RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt11", "trig": "trig", "jsonld": "json-ld"}


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


def export(store: GraphStore, *, fmt: str = "turtle", include_ontology: bool = False) -> tuple[bytes, ExportSummary]:
    """The serialised store and what it holds."""
    if fmt not in FORMATS:
        raise KGError(f"unknown export format '{fmt}'; use one of {', '.join(FORMATS)}")
    if fmt in GRAPH_FORMATS:
        return _export_graph(store, fmt=fmt, include_ontology=include_ontology)
    if fmt == "trig":
        data = store.dataset(include_ontology=include_ontology)
        graphs = [g for g in data.graphs() if len(g)]
        text = data.serialize(format="trig")
        return text.encode("utf-8"), ExportSummary(fmt, sum(len(g) for g in graphs), len(graphs))
    graph = store.union_graph(include_ontology=include_ontology)
    if fmt == "nt":
        lines = sorted(set(graph.serialize(format="nt11").splitlines()) - {""})
        text = "\n".join(lines) + "\n" if lines else ""
    else:
        text = graph.serialize(format=RDFLIB_FORMAT[fmt], **({"auto_compact": True} if fmt == "jsonld" else {}))
    graphs = len(store.article_graphs())
    return text.encode("utf-8"), ExportSummary(fmt, len(graph), graphs)


def _export_graph(store: GraphStore, *, fmt: str, include_ontology: bool) -> tuple[bytes, ExportSummary]:
    """Entities and events as nodes, roles and event links as edges, with types, labels and
    evidence as attributes (strings and numbers only)."""
    from kg.analyze import interchange_bytes, project

    if include_ontology:
        raise KGError(f"--ontology applies to the RDF formats only, not to {fmt}; leave it out")
    graph = project(store)
    data = interchange_bytes(graph, fmt)
    summary = ExportSummary(fmt, 0, len(store.article_graphs()), graph.number_of_nodes(), graph.number_of_edges())
    return data, summary
