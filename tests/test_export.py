"""Exports: each format parses back to the store's graph, and the same store gives the same bytes."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.errors import KGError
from kg.export import FORMATS, export, export_to_file, write_export
from kg.store.oxigraph import OxigraphStore
from kg.rdf.vocabulary import ID, KG, ONTOLOGY_IRI

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_ARTICLES = 18

# rdflib's own TriG and JSON-LD plugins still call its deprecated ConjunctiveGraph API.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def readable_diff(expected: Graph, actual: Graph) -> str:
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    def lines(g: Graph) -> str:
        return "\n".join(sorted(g.serialize(format="nt11").splitlines())[:40])
    return f"only in the store:\n{lines(only_expected)}\nonly in the export:\n{lines(only_actual)}"


def assert_same_graph(expected: Graph, actual: Graph) -> None:
    assert isomorphic(expected, actual), readable_diff(expected, actual)


@pytest.fixture(scope="module")
def second_seed_store(tmp_path_factory, nlp):
    """The seeds built again into a fresh store, to check that builds are reproducible."""
    from kg.build import build
    from kg.store.oxigraph import OxigraphStore

    path = tmp_path_factory.mktemp("seed-again") / "store"
    store = OxigraphStore(path)
    report = build([SEEDS], store)
    assert not report.failed, report.skipped
    return store


def test_export_turtle_parses_back_to_the_store_graph(seed_store):
    data, summary = export(seed_store, fmt="turtle")
    parsed = Graph().parse(data=data, format="turtle")
    expected = seed_store.union_graph()
    assert_same_graph(expected, parsed)
    assert summary.triples == len(expected) == len(parsed)
    assert summary.graphs == SEED_ARTICLES


def test_export_turtle_uses_the_project_prefixes_and_plain_strings(seed_store):
    text = export(seed_store, fmt="turtle")[0].decode("utf-8")
    assert "@prefix kg: <https://w3id.org/kg-news/ontology#> ." in text
    assert "XMLSchema#string" not in text and "xsd:string" not in text
    assert '"Shigeru Ishiba"' in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_twice_gives_the_same_bytes(seed_store, fmt):
    assert export(seed_store, fmt=fmt)[0] == export(seed_store, fmt=fmt)[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_two_builds_of_the_seeds_give_the_same_bytes(seed_store, second_seed_store, fmt):
    first, second = export(seed_store, fmt=fmt)[0], export(second_seed_store, fmt=fmt)[0]
    if first != second:
        only_first = sorted(set(first.decode().splitlines()) - set(second.decode().splitlines()))[:20]
        only_second = sorted(set(second.decode().splitlines()) - set(first.decode().splitlines()))[:20]
        pytest.fail(f"{fmt} differs between two builds\nonly first:\n" + "\n".join(only_first)
                    + "\nonly second:\n" + "\n".join(only_second))


def test_export_nt_is_sorted_unique_lines_that_parse_back(seed_store):
    data, summary = export(seed_store, fmt="nt")
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == ""  # ends with a newline
    lines = lines[:-1]
    assert lines == sorted(set(lines))
    assert all(line.endswith(" .") for line in lines)
    assert len(lines) == summary.triples
    assert_same_graph(seed_store.union_graph(), Graph().parse(data=data, format="nt"))


def test_export_trig_keeps_one_named_graph_per_article(seed_store):
    data, summary = export(seed_store, fmt="trig")
    dataset = Dataset()
    dataset.parse(data=data, format="trig")
    graphs = {g.identifier: g for g in dataset.graphs() if len(g)}
    articles = seed_store.article_graphs()
    assert len(articles) == SEED_ARTICLES
    assert set(graphs) == set(articles)
    assert summary.graphs == SEED_ARTICLES
    stored = seed_store.dataset()
    for name in articles:
        assert_same_graph(stored.graph(name), graphs[name])


def test_export_trig_with_the_ontology_adds_its_graph(seed_store):
    data, summary = export(seed_store, fmt="trig", include_ontology=True)
    dataset = Dataset()
    dataset.parse(data=data, format="trig")
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert ONTOLOGY_IRI in names
    assert len(names) == SEED_ARTICLES + 1
    assert summary.graphs == SEED_ARTICLES + 1


def test_export_turtle_with_the_ontology_has_more_triples(seed_store):
    without = export(seed_store, fmt="turtle")[1].triples
    data, summary = export(seed_store, fmt="turtle", include_ontology=True)
    assert summary.triples > without
    assert (ONTOLOGY_IRI, None, None) in Graph().parse(data=data, format="turtle")


def test_export_jsonld_parses_back_to_the_same_triples(seed_store):
    data, summary = export(seed_store, fmt="jsonld")
    parsed = Graph().parse(data=data, format="json-ld")
    expected = seed_store.union_graph()
    assert len(parsed) == len(expected) == summary.triples
    assert_same_graph(expected, parsed)


def test_export_unknown_format_lists_the_formats(seed_store):
    with pytest.raises(KGError, match="unknown export format 'rdfxml'; use one of turtle, nt, trig, jsonld"):
        export(seed_store, fmt="rdfxml")


def small_store(order: list[int]) -> OxigraphStore:
    """An in-memory store of three small articles, written in the given order."""
    articles = []
    for n in range(3):
        graph = Graph(identifier=ID[f"article/{n}"])
        graph.add((ID[f"article/{n}"], RDF.type, KG.Article))
        graph.add((ID["person/ana"], RDF.type, KG.Person))
        graph.add((ID["person/ana"], KG.name, Literal("Ana")))
        graph.add((ID[f"person/p{n}"], KG.name, Literal(f"P {n}", lang="en")))
        graph.add((ID[f"person/p{n}"], KG.alias, Literal(f"P\t{n}\n")))
        articles.append(graph)
    store = OxigraphStore(None)
    store.load_ontology()
    for n in order:
        store.put_graph(articles[n])
    return store


@pytest.mark.parametrize("fmt", ["turtle", "nt", "trig", "jsonld"])
def test_export_order_does_not_depend_on_the_order_of_writing(fmt):
    assert export(small_store([0, 1, 2]), fmt=fmt)[0] == export(small_store([2, 0, 1]), fmt=fmt)[0]


def test_export_without_the_ontology_keeps_what_an_article_also_states():
    store = small_store([0])
    stated = (KG.Person, RDFS.label, next(store.union_graph(include_ontology=True).objects(KG.Person, RDFS.label)))
    graph = Graph(identifier=ID["article/9"])
    graph.add(stated)
    store.put_graph(graph)
    parsed = Graph().parse(data=export(store, fmt="turtle")[0], format="turtle")
    assert stated in parsed
    assert (ONTOLOGY_IRI, None, None) not in parsed
    assert_same_graph(store.union_graph(), parsed)


def test_export_write_export_streams_to_a_binary_file(seed_store, tmp_path):
    path = tmp_path / "kg.nt"
    with path.open("wb") as output:
        summary = write_export(seed_store, output, fmt="nt")
    assert path.read_bytes() == export(seed_store, fmt="nt")[0]
    assert summary == export(seed_store, fmt="nt")[1]


def test_export_to_file_replaces_the_file_whole_or_not_at_all(seed_store, tmp_path):
    path = tmp_path / "kg.ttl"
    path.write_text("old")
    with pytest.raises(KGError, match="unknown export format"):
        export_to_file(seed_store, path, fmt="rdfxml")
    assert path.read_text() == "old"
    summary = export_to_file(seed_store, path)
    assert path.read_bytes() == export(seed_store)[0]
    assert summary.triples == len(seed_store.union_graph())
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


@pytest.mark.parametrize(("fmt", "path", "expected"), [
    (None, "kg.jsonld", "jsonld"), (None, "kg.json", "jsonld"), (None, "KG.GRAPHML", "graphml"),
    (None, "out/kg.gexf", "gexf"), (None, "kg.nt", "nt"), (None, "kg.trig", "trig"), (None, "kg.ttl", "turtle"),
    (None, None, "turtle"), ("ttl", None, "turtle"), ("ttl", "kg.jsonld", "turtle"), ("nt", "kg.ttl", "nt"),
])
def test_export_format_from_the_extension_unless_named(fmt, path, expected):
    from kg.export import format_for

    assert format_for(fmt, path) == expected


def test_export_format_of_an_unknown_extension_is_asked_for():
    from kg.export import format_for

    with pytest.raises(KGError, match=r"cannot tell the format of kg.xml from its extension \(.xml\); name it with "
                                      r"fmt \(turtle, nt, trig, jsonld, graphml, gexf\)") as caught:
        format_for(None, "kg.xml")
    assert "name it with --format" in caught.value.for_command_line()


def test_export_to_a_file_takes_the_format_from_its_extension(seed_store, tmp_path):
    import json

    summary = export_to_file(seed_store, tmp_path / "kg.jsonld")
    assert summary.format == "jsonld"
    assert "@context" in json.loads((tmp_path / "kg.jsonld").read_text(encoding="utf-8"))
    assert export_to_file(seed_store, tmp_path / "kg.graphml").format == "graphml"
    assert (tmp_path / "kg.graphml").read_bytes().startswith(b"<?xml")
