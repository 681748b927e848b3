"""Counts, centrality, components and communities: what `kg stats` reports."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from kg.analyze.names import label
from kg.analyze.projection import EVENT, hop_graph, is_event, local_name, project, records
from kg.errors import KGError
from kg.store import Store

BETWEENNESS_SAMPLE = 500  # above this many nodes, betweenness is estimated from a seeded sample

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
    hop = hop_graph(g)
    entities = [n for n in g.nodes if not is_event(g.nodes[n])]

    def ranked(scores: dict[Any, float]) -> tuple[Ranked, ...]:
        best = sorted(entities, key=lambda n: (-round(scores.get(n, 0.0), 9), label(g, n), n))
        return tuple(Ranked(iri=n, label=label(g, n), type=g.nodes[n]["type"],
                            score=round(scores.get(n, 0.0), 4)) for n in best[:top])

    sample = BETWEENNESS_SAMPLE if hop.number_of_nodes() > BETWEENNESS_SAMPLE else None
    betweenness = nx.betweenness_centrality(hop, k=sample, weight="weight", seed=seed)
    components = sorted(
        (sum(1 for n in c if not is_event(g.nodes[n])) for c in nx.connected_components(hop)),
        reverse=True,
    )
    communities = [
        tuple(sorted((label(g, n) for n in c if not is_event(g.nodes[n])), key=str.casefold))
        for c in nx.community.louvain_communities(hop, weight=None, seed=seed)
    ]
    relations = {local_name(row["p"]): int(row["n"]) for row in records(store, SHORTCUT_COUNTS)}
    roles = sum(1 for *_, a in g.edges(data=True) if a.get("kind") == "role")
    if roles:
        relations["holdsRole"] = roles
    events = [n for n in g.nodes if is_event(g.nodes[n])]
    return GraphStats(
        entities=_counted(g.nodes[n]["type"] for n in entities),
        events=_counted(g.nodes[n].get("event_type", EVENT) for n in events),
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
