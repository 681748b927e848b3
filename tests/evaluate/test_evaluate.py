"""The evaluation harness: matching and scoring on hand-made extractions, the readers on the
real gold files in /work/shared/evaldata, and one run with the real extractor."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.cli.render import evaluation as format_report
from kg.evaluate import evaluate
from kg.evaluate.datasets import (GoldEntity, GoldRelation, PloverRecord, Span, SpanSet, detokenize, find_datasets,
                                  read_conll04, read_plover, read_re3d)
from kg.evaluate.mapping import load_mapping
from kg.evaluate.matching import KnownNames, actor_matches, head_word, relation_facts
from kg.evaluate.report import DatasetReport, EvalReport, Score, report_json
from kg.evaluate.scoring import score_entities, score_plover, score_relations
from kg.model import Article, Entity, Event, Evidence, Extraction, Link, Mention, Role

EVALDATA = Path("/work/shared/evaldata")
PLOVER_FILE = EVALDATA / "plover_gsr" / "plover_gsr_dev.json"
RE3D = EVALDATA / "re3d"
needs_evaldata = pytest.mark.skipif(not EVALDATA.is_dir(), reason="the gold sets are not in /work/shared/evaldata")

MAPPING = load_mapping()  # with the class hierarchy of ontology/kg.ttl
RE3D_MAPPING = MAPPING.spans["re3d"]

ENTITIES = {
    "person/ehud-barak": Entity("person/ehud-barak", "Person", "Ehud Barak"),
    "country/USA": Entity("country/USA", "Country", "United States", aliases=("US", "U.S.")),
    "country/LBY": Entity("country/LBY", "Country", "Libya"),
    "country/GBR": Entity("country/GBR", "Country", "United Kingdom", aliases=("Britain", "Great Britain")),
    "country/RUS": Entity("country/RUS", "Country", "Russia"),
    "country/ISR": Entity("country/ISR", "Country", "Israel"),
    "person/warren-christopher": Entity("person/warren-christopher", "Person", "Warren Christopher"),
    "person/andrei-kozyrev": Entity("person/andrei-kozyrev", "Person", "Andrei Kozyrev"),
    "person/boris-johnson": Entity("person/boris-johnson", "Person", "Boris Johnson"),
    "place/moscow": Entity("place/moscow", "Location", "Moscow"),
    "country/IRQ": Entity("country/IRQ", "Country", "Iraq"),
}


def extraction(text: str, events=(), mentions=(), roles=(), doc_id: str = "doc") -> Extraction:
    keys = {m.entity for m in mentions} | {k for e in events for k in (*e.agents, *e.targets, *e.participants)}
    entities = tuple(ENTITIES[k] for k in sorted(keys) if k in ENTITIES)
    return Extraction(article=Article(id=doc_id, text=text), entities=entities, mentions=tuple(mentions),
                      roles=tuple(roles), events=tuple(events))


def evidence(text: str, trigger: str, doc_id: str = "doc") -> Evidence:
    start = text.index(trigger)
    return Evidence(doc_id, text, start, start + len(trigger), "test.v1", 0.8)


def event(kind: str, agents=(), targets=(), *, symmetric: bool = False, modality: str = "happened", text: str = "", trigger: str = "x") -> Event:
    return Event(type=kind, trigger=trigger, agents=tuple(agents), targets=tuple(targets), symmetric=symmetric,
                 modality=modality, evidence=evidence(text, trigger) if text else None)


def record(kind: str, sources=(), targets=(), text: str = "text") -> PloverRecord:
    return PloverRecord(id=f"R-{kind}", text=text, event=kind, event_text="", sources=tuple(sources), targets=tuple(targets))


def mention(key: str, text: str, doc: str) -> Mention:
    start = doc.index(text)
    return Mention(key, text, start, start + len(text))


# --- figures -----------------------------------------------------------------------------


def test_evaluate_score_arithmetic():
    score = Score(tp=2, fp=1, fn=1)
    assert score.precision == pytest.approx(2 / 3) and score.recall == pytest.approx(2 / 3) and score.f1 == pytest.approx(2 / 3)
    assert Score(tp=1, fp=0, fn=3).f1 == pytest.approx(2 * 1 * 0.25 / 1.25)
    assert Score(1, 2, 3) + Score(4, 5, 6) == Score(5, 7, 9)


def test_evaluate_score_zero_division_gives_zero():
    assert (Score().precision, Score().recall, Score().f1) == (0.0, 0.0, 0.0)
    assert Score(tp=0, fp=0, fn=3).precision == 0.0 and Score(tp=0, fp=2, fn=0).recall == 0.0


# --- PLOVER matching -----------------------------------------------------------------------


def test_evaluate_head_word_and_actor_matching():
    assert head_word("Belarus's rulers") == "rulers"
    assert head_word("Israeli Prime Minister Ehud Barak") == "barak"
    assert head_word("militias in Tripoli") == "militias"  # the head comes before a post-modifier
    assert head_word("Red Cross operating in Iraq") == "cross"
    assert actor_matches("president of Armenia", ["Armenia"])  # gold text holds ours
    assert actor_matches("Israeli Prime Minister Ehud Barak", ["Ehud Barak"])  # head word
    assert actor_matches("Israeli soldiers", ["Israel", "Israeli"])  # gold text holds ours
    assert actor_matches("US", ["the US"])  # ours holds the gold text
    assert not actor_matches("Russian diplomats", ["US", "United States"])  # whole words only
    assert not actor_matches("police", ["Israel"])


def test_evaluate_plover_record_matched_by_head_noun():
    gold = record("AGREE", ["Israeli Prime Minister Ehud Barak"], ["US"])
    found = extraction("t", [event("Agree", ["person/ehud-barak"], ["country/USA"])])
    section = score_plover([gold], [found], MAPPING)
    assert section.rows["AGREE"] == Score(tp=1, fp=0, fn=0)
    assert not section.misses and not section.false_hits


def test_evaluate_plover_wrong_family_is_a_false_hit_and_a_miss():
    gold = record("AGREE", ["Portugal"], ["Turkey"])
    found = extraction("t", [event("Support", ["country/LBY"], ["country/GBR"])])
    section = score_plover([gold], [found], MAPPING)
    assert section.rows["AGREE"] == Score(fn=1) and section.rows["SUPPORT"] == Score(fp=1)
    assert section.misses[0].label == "AGREE" and "Support(Libya -> United Kingdom)" in section.misses[0].found


def test_evaluate_plover_missing_target_fails_but_empty_gold_target_is_not_checked():
    found = extraction("t", [event("Agree", ["country/LBY"])])
    with_target = score_plover([record("AGREE", ["Libya"], ["Great Britain"])], [found], MAPPING)
    assert with_target.rows["AGREE"] == Score(fp=1, fn=1)
    without_target = score_plover([record("AGREE", ["Libya"])], [found], MAPPING)
    assert without_target.rows["AGREE"] == Score(tp=1)


def test_evaluate_plover_symmetric_event_matches_either_way_and_reciprocal_sources():
    call = event("PhoneCall", ["person/warren-christopher"], ["person/andrei-kozyrev"], symmetric=True)
    found = extraction("t", [call])
    reciprocal = record("CONSULT", ["Secretary of State Warren Christopher", "Foreign Minister Andrei Kozyrev"])
    reversed_ = record("CONSULT", ["Andrei Kozyrev"], ["Warren Christopher"])
    same_both = record("CONSULT", ["Warren Christopher"], ["Warren Christopher"])
    section = score_plover([reciprocal, reversed_, same_both], [found, found, found], MAPPING)
    assert section.rows["CONSULT"] == Score(tp=2, fp=1, fn=1)  # one entity cannot be both sides


def test_evaluate_plover_one_false_hit_per_record_and_family_and_negated_left_out():
    found = extraction("t", [event("Coerce", ["country/RUS"]), event("Coerce", ["country/ISR"]),
                             event("Sanction", ["country/RUS"], ["country/ISR"], modality="negated")])
    section = score_plover([record("REJECT", ["Russia"])], [found], MAPPING)
    assert section.rows["COERCE"] == Score(fp=1) and section.rows["REJECT"] == Score(fn=1)
    assert "SANCTION" not in section.rows


def test_evaluate_plover_refused_cooperation_is_a_rejection():
    refused = event("Meeting", ["country/ISR"], ["country/USA"], modality="negated")
    section = score_plover([record("REJECT", ["Israel"], ["US"])], [extraction("t", [refused])], MAPPING)
    assert section.rows["REJECT"] == Score(tp=1) and "CONSULT" not in section.rows


def test_evaluate_plover_capital_stands_for_its_country():
    known = KnownNames(names={"country/LBN": ("Lebanon", "Lebanese", "Beirut")})
    found = extraction("t", [event("Reject", ["country/LBN"], ["country/USA"])])
    section = score_plover([record("REJECT", ["Beirut"], ["United States"])], [found], MAPPING, known=known)
    assert section.rows["REJECT"] == Score(tp=1)
    assert score_plover([record("REJECT", ["Beirut"], ["United States"])], [found], MAPPING).rows["REJECT"] == Score(fp=1, fn=1)


# --- re3d matching ----------------------------------------------------------------------------

DOC = "Foreign Secretary Boris Johnson met Russian officials in Moscow. Iraqi troops thanked the UK."


def gold_entity(value: str, kind: str) -> GoldEntity:
    start = DOC.index(value)
    return GoldEntity("doc", kind, Span(start, start + len(value), value))


def test_evaluate_re3d_entities_by_overlap_and_exact_span():
    gold = (gold_entity("Foreign Secretary Boris Johnson", "Person"), gold_entity("Moscow", "Location"),
            gold_entity("the UK", "Organisation"), gold_entity("Iraqi", "Nationality"))
    mentions = [mention("person/boris-johnson", "Boris Johnson", DOC), mention("place/moscow", "Moscow", DOC),
                mention("country/GBR", "UK", DOC), mention("country/IRQ", "Iraqi", DOC),
                mention("country/RUS", "Russian", DOC)]
    data = SpanSet(documents=(Article("doc", DOC),), entities=gold, relations=())
    found = [extraction(DOC, mentions=mentions)]
    demonyms = frozenset({"iraqi", "russian"})
    overlap = score_entities(data, found, RE3D_MAPPING, demonyms=demonyms)
    assert overlap.rows == {"Person": Score(tp=1), "Organisation": Score(tp=1), "Location": Score(tp=1)}
    assert overlap.unscored == {"(our demonym mentions)": 2, "Nationality": 1}
    exact = score_entities(data, found, RE3D_MAPPING, exact=True, demonyms=demonyms)
    assert exact.rows["Person"] == Score(fp=1, fn=1) and exact.rows["Organisation"] == Score(fn=1)
    assert exact.rows["Location"] == Score(tp=1, fp=1)  # "UK" is not "the UK"; a Country counts as a Location


def test_evaluate_re3d_entity_of_the_wrong_type_is_a_false_hit_and_a_miss():
    gold = (gold_entity("Moscow", "Person"),)
    data = SpanSet(documents=(Article("doc", DOC),), entities=gold, relations=())
    section = score_entities(data, [extraction(DOC, mentions=[mention("place/moscow", "Moscow", DOC)])], RE3D_MAPPING)
    assert section.rows["Person"] == Score(fn=1) and section.rows["Location"] == Score(fp=1)
    assert section.false_hits[0].expected == "'Moscow' Person"


def gold_relation(kind: str, source: str, target: str) -> GoldRelation:
    s, t = DOC.index(source), DOC.index(target)
    return GoldRelation("doc", kind, Span(s, s + len(source), source), Span(t, t + len(target), target), "")


def test_evaluate_re3d_symmetric_relation_matches_reversed_and_counts_once():
    gold = (gold_relation("CommWith", "Boris Johnson", "Russian officials"),
            gold_relation("CommWith", "Russian officials", "Boris Johnson"))
    mentions = [mention("person/boris-johnson", "Boris Johnson", DOC), mention("country/RUS", "Russian", DOC)]
    meeting = event("Meeting", ["country/RUS"], ["person/boris-johnson"], symmetric=True, text=DOC, trigger="met")
    data = SpanSet(documents=(Article("doc", DOC),), entities=(), relations=gold)
    section = score_relations(data, [extraction(DOC, [meeting], mentions)], RE3D_MAPPING)
    assert section.rows["CommWith"] == Score(tp=1)
    assert section.combined["CommWith+Likes+Dislikes+InChargeOf+BelongsTo"] == Score(tp=1)


def test_evaluate_re3d_directed_relation_must_keep_its_direction():
    gold = (gold_relation("Likes", "Iraqi troops", "the UK"),)
    mentions = [mention("country/IRQ", "Iraqi", DOC), mention("country/GBR", "UK", DOC)]
    backwards = event("Support", ["country/GBR"], ["country/IRQ"], text=DOC, trigger="thanked")
    data = SpanSet(documents=(Article("doc", DOC),), entities=(), relations=gold)
    section = score_relations(data, [extraction(DOC, [backwards], mentions)], RE3D_MAPPING)
    assert section.rows["Likes"] == Score(fp=1, fn=1)
    forwards = event("Support", ["country/IRQ"], ["country/GBR"], text=DOC, trigger="thanked")
    assert score_relations(data, [extraction(DOC, [forwards], mentions)], RE3D_MAPPING).rows["Likes"] == Score(tp=1)


def test_evaluate_re3d_roles_become_in_charge_of_or_belongs_to():
    mentions = [mention("person/boris-johnson", "Boris Johnson", DOC), mention("country/GBR", "UK", DOC)]
    ev = evidence(DOC, "Foreign Secretary")
    roles = [Role("person/boris-johnson", "Foreign Secretary", "country/GBR", False, ev),
             Role("person/boris-johnson", "Prime Minister", "country/GBR", True, ev)]
    facts = relation_facts(extraction(DOC, mentions=mentions, roles=roles), RE3D_MAPPING)
    assert sorted(f.type for f in facts) == ["BelongsTo", "InChargeOf"]
    assert all(f.source == ((18, 31),) for f in facts)


def test_evaluate_reports_format_and_json():
    found = extraction("Libya offered.", [event("Agree", ["country/LBY"])])
    section = score_plover([record("AGREE", ["Libya"], ["Great Britain"], text="Libya offered.")], [found], MAPPING)
    report = EvalReport(datasets=(DatasetReport("gold", "gold.json", "plover", 1, (section,), 0.1),), min_confidence=0.5, seconds=0.1)
    text = format_report(report, misses=1)
    assert "AGREE" in text and "misses (1 of 1)" in text and "Libya offered." in text
    assert "misses" not in format_report(report, misses=0)
    data = report_json(report)
    json.dumps(data)
    assert data["datasets"][0]["sections"]["events"]["rows"]["AGREE"] == {
        "tp": 0, "fp": 1, "fn": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0}


# --- readers, on the real files --------------------------------------------------------------


@needs_evaldata
def test_evaluate_reads_plover_records():
    records = read_plover(PLOVER_FILE)
    assert len(records) == 158
    assert all(r.text and r.event for r in records)
    agree = next(r for r in records if r.id == "PLOVER-GSR01-AGREE-0005")
    assert agree.sources == ("Libya",) and agree.targets == ("Great Britain",)
    assert next(r for r in records if r.id == "PLOVER-GSR01-AGREE-0007").targets == ()  # "diplomatic", not a list


@needs_evaldata
@pytest.mark.parametrize("folder, documents", [("uk_government", 26), ("australian_dfat", 4)])
def test_evaluate_reads_re3d_folders_with_the_confidence_filter(folder, documents):
    path = RE3D / folder
    raw = [json.loads(line) for line in (path / "entities.json").read_text().splitlines() if line.strip()]
    data = read_re3d(path)
    assert len(data.documents) == documents
    assert len(data.entities) == sum(r["confidence"] >= 0.5 for r in raw) < len(raw)
    assert len(read_re3d(path, min_confidence=0).entities) == len(raw)
    texts = {d.id: d.text for d in data.documents}
    assert all(texts[r.document][r.source.begin : r.source.end] == r.source.text for r in data.relations)


@needs_evaldata
def test_evaluate_finds_datasets_and_names_bad_paths(tmp_path):
    assert [fmt for fmt, _ in find_datasets(RE3D)] == ["re3d", "re3d"]
    assert find_datasets(PLOVER_FILE) == [("plover", PLOVER_FILE)]
    with pytest.raises(InputError, match="does not exist"):
        find_datasets(tmp_path / "missing")
    with pytest.raises(InputError, match="No gold set"):
        find_datasets(tmp_path)
    (tmp_path / "bad.json").write_text('{"not": "a list"}')
    with pytest.raises(InputError, match="not a PLOVER GSR file"):
        read_plover(tmp_path / "bad.json")


class Blind:
    """An extractor that reads nothing."""

    def extract_many(self, articles):
        return (Extraction(article=a) for a in articles)


@needs_evaldata
def test_evaluate_re3d_with_an_extractor_that_reads_nothing():
    report = evaluate([RE3D / "australian_dfat"], Blind())
    relations, entities, exact = report.datasets[0].sections
    assert relations.total.tp == relations.total.fp == 0 and relations.total.fn > 0
    assert entities.total.fn == exact.total.fn > 0
    assert relations.unscored["CoLocated"] == 5


# --- end to end ----------------------------------------------------------------------------------


@needs_evaldata
def test_evaluate_plover_end_to_end(extractor):
    report = evaluate([PLOVER_FILE], extractor)
    (dataset,) = report.datasets
    (section,) = dataset.sections
    assert {r.event for r in read_plover(PLOVER_FILE)} <= set(section.rows)
    for score in (*section.rows.values(), section.total):
        assert all(0.0 <= x <= 1.0 for x in (score.precision, score.recall, score.f1))
    assert section.total.tp + section.total.fn == 158
    assert "all (micro)" in format_report(report)


def test_evaluate_re3d_group_without_mentions_is_found_by_name():
    text = "Iraqi troops thanked the UK."
    troops = Entity("group/iraqi-troops", "Group", "Iraqi troops")
    thanks = event("Support", ["group/iraqi-troops"], ["country/GBR"], text=text, trigger="thanked")
    found = Extraction(article=Article("doc", text), entities=(troops, ENTITIES["country/GBR"]),
                       mentions=(mention("country/GBR", "UK", text),), events=(thanks,))
    (fact,) = relation_facts(found, RE3D_MAPPING)
    assert fact.source == ((0, 12),) and fact.target == ((25, 27),)


def test_evaluate_re3d_role_inside_one_gold_entity_is_not_scored():
    text = "Iraqi President Fuad Masum spoke."
    masum = Entity("person/fuad-masum", "Person", "Fuad Masum")
    found = Extraction(
        article=Article("doc", text), entities=(masum, ENTITIES["country/IRQ"]),
        mentions=(mention("country/IRQ", "Iraqi", text), mention("person/fuad-masum", "Fuad Masum", text)),
        roles=(Role("person/fuad-masum", "President", "country/IRQ", True, evidence(text, "President")),),
    )
    gold = (GoldEntity("doc", "Person", Span(0, 26, "Iraqi President Fuad Masum")),)
    section = score_relations(SpanSet(documents=(found.article,), entities=gold, relations=()), [found], RE3D_MAPPING)
    assert section.total == Score() and section.unscored == {"(our facts inside one gold entity)": 1}


def test_evaluate_plover_planned_or_conditional_sanction_is_a_threat():
    gold = record("THREATEN", ["Libya"], ["Great Britain"])
    for modality in ("planned", "hypothetical"):
        found = extraction("t", [event("Sanction", ["country/LBY"], ["country/GBR"], modality=modality)])
        assert score_plover([gold], [found], MAPPING).rows["THREATEN"] == Score(tp=1)
    done = extraction("t", [event("Sanction", ["country/LBY"], ["country/GBR"])])
    section = score_plover([gold], [done], MAPPING)
    assert section.rows["THREATEN"] == Score(fn=1) and section.rows["SANCTION"] == Score(fp=1)


# --- CoNLL04 ---------------------------------------------------------------------------------

CONLL04_DEV = EVALDATA / "conll04" / "conll04_dev.json"
CONLL04_MAPPING = MAPPING.spans["conll04"]


def test_evaluate_conll04_tokens_become_text_with_their_spans():
    tokens = ["Sony", ",", "based", "in", "Tokyo", "(", "Japan", ")", ",", "said", "`", "`", "no", "'", "'", "."]
    text, offsets = detokenize(tokens)
    assert text == 'Sony, based in Tokyo (Japan), said "no".'
    assert [text[a:b] for a, b in offsets[:5]] == ["Sony", ",", "based", "in", "Tokyo"]
    assert text[slice(*offsets[6])] == "Japan" and text[slice(*offsets[10])] == '"' and offsets[11][0] == offsets[11][1]


@needs_evaldata
def test_evaluate_reads_conll04_sentences_with_gold_spans():
    data = read_conll04(CONLL04_DEV)
    raw = json.loads(CONLL04_DEV.read_text())
    assert len(data.documents) == len(raw) == 231
    assert len(data.relations) == sum(len(s["relations"]) for s in raw)
    texts = {d.id: d.text for d in data.documents}
    assert all(texts[e.document][e.span.begin:e.span.end] == e.span.text for e in data.entities)
    booth = next(r for r in data.relations if r.type == "Kill" and r.source.text == "John Wilkes Booth")
    assert booth.target.text == "President Lincoln"
    assert find_datasets(CONLL04_DEV) == [("conll04", CONLL04_DEV)]


def test_evaluate_conll04_standing_relations_roles_and_killings_count_as_their_relations():
    text = "Bern, the Swiss capital, hosts Brown University. Booth killed Lincoln, said FBI spokesman Beldon."
    def span(value: str) -> Span:
        start = text.index(value)
        return Span(start, start + len(value), value)

    def at(key: str, value: str) -> Mention:
        return Mention(key, value, text.index(value), text.index(value) + len(value))

    entities = (Entity("place/bern", "Location", "Bern"), Entity("country/CHE", "Country", "Switzerland"),
                Entity("org/brown-university", "Organization", "Brown University"),
                Entity("person/booth", "Person", "Booth"), Entity("person/lincoln", "Person", "Lincoln"),
                Entity("org/fbi", "Organization", "FBI"), Entity("person/beldon", "Person", "Beldon"))
    mentions = (at("place/bern", "Bern"), at("country/CHE", "Swiss"), at("org/brown-university", "Brown University"),
                at("person/booth", "Booth"), at("person/lincoln", "Lincoln"), at("org/fbi", "FBI"),
                at("person/beldon", "Beldon"))
    found = Extraction(
        article=Article("doc", text), entities=entities, mentions=mentions,
        links=(Link("locatedIn", "place/bern", "country/CHE", evidence(text, "Bern, the Swiss")),
               Link("basedIn", "org/brown-university", "place/bern", evidence(text, "hosts"))),
        roles=(Role("person/beldon", "spokesperson", "org/fbi", False, evidence(text, "spokesman")),),
        events=(Event("Killing", "killed", ("person/booth",), ("person/lincoln",), evidence=evidence(text, "killed")),),
    )
    gold = (GoldRelation("doc", "Located_In", span("Bern"), span("Swiss"), ""),
            GoldRelation("doc", "Kill", span("Booth"), span("Lincoln"), ""),
            GoldRelation("doc", "Work_For", span("Beldon"), span("FBI"), ""),
            GoldRelation("doc", "OrgBased_In", span("Brown University"), span("Swiss"), ""))
    section = score_relations(SpanSet(documents=(found.article,), entities=(), relations=gold), [found], CONLL04_MAPPING)
    assert section.rows["Located_In"] == Score(tp=1) and section.rows["Kill"] == Score(tp=1)
    assert section.rows["Work_For"] == Score(tp=1)
    assert section.rows["OrgBased_In"] == Score(fp=1, fn=1)  # based in Bern, not in Switzerland
    assert section.combined["Kill+Work_For+Located_In+OrgBased_In+Live_In"] == Score(tp=3, fp=1, fn=1)
