"""Counts, centrality, components and communities: what `kg stats` reports."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from kg.analyze.cache import paused_gc, projection_kept
from kg.analyze.names import label
from kg.analyze.projection import ACTION, EVENT, Progress, actor_graph, is_entity, is_event, local_name, records
from kg.errors import KGError
from kg.store import Store

BETWEENNESS_SAMPLE = 100  # above this many entities, betweenness is estimated from a seeded sample of them

SHORTCUT_COUNTS = """
SELECT ?p (COUNT(*) AS ?n) WHERE { ?p kg:shortcutOf ?pattern . ?s ?p ?o } GROUP BY ?p"""


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
class Community:
    """A Louvain community: how many entities it has, and the `top` best linked of them."""

    size: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class GraphStats:
    """What `kg stats` reports. Degree and PageRank are measured on the n-ary graph (entities,
    things and events); betweenness, components and communities on the actor graph
    (`actor_graph`: entities and things, linked by the events and roles between them, the
    same hop distances without the event nodes, which made betweenness take minutes on
    5,000 articles). The rankings and groups list entities only. Every list
    holds at most `top` items: `communities` the largest, each with its best-linked names,
    and `open_relations` the commonest verbs of open relations (kg:Action events)."""

    entities: dict[str, int]
    events: dict[str, int]
    relations: dict[str, int]
    degree: tuple[Ranked, ...]
    pagerank: tuple[Ranked, ...]
    betweenness: tuple[Ranked, ...]
    components: tuple[int, ...]
    communities: tuple[Community, ...]
    louvain_seed: int = 0
    community_count: int = 0  # of 2 or more entities, listed or not
    things: int = 0
    open_relations: dict[str, int] | None = None
    merged: int = 0  # entities folded into another (kg merge --dry-run lists them)


def graph_stats(store: Store, *, top: int = 10, seed: int = 0, merge: bool = True,
                progress: Progress | None = None) -> GraphStats:
    """Counts by class, the `top` most central entities, components and communities."""
    if top < 1:
        raise KGError(f"top must be 1 or more, not {top}")
    with projection_kept(store, merge=merge, progress=progress) as g, paused_gc():
        return _measured(g, store, top=top, seed=seed, progress=progress)


def _measured(g: nx.MultiDiGraph, store: Store, *, top: int, seed: int, progress: Progress | None) -> GraphStats:
    say = progress or (lambda _: None)
    say("measuring centrality")
    hop = actor_graph(g)
    entities = [n for n in g.nodes if is_entity(g.nodes[n])]
    entity_set = set(entities)

    def ranked(scores: dict[Any, float]) -> tuple[Ranked, ...]:
        best = sorted(entities, key=lambda n: (-round(scores.get(n, 0.0), 9), label(g, n), n))
        return tuple(Ranked(iri=n, label=label(g, n), type=g.nodes[n]["type"],
                            score=round(scores.get(n, 0.0), 4)) for n in best[:top])

    # things are leaves on no path between entities: leaving them out changes no entity's score
    actors = _between(hop, entity_set)
    sample = BETWEENNESS_SAMPLE if actors.number_of_nodes() > BETWEENNESS_SAMPLE else None
    betweenness = nx.betweenness_centrality(actors, k=sample, seed=seed)  # hops, not link counts
    components = sorted((sum(1 for n in c if n in entity_set) for c in nx.connected_components(hop)),
                        reverse=True)
    say("finding communities")
    links = degree(g)
    groups = []
    for c in nx.community.louvain_communities(hop, weight="weight", seed=seed):
        members = sorted((n for n in c if n in entity_set), key=lambda n: (-links[n], label(g, n), n))
        if len(members) > 1:
            groups.append(Community(len(members), tuple(label(g, n) for n in members[:top])))
    groups.sort(key=lambda c: (-c.size, c.names))
    events = [n for n in g.nodes if is_event(g.nodes[n])]
    verbs = Counter(g.nodes[n].get("lemma") for n in events if g.nodes[n].get("event_type") == ACTION)
    verbs.pop(None, None)
    return GraphStats(
        entities=_counted(g.nodes[n]["type"] for n in entities),
        events=_counted(g.nodes[n].get("event_type", EVENT) for n in events),
        relations=_relations(g, store),
        degree=ranked(links),
        pagerank=ranked(pagerank(g)),
        betweenness=ranked(betweenness),
        components=tuple(c for c in components if c),
        communities=tuple(groups[:top]),
        louvain_seed=seed,
        community_count=len(groups),
        things=sum(1 for _, a in g.nodes(data=True) if a.get("type") == "Thing"),
        open_relations=dict(list(_counted(verbs.elements()).items())[:top]),
        merged=sum(len(g.nodes[n].get("same_as") or ()) for n in entities),
    )


def _between(hop: nx.Graph, keep: set[Any]) -> nx.Graph:
    """The nodes of `hop` in `keep` and the edges between them, as a graph of their own in
    `hop`'s order. A subgraph view would list its nodes in the order of a set, which changes
    from run to run (and with it the sources betweenness samples), and walks three times slower."""
    kept = nx.Graph()
    kept.add_nodes_from(n for n in hop if n in keep)
    kept.add_edges_from((u, v, d) for u, v, d in hop.edges(data=True) if u in keep and v in keep)
    return kept


def _relations(g: nx.MultiDiGraph, store: Store) -> dict[str, int]:
    """The shortcut triples by property (read from the store), and the roles."""
    relations = {local_name(row["p"]): int(row["n"]) for row in records(store, SHORTCUT_COUNTS)}
    roles = sum(1 for *_, a in g.edges(data=True) if a.get("kind") == "role")
    if roles:
        relations["holdsRole"] = roles
    return dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0])))


def _counted(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))
