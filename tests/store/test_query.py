"""Saved queries: each parses, runs and gives the expected answer on the seed store; formats."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef

from kg.errors import QueryError, QuerySyntaxError, StoreError
from kg.rdf.vocabulary import compact
from kg.cli.render import query_results
from kg.store.queries import SavedQuery, bind, bindings_for, resolve_query, run, saved_queries
from kg.store import Results

ROOT = Path(__file__).resolve().parents[2]
QUERY_FILES = sorted((ROOT / "queries").glob("*.rq"))
SAVED = saved_queries()
PARAMS = {"about-entity": {"entity": "Shigeru Ishiba"}, "what-did": {"entity": "Donald Trump"}}
XSD = "http://www.w3.org/2001/XMLSchema#"
INJECTION = 'x" } DROP ALL { "'


def rows(results: Results) -> list[dict[str, str]]:
    """Each row as {variable: text}, unbound variables left out."""
    return [{v: str(t) for v, t in zip(results.variables, row) if t is not None} for row in results.rows]


def listed(text: str) -> set[str]:
    return {item.strip() for item in text.split(",") if item.strip()}


# the saved queries


def test_query_every_file_in_queries_is_a_saved_query():
    assert set(SAVED) == {path.stem for path in QUERY_FILES}
    assert len(SAVED) >= 6


@pytest.mark.parametrize("name", sorted(SAVED))
def test_query_saved_query_has_a_description_and_documents_its_parameters(name):
    saved = SAVED[name]
    assert saved.description, f"{name}.rq has no comment header saying what it answers"
    assert "param:" not in saved.description
    for param, meaning in saved.params.items():
        assert meaning, f"{name}.rq: parameter {param} is not described"
        assert re.search(rf"[?$]{param}\b", saved.text), f"{name}.rq never uses ?{param}"


@pytest.mark.parametrize("name", sorted(SAVED))
def test_query_saved_query_runs_on_the_seed_store_and_answers(seed_store, name):
    results = run(seed_store, name, params=PARAMS.get(name))
    projected = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\s+WHERE", SAVED[name].text, re.S | re.I).group(1)
    assert results.variables == tuple(re.findall(r"\?(\w+)\s*\)?(?=\s|$)", projected)), projected
    assert results.rows, f"{name} gives no rows on the seed store"
    assert len(set(results.rows)) == len(results.rows), f"{name} repeats rows"


def test_query_who_spoke_with_whom_is_the_trump_ishiba_call(seed_store):
    results = run(seed_store, "who-spoke-with-whom")
    [row] = rows(results)
    assert (row["person"], row["other"], row["kind"]) == ("Donald Trump", "Shigeru Ishiba", "PhoneCall")
    assert row["duration"] == "PT45M"
    [duration] = [t for v, t in zip(results.variables, results.rows[0]) if v == "duration"]
    assert duration.datatype == URIRef(XSD + "duration")
    assert {"tariffs", "diplomacy", "regional security"} <= listed(row["topics"])
    assert "spoke with U.S. President Donald Trump for 45 minutes" in row["evidence"]


def test_query_who_holds_which_role_reads_the_titles(seed_store):
    found = {(r["person"], r["title"], r.get("of")) for r in rows(run(seed_store, "who-holds-which-role"))}
    assert {
        ("Shigeru Ishiba", "Prime Minister", "Japan"),
        ("Donald Trump", "President", "United States"),
        ("Ryosei Akazawa", "chief trade negotiator", "Japan"),
    } <= found


def test_query_tariffs_has_the_united_states_on_japan_for_steel_and_automobiles(seed_store):
    found = [r for r in rows(run(seed_store, "tariffs")) if (r["imposer"], r.get("on")) == ("United States", "Japan")]
    assert found, rows(run(seed_store, "tariffs"))
    goods = set().union(*(listed(r.get("goods", "")) for r in found))
    assert {"steel", "automobiles"} <= goods


def test_query_who_negotiates_with_whom_has_the_planned_third_round_in_washington(seed_store):
    found = [r for r in rows(run(seed_store, "who-negotiates-with-whom"))
             if (r["party"], r["counterpart"]) == ("Japan", "United States")]
    assert len(found) == 1, found
    [row] = found
    assert row["modality"] == "Planned"
    assert row["round"] == "3"
    assert row["place"] == "Washington"


def test_query_about_entity_tells_of_the_call_and_the_role(seed_store):
    found = rows(run(seed_store, "about-entity", params={"entity": "Shigeru Ishiba"}))
    facts = {r["fact"] for r in found}
    assert {"PhoneCall", "Prime Minister"} <= facts
    call = [r for r in found if r["fact"] == "PhoneCall"]
    assert {r.get("other") for r in call} >= {"Donald Trump"}
    assert all(r["modality"] == "Happened" for r in call)


def test_query_about_entity_ignores_the_case_of_the_name(seed_store):
    exact = run(seed_store, "about-entity", params={"entity": "Shigeru Ishiba"})
    lower = run(seed_store, "about-entity", params={"entity": "shigeru ishiba"})
    assert lower.rows == exact.rows


# parameters


def test_query_missing_parameter_names_it_and_how_to_give_it(seed_store):
    with pytest.raises(QueryError) as caught:
        run(seed_store, "about-entity")
    message = str(caught.value)
    assert "about-entity" in message
    assert "needs the parameter entity=VALUE" in message
    assert "needs --param entity=VALUE" in caught.value.for_command_line()  # what `kg query` says
    assert "Shigeru Ishiba" in message  # the example from the query's header


def test_query_parameter_with_quotes_and_braces_stays_a_literal(seed_store):
    saved = SAVED["about-entity"]
    text = bind(saved.text, bindings_for(saved, {"entity": INJECTION}))
    assert "DROP ALL" in text
    assert text.count("DROP") == text.count('"x\\" } DROP ALL { \\""')  # each time inside one string literal
    results = run(seed_store, "about-entity", params={"entity": INJECTION})
    assert results.rows == ()
    assert run(seed_store, "who-spoke-with-whom").rows  # and the store is untouched


def test_query_parameter_values_become_terms():
    saved = SavedQuery(name="q", description="", params={"v": "a value"}, text="SELECT ?x WHERE { ?x ?p ?v }")
    assert bindings_for(saved, {"v": "Japan"}) == {"v": Literal("Japan")}
    assert bindings_for(saved, {"v": "<https://example.org/a>"}) == {"v": URIRef("https://example.org/a")}
    assert bindings_for(saved, {"v": "https://example.org/a"}) == {"v": URIRef("https://example.org/a")}
    assert bindings_for(saved, {"v": "kg:PhoneCall"}) == {"v": URIRef("https://w3id.org/kg-news/ontology#PhoneCall")}
    assert bindings_for(saved, {"v": "kg:not a name"}) == {"v": Literal("kg:not a name")}


@pytest.mark.parametrize("value", ["<a b>", "https://example.org/x>}", "id:person/x>"])
def test_query_parameter_that_is_not_a_valid_iri_gives_a_query_error(seed_store, value):
    with pytest.raises(QueryError, match="not a valid IRI"):
        run(seed_store, "about-entity", params={"entity": value})


# resolving a query spec


def test_query_spec_may_be_a_file_or_sparql_text(seed_store, tmp_path):
    path = tmp_path / "people.rq"
    path.write_text("# Every person's name.\nSELECT ?name WHERE { ?p a kg:Person ; kg:name ?name } ORDER BY ?name\n",
                    encoding="utf-8")
    from_file = resolve_query(str(path))
    assert (from_file.name, from_file.description) == ("people", "Every person's name.")
    names = {str(r[0]) for r in run(seed_store, str(path)).rows}
    assert {"Donald Trump", "Shigeru Ishiba", "Ryosei Akazawa"} <= names
    text = run(seed_store, "SELECT ?name WHERE { ?p a kg:Country ; kg:name ?name }")
    assert {"Japan", "United States"} <= {str(r[0]) for r in text.rows}


def test_query_unknown_name_lists_the_saved_queries():
    with pytest.raises(QueryError) as caught:
        resolve_query("who-met-whom")
    message = str(caught.value)
    assert "who-met-whom" in message
    for name in SAVED:
        assert name in message


def test_query_missing_rq_file_is_named():
    with pytest.raises(QueryError, match="no query file nowhere/x.rq"):
        resolve_query("nowhere/x.rq")


def test_query_sparql_syntax_error_is_a_query_syntax_error_and_a_store_error(seed_store):
    with pytest.raises(QuerySyntaxError, match="^SPARQL syntax error: ") as caught:
        run(seed_store, "SELECT ?x WHERE { ?x kg:name }")
    assert isinstance(caught.value, StoreError) and isinstance(caught.value, QueryError)


# formats


def test_query_table_is_aligned_with_header_dashes_and_row_count(seed_store):
    results = run(seed_store, "who-holds-which-role")
    lines = query_results(results, "table").splitlines()
    header, dashes, *body, count = lines
    assert header.split() == list(results.variables)
    assert count == f"({len(results.rows)} rows)"
    assert len(body) == len(results.rows)
    starts = [header.index(v) for v in results.variables]
    assert [m.start() for m in re.finditer(r"-+", dashes)] == starts
    for line, row in zip(body, results.rows):
        for start, term in zip(starts, row):
            text = compact(term)
            shown = text if len(text) <= 60 else text[:59] + "…"
            assert line[start:].startswith(shown), (line, shown)
    assert all(not line.endswith(" ") for line in lines)
    assert any(len(compact(row[-1])) > 60 for row in results.rows), "the evidence should need cutting"
    assert all(len(cell) <= 60 for line in body for cell in line.split("  ") if cell)


def test_query_table_says_row_or_rows_and_flattens_line_breaks():
    one = Results(variables=("a", "b"), rows=((Literal("two\nlines"), None),))
    assert query_results(one, "table") == "a          b\n---------  -\ntwo lines\n(1 row)\n"
    none = Results(variables=("a",), rows=())
    assert query_results(none, "table") == "a\n-\n(0 rows)\n"


def test_query_csv_parses_back_with_the_csv_module(seed_store):
    results = run(seed_store, "who-spoke-with-whom")
    parsed = list(csv.reader(io.StringIO(query_results(results, "csv"))))
    assert parsed[0] == list(results.variables)
    assert parsed[1:] == [[compact(t) for t in row] for row in results.rows]
    record = dict(zip(parsed[0], parsed[1]))
    assert record["evidence"].startswith("Japanese Prime Minister Shigeru Ishiba spoke with")  # commas kept inside


def test_query_tsv_has_one_tab_between_each_column():
    results = Results(variables=("a", "b", "c"), rows=((Literal("x\ty"), Literal("two\nlines"), None),))
    text = query_results(results, "tsv")
    assert text.splitlines() == ["a\tb\tc", "x y\ttwo lines\t"]


def test_query_tsv_of_a_saved_query(seed_store):
    results = run(seed_store, "who-holds-which-role")
    lines = query_results(results, "tsv").splitlines()
    assert lines[0].split("\t") == list(results.variables)
    assert all(line.count("\t") == len(results.variables) - 1 for line in lines)
    assert any(line.startswith("Shigeru Ishiba\tPrime Minister\tJapan\t") for line in lines)


def test_query_json_is_sparql_results_json(seed_store):
    results = run(seed_store, "who-spoke-with-whom")
    data = json.loads(query_results(results, "json"))
    assert set(data) == {"head", "results"}
    assert data["head"]["vars"] == list(results.variables)
    [binding] = data["results"]["bindings"]
    for var, value in binding.items():
        assert var in results.variables
        assert value["type"] in {"uri", "literal", "bnode"}
        assert isinstance(value["value"], str)
    assert binding["person"] == {"type": "literal", "value": "Donald Trump"}
    assert binding["duration"] == {"type": "literal", "value": "PT45M", "datatype": XSD + "duration"}


def test_query_json_writes_each_kind_of_term_and_leaves_out_unbound():
    results = Results(
        variables=("iri", "blank", "lang", "typed", "unbound"),
        rows=((URIRef("https://example.org/a"), BNode("b1"), Literal("Japon", lang="fr"), Literal(3), None),),
    )
    data = json.loads(query_results(results, "json"))
    assert data["results"]["bindings"] == [{
        "iri": {"type": "uri", "value": "https://example.org/a"},
        "blank": {"type": "bnode", "value": "b1"},
        "lang": {"type": "literal", "value": "Japon", "xml:lang": "fr"},
        "typed": {"type": "literal", "value": "3", "datatype": XSD + "integer"},
    }]


def test_query_ask_answers_yes_or_no_and_json_boolean(seed_store):
    yes = run(seed_store, "ASK { ?p kg:name 'Shigeru Ishiba' }")
    no = run(seed_store, "ASK { ?p kg:name 'Nobody At All' }")
    assert query_results(yes, "table") == "yes\n"
    assert query_results(no, "table") == "no\n"
    assert json.loads(query_results(yes, "json")) == {"head": {}, "boolean": True}


def test_query_unknown_format_lists_the_formats():
    with pytest.raises(QueryError, match="unknown format 'xml'; use one of table, csv, tsv, json"):
        query_results(Results(variables=(), rows=()), "xml")


def test_query_compact_uses_the_project_prefixes():
    assert compact(URIRef("https://w3id.org/kg-news/ontology#PhoneCall")) == "kg:PhoneCall"
    assert compact(URIRef("https://example.org/unknown")) == "https://example.org/unknown"
    assert compact(Literal("Japan")) == "Japan"
    assert compact(None) == ""


def test_query_what_did_lists_an_entitys_acts_with_what_they_act_on(seed_store):
    found = rows(run(seed_store, "what-did", params={"entity": "donald trump"}))
    did = {(row["did"], row["what"], row["modality"]) for row in found}
    assert ("sign", "America First Arms Transfer Strategy", "Happened") in did
    assert ("Endorsement", "Sanae Takaichi", "Happened") in did
    assert all(row["evidence"] for row in found)
