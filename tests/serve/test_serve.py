"""`kg serve` on the seed store, asked by a real SPARQL client (SPARQLWrapper) over loopback.

One server process (`kg serve --port 0`, as a user starts it) serves the whole module, with
a short time limit and a small result cap so that both can be reached on the seed graph.
Its answers are checked against `kg query` on the same store.
"""
from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper

from kg.cli import main
from kg.store.queries import bind, bindings_for, saved_queries

from kg.serve.watch import query_processes
from serving import start_server

TIME_LIMIT = 3.0
MAX_RESULTS = 100
PARAMS = {"about-entity": {"entity": "Shigeru Ishiba"}, "what-did": {"entity": "Donald Trump"}}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^10 rows on the seeds
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def served(seed_store_path, tmp_path_factory):
    server = start_server(seed_store_path, tmp_path_factory.mktemp("serve") / "serve.log",
                          "--timeout", str(TIME_LIMIT), "--max-results", str(MAX_RESULTS), "--workers", "2")
    yield server
    server.stop()


def query_text(name: str) -> str:
    saved = saved_queries()[name]
    return bind(saved.text, bindings_for(saved, PARAMS.get(name, {})))


@pytest.fixture(scope="module")
def expected(seed_store_path) -> dict[str, dict]:
    """Each saved query's answer from the embedded store, as `kg query --format json` gives it."""
    answers = {}
    for name in saved_queries():
        args = ["query", name, "--format", "json", "--store", str(seed_store_path)]
        for param, value in PARAMS.get(name, {}).items():
            args += ["--param", f"{param}={value}"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        answers[name] = json.loads(result.output)
    return answers


def client(url: str, query: str, *, fmt: str = JSON, method: str = "GET", request: str = URLENCODED) -> SPARQLWrapper:
    """A SPARQLWrapper that asks for `fmt` by the Accept header alone (no format= parameter)."""
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setOnlyConneg(True)
    sparql.setMethod(method)
    sparql.setRequestMethod(request)
    sparql.setTimeout(30)
    return sparql


def rows_of(answer: dict) -> list[tuple]:
    """Rows of a SPARQL JSON answer as sorted tuples of plain values ('' where unbound)."""
    names = answer["head"]["vars"]
    return sorted(tuple(b.get(v, {}).get("value", "") for v in names) for b in answer["results"]["bindings"])


def rows_from(body: bytes, fmt: str) -> tuple[list[str], list[tuple]]:
    """Variables and sorted rows of plain values, read from an XML, CSV or TSV answer."""
    if fmt == XML:
        root = ET.fromstring(body)
        names = [v.get("name") for v in root.iter(f"{SRX}variable")]
        rows = []
        for result in root.iter(f"{SRX}result"):
            values = {b.get("name"): (b[0].text or "") for b in result.findall(f"{SRX}binding")}
            rows.append(tuple(values.get(n, "") for n in names))
        return names, sorted(rows)
    if fmt == CSV:
        table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        return table[0], sorted(tuple(row) for row in table[1:])
    # TSV writes RDF terms ("text", <iri>, "1"^^<type>): Oxigraph reads them back
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    names = [v.value for v in solutions.variables]
    return names, sorted(tuple(t.value if t is not None else "" for t in row) for row in solutions)


def test_serve_answers_saved_queries_as_kg_query_does_in_json(served, expected):
    assert any("Shigeru Ishiba" in row for row in rows_of(expected["who-spoke-with-whom"]))
    for name in saved_queries():
        result = client(served.url, query_text(name)).query()
        assert result.info()["content-type"] == "application/sparql-results+json"
        answer = result.convert()
        assert answer["head"]["vars"] == expected[name]["head"]["vars"], name
        key = lambda b: json.dumps(b, sort_keys=True)  # noqa: E731
        assert sorted(answer["results"]["bindings"], key=key) == sorted(expected[name]["results"]["bindings"], key=key), name


@pytest.mark.parametrize(("fmt", "media"), [(XML, "application/sparql-results+xml"), (CSV, "text/csv"),
                                            (TSV, "text/tab-separated-values")])
def test_serve_negotiates_xml_csv_tsv_with_the_same_answers(served, expected, fmt, media):
    for name in saved_queries():
        result = client(served.url, query_text(name), fmt=fmt).query()
        assert result.info()["content-type"].partition(";")[0] == media
        names, rows = rows_from(result.response.read(), fmt)
        assert names == expected[name]["head"]["vars"], name
        assert rows == rows_of(expected[name]), name


@pytest.mark.parametrize("request_method", [URLENCODED, POSTDIRECTLY])
def test_serve_answers_post_as_form_and_as_sparql_query(served, expected, request_method):
    result = client(served.url, query_text("who-holds-which-role"), method=POST, request=request_method).query()
    assert rows_of(result.convert()) == rows_of(expected["who-holds-which-role"])
    persons = {row[0] for row in rows_of(expected["who-holds-which-role"])}
    assert {"Donald Trump", "Shigeru Ishiba"} <= persons


def test_serve_answers_ask_and_construct(served):
    ask = client(served.url, "ASK { person:shigeru-ishiba kg:leaderOf country:JPN }").query().convert()
    assert ask["boolean"] is True
    turtle = client(served.url, "CONSTRUCT { ?p kg:name ?n } WHERE { ?p a kg:Person ; kg:name ?n }",
                    fmt=TURTLE).query()
    assert turtle.info()["content-type"].startswith("text/turtle")
    from rdflib import Graph, Literal, URIRef

    graph = Graph().parse(data=turtle.response.read(), format="turtle")
    ishiba = URIRef("https://w3id.org/kg-news/id/person/shigeru-ishiba")
    assert (ishiba, URIRef("https://w3id.org/kg-news/ontology#name"), Literal("Shigeru Ishiba")) in graph


def http_error(call) -> HTTPError:
    with pytest.raises(HTTPError) as caught:
        call()
    return caught.value


def test_serve_refuses_updates_with_403(served):
    insert = "INSERT DATA { <urn:kg-test:s> <urn:kg-test:p> <urn:kg-test:o> }"
    attempts = [
        lambda: client(served.url, insert, method=POST).query(),                         # update=... form
        lambda: client(served.url, insert, method=POST, request=POSTDIRECTLY).query(),   # sparql-update body
        lambda: urlopen(f"{served.url}?{urlencode({'update': insert})}", timeout=30),    # update= in a GET
        lambda: urlopen(f"{served.url}?{urlencode({'query': insert})}", timeout=30),     # an update as query=
    ]
    for attempt in attempts:
        err = http_error(attempt)
        assert err.code == 403
        assert "read-only" in err.read().decode()
    err = http_error(lambda: urlopen(Request(served.url, data=b"x", method="PUT"), timeout=30))
    assert err.code == 405 and "GET" in err.headers["Allow"]
    still = client(served.url, "ASK { <urn:kg-test:s> ?p ?o }").query().convert()
    assert still["boolean"] is False


def test_serve_answers_a_bad_query_with_400(served):
    err = http_error(lambda: urlopen(f"{served.url}?{urlencode({'query': 'SELECT WHERE {'})}", timeout=30))
    assert err.code == 400 and "syntax error" in err.read().decode()


def test_serve_refuses_service_with_403_and_connects_nowhere(served, listener):
    target = f"http://127.0.0.1:{listener.port}/internal-admin?token=1"
    for query in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?x ?p ?o }} }}",
                  f"PREFIX in: <http://127.0.0.1:{listener.port}/> ASK {{ SERVICE SILENT in:admin {{ ?x ?p ?o }} }}"):
        for method in ("GET", POST):
            err = http_error(lambda: client(served.url, query, method=method).query())
            assert err.code == 403
            assert "SERVICE" in err.read().decode()
    assert listener.connections == 0


def test_serve_refuses_a_deeply_nested_query_with_400_and_keeps_its_workers(served, expected):
    before = query_processes(served.process.pid)
    nested = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    post = Request(served.url, data=nested.encode(), headers={"Content-Type": "application/sparql-query"})
    err = http_error(lambda: urlopen(post, timeout=30))
    assert err.code == 400 and "nests brackets" in err.read().decode()
    assert query_processes(served.process.pid) == before
    again = client(served.url, query_text("who-spoke-with-whom")).query().convert()
    assert rows_of(again) == rows_of(expected["who-spoke-with-whom"])


def test_serve_head_gives_the_headers_of_get(served):
    url = f"{served.url}?{urlencode({'query': 'ASK { ?s ?p ?o }'})}"
    with urlopen(Request(url, method="HEAD", headers={"Accept": "text/csv"}), timeout=30) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "text/csv"
        assert response.read() == b""


def test_serve_caps_answers_and_says_so(served):
    capped = client(served.url, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }").query()
    assert capped.info()["x-sparql-maxrows"] == str(MAX_RESULTS)
    assert len(capped.convert()["results"]["bindings"]) == MAX_RESULTS
    graph = client(served.url, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", fmt=TURTLE).query()
    assert graph.info()["x-sparql-maxrows"] == str(MAX_RESULTS)
    from rdflib import Graph

    assert len(Graph().parse(data=graph.response.read(), format="turtle")) == MAX_RESULTS
    whole = client(served.url, "SELECT ?p WHERE { ?p a kg:Person }").query()
    assert "x-sparql-maxrows" not in whole.info()
    assert 0 < len(whole.convert()["results"]["bindings"]) < MAX_RESULTS


def test_serve_answers_concurrent_requests(served, expected):
    names = sorted(saved_queries())
    asks = [(names[i % len(names)], (JSON, XML, CSV, TSV)[i % 4]) for i in range(20)]

    def ask(name_fmt):
        name, fmt = name_fmt
        result = client(served.url, query_text(name), fmt=fmt).query()
        if fmt == JSON:
            return rows_of(result.convert())
        return rows_from(result.response.read(), fmt)[1]

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(ask, asks))
    for (name, fmt), rows in zip(asks, answers):
        assert rows == rows_of(expected[name]), (name, fmt)


@pytest.mark.slow
def test_serve_stops_a_slow_query_with_503_and_recovers(served, expected):
    before = query_processes(served.process.pid)
    assert len(before) == 4  # two, one for long queries, and the spare
    start = time.monotonic()
    err = http_error(lambda: client(served.url, SLOW).query())
    elapsed = time.monotonic() - start
    assert err.code == 503
    assert "time limit" in err.read().decode() and err.headers["Retry-After"]
    assert TIME_LIMIT - 0.5 <= elapsed <= TIME_LIMIT + 3
    # the busy process is killed, not left to burn a core, and a fresh one takes its place
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (len((after := query_processes(served.process.pid)) - before) != 1 or len(after) != 4):
        time.sleep(0.2)
    assert len(before - after) == 1 and len(after) == 4
    assert not Path(f"/proc/{(before - after).pop()}").exists()
    again = client(served.url, query_text("who-spoke-with-whom")).query().convert()
    assert rows_of(again) == rows_of(expected["who-spoke-with-whom"])


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the TCP sockets listening on `port` (IPv4 and IPv6), from /proc."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hexport = local.partition(":")
            if state == "0A" and int(hexport, 16) == port:
                found.add(address)
    return found


def test_serve_listens_on_loopback_only_by_default(served):
    url = urlsplit(served.url)
    assert url.hostname == "127.0.0.1"
    assert listening_addresses(url.port) == {"0100007F"}  # 127.0.0.1, little-endian hex
    with urlopen(f"http://127.0.0.1:{url.port}/", timeout=30) as page:
        assert "read-only SPARQL 1.1 endpoint" in page.read().decode()
