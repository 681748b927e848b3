"""What a kg store is: the `Store` protocol, the code every store shares, and the registry
that opens a store by the scheme of its address (as rdflib registers its store plugins).

Every triple of every article is kept in the article's named graph (for provenance and
`GRAPH ?article { ... }` patterns) and, once whatever number of articles state it, in the
graph queries read by default, so that a fact stated by twenty articles is one row, not
twenty. (A union of the named graphs would repeat it twenty times, and a join of two such
repeated triples would cost their product: at a million triples every saved query took
over a minute or 3 GB that way.)
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from kg.ingest.dedup import Fingerprint
from kg.rdf.iris import article_id_of
from kg.rdf.ontology import ontology_graph
from kg.rdf.vocabulary import PREFIXES
from kg.store import DEFAULT_STORE
from kg.store.results import Results, to_ox

Quad = tuple[Node, Node, Node, URIRef]
STORED_TEXTS = "SELECT ?article ?text WHERE { ?article a kg:Article ; kg:articleText ?text }"


class Store(Protocol):
    """A kg store: named graphs in, SPARQL answers out. Close it, or use it in a `with`."""

    path: object  # what messages name: a folder, or a server's endpoint

    def has_graph(self, graph: URIRef) -> bool: ...

    def known_graphs(self, graphs: Iterable[URIRef]) -> set[URIRef]: ...

    def put_graph(self, graph: Iterable[tuple[Node, Node, Node]]) -> None: ...

    def load_ontology(self) -> None: ...

    def flush(self) -> None: ...

    def article_graphs(self) -> list[URIRef]: ...

    def fingerprints(self) -> Iterator[tuple[str, Fingerprint]]: ...

    def query(self, sparql: str) -> Results: ...

    def texts(self, sparql: str) -> list[tuple[str | None, ...]]: ...

    def construct(self, sparql: str) -> Graph: ...

    def quads(self, *, include_ontology: bool = False) -> Iterator[Quad]: ...

    def stream_triples(self, *, include_ontology: bool = False, line_order: bool = False) -> Iterator[ox.Quad]: ...

    def stream_quads(self, *, include_ontology: bool = False) -> Iterator[ox.Quad]: ...

    def union_graph(self, *, include_ontology: bool = False) -> Graph: ...

    def dataset(self, *, include_ontology: bool = False) -> Dataset: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None: ...


class StoreBase:
    """What every store does the same way, from its own `put_graph` and `quads`."""

    def put_graph(self, graph: Iterable[tuple[Node, Node, Node]]) -> None:
        raise NotImplementedError

    def has_graph(self, graph: URIRef) -> bool:
        raise NotImplementedError

    def quads(self, *, include_ontology: bool = False) -> Iterator[Quad]:
        raise NotImplementedError

    def query(self, sparql: str) -> Results:
        raise NotImplementedError

    def texts(self, sparql: str) -> list[tuple[str | None, ...]]:
        """A SELECT query's rows as texts (`Results.texts`)."""
        return self.query(sparql).texts()

    def known_graphs(self, graphs: Iterable[URIRef]) -> set[URIRef]:
        """Those of `graphs` the store holds."""
        return {g for g in graphs if self.has_graph(g)}

    def load_ontology(self) -> None:
        """(Re)load ontology/kg.ttl into its own named graph."""
        self.put_graph(ontology_graph())

    def fingerprints(self) -> Iterator[tuple[str, Fingerprint]]:
        """Each stored story's id and fingerprint, made from its stored text (a store that
        keeps fingerprints reads them instead)."""
        for iri, text in self.query(STORED_TEXTS).rows:
            yield article_id_of(iri), Fingerprint.of(str(text))

    def union_graph(self, *, include_ontology: bool = False) -> Graph:
        """All data graphs merged into one rdflib Graph."""
        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True)
        for s, p, o, _ in self.quads(include_ontology=include_ontology):
            graph.add((s, p, o))
        return graph

    def dataset(self, *, include_ontology: bool = False) -> Dataset:
        """The store as an rdflib Dataset, one graph per article."""
        ds = Dataset()
        for prefix, iri in PREFIXES.items():
            ds.bind(prefix, iri, override=True)
        for s, p, o, g in self.quads(include_ontology=include_ontology):
            ds.add((s, p, o, g))
        return ds

    def close(self) -> None:
        """Release the store; using it afterwards is an error."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def sorted_in_memory(quads: Iterable[Quad], *, by_graph: bool) -> Iterator[ox.Quad]:
    """`stream_triples` (by_graph False) or `stream_quads` (True) of any store's `quads()`, for
    stores that cannot stream their own: all triples are held at once, and sorted."""
    default = ox.DefaultGraph()
    every = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)) if by_graph else default)
             for s, p, o, g in quads}
    return iter(sorted(every, key=(lambda q: (str(q.graph_name), str(q))) if by_graph else str))


# scheme -> "module:class" of the store that opens addresses of that scheme; anything else
# (a folder, or None for memory) is the embedded store. Imported when first used.
_SCHEMES: dict[str, str] = {}
_EMBEDDED = "kg.store.oxigraph:OxigraphStore"


def register_store(scheme: str, target: str) -> None:
    """Open addresses `scheme://...` with the store class at `target` ("package.module:Class")."""
    _SCHEMES[scheme.lower()] = target


def _store_class(spec: str | Path | None) -> type:
    """The store class that opens `spec`."""
    scheme = str(spec).partition("://")[0].lower() if isinstance(spec, str) and "://" in spec else ""
    module, _, name = _SCHEMES.get(scheme, _EMBEDDED).partition(":")
    return getattr(importlib.import_module(module), name)


def open_store(spec: str | Path | None = DEFAULT_STORE, *, read_only: bool = False,
               allow_service: frozenset[str] = frozenset()) -> Store:
    """The store named by `spec`: a folder (or None, in memory) gives the embedded store,
    `sparql+http://host:port/path` or `sparql+https://...` a SPARQL 1.1 server (kg.store.remote).
    Queries may use SERVICE only towards the hosts of `allow_service`."""
    return _store_class(spec)(spec, read_only=read_only, allow_service=allow_service)


register_store("sparql+http", "kg.store.remote:RemoteStore")
register_store("sparql+https", "kg.store.remote:RemoteStore")
