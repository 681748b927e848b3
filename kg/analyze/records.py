"""The typed records that the projection's nodes and edges carry.

A node is an entity (`EntityNode`, with a `type` among kg's entity classes), a thing an
actor acts on (`EntityNode` of type `Thing`: a law, a lawsuit) or an event (`EventNode`,
type `Event`; an open relation is an event of class `Action` with its verb as `lemma`).
An edge is a `FactEdge`. The records are stored as networkx attributes (absent values left
out) and read back with `node_record` and `edge_record`. The evidence behind each event, all
of it, and the articles it came from are kept beside the graph (`graph.graph["evidence"]`,
`graph.graph["articles"]`) as `Evidence` and `ArticleInfo` records.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from typing import TYPE_CHECKING, Any

from kg.model import EntityType

if TYPE_CHECKING:
    import networkx as nx

EVENT = "Event"
HAPPENED = "Happened"
THING = "Thing"
# The colour of each node type, on the page and in Gephi: colour-blind-safe where it matters
# most (Okabe-Ito first, then Tableau); "Other" is grey.
TYPE_COLOURS: dict[str, str] = {
    EntityType.PERSON: "#0072B2",
    EntityType.COUNTRY: "#E69F00",
    EntityType.ORGANIZATION: "#009E73",
    EntityType.LOCATION: "#56B4E9",
    EntityType.GROUP: "#CC79A7",
    EVENT: "#D55E00",
    "Topic": "#8C6BB1",
    "Role": "#B8A000",
    THING: "#8D8D8D",
    "Other": "#9E9E9E",
}
ACTION = "Action"  # an open relation: a verb no event class reads


class _Record:
    """A node's or edge's attributes as a frozen dataclass (absent values are None)."""

    def attrs(self) -> dict[str, Any]:
        """The networkx attributes: the fields in order, absent ones left out."""
        values = self.__dict__
        return {name: values[name] for name in _field_order(type(self)) if values[name] is not None}

    @classmethod
    def of(cls, attrs: Mapping[str, Any]):
        """The record of attributes given (unknown ones ignored, missing ones absent)."""
        names = _field_names(cls)
        return cls(**{name: value for name, value in attrs.items() if name in names})


@cache
def _field_order(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(_field_order(cls))


@dataclass(frozen=True, kw_only=True)
class EntityNode(_Record):
    label: str | None = None
    type: str | None = None  # an EntityType value, or Thing
    aliases: tuple[str, ...] | None = None
    articles: tuple[str, ...] | None = None  # the articles that name it, by IRI
    same_as: tuple[str, ...] | None = None  # entities merged into this one (kg merge)


@dataclass(frozen=True, kw_only=True)
class EventNode(_Record):
    label: str | None = None
    type: str = EVENT
    event_type: str | None = None  # its ontology class: PhoneCall, Tariff, Action, ...
    lemma: str | None = None  # an open relation's verb: "sign", "rule on"
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
    articles: tuple[str, ...] | None = None  # every article that reports it, by IRI
    same_as: tuple[str, ...] | None = None  # events merged into this one (kg merge)


# Each kind of edge lists its attributes in the order it always has (interchange formats
# write them in that order).
_EDGE_ORDER = {
    "role": ("kind", "relation", "sentence", "confidence", "rule", "article", "article_title",
             "article_url", "published", "source", "origin", "when"),
    "event": ("kind", "relation", "sentence", "date", "confidence", "rule", "article_title",
              "article_url", "when"),
    "shortcut": ("kind", "relation", "event", "event_type", "sentence", "confidence", "rule", "article",
                 "article_title", "article_url", "published", "source", "origin", "when", "date"),
    "concerns": ("kind", "relation"),
}


@dataclass(frozen=True, kw_only=True)
class FactEdge(_Record):
    """A role (person to country or organisation), an event's link to an actor (`agent`,
    `target`, `place`) or to a thing (`object`), a shortcut between actors (`spokeWith`),
    or what a thing concerns (`concerns`), with its evidence."""

    kind: str | None = None  # "role", "event", "shortcut" or "concerns"
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
        values = self.__dict__
        order = _EDGE_ORDER.get(self.kind or "") or _field_order(FactEdge)
        return {name: values[name] for name in order if values[name] is not None}


@dataclass(frozen=True)
class Evidence:
    """One reading of a fact: the sentence, the rule and its confidence, the article."""

    sentence: str
    confidence: float
    rule: str
    article: str


@dataclass(frozen=True)
class ArticleInfo:
    title: str
    url: str | None = None
    published: str | None = None  # ISO date
    source: str | None = None
    origin: str | None = None


def is_event(attrs: Mapping[str, Any]) -> bool:
    return attrs.get("type") == EVENT


def is_thing(attrs: Mapping[str, Any]) -> bool:
    return attrs.get("type") == THING


def is_entity(attrs: Mapping[str, Any]) -> bool:
    """An actor or place: neither an event nor a thing."""
    return attrs.get("type") not in (EVENT, THING)


def node_record(attrs: Mapping[str, Any]) -> EntityNode | EventNode:
    """A node's record: an event's, or an entity's (a thing's too)."""
    return EventNode.of(attrs) if is_event(attrs) else EntityNode.of(attrs)


def edge_record(attrs: Mapping[str, Any]) -> FactEdge:
    return FactEdge.of(attrs)


def family(event_type: str | None, parents: Mapping[str, str]) -> str:
    """The event's family: its class's ancestor just below Event (`PhoneCall` -> `Consult`)."""
    cls, seen = event_type or EVENT, set()
    while parents.get(cls, EVENT) != EVENT and cls not in seen:
        seen.add(cls)
        cls = parents[cls]
    return cls


def event_roles(g: nx.MultiDiGraph, event: Any) -> dict[str, list[Any]]:
    """An event's nodes by role: agents, targets, places, objects (things), and any other."""
    roles: dict[str, set[Any]] = {}
    # (networkx's own adjacency dicts: a view made for each of thousands of events costs
    # more than reading them)
    for neighbours, default in ((g._pred[event], "agent"), (g._succ[event], "target")):
        for other, links in neighbours.items():
            for link in links.values():
                roles.setdefault(str(link.get("relation") or default), set()).add(other)
    return {role: sorted(members, key=str) for role, members in sorted(roles.items())}
