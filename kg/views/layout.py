"""Positions for graphs too large for the page's own physics: a seeded Fruchterman-Reingold
whose repulsion is approximated on a coarse, randomly shifted grid.

networkx's layouts are no option: above 500 nodes they need scipy, which kg does not depend
on, and spring_layout is O(n^2) per iteration. Measured on 2 cores: 5,000 nodes and 8,800
edges take 1.8 s to lay out and write (bench/bench_view.py). The layout avoids BLAS, whose
sums depend on its thread count, so the same graph always gets the same positions.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

PIXELS_PER_UNIT = 45.0  # the layout's ideal edge length, in vis canvas pixels


def force_layout(
    nodes: list[Any], edges: list[tuple[Any, Any]], *, seed: int, iterations: int = 80,
    groups: dict[Any, int | None] | None = None, across: float = 0.08,
) -> dict[Any, tuple[float, float]]:
    """Seeded Fruchterman-Reingold positions, in vis pixels, for larger graphs.

    Attraction runs along each linked pair. Repulsion between nodes in the same grid cell is
    exact; every other cell acts as one softened mass at its centroid, which makes an
    iteration O(n * n^(2/3)) instead of O(n^2). A weak pull towards the centre keeps separate
    components on screen (with 1/d repulsion it packs the nodes into an even disc). With
    `groups` (a community for each node), links between two groups pull with weight
    `across` only, so each community gathers in a region of its own.
    """
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({tuple(sorted((index[u], index[v]))) for u, v in edges if u != v})
    src = np.array([a for a, _ in pairs], dtype=np.int64)
    dst = np.array([b for _, b in pairs], dtype=np.int64)
    weight = np.ones(len(pairs))
    if groups is not None:
        group = [groups.get(node) for node in nodes]
        weight = np.array([1.0 if group[a] is not None and group[a] == group[b] else across for a, b in pairs])
    rng = np.random.default_rng(seed)
    radius = math.sqrt(n)  # ideal spacing 1: n nodes fill a disc of about this radius
    pos = rng.uniform(-radius, radius, size=(n, 2))
    gravity = 0.5
    cells = max(1, round(1.4 * n ** (1 / 3)))
    for step in range(iterations):
        temperature = radius * 0.2 * (1.0 - step / iterations) + 0.01
        disp = _repulsion(pos, cells, shift=rng.uniform(0.0, 1.0, size=2)) - gravity * pos
        delta = pos[src] - pos[dst]
        pull = delta * np.linalg.norm(delta, axis=1, keepdims=True) * weight[:, None]
        for axis in range(2):
            disp[:, axis] -= np.bincount(src, weights=pull[:, axis], minlength=n)
            disp[:, axis] += np.bincount(dst, weights=pull[:, axis], minlength=n)
        length = np.linalg.norm(disp, axis=1, keepdims=True)
        pos += disp / np.maximum(length, 1e-9) * np.minimum(length, temperature)
    pos -= pos.mean(axis=0)
    pos *= PIXELS_PER_UNIT
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, pos)}


def community_layout(
    nodes: list[Any], edges: list[tuple[Any, Any]], groups: dict[Any, int | None], *, seed: int
) -> dict[Any, tuple[float, float]]:
    """Each community laid out on its own, in a disc whose area grows with its size, and the
    discs placed by a layout of the communities (linked the more, the closer); nodes of no
    community are groups of one. Communities read as regions, not as one blob."""
    members: dict[Any, list[Any]] = {}
    for node in nodes:
        group = groups.get(node)
        members.setdefault(("c", group) if group is not None else ("n", node), []).append(node)
    of = {node: key for key, group in members.items() for node in group}
    keys = sorted(members, key=lambda k: (-len(members[k]), str(k)))
    between = [(of[u], of[v]) for u, v in edges if u in of and v in of and of[u] != of[v]]
    start = force_layout(keys, between, seed=seed, iterations=120)
    radius = np.array([math.sqrt(len(members[k])) * PIXELS_PER_UNIT * 0.8 + 20.0 for k in keys])
    centres = _packed(np.array([start[k] for k in keys], dtype=float), radius)
    within: dict[Any, list[tuple[Any, Any]]] = {}
    for u, v in edges:
        if u in of and v in of and of[u] == of[v]:
            within.setdefault(of[u], []).append((u, v))
    positions: dict[Any, tuple[float, float]] = {}
    for i, key in enumerate(keys):
        group = members[key]
        local = force_layout(group, within.get(key, []), seed=seed)
        cx, cy = centres[i]
        extent = max((math.hypot(x, y) for x, y in local.values()), default=0.0) or 1.0
        scale = min(1.0, (radius[i] - 20.0) / extent) if len(group) > 1 else 0.0
        for node, (x, y) in local.items():
            positions[node] = (round(cx + x * scale, 1), round(cy + y * scale, 1))
    return positions


def _packed(centres: np.ndarray, radius: np.ndarray, *, rounds: int = 300) -> np.ndarray:
    """The discs moved apart until none overlaps another, keeping their arrangement: scaled
    out until the closest pair touches, then pushed apart pair by pair and pulled in."""
    k = len(centres)
    if k < 2:
        return centres
    centres = centres - centres.mean(axis=0)
    gap = np.sqrt(np.square(centres[:, None, :] - centres[None, :, :]).sum(axis=2))
    need = radius[:, None] + radius[None, :]
    np.fill_diagonal(gap, np.inf)
    centres = centres * float(np.max(need / np.maximum(gap, 1e-9)))
    for _ in range(rounds):
        delta = centres[:, None, :] - centres[None, :, :]
        dist = np.sqrt(np.square(delta).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        overlap = np.maximum(need * 1.04 - dist, 0.0)
        np.fill_diagonal(overlap, 0.0)
        push = np.einsum("ij,ijk->ik", overlap / np.maximum(dist, 1e-9) / 2, delta)
        centres = centres + push - 0.02 * centres  # pulled towards the middle, so they pack
    return centres


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
