"""A remote store: a SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB, ...) behind the store interface.

`--store sparql+http://host:port/path` (or `sparql+https://`) names the server's SPARQL
query endpoint. Two more addresses may follow in the URL's fragment, which is never sent:
`#update=PATH` for SPARQL Update (default: the query endpoint, as on Virtuoso) and
`#gsp=PATH` for the Graph Store HTTP Protocol (default: Virtuoso's `/sparql-graph-crud`
beside `/sparql`, `/sparql-graph-crud-auth` beside `/sparql-auth`; `#gsp=` with no path:
none, write with SPARQL Update alone). Credentials go in the URL
(`sparql+http://dba:secret@host:8890/sparql-auth`) or, to keep the password out of shell
history, the user alone in the URL and the password in $KG_SPARQL_PASSWORD; HTTP Basic and
Digest (Virtuoso's -auth endpoints) both work.

The default graph. kg's queries read a default graph that holds every triple once. A
server's default graph is whatever that server makes it: Virtuoso's is the union of all its
graphs, its own system graphs included, and repeats a triple once per graph that states it.
So kg writes every triple also into one named graph, `DEFAULT_GRAPH_IRI`, and sends each
query with `default-graph-uri=` that graph (the protocol's own way to choose a query's
default graph): the saved queries run unchanged and see each triple once. On Virtuoso,
`GRAPH ?g { ... }` also matches that graph (filter it out where it matters); a server that
reads the protocol strictly (Fuseki) shows no named graphs to a query sent with
`default-graph-uri`, so the store's own GRAPH queries are sent without it.

Writing one article. (1) SPARQL Update takes out of the default graph the triples of the
article's old graph that no other graph states (nothing, for a new article); (2) a Graph
Store POST adds its triples to the default graph; (3) a Graph Store PUT replaces the
article's graph, atomically. The order keeps one rule through a crash at any point: an
article graph on the server has all its triples in the default graph; an article cut short
is absent, and the next build writes it. (Replacing an article, `kg build --force`, has one
window, between (1) and (3), in which a crash leaves some of its old triples out of the
default graph until it is built again.) The Graph Store protocol is used for (2) and (3)
because Virtuoso 7.2's SPARQL compiler refuses some literals in INSERT DATA (any
xsd:duration, "No column PT45MD") that its Turtle loader takes. Without a Graph Store
endpoint, one update request does all three, atomic where the server honours SPARQL 1.1
Update's "each request SHOULD be treated atomically" (Virtuoso commits each operation).

Blank nodes travel as Skolem IRIs (RDF 1.1, 3.5) and come back as blank nodes: the same
node must be the same in the article's graph and the default graph, across requests.
Virtuoso 7.2 turns xsd:duration values into seconds ("PT45M" is stored as 2700.0): they are
read back as ISO 8601 durations ("PT45M"; "PT1H" written comes back "PT1H", "PT60M" too).

Reading whole graphs (export, view) goes graph by graph, so no answer is large; an answer
the server has cut (Virtuoso's ResultSetMaxRows, announced by `X-SPARQL-MaxRows`) is an
error, never a silent partial result.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs, unquote, urlencode, urljoin, urlsplit, urlunsplit
from urllib.request import (HTTPBasicAuthHandler, HTTPDigestAuthHandler, HTTPPasswordMgrWithDefaultRealm, Request,
                            build_opener)

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import QuerySyntaxError, StoreError
from kg.rdf.vocabulary import BASE, KG, ONTOLOGY_IRI, PREFIXES, sparql_prologue
from kg.store import sparql
from kg.store.base import Quad, StoreBase, sorted_in_memory
from kg.store.layout import ONTOLOGY_DIGEST, STORE_GRAPH, marker_quads, ontology_digest
from kg.store.results import Results, from_ox, to_ox

DEFAULT_GRAPH_IRI = URIRef(BASE + "graph/default")
GENID = BASE + ".well-known/genid/"
XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"
SECONDS = re.compile(r"-?[0-9]+(\.[0-9]*)?")
SCHEMES = ("sparql+http://", "sparql+https://")
PASSWORD_SETTING = "KG_SPARQL_PASSWORD"
VIRTUOSO_GSP = {"sparql": "sparql-graph-crud", "sparql-auth": "sparql-graph-crud-auth"}
# JSON results, not XML: Oxigraph's XML results parser trims the whitespace around a literal
# ("...region.\n" comes back "...region."), and Virtuoso's "typed-literal" JSON it reads well.
# A graph is asked for alone: Virtuoso 7.2 answers CONSTRUCT as a table when a results type is
# acceptable at all, and with 406 when only the XML one is.
RESULTS_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
RESULT_FORMATS = {"application/sparql-results+xml": ox.QueryResultsFormat.XML,
                  "application/xml": ox.QueryResultsFormat.XML, "text/xml": ox.QueryResultsFormat.XML,
                  "application/sparql-results+json": ox.QueryResultsFormat.JSON}
GRAPH_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                 "text/turtle": ox.RdfFormat.TURTLE}


def is_remote(spec: object) -> bool:
    return isinstance(spec, str) and spec.lower().startswith(SCHEMES)


def skolem(node: Node) -> Node:
    """A blank node as its Skolem IRI, so that every request names the same node."""
    return URIRef(GENID + str(node)) if isinstance(node, BNode) else node


def written(term: Node | ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A term (rdflib's, or Oxigraph's as the build makes them) in N-Triples, blank nodes skolemised."""
    if isinstance(term, ox.BlankNode):
        return f"<{GENID}{term.value}>"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)
    return str(to_ox(skolem(term)))


def term(value) -> Node:
    """An Oxigraph term from the server as an rdflib term; Skolem IRIs are blank nodes again,
    and durations that Virtuoso turned into seconds are ISO 8601 durations again."""
    if isinstance(value, ox.Literal) and value.datatype.value == XSD_DURATION and SECONDS.fullmatch(value.value):
        return Literal(iso_duration(float(value.value)), datatype=URIRef(XSD_DURATION))
    node = from_ox(value)
    if isinstance(node, URIRef) and node.startswith(GENID):
        return BNode(node[len(GENID):])
    return node


def iso_duration(seconds: float) -> str:
    """2700.0 -> "PT45M"; 93784.5 -> "P1DT2H3M4.5S"."""
    sign, rest = ("-" if seconds < 0 else ""), abs(seconds)
    days, rest = divmod(rest, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = "".join(f"{n:g}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)
    text = (f"{days:g}D" if days else "") + (f"T{clock}" if clock else "")
    return f"{sign}P{text or 'T0S'}"


class RemoteStore(StoreBase):
    """A kg store on a SPARQL 1.1 server: the `Store` protocol over HTTP."""

    def __init__(self, spec: str, *, read_only: bool = False, timeout: float = 120.0,
                 allow_service: frozenset[str] = frozenset()) -> None:
        if not is_remote(spec):
            raise StoreError(f"not a remote store: {spec} (use sparql+http://host:port/path or sparql+https://...)")
        parts = urlsplit(spec[len("sparql+"):])
        if not parts.hostname:
            raise StoreError(f"no host in {spec}: use sparql+http://host:port/path")
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        netloc = host if parts.port is None else f"{host}:{parts.port}"
        self.endpoint = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        self.path = self.endpoint  # what messages name, like OxigraphStore.path
        self.read_only = read_only
        self.timeout = timeout
        self.allow_service = allow_service
        extra = {name: values[-1] for name, values in parse_qs(parts.fragment, keep_blank_values=True).items()}
        self.update_endpoint = urljoin(self.endpoint, extra["update"]) if extra.get("update") else self.endpoint
        self.graph_store = _graph_store(self.endpoint, extra.get("gsp"))
        handlers = []
        self.user = unquote(parts.username) if parts.username else None
        if parts.username:
            password = unquote(parts.password) if parts.password is not None else os.environ.get(PASSWORD_SETTING, "")
            passwords = HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, f"{parts.scheme}://{netloc}/", unquote(parts.username), password)
            handlers = [HTTPBasicAuthHandler(passwords), HTTPDigestAuthHandler(passwords)]
        self._opener = build_opener(*handlers)

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r})"

    # writing

    def has_graph(self, graph: URIRef) -> bool:
        return self._query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", dataset=False) is True

    def known_graphs(self, graphs) -> set[URIRef]:
        """Those of `graphs` on the server, asked in one request."""
        wanted = list(dict.fromkeys(graphs))
        if not wanted:
            return set()
        values = " ".join(f"<{g}>" for g in wanted)
        found = self._query(f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?g ?p ?o }} }}",
                            dataset=False)
        return {URIRef(g.value) for (g,) in found if isinstance(g, ox.NamedNode)}

    def load_ontology(self) -> None:
        """Write the ontology's graph, unless the server holds this kg.ttl already (the digest
        of the one written is kept in kg's store graph there)."""
        digest = ontology_digest()
        ask = f'ASK {{ GRAPH <{STORE_GRAPH.value}> {{ <{STORE_GRAPH.value}> <{ONTOLOGY_DIGEST.value}> "{digest}" }} }}'
        if self._query(ask, dataset=False) is True:
            return
        super().load_ontology()
        marker = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in marker_quads(digest)) + "\n"
        if self.graph_store is None:
            self._update(f"DROP SILENT GRAPH {STORE_GRAPH} ;\nINSERT DATA {{ GRAPH {STORE_GRAPH} {{\n{marker}}} }}")
        else:
            self._send("PUT", self._graph_url(URIRef(STORE_GRAPH.value)), marker, "text/turtle", writing=True)

    def put_graph(self, graph: Graph) -> None:
        """Write one named graph, and its triples to the default graph (see the module's notes).

        A graph of the same name is replaced; triples it alone stated leave the default graph.
        (A server keeps no fingerprints: duplicate detection reads the stored texts.)
        """
        if self.read_only:
            raise StoreError(f"the store at {self.endpoint} was opened read-only")
        name, default = f"<{graph.identifier}>", f"<{DEFAULT_GRAPH_IRI}>"
        stale = (f"DELETE {{ GRAPH {default} {{ ?s ?p ?o }} }}\n"
                 f"WHERE {{ GRAPH {name} {{ ?s ?p ?o }}\n"
                 f"  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
                 f"FILTER (?other != {name} && ?other != {default}) }} }}")
        data = "\n".join(f"{written(s)} {written(p)} {written(o)} ." for s, p, o in graph) + "\n"
        if self.graph_store is None:
            self._update(f"{stale} ;\nDROP SILENT GRAPH {name} ;\n"
                         f"INSERT DATA {{ GRAPH {default} {{\n{data}}} }} ;\nINSERT DATA {{ GRAPH {name} {{\n{data}}} }}")
            return
        self._update(stale)
        self._send("POST", self._graph_url(DEFAULT_GRAPH_IRI), data, "text/turtle", writing=True)
        self._send("PUT", self._graph_url(graph.identifier), data, "text/turtle", writing=True)

    def flush(self) -> None:
        """Nothing to do: the server has committed each write by the time it answers."""

    # reading

    def article_graphs(self) -> list[URIRef]:
        """kg's article graphs on the server, sorted: those stating `<graph> a kg:Article`
        (a shared server holds other graphs, Virtuoso its own)."""
        results = self._query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a <{KG.Article}> }} }}", dataset=False)
        return sorted(URIRef(g.value) for (g,) in results if isinstance(g, ox.NamedNode))

    def query(self, sparql: str) -> Results:
        """A SELECT or ASK query; its default graph holds every triple of every article once."""
        self._check(sparql)
        result = self._query(sparql_prologue() + sparql)
        if isinstance(result, bool):
            return Results(variables=(), rows=(), boolean=result)
        if isinstance(result, ox.QuerySolutions):
            return Results.of_solutions(result, term)
        raise StoreError("a CONSTRUCT or DESCRIBE query gives a graph: use construct() for it")

    def construct(self, sparql: str) -> Graph:
        self._check(sparql)
        result = self._query(sparql_prologue() + sparql, accept=GRAPH_ACCEPT)
        if isinstance(result, (bool, ox.QuerySolutions)):
            raise StoreError("a SELECT or ASK query gives a table: use query() for it")
        graph = Graph()
        for triple in result:
            graph.add((term(triple.subject), term(triple.predicate), term(triple.object)))
        return graph

    def quads(self, *, include_ontology: bool = False) -> Iterator[Quad]:
        """Every quad of the article graphs (and the ontology's if asked), one graph per request."""
        names = self.article_graphs() + ([ONTOLOGY_IRI] if include_ontology else [])
        for name in names:
            for s, p, o in self._query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}", dataset=False):
                yield term(s), term(p), term(o), name

    def stream_triples(self, *, include_ontology: bool = False, line_order: bool = False) -> Iterator[ox.Quad]:
        """As OxigraphStore.stream_triples, but gathered and sorted here, all at once: a server
        cannot be read a subject at a time in fewer requests than it has subjects."""
        return sorted_in_memory(self.quads(include_ontology=include_ontology), by_graph=False)

    def stream_quads(self, *, include_ontology: bool = False) -> Iterator[ox.Quad]:
        """As OxigraphStore.stream_quads (gathered and sorted here, all at once)."""
        return sorted_in_memory(self.quads(include_ontology=include_ontology), by_graph=True)

    def _check(self, text: str) -> None:
        """What the embedded store refuses, a server is not asked (its SERVICE would run there)."""
        sparql.check(text, allow_service=self.allow_service, prefixes=PREFIXES)

    # HTTP

    def _graph_url(self, graph: URIRef) -> str:
        return self.graph_store + ("&" if "?" in self.graph_store else "?") + urlencode({"graph": str(graph)})

    def _query(self, sparql: str, *, dataset: bool = True, accept: str = RESULTS_ACCEPT):
        """The server's answer, parsed by Oxigraph: QuerySolutions, a bool (ASK), or triples."""
        # a form, not application/sparql-query, which Virtuoso 7.2 waits on forever
        form = {"query": sparql, **({"default-graph-uri": str(DEFAULT_GRAPH_IRI)} if dataset else {})}
        body, media = self._send("POST", self.endpoint, urlencode(form), "application/x-www-form-urlencoded",
                                 accept=accept)
        try:
            if media in RESULT_FORMATS:
                return _ask_answer(ox.parse_query_results(body, format=RESULT_FORMATS[media]))
            if media in GRAPH_FORMATS:
                return list(ox.parse(body, format=GRAPH_FORMATS[media]))
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"unreadable answer from {self.endpoint}: {err}") from None
        raise StoreError(f"unexpected answer from {self.endpoint}: {media or 'no media type'}")

    def _update(self, sparql: str) -> None:
        self._send("POST", self.update_endpoint, sparql, "application/sparql-update", writing=True)

    def _send(self, method: str, url: str, text: str, media: str, *, writing: bool = False,
              accept: str = "*/*") -> tuple[bytes, str]:
        request = Request(url, data=text.encode("utf-8"), method=method,
                          headers={"Content-Type": f"{media}; charset=utf-8", "Accept": accept})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                cut = response.headers.get("X-SPARQL-MaxRows")
                if cut:
                    raise StoreError(f"{url} cut its answer at {cut} rows: raise its limit "
                                     "(Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)")
                return response.read(), response.headers.get_content_type()
        except HTTPError as err:
            raise _refused(err, url, writing=writing, user=self.user) from None
        except (URLError, OSError) as err:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {getattr(err, 'reason', err)}") from None


def _ask_answer(result):
    """A boolean for an ASK answer, however it came: Virtuoso 7.2 answers ASK with a table of
    one variable, __ASK_RETVAL, and one row (1) for true, none for false."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions) and [v.value for v in result.variables] == ["__ASK_RETVAL"]:
        return any(row[0] is not None and row[0].value not in ("0", "false") for row in result)
    return result


def _graph_store(endpoint: str, given: str | None) -> str | None:
    """The Graph Store endpoint: the one given (empty: none), else Virtuoso's beside /sparql."""
    if given is not None:
        return urljoin(endpoint, given) if given else None
    path = urlsplit(endpoint).path.rstrip("/")
    head, _, last = path.rpartition("/")
    return urljoin(endpoint, f"{head}/{VIRTUOSO_GSP[last]}") if last in VIRTUOSO_GSP else None


def _refused(err: HTTPError, url: str, *, writing: bool, user: str | None = None) -> StoreError:
    """The server's refusal as our error, saying what to change where there is something."""
    text = err.read().decode("utf-8", errors="replace").strip()
    first = next((line.strip() for line in text.splitlines() if line.strip()), str(err.reason))[:300]
    if err.code == 401 and user:
        return StoreError(f"{url} refused the credentials of {user} (401: {first}): check the password "
                          f"in the URL or in ${PASSWORD_SETTING}")
    if err.code == 401:
        return StoreError(f"{url} answered 401 ({first}): give credentials, sparql+http://USER:PASSWORD@host/... "
                          f"or the user in the URL and ${PASSWORD_SETTING}")
    if writing and (err.code == 403 or "permission" in text.lower()):
        return StoreError(f"{url} does not let this user write ({err.code}: {first}); on Virtuoso use "
                          "/sparql-auth with credentials, or GRANT SPARQL_UPDATE TO \"SPARQL\"")
    if "syntax" in text.lower() or "SP030" in text:
        return QuerySyntaxError(f"SPARQL syntax error (from {url}): {first}")
    return StoreError(f"{url} answered {err.code}: {first}")
