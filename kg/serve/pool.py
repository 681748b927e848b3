"""The query processes of `kg serve`: each opens the store read-only and answers queries
sent down its pipe; a query that outlives its limit has its process killed and replaced."""
from __future__ import annotations

import itertools
import logging
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from kg.errors import KGError, QueryError, StoreError
from kg.rdf.vocabulary import PREFIXES
from kg.store import open_store, sparql
from kg.store.results import Results, to_ox

log = logging.getLogger("kg.serve")

JSON, XML, CSV, TSV = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
                       ox.QueryResultsFormat.TSV)
TURTLE, NTRIPLES, RDFXML, JSONLD = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML,
                                    ox.RdfFormat.JSON_LD)


@dataclass(frozen=True)
class Answer:
    """What the handler sends: status, media type, body and, if cut, the cap applied."""

    status: int
    content_type: str
    body: bytes
    truncated_at: int | None = None

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        return cls(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


@dataclass(frozen=True)
class Job:
    """A query for a worker, with the media type to answer in (None: the default)."""

    query: str
    media_type: str | None
    max_results: int


def answer(store, job: Job) -> Answer:
    """Run one query on the store and serialise its answer (in a worker process)."""
    form = sparql.shape(job.query).form
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            graph = store.construct(job.query)
            cut = len(graph) > job.max_results
            triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o))
                       for s, p, o in itertools.islice(graph, job.max_results)]
            fmt = ox.RdfFormat.from_media_type(job.media_type) if job.media_type else TURTLE
            body = ox.serialize(triples, format=fmt, prefixes=PREFIXES if fmt == TURTLE else None)
            return Answer(200, _content_type(fmt), body, job.max_results if cut else None)
        results = store.query(job.query)
    except KGError as err:
        return Answer.error(_status(err), str(err))
    cut = len(results.rows) > job.max_results
    if cut:
        results = Results(results.variables, results.rows[: job.max_results], results.boolean)
    text = results.to_json().encode("utf-8")
    fmt = ox.QueryResultsFormat.from_media_type(job.media_type) if job.media_type else JSON
    if fmt != JSON:
        text = ox.parse_query_results(text, format=JSON).serialize(format=fmt)
    return Answer(200, _content_type(fmt), text, job.max_results if cut else None)


def _status(err: KGError) -> int:
    """403 for what the endpoint will not do, 400 for a query at fault, 500 for the rest."""
    if isinstance(err, sparql.QueryRefused):
        return 403
    if isinstance(err, QueryError):
        return 400
    return 500


def _content_type(fmt) -> str:
    media = bare_media_type(fmt.media_type)  # Oxigraph's CSV and TSV types carry a charset already
    text = media in ("text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples")
    return media + ("; charset=utf-8" if text else "")


def bare_media_type(media_type: str) -> str:
    return media_type.partition(";")[0].strip()


def _worker_main(store_spec: str, allow_service: frozenset[str], conn: Connection) -> None:
    """A query process: open the store read-only, then answer jobs until the pipe closes."""
    try:
        store = open_store(store_spec, read_only=True, allow_service=allow_service)
    except KGError as err:
        conn.send(("error", str(err)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(answer(store, job))
        except Exception as err:  # noqa: BLE001  (a worker must answer, whatever went wrong)
            conn.send(Answer.error(500, f"query failed: {type(err).__name__}: {err}"))


class Worker:
    """One query process and our end of its pipe."""

    START_LIMIT = 120.0

    def __init__(self, store_spec: str, allow_service: frozenset[str]) -> None:
        context = multiprocessing.get_context("spawn")  # the server has threads: never fork it
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(store_spec, allow_service, child), daemon=True,
                                       name="kg-serve-query")
        self.process.start()
        child.close()
        if not self.conn.poll(self.START_LIMIT):
            self.kill()
            raise StoreError(f"a query process did not start within {self.START_LIMIT:.0f} s")
        status, message = self.conn.recv()
        if status != "ready":
            self.kill()
            raise StoreError(message)

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """Worker processes; a query that outlives its limit has its worker killed and replaced."""

    def __init__(self, store_spec: str, *, workers: int, allow_service: frozenset[str] = frozenset()) -> None:
        self.store_spec = store_spec
        self.allow_service = allow_service
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.all: set[Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        for _ in range(workers):
            self._add(Worker(store_spec, allow_service))

    def _add(self, worker: Worker) -> None:
        with self.lock:
            if self.closed:
                worker.kill()
                return
            self.all.add(worker)
        self.idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        with self.lock:
            self.all.discard(worker)
        worker.kill()
        threading.Thread(target=self._restart, name="kg-serve-restart", daemon=True).start()

    def _restart(self) -> None:
        try:
            self._add(Worker(self.store_spec, self.allow_service))
        except KGError as err:
            log.error("could not restart a query process: %s", err)

    def run(self, job: Job, *, timeout: float) -> Answer:
        deadline = time.monotonic() + timeout
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            return Answer.error(503, f"all query processes stayed busy for the time limit ({timeout:g} s): "
                                     "try again later")
        try:
            worker.conn.send(job)
            finished = worker.conn.poll(max(deadline - time.monotonic(), 0.0))
            result = worker.conn.recv() if finished else None
        except (EOFError, OSError):  # it died, between queries or during this one
            self._replace(worker)
            return Answer.error(500, "the query process died while running the query (out of memory?)")
        if not finished:
            self._replace(worker)
            return Answer.error(503, f"the query ran past the time limit of {timeout:g} s and was stopped "
                                     "(kg serve --timeout SECONDS)")
        self.idle.put(worker)
        return result

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers, self.all = list(self.all), set()
        for worker in workers:
            worker.kill()
