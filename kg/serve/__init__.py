"""`kg serve`: the store as a read-only SPARQL 1.1 Protocol endpoint at /sparql.

Standard library only: `http.server.ThreadingHTTPServer` takes the requests, and a small
pool of worker *processes* runs the queries, each with its own read-only view of the store.

Why processes: an Oxigraph query cannot be interrupted once it runs, and a query that
aggregates (COUNT over a join, ORDER BY) does all its work before the first row, so nothing
in-process can stop it. A thread could only be abandoned, still burning a core and holding
memory until the query ends on its own; a process can be killed. So a query that passes
the time limit gets a 503 at once, its worker is killed (SIGKILL) and a fresh one started
in the background. The price: a worker's first start costs about a second, a query waits
for a free worker (the wait counts towards its limit: a full pool answers 503 as well), and
each worker opens the store read-only *as it is when the worker starts*: restart the server
to serve articles built since.

Answers are capped at `max_results` rows (or triples): the first rows are sent, in the
query's order, with the header `X-SPARQL-MaxRows: N` (the header Virtuoso sends when it
truncates), rather than a 413, so a client still gets a useful answer. The whole answer is
computed before it is cut, so the time limit is what bounds the work.
"""
from __future__ import annotations

import html
import itertools
import logging
import multiprocessing
import queue
import re
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg.store import sparql
from kg.errors import KGError, QueryError, StoreError
from kg.rdf.vocabulary import PREFIXES

log = logging.getLogger("kg.serve")

ENDPOINT = "/sparql"
JSON, XML, CSV, TSV = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
                       ox.QueryResultsFormat.TSV)
TURTLE, NTRIPLES, RDFXML, JSONLD = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML,
                                    ox.RdfFormat.JSON_LD)
# media types (and the short names of `format=`/`output=`, as SPARQLWrapper sends them)
RESULT_TYPES = {
    "application/sparql-results+json": JSON, "application/json": JSON, "json": JSON,
    "application/sparql-results+xml": XML, "application/xml": XML, "text/xml": XML, "xml": XML,
    "text/csv": CSV, "csv": CSV,
    "text/tab-separated-values": TSV, "tsv": TSV,
}
GRAPH_TYPES = {
    "text/turtle": TURTLE, "application/x-turtle": TURTLE, "turtle": TURTLE, "ttl": TURTLE, "n3": TURTLE,
    "application/n-triples": NTRIPLES, "text/plain": NTRIPLES, "nt": NTRIPLES, "ntriples": NTRIPLES,
    "application/rdf+xml": RDFXML, "rdf+xml": RDFXML, "xml": RDFXML,
    "application/ld+json": JSONLD, "json-ld": JSONLD, "jsonld": JSONLD,
}
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted (build the store with `kg build`)"


@dataclass(frozen=True)
class ServeOptions:
    """Limits of a server: seconds per query, rows (or triples) per answer, query processes,
    and the hosts a query's SERVICE clause may call (none by default)."""

    timeout: float = 10.0
    max_results: int = 10_000
    workers: int = 2
    max_body: int = 1_000_000  # bytes of a POST body
    allow_service: frozenset[str] = frozenset()


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


def negotiate(accept: str, asked: list[str], types: dict) -> object | None:
    """The format to answer in: a known `format=` value, else the Accept header, else the
    default (None) when anything is accepted; raises LookupError when nothing we have is."""
    for value in asked:
        if value.lower() in types:
            return types[value.lower()]
    ranked = []
    for position, item in enumerate(part.strip() for part in accept.split(",") if part.strip()):
        media, _, params = item.partition(";")
        quality = re.search(r"\bq=([0-9.]+)", params)
        q = float(quality.group(1)) if quality else 1.0
        if q > 0:
            ranked.append((-q, position, media.strip().lower()))
    if not ranked:
        return None
    for _, _, media in sorted(ranked):
        if media in types:
            return types[media]
        if media.endswith("/*"):
            return None
    raise LookupError


def answer(store, job: Job) -> Answer:
    """Run one query on the store and serialise its answer (in a worker process)."""
    from kg.store.queries import format_results
    from kg.store.results import Results, to_ox
    from kg.rdf.vocabulary import PREFIXES

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
    text = format_results(results, "json").encode("utf-8")
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
    media = _bare(fmt.media_type)  # Oxigraph's CSV and TSV types carry a charset already
    text = media in ("text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples")
    return media + ("; charset=utf-8" if text else "")


def _bare(media_type: str) -> str:
    return media_type.partition(";")[0].strip()


def _worker_main(store_spec: str, allow_service: frozenset[str], conn: Connection) -> None:
    """A query process: open the store read-only, then answer jobs until the pipe closes."""
    from kg.store import open_store

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


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: the page at /, the endpoint at /sparql, and the query pool."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store_spec: str, options: ServeOptions) -> None:
        self.options = options
        self.store_spec = store_spec
        self.pool = QueryPool(store_spec, workers=options.workers, allow_service=options.allow_service)
        try:
            super().__init__(address, SparqlHandler)
        except OSError:
            self.pool.close()
            raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{ENDPOINT}"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def make_server(store_spec: str, *, host: str = "127.0.0.1", port: int = 8000,
                options: ServeOptions | None = None) -> SparqlServer:
    """A server over the store (a folder, or a sparql+http(s):// URL); port 0 picks a free one."""
    from kg.store import open_store

    open_store(store_spec, read_only=True)  # fail here, with the store's own message, if it is missing
    try:
        return SparqlServer((host, port), store_spec, options or ServeOptions())
    except OSError as err:
        raise KGError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None


class SparqlHandler(BaseHTTPRequestHandler):
    """GET (and HEAD) and POST only; anything that would change the store is refused."""

    server: SparqlServer
    server_version = "kg-serve"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/":
            self._send(Answer(200, "text/html; charset=utf-8", usage_page(self.server).encode("utf-8")))
        elif url.path == ENDPOINT:
            self._sparql(parse_qs(url.query, keep_blank_values=True), body_query=None)
        else:
            self._send(Answer.error(404, f"nothing at {url.path}: the SPARQL endpoint is {ENDPOINT}"))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != ENDPOINT:
            self._send(Answer.error(404, f"nothing at {url.path}: the SPARQL endpoint is {ENDPOINT}"))
            return
        params = parse_qs(url.query, keep_blank_values=True)
        media = self.headers.get("Content-Type", "").partition(";")[0].strip().lower()
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._send(Answer.error(411, "a POST needs a Content-Length"))
            return
        if int(length) > self.server.options.max_body:
            self._send(Answer.error(413, f"the request body is over {self.server.options.max_body} bytes"))
            return
        # read the body even to refuse it: closing a socket with unread data sends a reset,
        # which can reach the client before our answer does
        body = self.rfile.read(int(length)).decode("utf-8", errors="replace")
        if media == "application/sparql-update":
            self._send(Answer.error(403, READ_ONLY))
        elif media == "application/sparql-query":
            self._sparql(params, body_query=body)
        elif media == "application/x-www-form-urlencoded":
            for name, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(name, []).extend(values)
            self._sparql(params, body_query=None)
        else:
            self._send(Answer.error(415, "POST a query as application/sparql-query, or as a form "
                                         "(application/x-www-form-urlencoded) with query=..."))

    do_HEAD = do_GET  # the same status and headers, without the body (see _send)

    def __getattr__(self, name: str):
        if name.startswith("do_"):  # PUT, DELETE, PATCH, OPTIONS, ...: whatever the method
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        self._send(Answer.error(405, f"{self.command} is not allowed: this endpoint is read-only; "
                                     "use GET or POST with a SPARQL query"), extra={"Allow": "GET, HEAD, POST"})

    def _sparql(self, params: dict[str, list[str]], *, body_query: str | None) -> None:
        from kg.store.remote import DEFAULT_GRAPH_IRI

        if "update" in params:
            self._send(Answer.error(403, READ_ONLY))
            return
        if params.get("named-graph-uri") or any(g != str(DEFAULT_GRAPH_IRI) for g in params.get("default-graph-uri", [])):
            self._send(Answer.error(400, "default-graph-uri and named-graph-uri are not supported: the default "
                                         "graph holds every article's triples once; use GRAPH ?article { ... }"))
            return
        queries = params.get("query", []) + ([body_query] if body_query is not None else [])
        if len(queries) != 1 or not queries[0].strip():
            self._send(Answer.error(400, "give exactly one SPARQL query: GET /sparql?query=..., or POST it"))
            return
        text = queries[0]
        try:
            form = sparql.check(text, allow_service=self.server.options.allow_service, prefixes=PREFIXES).form
        except sparql.QueryRefused as err:
            self._send(Answer.error(403, str(err)))
            return
        except sparql.QueryTooLarge as err:
            self._send(Answer.error(400, str(err)))
            return
        if form in sparql.UPDATE_FORMS:
            self._send(Answer.error(403, READ_ONLY))
            return
        types = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
        asked = params.get("format", []) + params.get("output", [])
        try:
            fmt = negotiate(self.headers.get("Accept", ""), asked, types)
        except LookupError:
            offered = ", ".join(sorted({_bare(f.media_type) for f in types.values()}))
            self._send(Answer.error(406, f"none of the accepted media types can be given; this query gives {offered}"))
            return
        options = self.server.options
        job = Job(text, fmt.media_type if fmt is not None else None, options.max_results)
        self._send(self.server.pool.run(job, timeout=options.timeout))

    def _send(self, answer: Answer, *, extra: dict[str, str] | None = None) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Vary", "Accept")
        if answer.truncated_at is not None:
            self.send_header("X-SPARQL-MaxRows", str(answer.truncated_at))
        if answer.status == 503:
            self.send_header("Retry-After", "5")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002  (the base class's name)
        log.info("%s %s", self.address_string(), format % args)


def usage_page(server: SparqlServer) -> str:
    """The page at /: what the endpoint is, how to call it, its limits, and a query form."""
    options = server.options
    url = html.escape(server.url)
    example = "SELECT ?person ?other WHERE { ?a kg:spokeWith ?b . ?a kg:name ?person . ?b kg:name ?other } LIMIT 10"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}}
code,pre,textarea{{font:14px ui-monospace,monospace}}pre{{background:#f4f4f4;padding:.6rem;overflow:auto}}
textarea{{width:100%;height:7rem}}</style></head>
<body>
<h1>kg: a read-only SPARQL 1.1 endpoint</h1>
<p>The news knowledge graph in <code>{html.escape(server.store_spec)}</code>, served at <code>{url}</code>.
Queries read the default graph, which holds every article's triples once; each article is also
a named graph (<code>GRAPH ?article {{ ... }}</code>). Every kg prefix (<code>kg:</code>,
<code>person:</code>, <code>country:</code>, ...) is declared for you.</p>
<h2>Ask</h2>
<form action="{ENDPOINT}" method="get">
<textarea name="query" aria-label="SPARQL query">{html.escape(example)}</textarea>
<p><label>Format <select name="format"><option>json</option><option>xml</option><option>csv</option>
<option>tsv</option></select></label> <button>Run</button> (CONSTRUCT and DESCRIBE give Turtle)</p>
</form>
<h2>Call it</h2>
<pre>curl -H 'Accept: text/csv' --data-urlencode 'query={html.escape(example)}' {url}
curl -H 'Content-Type: application/sparql-query' --data-binary @query.rq {url}</pre>
<ul>
<li>GET <code>{ENDPOINT}?query=...</code>, or POST the query as <code>application/sparql-query</code> or as
a form field <code>query=</code>.</li>
<li>SELECT and ASK: JSON (default), XML, CSV or TSV by the <code>Accept</code> header
(or <code>format=json|xml|csv|tsv</code>). CONSTRUCT and DESCRIBE: Turtle (default), N-Triples,
RDF/XML or JSON-LD.</li>
<li>Limits: {options.timeout:g} s per query (then 503); at most {options.max_results} rows or triples
per answer (the rest is cut and the header <code>X-SPARQL-MaxRows</code> says so).</li>
<li>Read-only: SPARQL Update, <code>update=</code> and methods other than GET, HEAD and POST are refused.</li>
</ul>
</body></html>
"""
