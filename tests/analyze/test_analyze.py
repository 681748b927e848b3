"""Analytics on the networkx projection: filters, focus, neighbours, paths, timeline, stats,
GraphML and GEXF; on the seed store, and on a small hand-made store with dates and sources."""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, URIRef

from kg.analyze import (
    Selection,
    find_entities,
    graph_stats,
    neighbors,
    pagerank,
    project,
    select,
    shortest_paths,
    timeline,
)
from kg.analyze.interchange import interchange_bytes
from kg.cli import main, render
from kg.errors import EntityNotFound, KGError
from kg.export import export
from kg.store.oxigraph import OxigraphStore
from kg.rdf.vocabulary import PREFIXES

ID = PREFIXES["id"]
ISHIBA = PREFIXES["person"] + "shigeru-ishiba"
TRUMP = PREFIXES["person"] + "donald-trump"
TAKAICHI = PREFIXES["person"] + "sanae-takaichi"
AKAZAWA = PREFIXES["person"] + "ryosei-akazawa"
NETANYAHU = PREFIXES["person"] + "benjamin-netanyahu"
JAPAN = PREFIXES["country"] + "JPN"
USA = PREFIXES["country"] + "USA"
RUSSIA = PREFIXES["country"] + "RUS"
WASHINGTON = PREFIXES["place"] + "washington"
CALL_SENTENCE = (
    "Japanese Prime Minister Shigeru Ishiba spoke with U.S. President Donald Trump for 45 "
    "minutes on Friday"
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def kg(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def entity_labels(g: nx.MultiDiGraph) -> set[str]:
    return {a["label"] for _, a in g.nodes(data=True) if a["type"] != "Event"}


def event_types(g: nx.MultiDiGraph) -> set[str]:
    return {a["event_type"] for _, a in g.nodes(data=True) if a["type"] == "Event"}


@pytest.fixture(scope="module")
def seed(seed_store) -> nx.MultiDiGraph:
    """The n-ary projection of the seed store (events as nodes)."""
    return project(seed_store)


@pytest.fixture(scope="module")
def seed_simple(seed_store) -> nx.MultiDiGraph:
    return project(seed_store, events=False)


def seed_event(g: nx.MultiDiGraph, event_type: str, *actors: str) -> str:
    [event] = [n for n, a in g.nodes(data=True) if a.get("event_type") == event_type
               and all(g.has_edge(x, n) or g.has_edge(n, x) for x in actors)]
    return event


# --- a small store with dates and sources -------------------------------------------------

PROLOGUE = f"@base <{ID}> .\n" + "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
ENTITIES = """
person:shigeru-ishiba a kg:Person ; kg:name "Shigeru Ishiba" ; kg:alias "Ishiba" .
person:donald-trump a kg:Person ; kg:name "Donald Trump" ; kg:alias "Trump" .
person:sanae-takaichi a kg:Person ; kg:name "Sanae Takaichi" .
person:ryosei-akazawa a kg:Person ; kg:name "Ryosei Akazawa" .
country:JPN a kg:Country ; kg:name "Japan" .
country:USA a kg:Country ; kg:name "United States" ; kg:alias "U.S.", "US" .
country:RUS a kg:Country ; kg:name "Russia" .
place:washington a kg:Location ; kg:name "Washington" .
"""
ARTICLES = {
    "a1": """
article:a1 a kg:Article ; kg:title "Ishiba and Trump talk tariffs" ; kg:source "Kyodo News" ;
  kg:url "https://example.org/a1"^^xsd:anyURI ; kg:published "2025-05-23"^^xsd:date .
<event/a1/call> a kg:PhoneCall ; rdfs:label "PhoneCall: Shigeru Ishiba – Donald Trump" ;
  kg:trigger "spoke" ; kg:modality kg:Happened ; kg:date "2025-05-23"^^xsd:date ;
  kg:agent person:shigeru-ishiba ; kg:target person:donald-trump ;
  kg:participant person:shigeru-ishiba, person:donald-trump ; kg:evidence <evidence/a1/call> .
<evidence/a1/call> kg:article article:a1 ; kg:rule "consult.speak" ; kg:confidence 0.85 ;
  kg:sentence "Ishiba spoke with Trump on Friday." .
person:shigeru-ishiba kg:spokeWith person:donald-trump . person:donald-trump kg:spokeWith person:shigeru-ishiba .
person:shigeru-ishiba kg:holdsRole <role/pm-jpn> ; kg:leaderOf country:JPN .
<role/pm-jpn> a kg:Role ; kg:roleTitle "Prime Minister" ; kg:roleOf country:JPN ; kg:evidence <evidence/a1/pm> .
<evidence/a1/pm> kg:article article:a1 ; kg:rule "role.title" ; kg:confidence 0.9 ;
  kg:sentence "Prime Minister Shigeru Ishiba." .
""",
    "a2": """
article:a2 a kg:Article ; kg:title "Trump backs Takaichi" ; kg:source "Reuters" ;
  kg:published "2026-01-10T08:00:00Z"^^xsd:dateTime .
<event/a2/backs> a kg:Endorsement ; rdfs:label "Endorsement: Donald Trump – Sanae Takaichi" ;
  kg:trigger "backs" ; kg:modality kg:Happened ;
  kg:agent person:donald-trump ; kg:target person:sanae-takaichi ;
  kg:participant person:donald-trump, person:sanae-takaichi ; kg:evidence <evidence/a2/backs> .
<evidence/a2/backs> kg:article article:a2 ; kg:rule "support.back" ; kg:confidence 0.9 ;
  kg:sentence "Trump backs Takaichi." .
person:donald-trump kg:supports person:sanae-takaichi .
""",
    "a3": """
article:a3 a kg:Article ; kg:title "Tariffs on Japanese steel" ; kg:source "Nikkei" .
<event/a3/tariff> a kg:Tariff ; rdfs:label "Tariff: United States – Japan" ;
  kg:trigger "tariffs" ; kg:modality kg:Happened ;
  kg:agent country:USA ; kg:target country:JPN ;
  kg:participant country:USA, country:JPN ; kg:evidence <evidence/a3/tariff> .
<evidence/a3/tariff> kg:article article:a3 ; kg:rule "sanction.tariff" ; kg:confidence 0.8 ;
  kg:sentence "U.S. tariffs on Japanese steel." .
country:USA kg:imposesTariffOn country:JPN .
""",
    "a4": """
article:a4 a kg:Article ; kg:title "Akazawa to visit Washington" ; kg:source "Kyodo News" ;
  kg:origin "feeds/kyodo.jsonl#4" ; kg:published "2025-06-01"^^xsd:date .
<event/a4/visit> a kg:Visit ; rdfs:label "Visit: Ryosei Akazawa" ;
  kg:trigger "visit" ; kg:modality kg:Planned ; kg:date "2025-06-10"^^xsd:date ;
  kg:agent person:ryosei-akazawa ; kg:place place:washington ;
  kg:participant person:ryosei-akazawa ; kg:evidence <evidence/a4/visit> .
<evidence/a4/visit> kg:article article:a4 ; kg:rule "consult.visit" ; kg:confidence 0.7 ;
  kg:sentence "Akazawa will visit Washington." .
""",
}


@pytest.fixture(scope="module")
def dated_store() -> OxigraphStore:
    """In memory: four articles with sources and dates (one undated), with the ontology."""
    store = OxigraphStore(None)
    store.load_ontology()
    for name, body in ARTICLES.items():
        graph = Graph(identifier=URIRef(PREFIXES["article"] + name))
        graph.parse(data=PROLOGUE + ENTITIES + body, format="turtle")
        store.put_graph(graph)
    return store


@pytest.fixture(scope="module")
def dated(dated_store) -> nx.MultiDiGraph:
    return project(dated_store)


# --- projection ---------------------------------------------------------------------------


def test_analyze_projection_carries_evidence_on_event_nodes(seed) -> None:
    call = seed_event(seed, "PhoneCall", ISHIBA, TRUMP)
    attrs = seed.nodes[call]
    assert attrs["sentence"].startswith(CALL_SENTENCE)
    assert attrs["modality"] == "Happened"
    assert attrs["date"] == "Friday"  # no ISO date in the seed: the words
    assert "when" not in attrs
    assert attrs["confidence"] > 0.5 and attrs["article_title"]
    assert seed.has_edge(ISHIBA, call) and seed.has_edge(call, TRUMP)
    assert seed.nodes[ISHIBA]["aliases"] == ("Ishiba",)
    assert seed.graph["event_classes"]["PhoneCall"] == "Consult"


def test_analyze_projection_dates_facts_by_event_then_article(dated) -> None:
    when = {a["event_type"]: a.get("when") for _, a in dated.nodes(data=True) if a["type"] == "Event"}
    assert when == {"PhoneCall": "2025-05-23", "Endorsement": "2026-01-10", "Tariff": None,
                    "Visit": "2025-06-10"}
    [role] = [a for *_, a in dated.edges(data=True) if a["kind"] == "role"]
    assert (role["relation"], role["when"], role["source"]) == ("Prime Minister", "2025-05-23", "Kyodo News")


def test_analyze_simple_projection_takes_evidence_from_the_event_behind_each_shortcut(seed_simple) -> None:
    tariff = [a for u, v, a in seed_simple.edges(data=True) if a["relation"] == "imposesTariffOn"]
    assert [(a["event_type"], "U.S. tariffs, particularly on Japanese steel" in a["sentence"]) for a in tariff] == [("Tariff", True)]
    calls = {(u, v): a for u, v, a in seed_simple.edges(data=True) if a["relation"] == "spokeWith"}
    assert calls[(ISHIBA, TRUMP)]["sentence"].startswith(CALL_SENTENCE)
    assert calls[(ISHIBA, TRUMP)]["event_type"] == "PhoneCall"
    leader = [a for u, v, a in seed_simple.edges(data=True) if a["relation"] == "leaderOf" and u == ISHIBA]
    assert leader[0]["event_type"] == "Role" and "Prime Minister" in leader[0]["sentence"]


# --- names --------------------------------------------------------------------------------


def test_analyze_names_match_name_alias_and_iri_ignoring_case(seed) -> None:
    assert find_entities(seed, "shigeru ISHIBA") == [ISHIBA]
    assert find_entities(seed, "Ishiba") == [ISHIBA]
    assert find_entities(seed, "the U.S.") == [USA]
    assert find_entities(seed, "person:sanae-takaichi") == [TAKAICHI]
    assert find_entities(seed, TRUMP) == [TRUMP]


def test_analyze_unknown_name_lists_close_matches(seed) -> None:
    with pytest.raises(EntityNotFound) as caught:
        find_entities(seed, "Shigeru Ishibah")
    message = str(caught.value)
    assert message.startswith("no entity named 'Shigeru Ishibah' in the graph (close matches: Shigeru Ishiba")
    assert "kg:alias" in message
    with pytest.raises(EntityNotFound, match="no close matches"):
        find_entities(seed, "Zzyzx Qwerty")


# --- selection ----------------------------------------------------------------------------


def test_analyze_focus_one_hop_is_the_counterparts_and_their_events(seed) -> None:
    near = select(seed, Selection(focus=("Shigeru Ishiba",), hops=1))
    assert entity_labels(near) == {"Shigeru Ishiba", "Donald Trump", "United States", "Japan"}
    assert event_types(near) == {"PhoneCall", "Meeting"}  # his own events, not Japan's others


def test_analyze_focus_two_hops_reaches_their_counterparts(seed) -> None:
    near = select(seed, Selection(focus=("Shigeru Ishiba",), hops=2))
    labels = entity_labels(near)
    assert {"Sanae Takaichi", "Ryosei Akazawa", "Benjamin Netanyahu", "Iran", "China"} <= labels
    assert not {"Norway", "Russia", "Tesla", "Thorbjørn Jagland"} & labels
    assert "Endorsement" in event_types(near)


def test_analyze_focus_zero_hops_and_several_names(seed) -> None:
    assert set(select(seed, Selection(focus=("Ishiba",), hops=0)).nodes) == {ISHIBA}
    both = select(seed, Selection(focus=("Norway", "Takaichi"), hops=1))
    assert entity_labels(both) == {"Norway", "Thorbjørn Jagland", "Sanae Takaichi", "Donald Trump"}


def test_analyze_simple_view_counts_hops_the_same_way(seed_simple) -> None:
    near = select(seed_simple, Selection(focus=("Shigeru Ishiba",), hops=1))
    assert entity_labels(near) == {"Shigeru Ishiba", "Donald Trump", "Japan"}  # shortcuts: no US
    assert {a["relation"] for *_, a in near.edges(data=True)} == {"spokeWith", "Prime Minister", "leaderOf"}


def test_analyze_type_filter_keeps_those_entities_and_their_events(seed) -> None:
    people = select(seed, Selection(types=("person", "Country")))
    kinds = {a["type"] for _, a in people.nodes(data=True)}
    assert kinds == {"Person", "Country", "Event"}
    assert "Washington" not in entity_labels(people) and "Russia" in entity_labels(people)
    # An event stays while one of its actors does; its links to others go.
    support = seed_event(people, "Support", TRUMP)
    assert list(people.successors(support)) == []
    assert "Retreat" not in event_types(people)  # its only actor, Tesla, is an organisation


def test_analyze_event_type_filter_includes_subclasses(seed) -> None:
    consults = select(seed, Selection(event_types=("consult",)))
    assert event_types(consults) == {"Consult", "PhoneCall", "Meeting", "Negotiation", "Visit", "Summit"}
    assert "Sanae Takaichi" not in entity_labels(consults)  # linked only by an endorsement
    assert "Russia" not in entity_labels(consults)  # unlinked entities go with a fact filter
    assert not [a for *_, a in consults.edges(data=True) if a["kind"] == "role"]
    supports = select(seed, Selection(event_types=("Support",)))
    assert event_types(supports) == {"Support", "Endorsement"}


def test_analyze_event_type_filter_on_shortcut_edges(seed_simple) -> None:
    calls = select(seed_simple, Selection(event_types=("PhoneCall",)))
    pairs = {(calls.nodes[u]["label"], calls.nodes[v]["label"]) for u, v in calls.edges()}
    assert ("Shigeru Ishiba", "Donald Trump") in pairs and ("Japan", "United States") in pairs
    assert ("Iran", "United States") not in pairs  # a Consult, not a PhoneCall


def test_analyze_unknown_types_are_errors_that_list_the_choices(seed) -> None:
    with pytest.raises(KGError, match="unknown entity type 'Event' .*event_types.*Person, Country") as caught:
        select(seed, Selection(types=("Event",)))
    assert "(events are chosen with --event-type)" in caught.value.for_command_line()
    with pytest.raises(KGError, match="did you mean Consult\\?.*PhoneCall"):
        select(seed, Selection(event_types=("Consul",)))


def test_analyze_date_range_uses_event_date_then_article_date(dated) -> None:
    may = select(dated, Selection(since="2025-05-01", until="2025-05-31"))
    assert event_types(may) == {"PhoneCall"}
    assert entity_labels(may) == {"Shigeru Ishiba", "Donald Trump", "Japan"}  # and the role, dated by its article
    later = select(dated, Selection(since="2025-06-01"))
    assert event_types(later) == {"Visit", "Endorsement"}  # the undated tariff is left out
    assert entity_labels(select(dated, Selection(until="2025-06-10"))) >= {"Ryosei Akazawa", "Washington"}


def test_analyze_bad_dates_are_errors(dated) -> None:
    with pytest.raises(KGError, match="^since takes an ISO date") as caught:
        select(dated, Selection(since="May 2025"))
    assert caught.value.for_command_line().startswith("--since takes an ISO date (YYYY-MM-DD), not 'May 2025'")
    with pytest.raises(KGError, match="^since 2026-01-01 is after until 2025-01-01") as caught:
        select(dated, Selection(since="2026-01-01", until="2025-01-01"))
    assert caught.value.for_command_line().startswith("--since 2026-01-01 is after --until 2025-01-01")


def test_analyze_source_filter_matches_source_title_and_origin(dated) -> None:
    assert event_types(select(dated, Selection(sources=("kyodo",)))) == {"PhoneCall", "Visit"}
    assert event_types(select(dated, Selection(sources=("Japanese steel",)))) == {"Tariff"}
    assert event_types(select(dated, Selection(sources=("feeds/kyodo.jsonl",)))) == {"Visit"}
    assert len(select(dated, Selection(sources=("Le Monde",)))) == 0


def test_analyze_focus_entity_stays_when_filters_leave_it_alone(dated) -> None:
    alone = select(dated, Selection(focus=("Sanae Takaichi",), since="2025-01-01", until="2025-12-31"))
    assert entity_labels(alone) == {"Sanae Takaichi"}


def test_analyze_filters_then_focus(dated) -> None:
    near = select(dated, Selection(focus=("Trump",), hops=2, event_types=("Consult",)))
    assert entity_labels(near) == {"Donald Trump", "Shigeru Ishiba"}  # no endorsement, no role


# --- neighbours and paths -----------------------------------------------------------------


def test_analyze_neighbors_give_hops_and_relations(seed) -> None:
    hood = neighbors(seed, "Shigeru Ishiba", hops=1)
    found = {n.label: n for n in hood.neighbors}
    assert {"Donald Trump", "Japan", "United States"} <= set(found)
    assert found["Japan"].hops == 1 and found["Japan"].via[0].relation == "Prime Minister"
    trump = found["Donald Trump"].via
    assert [(s.relation, s.forward, s.event_type) for s in trump] in (
        [("agent", True, "PhoneCall"), ("target", True, None)],
        [("agent", True, "Meeting"), ("agent", False, None)],
    )
    assert "Sanae Takaichi" not in found
    assert "Sanae Takaichi" in {n.label for n in neighbors(seed, "Ishiba", hops=2).neighbors}


def test_analyze_path_from_takaichi_to_ishiba_goes_through_trump(seed) -> None:
    report = shortest_paths(seed, "Sanae Takaichi", "Shigeru Ishiba")
    assert (report.source, report.target) == ("Sanae Takaichi", "Shigeru Ishiba")
    assert report.paths
    for path in report.paths:
        assert [(h.source, h.target) for h in path.hops] == [
            ("Sanae Takaichi", "Donald Trump"), ("Donald Trump", "Shigeru Ishiba")
        ]
        first = path.hops[0]
        assert (first.relation, first.arrow) == ("Endorsement", "←")
        assert "Trump Endorses Japan’s Sanae Takaichi" in first.sentence
    call = [p.hops[1] for p in report.paths if p.hops[1].relation == "PhoneCall"]
    assert call and call[0].arrow == "←" and call[0].sentence.startswith(CALL_SENTENCE)
    text = render.paths(report)
    assert "Sanae Takaichi ← Endorsement ← Donald Trump" in text
    assert "Donald Trump ← PhoneCall ← Shigeru Ishiba" in text
    assert "evidence: “Japanese Prime Minister Shigeru Ishiba spoke with" in text


def test_analyze_no_path_is_said_plainly(seed) -> None:
    report = shortest_paths(seed, "Russia", "Shigeru Ishiba")
    assert report.paths == ()
    assert render.paths(report) == "no path between Russia and Shigeru Ishiba in the graph\n"


def test_analyze_path_hop_through_a_role_edge(dated) -> None:
    [path] = shortest_paths(dated, "Japan", "Donald Trump").paths
    assert [(h.relation, h.arrow) for h in path.hops] == [("Prime Minister", "←"), ("PhoneCall", "→")]


# --- timeline -----------------------------------------------------------------------------


def test_analyze_timeline_orders_by_date_and_puts_undated_last(dated) -> None:
    entries = timeline(dated)
    assert [(e.when, e.event_type) for e in entries] == [
        ("2025-05-23", "PhoneCall"), ("2025-06-10", "Visit"), ("2026-01-10", "Endorsement"), (None, "Tariff")
    ]
    visit = entries[1]
    assert (visit.modality, visit.agents, visit.places, visit.source) == (
        "Planned", ("Ryosei Akazawa",), ("Washington",), "Kyodo News")
    text = render.timeline(entries)
    assert text.splitlines()[2].startswith("2025-05-23  PhoneCall")
    assert "Shigeru Ishiba → Donald Trump" in text and "(Kyodo News)" in text
    assert text.splitlines()[-2].startswith("undated")


def test_analyze_timeline_of_one_entity(seed) -> None:
    entries = timeline(seed, "Ishiba")
    assert {e.event_type for e in entries} == {"PhoneCall", "Meeting"}
    call = next(e for e in entries if e.event_type == "PhoneCall")
    assert (call.when, call.time) == (None, "Friday")
    assert "Shigeru Ishiba" in call.agents and "Donald Trump" in call.targets


# --- statistics ---------------------------------------------------------------------------


def test_analyze_pagerank_follows_links_and_sums_to_the_node_count() -> None:
    g = nx.MultiDiGraph()
    for i in range(5):
        g.add_edge(f"leaf{i}", "hub")
    g.add_edge("hub", "sink")
    rank = pagerank(g)
    assert sum(rank.values()) == pytest.approx(len(rank))
    assert rank["sink"] > rank["hub"] > rank["leaf0"] == rank["leaf4"]
    assert pagerank(nx.MultiDiGraph()) == {}


def test_analyze_stats_on_the_seed(seed_store) -> None:
    stats = graph_stats(seed_store, top=5)
    assert stats.entities["Person"] >= 6 and stats.entities["Country"] >= 8
    assert stats.events["PhoneCall"] == 1 and stats.events["Endorsement"] == 1
    assert stats.relations["spokeWith"] >= 2 and stats.relations["supports"] >= 2
    assert stats.relations["holdsRole"] == 3
    for ranking in (stats.degree, stats.pagerank, stats.betweenness):
        assert len(ranking) == 5
        assert all(r.type != "Event" for r in ranking)
    assert stats.degree[0].label == "United States"
    assert "Donald Trump" in {r.label for r in stats.betweenness[:3]}
    assert stats.components[0] >= 10 and sum(stats.components) == sum(stats.entities.values())
    together = [c.names for c in stats.communities if "Shigeru Ishiba" in c.names][0]
    assert "Japan" in together or "Donald Trump" in together
    assert graph_stats(seed_store, top=5) == stats  # Louvain is seeded
    assert len(stats.communities) <= 5 and all(len(c.names) <= 5 <= c.size or len(c.names) == c.size
                                                for c in stats.communities)
    small = graph_stats(seed_store, top=2)
    assert len(small.communities) == min(2, small.community_count)
    assert all(len(c.names) <= 2 for c in small.communities) and any(c.size > 2 for c in small.communities)


def test_analyze_stats_formats_as_table_and_json(seed_store) -> None:
    stats = graph_stats(seed_store, top=3)
    table = render.stats(stats)
    assert table.startswith("entities: ")
    assert "communities (Louvain, seed 0)" in table
    assert "United States (" in table.split("most central entities")[1]
    data = json.loads(render.stats(stats, "json"))
    assert data["degree"][0]["label"] == "United States"
    assert set(data) >= {"entities", "events", "relations", "pagerank", "betweenness", "components", "communities"}


# --- GraphML and GEXF ---------------------------------------------------------------------


def test_analyze_graphml_keeps_types_labels_and_evidence(seed) -> None:
    data = interchange_bytes(seed, "graphml")
    back = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert back.number_of_nodes() == seed.number_of_nodes()
    assert back.number_of_edges() == seed.number_of_edges()
    assert back.nodes[ISHIBA]["label"] == "Shigeru Ishiba" and back.nodes[ISHIBA]["type"] == "Person"
    assert back.nodes[USA]["aliases"].startswith("America; ")
    call = seed_event(seed, "PhoneCall", ISHIBA, TRUMP)
    assert back.nodes[call]["event_type"] == "PhoneCall"
    assert back.nodes[call]["sentence"].startswith(CALL_SENTENCE)
    assert isinstance(back.nodes[call]["confidence"], float)
    assert b"None" not in data


def test_analyze_gexf_parses_and_has_no_date_stamp(seed) -> None:
    data = interchange_bytes(seed, "gexf")
    assert b"lastmodifieddate" not in data
    root = ET.fromstring(data)
    ns = {"g": "http://www.gexf.net/1.2draft"}
    labels = {n.get("label") for n in root.iterfind(".//g:node", ns)}
    assert {"Shigeru Ishiba", "Japan"} <= labels
    titles = {a.get("title") for a in root.iterfind(".//g:attribute", ns)}
    assert {"type", "event_type", "relation", "sentence"} <= titles
    assert len(root.findall(".//g:edge", ns)) == seed.number_of_edges()
    assert interchange_bytes(seed, "gexf") == data


def test_analyze_export_graph_formats_through_kg_export(seed_store) -> None:
    data, summary = export(seed_store, fmt="graphml")
    projected = project(seed_store)
    assert data.startswith(b"<?xml")
    assert (summary.nodes, summary.edges) == (projected.number_of_nodes(), projected.number_of_edges())
    assert summary.describe() == f"{summary.nodes} nodes, {summary.edges} edges (graphml)"
    with pytest.raises(KGError, match="^include_ontology applies to the RDF formats only") as caught:
        export(seed_store, fmt="gexf", include_ontology=True)
    assert caught.value.for_command_line().startswith("--ontology applies to the RDF formats only")
    with pytest.raises(KGError, match="use one of graphml, gexf"):
        interchange_bytes(nx.MultiDiGraph(), "dot")


# --- the commands -------------------------------------------------------------------------


def test_analyze_cli_stats(seed_store_path) -> None:
    result = kg("stats", "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("entities: ")
    assert "most central entities" in result.stdout
    as_json = kg("stats", "--format", "json", "--top", "2", "--store", seed_store_path)
    assert as_json.exit_code == 0
    assert len(json.loads(as_json.stdout)["pagerank"]) == 2


def test_analyze_cli_path_finds_takaichi_to_ishiba(seed_store_path) -> None:
    result = kg("path", "Sanae Takaichi", "Shigeru Ishiba", "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    assert "between Sanae Takaichi and Shigeru Ishiba, 2 hops each" in result.stdout
    assert "Donald Trump" in result.stdout and "evidence: “" in result.stdout


def test_analyze_cli_path_none_exits_1_with_a_plain_message(seed_store_path) -> None:
    result = kg("path", "Russia", "Ishiba", "--store", seed_store_path)
    assert result.exit_code == 1
    assert result.stdout == "no path between Russia and Shigeru Ishiba in the graph\n"
    assert result.stderr == ""


def test_analyze_cli_unknown_entity_is_a_one_line_error(seed_store_path) -> None:
    result = kg("neighbors", "Shigeru Ishibah", "--store", seed_store_path)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: no entity named 'Shigeru Ishibah'") and "Shigeru Ishiba" in line


def test_analyze_cli_neighbors_and_timeline(seed_store_path) -> None:
    result = kg("neighbors", "Japan", "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    assert "Japan ←Prime Minister— Shigeru Ishiba" in result.stdout
    assert "Japan —agent→ [PhoneCall] —target→ Donald Trump" in result.stdout
    result = kg("timeline", "Trump", "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    assert "Donald Trump → Sanae Takaichi" in result.stdout
    assert result.stdout.rstrip().endswith("events)")


def test_analyze_cli_view_filters(seed_store_path, tmp_path) -> None:
    out = tmp_path / "v.html"
    result = kg("view", "-o", out, "--focus", "Shigeru Ishiba", "--hops", "1", "--event-type", "Consult",
                "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {out}: ")
    assert "<title>kg: focus Shigeru Ishiba (1 hop) · Consult</title>" in out.read_text(encoding="utf-8")
    assert kg("view", "--hops", "2", "--store", seed_store_path).exit_code == 2
    bad = kg("view", "-o", out, "--focus", "Nobody Atall", "--store", seed_store_path)
    assert bad.exit_code == 1 and "no entity named 'Nobody Atall'" in bad.stderr


def test_analyze_cli_export_graphml(seed_store_path, tmp_path) -> None:
    out = tmp_path / "kg.graphml"
    result = kg("export", "--format", "graphml", "-o", out, "--store", seed_store_path)
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out, force_multigraph=True)
    assert result.stdout == f"wrote {out}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges (graphml)\n"


def test_analyze_projection_nodes_and_edges_are_typed_records(seed_store) -> None:
    """Every attribute the projection writes belongs to a record, and reads back as it."""
    from kg.analyze import EntityNode, EventNode, FactEdge, edge_record, node_record

    for events in (True, False):
        graph = project(seed_store, events=events)
        for _, attrs in graph.nodes(data=True):
            record = node_record(attrs)
            assert isinstance(record, EventNode if attrs["type"] == "Event" else EntityNode)
            assert record.attrs() == attrs
        for _, _, attrs in graph.edges(data=True):
            edge = edge_record(attrs)
            assert isinstance(edge, FactEdge) and edge.kind in ("role", "event", "shortcut", "concerns")
            assert edge.attrs() == attrs and list(edge.attrs()) == list(attrs)  # the same order too
