"""The embedded, persistent graph store: Oxigraph on disk, one named graph per article.

rdflib builds the article graphs; Oxigraph keeps them and answers SPARQL (rdflib's own
engine is far too slow for a real archive). Oxigraph's union-of-graphs view would repeat a
triple for every article that states it, so every triple is also kept once in the default
graph, which queries read (see `kg.store.base`).

Oxigraph says what went wrong in its messages only; they are read once, here
(`_opening_error`), and become StoreLocked, StoreDamaged or StoreError.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.errors import QuerySyntaxError, StoreDamaged, StoreError, StoreLocked
from kg.rdf.vocabulary import ONTOLOGY_IRI, PREFIXES
from kg.store import sparql, syntax
from kg.store import DEFAULT_STORE
from kg.store.base import Quad, StoreBase
from kg.store.results import Results, from_ox, to_ox

if TYPE_CHECKING:
    from kg.rdf.graph import ArticleTriples

IRI_CACHE_SIZE = 100_000  # converted IRIs kept by a writing store (a few MB)


class OxigraphStore(StoreBase):
    """A kg store in a folder (or in memory with path=None).

    Queries may call other endpoints (SPARQL SERVICE) only on the hosts of `allow_service`.
    """

    def __init__(self, path: str | Path | None = DEFAULT_STORE, *, read_only: bool = False,
                 allow_service: frozenset[str] = frozenset()) -> None:
        self.path = Path(path) if path else None
        self.read_only = read_only
        self.allow_service = allow_service
        self._iris: dict[URIRef, ox.NamedNode] = {}
        self._store: ox.Store | None = None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not self.path.exists():
                    raise StoreError(f"no store at {self.path}: build one first with "
                                     f"`kg build PATH --store {self.path}`")
                self._store = ox.Store.read_only(str(self.path))
            else:
                if not self.path.exists():
                    _create(self.path)
                self._store = ox.Store(str(self.path))
        except (OSError, RuntimeError) as err:
            raise _opening_error(err, f"cannot open the store at {self.path}") from None

    def __repr__(self) -> str:
        return f"OxigraphStore({str(self.path) if self.path else None!r})"

    @property
    def _ox(self) -> ox.Store:
        if self._store is None:
            raise StoreError(f"the store at {self.path or 'memory'} is closed")
        return self._store

    def close(self) -> None:
        """Write what is pending and let go of the store's files (and its lock), at once."""
        if self._store is not None:
            if not self.read_only:
                self.flush()
            self._store = None
            self._iris.clear()

    # writing

    def has_graph(self, graph: URIRef) -> bool:
        return self._ox.contains_named_graph(ox.NamedNode(str(graph)))

    def put_graph(self, graph: Graph | ArticleTriples) -> None:
        """Write one named graph (and its triples to the default graph) in one transaction.

        A graph of the same name is replaced; triples it alone stated leave the default graph.
        """
        name = ox.NamedNode(str(graph.identifier))
        term = self._term
        triples = [(term(s), term(p), term(o)) for s, p, o in graph]
        default = ox.DefaultGraph()
        try:
            stale = self._drop_named(name, keep=triples)
            self._ox.extend([ox.Quad(s, p, o, name) for s, p, o in triples]
                            + [ox.Quad(s, p, o, default) for s, p, o in triples])
            for quad in stale:
                if not self._stated_elsewhere(quad):
                    self._ox.remove(quad)
        except OSError as err:
            raise _opening_error(err, f"cannot write to the store at {self.path}") from None

    def _term(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        """`to_ox`, remembering IRIs: classes, properties and entities recur in every article."""
        if type(term) is URIRef:
            node = self._iris.get(term)
            if node is None:
                if len(self._iris) >= IRI_CACHE_SIZE:
                    self._iris.clear()
                node = self._iris[term] = ox.NamedNode(term)
            return node
        return to_ox(term)

    def _stated_elsewhere(self, quad: ox.Quad) -> bool:
        matches = self._ox.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
        return any(not isinstance(q.graph_name, ox.DefaultGraph) for q in matches)

    def _drop_named(self, name: ox.NamedNode, *, keep: list) -> list[ox.Quad]:
        """Remove a named graph; its default-graph triples not in `keep` are returned."""
        if not self._ox.contains_named_graph(name):
            return []
        keep = set(keep)
        old = list(self._ox.quads_for_pattern(None, None, None, name))
        self._ox.remove_graph(name)
        return [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in old
                if (q.subject, q.predicate, q.object) not in keep]

    def flush(self) -> None:
        if self.path is not None and self._store is not None:
            self._store.flush()

    # reading

    def article_graphs(self) -> list[URIRef]:
        """The named graphs holding data (every graph but the ontology's), sorted."""
        names = (URIRef(g.value) for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))
        return sorted(g for g in names if g != ONTOLOGY_IRI)

    def query(self, sparql: str) -> Results:
        """A SELECT or ASK query; its default graph holds every triple of every article once."""
        result = self._run(sparql)
        if isinstance(result, ox.QueryBoolean):
            return Results(variables=(), rows=(), boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            return Results.of_solutions(result, from_ox)
        raise StoreError("a CONSTRUCT or DESCRIBE query gives a graph: use construct() for it")

    def construct(self, sparql: str) -> Graph:
        result = self._run(sparql)
        graph = Graph()
        for triple in result:
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        return graph

    def _run(self, text: str):
        sparql.check(text, allow_service=self.allow_service, prefixes=PREFIXES)
        try:
            return self._ox.query(text, prefixes=PREFIXES)
        except SyntaxError as err:
            raise QuerySyntaxError(syntax.explain(text, str(err), prefixes=PREFIXES)) from None
        except (OSError, RuntimeError, ValueError) as err:
            raise _opening_error(err, "query failed") from None

    def quads(self, *, include_ontology: bool = False) -> Iterator[Quad]:
        """Every quad of the data graphs (and the ontology's if asked), as rdflib terms."""
        for quad in self._ox.quads_for_pattern(None, None, None, None):
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode):
                continue
            if graph.value == str(ONTOLOGY_IRI) and not include_ontology:
                continue
            yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object), URIRef(graph.value)

    def sorted_triples(self, *, include_ontology: bool = False) -> Iterator[ox.Quad]:
        """The triples of `union_graph`, each once and in N-Triples line order, as Oxigraph
        quads in the default graph (which the serialisers of triples take; making a Triple of
        each would cost more than sorting them).

        They are read from the default graph, which holds every triple of every named graph
        once; without the ontology, the triples that only the ontology's graph states are left
        out. Oxigraph iterates in the order of its internal ids, not a documented order, so
        each subject's triples are sorted, subjects too: only the subjects are held at once.
        """
        default = ox.DefaultGraph()
        ontology_only = set() if include_ontology else self._ontology_only()
        subjects = self._ox.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")
        for subject in sorted((row[0] for row in subjects), key=str):
            quads = [q for q in self._ox.quads_for_pattern(subject, None, None, default) if q not in ontology_only]
            quads.sort(key=str)
            yield from quads

    def sorted_quads(self, *, include_ontology: bool = False) -> Iterator[ox.Quad]:
        """The quads of `dataset`, graph by graph (graphs sorted by name), each graph's triples
        in N-Triples line order; one graph is held at a time."""
        ontology = ox.NamedNode(str(ONTOLOGY_IRI))
        names = [g for g in self._ox.named_graphs()
                 if isinstance(g, ox.NamedNode) and (include_ontology or g != ontology)]
        for name in sorted(names, key=str):
            quads = list(self._ox.quads_for_pattern(None, None, None, name))
            quads.sort(key=str)
            yield from quads

    def _ontology_only(self) -> set[ox.Quad]:
        """The default graph's triples that no graph but the ontology's states."""
        ontology, default = ox.NamedNode(str(ONTOLOGY_IRI)), ox.DefaultGraph()
        found = set()
        for quad in self._ox.quads_for_pattern(None, None, None, ontology):
            graphs = (q.graph_name for q in self._ox.quads_for_pattern(quad.subject, quad.predicate, quad.object, None))
            if not any(isinstance(g, ox.NamedNode) and g != ontology for g in graphs):
                found.add(ox.Quad(quad.subject, quad.predicate, quad.object, default))
        return found


def _create(path: Path) -> None:
    """Make an empty store at `path` all at once: it is made beside it under a temporary name
    and renamed into place, so a build killed while the store's files were being laid out
    leaves no half-made store (only a hidden leftover, cleared by the next creation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in path.parent.glob(f".{path.name}.creating-*"):
        if not _running(leftover.name.rsplit("-", 1)[1]):
            shutil.rmtree(leftover, ignore_errors=True)
    staging = path.parent / f".{path.name}.creating-{os.getpid()}"
    store = ox.Store(str(staging))
    store.flush()
    del store
    try:
        staging.rename(path)
    except OSError:  # another process made the store first: use theirs
        shutil.rmtree(staging, ignore_errors=True)


def _running(pid: str) -> bool:
    """Whether the process `pid` (from a leftover's name) still runs, and may be using it."""
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _opening_error(err: Exception, what: str) -> StoreError:
    """Oxigraph's error as ours, typed by what its message says, with what to do about it."""
    text = str(err)
    if "lock" in text.lower():
        return StoreLocked(f"{what}: another kg process is using it (wait for it to finish, or use another {{store}})",
                           store="store")
    if "corruption" in text.lower():
        return StoreDamaged(f"{what}: its files are damaged or being rewritten by a running build "
                            f"({text.splitlines()[0][:200]}); if no build is running, rebuild the store")
    return StoreError(f"{what}: {_first_line(err)}")


def _first_line(err: Exception) -> str:
    text = str(err)
    return text.splitlines()[0] if text else type(err).__name__
