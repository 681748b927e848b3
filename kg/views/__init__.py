"""The interactive view: one self-contained HTML file that draws the graph with vis-network.

Data is split from markup, as displaCy does: `build_network` turns the networkx projection of
the RDF graph into a pyvis `Network` (plain node and edge dicts plus vis options), and
`render_html` turns that into a page; `write_view` does both and writes the file.
`write_store_view` is what `kg view` calls: it projects the store (`kg.analyze.project`),
applies the filters and focus (`kg.analyze.select`), then writes the view, so the filters
run before `max_nodes` cuts the graph.

The page: nodes coloured by type with a legend; events drawn as diamonds captioned with their
type; a search box (type-ahead over labels and aliases; Enter or a click selects the node and
centres it with `network.focus`); and a details panel that shows, for a clicked edge or
event, the evidence sentence, the article (linked), date, confidence and rule.

Why our own template rather than `Network.generate_html`:

- pyvis's template loads bootstrap, tom-select and vis from CDNs, even "in_line" mode leaves
  remote links to strip, and it interpolates labels into JavaScript source through Jinja.
  Scrubbing that output after the fact is fragile. Ours is a few dozen lines: it inlines the
  vis-network JS and CSS shipped inside the installed pyvis package (read at render time,
  never copied into this repository), and embeds every node and edge as one JSON block that
  the page reads with `JSON.parse`. So nothing is fetched when the file is opened.
- Text from articles (names, sentences, titles, URLs) is untrusted. In the JSON block `<`, `>`
  and `&` are written as `\\u003c`-style escapes and everything outside ASCII (U+2028/2029
  included) as `\\uXXXX`, so no string can close the `<script>` element. In the page the
  strings reach the DOM only through `textContent` (tooltips and the details panel are built
  as elements, never as HTML strings; so are the search suggestions) or are drawn on the
  canvas. Static HTML (title, legend, notice) goes through `html.escape`. Links are made only
  from http(s) URLs.
- A Content-Security-Policy meta tag forbids every network fetch (`default-src 'none'`) and
  admits the page's two scripts by their SHA-256 hashes. Browsers that know hashes ignore the
  `'unsafe-inline'` kept for older ones, so even an injected inline handler would not run.
- pyvis's `add_node`/`add_edge` are quadratic (10k nodes took 8.5 s); we fill `net.nodes` and
  `net.edges` directly.

Layout: up to `physics_max_nodes` nodes (150) vis runs its physics until stabilised, then the
page switches physics off so the drawing stops moving. Larger graphs are laid out here by
`_force_layout`, a seeded Fruchterman-Reingold whose repulsion is approximated on a coarse,
randomly shifted grid, and drawn with physics off. networkx's layouts are no option: above
500 nodes they need scipy, which kg does not depend on, and spring_layout is O(n^2) per
iteration. Measured on 2 cores: 5,000 nodes and 8,800 edges take 1.8 s to lay out and write,
and open in Chromium in 1.0-1.5 s (bench/bench_view.py). Above `max_nodes` (5000) only
the nodes of highest degree are kept, and the page says how much was left out.

The output is deterministic: nodes and edges are sorted by content, both layouts are seeded
(vis's `layout.randomSeed` too), the layout avoids BLAS, whose sums depend on its thread
count, and the JSON is written with sorted keys.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np
from pyvis.network import Network

from kg.analyze import Selection, degree, pagerank, project, select
from kg.errors import KGError

if TYPE_CHECKING:
    import networkx as nx

    from kg.store import Store

__all__ = [
    "DEFAULT_MAX_NODES",
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

DEFAULT_MAX_NODES = 5000
PHYSICS_MAX_NODES = 150

# Colour-blind-safe where it matters most (Okabe-Ito first, then Tableau); "Other" is grey.
TYPE_COLOURS: dict[str, str] = {
    "Person": "#0072B2",
    "Country": "#E69F00",
    "Organization": "#009E73",
    "Location": "#56B4E9",
    "Group": "#CC79A7",
    "Event": "#D55E00",
    "Topic": "#8C6BB1",
    "Role": "#B8A000",
    "Other": "#9E9E9E",
}
NODE_TYPES: tuple[str, ...] = tuple(t for t in TYPE_COLOURS if t != "Other")
_TYPE_SHAPES = {"Event": "diamond", "Role": "triangle", "Topic": "square"}

_LABEL_MAX = 48  # characters drawn on the canvas; the details panel shows the whole label
_TEXT_MAX = 4000  # longest untrusted string kept (an evidence sentence is far shorter)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_VIS_DIR = ("lib", "vis-9.1.2")
_PIXELS_PER_UNIT = 45.0  # the layout's ideal edge length, in vis canvas pixels


@dataclass(frozen=True)
class ViewSummary:
    """What `write_view` wrote: counts shown and left out, and where the file is."""

    nodes: int
    edges: int
    dropped_nodes: int
    path: Path
    dropped_edges: int = 0


@dataclass(frozen=True)
class _ViewInfo:
    """Page facts that are not vis data; kept on the Network as `kg_info`."""

    title: str
    total_nodes: int
    total_edges: int
    dropped_nodes: int
    dropped_edges: int
    physics: bool


SIZE_MEASURES: dict[str, Callable[[nx.MultiDiGraph], dict[Any, float]]] = {
    "degree": degree,
    "pagerank": pagerank,
}


def build_network(
    g: nx.MultiDiGraph,
    *,
    title: str = "kg",
    size_by: str = "degree",
    max_nodes: int = DEFAULT_MAX_NODES,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
    seed: int = 0,
) -> Network:
    """Turn the graph projection into a pyvis Network ready for `render_html`.

    Nodes are coloured by `type` and sized by `size_by` (one of `SIZE_MEASURES`, computed in
    `kg.analyze`), measured on all of `g`, before the cut: above `max_nodes` only the nodes of
    highest degree are kept.
    """
    measure = SIZE_MEASURES.get(size_by)
    if measure is None:
        raise KGError(
            f"cannot size nodes by {size_by!r}: choose one of {', '.join(SIZE_MEASURES)}"
        )
    if max_nodes < 1:
        raise KGError(f"max_nodes must be at least 1, not {max_nodes}")
    kept = _most_central(g, max_nodes)
    sub = g.subgraph(kept)
    nodes = sorted(sub.nodes, key=str)
    links = (
        sub.edges(keys=True, data=True)
        if sub.is_multigraph()
        else ((u, v, 0, d) for u, v, d in sub.edges(data=True))
    )
    edges = sorted(links, key=_edge_order)
    physics = len(nodes) <= physics_max_nodes
    positions = {} if physics else _force_layout(nodes, [(u, v) for u, v, _, _ in edges], seed=seed)
    sizes = measure(g)
    degrees = dict(g.degree(nodes))

    net = Network(height="100%", width="100%", directed=True, heading=_text(title) or "kg")
    net.nodes = [
        _vis_node(node, g.nodes[node], sizes.get(node, 0.0), degrees[node], positions.get(node))
        for node in nodes
    ]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = _vis_edges(edges)
    net.options = _vis_options(
        physics=physics, groups=sorted({n["group"] for n in net.nodes}), seed=seed
    )
    net.kg_info = _ViewInfo(
        title=net.heading,
        total_nodes=g.number_of_nodes(),
        total_edges=g.number_of_edges(),
        dropped_nodes=g.number_of_nodes() - len(nodes),
        dropped_edges=g.number_of_edges() - len(edges),
        physics=physics,
    )
    return net


def render_html(net: Network) -> str:
    """The page for `net`: vis-network inlined, data as JSON, no network access at view time."""
    info = getattr(net, "kg_info", None)
    if not isinstance(info, _ViewInfo):
        raise KGError("render_html needs a Network made by kg.view.build_network")
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options, "physics": info.physics}
    vis_js = _vis_asset("vis-network.min.js").replace("</script", "<\\/script")
    vis_css = _vis_asset("vis-network.css")
    scripts = (vis_js, _PAGE_JS)
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src 'unsafe-inline' " + " ".join(_csp_hash(s) for s in scripts),
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return _PAGE.format(
        csp=html.escape(csp),
        title=html.escape(info.title),
        vis_css=vis_css.replace("</style", "<\\/style"),
        page_css=_PAGE_CSS,
        notice=_notice_html(info),
        legend=_legend_html(net.nodes),
        data=_script_json(data),
        vis_js=vis_js,
        page_js=_PAGE_JS,
    )


def write_view(g: nx.MultiDiGraph, path: str | Path, **opts: Any) -> ViewSummary:
    """Write the interactive view of `g` to `path`; `opts` go to `build_network`."""
    net = build_network(g, **opts)
    page = render_html(net)
    target = Path(path)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as err:
        raise KGError(
            f"cannot write the view to {target}: {err.strerror}; choose a writable path"
        ) from err
    info: _ViewInfo = net.kg_info
    return ViewSummary(
        nodes=len(net.nodes),
        edges=len(net.edges),
        dropped_nodes=info.dropped_nodes,
        path=target,
        dropped_edges=info.dropped_edges,
    )


def write_store_view(
    store: Store,
    path: str | Path,
    *,
    simple: bool = False,
    selection: Selection | None = None,
    title: str | None = None,
    **opts: Any,
) -> ViewSummary:
    """Project `store` (event nodes, or shortcut edges if `simple`), keep what `selection`
    selects, and write the view. The filters run before `max_nodes` cuts a large graph, so
    what they keep is what the cut ranks. `opts` go to `build_network`."""
    graph = select(project(store, events=not simple), selection)
    described = selection.describe() if selection else ""
    heading = title or (f"kg: {described}" if described else "kg")
    return write_view(graph, path, title=heading, **opts)


# --- data ---------------------------------------------------------------------------------


def _most_central(g: nx.MultiDiGraph, max_nodes: int) -> list[Any]:
    if g.number_of_nodes() <= max_nodes:
        return list(g.nodes)
    ranked = sorted(g.degree(), key=lambda nd: (-nd[1], str(nd[0])))
    return [node for node, _ in ranked[:max_nodes]]


def _edge_order(edge: tuple[Any, Any, Any, dict[str, Any]]) -> tuple[str, str, str, str]:
    """Order edges by content, not by key: the projection may add parallel edges in any order."""
    u, v, key, attrs = edge
    return (str(u), str(v), json.dumps(attrs, sort_keys=True, default=str), str(key))


def _text(value: Any, *, limit: int = _TEXT_MAX) -> str | None:
    """Untrusted text made safe to carry: valid UTF-8, no control characters, bounded."""
    if value is None:
        return None
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text or None


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "…"


def _node_type(value: Any) -> str:
    """`Person`, or a full IRI ending in `#Person` or `/Person`; anything else is Other."""
    name = re.split(r"[#/]", str(value or ""))[-1]
    return name if name in NODE_TYPES else "Other"


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


def _url(value: Any) -> str | None:
    url = _text(value)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _confidence(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return round(number, 3) if math.isfinite(number) else None


def _without_none(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v is not None}


def _vis_node(
    node: Any, attrs: dict[str, Any], size: float, degree: int, xy: tuple[float, float] | None
) -> dict[str, Any]:
    iri = _text(node, limit=2000) or "?"
    kind = _node_type(attrs.get("type"))
    event_type = _text(attrs.get("event_type"), limit=200)
    modality = _text(attrs.get("modality"), limit=100)
    label = _text(attrs.get("label")) or event_type or _local_name(iri)
    aliases = sorted({a for a in (_text(x, limit=200) for x in attrs.get("aliases") or ()) if a})
    vis = {
        "id": str(node),
        # An event is drawn as its type; its label ("PhoneCall: Shigeru Ishiba – Japan – ...")
        # repeats the names around it, and is shown in the details panel instead.
        "label": _short(_event_caption(event_type, modality) if kind == "Event" and event_type else label),
        "group": kind,
        "value": round(size, 4),
        "kg": _without_none(
            {
                "label": label,
                "aliases": aliases or None,
                "type": kind,
                "eventType": event_type,
                "modality": modality,
                "date": _text(attrs.get("date"), limit=100),
                "iri": iri,
                "degree": degree,
                "sentence": _text(attrs.get("sentence")),
                "articleTitle": _text(attrs.get("article_title"), limit=500),
                "articleUrl": _url(attrs.get("article_url")),
                "confidence": _confidence(attrs.get("confidence")),
                "rule": _text(attrs.get("rule"), limit=200),
            }
        ),
    }
    if xy is not None:
        vis["x"], vis["y"] = xy
    return vis


def _event_caption(event_type: str, modality: str | None) -> str:
    if modality and modality.casefold() not in ("happened", "asserted"):
        return f"{event_type} ({modality.lower()})"
    return event_type


def _vis_edges(edges: list[tuple[Any, Any, Any, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Edges as vis dicts; parallel edges between two nodes curve apart instead of overlapping."""
    pair_size = Counter(frozenset((str(u), str(v))) for u, v, _, _ in edges)
    pair_seen: Counter[frozenset[str]] = Counter()
    result = []
    for i, (u, v, _key, attrs) in enumerate(edges):
        relation = _text(attrs.get("relation"), limit=200) or "related"
        article_title = _text(attrs.get("article_title"), limit=500)
        article_url = _url(attrs.get("article_url"))
        vis: dict[str, Any] = {
            "id": f"e{i}",
            "from": str(u),
            "to": str(v),
            "label": _short(relation),
            "kg": _without_none(
                {
                    "relation": relation,
                    "sentence": _text(attrs.get("sentence")),
                    "articleTitle": article_title,
                    "articleUrl": article_url,
                    "date": _text(attrs.get("date"), limit=100),
                    "confidence": _confidence(attrs.get("confidence")),
                    "rule": _text(attrs.get("rule"), limit=200),
                }
            ),
        }
        pair = frozenset((str(u), str(v)))
        if pair_size[pair] > 1:
            pair_seen[pair] += 1
            roundness = 0.2 * pair_seen[pair]
            vis["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": roundness}
        result.append(vis)
    return result


def _vis_options(*, physics: bool, groups: list[str], seed: int) -> dict[str, Any]:
    group_options = {}
    for kind in groups:
        colour = TYPE_COLOURS[kind]
        group_options[kind] = {
            "shape": _TYPE_SHAPES.get(kind, "dot"),
            "color": {
                "background": colour,
                "border": "#333333",
                "highlight": {"background": colour, "border": "#000000"},
                "hover": {"background": colour, "border": "#000000"},
            },
        }
    options: dict[str, Any] = {
        "groups": group_options,
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"min": 8, "max": 30, "label": {"enabled": True, "min": 12, "max": 18}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9a9a9a", "highlight": "#333333", "hover": "#333333"},
            "font": {"size": 10, "align": "middle", "color": "#555555", "strokeWidth": 3},
            "smooth": False,
            "width": 1,
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
        "layout": {"randomSeed": seed},  # vis seeds its starting positions at random otherwise
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "springLength": 150,
                "avoidOverlap": 0.6,
            },
            "stabilization": {"iterations": 400, "updateInterval": 50, "fit": True},
        }
    else:
        options["physics"] = {"enabled": False}
        options["layout"]["improvedLayout"] = False
        options["interaction"].update({"hideEdgesOnDrag": True, "hideEdgesOnZoom": True})
    return options


# --- layout -------------------------------------------------------------------------------


def _force_layout(
    nodes: list[Any], edges: list[tuple[Any, Any]], *, seed: int, iterations: int = 80
) -> dict[Any, tuple[float, float]]:
    """Seeded Fruchterman-Reingold positions, in vis pixels, for larger graphs.

    Attraction runs along each linked pair. Repulsion between nodes in the same grid cell is
    exact; every other cell acts as one softened mass at its centroid, which makes an
    iteration O(n * n^(2/3)) instead of O(n^2). A weak pull towards the centre keeps separate
    components on screen (with 1/d repulsion it packs the nodes into an even disc).
    """
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({tuple(sorted((index[u], index[v]))) for u, v in edges if u != v})
    src = np.array([a for a, _ in pairs], dtype=np.int64)
    dst = np.array([b for _, b in pairs], dtype=np.int64)
    rng = np.random.default_rng(seed)
    radius = math.sqrt(n)  # ideal spacing 1: n nodes fill a disc of about this radius
    pos = rng.uniform(-radius, radius, size=(n, 2))
    gravity = 0.5
    cells = max(1, round(1.4 * n ** (1 / 3)))
    for step in range(iterations):
        temperature = radius * 0.2 * (1.0 - step / iterations) + 0.01
        disp = _repulsion(pos, cells, shift=rng.uniform(0.0, 1.0, size=2)) - gravity * pos
        delta = pos[src] - pos[dst]
        pull = delta * np.linalg.norm(delta, axis=1, keepdims=True)
        for axis in range(2):
            disp[:, axis] -= np.bincount(src, weights=pull[:, axis], minlength=n)
            disp[:, axis] += np.bincount(dst, weights=pull[:, axis], minlength=n)
        length = np.linalg.norm(disp, axis=1, keepdims=True)
        pos += disp / np.maximum(length, 1e-9) * np.minimum(length, temperature)
    pos -= pos.mean(axis=0)
    pos *= _PIXELS_PER_UNIT
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, pos)}


def _repulsion(pos: np.ndarray, cells: int, *, shift: np.ndarray) -> np.ndarray:
    """Repulsive force on each node; `shift` (fractions of a cell) moves the grid each time,
    so its error is noise that averages out, not a pull towards the cell lines."""
    n = len(pos)
    width = np.maximum((pos.max(axis=0) - pos.min(axis=0)) / cells, 1e-9)
    low = pos.min(axis=0) - shift * width
    cells += 1
    cxy = np.minimum(((pos - low) / width).astype(np.int64), cells - 1)
    cell = cxy[:, 0] * cells + cxy[:, 1]
    mass = np.bincount(cell, minlength=cells * cells).astype(float)
    filled = np.flatnonzero(mass)
    centroid = np.stack(
        [np.bincount(cell, weights=pos[:, a], minlength=cells * cells)[filled] for a in range(2)],
        axis=1,
    ) / mass[filled, None]
    # Far field: every other cell as a softened point mass at its centroid. The sum of
    # w * (p - c) over cells is p * sum(w) - sum(w * c), which spares n x cells x 2
    # temporaries. einsum, not `@`: BLAS sums in an order that depends on its thread count,
    # and the layout (so the page) must not.
    soft = float((width**2).sum()) / 4
    weight = np.square(np.subtract.outer(pos[:, 0], centroid[:, 0]))
    weight += np.square(np.subtract.outer(pos[:, 1], centroid[:, 1]))
    weight += soft
    np.divide(mass[filled][None, :], weight, out=weight)
    weight[np.arange(n), np.searchsorted(filled, cell)] = 0.0
    force = pos * weight.sum(axis=1)[:, None] - np.einsum("ij,jk->ik", weight, centroid)
    # Near field: exact between each pair of nodes sharing a cell, counted once.
    order = np.argsort(cell, kind="stable")
    sorted_cell = cell[order]
    counts = mass.astype(np.int64)
    block_start = (np.cumsum(counts) - counts)[sorted_cell]
    later = block_start + counts[sorted_cell] - 1 - np.arange(n)  # partners after each node
    first = np.repeat(np.arange(n), later)
    step = np.arange(len(first)) - np.repeat(np.cumsum(later) - later, later)
    i, j = order[first], order[first + 1 + step]
    dx = pos[i, 0] - pos[j, 0]
    dy = pos[i, 1] - pos[j, 1]
    inverse = 1.0 / (dx * dx + dy * dy + 1e-4)
    dx *= inverse
    dy *= inverse
    for axis, push in enumerate((dx, dy)):
        force[:, axis] += np.bincount(i, weights=push, minlength=n)
        force[:, axis] -= np.bincount(j, weights=push, minlength=n)
    return force


# --- markup -------------------------------------------------------------------------------


def _vis_asset(name: str) -> str:
    return resources.files("pyvis").joinpath(*_VIS_DIR, name).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _script_json(data: Any) -> str:
    """JSON that cannot end the `<script>` element it sits in, nor be read as HTML."""
    text = json.dumps(
        data, ensure_ascii=True, sort_keys=True, allow_nan=False, separators=(",", ":")
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _legend_html(nodes: list[dict[str, Any]]) -> str:
    counts = Counter(node["group"] for node in nodes)
    items = [
        f'<li data-type="{html.escape(kind)}"><span class="swatch" '
        f'style="background:{TYPE_COLOURS[kind]}"></span>{html.escape(kind)} '
        f'<span class="count">({counts[kind]})</span></li>'
        for kind in TYPE_COLOURS
        if counts[kind]
    ]
    return "\n".join(items) or "<li>No nodes.</li>"


def _notice_html(info: _ViewInfo) -> str:
    if not info.dropped_nodes and not info.dropped_edges:
        return ""
    shown_nodes = info.total_nodes - info.dropped_nodes
    shown_edges = info.total_edges - info.dropped_edges
    return (
        f'<p id="notice" role="status">Showing the {shown_nodes:,} best-connected of '
        f"{info.total_nodes:,} nodes and {shown_edges:,} of {info.total_edges:,} edges: "
        f"{info.dropped_nodes:,} nodes and {info.dropped_edges:,} edges are left out. "
        f"To see more, use <code>kg view --focus NAME --hops N</code>.</p>"
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{vis_css}</style>
<style>{page_css}</style>
</head>
<body>
<div id="graph" aria-label="Graph drawing"></div>
<aside id="panel">
<h1>{title}</h1>
{notice}
<section id="search" role="search">
<label for="search-input">Find a node</label>
<input id="search-input" type="search" autocomplete="off" spellcheck="false"
  placeholder="Type a name, then Enter" aria-controls="search-results" aria-autocomplete="list">
<ul id="search-results" role="listbox" aria-label="Matching nodes" hidden></ul>
<p id="search-status" class="hint" aria-live="polite"></p>
</section>
<section id="legend" aria-label="Node types">
<h2>Node types</h2>
<ul>
{legend}
</ul>
</section>
<section id="details" aria-live="polite">
<h2>Details</h2>
<p class="hint">Click a node or an edge to see its details and evidence.</p>
</section>
</aside>
<script type="application/json" id="kg-data">{data}</script>
<script>{vis_js}</script>
<script>{page_js}</script>
</body>
</html>
"""

_PAGE_CSS = """
html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, sans-serif; color: #222; }
body { display: flex; }
#graph { flex: 1; min-width: 0; height: 100vh; background: #fff; }
#panel { width: 340px; height: 100vh; overflow-y: auto; box-sizing: border-box;
  padding: 12px 16px; border-left: 1px solid #ddd; background: #fafafa; }
#panel h1 { font-size: 18px; margin: 0 0 8px; overflow-wrap: anywhere; }
#panel h2 { font-size: 14px; margin: 16px 0 6px; text-transform: uppercase; color: #555; }
#notice { background: #fff4ce; border: 1px solid #e0c060; padding: 8px; margin: 8px 0; }
#legend ul { list-style: none; margin: 0; padding: 0; }
#legend li { margin: 2px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #333;
  border-radius: 50%; margin-right: 6px; vertical-align: -1px; }
.count { color: #777; }
#details dl { margin: 0; }
#details dt { font-weight: 600; margin-top: 6px; }
#details dd { margin: 0; overflow-wrap: anywhere; }
#details blockquote, .kg-tip blockquote { margin: 4px 0; padding-left: 8px;
  border-left: 3px solid #bbb; font-style: italic; }
#details ul { margin: 4px 0; padding-left: 18px; }
.hint { color: #777; }
#search label { display: block; font-weight: 600; margin: 12px 0 4px; }
#search-input { width: 100%; box-sizing: border-box; padding: 5px 6px; font: inherit;
  border: 1px solid #bbb; border-radius: 3px; }
#search-results { list-style: none; margin: 2px 0 0; padding: 0; border: 1px solid #ccc;
  background: #fff; max-height: 260px; overflow-y: auto; }
#search-results li { padding: 3px 6px; cursor: pointer; overflow-wrap: anywhere; }
#search-results li.active, #search-results li:hover { background: #e6f0fa; }
#search-status { margin: 4px 0 0; min-height: 1em; }
div.vis-tooltip { max-width: 420px; white-space: normal; font: 13px/1.4 system-ui, sans-serif; }
.kg-tip .kg-tip-head { font-weight: 600; }
.kg-tip .kg-tip-meta { color: #555; }
"""

_PAGE_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var timings = window.kgTimings = { firstDraw: null, settled: null };
  var details = document.getElementById("details");

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\\/\\//i.test(url) ? url : null;
  }
  function articleNode(kg) {
    var url = safeUrl(kg.articleUrl);
    if (!kg.articleTitle && !url) { return null; }
    if (!url) { return el("span", kg.articleTitle); }
    var link = el("a", kg.articleTitle || url);
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }
  function edgeTooltip(edge) {
    var kg = edge.kg, box = el("div", null, "kg-tip");
    box.appendChild(el("div", kg.relation, "kg-tip-head"));
    if (kg.sentence) { box.appendChild(el("blockquote", kg.sentence)); }
    var article = articleNode(kg);
    if (article) { var line = el("div"); line.appendChild(article); box.appendChild(line); }
    var meta = [];
    if (kg.date) { meta.push(kg.date); }
    if (kg.confidence !== undefined) { meta.push("confidence " + kg.confidence); }
    if (meta.length) { box.appendChild(el("div", meta.join(" \\u00b7 "), "kg-tip-meta")); }
    return box;
  }
  function nodeTooltip(node) {
    var kg = node.kg, box = el("div", null, "kg-tip");
    box.appendChild(el("div", kg.label, "kg-tip-head"));
    var kind = kg.eventType ? kg.type + " (" + kg.eventType + ")" : kg.type;
    box.appendChild(el("div", kg.date ? kind + " \\u00b7 " + kg.date : kind, "kg-tip-meta"));
    if (kg.sentence) { box.appendChild(el("blockquote", kg.sentence)); }
    return box;
  }

  data.nodes.forEach(function (node) { node.title = nodeTooltip(node); });
  data.edges.forEach(function (edge) { edge.title = edgeTooltip(edge); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;

  function settle() {
    if (timings.settled === null) { timings.settled = performance.now(); }
    document.body.setAttribute("data-state", "settled");
  }
  network.once("afterDrawing", function () {
    timings.firstDraw = performance.now();
    if (!data.physics || data.nodes.length === 0) { settle(); }
  });
  if (data.physics) {
    // Stop the physics once stabilised so the drawing stays still; settled = drawn after that.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", settle);
      network.redraw();
    });
  }

  function show(title, rows, extra) {
    while (details.firstChild) { details.removeChild(details.firstChild); }
    details.appendChild(el("h2", "Details"));
    details.appendChild(el("h3", title, "details-title"));
    var list = el("dl");
    rows.forEach(function (row) {
      if (row[1] === undefined || row[1] === null || row[1] === "") { return; }
      list.appendChild(el("dt", row[0]));
      var dd = el("dd");
      if (row[1] instanceof Node) { dd.appendChild(row[1]); }
      else { dd.textContent = String(row[1]); }
      list.appendChild(dd);
    });
    details.appendChild(list);
    if (extra) { details.appendChild(extra); }
  }
  function labelOf(id) {
    var node = nodes.get(id);
    return node ? node.kg.label : String(id);
  }
  function showEdge(edge) {
    var kg = edge.kg;
    show(labelOf(edge.from) + " \\u2192 " + kg.relation + " \\u2192 " + labelOf(edge.to), [
      ["Relation", kg.relation],
      ["Evidence", kg.sentence ? el("blockquote", kg.sentence) : null],
      ["Article", articleNode(kg)],
      ["Date", kg.date],
      ["Confidence", kg.confidence],
      ["Rule", kg.rule]
    ]);
  }
  function showNode(node) {
    var kg = node.kg, links = el("ul"), connected = network.getConnectedEdges(node.id);
    connected.slice(0, 100).forEach(function (id) {
      var edge = edges.get(id), out = edge.from === node.id;
      var other = labelOf(out ? edge.to : edge.from);
      links.appendChild(el("li", out ? kg.label + " " + edge.kg.relation + " " + other
                                     : other + " " + edge.kg.relation + " " + kg.label));
    });
    if (connected.length > 100) {
      links.appendChild(el("li", "\\u2026 and " + (connected.length - 100) + " more"));
    }
    var extra = null;
    if (connected.length) {
      extra = el("div");
      extra.appendChild(el("h3", "Links shown"));
      extra.appendChild(links);
    }
    show(kg.label, [
      ["Type", kg.eventType ? kg.type + " (" + kg.eventType + ")" : kg.type],
      ["Modality", kg.modality],
      ["Evidence", kg.sentence ? el("blockquote", kg.sentence) : null],
      ["Article", articleNode(kg)],
      ["Date", kg.date],
      ["Confidence", kg.confidence],
      ["Rule", kg.rule],
      ["Also called", kg.aliases ? kg.aliases.join(", ") : null],
      ["Links", kg.degree],
      ["IRI", kg.iri]
    ], extra);
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(nodes.get(params.nodes[0])); }
    else if (params.edges.length) { showEdge(edges.get(params.edges[0])); }
  });

  // Search: type-ahead over labels and aliases; Enter or a click selects and centres a node.
  var searchInput = document.getElementById("search-input");
  var searchList = document.getElementById("search-results");
  var searchStatus = document.getElementById("search-status");
  var searchIndex = data.nodes.map(function (node) {
    var names = [node.kg.label].concat(node.kg.aliases || []);
    return { id: node.id, label: node.kg.label,
             keys: names.map(function (name) { return name.toLowerCase(); }) };
  });
  var matches = [], active = -1;
  function matchRank(entry, query) {
    var best = 3;
    entry.keys.forEach(function (key) {
      var at = key.indexOf(query);
      if (at === 0) { best = 0; }
      else if (at > 0) { best = Math.min(best, /[\\s\\-(]/.test(key.charAt(at - 1)) ? 1 : 2); }
    });
    return best;
  }
  function findMatches(text) {
    var query = text.trim().toLowerCase();
    if (!query) { return []; }
    return searchIndex
      .map(function (entry) { return { entry: entry, rank: matchRank(entry, query) }; })
      .filter(function (m) { return m.rank < 3; })
      .sort(function (a, b) {
        return a.rank - b.rank || (a.entry.label < b.entry.label ? -1 : a.entry.label > b.entry.label ? 1 : 0);
      })
      .slice(0, 12)
      .map(function (m) { return m.entry; });
  }
  function renderMatches() {
    while (searchList.firstChild) { searchList.removeChild(searchList.firstChild); }
    matches.forEach(function (entry, i) {
      var item = el("li", entry.label, i === active ? "active" : null);
      item.id = "search-option-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", i === active ? "true" : "false");
      // mousedown, not click: it comes before the input loses focus and the list hides.
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(entry); });
      searchList.appendChild(item);
    });
    searchList.hidden = matches.length === 0;
    if (active >= 0) { searchInput.setAttribute("aria-activedescendant", "search-option-" + active); }
    else { searchInput.removeAttribute("aria-activedescendant"); }
  }
  function focusNode(id) {
    document.body.removeAttribute("data-focused");
    network.selectNodes([id]);
    showNode(nodes.get(id));
    network.once("animationFinished", function () { document.body.setAttribute("data-focused", id); });
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), locked: false,
                        animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  }
  function choose(entry) {
    searchInput.value = entry.label;
    matches = [];
    active = -1;
    renderMatches();
    searchStatus.textContent = "";
    focusNode(entry.id);
  }
  searchInput.addEventListener("input", function () {
    matches = findMatches(searchInput.value);
    active = matches.length ? 0 : -1;
    renderMatches();
    searchStatus.textContent = searchInput.value.trim() && !matches.length ? "No node matches." : "";
  });
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!matches.length) { return; }
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
      renderMatches();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!matches.length) { matches = findMatches(searchInput.value); active = 0; }
      if (matches.length) { choose(matches[Math.max(active, 0)]); }
      else { searchStatus.textContent = "No node matches."; }
    } else if (event.key === "Escape") {
      matches = [];
      active = -1;
      renderMatches();
    }
  });
  searchInput.addEventListener("blur", function () { matches = []; active = -1; renderMatches(); });
})();
"""
