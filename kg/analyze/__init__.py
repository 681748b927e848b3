"""What kg computes on the graph, in networkx.

`projection` reads the store into a graph whose nodes and edges are typed records
(`records`), folding what `merge` finds to be one entity or event named differently across
articles, and `cache` keeps it between commands; on it,
`selection` keeps what the filters and focus of `kg view` keep, `names` finds entities by
name, `paths` finds neighbours and shortest paths, `timeline` orders events, `stats` counts
and ranks (degree, PageRank, betweenness, components, Louvain communities), and
`interchange` writes GraphML and GEXF for Gephi and Cytoscape. Each returns small records;
the text `kg` prints is made in `kg.cli.render`.
"""
from __future__ import annotations

from kg.analyze.names import find_entities
from kg.analyze.paths import neighbors, shortest_paths
from kg.analyze.cache import load_projection
from kg.analyze.merge import MergePlan, apply_merges, plan_merges
from kg.analyze.projection import EntityNode, EventNode, FactEdge, edge_record, node_record, project
from kg.analyze.selection import Selection, select
from kg.analyze.stats import degree, graph_stats, pagerank
from kg.analyze.timeline import timeline

__all__ = [
    "EntityNode",
    "EventNode",
    "FactEdge",
    "MergePlan",
    "apply_merges",
    "Selection",
    "degree",
    "edge_record",
    "find_entities",
    "graph_stats",
    "load_projection",
    "neighbors",
    "node_record",
    "pagerank",
    "plan_merges",
    "project",
    "select",
    "shortest_paths",
    "timeline",
]
