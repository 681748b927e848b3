"""The main job: read inputs, extract, and store each article as its own named graph."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg import ingest, nlp as pipelines
from kg.extract import Extractor
from kg.model import Article, Extraction
from kg.rdf import article_iri, extraction_graph
from kg.store import GraphStore


@dataclass
class BuildReport:
    """What a build did, for the summary line and the exit status."""

    articles_read: int = 0
    articles_added: int = 0
    articles_unchanged: int = 0
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
            f"{self.articles_unchanged} already in the store; {len(self.entities)} entities, "
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
) -> BuildReport:
    """Add the articles found under `paths` to `store`; unreadable inputs are reported, not fatal.

    Articles stream through: each is parsed (in `jobs` processes, `batch_size` at a time),
    turned into its named graph and written in one transaction, so memory stays flat and an
    interrupted build leaves whole articles or none; the next build adds the rest.
    """
    report = BuildReport()
    extractor = Extractor(pipelines.load(model))
    store.load_ontology()
    items = _reporting(ingest.read_articles(paths), on_skip)
    todo = new_articles(items, store, report, force=force)
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
    graph = extraction_graph(extraction)
    store.put_graph(graph)
    report.articles_added += 1
    report.entities.update(e.key for e in extraction.entities)
    report.events += len(extraction.events)
    report.roles += len(extraction.roles)
    report.triples += len(graph)
