"""Events in date order, with who took part and the article each comes from."""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from kg.analyze.names import find_one, label
from kg.analyze.projection import ACTION, EVENT, EventNode, edge_record, is_event


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
    objects: tuple[str, ...]  # the things it acts on
    lemma: str | None  # an open relation's verb
    articles: int  # how many articles report it
    article_title: str | None
    source: str | None
    article_url: str | None
    sentence: str | None


def timeline(g: nx.MultiDiGraph, entity: str | None = None, *, open_relations: bool = True) -> list[TimelineEntry]:
    """Events in date order, undated ones last; only those of `entity` if given; open
    relations (kg:Action) unless `open_relations` is False.

    Needs the n-ary projection (`project(store)`), where events are nodes."""
    events = sorted(n for n, a in g.nodes(data=True)
                    if is_event(a) and (open_relations or a.get("event_type") != ACTION))
    if entity is not None:
        who = find_one(g, entity)
        events = [e for e in events if g.has_edge(who, e) or g.has_edge(e, who)]
    entries = [_entry(g, event) for event in events]
    entries.sort(key=lambda e: (e.when is None, e.when or "", e.event.casefold(), e.iri))
    return entries


def _entry(g: nx.MultiDiGraph, iri: str) -> TimelineEntry:
    event = EventNode.of(g.nodes[iri])
    roles: dict[str | None, list[str]] = {"agent": [], "target": [], "place": [], "object": []}
    for actor, _, link in g.in_edges(iri, data=True):
        roles.setdefault(edge_record(link).relation, []).append(label(g, actor))
    for _, actor, link in g.out_edges(iri, data=True):
        roles.setdefault(edge_record(link).relation, []).append(label(g, actor))
    return TimelineEntry(
        when=event.when, time=event.time_text, event=label(g, iri), iri=iri,
        event_type=str(event.event_type or EVENT), modality=str(event.modality or ""),
        agents=tuple(sorted(set(roles["agent"]))), targets=tuple(sorted(set(roles["target"]))),
        places=tuple(sorted(set(roles["place"]))), objects=tuple(sorted(set(roles["object"]))),
        lemma=event.lemma, articles=len(event.articles or ()) or 1, article_title=event.article_title,
        source=event.source, article_url=event.article_url, sentence=event.sentence,
    )
