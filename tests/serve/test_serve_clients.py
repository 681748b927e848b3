"""`kg serve` for the clients people use: YASGUI (served at /, and run in headless Chromium
with the network off), web pages on another origin (CORS, when allowed), and RDF libraries
reading CONSTRUCT and DESCRIBE answers in the format they ask for."""
from __future__ import annotations

import json
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from serving import start_server

ALLOWED = "https://yasgui.example.org"
ISHIBA = URIRef("https://w3id.org/kg-news/id/person/shigeru-ishiba")
NAME = URIRef("https://w3id.org/kg-news/ontology#name")


@pytest.fixture(scope="module")
def served(seed_store_path, tmp_path_factory):
    server = start_server(seed_store_path, tmp_path_factory.mktemp("clients") / "serve.log", "--cors", ALLOWED)
    yield server
    server.stop()


def call(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    try:
        with urlopen(Request(url, data=data, method=method, headers=headers or {}), timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except HTTPError as err:
        return err.code, err.headers, err.read()


def query_url(served, query: str) -> str:
    return f"{served.url}?{urlencode({'query': query})}"


# CORS


def test_serve_clients_preflight_from_an_allowed_origin(served):
    status, headers, body = call(served.url, method="OPTIONS", headers={
        "Origin": ALLOWED, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"})
    assert (status, body) == (204, b"")
    assert headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Headers"] == "content-type, accept"
    assert headers["Vary"] == "Origin"


def test_serve_clients_cross_origin_answers_name_the_origin_and_expose_the_cap(served):
    status, headers, body = call(query_url(served, "ASK { ?s ?p ?o }"), headers={"Origin": ALLOWED})
    assert status == 200 and json.loads(body)["boolean"] is True
    assert headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "X-SPARQL-MaxRows" in headers["Access-Control-Expose-Headers"]


def test_serve_clients_other_origins_are_refused_and_so_is_their_preflight(served):
    for method, extra in (("GET", {}), ("OPTIONS", {"Access-Control-Request-Method": "POST"})):
        status, headers, body = call(query_url(served, "ASK { ?s ?p ?o }"), method=method,
                                     headers={"Origin": "https://elsewhere.example", **extra})
        assert status == 403 and "Access-Control-Allow-Origin" not in headers
        assert b"--cors https://elsewhere.example" in body


def test_serve_clients_preflight_refuses_methods_and_headers_that_are_not_read_only(served):
    status, _, _ = call(served.url, method="OPTIONS", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "PUT"})
    assert status == 405
    status, _, body = call(served.url, method="OPTIONS", headers={
        "Origin": ALLOWED, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"})
    assert status == 403 and b"authorization" in body


def test_serve_clients_options_without_cors_lists_the_methods(served):
    status, headers, _ = call(served.url, method="OPTIONS")
    assert status == 204 and headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert "Access-Control-Allow-Origin" not in headers


def test_serve_clients_no_cors_by_default(seed_store_path, tmp_path):
    server = start_server(seed_store_path, tmp_path / "serve.log")
    try:
        status, headers, body = call(query_url(server, "ASK { ?s ?p ?o }"), headers={"Origin": ALLOWED})
        assert status == 403 and "Access-Control-Allow-Origin" not in headers
    finally:
        server.stop()


# graphs by content negotiation

CONSTRUCT = "CONSTRUCT { ?p kg:name ?n } WHERE { ?p a kg:Person ; kg:name ?n }"
DESCRIBE = "DESCRIBE person:shigeru-ishiba"


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
@pytest.mark.parametrize(("accept", "media", "rdflib_format"), [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml;q=0.5, application/ld+json;q=0.9", "application/ld+json", "json-ld"),
])
def test_serve_clients_graphs_in_the_format_asked(served, query, accept, media, rdflib_format):
    status, headers, body = call(query_url(served, query), headers={"Accept": accept})
    assert status == 200 and headers.get_content_type() == media
    graph = Graph().parse(data=body, format=rdflib_format)
    assert (ISHIBA, NAME, Literal("Shigeru Ishiba")) in graph
    reread = ox.parse(body, format=ox.RdfFormat.from_media_type(media))  # and Oxigraph reads it the same
    assert len(list(reread)) == len(graph)


def test_serve_clients_a_graph_in_a_results_format_is_refused_with_406(served):
    status, _, body = call(query_url(served, CONSTRUCT), headers={"Accept": "text/csv"})
    assert status == 406 and b"text/turtle" in body


# YASGUI in a browser


def test_serve_clients_yasgui_runs_a_saved_query_with_no_network(served, chromium_browser):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(served.url))
    context = chromium_browser.new_context(service_workers="block")
    outside, errors = [], []

    def route(request_route) -> None:  # the network is off: only this server answers
        if request_route.request.url.startswith(origin + "/"):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(origin + "/", wait_until="load")
        page.wait_for_selector("body[data-state=ready]", state="attached", timeout=30_000)
        assert "PREFIX kg: <https://w3id.org/kg-news/ontology#>" in page.evaluate(
            "() => window.kgYasgui.getTab().getYasqe().getValue()")
        page.select_option("#kg-examples", label="who-spoke-with-whom")
        editor = page.evaluate("() => window.kgYasgui.getTab().getYasqe().getValue()")
        assert editor.startswith("# Who spoke with whom") and "PREFIX kg:" in editor
        page.click(".tabPanel.active .yasqe_queryButton")
        page.wait_for_selector(".tabPanel.active .yasr table tbody tr", timeout=30_000)
        table = page.inner_text(".tabPanel.active .yasr table tbody")
        assert "Shigeru Ishiba" in table and "Donald Trump" in table and "PhoneCall" in table
    finally:
        context.close()
    assert outside == [] and errors == []
