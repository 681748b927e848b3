"""The scan of SPARQL text before any store sees it: form, SERVICE endpoints, size limits."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.store import sparql
from kg.cli import main
from kg.store.oxigraph import OxigraphStore
from kg.rdf.vocabulary import PREFIXES


@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX ex: <http://example.org/#a> BASE <http://x/> ask { ?s ?p ?o }", "ASK"),
    ("# a comment SELECT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("PREFIX : <http://example.org/>\nINSERT DATA { :a :b :c }", "INSERT"),
    ("describe <http://example.org/a>", "DESCRIBE"),
    ("{ ?s ?p ?o }", ""),
])
def test_sparql_shape_reads_the_form_after_the_prologue(text, form):
    assert sparql.shape(text).form == form


@pytest.mark.parametrize(("text", "services"), [
    ("SELECT * WHERE { SERVICE <http://a.example/sparql> { ?s ?p ?o } }", ("http://a.example/sparql",)),
    ("SELECT * WHERE { service silent <http://a.example/> { ?s ?p ?o } }", ("http://a.example/",)),
    ("SELECT * WHERE {SERVICE<http://a.example/>{?s ?p ?o}}", ("http://a.example/",)),
    ("PREFIX ex: <http://b.example/> SELECT * WHERE { SERVICE ex:q { ?s ?p ?o } }", ("http://b.example/q",)),
    ("SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }", (None,)),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1\\u003a9/> { ?s ?p ?o } }", ("http://127.0.0.1:9/",)),
    # the word inside strings, IRIs, comments, variables and prefixed names is no SERVICE
    ('SELECT * WHERE { ?s ?p "SERVICE <http://a.example/> {}" }', ()),
    ("SELECT * WHERE { ?s ?p '''x\n SERVICE <http://a.example/> {} ''' }", ()),
    ("SELECT * WHERE { ?s <http://x/SERVICE> ?service } # SERVICE <http://a.example/>", ()),
    ("PREFIX SERVICE: <http://x/> SELECT * WHERE { ?s SERVICE:p ex:SERVICE }", ()),
])
def test_sparql_shape_finds_every_service_clause(text, services):
    assert sparql.shape(text).services == services


def test_sparql_shape_sees_a_service_hidden_by_escaped_quotes():
    # Oxigraph reads \u0022 inside a string as a quote character, never as the string's end
    text = 'SELECT * WHERE { BIND("\\u0022" AS ?x) SERVICE <http://a.example/> { ?s ?p ?o } BIND("\\u0022" AS ?y) }'
    assert sparql.shape(text).services == ("http://a.example/",)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:8890/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE unknown:x { ?s ?p ?o } }",
])
def test_sparql_check_refuses_services_by_default(text):
    with pytest.raises(sparql.QueryRefused, match="SERVICE"):
        sparql.check(text)


def test_sparql_check_allows_named_hosts_and_ports_only():
    text = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    assert sparql.check(text, allow_service=frozenset({"query.wikidata.org"})).services
    assert sparql.check(text, allow_service=frozenset({"QUERY.wikidata.org:443"})).services  # https's own port
    with pytest.raises(sparql.QueryRefused, match="--allow-service query.wikidata.org"):
        sparql.check(text, allow_service=frozenset({"wikidata.org"}))
    with pytest.raises(sparql.QueryRefused):
        sparql.check("SELECT * WHERE { SERVICE <http://query.wikidata.org:8080/> { ?s ?p ?o } }",
                     allow_service=frozenset({"query.wikidata.org:443"}))


@pytest.mark.parametrize(("text", "reason"), [
    ("SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000, "nests brackets 3000 deep"),
    ("SELECT * WHERE { BIND(" + "1+" * 20_000 + "1 AS ?x) }", "20,003 operators"),
    ("SELECT * WHERE { " + "{?s ?p ?o} UNION " * 20_000 + "{?s ?p ?o} }", "operators"),
    ("SELECT * WHERE { FILTER(" + "true && " * 20_000 + "true) }", "operators"),
])
def test_sparql_check_refuses_what_would_overflow_the_parser(text, reason):
    with pytest.raises(sparql.QueryTooLarge, match=reason):
        sparql.check(text)


def test_sparql_check_passes_every_saved_query():
    from kg.store.queries import saved_queries

    for saved in saved_queries().values():
        found = sparql.check(saved.text, prefixes=PREFIXES)
        assert found.form == "SELECT" and not found.services


def test_sparql_store_refuses_service_without_connecting(listener):
    store = OxigraphStore(None)
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/admin?token=1> {{ ?s ?p ?o }} }}"
    with pytest.raises(sparql.QueryRefused, match=f"--allow-service 127.0.0.1"):
        store.query(query)
    assert listener.connections == 0


def test_sparql_store_calls_an_allowed_service(listener):
    store = OxigraphStore(None, allow_service=frozenset({f"127.0.0.1:{listener.port}"}))
    query = f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    store.query(query)  # SILENT: the closed connection is no error
    assert listener.connections >= 1


def test_sparql_kg_query_refuses_service_in_one_line(seed_store_path, listener):
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(main, ["query", query, "--store", str(seed_store_path)])
    assert result.exit_code == 1
    assert "SERVICE <http://127.0.0.1:" in result.output and "refused" in result.output
    assert "Traceback" not in result.output
    assert listener.connections == 0


def test_sparql_kg_query_refuses_a_deeply_nested_query_without_crashing(seed_store_path):
    query = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    result = CliRunner().invoke(main, ["query", query, "--store", str(seed_store_path)])
    assert result.exit_code == 1
    assert "nests brackets 5000 deep; the limit is 64" in result.output
