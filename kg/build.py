"""The main job: read inputs, extract, and store each article as its own named graph."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg import ingest, nlp as pipelines
from kg.dedup import DuplicateIndex
from kg.extract import Extractor
from kg.fetch import Fetcher
from kg.model import Article, Extraction
from kg.rdf import article_iri, extraction_graph, extraction_triples
from kg.store import GraphStore

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
    triples: int = 0
    skipped: list[ingest.Skipped] = field(default_factory=list)

    @property
    def facts(self) -> int:
        return self.events + self.roles

    @property
    def failed(self) -> bool:
        return bool(self.skipped)

    def summary(self) -> str:
        return (
            f"{self.articles_read} articles read: {self.articles_added} added, "
            f"{self.articles_unchanged} already in the store"
            + (f", {self.duplicates} duplicate(s) linked" if self.duplicates else "")
            + f"; {len(self.entities)} entities, "
            f"{self.facts} facts ({self.events} events, {self.roles} roles), {self.triples} triples"
            + (f"; {len(self.skipped)} input(s) skipped" if self.skipped else "")
        )


def new_articles(items: Iterable[Article | ingest.Skipped], store: GraphStore, report: BuildReport, *, force: bool) -> Iterable[Article]:
    """Articles not yet in the store (all of them with force), each id once."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, ingest.Skipped):
            report.skipped.append(item)
            continue
        report.articles_read += 1
        if item.id in seen or (not force and store.has_graph(article_iri(item.id))):
            report.articles_unchanged += 1
            continue
        seen.add(item.id)
        yield item


class Duplicates:
    """Tells new stories from repeats of stories read before, in this build or in the store."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._index: DuplicateIndex | None = None

    def original_of(self, article: Article) -> str | None:
        """The id of the story `article` repeats; else None, and it is remembered as new."""
        index = self._load()
        original = index.original_of(article.id, article.text)
        if original is None:
            index.add(article.id, article.text)
        return original

    def _load(self) -> DuplicateIndex:
        """The stored stories, read once and only when a new article needs checking."""
        if self._index is None:
            self._index = DuplicateIndex()
            for iri, text in self._store.query(STORED_TEXTS).rows:
                self._index.add(str(iri).rsplit("/", 1)[1], str(text))
        return self._index


def originals(articles: Iterable[Article], duplicates: Duplicates, store: GraphStore, report: BuildReport) -> Iterator[Article]:
    """The articles that are new stories; each repeat is stored as a link to its original instead."""
    for article in articles:
        original = duplicates.original_of(article)
        if original is None:
            yield article
            continue
        store.put_graph(extraction_graph(Extraction(article=replace(article, duplicate_of=original))))
        report.duplicates += 1


def build(
    paths: Iterable[str | Path],
    store: GraphStore,
    *,
    model: str | None = None,
    force: bool = False,
    jobs: int = 1,
    batch_size: int = 64,
    on_skip: Callable[[ingest.Skipped], None] | None = None,
    on_article: Callable[[BuildReport], None] | None = None,
    fetcher: Fetcher | None = None,
) -> BuildReport:
    """Add the articles found under `paths` to `store`; unreadable inputs are reported, not fatal.

    Articles stream through: each is parsed (in `jobs` processes, `batch_size` at a time),
    turned into its named graph and written in one transaction, so memory stays flat and an
    interrupted build leaves whole articles or none; the next build adds the rest. A story
    already read under another URL or headline is linked to it (kg:duplicateOf), not re-read.
    """
    report = BuildReport()
    extractor = Extractor(pipelines.load(model))
    store.load_ontology()
    items = _reporting(ingest.read_articles(paths, fetcher=fetcher), on_skip)
    todo = originals(new_articles(items, store, report, force=force), Duplicates(store), store, report)
    for extraction in extractor.extract_many(todo, batch_size=batch_size, n_process=jobs):
        _store(extraction, store, report)
        if on_article:
            on_article(report)
    store.flush()
    return report


def _reporting(items, on_skip):
    for item in items:
        if isinstance(item, ingest.Skipped) and on_skip:
            on_skip(item)
        yield item


def _store(extraction: Extraction, store: GraphStore, report: BuildReport) -> None:
    graph = extraction_triples(extraction)
    store.put_graph(graph)
    report.articles_added += 1
    report.entities.update(e.key for e in extraction.entities)
    report.events += len(extraction.events)
    report.roles += len(extraction.roles)
    report.triples += len(graph)
