"""The RDF graph projected into networkx, and what kg computes on it.

`project` reads the store into a `MultiDiGraph`. Entities are nodes (`label`, `type`,
`aliases`); roles are edges from the person to the country or organisation. Events are
either nodes linked to their actors by `agent`, `target` and `place` edges (the n-ary view,
the default) or, with `events=False`, the shortcut edges between actors (`spokeWith`,
`supports`, ...: the simple view). Every fact (event node, role edge, shortcut edge) carries
its evidence: `sentence`, `article_title`, `article_url`, `confidence`, `rule`, and `when`,
its ISO date (the event's kg:date, else the article's kg:published, else absent).

On that graph: `select` (the filters and focus of `kg view`), `neighbors`,
`shortest_paths`, `timeline`, `graph_stats` (counts, centrality, components, Louvain
communities), `pagerank`, and `interchange_bytes` (GraphML and GEXF for Gephi and Cytoscape).
Each returns small records; the `format_*` functions turn them into the text `kg` prints.

Distances count hops between entities, so both views agree: a role or shortcut edge is one
hop, and so is passing through an event from one of its actors to another (Ishiba, the
call, Trump). Internally an actor-event link weighs 1 and an entity-entity edge 2, and a
distance of 2n is n hops.
"""
from __future__ import annotations

import difflib
import io
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import networkx as nx
import numpy as np
from networkx.readwrite.gexf import GEXFWriter
from rdflib import URIRef
from rdflib.term import Node

from kg.errors import EntityNotFound, KGError
from kg.store import Store
from kg.rdf.vocabulary import compact, expand

__all__ = [
    "ENTITY_TYPES",
    "INTERCHANGE_FORMATS",
    "EntityPath",
    "GraphStats",
    "Hop",
    "Neighbor",
    "Neighborhood",
    "PathReport",
    "Ranked",
    "Selection",
    "Step",
    "TimelineEntry",
    "degree",
    "find_entities",
    "format_neighbors",
    "format_paths",
    "format_stats",
    "format_timeline",
    "graph_stats",
    "interchange_bytes",
    "neighbors",
    "pagerank",
    "project",
    "select",
    "shortest_paths",
    "timeline",
]

ENTITY_TYPES = ("Person", "Country", "Organization", "Location", "Group")
INTERCHANGE_FORMATS = ("graphml", "gexf")
EVENT = "Event"
HAPPENED = "Happened"
BETWEENNESS_SAMPLE = 500  # above this many nodes, betweenness is estimated from a seeded sample
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")

# --- SPARQL -------------------------------------------------------------------------------

_ARTICLE = """
  ?ev kg:sentence ?sentence ; kg:confidence ?confidence ; kg:rule ?rule ; kg:article ?article .
  ?article kg:title ?title .
  OPTIONAL { ?article kg:url ?url }
  OPTIONAL { ?article kg:published ?published }
  OPTIONAL { ?article kg:source ?source }
  OPTIONAL { ?article kg:origin ?origin }"""

ENTITIES = """
SELECT ?node ?type ?name WHERE {
  VALUES ?type { kg:Person kg:Country kg:Organization kg:Location kg:Group }
  ?node a ?type ; kg:name ?name .
}"""

ALIASES = "SELECT ?node ?alias WHERE { ?node kg:name ?name ; kg:alias ?alias }"

EVENT_CLASSES = """
SELECT ?class ?parent WHERE {
  ?class rdfs:subClassOf ?parent .
  ?parent rdfs:subClassOf* kg:Event .
  FILTER (STRSTARTS(STR(?class), STR(kg:)))
}"""

EVENTS = """
SELECT ?event ?type ?label ?modality ?date ?time ?sentence ?confidence ?rule ?article ?title
       ?url ?published ?source ?origin WHERE {
  ?event kg:trigger ?trigger ; a ?type ; rdfs:label ?label ; kg:modality ?modality ; kg:evidence ?ev .
  OPTIONAL { ?event kg:date ?date }
  OPTIONAL { ?event kg:timeText ?time }""" + _ARTICLE + "\n}"

EVENT_ROLES = """
SELECT ?event ?role ?actor WHERE {
  VALUES ?role { kg:agent kg:target kg:place }
  ?event kg:trigger ?trigger ; ?role ?actor .
}"""

ROLES = """
SELECT ?person ?org ?roleTitle ?sentence ?confidence ?rule ?article ?title ?url ?published
       ?source ?origin WHERE {
  ?person kg:holdsRole ?role .
  ?role kg:roleTitle ?roleTitle ; kg:roleOf ?org ; kg:evidence ?ev .""" + _ARTICLE + "\n}"

# The event (or role) behind each shortcut triple: a happened event of the shortcut's class,
# or a subclass, with both actors; for kg:leaderOf, the role itself.
SHORTCUTS = """
SELECT ?s ?p ?o ?event ?class ?date ?sentence ?confidence ?rule ?article ?title ?url ?published
       ?source ?origin WHERE {
  ?p kg:shortcutOf ?pattern .
  ?s ?p ?o .
  OPTIONAL {
    { ?event kg:participant ?s, ?o ; kg:modality kg:Happened }
    UNION
    { ?s kg:holdsRole ?event . ?event kg:roleOf ?o }
    ?event a ?class ; kg:evidence ?ev .
    ?class rdfs:subClassOf* ?pattern .
    OPTIONAL { ?event kg:date ?date }""" + _ARTICLE + "\n  }\n}"

SHORTCUT_COUNTS = """
SELECT ?p (COUNT(*) AS ?n) WHERE { ?p kg:shortcutOf ?pattern . ?s ?p ?o } GROUP BY ?p"""


# --- projection ---------------------------------------------------------------------------


def project(store: Store, *, events: bool = True) -> nx.MultiDiGraph:
    """Entities as nodes; roles and either event nodes (n-ary) or shortcut edges (simple).

    `graph.graph["event_classes"]` maps each event class of the ontology to its parent
    (`{"PhoneCall": "Consult", "Consult": "Event", ...}`), for filters on event types.
    """
    graph = nx.MultiDiGraph()
    graph.graph["event_classes"] = {
        _local(row["class"]): _local(row["parent"]) for row in _records(store, EVENT_CLASSES)
    }
    aliases: dict[str, list[str]] = {}
    for row in _records(store, ALIASES):
        aliases.setdefault(str(row["node"]), []).append(str(row["alias"]))
    for row in _records(store, ENTITIES):
        node = str(row["node"])
        graph.add_node(node, label=str(row["name"]), type=_local(row["type"]),
                       aliases=tuple(sorted(set(aliases.get(node, ())))))
    for row in _records(store, ROLES):
        graph.add_edge(str(row["person"]), str(row["org"]), kind="role",
                       relation=str(row["roleTitle"]), **_evidence(row))
    if events:
        _add_events(store, graph)
    else:
        _add_shortcuts(store, graph)
    return graph


def _records(store: Store, sparql: str) -> list[dict[str, Node | None]]:
    """Rows as dicts, in a fixed order: the store's row order is not part of its contract."""
    results = store.query(sparql)
    rows = sorted(results.rows, key=lambda row: tuple("" if t is None else str(t) for t in row))
    return [dict(zip(results.variables, row)) for row in rows]


def _local(term: Node | str | None) -> str:
    return re.split(r"[#/]", str(term))[-1] if term is not None else ""


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _day(value: Any) -> str | None:
    """The ISO date at the start of a date or date-time, if there is one."""
    match = _ISO_DAY.match(str(value)) if value is not None else None
    return match.group(0) if match else None


def _evidence(row: dict[str, Node | None], *, event_date: Node | None = None) -> dict[str, Any]:
    """Evidence attributes of a fact; absent values are left out, never None."""
    attrs = {
        "sentence": _text(row.get("sentence")),
        "confidence": float(row["confidence"]) if row.get("confidence") is not None else None,
        "rule": _text(row.get("rule")),
        "article": _text(row.get("article")),
        "article_title": _text(row.get("title")),
        "article_url": _text(row.get("url")),
        "published": _text(row.get("published")),
        "source": _text(row.get("source")),
        "origin": _text(row.get("origin")),
        "when": _day(event_date) or _day(row.get("published")),
    }
    return {k: v for k, v in attrs.items() if v is not None}


def _add_events(store: Store, graph: nx.MultiDiGraph) -> None:
    for row in _records(store, EVENTS):
        event = str(row["event"])
        if event in graph:  # a second evidence for the same event: the first (sorted) stands
            continue
        date_text = _day(row["date"])
        time_text = _text(row["time"])
        attrs = {
            "label": str(row["label"]), "type": EVENT, "event_type": _local(row["type"]),
            "modality": _local(row["modality"]), "date": date_text or time_text,
            "time_text": time_text, **_evidence(row, event_date=row["date"]),
        }
        graph.add_node(event, **{k: v for k, v in attrs.items() if v is not None})
    for row in _records(store, EVENT_ROLES):
        event, actor, relation = str(row["event"]), str(row["actor"]), _local(row["role"])
        if event not in graph or actor not in graph:
            continue
        info = graph.nodes[event]
        source, target = (actor, event) if relation == "agent" else (event, actor)
        graph.add_edge(source, target, kind="event", relation=relation, **{
            k: info[k] for k in ("sentence", "date", "confidence", "rule", "article_title",
                                 "article_url", "when") if k in info
        })


def _add_shortcuts(store: Store, graph: nx.MultiDiGraph) -> None:
    """One edge per shortcut triple and event behind it, with that event's evidence."""
    seen: set[tuple[str, str, str, str]] = set()
    for row in _records(store, SHORTCUTS):
        s, o, relation = str(row["s"]), str(row["o"]), _local(row["p"])
        key = (s, relation, o, _text(row["event"]) or "")
        if key in seen or s not in graph or o not in graph:
            continue
        seen.add(key)
        attrs: dict[str, Any] = {"kind": "shortcut", "relation": relation}
        if row["event"] is not None:
            attrs |= {"event": str(row["event"]), "event_type": _local(row["class"]),
                      **_evidence(row, event_date=row["date"])}
            if row["date"] is not None:
                attrs["date"] = _day(row["date"])
        graph.add_edge(s, o, **attrs)


# --- names --------------------------------------------------------------------------------


def _is_event(g: nx.MultiDiGraph, node: Any) -> bool:
    return g.nodes[node].get("type") == EVENT


def _label(g: nx.MultiDiGraph, node: Any) -> str:
    return str(g.nodes[node].get("label") or node)


def find_entities(g: nx.MultiDiGraph, name: str) -> list[str]:
    """The entities called `name`: its kg:name or a kg:alias (case-insensitive), its IRI, or
    its prefixed IRI (`person:shigeru-ishiba`). Raises EntityNotFound, with close matches."""
    wanted = name.strip().casefold()
    iri = expand(name.strip())
    found = sorted(
        node for node, attrs in g.nodes(data=True)
        if attrs.get("type") != EVENT and (
            node == iri
            or str(attrs.get("label", "")).casefold() == wanted
            or any(alias.casefold() == wanted for alias in attrs.get("aliases", ()))
        )
    )
    if not found:
        raise EntityNotFound(_not_found(g, name))
    return found


def _find_one(g: nx.MultiDiGraph, name: str) -> str:
    found = find_entities(g, name)
    if len(found) > 1:
        options = "; ".join(f"{_label(g, n)} ({compact(URIRef(n))})" for n in found)
        raise EntityNotFound(f"'{name}' names {len(found)} entities: {options}; give one by its IRI")
    return found[0]


def _not_found(g: nx.MultiDiGraph, name: str) -> str:
    names: dict[str, str] = {}  # casefolded name or alias -> the entity's label
    for node, attrs in sorted(g.nodes(data=True), key=lambda na: str(na[0])):
        if attrs.get("type") == EVENT:
            continue
        label = str(attrs.get("label", node))
        for known in (label, *attrs.get("aliases", ())):
            names.setdefault(known.casefold(), label)
    wanted = name.strip().casefold()
    close = difflib.get_close_matches(wanted, list(names), n=8, cutoff=0.6)
    close += sorted(k for k in names if wanted and (wanted in k or k in wanted.split()))
    labels = list(dict.fromkeys(names[k] for k in close))[:5]
    hint = ("close matches: " + ", ".join(labels)) if labels else "no close matches"
    return (f"no entity named '{name}' in the graph ({hint}); names match kg:name or kg:alias, "
            "ignoring case; `kg stats` lists the most linked entities")


# --- selection ----------------------------------------------------------------------------


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


def select(g: nx.MultiDiGraph, selection: Selection | None = None) -> nx.MultiDiGraph:
    """The part of `g` that `selection` keeps, as a new graph (attributes shared with `g`)."""
    sel = selection or Selection()
    if sel.hops < 0:
        raise KGError(f"hops must be 0 or more, not {sel.hops}")
    focus = sorted({node for name in sel.focus for node in find_entities(g, name)})
    types = {_entity_type(t) for t in sel.types}
    classes = _matching_classes(g, sel.event_types) if sel.event_types else None
    since, until = _parse_day(sel.since, "since"), _parse_day(sel.until, "until")
    if since and until and since > until:
        raise KGError(f"--since {since} is after --until {until}: nothing can match")
    sources = [s.casefold() for s in sel.sources if s.strip()]
    filtering_facts = bool(classes is not None or since or until or sources)

    def fact_passes(attrs: dict[str, Any]) -> bool:
        if classes is not None and attrs.get("event_type") not in classes:
            return False
        when = attrs.get("when")
        if (since or until) and when is None:
            return False
        if (since and when < since) or (until and when > until):
            return False
        if sources:
            where = " ".join(str(attrs.get(k, "")) for k in ("source", "article_title", "origin"))
            return any(s in where.casefold() for s in sources)
        return True

    entities = {
        n for n, a in g.nodes(data=True)
        if a.get("type") != EVENT and (not types or a.get("type") in types)
    } | set(focus)
    events = {
        n for n, a in g.nodes(data=True)
        if a.get("type") == EVENT and fact_passes(a)
        and any(m in entities for m in nx.all_neighbors(g, n))
    }
    kept = entities | events
    edges = [
        (u, v, k) for u, v, k, a in g.edges(keys=True, data=True)
        if u in kept and v in kept and (a.get("kind") == "event" or fact_passes(a))
    ]
    if filtering_facts:
        linked = {n for u, v, _ in edges for n in (u, v)}
        kept = (entities & linked) | set(focus) | events
    if focus:
        reach = nx.multi_source_dijkstra_path_length(
            _hop_graph(g, nodes=kept, edges=edges), focus, cutoff=2 * sel.hops, weight="weight"
        )
        kept = set(reach)
    return _subgraph(g, kept, [(u, v, k) for u, v, k in edges if u in kept and v in kept])


def _subgraph(g: nx.MultiDiGraph, nodes: Iterable[Any], edges: Iterable[tuple]) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    out.graph.update(g.graph)
    out.add_nodes_from((n, g.nodes[n]) for n in g.nodes if n in set(nodes))
    out.add_edges_from((u, v, k, g.edges[u, v, k]) for u, v, k in edges)
    return out


def _entity_type(name: str) -> str:
    for kind in ENTITY_TYPES:
        if kind.casefold() == name.strip().casefold():
            return kind
    hint = " (events are chosen with --event-type)" if name.strip().casefold() == "event" else ""
    raise KGError(f"unknown entity type '{name}'{hint}; choose from {', '.join(ENTITY_TYPES)}")


def _matching_classes(g: nx.MultiDiGraph, names: Iterable[str]) -> set[str]:
    """The event classes named, and all their subclasses."""
    parents: dict[str, str] = dict(g.graph.get("event_classes", {}))
    for _, attrs in g.nodes(data=True):
        parents.setdefault(attrs.get("event_type") or EVENT, EVENT)
    for _, _, attrs in g.edges(data=True):
        if attrs.get("kind") == "shortcut" and attrs.get("event_type"):
            parents.setdefault(attrs["event_type"], EVENT)
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
        raise KGError(f"--{name} takes an ISO date (YYYY-MM-DD), not '{value}'") from None


def _hop_graph(
    g: nx.MultiDiGraph, *, nodes: Iterable[Any] | None = None, edges: Iterable[tuple] | None = None
) -> nx.Graph:
    """Undirected distances: actor-event links weigh 1, entity-entity edges 2 (one hop).

    Nodes and edges go in sorted, so every algorithm that walks the graph walks it the same
    way each time (Louvain and path enumeration depend on that order)."""
    keep = set(g.nodes if nodes is None else nodes)
    pairs = ((u, v) for u, v, *_ in (g.edges(keys=True) if edges is None else edges))
    hop = nx.Graph()
    hop.add_nodes_from(sorted(keep, key=str))
    for u, v in sorted({tuple(sorted((u, v), key=str)) for u, v in pairs if u != v}, key=str):
        if u in keep and v in keep:
            hop.add_edge(u, v, weight=1 if _is_event(g, u) or _is_event(g, v) else 2)
    return hop


# --- neighbours and paths -----------------------------------------------------------------


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
    start = _find_one(g, name)
    _, paths = nx.single_source_dijkstra(_hop_graph(g), start, cutoff=2 * hops, weight="weight")
    found = []
    for node, path in paths.items():
        if node == start:
            continue
        attrs = g.nodes[node]
        steps = tuple(_step(g, a, b) for a, b in itertools.pairwise(path))
        found.append(Neighbor(
            iri=node, label=_label(g, node), type=str(attrs.get("type", "")),
            event_type=attrs.get("event_type"), hops=_hops(g, path), via=steps,
        ))
    found.sort(key=lambda n: (n.hops, n.type == EVENT, n.label.casefold(), n.iri))
    return Neighborhood(iri=start, label=_label(g, start), hops=hops, neighbors=tuple(found))


def _hops(g: nx.MultiDiGraph, path: list[Any]) -> int:
    """Hops along a walk: entity-entity edges count 1, actor-event links a half each."""
    weight = sum(1 if _is_event(g, a) or _is_event(g, b) else 2 for a, b in itertools.pairwise(path))
    return (weight + 1) // 2


def _step(g: nx.MultiDiGraph, a: Any, b: Any) -> Step:
    forward = g.has_edge(a, b)
    data = g.get_edge_data(a, b) if forward else g.get_edge_data(b, a)
    relations = sorted({str(attrs.get("relation", "related")) for attrs in data.values()})
    event = g.nodes[b] if _is_event(g, b) else {}
    return Step(iri=b, label=_label(g, b), relation=", ".join(relations), forward=forward,
                event_type=event.get("event_type"), modality=event.get("modality"))


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
    start, end = _find_one(g, a), _find_one(g, b)
    if start == end:
        raise KGError(f"'{a}' and '{b}' are the same entity ({_label(g, start)})")
    walks = nx.all_shortest_paths(_hop_graph(g), start, end, weight="weight")
    try:
        found = list(itertools.islice(walks, limit))
    except nx.NetworkXNoPath:
        found = []
    paths = sorted((_entity_path(g, walk) for walk in found), key=_path_order)
    return PathReport(source=_label(g, start), target=_label(g, end), paths=tuple(paths))


def _path_order(path: EntityPath) -> tuple:
    """Paths through things that happened first (a call before a planned meeting), then the
    better attested, then by name."""
    unsure = sum(1 for h in path.hops if h.modality not in (None, HAPPENED))
    confidence = sum(h.confidence or 0.0 for h in path.hops)
    return unsure, -round(confidence, 6), tuple((h.relation, h.target, h.event or "") for h in path.hops)


def _entity_path(g: nx.MultiDiGraph, walk: list[Any]) -> EntityPath:
    hops, i = [], 0
    while i < len(walk) - 1:
        if _is_event(g, walk[i + 1]):
            hops.append(_event_hop(g, walk[i], walk[i + 1], walk[i + 2]))
            i += 2
        else:
            hops.append(_edge_hop(g, walk[i], walk[i + 1]))
            i += 1
    return EntityPath(nodes=tuple(walk), hops=tuple(hops))


def _event_hop(g: nx.MultiDiGraph, a: Any, event: Any, b: Any) -> Hop:
    def role(actor: Any) -> str:
        links = g.get_edge_data(actor, event) or g.get_edge_data(event, actor) or {}
        return sorted(str(attrs.get("relation")) for attrs in links.values())[0]

    ra, rb = role(a), role(b)
    arrow = "→" if ra == "agent" != rb else "←" if rb == "agent" != ra else "—"
    info = g.nodes[event]
    return Hop(
        source=_label(g, a), target=_label(g, b), relation=str(info.get("event_type", EVENT)),
        arrow=arrow, event=_label(g, event), modality=info.get("modality"),
        sentence=info.get("sentence"), article_title=info.get("article_title"),
        article_url=info.get("article_url"), date=info.get("date"),
        confidence=info.get("confidence"),
    )


def _edge_hop(g: nx.MultiDiGraph, a: Any, b: Any) -> Hop:
    links = [("→", attrs) for attrs in (g.get_edge_data(a, b) or {}).values()]
    links += [("←", attrs) for attrs in (g.get_edge_data(b, a) or {}).values()]
    arrow, attrs = min(links, key=lambda la: (la[0] != "→", -(la[1].get("confidence") or 0.0),
                                               str(la[1].get("relation"))))
    return Hop(
        source=_label(g, a), target=_label(g, b), relation=str(attrs.get("relation", "related")),
        arrow=arrow, event=None, modality=None, sentence=attrs.get("sentence"),
        article_title=attrs.get("article_title"), article_url=attrs.get("article_url"),
        date=attrs.get("date"), confidence=attrs.get("confidence"),
    )


# --- timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One event: `when` is its ISO date (kg:date, else the article's), `time` its words."""

    when: str | None
    time: str | None
    event: str
    iri: str
    event_type: str
    modality: str
    agents: tuple[str, ...]
    targets: tuple[str, ...]
    places: tuple[str, ...]
    article_title: str | None
    source: str | None
    article_url: str | None
    sentence: str | None


def timeline(g: nx.MultiDiGraph, entity: str | None = None) -> list[TimelineEntry]:
    """Events in date order, undated ones last; only those of `entity` if given.

    Needs the n-ary projection (`project(store)`), where events are nodes."""
    events = sorted(n for n, a in g.nodes(data=True) if a.get("type") == EVENT)
    if entity is not None:
        who = _find_one(g, entity)
        events = [e for e in events if g.has_edge(who, e) or g.has_edge(e, who)]
    entries = []
    for event in events:
        attrs = g.nodes[event]
        roles: dict[str, list[str]] = {"agent": [], "target": [], "place": []}
        for actor, _, link in g.in_edges(event, data=True):
            roles.setdefault(link.get("relation"), []).append(_label(g, actor))
        for _, actor, link in g.out_edges(event, data=True):
            roles.setdefault(link.get("relation"), []).append(_label(g, actor))
        entries.append(TimelineEntry(
            when=attrs.get("when"), time=attrs.get("time_text"), event=_label(g, event),
            iri=event, event_type=str(attrs.get("event_type", EVENT)),
            modality=str(attrs.get("modality", "")),
            agents=tuple(sorted(set(roles["agent"]))), targets=tuple(sorted(set(roles["target"]))),
            places=tuple(sorted(set(roles["place"]))), article_title=attrs.get("article_title"),
            source=attrs.get("source"), article_url=attrs.get("article_url"),
            sentence=attrs.get("sentence"),
        ))
    entries.sort(key=lambda e: (e.when is None, e.when or "", e.event.casefold(), e.iri))
    return entries


# --- centrality and statistics ------------------------------------------------------------


def degree(g: nx.MultiDiGraph) -> dict[Any, float]:
    """Links per node, parallel edges each counted."""
    return {node: float(d) for node, d in g.degree()}


def pagerank(g: nx.MultiDiGraph, *, alpha: float = 0.85, tol: float = 1e-10) -> dict[Any, float]:
    """PageRank by power iteration, parallel edges adding weight; scaled so the mean is 1.

    networkx's `pagerank` needs scipy, which kg does not depend on.
    """
    nodes = sorted(g.nodes, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    src = np.fromiter((index[u] for u, _ in g.edges()), dtype=np.int64)
    dst = np.fromiter((index[v] for _, v in g.edges()), dtype=np.int64)
    out_degree = np.bincount(src, minlength=n).astype(float)
    dangling = out_degree == 0
    share = np.divide(1.0, out_degree, out=np.zeros(n), where=~dangling)
    rank = np.full(n, 1.0 / n)
    for _ in range(200):
        spread = np.bincount(dst, weights=rank[src] * share[src], minlength=n)
        new = alpha * spread + (alpha * rank[dangling].sum() + 1.0 - alpha) / n
        done = np.abs(new - rank).sum() < n * tol
        rank = new
        if done:
            break
    return {node: float(rank[i] * n) for node, i in index.items()}


@dataclass(frozen=True)
class Ranked:
    iri: str
    label: str
    type: str
    score: float


@dataclass(frozen=True)
class GraphStats:
    """What `kg stats` reports. Centrality and structure are measured on the n-ary graph
    (entities and events); the rankings and groups list entities only."""

    entities: dict[str, int]
    events: dict[str, int]
    relations: dict[str, int]
    degree: tuple[Ranked, ...]
    pagerank: tuple[Ranked, ...]
    betweenness: tuple[Ranked, ...]
    components: tuple[int, ...]
    communities: tuple[tuple[str, ...], ...]
    louvain_seed: int = 0


def graph_stats(store: Store, *, top: int = 10, seed: int = 0) -> GraphStats:
    """Counts by class, the `top` most central entities, components and communities."""
    if top < 1:
        raise KGError(f"top must be 1 or more, not {top}")
    g = project(store)
    hop = _hop_graph(g)
    entities = [n for n in g.nodes if not _is_event(g, n)]

    def ranked(scores: dict[Any, float]) -> tuple[Ranked, ...]:
        best = sorted(entities, key=lambda n: (-round(scores.get(n, 0.0), 9), _label(g, n), n))
        return tuple(Ranked(iri=n, label=_label(g, n), type=g.nodes[n]["type"],
                            score=round(scores.get(n, 0.0), 4)) for n in best[:top])

    sample = BETWEENNESS_SAMPLE if hop.number_of_nodes() > BETWEENNESS_SAMPLE else None
    betweenness = nx.betweenness_centrality(hop, k=sample, weight="weight", seed=seed)
    components = sorted(
        (sum(1 for n in c if not _is_event(g, n)) for c in nx.connected_components(hop)),
        reverse=True,
    )
    communities = [
        tuple(sorted((_label(g, n) for n in c if not _is_event(g, n)), key=str.casefold))
        for c in nx.community.louvain_communities(hop, weight=None, seed=seed)
    ]
    relations = {_local(row["p"]): int(row["n"]) for row in _records(store, SHORTCUT_COUNTS)}
    roles = sum(1 for *_, a in g.edges(data=True) if a.get("kind") == "role")
    if roles:
        relations["holdsRole"] = roles
    return GraphStats(
        entities=_counted(g.nodes[n]["type"] for n in entities),
        events=_counted(g.nodes[n].get("event_type", EVENT) for n in g.nodes if _is_event(g, n)),
        relations=dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
        degree=ranked(degree(g)),
        pagerank=ranked(pagerank(g)),
        betweenness=ranked(betweenness),
        components=tuple(c for c in components if c),
        communities=tuple(sorted((c for c in communities if c), key=lambda c: (-len(c), c))),
        louvain_seed=seed,
    )


def _counted(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


# --- text ---------------------------------------------------------------------------------


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return lines


def _short(text: str | None, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _counts(counts: dict[str, int]) -> str:
    return f"{sum(counts.values())}" + (
        " (" + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")" if counts else ""
    )


def format_stats(stats: GraphStats, fmt: str = "table") -> str:
    """`kg stats` output: an aligned report, or JSON."""
    if fmt == "json":
        return json.dumps(asdict(stats), indent=2, ensure_ascii=False) + "\n"
    if fmt != "table":
        raise KGError(f"unknown format '{fmt}'; use one of table, json")
    singletons = sum(1 for c in stats.components if c == 1)
    groups = [c for c in stats.communities if len(c) > 1]
    lines = [
        f"entities: {_counts(stats.entities)}",
        f"events: {_counts(stats.events)}",
        f"relations: {_counts(stats.relations)}",
        f"components: {len(stats.components)} (entities in each: "
        f"{', '.join(str(c) for c in stats.components if c > 1) or 'none linked'}"
        f"{f'; {singletons} unlinked' if singletons else ''})",
        f"communities (Louvain, seed {stats.louvain_seed}): {len(groups)} of 2 or more entities",
    ]
    lines += [f"  {i}. {', '.join(c)}" for i, c in enumerate(groups, 1)]
    if not stats.degree:
        return "\n".join(lines) + "\n"
    lines += ["", "most central entities"]
    columns = [stats.degree, stats.pagerank, stats.betweenness]
    rows = []
    for i in range(max(len(c) for c in columns)):
        row = [str(i + 1)]
        for column, digits in zip(columns, (0, 2, 3)):
            rank = column[i] if i < len(column) else None
            row.append(f"{rank.label} ({rank.score:.{digits}f})" if rank else "")
        rows.append(row)
    lines += _table(["#", "degree", "pagerank", "betweenness"], rows)
    return "\n".join(lines) + "\n"


def _walk(start: str, steps: Iterable[Step]) -> str:
    """`Shigeru Ishiba —agent→ [PhoneCall] —target→ Donald Trump`: events by their type."""
    text = start
    for step in steps:
        text += f" —{step.relation}→ " if step.forward else f" ←{step.relation}— "
        text += f"[{_caption(step.event_type, step.modality)}]" if step.event_type else step.label
    return text


def format_neighbors(hood: Neighborhood) -> str:
    """`kg neighbors` output: one line per entity or event, with the way to it."""
    if not hood.neighbors:
        return f"{hood.label} has no links in the graph\n"
    rows = [
        [str(n.hops), n.label if n.type != EVENT else _short(n.label, 50),
         f"{n.type} ({n.event_type})" if n.event_type else n.type, _walk(hood.label, n.via)]
        for n in hood.neighbors
    ]
    lines = _table(["hops", "name", "type", "via"], rows)
    entities = sum(1 for n in hood.neighbors if n.type != EVENT)
    events = len(hood.neighbors) - entities
    lines.append(f"({entities} entities and {events} events within {hood.hops} "
                 f"hop{'s' if hood.hops != 1 else ''} of {hood.label})")
    return "\n".join(lines) + "\n"


def format_paths(report: PathReport) -> str:
    """`kg path` output: each path, then each hop with its evidence."""
    if not report.paths:
        return f"no path between {report.source} and {report.target} in the graph\n"
    count = len(report.paths)
    hops = len(report.paths[0].hops)
    lines = [f"{count} shortest path{'s' if count != 1 else ''} between {report.source} and "
             f"{report.target}, {hops} hop{'s' if hops != 1 else ''} each"]
    for number, path in enumerate(report.paths, 1):
        lines.append("")
        lines.append(f"path {number}: " + " ".join(
            [path.hops[0].source] + [f"{h.arrow} {_relation(h)} {h.arrow} {h.target}" for h in path.hops]
        ))
        for i, hop in enumerate(path.hops, 1):
            lines.append(f"  {i}. {hop.source} {hop.arrow} {_relation(hop)} {hop.arrow} {hop.target}")
            if hop.sentence:
                lines.append(f"     evidence: “{' '.join(hop.sentence.split())}”")
            source = [hop.article_title or "", hop.date or "",
                      f"confidence {hop.confidence:g}" if hop.confidence is not None else ""]
            if any(source):
                lines.append("     article:  " + " · ".join(s for s in source if s))
    return "\n".join(lines) + "\n"


def _relation(hop: Hop) -> str:
    return _caption(hop.relation, hop.modality) if hop.event else hop.relation


def _caption(event_type: str, modality: str | None) -> str:
    """`Meeting (planned)`; events that happened go by their type alone."""
    if modality and modality != HAPPENED:
        return f"{event_type} ({modality.lower()})"
    return event_type


def format_timeline(entries: list[TimelineEntry]) -> str:
    """`kg timeline` output: date, type, modality, who, and the article it comes from."""
    if not entries:
        return "no events in the graph\n"
    rows = []
    for e in entries:
        when = e.when or (f"undated ({e.time})" if e.time else "undated")
        who = ", ".join(e.agents)
        if e.targets:
            who += (" → " if who else "→ ") + ", ".join(e.targets)
        if e.places:
            who += f" in {', '.join(e.places)}"
        source = _short(e.article_title, 60) + (f" ({e.source})" if e.source else "")
        rows.append([when, e.event_type, e.modality.lower(), who, source])
    lines = _table(["date", "event", "modality", "participants", "source"], rows)
    lines.append(f"({len(entries)} event{'s' if len(entries) != 1 else ''})")
    return "\n".join(lines) + "\n"


# --- GraphML and GEXF ---------------------------------------------------------------------


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
        plain[key] = value
    return plain
