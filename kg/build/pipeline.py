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
from kg.ingest import Fields, Limits, Skipped, Sources, read_articles
from kg.ingest.dedup import DuplicateIndex, Fingerprint
from kg.ingest.items import failure
from kg.model import Article, Extraction
from kg.rdf.graph import ArticleTriples, extraction_triples
from kg.rdf.iris import article_iri
from kg.store import Store

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.ingest.fetch import Fetcher

WRITES_QUEUED = 16  # article graphs waiting for the store writer: bounds memory
KNOWN_BATCH = 256  # articles whose presence in the store is asked at once


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
    """Articles not yet in the store (all of them with force), each id once; the store is
    asked about `KNOWN_BATCH` articles at a time."""
    seen: set[str] = set()
    batch: list[Article] = []

    def sift() -> Iterator[Article]:
        known = set() if force else store.known_graphs(article_iri(a.id) for a in batch)
        for article in batch:
            if article.id in seen or article_iri(article.id) in known:
                report.articles_unchanged += 1
                continue
            seen.add(article.id)
            yield article
        batch.clear()

    for item in items:
        if isinstance(item, Skipped):
            skip(item)
            continue
        report.articles_read += 1
        batch.append(item)
        if len(batch) >= KNOWN_BATCH:
            yield from sift()
    yield from sift()


class Duplicates:
    """Tells new stories from repeats of stories read before, in this build or in the store
    (whose fingerprints are read once, and only when a new article needs checking)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._index: DuplicateIndex | None = None
        self._stored: set[str] = set()
        self._new: dict[str, Fingerprint] = {}

    def original_of(self, article: Article) -> str | None:
        """The id of the story `article` repeats; else None, and it is remembered as new."""
        fingerprint = Fingerprint.of(article.text)
        original = self._load().match(article.id, fingerprint, remember=True)
        if original is None:
            self._new[article.id] = fingerprint
        return original

    def is_stored(self, article_id: str) -> bool:
        """Whether the story was in the store before this build."""
        return article_id in self._stored

    def fingerprint(self, article_id: str) -> Fingerprint | None:
        """A new story's fingerprint, to store with it (once)."""
        return self._new.pop(article_id, None)

    def _load(self) -> DuplicateIndex:
        if self._index is None:
            self._index = DuplicateIndex()
            for article_id, fingerprint in self._store.fingerprints():
                self._index.remember(article_id, fingerprint)
                self._stored.add(article_id)
        return self._index


class Links:
    """Repeats of a story, stored as links to it (kg:duplicateOf): at once when the story was
    stored before, else right after it, so that a killed build never leaves a link to a
    story that is not in the store. An article whose duplicate check fails is skipped."""

    def __init__(self, duplicates: Duplicates, store: Store | StoreWriter, report: BuildReport, *,
                 skip: Callable[[Skipped], None]) -> None:
        self.duplicates, self.store, self.report, self.skip = duplicates, store, report, skip
        self._waiting: dict[str, list[Article]] = {}

    def originals(self, articles: Iterable[Article]) -> Iterator[Article]:
        """The articles that are new stories; each repeat becomes a link instead."""
        for article in articles:
            try:
                original = self.duplicates.original_of(article)
            except Exception as err:  # noqa: BLE001 - one article's failure costs only that article
                self.skip(Skipped(where(article), failure("duplicate check failed", err)))
                continue
            if original is None:
                yield article
            elif self.duplicates.is_stored(original):
                self._write(article, original)
            else:
                self._waiting.setdefault(original, []).append(article)

    def stored(self, article_id: str) -> None:
        """The story `article_id` was just written: its repeats can be."""
        for repeat in self._waiting.pop(article_id, ()):
            self._write(repeat, article_id)

    def close(self) -> None:
        """The links whose story was never written (its extraction failed)."""
        for original in list(self._waiting):
            self.stored(original)

    def _write(self, article: Article, original: str) -> None:
        self.store.put_graph(extraction_triples(Extraction(article=replace(article, duplicate_of=original))))
        self.report.duplicates += 1


def article_graph(extraction: Extraction, *, fingerprint: Fingerprint | None = None) -> ArticleTriples | Skipped:
    """The named graph of one extraction (with the story's `fingerprint`, stored with it), or
    a Skipped if building it fails."""
    try:
        return extraction_triples(extraction, fingerprint=fingerprint)
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
    inputs: Sources,
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
    duplicates = Duplicates(store)
    with StoreWriter(store) as writer:
        links = Links(duplicates, writer, report, skip=skip)
        todo = links.originals(new_articles(items, store, report, force=force, skip=skip))
        for extraction in extract(todo):
            if isinstance(extraction, Skipped):
                skip(extraction)
                continue
            if not open_relations:
                extraction = extraction.without_open_relations()
            graph = article_graph(extraction, fingerprint=duplicates.fingerprint(extraction.article.id))
            if isinstance(graph, Skipped):
                skip(graph)
                continue
            writer.put_graph(graph)
            links.stored(extraction.article.id)
            report.add(extraction, len(graph))
            if on_article:
                on_article(report)
        links.close()
    store.flush()
    return report
