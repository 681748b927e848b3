"""kg stats on graphs larger than its betweenness sample: the same answer in every run."""
from __future__ import annotations

import networkx as nx

from kg.analyze.stats import _between


def test_stats_entity_graph_keeps_the_actor_graph_order_not_a_set_s() -> None:
    hop = nx.Graph()
    hop.add_nodes_from(f"n{i:03}" for i in range(300))
    hop.add_weighted_edges_from((f"n{i:03}", f"n{(i * 7) % 300:03}", 1 + i % 2) for i in range(300))
    keep = {f"n{i:03}" for i in range(0, 300, 3)}  # fewer than half: a view would list them in the set's order
    kept = _between(hop, keep)
    assert list(kept) == [n for n in hop if n in keep]
    assert sorted(map(sorted, kept.edges())) == sorted(sorted((u, v)) for u, v in hop.edges() if u in keep and v in keep)
    assert all(kept[u][v]["weight"] == hop[u][v]["weight"] for u, v in kept.edges())
