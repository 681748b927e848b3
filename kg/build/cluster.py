"""Extraction spread over a Dask cluster: the workers parse, the driver writes the store.

The driver reads the inputs, keeps the articles the store lacks (as `kg build` does), and
sends them to the workers in batches; each worker process loads the spaCy pipeline once, on
its first batch, and sends back the extractions (small dataclasses); the driver turns each
into its named graph and writes it to the store, embedded or remote. So only the driver
needs the store: the workers need kg and the pipeline, nothing else. A few batches per
worker are in flight at a time, so memory stays flat on a large input.

`connect("local:N")` starts a LocalCluster of N worker processes on 127.0.0.1;
`connect("tcp://HOST:8786")` joins a cluster started with `dask scheduler` and
`dask worker tcp://HOST:8786` on other machines (see docs/scale.md).

Dask is an optional extra: `pip install -e ".[distributed]"` in a checkout.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING

from kg.build.extraction import BATCHES_PER_WORKER, batches as in_batches, extract_batch as extract_safely, load_extractor
from kg.build.pipeline import BuildReport, build
from kg.errors import KGError
from kg.ingest import Fields, Limits, Skipped, Sources
from kg.model import Article, Extraction

if TYPE_CHECKING:
    from distributed import Client

    from kg.extract import Extractor
    from kg.ingest.fetch import Fetcher
    from kg.store import Store

LOCAL = "local:"
_extractors: dict[str, Extractor] = {}
_loading = threading.Lock()


def worker_extractor(model: str) -> Extractor:
    """The extractor of this worker process, loaded on first use and kept."""
    with _loading:  # a worker may run tasks in several threads: load once
        if model not in _extractors:
            _extractors[model] = load_extractor(model)
        return _extractors[model]


def extract_batch(articles: list[Article], model: str) -> list[Extraction | Skipped]:
    """Runs on a worker: the extractions of one batch of articles (a failing one skipped)."""
    return extract_safely(worker_extractor(model), articles)


def loaded_models() -> list[str]:
    """Runs on a worker: the pipelines it has loaded (for checks and monitoring)."""
    return sorted(_extractors)


@contextmanager
def connect(scheduler: str) -> Iterator[Client]:
    """A Dask client: `local:N` starts (and at the end stops) N local worker processes;
    anything else is a scheduler's address, such as tcp://10.0.0.5:8786."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise KGError('extraction on a cluster needs Dask: pip install "dask[distributed]" '
                      '(in a checkout of kg: pip install -e ".[distributed]")') from None
    if scheduler.startswith(LOCAL):
        count = scheduler[len(LOCAL):]
        if not count.isdigit() or int(count) < 1:
            raise KGError(f"bad scheduler {scheduler!r}: use local:N with N worker processes, e.g. local:4")
        with LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout="30s")
    except (OSError, TimeoutError) as err:
        raise KGError(f"cannot reach the Dask scheduler at {scheduler}: {err} "
                      "(start one with `dask scheduler`, or use local:N)") from None
    with client:
        yield client


def extract_on_cluster(articles: Iterable[Article], client: Client, *, model: str | None = None,
                       batch_size: int = 16) -> Iterator[Extraction | Skipped]:
    """Extractions of `articles`, parsed on the cluster's workers, as batches finish."""
    from distributed import as_completed

    from kg.extract.nlp import model_name

    name = model_name(model)  # the driver's choice, not each worker's $KG_MODEL
    batches = in_batches(articles, batch_size)
    limit = max(1, len(client.scheduler_info()["workers"])) * BATCHES_PER_WORKER
    running = as_completed([client.submit(extract_batch, batch, name, pure=False)
                            for batch in islice(batches, limit)])
    for future in running:
        extractions = future.result()  # a worker's error is raised here, in the driver
        future.release()
        for batch in islice(batches, 1):
            running.add(client.submit(extract_batch, batch, name, pure=False))
        yield from extractions


def build_on_cluster(
    inputs: Sources,
    store: Store,
    *,
    client: Client,
    model: str | None = None,
    force: bool = False,
    batch_size: int = 16,
    on_skip: Callable[[Skipped], None] | None = None,
    on_article: Callable[[BuildReport], None] | None = None,
    fetcher: Fetcher | None = None,
    open_relations: bool = True,
    limits: Limits | None = None,
    fields: Fields | None = None,
) -> BuildReport:
    """`kg.build.build` with the parsing done on a Dask cluster: the same articles are read,
    skipped and stored, and the store ends with the same graph."""
    extract = partial(extract_on_cluster, client=client, model=model, batch_size=batch_size)
    return build(inputs, store, force=force, extract=extract, on_skip=on_skip, on_article=on_article, fetcher=fetcher,
                 open_relations=open_relations, limits=limits, fields=fields)


def build_with(scheduler: str) -> Callable[..., BuildReport]:
    """`kg.build.build`'s signature, with the parsing done on the cluster at `scheduler`
    (`jobs` has no use there: the cluster's workers are the parser processes)."""
    def run(inputs: Sources, store: Store, *, jobs: int = 1, **options) -> BuildReport:
        with connect(scheduler) as client:
            return build_on_cluster(inputs, store, client=client, **options)
    return run
