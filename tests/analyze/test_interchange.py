"""GraphML and GEXF as their consumers read them: loaded back with networkx's readers (the
same files Gephi and Cytoscape import), with unique edge ids, labels, colours and dates."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import pytest

from kg.analyze import EntityNode, EventNode, FactEdge, project
from kg.analyze.interchange import TYPE_COLOURS, interchange_bytes
from kg.rdf.vocabulary import PREFIXES

GRAPHML = {"g": "http://graphml.graphdrawing.org/xmlns"}
GEXF = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
ISHIBA, TRUMP, AKAZAWA = (PREFIXES["person"] + n for n in ("shigeru-ishiba", "donald-trump", "ryosei-akazawa"))
JAPAN, USA = PREFIXES["country"] + "JPN", PREFIXES["country"] + "USA"
CALL, VISIT = PREFIXES["id"] + "event/a1/call", PREFIXES["id"] + "event/a2/visit"


@pytest.fixture(scope="module")
def seed(seed_store) -> nx.MultiDiGraph:
    return project(seed_store)


@pytest.fixture
def dated() -> nx.MultiDiGraph:
    """A call on 2025-05-30 and a visit on 2025-06-10, a role dated by its article, and
    Akazawa's undated role: two edges between Ishiba and Japan, as a multigraph has them."""
    g = nx.MultiDiGraph()
    for iri, name, kind in ((ISHIBA, "Shigeru Ishiba", "Person"), (TRUMP, "Donald Trump", "Person"),
                            (AKAZAWA, "Ryosei Akazawa", "Person"), (JAPAN, "Japan", "Country"),
                            (USA, "United States", "Country")):
        g.add_node(iri, **EntityNode(label=name, type=kind).attrs())
    g.add_node(CALL, **EventNode(label="PhoneCall: Ishiba – Trump", event_type="PhoneCall", modality="Happened",
                                 date="2025-05-30", when="2025-05-30").attrs())
    g.add_node(VISIT, **EventNode(label="Visit: Ishiba", event_type="Visit", modality="Planned",
                                  date="2025-06-10", when="2025-06-10").attrs())
    g.add_edge(ISHIBA, CALL, **FactEdge(kind="event", relation="agent", when="2025-05-30").attrs())
    g.add_edge(CALL, TRUMP, **FactEdge(kind="event", relation="target", when="2025-05-30").attrs())
    g.add_edge(ISHIBA, VISIT, **FactEdge(kind="event", relation="agent", when="2025-06-10").attrs())
    g.add_edge(ISHIBA, JAPAN, **FactEdge(kind="role", relation="Prime Minister", when="2025-05-01").attrs())
    g.add_edge(ISHIBA, JAPAN, **FactEdge(kind="role", relation="party leader").attrs())
    g.add_edge(AKAZAWA, JAPAN, **FactEdge(kind="role", relation="chief trade negotiator").attrs())
    return g


def edge_ids(root: ET.Element, ns: dict[str, str]) -> list[str]:
    return [edge.get("id") for edge in root.iterfind(".//g:edge", ns)]


# --- GraphML ------------------------------------------------------------------------------


def test_interchange_graphml_edges_have_unique_ids_where_keys_repeat(seed) -> None:
    keys = Counter(key for _, _, key in seed.edges(keys=True))
    assert keys[0] > 1  # the multigraph's own keys repeat: they cannot be the ids
    data = interchange_bytes(seed, "graphml")
    ids = edge_ids(ET.fromstring(data), GRAPHML)
    assert len(ids) == seed.number_of_edges() and len(set(ids)) == len(ids)
    back = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert back.number_of_edges() == seed.number_of_edges()
    assert sorted(key for _, _, key in back.edges(keys=True)) == sorted(ids)


def test_interchange_graphml_labels_every_node_and_edge(seed) -> None:
    back = nx.read_graphml(io.BytesIO(interchange_bytes(seed, "graphml")), force_multigraph=True)
    assert all(attrs.get("label") for _, attrs in back.nodes(data=True))
    assert back.nodes[ISHIBA]["label"] == "Shigeru Ishiba"
    for _, _, attrs in back.edges(data=True):
        assert attrs["label"] == attrs["relation"]
    assert {"agent", "target", "Prime Minister"} <= {a["label"] for _, _, a in back.edges(data=True)}


def test_interchange_graphml_keeps_parallel_edges_apart(dated) -> None:
    back = nx.read_graphml(io.BytesIO(interchange_bytes(dated, "graphml")), force_multigraph=True)
    roles = sorted(attrs["label"] for attrs in back.get_edge_data(ISHIBA, JAPAN).values())
    assert roles == ["Prime Minister", "party leader"]
    assert back.get_edge_data(ISHIBA, JAPAN).keys().isdisjoint(back.get_edge_data(AKAZAWA, JAPAN).keys())


# --- GEXF ---------------------------------------------------------------------------------


def test_interchange_gexf_edges_have_unique_ids_and_labels(seed) -> None:
    data = interchange_bytes(seed, "gexf")
    root = ET.fromstring(data)
    ids = edge_ids(root, GEXF)
    assert len(ids) == seed.number_of_edges() and len(set(ids)) == len(ids)
    assert all(edge.get("label") for edge in root.iterfind(".//g:edge", GEXF))
    titles = {a.get("title") for a in root.iterfind(".//g:attribute", GEXF)}
    assert "networkx_key" not in titles and {"relation", "sentence", "type"} <= titles
    back = nx.read_gexf(io.BytesIO(data))
    assert back.number_of_edges() == seed.number_of_edges()
    assert {"agent", "target"} <= {a["label"] for _, _, a in back.edges(data=True)}


def test_interchange_gexf_colours_nodes_by_type(seed) -> None:
    back = nx.read_gexf(io.BytesIO(interchange_bytes(seed, "gexf")))
    for node in (ISHIBA, JAPAN):
        colour = back.nodes[node]["viz"]["color"]
        expected = TYPE_COLOURS[back.nodes[node]["type"]]
        assert "#{:02X}{:02X}{:02X}".format(colour["r"], colour["g"], colour["b"]) == expected
    event_colours = {tuple(a["viz"]["color"].values()) for _, a in back.nodes(data=True) if a["type"] == "Event"}
    assert len(event_colours) == 1


def test_interchange_gexf_dates_make_a_dynamic_graph_for_the_timeline(dated) -> None:
    data = interchange_bytes(dated, "gexf")
    graph = ET.fromstring(data).find("g:graph", GEXF)
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    back = nx.read_gexf(io.BytesIO(data))
    assert (back.nodes[CALL]["start"], back.nodes[CALL]["end"]) == ("2025-05-30", "2025-05-30")
    assert (back.nodes[ISHIBA]["start"], back.nodes[ISHIBA]["end"]) == ("2025-05-01", "2025-06-10")
    assert (back.nodes[TRUMP]["start"], back.nodes[TRUMP]["end"]) == ("2025-05-30", "2025-05-30")
    assert "start" not in back.nodes[AKAZAWA]  # nothing dated: always shown
    [call_link] = back.get_edge_data(ISHIBA, CALL).values()
    assert (call_link["start"], call_link["end"]) == ("2025-05-30", "2025-05-30")
    [akazawa_role] = back.get_edge_data(AKAZAWA, JAPAN).values()
    assert "start" not in akazawa_role


def test_interchange_gexf_without_dates_is_static() -> None:
    undated = nx.MultiDiGraph()
    undated.add_node(ISHIBA, **EntityNode(label="Shigeru Ishiba", type="Person").attrs())
    graph = ET.fromstring(interchange_bytes(undated, "gexf")).find("g:graph", GEXF)
    assert graph.get("mode") == "static" and graph.get("timeformat") is None


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_interchange_same_graph_same_bytes(dated, fmt) -> None:
    again = nx.MultiDiGraph()
    again.add_nodes_from(reversed(list(dated.nodes(data=True))))
    again.add_edges_from(reversed(list(dated.edges(data=True))))
    assert interchange_bytes(dated, fmt) == interchange_bytes(again, fmt)
    assert b"None" not in interchange_bytes(dated, fmt)


# --- text XML cannot carry ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_interchange_control_characters_from_articles_still_parse(fmt) -> None:
    """A title with U+0001, U+000C, an escape sequence or a lone surrogate crashed GraphML's
    writer and made GEXF that no reader parses; now each such character is U+FFFD in text
    and percent-encoded in an id, and both files read back whole."""
    g = nx.MultiDiGraph()
    odd = ISHIBA + "\x01"
    g.add_node(odd, **EntityNode(label="Shigeru\x0c Ishiba\ud800", type="Person").attrs())
    g.add_node(ISHIBA, **EntityNode(label="Shigeru Ishiba", type="Person").attrs())
    g.add_node(CALL, **EventNode(label="PhoneCall", event_type="PhoneCall", when="2025-05-30").attrs())
    g.add_edge(odd, CALL, **FactEdge(kind="event", relation="agent", article_title="Trump\x01 calls\x1b[31m",
                                     sentence="Tab\tand\nnewline stay.", when="2025-05-30").attrs())
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    back = read(io.BytesIO(interchange_bytes(g, fmt)))
    assert set(back.nodes) == {ISHIBA + "%01", ISHIBA, CALL}  # distinct ids stay distinct
    assert back.nodes[ISHIBA + "%01"]["label"] == "Shigeru\ufffd Ishiba\ufffd"
    [(_, _, edge)] = back.edges(data=True)
    assert edge["article_title"] == "Trump\ufffd calls\ufffd[31m"
    assert edge["sentence"] == "Tab\tand\nnewline stay."
