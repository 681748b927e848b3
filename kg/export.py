"""The store as a file: Turtle (default), N-Triples, TriG (keeping article graphs), JSON-LD.

Output is deterministic: the same store gives the same bytes (no blank nodes are minted,
and triples are written in sorted order where the format allows).
"""
from __future__ import annotations

from dataclasses import dataclass

from kg.errors import KGError
from kg.store import GraphStore

FORMATS = {"turtle": "ttl", "nt": "nt", "trig": "trig", "jsonld": "jsonld"}
RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt11", "trig": "trig", "jsonld": "json-ld"}


@dataclass(frozen=True)
class ExportSummary:
    format: str
    triples: int
    graphs: int


def export(store: GraphStore, *, fmt: str = "turtle", include_ontology: bool = False) -> tuple[bytes, ExportSummary]:
    """The serialised store and what it holds."""
    if fmt not in FORMATS:
        raise KGError(f"unknown export format '{fmt}'; use one of {', '.join(FORMATS)}")
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
