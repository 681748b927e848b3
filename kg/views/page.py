"""The view's markup: one self-contained HTML page that draws a `Network` with vis-network.

Data is split from markup, as displaCy does: `kg.views.network` makes the data, this module
the page. The page's HTML, CSS and JavaScript are files of their own in `kg/views/static/`
(read with importlib.resources); the vis-network JS and CSS shipped inside the installed
pyvis package are inlined at render time, never copied into this repository.

Why our own template rather than `Network.generate_html`:

- pyvis's template loads bootstrap, tom-select and vis from CDNs, even "in_line" mode leaves
  remote links to strip, and it interpolates labels into JavaScript source through Jinja.
  Ours embeds every node and edge as one JSON block that the page reads with `JSON.parse`,
  so nothing is fetched when the file is opened.
- Text from articles (names, sentences, titles, URLs) is untrusted. In the JSON block `<`,
  `>` and `&` are written as `\\u003c`-style escapes and everything outside ASCII (U+2028/2029
  included) as `\\uXXXX`, so no string can close the `<script>` element. In the page the
  strings reach the DOM only through `textContent` (tooltips, the details panel and the
  search suggestions are built as elements, never as HTML strings) or are drawn on the
  canvas. Static HTML (title, legend, notice) goes through `html.escape`. Links are made only
  from http(s) URLs.
- A Content-Security-Policy meta tag forbids every network fetch (`default-src 'none'`) and
  admits the page's two scripts by their SHA-256 hashes. Browsers that know hashes ignore the
  `'unsafe-inline'` kept for older ones, so even an injected inline handler would not run.

The output is deterministic: the JSON is written with sorted keys.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyvis.network import Network

from kg.errors import KGError
from kg.views.network import FAMILY_COLOURS, TYPE_COLOURS, ViewInfo, build_network

if TYPE_CHECKING:
    import networkx as nx

STATIC = "kg.views.static"
VIS_DIR = ("lib", "vis-9.1.2")


@dataclass(frozen=True)
class ViewSummary:
    """What `write_view` wrote: nodes, events and links shown, nodes left out, and where."""

    nodes: int
    edges: int  # events and links the page draws (folded into fewer edges when `folded`)
    dropped_nodes: int
    path: Path
    dropped_edges: int = 0
    events: int = 0
    links: int = 0
    folded: bool = False


def render_html(net: Network) -> str:
    """The page for `net`: vis-network inlined, data as JSON, no network access at view time."""
    info = getattr(net, "kg_info", None)
    if not isinstance(info, ViewInfo):
        raise KGError("render_html needs a Network made by kg.views.build_network")
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options, "physics": info.physics, **info.data}
    vis_js = _vis_asset("vis-network.min.js").replace("</script", "<\\/script")
    vis_css = _vis_asset("vis-network.css")
    page_js = _static("page.js")
    scripts = (vis_js, page_js)
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
    return _read("page.html").format(
        csp=html.escape(csp),
        title=html.escape(info.title),
        vis_css=vis_css.replace("</style", "<\\/style"),
        page_css=_static("page.css"),
        notice=_notice_html(info),
        legend=_legend_html(net.nodes),
        families=_families_html(info.data.get("events", []), info.data.get("links", [])),
        data=_script_json(data),
        vis_js=vis_js,
        page_js=page_js,
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
    info: ViewInfo = net.kg_info
    events, links = len(info.data.get("events", [])), len(info.data.get("links", []))
    return ViewSummary(
        nodes=len(net.nodes),
        edges=events + links,
        dropped_nodes=info.dropped_nodes,
        path=target,
        dropped_edges=info.dropped_edges,
        events=events,
        links=links,
        folded=info.fold,
    )


def _vis_asset(name: str) -> str:
    return resources.files("pyvis").joinpath(*VIS_DIR, name).read_text(encoding="utf-8")


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
    counts = Counter(node["kg"]["type"] for node in nodes)
    items = [
        f'<li data-type="{html.escape(kind)}"><span class="swatch" '
        f'style="background:{TYPE_COLOURS[kind]}"></span>{html.escape(kind)} '
        f'<span class="count">({counts[kind]})</span></li>'
        for kind in TYPE_COLOURS
        if counts[kind]
    ]
    return "\n".join(items) or "<li>No nodes.</li>"


def _families_html(events: list[dict[str, Any]], links: list[dict[str, Any]]) -> str:
    counts = Counter(e["family"] for e in events) + Counter(link["family"] for link in links)
    items = [
        f'<li data-family="{html.escape(name)}"><span class="swatch line" '
        f'style="background:{html.escape(FAMILY_COLOURS.get(name, FAMILY_COLOURS["Event"]))}"></span>'
        f'{html.escape("Open relation" if name == "Action" else name)} <span class="count">({count})</span></li>'
        for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return "\n".join(items) or "<li>No events.</li>"


def _notice_html(info: ViewInfo) -> str:
    if not info.dropped_nodes:
        return ""
    shown_nodes = info.total_nodes - info.dropped_nodes
    return (
        f'<p id="notice" role="status">Showing the {shown_nodes:,} best-connected of '
        f"{info.total_nodes:,} nodes: {info.dropped_nodes:,} are left out, with their events. "
        f"To see more, use <code>kg view --focus NAME --hops N</code>.</p>"
    )


@cache
def _read(name: str) -> str:
    return resources.files(STATIC).joinpath(name).read_text(encoding="utf-8")


def _static(name: str) -> str:
    """A stylesheet or script of the page as it sits in its element: from the line after its tag."""
    return "\n" + _read(name)
