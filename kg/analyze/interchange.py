"""The graph projection as GraphML or GEXF, for Gephi and Cytoscape.

What those tools need to import it whole and readable:
- every edge has an id of its own (`e0`, `e1`, ...): Gephi drops an edge whose id it has
  seen, and a multigraph's keys (0, 1, ...) repeat between every pair of nodes;
- every node and edge has a `label` (an edge's is its relation: `agent`, `Prime Minister`,
  `spokeWith`), which both tools show without being told which column to use;
- in GEXF, nodes are coloured by type (`viz:color`, the colours of `kg view`), and dated
  facts have `start`/`end` days, so Gephi's timeline plays the graph in time: an event, and
  each of its links, on its day (`when`); an entity from its first dated fact to its last.
  Undated facts, and entities with none, have no interval and are always shown.
Attributes are strings or numbers, never None (lists are joined with "; "), and the same
graph gives the same bytes. Text from articles may hold characters XML cannot carry (control
characters such as U+0001 or U+000C, lone surrogates): in text they become U+FFFD, in ids
they are percent-encoded (`%01`), so both files always parse.
"""
from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from typing import Any, BinaryIO

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kg.analyze.projection import project
from kg.analyze.records import TYPE_COLOURS  # the view's, so a graph looks alike in Gephi
from kg.errors import KGError
from kg.store import Store
from kg.store.export import ExportSummary

INTERCHANGE_FORMATS = ("graphml", "gexf")
# What XML 1.0 cannot carry: C0 controls but tab, newline and return; surrogates; U+FFFE, U+FFFF
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Names the writers read as structure, not as attributes (an id, an interval, a drawing)
_RESERVED = ("id", "key", "start", "end", "viz")


def interchange_bytes(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """`g` as GraphML or GEXF, for Gephi and Cytoscape (see the module's docstring)."""
    if fmt not in INTERCHANGE_FORMATS:
        raise KGError(f"unknown graph format '{fmt}'; use one of {', '.join(INTERCHANGE_FORMATS)}")
    out = interchange_graph(g, gexf=fmt == "gexf")
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(out, buffer, encoding="utf-8", prettyprint=True)
    else:
        writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
        meta = writer.xml.find("meta")
        if meta is not None:  # today's date, which would make the same graph differ tomorrow
            meta.attrib.pop("lastmodifieddate", None)
        writer.add_graph(out)
        _drop_keys(writer)
        writer.write(buffer)
    return buffer.getvalue()


def _drop_keys(writer: GEXFWriter) -> None:
    """Take out the `networkx_key` attribute the writer adds to a multigraph's edges: the
    edge's id already says it."""
    for attributes in writer.xml.iter("attributes"):
        for attribute in [a for a in attributes if a.get("title") == "networkx_key"]:
            attributes.remove(attribute)
            for values in writer.xml.iter("attvalues"):
                for value in [v for v in values if v.get("for") == attribute.get("id")]:
                    values.remove(value)


def interchange_graph(g: nx.MultiDiGraph, *, gexf: bool = False) -> nx.MultiDiGraph:
    """A copy of `g` ready to write: string ids, plain attributes, a label on every node and
    edge, edges keyed `e0`, `e1`, ... in a fixed order; with `gexf`, colours and intervals
    too (as GEXF's writer reads them: `viz`, `start`, `end`)."""
    out = nx.MultiDiGraph()
    edges = sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1]),
                                                      json.dumps(e[2], sort_keys=True, default=str)))
    spans = _spans((str(u), str(v), attrs) for u, v, attrs in edges) if gexf else {}
    for node in sorted(g.nodes, key=str):
        attrs = _plain(g.nodes[node])
        attrs.setdefault("label", _xml_text(str(node)))
        if gexf:
            attrs["viz"] = {"color": _rgba(TYPE_COLOURS.get(str(attrs.get("type")), TYPE_COLOURS["Other"]))}
            _add_interval(attrs, spans.get(str(node)), own=g.nodes[node].get("when"))
        out.add_node(_xml_id(str(node)), **attrs)
    for number, (u, v, data) in enumerate(edges):
        attrs = _plain(data)
        attrs["label"] = _xml_text(str(data.get("relation") or data.get("kind") or ""))
        key = f"e{number}"
        if gexf:
            attrs["id"] = key
            _add_interval(attrs, None, own=data.get("when"))
        out.add_edge(_xml_id(str(u)), _xml_id(str(v)), key=key, **attrs)
    return out


def _spans(edges: Iterable[tuple[str, str, dict[str, Any]]]) -> dict[str, tuple[str, str]]:
    """Each node's first and last day among the dated edges at it."""
    spans: dict[str, tuple[str, str]] = {}
    for u, v, attrs in edges:
        when = attrs.get("when")
        if not when:
            continue
        for node in (u, v):
            first, last = spans.get(node, (when, when))
            spans[node] = (min(first, when), max(last, when))
    return spans


def _add_interval(attrs: dict[str, Any], span: tuple[str, str] | None, *, own: str | None) -> None:
    """`start` and `end` days: the element's own day, else the span of its dated facts."""
    if own:
        span = (own, own)
    if span:
        attrs["start"], attrs["end"] = span


def _rgba(colour: str) -> dict[str, int | float]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0}


def _plain(attrs: dict[str, Any]) -> dict[str, str | int | float]:
    plain: dict[str, str | int | float] = {}
    for key, value in attrs.items():
        if value is None or key in _RESERVED:
            continue
        if isinstance(value, (tuple, list, set, frozenset)):
            if not value:
                continue
            value = "; ".join(sorted(str(v) for v in value))
        elif isinstance(value, bool) or not isinstance(value, (int, float, str)):
            value = str(value)
        plain[key] = _xml_text(value) if isinstance(value, str) else value
    return plain


def _xml_text(text: str) -> str:
    """`text` with each character XML cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _xml_id(text: str) -> str:
    """`text` with each character XML cannot carry percent-encoded (UTF-8, surrogates as
    their code point), so that distinct ids stay distinct."""
    return _NOT_XML.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8", "surrogatepass")), text)


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
