"""The view's data: the networkx projection as a pyvis `Network` of plain node and edge
dicts and vis options, read from the projection's typed records (`kg.analyze.projection`).

Nodes are coloured by type and sized by a measure of `kg.analyze`; events are drawn as
diamonds captioned with their type. Up to `physics_max_nodes` nodes (150) vis runs its
physics in the page; larger graphs are laid out here (`kg.views.layout`) and drawn with
physics off. Above `max_nodes` (5000) only the nodes of highest degree are kept. Text from
articles is untrusted: it is made valid, single-line and bounded here, and reaches the page
only as data. Nodes and edges are sorted by content, so the same graph gives the same page.

pyvis's `add_node`/`add_edge` are quadratic (10k nodes took 8.5 s); we fill `net.nodes` and
`net.edges` directly.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pyvis.network import Network

from kg.analyze.projection import EntityNode, EventNode, FactEdge
from kg.analyze.stats import degree, pagerank
from kg.errors import KGError
from kg.model import EntityType
from kg.views.layout import force_layout

if TYPE_CHECKING:
    import networkx as nx

DEFAULT_MAX_NODES = 5000
PHYSICS_MAX_NODES = 150

# Colour-blind-safe where it matters most (Okabe-Ito first, then Tableau); "Other" is grey.
TYPE_COLOURS: dict[str, str] = {
    EntityType.PERSON: "#0072B2",
    EntityType.COUNTRY: "#E69F00",
    EntityType.ORGANIZATION: "#009E73",
    EntityType.LOCATION: "#56B4E9",
    EntityType.GROUP: "#CC79A7",
    "Event": "#D55E00",
    "Topic": "#8C6BB1",
    "Role": "#B8A000",
    "Other": "#9E9E9E",
}
NODE_TYPES: tuple[str, ...] = tuple(t for t in TYPE_COLOURS if t != "Other")
_TYPE_SHAPES = {"Event": "diamond", "Role": "triangle", "Topic": "square"}

_LABEL_MAX = 48  # characters drawn on the canvas; the details panel shows the whole label
_TEXT_MAX = 4000  # longest untrusted string kept (an evidence sentence is far shorter)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


@dataclass(frozen=True)
class ViewInfo:
    """Page facts that are not vis data; kept on the Network as `kg_info`, for the page."""

    title: str
    total_nodes: int
    total_edges: int
    dropped_nodes: int
    dropped_edges: int
    physics: bool


SIZE_MEASURES: dict[str, Callable[[nx.MultiDiGraph], dict[Any, float]]] = {
    "degree": degree,
    "pagerank": pagerank,
}


def build_network(
    g: nx.MultiDiGraph,
    *,
    title: str = "kg",
    size_by: str = "degree",
    max_nodes: int = DEFAULT_MAX_NODES,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
    seed: int = 0,
) -> Network:
    """Turn the graph projection into a pyvis Network ready for `render_html`.

    Nodes are coloured by `type` and sized by `size_by` (one of `SIZE_MEASURES`, computed in
    `kg.analyze`), measured on all of `g`, before the cut: above `max_nodes` only the nodes of
    highest degree are kept.
    """
    measure = SIZE_MEASURES.get(size_by)
    if measure is None:
        raise KGError(
            f"cannot size nodes by {size_by!r}: choose one of {', '.join(SIZE_MEASURES)}"
        )
    if max_nodes < 1:
        raise KGError(f"max_nodes must be at least 1, not {max_nodes}")
    kept = _most_central(g, max_nodes)
    sub = g.subgraph(kept)
    nodes = sorted(sub.nodes, key=str)
    links = (
        sub.edges(keys=True, data=True)
        if sub.is_multigraph()
        else ((u, v, 0, d) for u, v, d in sub.edges(data=True))
    )
    edges = sorted(links, key=_edge_order)
    physics = len(nodes) <= physics_max_nodes
    positions = {} if physics else force_layout(nodes, [(u, v) for u, v, _, _ in edges], seed=seed)
    sizes = measure(g)
    degrees = dict(g.degree(nodes))

    net = Network(height="100%", width="100%", directed=True, heading=_text(title) or "kg")
    net.nodes = [
        _vis_node(node, g.nodes[node], sizes.get(node, 0.0), degrees[node], positions.get(node))
        for node in nodes
    ]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = _vis_edges(edges)
    net.options = _vis_options(
        physics=physics, groups=sorted({n["group"] for n in net.nodes}), seed=seed
    )
    net.kg_info = ViewInfo(
        title=net.heading,
        total_nodes=g.number_of_nodes(),
        total_edges=g.number_of_edges(),
        dropped_nodes=g.number_of_nodes() - len(nodes),
        dropped_edges=g.number_of_edges() - len(edges),
        physics=physics,
    )
    return net


def _most_central(g: nx.MultiDiGraph, max_nodes: int) -> list[Any]:
    if g.number_of_nodes() <= max_nodes:
        return list(g.nodes)
    ranked = sorted(g.degree(), key=lambda nd: (-nd[1], str(nd[0])))
    return [node for node, _ in ranked[:max_nodes]]


def _edge_order(edge: tuple[Any, Any, Any, dict[str, Any]]) -> tuple[str, str, str, str]:
    """Order edges by content, not by key: the projection may add parallel edges in any order."""
    u, v, key, attrs = edge
    return (str(u), str(v), json.dumps(attrs, sort_keys=True, default=str), str(key))


def _text(value: Any, *, limit: int = _TEXT_MAX) -> str | None:
    """Untrusted text made safe to carry: valid UTF-8, no control characters, bounded."""
    if value is None:
        return None
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text or None


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "…"


def _node_type(value: Any) -> str:
    """`Person`, or a full IRI ending in `#Person` or `/Person`; anything else is Other."""
    name = re.split(r"[#/]", str(value or ""))[-1]
    return name if name in NODE_TYPES else "Other"


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


def _url(value: Any) -> str | None:
    url = _text(value)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _confidence(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return round(number, 3) if math.isfinite(number) else None


def _without_none(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v is not None}


def _vis_node(
    node: Any, attrs: dict[str, Any], size: float, degree: int, xy: tuple[float, float] | None
) -> dict[str, Any]:
    entity, event = EntityNode.of(attrs), EventNode.of(attrs)  # what either kind of node may have
    iri = _text(node, limit=2000) or "?"
    kind = _node_type(entity.type)
    event_type = _text(event.event_type, limit=200)
    modality = _text(event.modality, limit=100)
    label = _text(entity.label) or event_type or _local_name(iri)
    aliases = sorted({a for a in (_text(x, limit=200) for x in entity.aliases or ()) if a})
    vis = {
        "id": str(node),
        # An event is drawn as its type; its label ("PhoneCall: Shigeru Ishiba – Japan – ...")
        # repeats the names around it, and is shown in the details panel instead.
        "label": _short(_event_caption(event_type, modality) if kind == "Event" and event_type else label),
        "group": kind,
        "value": round(size, 4),
        "kg": _without_none(
            {
                "label": label,
                "aliases": aliases or None,
                "type": kind,
                "eventType": event_type,
                "modality": modality,
                "date": _text(event.date, limit=100),
                "iri": iri,
                "degree": degree,
                "sentence": _text(event.sentence),
                "articleTitle": _text(event.article_title, limit=500),
                "articleUrl": _url(event.article_url),
                "confidence": _confidence(event.confidence),
                "rule": _text(event.rule, limit=200),
            }
        ),
    }
    if xy is not None:
        vis["x"], vis["y"] = xy
    return vis


def _event_caption(event_type: str, modality: str | None) -> str:
    if modality and modality.casefold() not in ("happened", "asserted"):
        return f"{event_type} ({modality.lower()})"
    return event_type


def _vis_edges(edges: list[tuple[Any, Any, Any, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Edges as vis dicts; parallel edges between two nodes curve apart instead of overlapping."""
    pair_size = Counter(frozenset((str(u), str(v))) for u, v, _, _ in edges)
    pair_seen: Counter[frozenset[str]] = Counter()
    result = []
    for i, (u, v, _key, attrs) in enumerate(edges):
        fact = FactEdge.of(attrs)
        relation = _text(fact.relation, limit=200) or "related"
        article_title = _text(fact.article_title, limit=500)
        article_url = _url(fact.article_url)
        vis: dict[str, Any] = {
            "id": f"e{i}",
            "from": str(u),
            "to": str(v),
            "label": _short(relation),
            "kg": _without_none(
                {
                    "relation": relation,
                    "sentence": _text(fact.sentence),
                    "articleTitle": article_title,
                    "articleUrl": article_url,
                    "date": _text(fact.date, limit=100),
                    "confidence": _confidence(fact.confidence),
                    "rule": _text(fact.rule, limit=200),
                }
            ),
        }
        pair = frozenset((str(u), str(v)))
        if pair_size[pair] > 1:
            pair_seen[pair] += 1
            roundness = 0.2 * pair_seen[pair]
            vis["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": roundness}
        result.append(vis)
    return result


def _vis_options(*, physics: bool, groups: list[str], seed: int) -> dict[str, Any]:
    group_options = {}
    for kind in groups:
        colour = TYPE_COLOURS[kind]
        group_options[kind] = {
            "shape": _TYPE_SHAPES.get(kind, "dot"),
            "color": {
                "background": colour,
                "border": "#333333",
                "highlight": {"background": colour, "border": "#000000"},
                "hover": {"background": colour, "border": "#000000"},
            },
        }
    options: dict[str, Any] = {
        "groups": group_options,
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"min": 8, "max": 30, "label": {"enabled": True, "min": 12, "max": 18}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9a9a9a", "highlight": "#333333", "hover": "#333333"},
            "font": {"size": 10, "align": "middle", "color": "#555555", "strokeWidth": 3},
            "smooth": False,
            "width": 1,
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
        "layout": {"randomSeed": seed},  # vis seeds its starting positions at random otherwise
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "springLength": 150,
                "avoidOverlap": 0.6,
            },
            "stabilization": {"iterations": 400, "updateInterval": 50, "fit": True},
        }
    else:
        options["physics"] = {"enabled": False}
        options["layout"]["improvedLayout"] = False
        options["interaction"].update({"hideEdgesOnDrag": True, "hideEdgesOnZoom": True})
    return options
