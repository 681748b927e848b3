"""The extraction step of a build, a function from articles to their extractions: in this
process, or in local worker processes that each parse and extract and send back only the
(small) extractions. `kg.build.cluster` does the same on a Dask cluster.

An article whose extraction raises is skipped with the reason, like an unreadable input, and
the rest goes on. The spaCy pipeline is loaded when the first article needs parsing, so a
build that finds everything already stored never loads it.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

from kg.ingest import Skipped, Source, read_articles
from kg.model import Article, Extraction

if TYPE_CHECKING:
    from kg.extract import Extractor
    from kg.ingest.fetch import Fetcher

# The extraction step: articles in, their extractions (or why one was skipped) out, in any
# order, each article once.
Extract = Callable[[Iterable[Article]], Iterable[Extraction | Skipped]]
BATCHES_PER_WORKER = 2  # in flight at once per worker process: one parsing, one waiting


def batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """The articles in lists of `size` (the last may be shorter)."""
    pending = iter(articles)
    return iter(lambda: list(islice(pending, size)), [])


def extract_batch(extractor: Extractor, articles: list[Article]) -> list[Extraction | Skipped]:
    """The extractions of one batch, parsed together; if that fails, each article alone, and
    an article that fails alone is skipped with its error."""
    try:
        return list(extractor.extract_many(articles, batch_size=len(articles)))
    except Exception:  # noqa: BLE001 - one bad article must not lose the batch: retried one by one
        return [_extract_one(extractor, article) for article in articles]


def _extract_one(extractor: Extractor, article: Article) -> Extraction | Skipped:
    try:
        return extractor.extract(article)
    except Exception as err:  # noqa: BLE001 - reported as a skipped article, as unreadable inputs are
        where = article.origin or article.url or f"article {article.id}"
        return Skipped(where, f"extraction failed ({type(err).__name__}: {err})")


def load_extractor(model: str | None) -> Extractor:
    """An extractor with the spaCy pipeline `model` (spaCy is imported here, not before)."""
    from kg.extract import Extractor, nlp

    return Extractor(nlp.load(model))


def extract_articles(inputs: Iterable[Source] | Source, *, model: str | None = None, batch_size: int = 64,
                     fetcher: Fetcher | None = None, open_relations: bool = True) -> Iterator[Extraction | Skipped]:
    """What would be read from the inputs, storing nothing: first a Skipped for each input
    that could not be read, then an Extraction for each article (or a Skipped, if its
    extraction failed), in input order; without `open_relations`, no kg:Action events."""
    articles = []
    for item in read_articles(inputs, fetcher=fetcher):
        if isinstance(item, Skipped):
            yield item
        else:
            articles.append(item)
    for result in local_extraction(model, batch_size=batch_size)(articles):
        yield result if open_relations or isinstance(result, Skipped) else result.without_open_relations()


def local_extraction(model: str | None = None, *, jobs: int = 1, batch_size: int = 64) -> Extract:
    """The extraction step on this machine: in this process, or with `jobs` > 1 in that many
    worker processes, each with its own pipeline."""
    def extract(articles: Iterable[Article]) -> Iterator[Extraction | Skipped]:
        if jobs > 1:
            yield from extract_in_processes(articles, model=model, jobs=jobs, batch_size=batch_size)
            return
        extractor = None
        for batch in batches(articles, batch_size):
            extractor = extractor or load_extractor(model)
            yield from extract_batch(extractor, batch)
    return extract


def extract_in_processes(articles: Iterable[Article], *, model: str | None = None, jobs: int = 2,
                         batch_size: int = 64) -> Iterator[Extraction | Skipped]:
    """Extractions of `articles`, in input order, from `jobs` worker processes that each
    parse and extract batches of `batch_size`; a few batches per worker are in flight, so
    memory stays flat. The pipeline is loaded here first: forked workers inherit it."""
    pending = batches(articles, batch_size)
    first = next(pending, None)
    if first is None:
        return
    from kg.extract import nlp

    nlp.load(model)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    queued = iter([first, *islice(pending, jobs * BATCHES_PER_WORKER - 1)])
    with context.Pool(jobs, initializer=_start_worker, initargs=(model,)) as pool:
        running = deque(pool.apply_async(_extract_in_worker, (batch,)) for batch in queued)
        while running:
            extractions = running.popleft().get()  # a worker's error is raised here
            running.extend(pool.apply_async(_extract_in_worker, (batch,)) for batch in islice(pending, 1))
            yield from extractions


_worker: dict[str, Extractor] = {}  # in a worker process of extract_in_processes: its extractor


def _start_worker(model: str | None) -> None:
    _worker["extractor"] = load_extractor(model)


def _extract_in_worker(articles: list[Article]) -> list[Extraction | Skipped]:
    return extract_batch(_worker["extractor"], articles)
