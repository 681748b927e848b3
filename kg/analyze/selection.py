"""What part of the graph to keep: the filters and the focus of `kg view`."""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from kg.analyze.names import entities as entity_nodes, find_entities
from kg.analyze.projection import EVENT, EventNode, FactEdge, edge_record, hop_graph, is_event
from kg.errors import KGError
from kg.model import EntityType


@dataclass(frozen=True)
class Selection:
    """What part of the graph to keep. Filters run first, then the focus; empty keeps all.

    - `types`: entity classes to keep (`Person`, `Country`, ...); events stay while one of
      their actors does.
    - `event_types`: event classes, subclasses included (`Consult` keeps `PhoneCall`).
    - `since`, `until`: ISO dates, inclusive, against each fact's `when`; undated facts go.
    - `sources`: text found (ignoring case) in the article's kg:source, title or origin.
    - `focus`, `hops`: entities named so, and everything within `hops` hops of them.

    With a filter on facts (event types, dates, sources), roles and events that fail it go,
    and so do the entities left with no link; the focus entities always stay.
    """

    focus: tuple[str, ...] = ()
    hops: int = 1
    types: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    since: str | date | None = None
    until: str | date | None = None
    sources: tuple[str, ...] = ()

    def describe(self) -> str:
        """A short account for a page title: `focus Shigeru Ishiba (2 hops) · Person`."""
        parts = []
        if self.focus:
            hops = f"{self.hops} hop{'s' if self.hops != 1 else ''}"
            parts.append(f"focus {', '.join(self.focus)} ({hops})")
        if self.types:
            parts.append(", ".join(self.types))
        if self.event_types:
            parts.append(", ".join(self.event_types))
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        if self.sources:
            parts.append("source " + ", ".join(self.sources))
        return " · ".join(parts)


@dataclass(frozen=True)
class _FactFilter:
    """The filters on facts (event nodes, role and shortcut edges); None or empty passes all."""

    classes: set[str] | None
    since: str | None
    until: str | None
    sources: list[str]

    @property
    def active(self) -> bool:
        return bool(self.classes is not None or self.since or self.until or self.sources)

    def passes(self, fact: EventNode | FactEdge) -> bool:
        if self.classes is not None and fact.event_type not in self.classes:
            return False
        when = fact.when
        if (self.since or self.until) and when is None:
            return False
        if (self.since and when < self.since) or (self.until and when > self.until):
            return False
        if self.sources:
            where = " ".join(str(value or "") for value in (fact.source, fact.article_title, fact.origin))
            return any(s in where.casefold() for s in self.sources)
        return True


def select(g: nx.MultiDiGraph, selection: Selection | None = None) -> nx.MultiDiGraph:
    """The part of `g` that `selection` keeps, as a new graph (attributes shared with `g`)."""
    sel = selection or Selection()
    if sel.hops < 0:
        raise KGError(f"hops must be 0 or more, not {sel.hops}")
    if sel == Selection(hops=sel.hops) and not sel.focus:
        return g  # nothing to filter
    focus = sorted({node for name in sel.focus for node in find_entities(g, name)})
    types = {_entity_type(t) for t in sel.types}
    facts = _fact_filter(g, sel)
    entities = {n for n, entity in entity_nodes(g) if not types or entity.type in types} | set(focus)
    events = {
        n for n, a in g.nodes(data=True)
        if is_event(a) and facts.passes(EventNode.of(a)) and any(m in entities for m in nx.all_neighbors(g, n))
    }
    kept = entities | events
    edges = [
        (u, v, k) for u, v, k, a in g.edges(keys=True, data=True)
        if u in kept and v in kept and (a.get("kind") == "event" or facts.passes(edge_record(a)))
    ]
    if facts.active:
        linked = {n for u, v, _ in edges for n in (u, v)}
        kept = (entities & linked) | set(focus) | events
    if focus:
        reach = nx.multi_source_dijkstra_path_length(
            hop_graph(g, nodes=kept, edges=edges), focus, cutoff=2 * sel.hops, weight="weight"
        )
        kept = set(reach)
    return _subgraph(g, kept, [(u, v, k) for u, v, k in edges if u in kept and v in kept])


def _fact_filter(g: nx.MultiDiGraph, sel: Selection) -> _FactFilter:
    classes = _matching_classes(g, sel.event_types) if sel.event_types else None
    since, until = _parse_day(sel.since, "since"), _parse_day(sel.until, "until")
    if since and until and since > until:
        raise KGError(f"{{since}} {since} is after {{until}} {until}: nothing can match", since="since", until="until")
    return _FactFilter(classes, since, until, [s.casefold() for s in sel.sources if s.strip()])


def _subgraph(g: nx.MultiDiGraph, nodes: Iterable[Any], edges: Iterable[tuple]) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    out.graph.update(g.graph)
    keep = set(nodes)
    out.add_nodes_from((n, g.nodes[n]) for n in g.nodes if n in keep)
    out.add_edges_from((u, v, k, g.edges[u, v, k]) for u, v, k in edges)
    return out


def _entity_type(name: str) -> EntityType:
    kind = EntityType.named(name)
    if kind is not None:
        return kind
    hint = " (events are chosen with {event_type})" if name.strip().casefold() == "event" else ""
    raise KGError(f"unknown entity type '{name}'{hint}; choose from {', '.join(EntityType)}",
                  event_type="event_types")


def _matching_classes(g: nx.MultiDiGraph, names: Iterable[str]) -> set[str]:
    """The event classes named, and all their subclasses."""
    parents: dict[str, str] = dict(g.graph.get("event_classes", {}))
    for _, attrs in g.nodes(data=True):
        parents.setdefault(attrs.get("event_type") or EVENT, EVENT)
    for _, _, attrs in g.edges(data=True):
        edge = edge_record(attrs)
        if edge.kind == "shortcut" and edge.event_type:
            parents.setdefault(edge.event_type, EVENT)
    known = {c.casefold(): c for c in (*parents, EVENT)}
    wanted = set()
    for name in names:
        cls = known.get(name.strip().casefold())
        if cls is None:
            close = difflib.get_close_matches(name, sorted(known.values()), n=3, cutoff=0.6)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise KGError(
                f"unknown event type '{name}': {hint}choose from {', '.join(sorted(known.values()))} "
                "(a class includes its subclasses: Consult includes PhoneCall)"
            )
        wanted.add(cls)

    def ancestors(cls: str) -> Iterable[str]:
        seen = set()
        while cls and cls not in seen:
            seen.add(cls)
            yield cls
            cls = parents.get(cls, "")

    return {c for c in known.values() if wanted & set(ancestors(c))}


def _parse_day(value: str | date | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise KGError(f"{{{name}}} takes an ISO date (YYYY-MM-DD), not '{value}'", **{name: name}) from None
