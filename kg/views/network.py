"""The view's data: the networkx projection as plain lists the page draws with vis-network,
read from the projection's typed records (`kg.analyze.projection`).

Entities (and things, and any other node that is no event) are the drawn nodes, placed here
(`kg.views.layout`) from the links between them, sized by a measure of `kg.analyze` and
coloured by Louvain community (seeded) or by type. Events are records the page folds into
one edge per pair of actors, labelled and coloured by event family with a count and all its
evidence, or draws as diamonds between their actors (`fold`, by default above
`FOLD_THRESHOLD` events); an open relation (kg:Action) is an edge labelled with its verb.
Roles, shortcuts and what things concern are links. Each fact keeps every reading
(sentence, article, rule, confidence); articles are listed once and referred to by index.
Above `max_nodes` only the best-linked nodes are kept.

Text from articles is untrusted: it is made valid, single-line and bounded here, and
reaches the page only as data. The output is deterministic: the same graph gives the same
page. pyvis's `add_node`/`add_edge` are quadratic (10k nodes took 8.5 s): we fill the
Network's lists directly.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import networkx as nx
from pyvis.network import Network

from kg.analyze import forked
from kg.analyze.projection import (
    ACTION, EVENT, THING, EntityNode, EventNode, FactEdge, event_pairs, event_roles, family,
)
from kg.analyze.records import TYPE_COLOURS
from kg.analyze.stats import degree, pagerank
from kg.errors import KGError
from kg.views.layout import community_layout

DEFAULT_MAX_NODES = 5000
FOLD_THRESHOLD = 300  # more events than this are folded into actor-to-actor edges
MIN_EDGE_PX = 160.0  # the median link at least this long, in canvas pixels
PHYSICS_MAX_NODES = 0  # every view is laid out here: vis physics took 43 s to draw 1,000 nodes

NODE_TYPES: tuple[str, ...] = tuple(t for t in TYPE_COLOURS if t != "Other")
TYPE_SHAPES = {"Person": "dot", "Country": "square", "Organization": "hexagon", "Location": "triangle",
               "Group": "triangleDown", "Event": "diamond", "Role": "triangle", "Topic": "square",
               THING: "dot", "Other": "dot"}
# Families by CAMEO's quad classes: verbal cooperation blue, material cooperation green,
# verbal conflict orange and purple, material conflict red; open relations grey.
FAMILY_COLOURS: dict[str, str] = {
    "Consult": "#1f77b4", "Statement": "#6baed6", "Agree": "#08519c", "Support": "#4292c6",
    "Request": "#9ecae1", "Cooperate": "#2ca02c", "Aid": "#74c476", "Concede": "#006d2c",
    "Retreat": "#a1d99b", "Investigate": "#9467bd", "Demand": "#fd8d3c", "Disapprove": "#e6550d",
    "Accuse": "#a63603", "Reject": "#fdae6b", "Threaten": "#d6616b", "Protest": "#bc80bd",
    "Sanction": "#d62728", "Coerce": "#a50f15", "Mobilize": "#fb6a4a", "Assault": "#67000d",
    "Fight": "#99000d", ACTION: "#7f7f7f", "Role": "#B8A000", "Link": "#9a9a9a", "Event": "#D55E00",
}
COMMUNITY_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948",
                     "#ff9da7", "#9c755f", "#3b6e8f", "#a0cbe8", "#ffbe7d", "#8cd17d", "#86bcb6",
                     "#f1ce63", "#d4a6c8")
COMMUNITY_OTHER = "#bdbdbd"  # communities beyond the palette, and unlinked nodes

_LABEL_MAX = 48  # characters drawn on the canvas; the details panel shows the whole label
_TEXT_MAX = 4000  # longest untrusted string kept (an evidence sentence is far shorter)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


@dataclass(frozen=True)
class ViewInfo:
    """Page facts beside the vis data; kept on the Network as `kg_info`, for the page."""

    title: str
    total_nodes: int
    total_edges: int
    dropped_nodes: int
    dropped_edges: int
    physics: bool = False
    fold: bool = False
    events: int = 0
    data: dict[str, Any] = field(default_factory=dict)  # events, links, articles, legends


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
    fold: bool | None = None,
    open_relations: bool = True,
    seed: int = 0,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
) -> Network:
    """Turn the graph projection into a pyvis Network ready for `render_html`.

    `fold` None folds events when there are more than FOLD_THRESHOLD; `open_relations`
    False leaves kg:Action events out (the page can also hide them). Nodes are sized by
    `size_by` (one of `SIZE_MEASURES`), measured on all of `g` before the cut.
    """
    measure = SIZE_MEASURES.get(size_by)
    if measure is None:
        raise KGError(f"cannot size nodes by {size_by!r}: choose one of {', '.join(SIZE_MEASURES)}")
    if max_nodes < 1:
        raise KGError(f"max_nodes must be at least 1, not {max_nodes}")
    parents = g.graph.get("event_classes", {})
    events = sorted(n for n, a in g.nodes(data=True) if _is_event(a)
                    and (open_relations or a.get("event_type") != ACTION))
    roles = {e: event_roles(g, e) for e in events}
    pairs = _pairs(g, roles)
    kept = set(_most_linked(g, pairs, max_nodes))
    nodes = sorted(kept, key=str)
    pair_list = [(u, v) for u, v in pairs if u in kept and v in kept] + _link_pairs(g, kept)
    linked = {n for pair in pair_list for n in pair}
    # communities, layout and sizes on a second core while the events are read out here
    placed = forked.start(lambda: _placed(g, nodes, pair_list, linked, seed, measure))
    articles = _Articles(g.graph.get("articles", {}))
    event_rows = [_event(g, e, roles[e], kept, parents, articles) for e in events]
    event_rows = [row for row in event_rows if row is not None]
    links = _links(g, kept, articles)
    communities, positions, sizes = placed()
    degrees = Counter(n for pair in pair_list for n in pair)
    rank = _importance(nodes, sizes)
    _place_events(event_rows, positions)
    vis_nodes = [_vis_node(n, g.nodes[n], sizes.get(n, 0.0), degrees[n], rank[n], communities.get(n),
                           positions[n], articles) for n in nodes]
    families = sorted({row["family"] for row in event_rows} | {link["family"] for link in links})
    folded = len(event_rows) > FOLD_THRESHOLD if fold is None else fold
    community_sizes = Counter(c for c in communities.values() if c is not None)
    info = ViewInfo(
        title=_text(title) or "kg",
        total_nodes=sum(1 for _, a in g.nodes(data=True) if not _is_event(a)),
        total_edges=g.number_of_edges(),
        dropped_nodes=sum(1 for _, a in g.nodes(data=True) if not _is_event(a)) - len(nodes),
        dropped_edges=0,
        fold=folded,
        events=len(event_rows),
        data={
            "events": event_rows,
            "links": links,
            "articles": articles.rows,
            "types": {t: TYPE_COLOURS[t] for t in TYPE_COLOURS if any(n["kg"]["type"] == t for n in vis_nodes)},
            "shapes": TYPE_SHAPES,
            "families": {f: FAMILY_COLOURS.get(f, FAMILY_COLOURS["Event"]) for f in families},
            "communities": [
                {"colour": _community_colour(c), "size": size,
                 "names": [n["kg"]["label"] for n in sorted(
                     (n for n in vis_nodes if n["kg"].get("community") == c),
                     key=lambda n: -n["kg"]["importance"])[:3]]}
                for c, size in sorted(community_sizes.items())
            ][: len(COMMUNITY_COLOURS)],
            "fold": folded,
            # many things named by common nouns ("proposal") crowd a large view: hidden at first
            "hiddenTypes": [THING] if folded else [],
        },
    )
    net = Network(height="100%", width="100%", directed=True, heading=info.title)
    net.nodes = vis_nodes
    net.node_ids = [n["id"] for n in vis_nodes]
    net.node_map = {n["id"]: n for n in vis_nodes}
    net.edges = []  # the page makes the edges from events and links, as its filters say
    net.options = _vis_options(seed=seed, nodes=len(vis_nodes))
    net.kg_info = info
    return net


def _is_event(attrs: dict[str, Any]) -> bool:
    return attrs.get("type") == EVENT


def _pairs(g: nx.MultiDiGraph, roles: dict[Any, dict[str, list[Any]]]) -> list[tuple[Any, Any]]:
    found = []
    for members in roles.values():
        found += event_pairs(members)
    for u, v, attrs in g.edges(data=True):
        if not _is_event(g.nodes[u]) and not _is_event(g.nodes[v]) and u != v:
            found.append((u, v))
    return found


def _most_linked(g: nx.MultiDiGraph, pairs: list[tuple[Any, Any]], max_nodes: int) -> list[Any]:
    candidates = [n for n, a in g.nodes(data=True) if not _is_event(a)]
    if len(candidates) <= max_nodes:
        return candidates
    links = Counter(n for pair in pairs for n in pair)
    return sorted(candidates, key=lambda n: (-links[n], str(n)))[:max_nodes]


def _communities(nodes: list[Any], pairs: list[tuple[Any, Any]], seed: int) -> dict[Any, int | None]:
    """Louvain communities of the linked nodes, numbered largest first; unlinked ones None."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for (u, v), count in sorted(Counter(tuple(sorted((u, v), key=str)) for u, v in pairs).items(), key=str):
        graph.add_edge(u, v, weight=count)
    graph.remove_nodes_from([n for n in nodes if not graph.degree(n)])  # (a graph of its own: a subgraph view is slower)
    groups = nx.community.louvain_communities(graph, weight="weight", seed=seed) if graph else []
    groups = sorted(groups, key=lambda c: (-len(c), min(str(n) for n in c)))
    found: dict[Any, int | None] = {n: None for n in nodes}
    for number, group in enumerate(groups):
        for n in group:
            found[n] = number if len(group) > 1 else None
    return found


def _placed(g: nx.MultiDiGraph, nodes: list[Any], pairs: list[tuple[Any, Any]], linked: set[Any], seed: int,
            measure: Callable[[nx.MultiDiGraph], dict[Any, float]]) -> tuple[dict, dict, dict]:
    """Each node's community, position and size."""
    communities = _communities(nodes, pairs, seed)
    return communities, _place(nodes, pairs, linked, seed, communities), measure(g)


def _community_colour(number: int | None) -> str:
    if number is None or number >= len(COMMUNITY_COLOURS):
        return COMMUNITY_OTHER
    return COMMUNITY_COLOURS[number]


def _place(nodes: list[Any], pairs: list[tuple[Any, Any]], linked: set[Any], seed: int,
           communities: dict[Any, int | None]) -> dict[Any, tuple[float, float]]:
    """Linked nodes laid out together, each community in a region of its own; unlinked ones
    in rows below them (hidden at first)."""
    core = [n for n in nodes if n in linked]
    positions = community_layout(core, pairs, communities, seed=seed)
    lengths = sorted(math.dist(positions[u], positions[v]) for u, v in pairs if u in positions and v in positions)
    median = lengths[len(lengths) // 2] if lengths else 0.0
    if 0 < median < MIN_EDGE_PX:  # small graphs: room for labels and for clicking each edge
        stretch = MIN_EDGE_PX / median
        positions = {n: (round(x * stretch, 1), round(y * stretch, 1)) for n, (x, y) in positions.items()}
    loose = [n for n in nodes if n not in linked]
    if loose:
        ys = [y for _, y in positions.values()] or [0.0]
        xs = [x for x, _ in positions.values()] or [0.0]
        width = max(max(xs) - min(xs), 600.0)
        per_row = max(1, int(width // 60))
        for i, n in enumerate(loose):
            positions[n] = (round(min(xs) + 60.0 * (i % per_row), 1), round(max(ys) + 150.0 + 60.0 * (i // per_row), 1))
    return positions


def _importance(nodes: list[Any], sizes: dict[Any, float]) -> dict[Any, float]:
    """Each node's rank by size as a fraction: 1 for the largest, near 0 for the smallest."""
    order = sorted(nodes, key=lambda n: (sizes.get(n, 0.0), str(n)))
    count = max(len(order) - 1, 1)
    return {n: round(i / count, 4) for i, n in enumerate(order)}


class _Articles:
    """Articles listed once; facts refer to them by index."""

    def __init__(self, known: dict[str, Any]) -> None:
        self.known = known
        self.index: dict[str, int] = {}
        self.rows: list[dict[str, Any]] = []

    def of(self, iri: str | None, *, title: str | None = None, url: str | None = None,
           date: str | None = None, source: str | None = None) -> int | None:
        key = iri or title or url
        if not key:
            return None
        if key not in self.index:
            info = self.known.get(iri) if iri else None
            self.index[key] = len(self.rows)
            self.rows.append(_without_none({
                "title": _text(info.title if info else title, limit=500),
                "url": _url(info.url if info else url),
                "date": _text(info.published if info else date, limit=40),
                "source": _text(info.source if info else source, limit=200),
            }))
        return self.index[key]


def _readings(g: nx.MultiDiGraph, iri: Any, record: EventNode | FactEdge, articles: _Articles) -> list[dict[str, Any]]:
    """Every reading of a fact: all the evidence the projection keeps for it, else its own."""
    evidence = g.graph.get("evidence", {}).get(iri, ())
    if evidence:
        readings = [(e.sentence, articles.of(e.article), e.confidence, e.rule) for e in evidence]
    else:
        readings = [(record.sentence, articles.of(record.article, title=record.article_title,
                     url=record.article_url, date=getattr(record, "published", None) or record.date,
                     source=record.source), record.confidence, record.rule)]
    found = [_without_none({"sentence": _text(s), "article": a, "confidence": _confidence(c),
                            "rule": _text(r, limit=200)}) for s, a, c, r in readings]
    return [r for r in found if "sentence" in r or "article" in r]


def _event(g: nx.MultiDiGraph, iri: Any, actors: dict[str, list[Any]], kept: set[Any], parents: dict[str, str],
           articles: _Articles) -> dict[str, Any] | None:
    event = EventNode.of(g.nodes[iri])
    roles = {role: [str(n) for n in members if n in kept] for role, members in actors.items()}
    roles = {role: members for role, members in roles.items() if members}
    if not roles:
        return None
    event_type = _text(event.event_type, limit=200) or EVENT
    return _without_none({
        "id": str(iri),
        "label": _text(event.label) or event_type,
        "eventType": event_type,
        "family": family(event_type, parents) if event_type in parents else event_type,
        "lemma": _text(event.lemma, limit=100),
        "modality": _text(event.modality, limit=100),
        "date": _text(event.date, limit=100),
        "when": _text(event.when, limit=10),
        "roles": roles,
        "evidence": _readings(g, iri, event, articles),
        "sameAs": len(event.same_as or ()) or None,
    })


def _link_pairs(g: nx.MultiDiGraph, kept: set[Any]) -> list[tuple[str, str]]:
    """The (from, to) of each link `_links` gives, without reading their evidence."""
    keys = {(str(u), str(v), _relation(attrs)) for u, v, attrs in g.edges(data=True)
            if u in kept and v in kept and u != v}
    return [(u, v) for u, v, _ in keys]


def _relation(attrs: dict[str, Any]) -> str:
    return _text(attrs.get("relation"), limit=200) or "related"


def _links(g: nx.MultiDiGraph, kept: set[Any], articles: _Articles) -> list[dict[str, Any]]:
    """Roles, shortcuts, what things concern and any other link between drawn nodes, one per
    pair and relation, with all its readings."""
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    between = [(u, v, a) for u, v, a in g.edges(data=True) if u in kept and v in kept and u != v]
    for u, v, attrs in sorted(between, key=lambda e: (str(e[0]), str(e[1]), str(sorted(e[2].items())))):
        edge = FactEdge.of(attrs)
        relation = _relation(attrs)
        kind = edge.kind or "link"
        key = (str(u), str(v), relation)
        link = found.setdefault(key, {
            "from": str(u), "to": str(v), "relation": relation, "kind": kind,
            "family": "Role" if kind == "role" else "Link", "evidence": [],
        })
        when = _text(edge.when or edge.date, limit=10)
        if when and re.match(r"^\d{4}-\d{2}-\d{2}$", when) and when > link.get("when", ""):
            link["when"] = when
        if edge.sentence or edge.article_title:
            reading = _readings(g, None, edge, articles)[0]
            if reading not in link["evidence"]:
                link["evidence"].append(reading)
    return list(found.values())


def _place_events(rows: list[dict[str, Any]], positions: dict[Any, tuple[float, float]]) -> None:
    """Each event at the centre of its drawn nodes, shifted by an angle from its IRI so two
    events of the same actors do not sit on one another."""
    for row in rows:
        points = [positions[n] for members in row["roles"].values() for n in members if n in positions]
        if not points:
            continue
        x = sum(p[0] for p in points) / len(points)
        y = sum(p[1] for p in points) / len(points)
        turn = int(hashlib.sha256(row["id"].encode()).hexdigest()[:8], 16) / 0xFFFFFFFF * 2 * math.pi
        reach = 24.0 if len(points) > 1 else 40.0
        row["x"], row["y"] = round(x + reach * math.cos(turn), 1), round(y + reach * math.sin(turn), 1)


def _text(value: Any, *, limit: int = _TEXT_MAX) -> str | None:
    """Untrusted text made safe to carry: valid UTF-8, no control characters, bounded."""
    if value is None:
        return None
    if isinstance(value, str) and len(value) <= limit and value.isprintable():
        return value.strip() or None  # the common case, with nothing to replace or cut
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


def _vis_node(node: Any, attrs: dict[str, Any], size: float, links: int, importance: float,
              community: int | None, xy: tuple[float, float], articles: _Articles) -> dict[str, Any]:
    entity = EntityNode.of(attrs)
    iri = _text(node, limit=2000) or "?"
    kind = _node_type(entity.type)
    label = _text(entity.label) or _local_name(iri)
    aliases = sorted({a for a in (_text(x, limit=200) for x in entity.aliases or ()) if a})
    mentioned = sorted({i for i in (articles.of(a) for a in entity.articles or ()) if i is not None})
    return {
        "id": str(node),
        "value": round(1.0 + 9.0 * importance, 3),  # by rank: a few hubs would shrink the rest to dots
        "size_measure": round(size, 4),
        "x": xy[0],
        "y": xy[1],
        "kg": _without_none({
            "label": label,
            "short": _short(label),
            "aliases": aliases or None,
            "type": kind,
            "iri": iri,
            "degree": links,
            "importance": importance,
            "community": community,
            "articles": mentioned or None,
            "sameAs": [_text(x, limit=2000) for x in entity.same_as] if entity.same_as else None,
        }),
    }


def _vis_options(*, seed: int, nodes: int) -> dict[str, Any]:
    return {
        "nodes": {
            "borderWidth": 1,
            "color": {"border": "#333333"},
            # larger graphs are seen from further away: their nodes are drawn larger
            "scaling": {"min": 8 + min(nodes / 500, 4), "max": 20 + min(nodes / 100, 28)},
            "font": {"size": 0},  # the page draws labels itself, hiding those that would collide
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "color": {"inherit": False},
            "font": {"size": 10, "align": "middle", "color": "#444444", "strokeWidth": 3},
            "smooth": False,
            "selectionWidth": 2,
        },
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": True, "multiselect": False},
        "physics": {"enabled": False},
        "layout": {"randomSeed": seed, "improvedLayout": False},
    }


