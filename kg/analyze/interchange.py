"""The graph projection as GraphML or GEXF, for Gephi and Cytoscape."""
from __future__ import annotations

import io
import json
import re
from typing import Any, BinaryIO

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kg.analyze.projection import project
from kg.errors import KGError
from kg.store import Store
from kg.store.export import ExportSummary

INTERCHANGE_FORMATS = ("graphml", "gexf")
# What XML 1.0 cannot hold (control characters but tab and line ends, lone surrogates,
# U+FFFE/U+FFFF): article text may, and the file must still parse.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def interchange_bytes(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """`g` as GraphML or GEXF, for Gephi and Cytoscape: attributes are strings or numbers,
    never None (lists are joined with "; "), and the same graph gives the same bytes."""
    if fmt not in INTERCHANGE_FORMATS:
        raise KGError(f"unknown graph format '{fmt}'; use one of {', '.join(INTERCHANGE_FORMATS)}")
    out = nx.MultiDiGraph()
    for node in sorted(g.nodes, key=str):
        out.add_node(str(node), **_plain(g.nodes[node]))
    edges = sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1]),
                                                      json.dumps(e[2], sort_keys=True, default=str)))
    for u, v, attrs in edges:
        out.add_edge(str(u), str(v), **_plain(attrs))
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(out, buffer, encoding="utf-8", prettyprint=True)
    else:
        writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
        meta = writer.xml.find("meta")
        if meta is not None:  # today's date, which would make the same graph differ tomorrow
            meta.attrib.pop("lastmodifieddate", None)
        writer.add_graph(out)
        writer.write(buffer)
    return buffer.getvalue()


def _plain(attrs: dict[str, Any]) -> dict[str, str | int | float]:
    plain: dict[str, str | int | float] = {}
    for key, value in attrs.items():
        if value is None or key in ("id", "key"):
            continue
        if isinstance(value, (tuple, list, set, frozenset)):
            if not value:
                continue
            value = "; ".join(sorted(str(v) for v in value))
        elif isinstance(value, bool) or not isinstance(value, (int, float, str)):
            value = str(value)
        plain[key] = NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value
    return plain


def write_property_graph(store: Store, output: BinaryIO, *, fmt: str, include_ontology: bool = False) -> ExportSummary:
    """The store's projection written to `output` as GraphML or GEXF: entities and events as
    nodes, roles and event links as edges, with types, labels and evidence as attributes
    (strings and numbers only)."""
    if include_ontology:
        raise KGError(f"{{ontology}} applies to the RDF formats only, not to {fmt}; leave it out",
                      ontology="include_ontology")
    graph = project(store)
    output.write(interchange_bytes(graph, fmt))
    return ExportSummary(fmt, 0, len(store.article_graphs()), graph.number_of_nodes(), graph.number_of_edges())
