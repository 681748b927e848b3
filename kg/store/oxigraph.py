"""The embedded, persistent graph store: Oxigraph on disk, one named graph per article.

rdflib builds the article graphs; Oxigraph keeps them and answers SPARQL (rdflib's own
engine is far too slow for a real archive). Terms cross the boundary here, and only here:
plain literals come back from Oxigraph typed xsd:string and are made plain again.

Every triple is also kept once in the default graph, which queries read: Oxigraph's
union-of-graphs view repeats a triple for every article that states it ("Donald Trump is a
Person" in twenty articles would give twenty rows). The named graphs keep provenance and
are there for `GRAPH ?article { ... }` patterns.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.store import sparql
from kg.errors import StoreError
from kg.rdf.vocabulary import ONTOLOGY_IRI, PREFIXES

if TYPE_CHECKING:
    from kg.rdf.graph import ArticleTriples
    from kg.store.remote import RemoteStore

DEFAULT_STORE = "kg-store"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
IRI_CACHE_SIZE = 100_000  # converted IRIs kept by a writing store (a few MB)


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot store term {term!r}")


def from_ox(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unexpected term from the store: {term!r}")


@dataclass(frozen=True)
class Results:
    """A SELECT or ASK answer: variable names and rows of rdflib terms (None if unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]
    boolean: bool | None = None

    @classmethod
    def of_solutions(cls, solutions: ox.QuerySolutions, convert: Callable[[object], Node]) -> Results:
        """A SELECT answer from Oxigraph's solutions, each bound value made an rdflib term."""
        names = tuple(v.value for v in solutions.variables)
        rows = tuple(tuple(None if value is None else convert(value) for value in row) for row in solutions)
        return cls(variables=names, rows=rows)


class GraphStore:
    """A kg store in a folder (or in memory with path=None).

    Queries may call other endpoints (SPARQL SERVICE) only on the hosts of `allow_service`.
    """

    def __init__(self, path: str | Path | None = DEFAULT_STORE, *, read_only: bool = False,
                 allow_service: frozenset[str] = frozenset()) -> None:
        self.path = Path(path) if path else None
        self.allow_service = allow_service
        self._iris: dict[URIRef, ox.NamedNode] = {}
        try:
            if self.path is None:
                self._ox = ox.Store()
            elif read_only:
                if not self.path.exists():
                    raise StoreError(f"no store at {self.path}: build one first with `kg build PATH --store {self.path}`")
                self._ox = ox.Store.read_only(str(self.path))
            else:
                if not self.path.exists():
                    _create(self.path)
                self._ox = ox.Store(str(self.path))
        except (OSError, RuntimeError) as err:
            raise StoreError(f"cannot open the store at {self.path}: {_reason(err)}") from None

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
            raise StoreError(f"cannot write to the store at {self.path}: {_reason(err)}") from None

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

    def load_ontology(self) -> None:
        """(Re)load ontology/kg.ttl into its own named graph."""
        data = resources.files("kg.ontology").joinpath("kg.ttl").read_bytes()
        graph = Graph(identifier=ONTOLOGY_IRI)
        graph.parse(data=data, format="turtle")
        self.put_graph(graph)

    def flush(self) -> None:
        if self.path is not None:
            self._ox.flush()

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
            raise StoreError(f"SPARQL syntax error: {_reason(err)}") from None
        except (OSError, RuntimeError, ValueError) as err:
            raise StoreError(f"query failed: {_reason(err)}") from None

    def quads(self, *, include_ontology: bool = False) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        """Every quad of the data graphs (and the ontology's if asked), as rdflib terms."""
        for quad in self._ox.quads_for_pattern(None, None, None, None):
            graph = quad.graph_name
            if not isinstance(graph, ox.NamedNode):
                continue
            if graph.value == str(ONTOLOGY_IRI) and not include_ontology:
                continue
            yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object), URIRef(graph.value)

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

    # reading for exports: Oxigraph terms in a stable order, one small group at a time

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


def sorted_in_memory(quads: Iterator[tuple[Node, Node, Node, URIRef]], *, by_graph: bool) -> Iterator[ox.Quad]:
    """`sorted_triples` (by_graph False) or `sorted_quads` (True) of any store's `quads()`, for
    stores that cannot be read a subject at a time; all triples are held at once."""
    default = ox.DefaultGraph()
    every = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)) if by_graph else default)
             for s, p, o, g in quads}
    return iter(sorted(every, key=(lambda q: (str(q.graph_name), str(q))) if by_graph else str))


def open_store(spec: str | Path | None = DEFAULT_STORE, *, read_only: bool = False,
               allow_service: frozenset[str] = frozenset()) -> GraphStore | RemoteStore:
    """The store named by `spec`: a folder (or None, in memory) gives the embedded store,
    `sparql+http://host:port/path` or `sparql+https://...` a SPARQL 1.1 server (kg.remote).
    Queries may use SERVICE only towards the hosts of `allow_service`."""
    from kg.store.remote import RemoteStore, is_remote

    if is_remote(spec):
        return RemoteStore(str(spec), read_only=read_only, allow_service=allow_service)
    return GraphStore(spec, read_only=read_only, allow_service=allow_service)


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


def _reason(err: Exception) -> str:
    """One line for the user: what went wrong, and what to do where there is something."""
    text = str(err)
    if "lock" in text.lower():
        return "another kg process is using it (wait for it to finish, or use another --store)"
    if "corruption" in text.lower():
        return ("its files are damaged or being rewritten by a running build "
                f"({text.splitlines()[0][:200]}); if no build is running, rebuild the store")
    return text.splitlines()[0] if text else type(err).__name__

