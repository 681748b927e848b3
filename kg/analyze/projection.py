"""The RDF graph projected into networkx, its nodes and edges typed records (`records`).

`project` reads the store into a `MultiDiGraph`. Entities are nodes (`EntityNode`: label,
type, aliases, the articles that name them); roles are edges from the person to the country
or organisation. Events are either nodes (`EventNode`) linked to their actors by `agent`,
`target` and `place` edges, and to the things they act on by `object` edges (the n-ary view,
the default) or, with `events=False`, the shortcut edges between actors (`spokeWith`,
`supports`, ...: the simple view). Things (`Thing` nodes) link to the entities they concern.
Every fact (event node, role edge, shortcut edge: `FactEdge`) carries its evidence:
`sentence`, `article_title`, `article_url`, `confidence`, `rule`, and `when`, its ISO date
(the event's kg:date, else the article's kg:published, else absent). An event read in several
articles keeps all its evidence in `graph.graph["evidence"]`.

Unless `merge=False`, entities and events that `kg.analyze.merge` finds to be the same are
folded into one node (the others' IRIs in `same_as`, their evidence kept).

Each query is one group of required patterns, with OPTIONALs after them, and the rows are
joined here: Oxigraph's planner ran the single EVENTS query with OPTIONALs first for 591 s
on 500 articles (see docs/view.md for each query's cost at 5,000 articles).

Distances count hops between entities, so both views agree: a role or shortcut edge is one
hop, and so is passing through an event from one of its actors to another (Ishiba, the
call, Trump). In `hop_graph` an actor-event link weighs 1 and an entity-entity edge 2, and a
distance of 2n is n hops.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from itertools import product
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.analyze.merge import apply_merges, plan_merges
from kg.analyze.records import (
    ACTION, EVENT, HAPPENED, THING, ArticleInfo, EntityNode, EventNode, Evidence, FactEdge, edge_record,
    event_roles, family, is_entity, is_event, is_thing, node_record,
)
from kg.model import EntityType
from kg.rdf.ontology import event_parents
from kg.store import Store

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = ["ACTION", "EVENT", "HAPPENED", "THING", "ArticleInfo", "EntityNode", "EventNode", "Evidence",
           "FactEdge", "actor_graph", "edge_record", "event_pairs", "event_roles", "family", "hop_graph", "is_entity", "is_event", "is_thing",
           "local_name", "node_record", "project", "records"]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")

ENTITIES = """
SELECT ?node ?type ?name WHERE {
  VALUES ?type { """ + " ".join(f"kg:{kind}" for kind in EntityType) + """ }
  ?node a ?type ; kg:name ?name .
}"""
ALIASES = "SELECT ?node ?alias WHERE { ?node kg:alias ?alias }"
MENTIONS = "SELECT ?node ?graph WHERE { GRAPH ?graph { ?node kg:name ?name } }"
ARTICLES = """
SELECT ?article ?title ?url ?published ?source ?origin WHERE {
  ?article kg:title ?title .
  OPTIONAL { ?article kg:url ?url }
  OPTIONAL { ?article kg:published ?published }
  OPTIONAL { ?article kg:source ?source }
  OPTIONAL { ?article kg:origin ?origin }
}"""
# An event's modality, class and label, one pattern a query: three scans cost half their join.
MODALITIES = "SELECT ?event ?modality WHERE { ?event kg:modality ?modality }"
_PARENTS = event_parents()
EVENT_CLASSES = ("SELECT ?event ?type WHERE { VALUES ?type { "
                 + " ".join(f"kg:{c}" for c in sorted(set(_PARENTS) | set(_PARENTS.values()))) + " } ?event a ?type }")
LABELS = "SELECT ?node ?label WHERE { ?node rdfs:label ?label }"
# A fact's evidence, one property a query: the five scans, asked side by side, cost less than
# their join in one query (2.1 s at 5,000 articles), which is then made here by the node.
EVIDENCE = "SELECT ?fact ?ev WHERE { ?fact kg:evidence ?ev }"
EVIDENCE_FIELDS = {field: f"SELECT ?ev ?value WHERE {{ ?ev kg:{field} ?value }}"
                   for field in ("sentence", "confidence", "rule", "article")}
EVENT_DATES = "SELECT ?event ?date WHERE { ?event kg:date ?date }"
EVENT_TIMES = "SELECT ?event ?time WHERE { ?event kg:timeText ?time }"
LEMMAS = "SELECT ?event ?lemma WHERE { ?event kg:lemma ?lemma }"
EVENT_ROLES = """
SELECT ?event ?role ?actor WHERE {
  VALUES ?role { kg:agent kg:target kg:place kg:object }
  ?event ?role ?actor .
}"""
PARTICIPANTS = "SELECT ?event ?actor WHERE { ?event kg:participant ?actor }"
THINGS = "SELECT ?thing ?label WHERE { ?thing a kg:Thing ; rdfs:label ?label }"
CONCERNS = "SELECT ?thing ?entity WHERE { ?thing a kg:Thing ; kg:concerns ?entity }"
ROLES = """
SELECT ?role ?person ?org ?roleTitle WHERE { ?person kg:holdsRole ?role . ?role kg:roleTitle ?roleTitle ; kg:roleOf ?org }"""
SHORTCUTS = "SELECT ?s ?p ?o ?pattern WHERE { ?p kg:shortcutOf ?pattern . ?s ?p ?o }"
# The texts of the articles that name an acronym ({articles}: their IRIs), where it may be defined.
TEXTS = "SELECT ?article ?text WHERE {{ VALUES ?article {{ {articles} }} ?article kg:articleText ?text }}"
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")
# "the Revolutionary United Front (RUF)": capitalised words, then capitals in brackets
_DEFINED = re.compile(r"((?:[A-Z][\w'’.&-]*\s+(?:(?:of|the|and|for|on|de|du|des|la|le|del)\s+)*){1,8}[A-Z][\w'’.&-]*)"
                      r"\s*\(([A-Z][A-Z0-9&]{1,7})\)")
QUERIES = {"ENTITIES": ENTITIES, "ALIASES": ALIASES, "MENTIONS": MENTIONS, "ARTICLES": ARTICLES,
           "MODALITIES": MODALITIES, "EVENT_CLASSES": EVENT_CLASSES, "LABELS": LABELS, "EVIDENCE": EVIDENCE, **{f"EVIDENCE_{k.upper()}": q for k, q in EVIDENCE_FIELDS.items()},
           "EVENT_DATES": EVENT_DATES,
           "EVENT_TIMES": EVENT_TIMES, "LEMMAS": LEMMAS, "EVENT_ROLES": EVENT_ROLES,
           "PARTICIPANTS": PARTICIPANTS, "THINGS": THINGS,
           "CONCERNS": CONCERNS, "ROLES": ROLES, "SHORTCUTS": SHORTCUTS}

Progress = Callable[[str], None]


def project(store: Store, *, events: bool = True, merge: bool = True,
            progress: Progress | None = None) -> nx.MultiDiGraph:
    """Entities and things as nodes; roles and either event nodes (n-ary) or shortcut edges
    (simple). `progress` is told what is being read, step by step.

    `graph.graph["event_classes"]` maps each event class of the ontology to its parent
    (`{"PhoneCall": "Consult", "Consult": "Event", ...}`), for filters on event types;
    `graph.graph["articles"]` maps article IRIs to `ArticleInfo`, and
    `graph.graph["evidence"]` event IRIs to all their `Evidence`.
    """
    say = progress or (lambda _: None)
    graph = nx.MultiDiGraph()
    graph.graph["event_classes"] = dict(event_parents())
    # what is read first asked first, beside the longest answers
    fields = list(EVIDENCE_FIELDS.values())
    wanted = [ARTICLES, *fields[:2], ALIASES, MENTIONS, ENTITIES, THINGS, CONCERNS, EVIDENCE, *fields[2:], MODALITIES, EVENT_CLASSES, LABELS, ROLES,
              EVENT_ROLES, EVENT_DATES, EVENT_TIMES, LEMMAS, *(() if events else (PARTICIPANTS, SHORTCUTS))]
    with ReadAhead(store, wanted) as read:
        say("reading entities and articles")
        articles = _articles(read)
        graph.graph["articles"] = articles
        _add_entities(read, graph)
        graph.graph["acronyms"] = _acronyms(read, graph)
        say("reading evidence")
        evidence = _read_evidence(read)
        say("reading roles")
        _add_roles(read, graph, articles, evidence)
        say("reading events")
        facts = _read_events(read, graph, articles, evidence)
        if events:
            _add_events(graph, facts)
        else:
            say("reading shortcuts")
            _add_shortcuts(read, graph, facts)
    if merge:
        say("merging entities and events read in several articles")
        graph = apply_merges(graph, plan_merges(graph), copy=False)
    return graph


Read = Callable[[str], list[tuple[str | None, ...]]]


class ReadAhead:
    """The rows of a list of queries, asked of the store three at a time ahead of need: the
    engine answers one while Python joins another's rows (a store answers queries from
    several threads). Called with a query, it gives that query's rows (`rows`)."""

    def __init__(self, store: Store, queries: Iterable[str], *, workers: int = 3) -> None:
        self.store = store
        self.pool = ThreadPoolExecutor(max_workers=workers)
        self.pending: dict[str, Future] = {q: self.pool.submit(rows, store, q) for q in queries}

    def __call__(self, sparql: str) -> list[tuple[str | None, ...]]:
        future = self.pending.pop(sparql, None)
        return future.result() if future is not None else rows(self.store, sparql)

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_exc) -> None:
        for future in self.pending.values():
            future.cancel()
        self.pool.shutdown(wait=True)


def records(store: Store, sparql: str) -> list[dict[str, Node | None]]:
    """Rows as dicts, in a fixed order: the store's row order is not part of its contract."""
    results = store.query(sparql)
    rows = sorted(results.rows, key=lambda row: tuple("" if t is None else str(t) for t in row))
    return [dict(zip(results.variables, row)) for row in rows]


def rows(store: Store, sparql: str) -> list[tuple[str | None, ...]]:
    """Rows as tuples of strings (None if unbound), sorted: read from the store's terms
    without making rdflib terms, cheaper to sort and join, and the store's row order is not
    part of its contract."""
    found = store.texts(sparql)
    if any(None in row for row in found):
        found.sort(key=lambda row: tuple("" if t is None else t for t in row))
    else:
        found.sort()  # the same order, without a key made for every row
    return found


def local_name(term: Node | str | None) -> str:
    return _local_name(str(term)) if term is not None else ""


@lru_cache(maxsize=4096)  # the projection asks for the same few classes, roles and modalities
def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _day(value: Any) -> str | None:
    """The ISO date at the start of a date or date-time, if there is one."""
    match = _ISO_DAY.match(str(value)) if value is not None else None
    return match.group(0) if match else None


def _articles(read: Read) -> dict[str, ArticleInfo]:
    articles = {}
    for iri, title, url, published, source, origin in read(ARTICLES):
        if iri not in articles:
            articles[iri] = ArticleInfo(title=title, url=url, published=_day(published), source=source,
                                        origin=origin)
    return articles


def _add_entities(read: Read, graph: nx.MultiDiGraph) -> None:
    aliases: dict[str, set[str]] = {}
    for node, alias in read(ALIASES):
        aliases.setdefault(node, set()).add(alias)
    named: dict[str, set[str]] = {}
    for node, article in read(MENTIONS):
        named.setdefault(node, set()).add(article)
    for node, kind, name in read(ENTITIES):
        if node in graph:  # a second name or type: the first (sorted) stands
            continue
        entity = EntityNode(label=name, type=local_name(kind), aliases=tuple(sorted(aliases.get(node, ()))),
                            articles=tuple(sorted(named.get(node, ()))) or None)
        graph.add_node(node, **entity.attrs())
    for node, label in read(THINGS):
        if node not in graph:
            graph.add_node(node, **EntityNode(label=label, type=THING).attrs())
    for thing, entity in read(CONCERNS):
        if thing in graph and entity in graph:
            graph.add_edge(thing, entity, **FactEdge(kind="concerns", relation="concerns").attrs())


def _acronyms(read: Read, graph: nx.MultiDiGraph) -> dict[str, dict[str, str]]:
    """Acronyms that name an entity, and what the articles naming it define them as:
    `{"RUF": {"Revolutionary United Front": article IRI}}`."""
    named = {a for n, attrs in graph.nodes(data=True) if _ACRONYM.match(str(attrs.get("label", "")))
             and attrs.get("type") in ("Organization", "Group") for a in attrs.get("articles") or ()}
    found: dict[str, dict[str, str]] = {}
    chosen = sorted(named)
    for start in range(0, len(chosen), 200):
        values = " ".join(f"<{a}>" for a in chosen[start:start + 200] if ">" not in a)
        for article, text in read(TEXTS.format(articles=values)):
            for expansion, acronym in _DEFINED.findall(text or ""):
                words = expansion.split()
                for i, word in enumerate(words):  # "Fighters of the Revolutionary United Front": each tail
                    if word[0].isupper() and word not in ("The", "A"):
                        found.setdefault(acronym, {}).setdefault(" ".join(words[i:]), article)
    return found


def _read_evidence(read: Read) -> dict[str, list[Evidence]]:
    """Each fact's evidence: the readings whose node has a sentence, a confidence, a rule and
    an article (each pairing of them, if a node has several)."""
    fields = []
    for query in EVIDENCE_FIELDS.values():
        values: dict[str, list[str]] = {}
        for node, value in read(query):
            values.setdefault(node, []).append(value)
        fields.append(values)
    evidence: dict[str, list[Evidence]] = {}
    for fact, node in read(EVIDENCE):
        for sentence, confidence, rule, article in product(*(f.get(node, ()) for f in fields)):
            evidence.setdefault(fact, []).append(Evidence(sentence=sentence, confidence=float(confidence), rule=rule,
                                                          article=article))
    return evidence


def _evidence_fields(evidence: Evidence, articles: dict[str, ArticleInfo], *,
                     event_date: str | None = None) -> dict[str, Any]:
    """The evidence fields of a fact's record."""
    article = articles.get(evidence.article) or ArticleInfo(title="")
    return {
        "sentence": evidence.sentence, "confidence": evidence.confidence, "rule": evidence.rule,
        "article": evidence.article, "article_title": article.title or None,
        "article_url": article.url, "published": article.published, "source": article.source,
        "origin": article.origin, "when": event_date or article.published,
    }


def _add_roles(read: Read, graph: nx.MultiDiGraph, articles: dict[str, ArticleInfo],
               evidence: dict[str, list[Evidence]]) -> None:
    """One edge per role and reading of it."""
    roles: dict[str, tuple[str, str]] = {}
    for iri, person, org, title in read(ROLES):
        roles[iri] = (person, org)
        if person in graph and org in graph:
            for reading in sorted(set(evidence.get(iri, ())), key=lambda e: (e.sentence, e.article, e.rule)):
                role = FactEdge(kind="role", relation=title, **_evidence_fields(reading, articles))
                graph.add_edge(person, org, **role.attrs())
    graph.graph["roles"] = roles


class _Facts:
    """What the event queries read, joined by event IRI."""

    def __init__(self) -> None:
        self.events: dict[str, EventNode] = {}
        self.links: list[tuple[str, str, str]] = []  # (event, role, actor)


def _read_events(read: Read, graph: nx.MultiDiGraph, articles: dict[str, ArticleInfo],
                 evidence: dict[str, list[Evidence]]) -> _Facts:
    parents = graph.graph["event_classes"]
    modalities = {iri: modality for iri, modality in reversed(read(MODALITIES))}  # the first of each, sorted
    labels = {node: label for node, label in reversed(read(LABELS))}
    classes: dict[str, str] = {}
    for iri, kind in read(EVENT_CLASSES):
        cls = local_name(kind)
        known = classes.get(iri)
        if known is None or _depth(cls, parents) > _depth(known, parents):  # the most specific class
            classes[iri] = cls
    kinds = {iri: (cls, labels[iri], local_name(modalities[iri])) for iri, cls in classes.items()
             if iri in labels and iri in modalities}
    dates = {iri: _day(day) for iri, day in reversed(read(EVENT_DATES))}
    times = {iri: time for iri, time in reversed(read(EVENT_TIMES))}
    lemmas = {iri: lemma for iri, lemma in reversed(read(LEMMAS))}
    facts = _Facts()
    graph.graph["evidence"] = {}
    for iri, (cls, label, modality) in sorted(kinds.items()):
        readings = sorted(set(evidence.get(iri, ())), key=lambda e: (e.sentence, e.article, e.rule))
        if not readings:
            continue
        graph.graph["evidence"][iri] = tuple(readings)
        time_text, day = times.get(iri), dates.get(iri)
        facts.events[iri] = EventNode(
            label=label, event_type=cls, lemma=lemmas.get(iri), modality=modality,
            date=day or time_text, time_text=time_text,
            articles=tuple(sorted({e.article for e in readings})),
            **_evidence_fields(readings[0], articles, event_date=day))
    facts.links = [(iri, local_name(role), actor) for iri, role, actor in read(EVENT_ROLES)
                   if iri in facts.events]
    return facts


def _depth(cls: str, parents: dict[str, str]) -> int:
    depth, seen = 0, set()
    while cls in parents and cls not in seen:
        seen.add(cls)
        cls, depth = parents[cls], depth + 1
    return depth


def _add_events(graph: nx.MultiDiGraph, facts: _Facts) -> None:
    for iri, event in facts.events.items():
        graph.add_node(iri, **event.attrs())
    evidence: dict[str, dict[str, Any]] = {}  # each event's evidence fields, the same on each of its links
    for iri, relation, actor in facts.links:
        if iri not in graph or actor not in graph:
            continue
        if iri not in evidence:
            event = facts.events[iri]
            evidence[iri] = FactEdge(kind="event", sentence=event.sentence, date=event.date,
                                     confidence=event.confidence, rule=event.rule, article_title=event.article_title,
                                     article_url=event.article_url, when=event.when).attrs()
            del evidence[iri]["kind"]
        source, target = (actor, iri) if relation == "agent" else (iri, actor)
        graph.add_edge(source, target, kind="event", relation=relation, **evidence[iri])


def _add_shortcuts(read: Read, graph: nx.MultiDiGraph, facts: _Facts) -> None:
    """One edge per shortcut triple and event behind it (a happened event of the shortcut's
    class or a subclass with both actors; for kg:leaderOf, the role), with its evidence."""
    parents = graph.graph["event_classes"]
    participants: dict[str, set[str]] = {}
    for iri, actor in read(PARTICIPANTS):
        if iri in facts.events and facts.events[iri].modality == HAPPENED:
            participants.setdefault(iri, set()).add(actor)
    by_pair: dict[tuple[str, str], list[str]] = {}
    for iri, actors in participants.items():
        for s in actors:
            for o in actors:
                by_pair.setdefault((s, o), []).append(iri)
    roles = graph.graph.get("roles", {})
    role_edges = {(u, v): a for u, v, a in graph.edges(data=True) if a.get("kind") == "role"}
    seen: set[tuple[str, str, str, str]] = set()
    for s, p, o, pattern_iri in read(SHORTCUTS):
        relation, pattern = local_name(p), local_name(pattern_iri)
        if s not in graph or o not in graph:
            continue
        behind = [(e, facts.events[e]) for e in by_pair.get((s, o), ())
                  if _within(facts.events[e].event_type, pattern, parents)]
        behind += [(r, None) for r, pair in roles.items() if pattern == "Role" and pair == (s, o)]
        if not behind and (s, relation, o, "") not in seen:
            seen.add((s, relation, o, ""))
            graph.add_edge(s, o, **FactEdge(kind="shortcut", relation=relation).attrs())
        for iri, event in sorted(behind, key=lambda b: b[0]):
            if (s, relation, o, iri) in seen:
                continue
            seen.add((s, relation, o, iri))
            if event is None:
                role = FactEdge.of(role_edges.get((s, o), {}))
                fields = {k: v for k, v in role.attrs().items() if k not in ("kind", "relation")}
                edge = FactEdge(kind="shortcut", relation=relation, event=iri, event_type="Role", **fields)
            else:
                fields = {k: getattr(event, k) for k in ("sentence", "confidence", "rule", "article",
                          "article_title", "article_url", "published", "source", "origin", "when")}
                edge = FactEdge(kind="shortcut", relation=relation, event=iri, event_type=event.event_type,
                                date=_day(event.date), **fields)
            graph.add_edge(s, o, **edge.attrs())


def _within(cls: str | None, pattern: str, parents: dict[str, str]) -> bool:
    seen = set()
    while cls and cls not in seen:
        if cls == pattern:
            return True
        seen.add(cls)
        cls = parents.get(cls)
    return False


# --- distances ----------------------------------------------------------------------------


def event_pairs(roles: dict[str, list[Any]]) -> list[tuple[Any, Any]]:
    """The pairs of nodes an event links when seen as actor-to-actor edges: each agent to
    each target or thing (or other role); with none, to the place; with neither, agents
    with one another."""
    agents = roles.get("agent", [])
    others = [n for role, members in roles.items() if role not in ("agent", "place") for n in members]
    ends = others or roles.get("place", [])
    if agents and ends:
        return [(a, b) for a in agents for b in ends if a != b]
    if len(agents) > 1:
        return [(a, b) for i, a in enumerate(agents) for b in agents[i + 1:]]
    if not agents and len(ends) > 1:
        return [(a, b) for i, a in enumerate(ends) for b in ends[i + 1:]]
    return []


def actor_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """Entities and things, one edge per pair that an event, role or other link joins,
    weighted by how many do: hop distances between entities as in `hop_graph`, without the
    event nodes (a tenth of the size on a news archive), nodes and edges in sorted order."""
    counts: dict[tuple[Any, Any], int] = {}
    events = {n for n, a in g.nodes(data=True) if is_event(a)}
    pairs = [pair for e in events for pair in event_pairs(event_roles(g, e))]
    pairs += [(u, v) for u, v in g.edges() if u != v and u not in events and v not in events]
    for u, v in pairs:
        key = (u, v) if str(u) <= str(v) else (v, u)
        counts[key] = counts.get(key, 0) + 1
    actors = nx.Graph()
    actors.add_nodes_from(sorted((n for n in g.nodes if n not in events), key=str))
    actors.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(counts.items(), key=str))
    return actors


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
