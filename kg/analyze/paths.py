"""What lies near an entity, and the shortest ways between two, each hop with its evidence."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg.analyze.names import find_one, label
from kg.analyze.projection import EVENT, HAPPENED, EventNode, edge_record, hop_graph, is_event
from kg.errors import KGError


@dataclass(frozen=True)
class Step:
    """One edge walked, to `label`; `forward` is False when walked against its direction.
    `event_type` and `modality` are set when the step reaches an event."""

    iri: str
    label: str
    relation: str
    forward: bool
    event_type: str | None = None
    modality: str | None = None
    lemma: str | None = None  # an open relation's verb


@dataclass(frozen=True)
class Neighbor:
    """An entity or event within reach, the hops to it, and the way there."""

    iri: str
    label: str
    type: str
    event_type: str | None
    hops: int
    via: tuple[Step, ...]


@dataclass(frozen=True)
class Neighborhood:
    iri: str
    label: str
    hops: int
    neighbors: tuple[Neighbor, ...]


def neighbors(g: nx.MultiDiGraph, name: str, *, hops: int = 1) -> Neighborhood:
    """The entities and events within `hops` hops of the entity `name`, nearest first."""
    if hops < 1:
        raise KGError(f"hops must be 1 or more, not {hops}")
    start = find_one(g, name)
    _, paths = nx.single_source_dijkstra(hop_graph(g), start, cutoff=2 * hops, weight="weight")
    found = []
    for node, path in paths.items():
        if node == start:
            continue
        attrs = g.nodes[node]
        steps = tuple(_step(g, a, b) for a, b in itertools.pairwise(path))
        found.append(Neighbor(
            iri=node, label=label(g, node), type=str(attrs.get("type", "")),
            event_type=attrs.get("event_type"), hops=_hops(g, path), via=steps,
        ))
    found.sort(key=lambda n: (n.hops, n.type == EVENT, n.label.casefold(), n.iri))
    return Neighborhood(iri=start, label=label(g, start), hops=hops, neighbors=tuple(found))


def _through_event(g: nx.MultiDiGraph, a: Any, b: Any) -> bool:
    return is_event(g.nodes[a]) or is_event(g.nodes[b])


def _hops(g: nx.MultiDiGraph, path: list[Any]) -> int:
    """Hops along a walk: entity-entity edges count 1, actor-event links a half each."""
    weight = sum(1 if _through_event(g, a, b) else 2 for a, b in itertools.pairwise(path))
    return (weight + 1) // 2


def _step(g: nx.MultiDiGraph, a: Any, b: Any) -> Step:
    forward = g.has_edge(a, b)
    data = g.get_edge_data(a, b) if forward else g.get_edge_data(b, a)
    relations = sorted({edge_record(attrs).relation or "related" for attrs in data.values()})
    event = EventNode.of(g.nodes[b]) if is_event(g.nodes[b]) else None
    return Step(iri=b, label=label(g, b), relation=", ".join(relations), forward=forward,
                event_type=event and event.event_type, modality=event and event.modality,
                lemma=event and event.lemma)


@dataclass(frozen=True)
class Hop:
    """One hop of a path, from entity `source` to entity `target`, and why they are linked.

    `relation` is the event type for a hop through an event (`PhoneCall`), else the edge's
    relation (`Prime Minister`, `spokeWith`). `arrow` says which way it points between
    them: agent to target (or place), or the edge's direction; `—` for fellow agents.
    """

    source: str
    target: str
    relation: str
    arrow: str
    event: str | None = None
    modality: str | None = None
    sentence: str | None = None
    article_title: str | None = None
    article_url: str | None = None
    date: str | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class EntityPath:
    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]


@dataclass(frozen=True)
class PathReport:
    source: str
    target: str
    paths: tuple[EntityPath, ...] = field(default_factory=tuple)


def shortest_paths(g: nx.MultiDiGraph, a: str, b: str, *, limit: int = 10) -> PathReport:
    """The shortest paths (up to `limit`) between entities `a` and `b`; none if unlinked."""
    if limit < 1:
        raise KGError(f"limit must be 1 or more, not {limit}")
    start, end = find_one(g, a), find_one(g, b)
    if start == end:
        raise KGError(f"'{a}' and '{b}' are the same entity ({label(g, start)})")
    walks = nx.all_shortest_paths(hop_graph(g), start, end, weight="weight")
    try:
        found = list(itertools.islice(walks, limit))
    except nx.NetworkXNoPath:
        found = []
    paths = sorted((_entity_path(g, walk) for walk in found), key=_path_order)
    return PathReport(source=label(g, start), target=label(g, end), paths=tuple(paths))


def _path_order(path: EntityPath) -> tuple:
    """Paths through things that happened first (a call before a planned meeting), then the
    better attested, then by name."""
    unsure = sum(1 for h in path.hops if h.modality not in (None, HAPPENED))
    confidence = sum(h.confidence or 0.0 for h in path.hops)
    return unsure, -round(confidence, 6), tuple((h.relation, h.target, h.event or "") for h in path.hops)


def _entity_path(g: nx.MultiDiGraph, walk: list[Any]) -> EntityPath:
    hops, i = [], 0
    while i < len(walk) - 1:
        if is_event(g.nodes[walk[i + 1]]):
            hops.append(_event_hop(g, walk[i], walk[i + 1], walk[i + 2]))
            i += 2
        else:
            hops.append(_edge_hop(g, walk[i], walk[i + 1]))
            i += 1
    return EntityPath(nodes=tuple(walk), hops=tuple(hops))


def _event_hop(g: nx.MultiDiGraph, a: Any, event: Any, b: Any) -> Hop:
    def role(actor: Any) -> str:
        links = g.get_edge_data(actor, event) or g.get_edge_data(event, actor) or {}
        return sorted(str(edge_record(attrs).relation) for attrs in links.values())[0]

    ra, rb = role(a), role(b)
    arrow = "→" if ra == "agent" != rb else "←" if rb == "agent" != ra else "—"
    info = EventNode.of(g.nodes[event])
    return Hop(
        source=label(g, a), target=label(g, b), relation=str(info.event_type or EVENT),
        arrow=arrow, event=label(g, event), modality=info.modality,
        sentence=info.sentence, article_title=info.article_title,
        article_url=info.article_url, date=info.date, confidence=info.confidence,
    )


def _edge_hop(g: nx.MultiDiGraph, a: Any, b: Any) -> Hop:
    links = [("→", edge_record(attrs)) for attrs in (g.get_edge_data(a, b) or {}).values()]
    links += [("←", edge_record(attrs)) for attrs in (g.get_edge_data(b, a) or {}).values()]
    arrow, edge = min(links, key=lambda le: (le[0] != "→", -(le[1].confidence or 0.0), str(le[1].relation)))
    return Hop(
        source=label(g, a), target=label(g, b), relation=edge.relation or "related",
        arrow=arrow, event=None, modality=None, sentence=edge.sentence,
        article_title=edge.article_title, article_url=edge.article_url,
        date=edge.date, confidence=edge.confidence,
    )
