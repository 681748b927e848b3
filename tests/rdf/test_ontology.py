"""The ontology: it declares every vocab term, aligns events with PLOVER, is OWL RL consistent,
and its generated reference (docs/ontology.md) is current."""
from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.plugins.sparql import prepareQuery

from kg.errors import KGError
from kg.rdf.docs import describe_ontology
from kg.rdf.ontology import load_ontology
from kg.rdf.vocabulary import ID, KG, ONTOLOGY_IRI, PREFIXES, sparql_prologue

ROOT = Path(__file__).resolve().parents[2]
XSD = Namespace(PREFIXES["xsd"])  # a plain Namespace: pytest probes module attributes, and rdflib's XSD warns
PLOVER_DATA = ROOT.parent / "shared" / "evaldata" / "plover_gsr"
TERMS = list(KG.__annotations__)
REGENERATE = (
    "docs/ontology.md is out of date; regenerate it with `kg ontology --format markdown > docs/ontology.md` or "
    "`python -c \"from kg.rdf.docs import describe_ontology; print(describe_ontology(), end='')\" "
    "> docs/ontology.md`"
)

PLOVER_TYPES = {
    "Agree": "AGREE", "Consult": "CONSULT", "Support": "SUPPORT", "Concede": "CONCEDE",
    "Cooperate": "COOPERATE", "Aid": "AID", "Retreat": "RETREAT", "Request": "REQUEST",
    "Demand": "DEMAND", "Accuse": "ACCUSE", "Disapprove": "DISAPPROVE", "Reject": "REJECT",
    "Threaten": "THREATEN", "Protest": "PROTEST", "Sanction": "SANCTION", "Mobilize": "MOBILIZE",
    "Coerce": "COERCE", "Assault": "ASSAULT", "Fight": "FIGHT", "Investigate": "INVESTIGATE",
}
MODES = {
    "PhoneCall": "Consult", "Visit": "Consult", "Meeting": "Consult", "Summit": "Consult",
    "Negotiation": "Consult", "Tariff": "Sanction", "Embargo": "Sanction",
    "Endorsement": "Support", "Killing": "Assault", "Statement": "Event",
}
# Types of the PLOVER gold-standard records that PLOVER 2021 folds into another type.
PLOVER_2021 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# CAMEO codes kg files differently from CAMEO2PLOVER-2021, on purpose (see ontology/README.md).
CAMEO_DEPARTURES = {"163": "SANCTION"}
SHORTCUTS = {
    "spokeWith": "Consult", "metWith": "Meeting", "negotiatesWith": "Negotiation",
    "imposesTariffOn": "Tariff", "supports": "Support", "criticizes": "Disapprove",
    "threatens": "Threaten", "investigates": "Investigate", "visits": "Visit",
    "demandsFrom": "Demand", "cooperatesWith": "Cooperate", "agreesWith": "Agree",
    "accuses": "Accuse", "rejects": "Reject", "sanctions": "Sanction", "attacks": "Assault",
    "aids": "Aid", "leaderOf": "Role", "memberOf": "Role",
}
SYMMETRIC = {"spokeWith", "metWith", "negotiatesWith", "cooperatesWith"}
ANNOTATION_PROPERTIES = {"shortcutOf", "name", "alias"}
INDIVIDUALS = {"Happened", "Planned", "Hypothetical", "Negated", "Reported"}
DATATYPE_PROPERTIES = {
    "date": XSD.date, "timeText": XSD.string, "duration": XSD.duration, "ordinal": XSD.integer,
    "trigger": XSD.string, "lemma": XSD.string, "content": XSD.string, "sentence": XSD.string, "startChar": XSD.integer,
    "endChar": XSD.integer, "rule": XSD.string, "ruleVersion": XSD.string,
    "confidence": XSD.decimal, "inTitle": XSD.boolean, "title": XSD.string, "url": XSD.anyURI, "source": XSD.string, "author": XSD.string,
    "published": None, "origin": XSD.string, "articleText": XSD.string, "iso3": XSD.string,
    "roleTitle": XSD.string,
}
DECLARATIONS = {
    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def kind_of(name: str) -> URIRef:
    if name in ANNOTATION_PROPERTIES:
        return OWL.AnnotationProperty
    if name in INDIVIDUALS:
        return OWL.NamedIndividual
    if name in DATATYPE_PROPERTIES:
        return OWL.DatatypeProperty
    return OWL.Class if name[0].isupper() else OWL.ObjectProperty


def notations(graph: Graph, cls: URIRef, scheme: str) -> list[str]:
    prefix = scheme + ":"
    return [str(n).removeprefix(prefix) for n in graph.objects(cls, SKOS.notation) if str(n).startswith(prefix)]


def owl_rl_errors(graph: Graph) -> list[str]:
    """owlrl reports each inconsistency as a node typed err:ErrorMessage with an err:error text."""
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return sorted(str(graph.value(m, ERRNS.error)) for m in graph.subjects(RDF.type, ERRNS.ErrorMessage))


def readme_example() -> Graph:
    readme = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    trig = re.search(r"```trig\n(.*?)```", readme, re.DOTALL).group(1)
    return Dataset().parse(data=trig, format="trig").graph(ID["article/42b68af8222b094e"])


def test_ontology_is_an_owl_ontology_with_a_version(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY_IRI, RDFS.comment) is not None


def test_ontology_files_ship_in_the_kg_ontology_package() -> None:
    folder = resources.files("kg.ontology")
    assert {"kg.ttl", "shapes.ttl", "README.md"} <= {entry.name for entry in folder.iterdir()}


@pytest.mark.parametrize("name", TERMS)
def test_ontology_declares_every_vocab_term_with_label_comment_and_example(
    ontology: Graph, name: str
) -> None:
    term = KG[name]
    declared = set(ontology.objects(term, RDF.type)) & DECLARATIONS
    assert declared == {kind_of(name)}
    for predicate in (RDFS.label, RDFS.comment):
        values = list(ontology.objects(term, predicate))
        assert len(values) == 1 and values[0].language == "en" and str(values[0]).strip()
    assert list(ontology.objects(term, SKOS.example))


def test_ontology_declares_no_kg_term_missing_from_the_vocab(ontology: Graph) -> None:
    used = {t for triple in ontology for t in triple if isinstance(t, URIRef) and t.startswith(str(KG._NS))}
    assert sorted(used - {KG[name] for name in TERMS}) == []


def test_ontology_types_individuals_as_modalities(ontology: Graph) -> None:
    assert {s for s in ontology.subjects(RDF.type, KG.Modality)} == {KG[name] for name in INDIVIDUALS}


@pytest.mark.parametrize(("name", "datatype"), DATATYPE_PROPERTIES.items())
def test_ontology_datatype_property_ranges(ontology: Graph, name: str, datatype: URIRef | None) -> None:
    assert ontology.value(KG[name], RDFS.range) == datatype


def test_ontology_object_property_ranges_are_classes(ontology: Graph) -> None:
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        range_ = ontology.value(prop, RDFS.range)
        if prop.startswith(str(KG._NS)) and range_ is not None:
            assert (range_, RDF.type, OWL.Class) in ontology, prop


@pytest.mark.parametrize(("name", "plover"), PLOVER_TYPES.items())
def test_ontology_event_types_carry_their_plover_type(ontology: Graph, name: str, plover: str) -> None:
    assert (KG[name], RDFS.subClassOf, KG.Event) in ontology
    assert notations(ontology, KG[name], "PLOVER") == [plover]


@pytest.mark.parametrize(("name", "parent"), MODES.items())
def test_ontology_modes_are_subclasses_of_their_type(ontology: Graph, name: str, parent: str) -> None:
    assert set(ontology.objects(KG[name], RDFS.subClassOf)) == {KG[parent]}


def test_ontology_event_types_are_not_disjoint(ontology: Graph) -> None:
    events = {KG.Event} | {KG[name] for name in [*PLOVER_TYPES, *MODES]}
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = set(ontology.items(ontology.value(axiom, OWL.members)))
        assert len(members & events) <= 1
    assert not [(s, o) for s, o in ontology.subject_objects(OWL.disjointWith) if {s, o} & events]


def test_ontology_country_is_an_actor_and_a_location(ontology: Graph) -> None:
    assert {KG.Actor, KG.Location} <= set(ontology.objects(KG.Country, RDFS.subClassOf))


def test_ontology_cameo_codes_follow_the_plover_table(ontology: Graph) -> None:
    table = PLOVER_DATA / "CAMEO2PLOVER-2021.txt"
    if not table.exists():
        pytest.skip(f"{table} is not here (it comes with ../shared)")
    by_code = {
        code: cls
        for cls in ontology.transitive_subjects(RDFS.subClassOf, KG.Event)
        for code in notations(ontology, cls, "CAMEO")
    }

    def plover_type(cls: URIRef) -> str:
        for ancestor in ontology.transitive_objects(cls, RDFS.subClassOf):
            found = notations(ontology, ancestor, "PLOVER")
            if found:
                return PLOVER_2021.get(found[0], found[0])
        raise AssertionError(f"{cls} has no PLOVER type")

    mismatches = []
    rows = re.findall(r"^(\d{3,4}): *([A-Z]+)", table.read_text(encoding="utf-8"), re.MULTILINE)
    for code, expected in rows:
        prefix = max((c for c in by_code if code.startswith(c)), key=len)
        got = plover_type(by_code[prefix])
        if got != CAMEO_DEPARTURES.get(code, expected):
            mismatches.append((code, expected, str(by_code[prefix]), got))
    assert mismatches == []


def test_ontology_gold_standard_event_types_each_name_one_class(ontology: Graph) -> None:
    records = PLOVER_DATA / "plover_gsr_dev.json"
    if not records.exists():
        pytest.skip(f"{records} is not here (it comes with ../shared)")
    types = {r["event"] for r in json.loads(records.read_text(encoding="utf-8"))}
    for plover in types:
        classes = list(ontology.subjects(SKOS.notation, Literal(f"PLOVER:{plover}")))
        assert len(classes) == 1, plover


@pytest.mark.parametrize(("name", "event"), SHORTCUTS.items())
def test_ontology_shortcuts_name_the_event_they_abbreviate(ontology: Graph, name: str, event: str) -> None:
    assert ontology.value(KG[name], KG.shortcutOf) == KG[event]
    assert ((KG[name], RDF.type, OWL.SymmetricProperty) in ontology) == (name in SYMMETRIC)


def test_ontology_agent_and_target_are_participants(ontology: Graph) -> None:
    assert (KG.agent, RDFS.subPropertyOf, KG.participant) in ontology
    assert (KG.target, RDFS.subPropertyOf, KG.participant) in ontology
    assert (KG.holdsRole, OWL.inverseOf, KG.roleHolder) in ontology


def test_ontology_examples_are_sparql_patterns(ontology: Graph) -> None:
    for term, example in ontology.subject_objects(SKOS.example):
        try:
            prepareQuery(f"{sparql_prologue()}SELECT * WHERE {{ {example} }}")
        except Exception as error:  # the parser raises several unrelated types
            pytest.fail(f"example of {term} is not a SPARQL pattern: {example!r}: {error}")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's TriG parser uses its own deprecated API
def test_ontology_owl_rl_closure_with_data_is_consistent(ontology: Graph) -> None:
    graph = Graph()
    for triple in (*ontology, *readme_example()):
        graph.add(triple)
    assert owl_rl_errors(graph) == []


@pytest.mark.parametrize(
    "mistake",
    [
        "<person/x> a kg:Person , kg:Organization .",
        "<event/x> kg:place <person/x> . <person/x> a kg:Person .",
        "<event/x> a kg:PhoneCall . <article/x> a kg:Article ; kg:title \"t\" . <event/x> kg:title \"t\" .",
    ],
    ids=["disjoint-types", "person-as-place", "article-property-on-event"],
)
def test_ontology_owl_rl_reports_an_inconsistency(ontology: Graph, mistake: str) -> None:
    data = Graph().parse(
        format="turtle",
        data=f"@base <{ID}> . @prefix kg: <{KG._NS}> . @prefix xsd: <{XSD}> . {mistake}",
    )
    graph = Graph()
    for triple in (*ontology, *data):
        graph.add(triple)
    assert owl_rl_errors(graph)


def test_ontology_doc_is_up_to_date() -> None:
    current = (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert current == describe_ontology("markdown"), REGENERATE


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_ontology_doc_lists_every_term_with_an_example(fmt: str) -> None:
    text = describe_ontology(fmt)
    for name in TERMS:
        assert f"kg:{name}" in text
    assert '?call a kg:PhoneCall ; kg:agent ?a ; kg:target ?b ; kg:duration "PT45M"^^xsd:duration .' in text


def test_ontology_doc_escapes_placeholders_in_markdown() -> None:
    assert "id:person/&lt;slug>" in describe_ontology("markdown")
    assert "id:person/<slug>" in describe_ontology("text")


def test_ontology_doc_rejects_an_unknown_format() -> None:
    with pytest.raises(KGError, match="choose one of markdown, text"):
        describe_ontology("html")
