"""Saved queries as kg.store.planning runs them: the same answers as the plain queries they
replaced (tests/store/reference/), on the seed store and on a generated corpus of many days,
and pages of a listing that are slices of its whole answer."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from kg.store.oxigraph import OxigraphStore
from kg.store.planning import trailing_order
from kg.store.queries import bind, bindings_for, parse_saved, run, saved_queries, spellings

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = {p.stem: p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parent / "reference").glob("*.rq"))}
CONCATENATED = {"parties", "topics", "goods"}  # GROUP_CONCAT columns: their order follows the join order


def params_for(name: str, store: OxigraphStore) -> dict[str, str]:
    if name != "about-entity":
        return {}
    top = store.query("SELECT ?n (COUNT(?e) AS ?c) WHERE { ?e kg:participant ?x . ?x a kg:Person ; kg:name ?n } "
                      "GROUP BY ?n ORDER BY DESC(?c) ?n LIMIT 1").rows
    return {"entity": str(top[0][0])}


def normal(results) -> Counter:
    """The answer as a multiset of rows, each a tuple of texts (concatenations as sets)."""
    def cell(variable, term):
        if term is None:
            return None
        if variable in CONCATENATED:
            return frozenset(part.strip() for part in str(term).split(",") if part.strip())
        return str(term)
    return Counter(tuple(cell(v, t) for v, t in zip(results.variables, row)) for row in results.rows)


def reference_answer(store: OxigraphStore, name: str, params: dict[str, str]):
    query = parse_saved(name, REFERENCE[name])
    bindings = dict(bindings_for(query, params))
    for key in query.names & bindings.keys():
        bindings[key] = spellings(store, bindings[key])
    return store.query(bind(query.text, bindings))


@pytest.fixture(scope="module")
def corpus_store():
    """About 150 generated articles over many days (bench/bench_store.py's generator), in memory."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_store import Generator

    from kg.rdf.graph import extraction_triples

    generator = Generator(seed=3)
    store = OxigraphStore(None)
    store.load_ontology()
    for _ in range(150):
        store.put_graph(extraction_triples(generator.extraction()))
    return store


def test_planning_every_saved_query_has_a_reference():
    assert set(REFERENCE) <= set(saved_queries())
    assert {"events", "who-spoke-with-whom", "who-holds-which-role"} <= set(REFERENCE)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_planning_answer_equals_the_reference_on_the_seed(seed_store, name):
    params = params_for(name, seed_store)
    expected = normal(reference_answer(seed_store, name, params))
    assert expected, f"the reference {name} answers nothing on the seed: the test would prove nothing"
    assert normal(run(seed_store, name, params=params, limit=0)) == expected


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_planning_answer_equals_the_reference_on_a_corpus(corpus_store, name):
    params = params_for(name, corpus_store)
    expected = normal(reference_answer(corpus_store, name, params))
    assert expected
    assert normal(run(corpus_store, name, params=params, limit=0)) == expected


@pytest.mark.parametrize("name", [n for n, q in saved_queries().items() if q.page])
def test_planning_pages_of_a_listing_are_slices_of_its_whole_answer(corpus_store, name):
    whole = run(corpus_store, name, limit=0).rows
    assert len(whole) > 60
    pages = [run(corpus_store, name, limit=25, offset=offset).rows for offset in range(0, len(whole) + 25, 25)]
    assert [row for page in pages for row in page] == list(whole)
    assert pages[1] == whole[25:50]


@pytest.mark.parametrize("name", [n for n, q in saved_queries().items() if q.page])
def test_planning_a_listing_gives_its_page_by_default_newest_first(corpus_store, name):
    query = saved_queries()[name]
    first = run(corpus_store, name)
    assert len(first) == query.page
    newest = corpus_store.query("SELECT (MAX(?d) AS ?m) WHERE { ?a kg:published ?d }").rows[0][0]
    on_newest = corpus_store.query(f"SELECT ?a WHERE {{ ?a kg:published {newest.n3()} }}").rows
    assert on_newest, "the corpus has a newest day"
    assert first.rows == run(corpus_store, name, limit=0).rows[:query.page]


def test_planning_orders_as_sparql_does_numbers_by_value_and_unbound_first():
    store = OxigraphStore(None)
    text = "SELECT ?x ?y WHERE { VALUES (?x ?y) { (10 'b') (9 'a') (UNDEF 'c') (10 'a') } } ORDER BY DESC(?x) ?y"
    from kg.store.planning import run as planned

    assert [tuple(str(t) if t is not None else None for t in row) for row in planned(store, text).rows] == \
        [("10", "a"), ("10", "b"), ("9", "a"), (None, "c")]
    assert [tuple(map(str, r)) for r in store.query(text).rows if r[0] is not None] == [("10", "a"), ("10", "b"), ("9", "a")]


def test_planning_reads_a_trailing_order_by_with_limit_and_projects_what_it_sorts_by():
    order, body = trailing_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY DESC(?b) ?a LIMIT 5 OFFSET 2")
    assert order.keys == (("b", True), ("a", False)) and order.limit == 5 and order.offset == 2
    assert order.added == ("b",) and body.startswith("SELECT ?a ?b ")
    assert trailing_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)")[0] is None
