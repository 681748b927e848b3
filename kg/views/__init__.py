"""The interactive view: one self-contained HTML file that draws the graph with vis-network.

`network` turns the networkx projection into the page's data (a pyvis `Network`: nodes
placed, communities found, events and links with all their evidence), `layout` places the
nodes, and `page` writes the page from the HTML, CSS and JavaScript in `static/`, which
folds events into actor-to-actor edges, filters, dims, labels and draws the timeline in the
browser. `write_store_view` is what `kg view` calls: it projects the store
(`kg.analyze.cache.projection_kept`), applies the filters and focus (`kg.analyze.select`), then
writes the view, so the filters run before `max_nodes` cuts the graph.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.analyze.cache import paused_gc, projection_kept
from kg.analyze.projection import Progress
from kg.analyze.selection import Selection, select
from kg.store import Store
from kg.views.network import (
    DEFAULT_MAX_NODES, FAMILY_COLOURS, FOLD_THRESHOLD, NODE_TYPES, PHYSICS_MAX_NODES, SIZE_MEASURES, TYPE_COLOURS,
    build_network,
)
from kg.views.page import ViewSummary, render_html, write_view

__all__ = [
    "DEFAULT_MAX_NODES",
    "FAMILY_COLOURS",
    "FOLD_THRESHOLD",
    "NODE_TYPES",
    "PHYSICS_MAX_NODES",
    "SIZE_MEASURES",
    "TYPE_COLOURS",
    "ViewSummary",
    "build_network",
    "render_html",
    "write_store_view",
    "write_view",
]


def write_store_view(
    store: Store,
    path: str | Path,
    *,
    simple: bool = False,
    selection: Selection | None = None,
    title: str | None = None,
    merge: bool = True,
    progress: Progress | None = None,
    **opts: Any,
) -> ViewSummary:
    """Project `store` (event nodes, or shortcut edges if `simple`; merged across articles
    unless `merge` is False), keep what `selection` selects, and write the view. The filters
    run before `max_nodes` cuts a large graph, so what they keep is what the cut ranks.
    `opts` go to `build_network`."""
    say = progress or (lambda _: None)
    described = selection.describe() if selection else ""
    heading = title or (f"kg: {described}" if described else "kg")
    with projection_kept(store, events=not simple, merge=merge, progress=progress) as projected, paused_gc():
        graph = select(projected, selection)
        say("laying out and writing the page")
        return write_view(graph, path, title=heading, **opts)
