"""The projection kept between commands: reading a 5,000-article store takes Oxigraph tens
of seconds of CPU, loading the projection it gave takes one.

`load_projection` returns `project(store, ...)`, from a pickle in the user's cache folder
(`$KG_CACHE_DIR`, else `$XDG_CACHE_HOME/kg`, else `~/.cache/kg`) when one was made from the
same store in the same state by the same projection code. The state of an embedded store is
the name, size and modification time of each file in its folder (any write changes them);
a remote store is read afresh each time, and so is every store when `KG_NO_CACHE` is set.
A cache that cannot be written is left unwritten: it only saves time.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from kg.analyze import forked, merge, projection, records
from kg.analyze.projection import Progress, project
from kg.store import Store

CACHE_FORMAT = 1


def cache_dir() -> Path:
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kg"


def load_projection(store: Store, *, events: bool = True, merge: bool = True,
                    progress: Progress | None = None) -> nx.MultiDiGraph:
    """`project(store, events=..., merge=...)`, from the cache when it holds it."""
    graph, path = _cached_or_projected(store, events=events, merge=merge, progress=progress)
    if path is not None:
        _write(path, graph)
    return graph


@contextmanager
def projection_kept(store: Store, *, events: bool = True, merge: bool = True,
                    progress: Progress | None = None) -> Iterator[nx.MultiDiGraph]:
    """`load_projection`, with a projection read afresh written to the cache by a child
    process (`kg.analyze.forked`) while the caller uses it, and waited for on leaving."""
    graph, path = _cached_or_projected(store, events=events, merge=merge, progress=progress)
    written = forked.start(lambda: _write(path, graph)) if path is not None else None
    try:
        yield graph
    finally:
        if written is not None:
            written()


def _cached_or_projected(store: Store, **options: Any) -> tuple[nx.MultiDiGraph, Path | None]:
    """The projection, and where to cache it if it was read afresh (None if from the cache
    or uncached)."""
    progress = options.pop("progress")
    key = _key(store, **options)
    path = cache_dir() / f"projection-{key}.pickle" if key else None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as file, paused_gc():
                return pickle.load(file), None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # a cache from elsewhere or cut short: read the store instead
    with paused_gc():
        graph = project(store, progress=progress, **options)
    return graph, path


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector paused: a projection is a million small objects, none of
    them garbage, that each collection would walk again (unpickling one of 5,000 articles
    takes a quarter of the time without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _key(store: Store, **options: Any) -> str | None:
    folder = getattr(store, "path", None)
    if os.environ.get("KG_NO_CACHE") or not isinstance(folder, Path) or not folder.is_dir():
        return None
    digest = hashlib.sha256(f"{CACHE_FORMAT} {folder.resolve()} {sorted(options.items())}".encode())
    for module in (projection, merge, records):
        digest.update(Path(module.__file__ or "").read_bytes())
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_file():
            info = entry.stat()
            digest.update(f"{entry.name} {info.st_size} {info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def _write(path: Path, graph: nx.MultiDiGraph) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("projection-*.pickle"):
            if old.stat().st_mtime < _week_ago():
                old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as file:
            pickle.dump(graph, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(file.name, path)
    except OSError:
        pass


def _week_ago() -> float:
    return time.time() - 7 * 24 * 3600
