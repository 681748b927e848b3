"""The HTTP side of `kg serve`: the server, the page at /, and the handler of /sparql,
which checks each query and hands it to the query pool (`kg.serve.pool`)."""
from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from kg.errors import KGError
from kg.rdf.vocabulary import PREFIXES
from kg.serve.pool import JSON, JSONLD, NTRIPLES, RDFXML, TURTLE, CSV, TSV, XML, Answer, Job, QueryPool, bare_media_type
from kg.store import open_store, sparql

log = logging.getLogger("kg.serve")

ENDPOINT = "/sparql"
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
    with open_store(store_spec, read_only=True):  # fail here, with the store's own message, if it is missing
        pass
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
            offered = ", ".join(sorted({bare_media_type(f.media_type) for f in types.values()}))
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
