"""SHACL validation: a well-formed article graph conforms, and each shape catches its mistake."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from kg.errors import KGError
from kg.rdf.ontology import load_ontology, load_shapes
from kg.rdf.validate import ValidationReport, Violation, format_report, validate
from kg.rdf.vocabulary import ID, KG, sparql_prologue

ROOT = Path(__file__).resolve().parents[2]
KGSH = "https://w3id.org/kg-news/shapes#"

ARTICLE = "article/42b68af8222b094e"
CALL = "event/42b68af8222b094e/39-49"
VISIT = "event/42b68af8222b094e/709-714"
ACTION = "event/42b68af8222b094e/900-906"
THING = "thing/arms-transfer-strategy"
STATEMENT = "link/42b68af8222b094e/place/washington/locatedIn/country/USA"
NEGOTIATION = "event/42b68af8222b094e/747-759"
MEETING = "event/42b68af8222b094e/459-476"
SUMMIT = "event/42b68af8222b094e/497-506"
EV_CALL = "evidence/42b68af8222b094e/39-49/consult.spoke_with.v1"
ROLE = "role/shigeru-ishiba/prime-minister/country-jpn"

# What kg should write for the seed article's first paragraphs (abridged): one phone call
# that happened, a planned visit and third round of negotiations, a hypothetical meeting
# during a planned summit, a role, and the shortcuts (of the call and the role only: planned
# and hypothetical events have none).
SEED_GRAPH = """
@base <https://w3id.org/kg-news/id/> .
@prefix kg: <https://w3id.org/kg-news/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<article/42b68af8222b094e> a kg:Article ;
    kg:origin "seeds/000_42b68af8222b094e.txt" ;
    kg:published "2025-05-24"^^xsd:date ;
    kg:articleText "Japanese Prime Minister Shigeru Ishiba spoke with U.S. President Donald Trump ..." .

<person/shigeru-ishiba> a kg:Person ; kg:name "Shigeru Ishiba" ; kg:alias "Ishiba" .
<person/donald-trump> a kg:Person ; kg:name "Donald Trump" ; kg:alias "Trump" .
<person/ryosei-akazawa> a kg:Person ; kg:name "Ryosei Akazawa" .
<country/JPN> a kg:Country ; kg:name "Japan" ; kg:iso3 "JPN" ;
    owl:sameAs <http://www.wikidata.org/entity/Q17> .
<country/USA> a kg:Country ; kg:name "United States" ; kg:alias "U.S." ; kg:iso3 "USA" ;
    owl:sameAs <http://www.wikidata.org/entity/Q30> .
<org/g7> a kg:Organization ; kg:name "G7" .
<place/washington> a kg:Location ; kg:name "Washington" .
<topic/tariffs> a kg:Topic ; skos:prefLabel "tariffs" .
<topic/steel> a kg:Topic ; skos:prefLabel "steel" .

<event/42b68af8222b094e/39-49> a kg:PhoneCall ;
    kg:agent <person/shigeru-ishiba> ; kg:target <person/donald-trump> ;
    kg:trigger "spoke with" ; kg:modality kg:Happened ;
    kg:date "2025-05-23"^^xsd:date ; kg:timeText "on Friday" ;
    kg:duration "PT45M"^^xsd:duration ; kg:topic <topic/tariffs> ;
    kg:evidence <evidence/42b68af8222b094e/39-49/consult.spoke_with.v1> .
<evidence/42b68af8222b094e/39-49/consult.spoke_with.v1> a kg:Evidence ;
    kg:article <article/42b68af8222b094e> ;
    kg:sentence "Japanese Prime Minister Shigeru Ishiba spoke with U.S. President Donald Trump for 45 minutes on Friday, addressing key topics including tariffs, diplomacy, and regional security." ;
    kg:startChar 39 ; kg:endChar 49 ;
    kg:rule "consult.spoke_with" ; kg:ruleVersion "1" ; kg:confidence 0.9 .

<event/42b68af8222b094e/709-714> a kg:Visit ;
    kg:agent <person/ryosei-akazawa> ; kg:place <place/washington> ;
    kg:trigger "visit" ; kg:modality kg:Planned ;
    kg:evidence <evidence/42b68af8222b094e/709-714/consult.visit.v1> .
<evidence/42b68af8222b094e/709-714/consult.visit.v1> a kg:Evidence ;
    kg:article <article/42b68af8222b094e> ;
    kg:sentence "The call comes as Japan’s chief trade negotiator, Ryosei Akazawa, prepares to visit Washington for a third round of negotiations aimed at eliminating U.S. tariffs, particularly on Japanese steel and automobiles." ;
    kg:startChar 709 ; kg:endChar 714 ;
    kg:rule "consult.visit" ; kg:ruleVersion "1" ; kg:confidence 0.8 .

<event/42b68af8222b094e/747-759> a kg:Negotiation ;
    kg:agent <country/JPN> ; kg:target <country/USA> ; kg:participant <person/ryosei-akazawa> ;
    kg:ordinal 3 ; kg:place <place/washington> ; kg:topic <topic/tariffs> ; kg:goods <topic/steel> ;
    kg:trigger "negotiations" ; kg:modality kg:Planned ;
    kg:evidence <evidence/42b68af8222b094e/747-759/consult.negotiation_round.v1> .
<evidence/42b68af8222b094e/747-759/consult.negotiation_round.v1> a kg:Evidence ;
    kg:article <article/42b68af8222b094e> ;
    kg:sentence "The call comes as Japan’s chief trade negotiator, Ryosei Akazawa, prepares to visit Washington for a third round of negotiations aimed at eliminating U.S. tariffs, particularly on Japanese steel and automobiles." ;
    kg:startChar 747 ; kg:endChar 759 ;
    kg:rule "consult.negotiation_round" ; kg:ruleVersion "1" ; kg:confidence 0.7 .

<event/42b68af8222b094e/459-476> a kg:Meeting ;
    kg:agent <person/shigeru-ishiba> ; kg:target <person/donald-trump> ;
    kg:during <event/42b68af8222b094e/497-506> ;
    kg:trigger "in-person meeting" ; kg:modality kg:Hypothetical ;
    kg:evidence <evidence/42b68af8222b094e/459-476/consult.meeting.v1> .
<evidence/42b68af8222b094e/459-476/consult.meeting.v1> a kg:Evidence ;
    kg:article <article/42b68af8222b094e> ;
    kg:sentence "The two leaders also expressed interest in holding an in-person meeting during the upcoming G7 summit, set for next month." ;
    kg:startChar 459 ; kg:endChar 476 ;
    kg:rule "consult.meeting" ; kg:ruleVersion "1" ; kg:confidence 0.6 .

<event/42b68af8222b094e/497-506> a kg:Summit ;
    kg:participant <org/g7> ; kg:timeText "next month" ;
    kg:trigger "G7 summit" ; kg:modality kg:Planned ;
    kg:evidence <evidence/42b68af8222b094e/497-506/consult.summit.v1> .
<evidence/42b68af8222b094e/497-506/consult.summit.v1> a kg:Evidence ;
    kg:article <article/42b68af8222b094e> ;
    kg:sentence "The two leaders also expressed interest in holding an in-person meeting during the upcoming G7 summit, set for next month." ;
    kg:startChar 497 ; kg:endChar 506 ;
    kg:rule "consult.summit" ; kg:ruleVersion "1" ; kg:confidence 0.8 .

<person/shigeru-ishiba> kg:holdsRole <role/shigeru-ishiba/prime-minister/country-jpn> .
<role/shigeru-ishiba/prime-minister/country-jpn> a kg:Role ;
    kg:roleTitle "Prime Minister" ; kg:roleOf <country/JPN> ;
    kg:evidence <evidence/42b68af8222b094e/9-23/role.title_before_name.v1> .
<evidence/42b68af8222b094e/9-23/role.title_before_name.v1> a kg:Evidence ;
    kg:article <article/42b68af8222b094e> ;
    kg:sentence "Japanese Prime Minister Shigeru Ishiba spoke with U.S. President Donald Trump for 45 minutes on Friday, addressing key topics including tariffs, diplomacy, and regional security." ;
    kg:startChar 9 ; kg:endChar 23 ;
    kg:rule "role.title_before_name" ; kg:ruleVersion "1" ; kg:confidence 0.8 .

<person/shigeru-ishiba> kg:spokeWith <person/donald-trump> ; kg:leaderOf <country/JPN> .
<person/donald-trump> kg:spokeWith <person/shigeru-ishiba> .

<event/42b68af8222b094e/900-906> a kg:Action ;
    kg:agent <person/donald-trump> ; kg:lemma "sign" ; kg:object <thing/arms-transfer-strategy> ;
    kg:trigger "signed" ; kg:modality kg:Happened ;
    kg:evidence <evidence/42b68af8222b094e/900-906/open.clause.v1> .
<evidence/42b68af8222b094e/900-906/open.clause.v1> a kg:Evidence ;
    kg:article <article/42b68af8222b094e> ;
    kg:sentence "Trump signed the Arms Transfer Strategy for Japan." ;
    kg:startChar 900 ; kg:endChar 906 ;
    kg:rule "open.clause" ; kg:ruleVersion "1" ; kg:confidence 0.5 .
<thing/arms-transfer-strategy> a kg:Thing ; rdfs:label "Arms Transfer Strategy" ; kg:concerns <country/JPN> .

<place/washington> kg:locatedIn <country/USA> .
<link/42b68af8222b094e/place/washington/locatedIn/country/USA> a rdf:Statement ;
    rdf:subject <place/washington> ; rdf:predicate kg:locatedIn ; rdf:object <country/USA> ;
    kg:evidence <evidence/42b68af8222b094e/950-970/located.apposition.v1> .
<evidence/42b68af8222b094e/950-970/located.apposition.v1> a kg:Evidence ;
    kg:article <article/42b68af8222b094e> ;
    kg:sentence "Washington, the U.S. capital, was calm." ;
    kg:startChar 950 ; kg:endChar 970 ;
    kg:rule "located.apposition" ; kg:ruleVersion "1" ; kg:confidence 0.8 .
"""

# One mistake per shape: (shape, SPARQL update that makes it, focus node the shape reports).
BROKEN = [
    ("EventParticipant", f"DELETE WHERE {{ <{CALL}> kg:agent ?a ; kg:target ?t }}", CALL),
    ("EventParticipantIsActor", f"INSERT DATA {{ <{CALL}> kg:participant <topic/tariffs> }}", CALL),
    ("EventEvidence", f"DELETE WHERE {{ <{CALL}> kg:evidence ?e }}", CALL),
    ("EventModality", f"DELETE WHERE {{ <{CALL}> kg:modality ?m }}", CALL),
    ("EventDate", f'DELETE WHERE {{ <{CALL}> kg:date ?d }} ; INSERT DATA {{ <{CALL}> kg:date "2025-05-23" }}', CALL),
    ("EventTimeText", f"INSERT DATA {{ <{CALL}> kg:timeText 5 }}", CALL),
    ("EventDuration", f'DELETE WHERE {{ <{CALL}> kg:duration ?d }} ; INSERT DATA {{ <{CALL}> kg:duration "45 minutes" }}', CALL),
    ("EventPlace", f"INSERT DATA {{ <{VISIT}> kg:place <person/donald-trump> }}", VISIT),
    ("EventOrdinal", f"DELETE WHERE {{ <{NEGOTIATION}> kg:ordinal ?n }} ; INSERT DATA {{ <{NEGOTIATION}> kg:ordinal 0 }}", NEGOTIATION),
    ("EventTopic", f"INSERT DATA {{ <{NEGOTIATION}> kg:goods <person/donald-trump> }}", NEGOTIATION),
    ("EventTrigger", f'INSERT DATA {{ <{CALL}> kg:trigger "called" }}', CALL),
    ("EventDuring", f"INSERT DATA {{ <{MEETING}> kg:during <place/washington> }}", MEETING),
    ("EventReportedBy", f"INSERT DATA {{ <{CALL}> kg:reportedBy <topic/tariffs> }}", CALL),
    ("EvidenceArticle", f"DELETE WHERE {{ <{EV_CALL}> kg:article ?a }}", EV_CALL),
    ("EvidenceSentence", f'DELETE WHERE {{ <{EV_CALL}> kg:sentence ?s }} ; INSERT DATA {{ <{EV_CALL}> kg:sentence "" }}', EV_CALL),
    ("EvidenceStartChar", f"DELETE WHERE {{ <{EV_CALL}> kg:startChar ?s }}", EV_CALL),
    ("EvidenceEndChar", f'DELETE WHERE {{ <{EV_CALL}> kg:endChar ?e }} ; INSERT DATA {{ <{EV_CALL}> kg:endChar -1 }}', EV_CALL),
    ("EvidenceSpanOrder", f"DELETE WHERE {{ <{EV_CALL}> kg:startChar ?s }} ; INSERT DATA {{ <{EV_CALL}> kg:startChar 50 }}", EV_CALL),
    ("EvidenceRule", f"DELETE WHERE {{ <{EV_CALL}> kg:rule ?r }}", EV_CALL),
    ("EvidenceRuleVersion", f"INSERT DATA {{ <{EV_CALL}> kg:ruleVersion 2 }}", EV_CALL),
    ("EvidenceConfidence", f'DELETE WHERE {{ <{EV_CALL}> kg:confidence ?c }} ; INSERT DATA {{ <{EV_CALL}> kg:confidence "0.9"^^xsd:double }}', EV_CALL),
    ("EvidenceInTitle", f'INSERT DATA {{ <{EV_CALL}> kg:inTitle "yes" }}', EV_CALL),
    ("RoleHolder", f"INSERT DATA {{ <person/donald-trump> kg:holdsRole <{ROLE}> }}", ROLE),
    ("RoleTitle", f"DELETE WHERE {{ <{ROLE}> kg:roleTitle ?t }}", ROLE),
    ("RoleOf", f"DELETE WHERE {{ <{ROLE}> kg:roleOf ?o }} ; INSERT DATA {{ <{ROLE}> kg:roleOf <place/washington> }}", ROLE),
    ("RoleEvidence", f"DELETE WHERE {{ <{ROLE}> kg:evidence ?e }}", ROLE),
    ("ArticleContent", f"DELETE WHERE {{ <{ARTICLE}> kg:articleText ?t }}", ARTICLE),
    ("ArticleTitle", f'INSERT DATA {{ <{ARTICLE}> kg:title "One", "Two" }}', ARTICLE),
    ("ArticleText", f'INSERT DATA {{ <{ARTICLE}> kg:articleText "Another text." }}', ARTICLE),
    ("ArticleUrl", f'INSERT DATA {{ <{ARTICLE}> kg:url "https://example.com/story" }}', ARTICLE),
    ("ArticlePublished", f'DELETE WHERE {{ <{ARTICLE}> kg:published ?p }} ; INSERT DATA {{ <{ARTICLE}> kg:published "May 24, 2025" }}', ARTICLE),
    ("ArticleSource", f"INSERT DATA {{ <{ARTICLE}> kg:source <org/g7> }}", ARTICLE),
    ("ArticleOrigin", f'INSERT DATA {{ <{ARTICLE}> kg:origin "feeds/other.xml" }}', ARTICLE),
    ("EntityName", "DELETE WHERE { <person/donald-trump> kg:name ?n }", "person/donald-trump"),
    ("EntityAlias", "INSERT DATA { <person/donald-trump> kg:alias <person/shigeru-ishiba> }", "person/donald-trump"),
    ("CountryIso3", 'DELETE WHERE { <country/JPN> kg:iso3 ?c } ; INSERT DATA { <country/JPN> kg:iso3 "jp" }', "country/JPN"),
    ("TopicLabel", "DELETE WHERE { <topic/tariffs> skos:prefLabel ?n }", "topic/tariffs"),
    ("ShortcutSubjectShape", "INSERT DATA { <topic/tariffs> kg:supports <person/donald-trump> }", "topic/tariffs"),
    ("ShortcutObjectShape", "INSERT DATA { <person/donald-trump> kg:criticizes <topic/tariffs> }", "topic/tariffs"),
    ("VisitsObjectShape", "INSERT DATA { <person/ryosei-akazawa> kg:visits <topic/steel> }", "topic/steel"),
    ("LeaderSubjectShape", "INSERT DATA { <country/JPN> kg:leaderOf <org/g7> }", "country/JPN"),
    ("RoleShortcutObjectShape", "INSERT DATA { <person/shigeru-ishiba> kg:memberOf <person/donald-trump> }", "person/donald-trump"),
    ("StatementEventAgent", 'INSERT DATA { <event/0/1-5> a kg:Statement ; kg:content "talks went well" }', "event/0/1-5"),
    ("StatementEventContent", 'INSERT DATA { <event/0/1-5> a kg:Statement ; kg:agent <person/donald-trump> ; '
                              'kg:content "talks went well", "they did not" }', "event/0/1-5"),
    ("ActionLemma", f"DELETE WHERE {{ <{ACTION}> kg:lemma ?l }}", ACTION),
    ("ActionAgent", f"DELETE WHERE {{ <{ACTION}> kg:agent ?a }} ; INSERT DATA {{ <{ACTION}> kg:target <person/donald-trump> }}", ACTION),
    ("EventObject", f"INSERT DATA {{ <{ACTION}> kg:object <topic/steel> }}", "topic/steel"),
    ("ThingLabel", f"DELETE WHERE {{ <{THING}> rdfs:label ?l }}", THING),
    ("ThingConcerns", f"INSERT DATA {{ <{THING}> kg:concerns <topic/steel> }}", THING),
    ("StatementSubject", f"INSERT DATA {{ <{STATEMENT}> rdf:subject <place/elsewhere> }}", STATEMENT),
    ("StatementPredicate", f"DELETE WHERE {{ <{STATEMENT}> rdf:predicate ?p }} ; INSERT DATA {{ <{STATEMENT}> rdf:predicate kg:supports }}", STATEMENT),
    ("StatementObject", f"DELETE WHERE {{ <{STATEMENT}> rdf:object ?o }}", STATEMENT),
    ("StatementEvidence", f"DELETE WHERE {{ <{STATEMENT}> kg:evidence ?e }}", STATEMENT),
    ("PlaceRelationObjectShape", "INSERT DATA { <org/g7> kg:basedIn <topic/steel> }", "topic/steel"),
    ("LocatedInSubjectShape", "INSERT DATA { <person/donald-trump> kg:locatedIn <country/USA> }", "person/donald-trump"),
    ("BasedInSubjectShape", "INSERT DATA { <person/donald-trump> kg:basedIn <place/washington> }", "person/donald-trump"),
    ("PersonRelationSubjectShape", "INSERT DATA { <org/g7> kg:residentOf <place/washington> }", "org/g7"),
    ("NationalityObjectShape", "INSERT DATA { <person/donald-trump> kg:nationality <place/washington> }", "place/washington"),
    ("WorksForObjectShape", "INSERT DATA { <person/donald-trump> kg:worksFor <country/USA> }", "country/USA"),
]


@pytest.fixture
def seed_graph() -> Graph:
    return Graph().parse(data=SEED_GRAPH, format="turtle")


def changed(graph: Graph, update: str) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    copy.update(f"BASE <{ID}>\n{sparql_prologue()}{update}")
    return copy


def shape_names(report: ValidationReport) -> set[str]:
    return {v.shape for v in report.violations}


def test_validate_seed_graph_conforms(seed_graph: Graph) -> None:
    report = validate(seed_graph)
    assert report.violations == ()
    assert report.conforms


@pytest.mark.parametrize(("shape", "update", "focus"), BROKEN, ids=[case[0] for case in BROKEN])
def test_validate_each_shape_catches_its_mistake(seed_graph: Graph, shape: str, update: str, focus: str) -> None:
    report = validate(changed(seed_graph, update))
    assert not report.conforms
    fired = [v for v in report.violations if v.shape == f"kgsh:{shape}"]
    assert fired, f"kgsh:{shape} did not fire; got {sorted(shape_names(report))}"
    assert all(v.focus == ID[focus] and v.severity == "violation" and v.message for v in fired)


def test_validate_every_shape_has_a_broken_case() -> None:
    shapes = load_shapes()
    with_message = {str(s).removeprefix(KGSH) for s in shapes.subjects(SH.message, None)}
    assert with_message == {shape for shape, _update, _focus in BROKEN}


def test_validate_violation_names_focus_path_shape_and_constraint(seed_graph: Graph) -> None:
    report = validate(changed(seed_graph, f"DELETE WHERE {{ <{ROLE}> kg:evidence ?e }}"))
    assert report.violations == (
        Violation(
            focus=ID[ROLE],
            path="kg:evidence",
            shape="kgsh:RoleEvidence",
            constraint="minCount",
            message="A role needs at least one kg:evidence, a kg:Evidence node saying where it was read.",
            severity="violation",
        ),
    )


def test_validate_accepts_a_place_as_the_host_of_a_visit(seed_graph: Graph) -> None:
    visit = "INSERT DATA { <person/ryosei-akazawa> kg:visits <place/washington> , <country/USA> }"
    assert validate(changed(seed_graph, visit)).conforms


def test_validate_renders_complex_paths(seed_graph: Graph) -> None:
    report = validate(changed(seed_graph, f"INSERT DATA {{ <person/donald-trump> kg:holdsRole <{ROLE}> }}"))
    assert {v.path for v in report.violations} == {"^kg:holdsRole"}
    report = validate(changed(seed_graph, f"DELETE WHERE {{ <{CALL}> kg:agent ?a ; kg:target ?t }}"))
    assert {v.path for v in report.violations} == {"kg:agent|kg:target|kg:participant"}


def test_validate_reaches_event_subclasses_through_the_ontology(seed_graph: Graph) -> None:
    # A kg:Tariff is a kg:Sanction is a kg:Event: the event shapes apply without inference.
    tariff = "INSERT DATA { <event/x/1-2> a kg:Tariff ; kg:modality kg:Planned }"
    report = validate(changed(seed_graph, tariff))
    assert {"kgsh:EventParticipant", "kgsh:EventEvidence"} <= shape_names(report)


def test_validate_leaves_the_data_graph_unchanged(seed_graph: Graph) -> None:
    before = set(seed_graph)
    validate(changed(seed_graph, f"DELETE WHERE {{ <{CALL}> kg:evidence ?e }}"))
    validate(seed_graph)
    assert set(seed_graph) == before


# rdflib 7 warns about its own Dataset internals, which pySHACL and the TriG parser use.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_validate_checks_a_dataset_as_the_union_of_its_graphs(seed_graph: Graph) -> None:
    dataset = Dataset()
    article_graph = dataset.graph(ID[ARTICLE])
    for triple in seed_graph:
        article_graph.add(triple)
    assert validate(dataset).conforms
    article_graph.remove((ID[CALL], KG.evidence, None))
    assert "kgsh:EventEvidence" in shape_names(validate(dataset))


def test_validate_with_other_shapes_and_warnings(seed_graph: Graph) -> None:
    shapes = Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix kg: <https://w3id.org/kg-news/ontology#> .
        @prefix ex: <https://example.org/shapes#> .
        ex:Dated a sh:NodeShape ; sh:targetClass kg:Consult ;
            sh:property [ sh:path kg:date ; sh:minCount 1 ; sh:severity sh:Warning ;
                          sh:message "A consultation should have a date." ] .
        """,
    )
    report = validate(seed_graph, shapes=shapes)
    # The visit, the negotiation, the meeting and the summit have no date; only the call does.
    assert report.conforms
    assert {(v.severity, v.shape, v.focus) for v in report.violations} == {
        ("warning", "ex:Dated", ID[event]) for event in (VISIT, NEGOTIATION, MEETING, SUMMIT)
    }


def test_validate_rejects_broken_shapes_with_a_kg_error(seed_graph: Graph) -> None:
    shapes = Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix kg: <https://w3id.org/kg-news/ontology#> .
        [] a sh:NodeShape ; sh:targetClass kg:Event ; sh:property [ sh:path kg:date ; sh:minCount "one" ] .
        """,
    )
    with pytest.raises(KGError, match="SHACL validation could not run"):
        validate(seed_graph, shapes=shapes)


def test_format_report_says_when_the_graph_conforms(seed_graph: Graph) -> None:
    assert format_report(validate(seed_graph)) == "The graph conforms to the kg shapes."


def test_format_report_gives_one_readable_line_per_violation(seed_graph: Graph) -> None:
    update = (
        f"DELETE WHERE {{ <{CALL}> kg:evidence ?e }} ; "
        f'DELETE WHERE {{ <{EV_CALL}> kg:confidence ?c }} ; INSERT DATA {{ <{EV_CALL}> kg:confidence 1.5 }}'
    )
    text = format_report(validate(changed(seed_graph, update)))
    assert text.splitlines() == [
        "The graph does not conform to the kg shapes: 2 violations.",
        "violation: id:event/42b68af8222b094e/39-49 kg:evidence: "
        "An event needs at least one kg:evidence, a kg:Evidence node saying where it was read. "
        "[kgsh:EventEvidence minCount]",
        'violation: id:evidence/42b68af8222b094e/39-49/consult.spoke_with.v1 kg:confidence = "1.5"^^xsd:decimal: '
        "Evidence needs exactly one kg:confidence, an xsd:decimal from 0 to 1 "
        '(write Decimal("0.9"), not the float 0.9, which is an xsd:double). '
        "[kgsh:EvidenceConfidence maxInclusive]",
    ]


def test_load_ontology_and_shapes_give_fresh_graphs() -> None:
    ontology = load_ontology()
    ontology.remove((None, None, None))
    assert (KG.Event, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in load_ontology()
    shapes = load_shapes()
    event_evidence = URIRef("https://w3id.org/kg-news/shapes#EventEvidence")
    assert (None, SH.property, event_evidence) in shapes
    shapes.remove((None, None, None))
    assert (None, SH.property, event_evidence) in load_shapes()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_readme_example_conforms_and_its_offsets_point_at_the_trigger() -> None:
    readme = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    trig = re.search(r"```trig\n(.*?)```", readme, re.DOTALL).group(1)
    dataset = Dataset().parse(data=trig, format="trig")
    article = dataset.graph(ID[ARTICLE])
    assert validate(article).conforms
    text = str(article.value(ID[ARTICLE], KG.articleText))
    evidence = ID[EV_CALL]
    start, end = (article.value(evidence, KG.startChar).toPython(), article.value(evidence, KG.endChar).toPython())
    assert text[start:end] == "spoke with"
