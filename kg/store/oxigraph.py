"""The embedded, persistent graph store: Oxigraph on disk, one named graph per article.

Oxigraph keeps the graphs and answers SPARQL (rdflib's own engine is far too slow for a real
archive); what else it keeps, and how each write is one transaction, is `kg.store.layout`.
The build hands it Oxigraph terms (`kg.rdf.graph.extraction_triples`); rdflib graphs are
converted. Written data is flushed every `FLUSH_EVERY` quads, so a long build's memory stays
flat, and on closing.

Oxigraph says what went wrong in its messages only; they are read once, here
(`_opening_error`), and become StoreLocked, StoreDamaged or StoreError.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from itertools import filterfalse
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.errors import QuerySyntaxError, StoreDamaged, StoreError, StoreLocked
from kg.ingest.dedup import Fingerprint
from kg.rdf.iris import article_id_of
from kg.rdf.vocabulary import PREFIXES
from kg.store import DEFAULT_STORE, planning, sparql, syntax
from kg.store.base import Quad, StoreBase
from kg.store.layout import (CONTENT_KEY, DEFAULT, FINGERPRINTS_GRAPH, LAYOUT, LAYOUT_VERSION, MINHASH, ONTOLOGY,
                             ONTOLOGY_DIGEST, STORE_GRAPH, drop_graph, fingerprint_quads, insert_data, is_data_graph,
                             marker_quads, ontology_digest, ontology_triples, text_of)
from kg.store.results import Results, from_ox, to_ox, tsv_texts

if TYPE_CHECKING:
    from kg.rdf.graph import ArticleTriples
    from kg.store.integrity import IntegrityReport

IRI_CACHE_SIZE = 100_000  # converted IRIs kept by a writing store (a few MB)
FLUSH_EVERY = 50_000  # quads written between flushes: Oxigraph holds what it has not flushed
UPGRADE_BATCH = 500  # stored articles fingerprinted per transaction when an older store is upgraded
OX_TERMS = (ox.NamedNode, ox.BlankNode, ox.Literal)


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
        self._unflushed = 0
        self._wrote = False
        self.cleared: list[Path] = []  # leftovers of killed creations removed on opening
        try:
            if self.path is None:
                self._store = ox.Store()
            else:
                self.cleared = clear_leftovers(self.path)
                if read_only:
                    if not self.path.exists():
                        raise StoreError(f"no store at {self.path}: build one first with "
                                         f"`kg build PATH --store {self.path}`")
                    self._store = ox.Store.read_only(str(self.path))
                else:
                    if not self.path.exists():
                        _create(self.path)
                    self._store = ox.Store(str(self.path))
            if not read_only:
                self._upgrade()
        except (OSError, RuntimeError) as err:
            raise _opening_error(err, f"cannot open the store at {self.path}") from None

    def __repr__(self) -> str:
        return f"OxigraphStore({str(self.path) if self.path else None!r})"

    @property
    def engine(self) -> ox.Store:
        """The Oxigraph store itself (for kg.store.integrity)."""
        return self._ox

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
            if self._wrote and self.path is not None:
                _drop_spent_logs(self.path)

    # writing

    def has_graph(self, graph: URIRef) -> bool:
        return self._ox.contains_named_graph(ox.NamedNode(str(graph)))

    def known_graphs(self, graphs: Iterable[URIRef]) -> set[URIRef]:
        store = self._ox
        return {g for g in graphs if store.contains_named_graph(ox.NamedNode(str(g)))}

    def put_graph(self, graph: Graph | ArticleTriples) -> None:
        """Write one named graph, its triples in the default graph and, for an article with its
        text, its fingerprint (the one it carries, else made from the text), in one transaction.

        A graph of the same name is replaced; triples it alone stated leave the default graph.
        """
        self._writable()
        name = ox.NamedNode(str(graph.identifier))
        term = self._term
        triples = [(term(s), term(p), term(o)) for s, p, o in graph]
        fingerprint = getattr(graph, "fingerprint", None)
        if fingerprint is None:
            text = text_of(triples, name)
            fingerprint = Fingerprint.of(text) if text is not None else None
        quads = [ox.Quad(s, p, o, name) for s, p, o in triples]
        quads += [ox.Quad(s, p, o, DEFAULT) for s, p, o in triples]
        if fingerprint is not None:
            quads += fingerprint_quads(name, fingerprint)
        if self._ox.contains_named_graph(name):
            self._update(f"{drop_graph(name)} ;\nDELETE WHERE {{ GRAPH {FINGERPRINTS_GRAPH} {{ {name} ?p ?o }} }} ;\n"
                         + insert_data(quads))
        else:
            self._extend(quads)

    def load_ontology(self, *, force: bool = False) -> None:
        """Make the ontology's graph ontology/kg.ttl, if it is not that already (the store keeps
        the digest of the one it holds) or with `force`: old and new swap in one transaction."""
        self._writable()
        digest = ontology_digest()
        if not force and self._marker(ONTOLOGY_DIGEST) == digest:
            return
        triples = ontology_triples()
        quads = [ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY) for t in triples]
        quads += [ox.Quad(t.subject, t.predicate, t.object, DEFAULT) for t in triples]
        self._update(f"{drop_graph(ONTOLOGY)} ;\nDROP SILENT GRAPH {STORE_GRAPH} ;\n"
                     + insert_data(quads + marker_quads(digest)))

    def flush(self) -> None:
        if self.path is not None and self._store is not None:
            self._store.flush()
        self._unflushed = 0

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} was opened read-only")

    def _extend(self, quads: list[ox.Quad]) -> None:
        try:
            self._ox.extend(quads)
        except OSError as err:
            raise _opening_error(err, f"cannot write to the store at {self.path}") from None
        self._written(len(quads))

    def _update(self, text: str) -> None:
        """A SPARQL Update, which Oxigraph runs as one transaction."""
        try:
            self._ox.update(text)
        except OSError as err:
            raise _opening_error(err, f"cannot write to the store at {self.path}") from None
        self._written(text.count("\n"))

    def _written(self, quads: int) -> None:
        self._wrote = True
        self._unflushed += quads
        if self._unflushed >= FLUSH_EVERY:
            self.flush()

    def _term(self, term: Node | ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        """An Oxigraph term as it is; an rdflib term converted, IRIs remembered."""
        if isinstance(term, OX_TERMS):
            return term
        if type(term) is URIRef:
            node = self._iris.get(term)
            if node is None:
                if len(self._iris) >= IRI_CACHE_SIZE:
                    self._iris.clear()
                node = self._iris[term] = ox.NamedNode(term)
            return node
        return to_ox(term)

    def _marker(self, prop: ox.NamedNode) -> str | None:
        found = next(self._ox.quads_for_pattern(STORE_GRAPH, prop, None, STORE_GRAPH), None)
        return found.object.value if found is not None else None

    def _upgrade(self) -> None:
        """Bring a store written by an older kg to this layout: fingerprint its stored
        stories (in transactions of `UPGRADE_BATCH`), then say so in its layout marker."""
        if self._marker(LAYOUT) == str(LAYOUT_VERSION):
            return
        from kg.store.integrity import unfingerprinted

        pending = list(unfingerprinted(self._ox))
        for start in range(0, len(pending), UPGRADE_BATCH):
            self._extend([q for name, text in pending[start:start + UPGRADE_BATCH]
                          for q in fingerprint_quads(name, Fingerprint.of(text))])
        digest = self._marker(ONTOLOGY_DIGEST)
        marker = [q for q in marker_quads(digest or "") if digest is not None or q.predicate == LAYOUT]
        self._update(f"DROP SILENT GRAPH {STORE_GRAPH} ;\n" + insert_data(marker))

    # reading

    def article_graphs(self) -> list[URIRef]:
        """The named graphs holding data (every graph but the ontology's and kg's own), sorted."""
        return sorted(URIRef(g.value) for g in self._ox.named_graphs() if is_data_graph(g))

    def fingerprints(self) -> Iterator[tuple[str, Fingerprint]]:
        """Each stored story's id and fingerprint, read from the store's own index."""
        store = self._ox
        signatures = {q.subject: q.object.value for q in store.quads_for_pattern(None, MINHASH, None, FINGERPRINTS_GRAPH)}
        for quad in store.quads_for_pattern(None, CONTENT_KEY, None, FINGERPRINTS_GRAPH):
            try:
                fingerprint = Fingerprint.parse(quad.object.value, signatures.get(quad.subject))
            except ValueError:  # damaged: `kg doctor` makes it again from the text
                continue
            yield article_id_of(quad.subject.value), fingerprint

    def query(self, sparql: str) -> Results:
        """A SELECT or ASK query; its default graph holds every triple of every article once.
        A `# kg: first` sub-SELECT is run first (kg.store.planning), whoever sends the query."""
        if planning.FIRST in sparql:
            sparql = planning.inline_first(self, sparql)
        result = self._run(sparql)
        if isinstance(result, ox.QueryBoolean):
            return Results(variables=(), rows=(), boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            return Results.of_solutions(result, from_ox)
        raise StoreError("a CONSTRUCT or DESCRIBE query gives a graph: use construct() for it")

    def texts(self, sparql: str) -> list[tuple[str | None, ...]]:
        """A SELECT query's rows as texts, read from Oxigraph's TSV (`tsv_texts`)."""
        if planning.FIRST in sparql:
            sparql = planning.inline_first(self, sparql)
        result = self._run(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("texts() reads the rows of a SELECT query")
        return tsv_texts(result.serialize(format=ox.QueryResultsFormat.TSV))

    def construct(self, sparql: str) -> Graph:
        result = self._run(sparql)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("a SELECT or ASK query gives a table: use query() for it")
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
        for quad in self.stream_quads(include_ontology=include_ontology):
            yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object), URIRef(quad.graph_name.value)

    def stream_triples(self, *, include_ontology: bool = False, line_order: bool = False) -> Iterator[ox.Quad]:
        """The triples of `union_graph`, each once, as Oxigraph quads in the default graph (which
        the serialisers of triples take), streamed from the default graph in the store's own
        order: on disk, the same data gives the same order, a subject's triples together. With
        `line_order`, and always in memory (whose order is that of writing), in N-Triples line
        order instead (subjects sorted, then each subject's triples: only the subjects are held
        at once, but sorting costs a third more time).

        Without the ontology, the triples that no graph but the ontology's states are left out.
        """
        ontology_only = set() if include_ontology else self._ontology_only()
        if not line_order and self.path is not None:
            # filtered without a Python step per triple: the serialiser pulls at the store's speed
            return filterfalse(ontology_only.__contains__, self._ox.quads_for_pattern(None, None, None, DEFAULT))
        return self._triples_in_line_order(ontology_only)

    def _triples_in_line_order(self, ontology_only: set[ox.Quad]) -> Iterator[ox.Quad]:
        subjects = {q.subject for q in ontology_only}
        everyone = (row[0] for row in self._ox.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }"))
        for subject in sorted(everyone, key=str):
            quads = list(self._ox.quads_for_pattern(subject, None, None, DEFAULT))
            if subject in subjects:
                quads = [q for q in quads if q not in ontology_only]
            quads.sort(key=str)
            yield from quads

    def stream_quads(self, *, include_ontology: bool = False) -> Iterator[ox.Quad]:
        """The quads of `dataset`, graph by graph (graphs sorted by name), each graph's triples
        in the store's own order (in memory, in line order)."""
        names = [g for g in self._ox.named_graphs() if is_data_graph(g) or (include_ontology and g == ONTOLOGY)]
        for name in sorted(names, key=lambda g: g.value):
            quads = self._ox.quads_for_pattern(None, None, None, name)
            yield from (quads if self.path is not None else sorted(quads, key=str))

    def _ontology_only(self) -> set[ox.Quad]:
        """The default graph's triples that no graph but the ontology's states."""
        found = set()
        for quad in self._ox.quads_for_pattern(None, None, None, ONTOLOGY):
            graphs = (q.graph_name for q in self._ox.quads_for_pattern(quad.subject, quad.predicate, quad.object, None))
            if not any(is_data_graph(g) for g in graphs):
                found.add(ox.Quad(quad.subject, quad.predicate, quad.object, DEFAULT))
        return found

    # upkeep

    def check_integrity(self, *, repair: bool = False) -> IntegrityReport:
        """What `kg doctor` finds (kg.store.integrity), and, with `repair`, mends."""
        from kg.store.integrity import check

        if repair:
            self._writable()
        report = check(self, repair=repair, cleared=self.cleared)
        if repair and report.repaired:
            self.flush()
        return report


def clear_leftovers(path: Path) -> list[Path]:
    """Remove what killed creations of the store at `path` left beside it (hidden
    `.NAME.creating-PID` folders of processes no longer running); the ones removed."""
    removed = []
    if path.parent.is_dir():
        for leftover in path.parent.glob(f".{path.name}.creating-*"):
            if not _running(leftover.name.rsplit("-", 1)[1]):
                shutil.rmtree(leftover, ignore_errors=True)
                removed.append(leftover)
    return removed


def _create(path: Path) -> None:
    """Make an empty store at `path` all at once: it is made beside it under a temporary name
    and renamed into place, so a build killed while the store's files were being laid out
    leaves no half-made store (only a hidden leftover, cleared by the next opening)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.parent / f".{path.name}.creating-{os.getpid()}"
    store = ox.Store(str(staging))
    store.flush()
    del store
    try:
        staging.rename(path)
    except OSError:  # another process made the store first: use theirs
        shutil.rmtree(staging, ignore_errors=True)


def _drop_spent_logs(path: Path) -> None:
    """Delete the write-ahead logs of data already flushed. RocksDB keeps them for reuse (up to
    ten, `recycle_log_file_num` in Oxigraph's options, often half of a new store's size) and
    deletes them only when it opens the store, so it is opened once more after writing. If it
    cannot be (another process, or a reference still held, keeps it open), they stay until
    the next opening."""
    try:
        ox.Store(str(path))  # dropped at once: opened and closed
    except (OSError, RuntimeError):
        pass


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
