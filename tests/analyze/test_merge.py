"""Entity and event resolution across articles (`kg.analyze.merge`, `kg merge --dry-run`),
and open relations (kg:Action) through the projection, stats and timeline; on a small
hand-made store whose articles name people, groups and summits differently."""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from kg.analyze import graph_stats, load_projection, plan_merges, project, timeline
from kg.analyze.merge import fold, initials, surnames
from kg.cli import main
from kg.rdf.vocabulary import PREFIXES
from kg.store.oxigraph import OxigraphStore

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

P, ID = PREFIXES["person"], PREFIXES["id"]
PROLOGUE = f"@base <{ID}> .\n" + "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())


def article(name: str, published: str, body: str) -> str:
    return (f'article:{name} a kg:Article ; kg:title "Story {name}" ; kg:source "Wire" ; '
            f'kg:published "{published}"^^xsd:date .\n' + body)


def event(name: str, art: str, cls: str, agent: str, *, target: str | None = None, day: str | None = None,
          modality: str = "Happened", extra: str = "") -> str:
    who = f"kg:agent {agent} ; kg:participant {agent} ;" + (f" kg:target {target} ; kg:participant {target} ;" if target else "")
    when = f' kg:date "{day}"^^xsd:date ;' if day else ""
    return (f'<event/{art}/{name}> a kg:{cls} ; rdfs:label "{cls}: {name}" ; kg:trigger "{name}" ; '
            f'kg:modality kg:{modality} ; {who}{when}{extra} kg:evidence <evidence/{art}/{name}> .\n'
            f'<evidence/{art}/{name}> kg:article article:{art} ; kg:rule "r.{name}" ; kg:confidence 0.8 ; '
            f'kg:sentence "Sentence {name} of {art}." .\n')


ARTICLES = {
    "a1": article("a1", "2025-03-01", """
person:ahmed-al-sharaa a kg:Person ; kg:name "Ahmed al-Sharaa" ; kg:alias "al-Sharaa" .
person:nawaf-salam a kg:Person ; kg:name "Nawaf Salam" .
person:maria-petrov a kg:Person ; kg:name "Maria Petrov" .
organization:revolutionary-united-front a kg:Organization ; kg:name "Revolutionary United Front" .
organization:ruf a kg:Organization ; kg:name "RUF" .
article:a1 kg:articleText "Fighters of the Revolutionary United Front (RUF) laid down arms." .
organization:eu a kg:Organization ; kg:name "European Union" .
place:george-town a kg:Location ; kg:name "George Town" .
""" + event("call", "a1", "PhoneCall", "person:ahmed-al-sharaa", target="person:nawaf-salam", day="2025-03-01")
        + event("summit", "a1", "Summit", "organization:eu")
        + event("signs", "a1", "Action", "person:nawaf-salam",
                extra=' kg:lemma "sign" ; kg:object thing:border-accord ;')
        + 'thing:border-accord a kg:Thing ; rdfs:label "Border Accord" ; kg:concerns person:ahmed-al-sharaa .\n'),
    "a2": article("a2", "2025-03-02", """
person:al-sharaa a kg:Person ; kg:name "Al-Sharaa" .
person:salam a kg:Person ; kg:name "Salam" .
person:kenji-petrov a kg:Person ; kg:name "Kenji Petrov" .
person:petrov a kg:Person ; kg:name "Petrov" .
organization:ruf a kg:Organization ; kg:name "RUF" .
place:georgetown a kg:Location ; kg:name "Georgetown" .
organization:eu a kg:Organization ; kg:name "European Union" .
""" + event("call", "a2", "PhoneCall", "person:al-sharaa", target="person:salam", day="2025-03-01")
        + event("summit", "a2", "Summit", "organization:eu")),
    "a3": article("a3", "2025-04-20", """
organization:eu a kg:Organization ; kg:name "European Union" .
person:al-sharaa a kg:Person ; kg:name "Al-Sharaa" .
person:salam a kg:Person ; kg:name "Salam" .
""" + event("summit", "a3", "Summit", "organization:eu")
        + event("call", "a3", "PhoneCall", "person:al-sharaa", target="person:salam", day="2025-04-19")),
}


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    store = OxigraphStore(None)
    store.load_ontology()
    for name, body in ARTICLES.items():
        graph = Graph(identifier=URIRef(PREFIXES["article"] + name))
        graph.parse(data=PROLOGUE + body, format="turtle")
        store.put_graph(graph)
    return store


@pytest.fixture(scope="module")
def raw(store) -> nx.MultiDiGraph:
    return project(store, merge=False)


@pytest.fixture(scope="module")
def merged(store) -> nx.MultiDiGraph:
    return project(store)


def test_merge_names_fold_and_cut_to_surnames() -> None:
    assert fold("Al-Sharaa") == fold("al Sharaa") == "al sharaa"
    assert fold("Andrej Babiš") == fold("andrej babis")
    assert fold("George Town") != fold("Georgetown")
    assert surnames("Abdel Fattah al-Burhan") == {"al burhan", "burhan"}
    assert surnames("Salam") == set()
    assert initials("Revolutionary United Front") == "RUF" and initials("Bank of England") == "BE"


def test_merge_plan_says_what_merges_and_why(raw) -> None:
    plan = plan_merges(raw)
    entities = {(m.merged_label, m.kept_label): m for m in plan.of("entity")}
    assert set(entities) == {("Al-Sharaa", "Ahmed al-Sharaa"), ("Salam", "Nawaf Salam"),
                             ("RUF", "Revolutionary United Front")}
    assert entities[("Al-Sharaa", "Ahmed al-Sharaa")].rule == "alias"
    assert entities[("Salam", "Nawaf Salam")].rule == "surname"
    assert "only Person" in entities[("Salam", "Nawaf Salam")].reason
    assert entities[("RUF", "Revolutionary United Front")].rule == "acronym"
    assert "defines 'RUF' as 'Revolutionary United Front'" in entities[("RUF", "Revolutionary United Front")].reason
    [petrov] = plan.ambiguous
    assert (petrov.label, petrov.candidates) == ("Petrov", ("Kenji Petrov", "Maria Petrov"))
    assert P + "petrov" not in plan.canonical  # ambiguous names stay apart
    assert ID + "place/georgetown" not in plan.canonical  # different names, different places


def test_merge_events_same_day_or_same_occasion(raw) -> None:
    plan = plan_merges(raw)
    events = {(m.merged, m.kept) for m in plan.of("event")}
    # the two calls of 1 March join once their actors are one; the call of 19 April does not
    assert (ID + "event/a2/call", ID + "event/a1/call") in events
    assert not any("a3/call" in pair for e in events for pair in e)
    # summits with no date: articles a day apart are one occasion, seven weeks later another
    assert (ID + "event/a2/summit", ID + "event/a1/summit") in events
    assert not any("a3/summit" in pair for e in events for pair in e)


def test_merge_folds_nodes_and_keeps_every_name_article_and_evidence(merged) -> None:
    sharaa = merged.nodes[P + "ahmed-al-sharaa"]
    assert P + "al-sharaa" not in merged and sharaa["same_as"] == (P + "al-sharaa",)
    assert "Al-Sharaa" in sharaa["aliases"]
    assert set(sharaa["articles"]) == {PREFIXES["article"] + a for a in ("a1", "a2", "a3")}
    call = ID + "event/a1/call"
    assert merged.nodes[call]["same_as"] == (ID + "event/a2/call",)
    sentences = {e.sentence for e in merged.graph["evidence"][call]}
    assert sentences == {"Sentence call of a1.", "Sentence call of a2."}
    assert sorted(merged.predecessors(call)) == [P + "ahmed-al-sharaa"]  # one agent link, not two
    assert P + "petrov" in merged and P + "kenji-petrov" in merged


def test_merge_open_relation_is_an_action_with_its_verb_and_thing(merged) -> None:
    action = ID + "event/a1/signs"
    attrs = merged.nodes[action]
    assert (attrs["event_type"], attrs["lemma"]) == ("Action", "sign")
    thing = ID + "thing/border-accord"
    assert merged.nodes[thing]["type"] == "Thing" and merged.nodes[thing]["label"] == "Border Accord"
    assert merged.has_edge(action, thing) and merged.has_edge(thing, P + "ahmed-al-sharaa")
    [entry] = [e for e in timeline(merged) if e.lemma]
    assert (entry.agents, entry.objects) == (("Nawaf Salam",), ("Border Accord",))
    assert not [e for e in timeline(merged, open_relations=False) if e.event_type == "Action"]


def test_merge_stats_count_merges_things_and_verbs(store) -> None:
    stats = graph_stats(store, top=3)
    assert stats.merged == 3 and stats.things == 1 and stats.open_relations == {"sign": 1}
    assert "Thing" not in stats.entities
    assert graph_stats(store, top=3, merge=False).merged == 0


def test_merge_cache_gives_the_same_graph(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "store"
    with OxigraphStore(folder) as writable:
        writable.load_ontology()
        graph = Graph(identifier=URIRef(PREFIXES["article"] + "a1"))
        graph.parse(data=PROLOGUE + ARTICLES["a1"], format="turtle")
        writable.put_graph(graph)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    with OxigraphStore(folder, read_only=True) as store:
        first = load_projection(store)
        [cached] = (tmp_path / "cache").glob("projection-*.pickle")
        again = load_projection(store)
    assert nx.utils.graphs_equal(first, again) and cached.is_file()
    with OxigraphStore(folder) as writable:  # a write changes the store's files: read afresh
        graph = Graph(identifier=URIRef(PREFIXES["article"] + "a2"))
        graph.parse(data=PROLOGUE + ARTICLES["a2"], format="turtle")
        writable.put_graph(graph)
    with OxigraphStore(folder, read_only=True) as store:
        assert P + "kenji-petrov" in load_projection(store)


def test_merge_cli_dry_run_reports_merges_and_ambiguities(tmp_path) -> None:
    folder = tmp_path / "store"
    with OxigraphStore(folder) as writable:
        writable.load_ontology()
        for name, body in ARTICLES.items():
            graph = Graph(identifier=URIRef(PREFIXES["article"] + name))
            graph.parse(data=PROLOGUE + body, format="turtle")
            writable.put_graph(graph)
    result = CliRunner().invoke(main, ["merge", "--dry-run", "--store", str(folder)])
    assert result.exit_code == 0, result.output
    assert "entities: 3 would merge" in result.stdout
    assert "Al-Sharaa  →  Ahmed al-Sharaa  [alias]" in result.stdout
    assert "RUF  →  Revolutionary United Front  [acronym]" in result.stdout
    assert "Petrov [surname]: could be Kenji Petrov, Maria Petrov" in result.stdout
    assert "events: 2 would merge" in result.stdout
    refused = CliRunner().invoke(main, ["merge", "--store", str(folder)])
    assert refused.exit_code == 2 and "--dry-run" in refused.stderr
    signing = CliRunner().invoke(main, ["neighbors", "Nawaf Salam", "--store", str(folder)])
    assert "Nawaf Salam —agent→ [Action: sign] —object→ Border Accord" in signing.stdout
    apart = CliRunner().invoke(main, ["neighbors", "Salam", "--no-merge", "--store", str(folder)])
    assert apart.exit_code == 0 and "Ahmed al-Sharaa" not in apart.stdout
    together = CliRunner().invoke(main, ["neighbors", "Salam", "--store", str(folder)])
    assert together.exit_code == 0 and "Ahmed al-Sharaa" in together.stdout


def test_merge_large_build_prepares_the_projection_the_commands_read(tmp_path, monkeypatch) -> None:
    from kg.cli import build as build_command

    monkeypatch.setattr(build_command, "PREPARE_ARTICLES", 1)  # the seed is one article
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    store = str(tmp_path / "store")
    built = CliRunner().invoke(main, ["build", str(SEEDS), "--store", store, "--no-progress"])
    assert built.exit_code == 0, built.output
    [prepared] = (tmp_path / "cache").glob("projection-*.pickle")
    made = prepared.stat().st_mtime_ns
    stats = CliRunner().invoke(main, ["stats", "--store", store])
    assert stats.exit_code == 0 and "Shigeru Ishiba" in stats.stdout
    assert list((tmp_path / "cache").glob("projection-*.pickle")) == [prepared]  # read, not made again
    assert prepared.stat().st_mtime_ns == made
