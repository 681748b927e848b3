"""The Python API, for notebooks and scripts: open a store, build it, query it, and get the
graph as networkx or as a page. `import kg` exposes these names without importing any of
this until one is used.

    import kg
    store = kg.open_store("kg-store")
    kg.build(["seeds/"], store)
    df = kg.query(store, "who-spoke-with-whom").to_dataframe()
    g = kg.graph(store)

A store may also be named by its address (a folder, or sparql+http(s)://...) wherever one
is taken: it is then opened for the call and closed after it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.ingest import Fields, Limits, Skipped, Source
from kg.model import Extraction
from kg.store import DEFAULT_STORE, Store, open_store

if TYPE_CHECKING:
    import networkx as nx
    import rdflib

    from kg.analyze import Selection
    from kg.build import BuildReport
    from kg.store import Results
    from kg.views import ViewSummary

StoreLike = Store | str | Path

__all__ = ["build", "extract", "graph", "open_store", "query", "write_view"]


@contextmanager
def _store(store: StoreLike, *, read_only: bool) -> Iterator[Store]:
    """The store given, or the one at the address given, opened for this call only."""
    if not isinstance(store, (str, Path)):
        yield store
        return
    with open_store(store, read_only=read_only) as opened:
        yield opened


def build(inputs: Iterable[Source] | Source, store: StoreLike = DEFAULT_STORE, *, model: str | None = None,
          force: bool = False, jobs: int = 1, batch_size: int = 64, open_relations: bool = True,
          limits: Limits | None = None, fields: Fields | None = None) -> BuildReport:
    """Add articles to the store: Articles, and the files, folders, URLs and URL lists given.
    Unreadable inputs and articles that cannot be read are in the report's `skipped`.
    `open_relations=False` leaves out the kg:Action events no event class reads; `limits`
    and `fields` are those of `kg.ingest.read_articles`."""
    from kg.build import build as run_build

    with _store(store, read_only=False) as opened:
        return run_build(inputs, opened, model=model, force=force, jobs=jobs, batch_size=batch_size,
                         open_relations=open_relations, limits=limits, fields=fields)


def extract(inputs: Iterable[Source] | Source, *, model: str | None = None, open_relations: bool = True,
            limits: Limits | None = None, fields: Fields | None = None) -> list[Extraction | Skipped]:
    """What would be read from the inputs, storing nothing: an Extraction for each article, a
    Skipped (with the reason) for each input or article that could not be read."""
    from kg.build.extraction import extract_articles

    return list(extract_articles(inputs, model=model, open_relations=open_relations, limits=limits, fields=fields))


def query(store: StoreLike, spec: str, *, params: dict[str, str] | None = None, limit: int | None = None,
          offset: int = 0) -> Results | rdflib.Graph:
    """The answer to a saved query (by name), a .rq file, or SPARQL text: for SELECT and ASK,
    rows of rdflib terms, `.to_dicts()`, or `.to_dataframe()` with pandas installed (`limit`
    rows from `offset`; a listing such as `events` gives a page of its newest rows unless
    `limit` is given, 0: every row); for CONSTRUCT and DESCRIBE, an rdflib Graph. SPARQL
    Update is refused (build changes a store)."""
    from kg.store.queries import run

    with _store(store, read_only=True) as opened:
        return run(opened, spec, params=params, limit=limit, offset=offset)


def graph(store: StoreLike, *, events: bool = True) -> nx.MultiDiGraph:
    """The store as a networkx graph: entities as nodes, and events as nodes too (or, with
    `events=False`, as direct edges between actors); see `kg.analyze.projection`."""
    from kg.analyze import project

    with _store(store, read_only=True) as opened:
        return project(opened, events=events)


def write_view(source: StoreLike | nx.MultiDiGraph, path: str | Path, *, selection: Selection | None = None,
               **options: Any) -> ViewSummary:
    """Write the interactive HTML view of a store (filtered by `selection`) or of a graph from
    `graph()`; `options` are those of `kg.views.build_network` (`size_by`, `max_nodes`, ...)."""
    import networkx as nx

    from kg.analyze import select
    from kg.views import write_store_view, write_view as write_graph_view

    if isinstance(source, nx.Graph):
        return write_graph_view(select(source, selection) if selection else source, path, **options)
    with _store(source, read_only=True) as opened:
        return write_store_view(opened, path, selection=selection, **options)
