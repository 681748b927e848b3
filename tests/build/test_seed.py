"""What the seed article must yield, asked of the store through SPARQL (not by counting)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.build import build
from kg.store.oxigraph import OxigraphStore


def ask(store: OxigraphStore, where: str) -> bool:
    return store.query(f"ASK {{ {where} }}").boolean


def select(store: OxigraphStore, sparql: str) -> list[tuple]:
    return [tuple(None if t is None else str(t) for t in row) for row in store.query(sparql).rows]


SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ISHIBA = "person:shigeru-ishiba"
TRUMP = "person:donald-trump"
AKAZAWA = "person:ryosei-akazawa"
JAPAN = "country:JPN"
USA = "country:USA"


def test_seed_ishiba_spoke_with_trump_once_for_45_minutes_about_three_topics(seed_store):
    calls = select(seed_store, f"""
        SELECT ?call ?time ?duration WHERE {{
          ?call a kg:PhoneCall ; kg:participant {ISHIBA}, {TRUMP} ; kg:modality kg:Happened ;
                kg:timeText ?time ; kg:duration ?duration .
        }}""")
    assert len(calls) == 1, calls
    call, time, duration = calls[0]
    assert (time, duration) == ("Friday", "PT45M")
    topics = {row[0] for row in select(seed_store, f"SELECT ?l WHERE {{ <{call}> kg:topic/rdfs:label ?l }}")}
    assert {"tariffs", "diplomacy", "regional security"} <= topics
    assert ask(seed_store, f"{ISHIBA} a kg:Person . {TRUMP} a kg:Person . {ISHIBA} kg:spokeWith {TRUMP} . {TRUMP} kg:spokeWith {ISHIBA}")


def test_seed_roles(seed_store):
    rows = set(select(seed_store, """
        SELECT ?person ?title ?of WHERE { ?p kg:name ?person ; kg:holdsRole ?r . ?r kg:roleTitle ?title ; kg:roleOf/kg:name ?of }"""))
    assert ("Shigeru Ishiba", "Prime Minister", "Japan") in rows
    assert ("Donald Trump", "President", "United States") in rows
    assert ("Ryosei Akazawa", "chief trade negotiator", "Japan") in rows
    assert ask(seed_store, f"{ISHIBA} kg:leaderOf {JAPAN} . {TRUMP} kg:leaderOf {USA}")


def test_seed_japan_demands_removal_of_us_tariffs(seed_store):
    assert ask(seed_store, f"""
        ?d a kg:Demand ; kg:agent {JAPAN} ; kg:target {USA} ; kg:topic/rdfs:label "tariffs" ; kg:modality kg:Happened .
        {JAPAN} kg:demandsFrom {USA} .""")


def test_seed_us_imposes_tariffs_on_japanese_steel_and_automobiles(seed_store):
    goods = {row[0] for row in select(seed_store, f"""
        SELECT ?g WHERE {{ ?t a kg:Tariff ; kg:agent {USA} ; kg:target {JAPAN} ; kg:goods/rdfs:label ?g }}""")}
    assert {"steel", "automobiles"} <= goods
    assert ask(seed_store, f"{USA} kg:imposesTariffOn {JAPAN}")


def test_seed_japan_negotiates_with_us_third_round_in_washington(seed_store):
    assert ask(seed_store, f"""
        ?n a kg:Negotiation ; kg:agent {JAPAN}, {AKAZAWA} ; kg:target {USA} ; kg:ordinal 3 ;
           kg:place place:washington ; kg:topic/rdfs:label "tariffs" .""")
    assert ask(seed_store, f"?v a kg:Visit ; kg:agent {AKAZAWA} ; kg:place place:washington ; kg:modality kg:Planned")


def test_seed_g7_meeting_is_planned_not_held(seed_store):
    assert ask(seed_store, f"""
        ?m a kg:Meeting ; kg:participant {ISHIBA}, {TRUMP} ; kg:modality kg:Planned ; kg:timeText "next month" ;
           kg:during ?summit .
        ?summit a kg:Summit ; kg:participant organization:g7 .""")
    assert not ask(seed_store, f"{ISHIBA} kg:metWith {TRUMP}")
    assert not ask(seed_store, f"?m a kg:Meeting ; kg:participant {ISHIBA} ; kg:modality kg:Happened")


def headline(word: str) -> str:
    """The fact is read from the headline that holds `word`."""
    return f"?e kg:evidence/kg:sentence ?s . FILTER CONTAINS(?s, '{word}')"


# One fact a reader accepts for every headline of the seed file, in its order.
@pytest.mark.parametrize("pattern", [
    f"?e a kg:Support ; kg:agent {TRUMP} ; kg:modality kg:Happened ; kg:object/rdfs:label ?m . {headline('Backs')}"
    " FILTER CONTAINS(LCASE(?m), 'merger')",
    f"?e a kg:Agree ; kg:participant country:IND, {USA} . {headline('Framework')}",
    f"?e a kg:Action ; kg:lemma 'claim' ; kg:agent {TRUMP} . {headline('Inflation')}",
    f"?e a kg:Action ; kg:lemma 'allow' ; kg:agent {TRUMP} ; kg:object/rdfs:label ?l . {headline('Fishing')}"
    " FILTER CONTAINS(?l, 'fishing')",
    f"?e a kg:Action ; kg:lemma 'win' ; kg:agent person:sanae-takaichi ; kg:modality kg:Planned . {headline('Poised')}",
    f"?e a kg:Action ; kg:lemma 'pay' ; kg:agent {USA} ; kg:modality kg:Planned ; kg:object/rdfs:label ?l . {headline('Dues')}"
    " FILTER CONTAINS(?l, 'dues')",
    "country:NOR kg:investigates person:thorbjorn-jagland",  # probe into
    "country:CHN kg:threatens country:USA",  # warns
    f"?e a kg:Reject ; kg:object/kg:concerns organization:starbucks . {headline('Dismisses')}",
    f"?e a kg:Demand ; kg:agent {USA} . {headline('Pushes')}",
    f"{TRUMP} kg:supports person:sanae-takaichi",  # endorses
    f"?e a kg:Agree ; kg:participant country:IND, {USA} . {headline('Pact')}",
    f"?e a kg:Investigate ; kg:modality kg:Planned ; kg:object/rdfs:label ?l . {headline('Review')}"
    " FILTER CONTAINS(LCASE(?l), 'files')",
    f"?e a kg:Consult ; kg:participant country:RUS, country:UKR ; kg:reportedBy {TRUMP} . {headline('Underway')}",
    f"?e a kg:Action ; kg:lemma 'sign' ; kg:agent {TRUMP} ; kg:object thing:america-first-arms-transfer-strategy",
    f"?e a kg:Consult ; kg:participant country:IRN, {USA} . {headline('Oman')}",
    f"?m a kg:Meeting ; kg:agent person:benjamin-netanyahu ; kg:target {TRUMP} ; kg:modality kg:Planned",  # to meet
])
def test_seed_headline_facts(seed_store, pattern):
    assert ask(seed_store, pattern)


def test_seed_every_headline_gives_a_fact(seed_store):
    """No headline article of the seed file is without an event or a standing relation."""
    bare = select(seed_store, """
        SELECT ?title WHERE { GRAPH ?g { ?a a kg:Article ; kg:title ?title .
          FILTER NOT EXISTS { ?e kg:evidence ?ev } } }""")
    assert bare == []


def test_seed_has_no_title_case_junk_entities(seed_store):
    names = {row[0] for row in select(seed_store, """
        SELECT ?n WHERE { ?e kg:name ?n ; a ?t VALUES ?t { kg:Person kg:Country kg:Organization kg:Location } }""")}
    for junk in ("Trump Backs", "Trump Backs Nexstar", "Record Snowfall", "Supply Chains", "Hurdles Amid",
                 "Meet Trump", "China Tensions", "Begin Paying UN", "Protected New England Waters", "Ishiba"):
        assert junk not in names
    function_words = {"of", "and", "the", "for", "de", "al", "in", "on"}
    for name in names:
        for word in name.replace("-", " ").split():
            assert word[0].isupper() or word[0].isdigit() or word in function_words, name


def test_seed_one_entity_per_real_thing(seed_store):
    us = select(seed_store, "SELECT ?e WHERE { ?e kg:iso3 'USA' }")
    assert us == [(str(seed_store.query("SELECT (country:USA AS ?x) {}").rows[0][0]),)]
    persons = select(seed_store, "SELECT ?e WHERE { ?e a kg:Person ; kg:name ?n FILTER CONTAINS(?n, 'Ishiba') }")
    assert len(persons) == 1


def test_seed_every_fact_has_provenance(seed_store):
    missing = select(seed_store, """
        SELECT ?x WHERE {
          { ?x kg:trigger ?t } UNION { ?x a kg:Role }
          FILTER NOT EXISTS {
            ?x kg:evidence ?ev . ?ev kg:sentence ?s ; kg:startChar ?a ; kg:endChar ?b ; kg:rule ?r ; kg:confidence ?c ;
                kg:article ?art .
            GRAPH ?art { ?x kg:evidence ?ev }
          }
        }""")
    assert missing == []


def test_seed_evidence_offsets_point_into_the_article(seed_store):
    rows = select(seed_store, """
        SELECT ?text ?a ?b ?trigger WHERE {
          ?e kg:trigger ?trigger ; kg:evidence ?ev . ?ev kg:startChar ?a ; kg:endChar ?b ; kg:article ?art .
          ?art kg:articleText ?text }""")
    assert rows
    for text, start, end, trigger in rows:
        assert text[int(start):int(end)] == trigger


def test_seed_friday_resolves_to_a_date_when_the_article_has_one(tmp_path, nlp):
    story = (SEEDS / "000_42b68af8222b094e.txt").read_text(encoding="utf-8").split("\n\n")[0]
    (tmp_path / "dated.json").write_text(json.dumps({
        "title": "Ishiba and Trump talk tariffs", "text": story, "published": "2025-04-26",
        "url": "https://example.org/ishiba-trump", "source": "Example News"}), encoding="utf-8")
    store = OxigraphStore(tmp_path / "store")
    build([tmp_path / "dated.json"], store)
    rows = select(store, f"SELECT ?d WHERE {{ ?c a kg:PhoneCall ; kg:participant {ISHIBA} ; kg:date ?d }}")
    assert rows == [("2025-04-25",)]  # the Friday before Saturday 26 April 2025
