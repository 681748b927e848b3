"""A query process of `kg serve`: it caps its own memory, opens one snapshot of the store
read-only, and answers the queries sent down its pipe, each answer cut while it streams.

Started from a fork server that has this module (and Oxigraph) loaded already, so a
replacement for a killed process is ready in a few milliseconds.
"""
from __future__ import annotations

import io
import json
import os
import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from kg.errors import KGError, QueryError
from kg.rdf.vocabulary import PREFIXES
from kg.store import planning, sparql

JSON, XML, CSV, TSV = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
                       ox.QueryResultsFormat.TSV)
TURTLE, NTRIPLES, RDFXML, JSONLD = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML,
                                    ox.RdfFormat.JSON_LD)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
OUT_OF_MEMORY = 75  # the exit status of a worker that ran out of memory in Python code


@dataclass(frozen=True)
class Answer:
    """What the server sends back: status, media type, body and, if cut, the cap applied."""

    status: int
    content_type: str
    body: bytes
    truncated_at: int | None = None
    retry_after: int | None = None  # seconds, for a 503

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        return cls(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


@dataclass(frozen=True)
class Job:
    """A query, the media type to answer in (None: the default), and the caps of its answer."""

    query: str
    media_type: str | None
    max_results: int
    max_bytes: int = 64 * 1024 * 1024


@dataclass(frozen=True)
class WorkerSetup:
    """What a query process needs: the store folder (a snapshot) or URL, the hosts SERVICE
    may call, and its memory limit in bytes (0: none)."""

    store: str
    allow_service: frozenset[str]
    memory_limit: int


def main(setup: WorkerSetup, conn: Connection) -> None:
    """A query process: cap memory, open the store, then answer jobs until the pipe closes."""
    if setup.memory_limit:
        resource.setrlimit(resource.RLIMIT_DATA, (setup.memory_limit, setup.memory_limit))
    try:
        store = _open(setup)
    except (KGError, OSError, RuntimeError) as err:
        conn.send(("error", str(err).splitlines()[0] if str(err) else type(err).__name__))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(answer(store, job, allow_service=setup.allow_service))
        except MemoryError:  # the heap may be in any state now: leave; the pool tells the client and starts another
            os._exit(OUT_OF_MEMORY)
        except Exception as err:  # noqa: BLE001  (a worker must answer, whatever went wrong)
            conn.send(Answer.error(500, f"query failed: {type(err).__name__}: {err}"))


def _open(setup: WorkerSetup):
    if "://" in setup.store:  # a SPARQL server: the store layer speaks to it
        from kg.store import open_store

        return open_store(setup.store, read_only=True, allow_service=setup.allow_service)
    return ox.Store.read_only(setup.store)


def answer(store, job: Job, *, allow_service: frozenset[str] = frozenset()) -> Answer:
    """Run one query and serialise its answer, at most `max_results` rows or triples (and
    `max_bytes`): rows are read as Oxigraph streams them and the rest is never computed,
    unless the query itself must see every row first (ORDER BY, aggregates)."""
    try:
        form = sparql.check(job.query, allow_service=allow_service, prefixes=PREFIXES).form
        result = _run(store, job.query)
    except sparql.QueryRefused as err:
        return Answer.error(403, str(err))
    except QueryError as err:
        return Answer.error(400, str(err))
    except KGError as err:
        return Answer.error(500, str(err))
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            return _graph_answer(result, job)
        return _results_answer(result, job)
    except SyntaxError as err:  # raised while the answer streams, e.g. a bad regular expression
        return Answer.error(400, f"SPARQL error: {_first_line(err)}")
    except OSError as err:
        return Answer.error(500, f"query failed: {_first_line(err)}")


def _run(store, text: str):
    if not isinstance(store, ox.Store):
        return _remote(store, text)
    try:
        if planning.FIRST in text:  # a saved listing: its first block is answered first, as kg query does
            text = planning.inline_first(_Asked(store), text)
        return store.query(text, prefixes=PREFIXES)
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {_first_line(err)}") from None
    except (OSError, RuntimeError, ValueError) as err:
        raise KGError(f"query failed: {_first_line(err)}") from None


@dataclass
class _Inner:
    """A sub-SELECT's answer, as kg.store.planning reads it."""

    variables: list[str]
    rows: list[list[ox.NamedNode | ox.BlankNode | ox.Literal | None]]
    boolean: None = None


@dataclass
class _Asked:
    """An Oxigraph store asked as kg.store.planning asks a kg store."""

    store: ox.Store

    def query(self, text: str) -> _Inner:
        solutions = self.store.query(text, prefixes=PREFIXES)
        names = [v.value for v in solutions.variables]
        return _Inner(names, [[solution[n] for n in names] for solution in solutions])


def _remote(store, text: str):
    """A remote store's answer as Oxigraph terms, so that one serialiser serves both."""
    from kg.store.results import to_ox

    if sparql.shape(text).form in ("CONSTRUCT", "DESCRIBE"):
        return (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in store.construct(text))
    results = store.query(text)
    if results.boolean is not None:
        return results.boolean
    return _RemoteSolutions(results.variables, [[None if t is None else to_ox(t) for t in row] for row in results])


@dataclass
class _RemoteSolutions:
    """A remote store's SELECT answer (already whole: the server computed it)."""

    variables: tuple[str, ...]
    rows: list


def _results_answer(result, job: Job) -> Answer:
    fmt = ox.QueryResultsFormat.from_media_type(job.media_type) if job.media_type else JSON
    if isinstance(result, (ox.QueryBoolean, bool)):
        text = json.dumps({"head": {}, "boolean": bool(result)})
        return Answer(200, content_type(fmt), _in_format(text, fmt))
    names = [v.value if isinstance(v, ox.Variable) else v for v in result.variables]
    out = io.StringIO()
    out.write('{"head":{"vars":' + json.dumps(names) + '},"results":{"bindings":[')
    cut = None
    for n, row in enumerate(result.rows if isinstance(result, _RemoteSolutions) else result):
        if n == job.max_results or out.tell() > job.max_bytes:
            cut = job.max_results if n == job.max_results else n
            break
        binding = {name: _json_term(term) for name, term in zip(names, row) if term is not None}
        out.write(("," if n else "") + json.dumps(binding, ensure_ascii=False, separators=(",", ":")))
    out.write("]}}\n")
    return Answer(200, content_type(fmt), _in_format(out.getvalue(), fmt), cut)


def _in_format(json_text: str, fmt) -> bytes:
    if fmt == JSON:
        return json_text.encode("utf-8")
    return ox.parse_query_results(json_text.encode("utf-8"), format=JSON).serialize(format=fmt)


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


def _graph_answer(triples, job: Job) -> Answer:
    fmt = ox.RdfFormat.from_media_type(job.media_type) if job.media_type else TURTLE
    seen: dict[ox.Triple, None] = {}  # Oxigraph may give a triple twice; a graph holds it once
    size, cut = 0, None
    for triple in triples:
        if triple in seen:
            continue
        if len(seen) == job.max_results or size > job.max_bytes:
            cut = len(seen)
            break
        seen[triple] = None
        size += len(str(triple))
    body = ox.serialize(list(seen), format=fmt, prefixes=PREFIXES if fmt == TURTLE else None)
    return Answer(200, content_type(fmt), body, cut)


def content_type(fmt) -> str:
    media = bare_media_type(fmt.media_type)  # Oxigraph's CSV and TSV types carry a charset already
    text = media in ("text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples")
    return media + ("; charset=utf-8" if text else "")


def bare_media_type(media_type: str) -> str:
    return media_type.partition(";")[0].strip()


def _first_line(err: Exception) -> str:
    text = str(err)
    return text.splitlines()[0] if text else type(err).__name__
