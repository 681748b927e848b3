"""The endpoint of `kg serve`: /sparql (the SPARQL 1.1 Protocol, read-only), YASGUI at /,
and the checks every request passes first (its Host, its Origin), over `kg.serve.protocol`."""
from __future__ import annotations

import ipaddress
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.errors import KGError
from kg.rdf.vocabulary import PREFIXES
from kg.serve import page
from kg.serve.options import long_lane
from kg.serve.pool import PoolLimits, QueryPool
from kg.serve.protocol import HTTPLimits, HTTPServer, Request, Response
from kg.serve.snapshot import Snapshot, Snapshots
from kg.serve.worker import JSON, JSONLD, NTRIPLES, RDFXML, TURTLE, CSV, TSV, XML, Answer, Job, bare_media_type
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
METHODS = "GET, HEAD, POST, OPTIONS"
CORS_HEADERS = frozenset({"accept", "accept-language", "content-language", "content-type", "cache-control",
                          "x-requested-with"})
QUALITY = re.compile(r"(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)")
TEXT = "text/plain; charset=utf-8"


class MalformedHeader(ValueError):
    """A request header that cannot be read; the message names it."""


@dataclass(frozen=True)
class ServeOptions:
    """Limits and openings of a server. Time: seconds per query, the wait for a process
    included. Answers: rows (or triples) and bytes. Openings: the origins allowed
    cross-origin (`*`: any), the host names the server answers to besides its own address.
    `refresh`: seconds between looks at the store for a new build (0: never). `pool`: the
    query processes (`PoolLimits`: how many, the memory of each, the queries that may wait,
    when a query is long, the hosts SERVICE may call, the answers kept); its `max_long` 0
    means half as many long-query processes as `workers`, at least one. `http`: the
    connections (`HTTPLimits`)."""

    timeout: float = 10.0
    max_results: int = 10_000
    max_answer_bytes: int = 64 * 1024 * 1024
    cors: frozenset[str] = frozenset()
    allowed_hosts: frozenset[str] = frozenset()
    refresh: float = 2.0
    pool: PoolLimits = field(default_factory=lambda: PoolLimits(max_long=0))
    http: HTTPLimits = field(default_factory=HTTPLimits)


def negotiate(accept: str, asked: list[str], types: dict) -> object | None:
    """The format to answer in: a known `format=` value, else the Accept header, else the
    default (None) when anything is accepted; LookupError when nothing we have is accepted,
    MalformedHeader when the header cannot be read."""
    for value in asked:
        if value.lower() in types:
            return types[value.lower()]
    ranked = []
    for position, item in enumerate(part.strip() for part in accept.split(",") if part.strip()):
        media, *params = (p.strip() for p in item.split(";"))
        if not re.fullmatch(r"[\w.+*-]+/[\w.+*-]+|\*", media):
            raise MalformedHeader(f"malformed Accept header: {media[:60]!r} is no media type")
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                if not QUALITY.fullmatch(value.strip()):
                    raise MalformedHeader(f"malformed Accept header: q={value.strip()[:20]} is no quality "
                                          "(a number from 0 to 1, at most 3 decimals)")
                q = float(value)
        if q > 0:
            ranked.append((-q, position, media.lower()))
    if not ranked:
        return None
    for _, _, media in sorted(ranked):
        if media in types:
            return types[media]
        if media.endswith("*"):
            return None
    raise LookupError


class SparqlServer:
    """The server: a bound socket, the query pool over snapshots of the store, and the handler."""

    def __init__(self, sock: socket.socket, store_spec: str, options: ServeOptions) -> None:
        self.sock = sock
        self.store_spec = store_spec
        self.options = options
        self.bound = sock.getsockname()[0]
        self.cors = frozenset(origin.rstrip("/").lower() for origin in options.cors)
        self.snapshots = None if "://" in store_spec else Snapshots(store_spec)
        snapshot = self.snapshots.first() if self.snapshots else Snapshot(store_spec, 1)
        limits = replace(options.pool, max_long=options.pool.max_long or long_lane(options.pool.workers))
        try:
            self.pool = QueryPool(snapshot, limits, release=self.snapshots.release if self.snapshots else _keep)
        except KGError:
            if self.snapshots:
                self.snapshots.close()
            raise
        self.http = HTTPServer(sock, self.handle, options.http)
        self.page = page.Page(self.url, timeout=options.timeout, max_results=options.max_results)
        self._stop = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}{ENDPOINT}"

    def serve_forever(self) -> None:
        """Serve until `shutdown()` (from another thread) or Ctrl-C."""
        import asyncio

        watcher = threading.Thread(target=self._watch, name="kg-serve-refresh", daemon=True)
        watcher.start()
        try:
            asyncio.run(self.http.serve())
        finally:
            self._stop.set()

    def shutdown(self) -> None:
        self._stop.set()
        self.http.stop()

    def server_close(self) -> None:
        self._stop.set()
        self.pool.close()
        self.sock.close()
        if self.snapshots:
            self.snapshots.close()

    def _watch(self) -> None:
        """Look at the store every `refresh` seconds; serve a new snapshot after a build."""
        if not self.snapshots or self.options.refresh <= 0:
            return
        while not self._stop.wait(self.options.refresh):
            try:
                snapshot = self.snapshots.take(previous=self.pool.snapshot)
            except KGError as err:
                log.warning("could not take a new snapshot of the store: %s", err)
                continue
            if snapshot is not None:
                self.pool.switch(snapshot)

    # requests

    async def handle(self, request: Request) -> Response:
        started = time.monotonic()
        response = await self._answer(request)
        log.info("%s %s %s %d %.0f ms", request.client, request.method, request.target[:200], response.status,
                 (time.monotonic() - started) * 1000)
        return response

    async def _answer(self, request: Request) -> Response:
        host = request.header("host")
        if not host_allowed(host, self.bound, self.options.allowed_hosts):
            return _text(421, f"this server does not answer to the host name {host!r}: start kg serve with "
                              f"--allowed-host {_hostname(host or '')} to allow it (a guard against DNS rebinding)")
        origin = request.header("origin")
        cors = self._cors_headers(origin, host)
        if cors is None:
            return _text(403, f"cross-origin requests from {origin} are refused: start kg serve with "
                              f"--cors {origin} to allow them")
        path = urlsplit(request.target).path
        if request.method == "OPTIONS":
            return self._options(request, cors)
        response = await self._route(request, path)
        return Response(response.status, response.headers + cors, response.body)

    async def _route(self, request: Request, path: str) -> Response:
        if request.method not in ("GET", "HEAD", "POST"):
            return Response(405, (("Content-Type", TEXT), ("Allow", METHODS)),
                            f"{request.method} is not allowed: this endpoint is read-only; use GET or POST with "
                            "a SPARQL query\n".encode())
        if path == ENDPOINT:
            return await self._sparql(request)
        if request.method == "POST":
            return _text(405, f"nothing to POST to at {path}: the SPARQL endpoint is {ENDPOINT}")
        if path == "/":
            return Response(200, (("Content-Type", "text/html; charset=utf-8"), *page.SECURITY_HEADERS),
                            self.page.html())
        found = page.static_file(path)
        if found is not None:
            media, body = found
            return Response(200, (("Content-Type", media), ("Cache-Control", "max-age=86400")), body)
        return _text(404, f"nothing at {path}: the SPARQL endpoint is {ENDPOINT}")

    def _cors_headers(self, origin: str | None, host: str | None) -> tuple[tuple[str, str], ...] | None:
        """The CORS headers for a request from `origin`; None when it may not be answered."""
        if origin is None or _same_origin(origin, host):
            return ()
        allowed = self.cors
        if "*" in allowed:
            return (("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", "X-SPARQL-MaxRows, Retry-After"))
        if origin.rstrip("/").lower() in allowed:
            return (("Access-Control-Allow-Origin", origin), ("Vary", "Origin"),
                    ("Access-Control-Expose-Headers", "X-SPARQL-MaxRows, Retry-After"))
        return None

    def _options(self, request: Request, cors: tuple[tuple[str, str], ...]) -> Response:
        """OPTIONS: the methods, and for a CORS preflight what a cross-origin call may send."""
        headers = [("Allow", METHODS), *cors]
        wanted_method = request.header("access-control-request-method")
        if cors and wanted_method is not None:
            if wanted_method.strip().upper() not in ("GET", "HEAD", "POST"):
                return _text(405, f"{wanted_method} is not allowed: use GET or POST with a SPARQL query")
            wanted = [h.strip().lower() for h in (request.header("access-control-request-headers") or "").split(",")
                      if h.strip()]
            refused = [h for h in wanted if h not in CORS_HEADERS]
            if refused:
                return _text(403, f"the header {refused[0]} may not be sent cross-origin to this endpoint")
            headers += [("Access-Control-Allow-Methods", METHODS), ("Access-Control-Max-Age", "600")]
            if wanted:
                headers.append(("Access-Control-Allow-Headers", ", ".join(wanted)))
        return Response(204, tuple(headers))

    async def _sparql(self, request: Request) -> Response:
        try:
            params, body_query = _parameters(request, self.options)
        except MalformedHeader as err:
            return _text(400, str(err))
        except _Refusal as err:
            return _text(err.status, str(err))
        if "update" in params:
            return _text(403, READ_ONLY)
        from kg.store.remote import DEFAULT_GRAPH_IRI

        if params.get("named-graph-uri") or any(g != str(DEFAULT_GRAPH_IRI) for g in params.get("default-graph-uri", [])):
            return _text(400, "default-graph-uri and named-graph-uri are not supported: the default graph holds "
                              "every article's triples once; use GRAPH ?article { ... }")
        queries = params.get("query", []) + ([body_query] if body_query is not None else [])
        if len(queries) != 1 or not queries[0].strip():
            return _text(400, "give exactly one SPARQL query: GET /sparql?query=..., or POST it")
        text = queries[0]
        try:
            form = sparql.check(text, allow_service=self.options.pool.allow_service, prefixes=PREFIXES).form
        except sparql.QueryRefused as err:
            return _text(403, str(err))
        except sparql.QueryTooLarge as err:
            return _text(400, str(err))
        if form in sparql.UPDATE_FORMS:
            return _text(403, READ_ONLY)
        types = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
        try:
            fmt = negotiate(request.header("accept") or "", params.get("format", []) + params.get("output", []), types)
        except MalformedHeader as err:
            return _text(400, str(err))
        except LookupError:
            offered = ", ".join(sorted({bare_media_type(f.media_type) for f in types.values()}))
            return _text(406, f"none of the accepted media types can be given; this query gives {offered}")
        options = self.options
        job = Job(text, fmt.media_type if fmt is not None else None, options.max_results, options.max_answer_bytes)
        answer = await self.pool.run(job, deadline=request.received + options.timeout)
        return _response(answer)


class _Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _parameters(request: Request, options: ServeOptions) -> tuple[dict[str, list[str]], str | None]:
    """The protocol's parameters (URL and form), and the query of an `application/sparql-query` body."""
    params = _form(urlsplit(request.target).query)
    if request.method != "POST":
        return params, None
    media = (request.header("content-type") or "").partition(";")[0].strip().lower()
    body = request.body.decode("utf-8", errors="replace")
    if media == "application/sparql-update":
        raise _Refusal(403, READ_ONLY)
    if media == "application/sparql-query":
        return params, body
    if media == "application/x-www-form-urlencoded":
        for name, values in _form(body).items():
            params.setdefault(name, []).extend(values)
        return params, None
    raise _Refusal(415, "POST a query as application/sparql-query, or as a form (application/x-www-form-urlencoded) "
                        "with query=...")


def _form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=100)
    except ValueError:
        raise _Refusal(400, "too many parameters (more than 100)") from None


def _response(answer: Answer) -> Response:
    headers = [("Content-Type", answer.content_type), ("Vary", "Accept"), ("Cache-Control", "no-cache")]
    if answer.truncated_at is not None:
        headers.append(("X-SPARQL-MaxRows", str(answer.truncated_at)))
    if answer.retry_after is not None:
        headers.append(("Retry-After", str(answer.retry_after)))
    return Response(answer.status, tuple(headers), answer.body)


def _text(status: int, message: str) -> Response:
    return Response(status, (("Content-Type", TEXT),), (message + "\n").encode("utf-8"))


def _keep(snapshot: Snapshot) -> None:
    """A snapshot that is not ours (a store URL) is left alone."""


def _hostname(host: str) -> str:
    """The name in a Host header, without its port (`[::1]:8000` -> `::1`)."""
    host = host.strip()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def host_allowed(host: str | None, bound: str, allowed: frozenset[str]) -> bool:
    """Whether a request naming `host` is for this server, which listens on `bound`.

    An address (the one listened on; any, when listening on all) and, on loopback,
    `localhost`, always are; names only as `allowed` lists them (`.example.org` for its
    subdomains too, `*` for any). A page on another site that made its own name point at
    this server (DNS rebinding) sends that name, and is refused.
    """
    if host is None:  # HTTP/1.0
        return True
    name = _hostname(host).lower().rstrip(".")
    if "*" in allowed or name in allowed or any(a.startswith(".") and (name.endswith(a) or name == a[1:])
                                                for a in allowed):
        return True
    try:
        listening = ipaddress.ip_address(bound)
    except ValueError:
        return name == bound.lower()
    if name == "localhost" or name.endswith(".localhost"):
        return listening.is_loopback or listening.is_unspecified
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return listening.is_unspecified or address == listening or (address.is_loopback and listening.is_loopback)


def _same_origin(origin: str, host: str | None) -> bool:
    parts = urlsplit(origin)
    return host is not None and parts.scheme in ("http", "https") and parts.netloc.lower() == host.strip().lower()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: any free one)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
        return socket.create_server(address[:2], family=family, backlog=1024)
    except OSError as err:
        raise KGError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None


def make_server(store_spec: str, *, host: str = "127.0.0.1", port: int = 8000,
                options: ServeOptions | None = None) -> SparqlServer:
    """A server over the store (a folder, or a sparql+http(s):// URL); port 0 picks a free one."""
    if "://" in store_spec or not Path(store_spec).exists():
        with open_store(store_spec, read_only=True):  # fail here, with the store's own message
            pass
    options = options or ServeOptions()
    if not _is_address(host):  # the name it was started on is one of its names
        options = replace(options, allowed_hosts=options.allowed_hosts | {host.lower()})
    sock = bind(host, port)
    try:
        return SparqlServer(sock, store_spec, options)
    except BaseException:
        sock.close()
        raise


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
