"""The RDF graph projected into networkx, its nodes and edges typed records.

`project` reads the store into a `MultiDiGraph`. Entities are nodes (`EntityNode`: label,
type, aliases); roles are edges from the person to the country or organisation. Events are
either nodes (`EventNode`) linked to their actors by `agent`, `target` and `place` edges (the
n-ary view, the default) or, with `events=False`, the shortcut edges between actors
(`spokeWith`, `supports`, ...: the simple view). Every fact (event node, role edge, shortcut
edge: `FactEdge`) carries its evidence: `sentence`, `article_title`, `article_url`,
`confidence`, `rule`, and `when`, its ISO date (the event's kg:date, else the article's
kg:published, else absent).

The records are stored as the nodes' and edges' networkx attributes (absent values left
out), so the graph is a plain networkx graph for any other tool, and read back with
`node_record` and `edge_record`.

Distances count hops between entities, so both views agree: a role or shortcut edge is one
hop, and so is passing through an event from one of its actors to another (Ishiba, the
call, Trump). In `hop_graph` an actor-event link weighs 1 and an entity-entity edge 2, and a
distance of 2n is n hops.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.model import EntityType
from kg.rdf.ontology import event_parents
from kg.store import Store

if TYPE_CHECKING:
    from rdflib.term import Node

EVENT = "Event"
HAPPENED = "Happened"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")

_ARTICLE = """
  ?ev kg:sentence ?sentence ; kg:confidence ?confidence ; kg:rule ?rule ; kg:article ?article .
  ?article kg:title ?title .
  OPTIONAL { ?article kg:url ?url }
  OPTIONAL { ?article kg:published ?published }
  OPTIONAL { ?article kg:source ?source }
  OPTIONAL { ?article kg:origin ?origin }"""

ENTITIES = """
SELECT ?node ?type ?name WHERE {
  VALUES ?type { """ + " ".join(f"kg:{kind}" for kind in EntityType) + """ }
  ?node a ?type ; kg:name ?name .
}"""

ALIASES = "SELECT ?node ?alias WHERE { ?node kg:name ?name ; kg:alias ?alias }"

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


# --- records ------------------------------------------------------------------------------


class _Record:
    """A node's or edge's attributes as a frozen dataclass (absent values are None)."""

    def attrs(self) -> dict[str, Any]:
        """The networkx attributes: the fields in order, absent ones left out."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    @classmethod
    def of(cls, attrs: Mapping[str, Any]):
        """The record of attributes given (unknown ones ignored, missing ones absent)."""
        return cls(**{f.name: attrs[f.name] for f in fields(cls) if f.name in attrs})


@dataclass(frozen=True, kw_only=True)
class EntityNode(_Record):
    label: str | None = None
    type: str | None = None  # an EntityType value
    aliases: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class EventNode(_Record):
    label: str | None = None
    type: str = EVENT
    event_type: str | None = None  # its ontology class: PhoneCall, Tariff, ...
    modality: str | None = None  # Happened, Planned, Hypothetical, Negated
    date: str | None = None  # its ISO date, else its time as written
    time_text: str | None = None
    sentence: str | None = None
    confidence: float | None = None
    rule: str | None = None
    article: str | None = None
    article_title: str | None = None
    article_url: str | None = None
    published: str | None = None
    source: str | None = None
    origin: str | None = None
    when: str | None = None  # ISO date: the event's, else its article's


# Each kind of edge lists its attributes in the order it always has (interchange formats
# write them in that order).
_EDGE_ORDER = {
    "role": ("kind", "relation", "sentence", "confidence", "rule", "article", "article_title",
             "article_url", "published", "source", "origin", "when"),
    "event": ("kind", "relation", "sentence", "date", "confidence", "rule", "article_title",
              "article_url", "when"),
    "shortcut": ("kind", "relation", "event", "event_type", "sentence", "confidence", "rule", "article",
                 "article_title", "article_url", "published", "source", "origin", "when", "date"),
}


@dataclass(frozen=True, kw_only=True)
class FactEdge(_Record):
    """A role (person to country or organisation), an event's link to an actor (`agent`,
    `target`, `place`), or a shortcut between actors (`spokeWith`), with its evidence."""

    kind: str | None = None  # "role", "event" or "shortcut"
    relation: str | None = None  # the role's title, the link's role, or the shortcut property
    event: str | None = None  # a shortcut's event IRI
    event_type: str | None = None
    sentence: str | None = None
    date: str | None = None
    confidence: float | None = None
    rule: str | None = None
    article: str | None = None
    article_title: str | None = None
    article_url: str | None = None
    published: str | None = None
    source: str | None = None
    origin: str | None = None
    when: str | None = None

    def attrs(self) -> dict[str, Any]:
        order = _EDGE_ORDER.get(self.kind or "", tuple(f.name for f in fields(self)))
        return {name: getattr(self, name) for name in order if getattr(self, name) is not None}


def is_event(attrs: Mapping[str, Any]) -> bool:
    return attrs.get("type") == EVENT


def node_record(attrs: Mapping[str, Any]) -> EntityNode | EventNode:
    """A node's record: an event's or an entity's."""
    return EventNode.of(attrs) if is_event(attrs) else EntityNode.of(attrs)


def edge_record(attrs: Mapping[str, Any]) -> FactEdge:
    return FactEdge.of(attrs)


# --- projection ---------------------------------------------------------------------------


def project(store: Store, *, events: bool = True) -> nx.MultiDiGraph:
    """Entities as nodes; roles and either event nodes (n-ary) or shortcut edges (simple).

    `graph.graph["event_classes"]` maps each event class of the ontology to its parent
    (`{"PhoneCall": "Consult", "Consult": "Event", ...}`), for filters on event types.
    """
    graph = nx.MultiDiGraph()
    graph.graph["event_classes"] = dict(event_parents())
    aliases: dict[str, list[str]] = {}
    for row in records(store, ALIASES):
        aliases.setdefault(str(row["node"]), []).append(str(row["alias"]))
    for row in records(store, ENTITIES):
        node = str(row["node"])
        entity = EntityNode(label=str(row["name"]), type=local_name(row["type"]),
                            aliases=tuple(sorted(set(aliases.get(node, ())))))
        graph.add_node(node, **entity.attrs())
    for row in records(store, ROLES):
        role = FactEdge(kind="role", relation=str(row["roleTitle"]), **_evidence(row))
        graph.add_edge(str(row["person"]), str(row["org"]), **role.attrs())
    if events:
        _add_events(store, graph)
    else:
        _add_shortcuts(store, graph)
    return graph


def records(store: Store, sparql: str) -> list[dict[str, Node | None]]:
    """Rows as dicts, in a fixed order: the store's row order is not part of its contract."""
    results = store.query(sparql)
    rows = sorted(results.rows, key=lambda row: tuple("" if t is None else str(t) for t in row))
    return [dict(zip(results.variables, row)) for row in rows]


def local_name(term: Node | str | None) -> str:
    return re.split(r"[#/]", str(term))[-1] if term is not None else ""


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _day(value: Any) -> str | None:
    """The ISO date at the start of a date or date-time, if there is one."""
    match = _ISO_DAY.match(str(value)) if value is not None else None
    return match.group(0) if match else None


def _evidence(row: dict[str, Node | None], *, event_date: Node | None = None) -> dict[str, Any]:
    """The evidence fields of a fact's record."""
    return {
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


def _add_events(store: Store, graph: nx.MultiDiGraph) -> None:
    for row in records(store, EVENTS):
        iri = str(row["event"])
        if iri in graph:  # a second evidence for the same event: the first (sorted) stands
            continue
        time_text = _text(row["time"])
        event = EventNode(label=str(row["label"]), event_type=local_name(row["type"]),
                          modality=local_name(row["modality"]), date=_day(row["date"]) or time_text,
                          time_text=time_text, **_evidence(row, event_date=row["date"]))
        graph.add_node(iri, **event.attrs())
    for row in records(store, EVENT_ROLES):
        iri, actor, relation = str(row["event"]), str(row["actor"]), local_name(row["role"])
        if iri not in graph or actor not in graph:
            continue
        event = EventNode.of(graph.nodes[iri])
        source, target = (actor, iri) if relation == "agent" else (iri, actor)
        link = FactEdge(kind="event", relation=relation, sentence=event.sentence, date=event.date,
                        confidence=event.confidence, rule=event.rule, article_title=event.article_title,
                        article_url=event.article_url, when=event.when)
        graph.add_edge(source, target, **link.attrs())


def _add_shortcuts(store: Store, graph: nx.MultiDiGraph) -> None:
    """One edge per shortcut triple and event behind it, with that event's evidence."""
    seen: set[tuple[str, str, str, str]] = set()
    for row in records(store, SHORTCUTS):
        s, o, relation = str(row["s"]), str(row["o"]), local_name(row["p"])
        key = (s, relation, o, _text(row["event"]) or "")
        if key in seen or s not in graph or o not in graph:
            continue
        seen.add(key)
        if row["event"] is None:
            edge = FactEdge(kind="shortcut", relation=relation)
        else:
            edge = FactEdge(kind="shortcut", relation=relation, event=str(row["event"]),
                            event_type=local_name(row["class"]), date=_day(row["date"]),
                            **_evidence(row, event_date=row["date"]))
        graph.add_edge(s, o, **edge.attrs())


# --- distances ----------------------------------------------------------------------------


def hop_graph(g: nx.MultiDiGraph, *, nodes: Iterable[Any] | None = None,
              edges: Iterable[tuple] | None = None) -> nx.Graph:
    """Undirected distances: actor-event links weigh 1, entity-entity edges 2 (one hop).

    Nodes and edges go in sorted, so every algorithm that walks the graph walks it the same
    way each time (Louvain and path enumeration depend on that order)."""
    keep = set(g.nodes if nodes is None else nodes)
    pairs = ((u, v) for u, v, *_ in (g.edges(keys=True) if edges is None else edges))
    hop = nx.Graph()
    hop.add_nodes_from(sorted(keep, key=str))
    for u, v in sorted({tuple(sorted((u, v), key=str)) for u, v in pairs if u != v}, key=str):
        if u in keep and v in keep:
            hop.add_edge(u, v, weight=1 if is_event(g.nodes[u]) or is_event(g.nodes[v]) else 2)
    return hop
