"""The build: read inputs, extract, and store each article as its own named graph.

The loop (reading, skipping known articles, linking duplicates, storing, reporting) is
written once, in `build`: ingest -> extract -> rdf -> store. The extraction step is a
strategy (`kg.build.extraction`): in this process, in local worker processes, or on a Dask
cluster (`kg.build.cluster`).
"""
from __future__ import annotations

import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import TYPE_CHECKING

from kg.build.extraction import Extract, local_extraction, where
from kg.ingest import Fields, Limits, Skipped, Source, read_articles
from kg.ingest.dedup import DuplicateIndex
from kg.ingest.items import failure
from kg.model import Article, Extraction
from kg.rdf.graph import ArticleTriples, extraction_triples
from kg.rdf.iris import article_id_of, article_iri
from kg.store import Store

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.ingest.fetch import Fetcher

WRITES_QUEUED = 16  # article graphs waiting for the store writer: bounds memory

STORED_TEXTS = "SELECT ?article ?text WHERE { ?article a kg:Article ; kg:articleText ?text }"


@dataclass
class BuildReport:
    """What a build did, for the summary line and the exit status."""

    articles_read: int = 0
    articles_added: int = 0
    articles_unchanged: int = 0
    duplicates: int = 0  # stories already read under another URL or headline: linked, not re-read
    entities: set[str] = field(default_factory=set)
    events: int = 0
    roles: int = 0
    links: int = 0  # standing relations
    triples: int = 0  # in the article graphs written (a triple in each graph stating it)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def facts(self) -> int:
        return self.events + self.roles + self.links

    @property
    def failed(self) -> bool:
        """Whether any input or article was skipped (the build went on without it)."""
        return bool(self.skipped)

    def skipped_by_reason(self) -> dict[str, int]:
        """How many were skipped for each kind of reason, most first: {"malformed JSON": 2, ...}."""
        counts = Counter(s.kind for s in self.skipped)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def add(self, extraction: Extraction, triples: int) -> None:
        """Count one stored article."""
        self.articles_added += 1
        self.entities.update(e.key for e in extraction.entities)
        self.events += len(extraction.events)
        self.roles += len(extraction.roles)
        self.links += len(extraction.links)
        self.triples += triples

    def summary(self, *, notes: Iterable[str] = ()) -> str:
        """One line: what was read and added, then the `notes` (what the store holds, ...),
        then how many inputs were skipped."""
        return (
            f"{self.articles_read} articles read: {self.articles_added} added, "
            f"{self.articles_unchanged} already in the store"
            + (f", {self.duplicates} duplicate(s) linked" if self.duplicates else "")
            + f"; {len(self.entities)} entities, "
            f"{self.facts} facts ({self.events} events, {self.roles} roles, {self.links} standing relations)"
            + "".join(f"; {note}" for note in notes)
            + (f"; {len(self.skipped)} skipped ("
               + ", ".join(f"{n} {kind}" for kind, n in self.skipped_by_reason().items()) + ")"
               if self.skipped else "")
        )


def new_articles(items: Iterable[Article | Skipped], store: Store, report: BuildReport, *, force: bool,
                 skip: Callable[[Skipped], None]) -> Iterable[Article]:
    """Articles not yet in the store (all of them with force), each id once."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Skipped):
            skip(item)
            continue
        report.articles_read += 1
        if item.id in seen or (not force and store.has_graph(article_iri(item.id))):
            report.articles_unchanged += 1
            continue
        seen.add(item.id)
        yield item


class Duplicates:
    """Tells new stories from repeats of stories read before, in this build or in the store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._index: DuplicateIndex | None = None

    def original_of(self, article: Article) -> str | None:
        """The id of the story `article` repeats; else None, and it is remembered as new."""
        return self._load().original_of(article.id, article.text, remember=True)

    def _load(self) -> DuplicateIndex:
        """The stored stories, read once and only when a new article needs checking."""
        if self._index is None:
            self._index = DuplicateIndex()
            for iri, text in self._store.query(STORED_TEXTS).rows:
                self._index.add(article_id_of(iri), str(text))
        return self._index


def originals(articles: Iterable[Article], duplicates: Duplicates, store: Store | StoreWriter,
              report: BuildReport, *, skip: Callable[[Skipped], None]) -> Iterator[Article]:
    """The articles that are new stories; each repeat is stored as a link to its original instead."""
    for article in articles:
        try:
            original = duplicates.original_of(article)
            link = None if original is None else extraction_triples(
                Extraction(article=replace(article, duplicate_of=original)))
        except Exception as err:  # noqa: BLE001 - one article's failure costs only that article
            skip(Skipped(where(article), failure("duplicate check failed", err)))
            continue
        if link is None:
            yield article
            continue
        store.put_graph(link)
        report.duplicates += 1


def article_graph(extraction: Extraction) -> ArticleTriples | Skipped:
    """The named graph of one extraction, or a Skipped if building it fails."""
    try:
        return extraction_triples(extraction)
    except Exception as err:  # noqa: BLE001 - one article's failure costs only that article
        return Skipped(where(extraction.article), failure("RDF building failed", err))


class StoreWriter:
    """Writes article graphs to the store in a background thread, in order, so that the
    store's own writing (Oxigraph releases the GIL) overlaps with parsing. Each graph is
    still one transaction, so a killed build leaves whole articles. At most `depth` graphs
    wait; an error of the writer is raised in the caller's thread, at its next `put_graph`
    or at the end of the `with` block. The thread starts with the first graph, after any
    worker processes of the extraction have been forked."""

    def __init__(self, store: Store, *, depth: int = WRITES_QUEUED) -> None:
        self._store = store
        self._queue: queue.Queue[Graph | ArticleTriples | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._thread is not None:
            self._queue.put(None)  # the graphs queued before are written first
            self._thread.join()
            self._thread = None
        if kind is None:
            self._raise()

    def put_graph(self, graph: Graph | ArticleTriples) -> None:
        self._raise()
        if self._thread is None:
            # made here, not before: a thread never started would keep a reference to this
            # writer, and so the store stays open after the build
            self._thread = threading.Thread(target=self._write, name="kg-store-writer", daemon=True)
            self._thread.start()
        self._queue.put(graph)

    def _write(self) -> None:
        while (graph := self._queue.get()) is not None:
            if self._error is None:  # after an error, drain the queue so the caller never blocks
                try:
                    self._store.put_graph(graph)
                except BaseException as err:  # noqa: BLE001 - raised again in the caller's thread
                    self._error = err

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error


def build(
    inputs: Iterable[Source] | Source,
    store: Store,
    *,
    model: str | None = None,
    force: bool = False,
    jobs: int = 1,
    batch_size: int = 64,
    extract: Extract | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    on_article: Callable[[BuildReport], None] | None = None,
    fetcher: Fetcher | None = None,
    open_relations: bool = True,
    limits: Limits | None = None,
    fields: Fields | None = None,
) -> BuildReport:
    """Add articles to `store`: those given, and those found under the paths given (files,
    folders, URLs, URL lists). An input that cannot be read, and an article whose reading,
    extraction or RDF fails, is skipped (`on_skip`, and in the report), never fatal. Without
    `open_relations`, the kg:Action events of clauses no event class reads are left out.

    Articles stream through: each is parsed and read by `extract` (by default
    `local_extraction(model, jobs=jobs, batch_size=batch_size)`), turned into its named
    graph and written in one transaction, so memory stays flat and an interrupted build
    leaves whole articles or none; the next build adds the rest. A story already read under
    another URL or headline is linked to it (kg:duplicateOf), not re-read. `limits` and
    `fields` are those of `kg.ingest.read_articles`.
    """
    report = BuildReport()

    def skip(item: Skipped) -> None:
        report.skipped.append(item)
        if on_skip:
            on_skip(item)

    extract = extract or local_extraction(model, jobs=jobs, batch_size=batch_size)
    store.load_ontology()
    items = read_articles(inputs, fetcher=fetcher, limits=limits, fields=fields)
    with StoreWriter(store) as writer:
        todo = originals(new_articles(items, store, report, force=force, skip=skip), Duplicates(store), writer, report,
                         skip=skip)
        for extraction in extract(todo):
            if not open_relations and not isinstance(extraction, Skipped):
                extraction = extraction.without_open_relations()
            graph = extraction if isinstance(extraction, Skipped) else article_graph(extraction)
            if isinstance(graph, Skipped):
                skip(graph)
                continue
            writer.put_graph(graph)
            report.add(extraction, len(graph))
            if on_article:
                on_article(report)
    store.flush()
    return report
