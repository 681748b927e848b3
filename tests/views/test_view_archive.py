"""The folded view of an archive in Chromium: events folded into actor-to-actor edges and
unfolded on demand, the legend and filters, dimming, entity and edge panels with their
evidence told once, the timeline; with hostile text in every new panel."""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kg.analyze.records import ArticleInfo, EntityNode, EventNode, Evidence, FactEdge
from kg.rdf.vocabulary import PREFIXES
from kg.views import write_view

P, C, ART = PREFIXES["person"], PREFIXES["country"], PREFIXES["article"]
ANNA, BORIS, CLARA, ZED = P + "anna-alpha", P + "boris-beta", P + "clara-gamma", P + "zed-zeta"
ALPHA, BETA = C + "ALP", C + "BET"
ACCORD = PREFIXES["id"] + "thing/accord"
XSS = '<img src=x onerror="window.__xss=1">'
SENTENCE = "Anna Alpha spoke with Boris Beta on Monday."


def archive(*, hostile: bool = False) -> nx.MultiDiGraph:
    """Three people, two countries, a thing and an unlinked person; three calls between Anna
    and Boris (one told by two articles in the same words), a planned sanction, a signing."""
    odd = XSS if hostile else ""
    g = nx.MultiDiGraph()
    g.graph["event_classes"] = {"PhoneCall": "Consult", "Consult": "Event", "Sanction": "Event", "Action": "Event"}
    g.graph["articles"] = {
        ART + "a1": ArticleInfo(title="Calls in spring" + odd, url="https://example.org/a1", published="2025-03-03",
                                source="Wire" + odd),
        ART + "a2": ArticleInfo(title="Calls again", url="https://example.org/a2", published="2025-03-04", source="Daily"),
        ART + "a3": ArticleInfo(title="Summer sanctions", url="javascript:window.__xss=1", published="2025-07-01",
                                source="Daily"),
    }
    for node, name, kind in ((ANNA, "Anna Alpha" + odd, "Person"), (BORIS, "Boris Beta", "Person"),
                             (CLARA, "Clara Gamma", "Person"), (ZED, "Zed Zeta", "Person"),
                             (ALPHA, "Alphaland", "Country"), (BETA, "Betania", "Country")):
        g.add_node(node, **EntityNode(label=name, type=kind, articles=(ART + "a1", ART + "a2")).attrs())
    g.add_node(ACCORD, **EntityNode(label="Accord" + odd, type="Thing").attrs())
    evidence = {}

    def event(iri, cls, when, agent, other, relation="target", modality="Happened", readings=(), lemma=None):
        g.add_node(iri, **EventNode(label=f"{cls}: {iri[-2:]}", event_type=cls, modality=modality, date=when,
                                    when=when, lemma=lemma).attrs())
        g.add_edge(agent, iri, **FactEdge(kind="event", relation="agent").attrs())
        g.add_edge(iri, other, **FactEdge(kind="event", relation=relation).attrs())
        evidence[iri] = tuple(readings)

    call = [Evidence(SENTENCE + odd, 0.9, "consult.speak", ART + "a1"), Evidence(SENTENCE + odd, 0.9, "consult.speak", ART + "a2")]
    event("e1", "PhoneCall", "2025-03-03", ANNA, BORIS, readings=call)
    event("e2", "PhoneCall", "2025-03-10", BORIS, ANNA, readings=[Evidence("Boris called Anna.", 0.8, "consult.call", ART + "a2")])
    event("e3", "PhoneCall", "2025-03-17", ANNA, BORIS, readings=[Evidence("Anna rang Boris.", 0.8, "consult.call", ART + "a2")])
    event("e4", "Sanction", "2025-07-01", BETA, ALPHA, modality="Planned",
          readings=[Evidence("Betania will sanction Alphaland.", 0.7, "sanction.x", ART + "a3")])
    event("e5", "Action", "2025-07-01", CLARA, ACCORD, relation="object", lemma="sign",
          readings=[Evidence("Clara signs the Accord.", 0.5, "open.clause", ART + "a3")])
    g.graph["evidence"] = evidence
    g.add_edge(ANNA, ALPHA, **FactEdge(kind="role", relation="President", sentence="President Anna Alpha.",
                                       article=ART + "a1", when="2025-03-03").attrs())
    return g


@pytest.fixture
def opened(tmp_path: Path, view_page):
    def open_archive(**opts):
        path = write_view(archive(hostile=opts.pop("hostile", False)), tmp_path / "archive.html", fold=True, **opts).path
        return view_page(path, viewport=(1300, 900))
    return open_archive


def edges(view) -> list[dict]:
    return view.evaluate("kgNetwork.body.data.edges.get().map(e => ({id: e.id, from: e.from, to: e.to, label: e.label, dashes: e.dashes}))")


def visible(view) -> set[str]:
    return set(view.evaluate("kgNetwork.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))


def assert_quiet(view) -> None:
    assert view.console_errors == [] and view.page_errors == [] and view.dialogs == []
    assert view.blocked == [] and view.outside_requests() == []
    assert view.evaluate("typeof window.__xss") == "undefined"


def test_view_archive_folds_parallel_events_into_one_edge_with_a_count(opened) -> None:
    view = opened()
    by_pair = {frozenset((e["from"], e["to"])): e for e in edges(view)}
    assert by_pair[frozenset((ANNA, BORIS))]["label"] == "Consult \u00d73"  # three calls, one edge, by family
    assert by_pair[frozenset((BETA, ALPHA))]["dashes"] is True  # planned: less certain
    assert frozenset((CLARA, ACCORD)) not in by_pair  # things are hidden at first in a folded view
    assert ZED not in visible(view)  # unlinked nodes are hidden by default
    view.page.check("#opt-unlinked")
    assert ZED in visible(view)
    assert_quiet(view)


def test_view_archive_folded_edge_lists_its_evidence_once_and_unfolds(opened) -> None:
    view = opened()
    [pair] = [e["id"] for e in edges(view) if {e["from"], e["to"]} == {ANNA, BORIS}]
    view.click_edge(pair)
    details = view.page.locator("#details")
    text = details.inner_text()
    assert text.count(SENTENCE) == 1  # two articles, the same words: told once
    assert "Calls in spring" in text and "Calls again" in text  # with both articles
    assert "Boris called Anna." in text and "Anna rang Boris." in text
    assert sorted(view.evaluate("kgView.focus()")) == sorted([ANNA, BORIS])  # all else dimmed
    view.page.click("#expand-pair")
    ids = {e["id"] for e in edges(view)}
    assert not any(i.startswith("pair:") and ANNA in i and BORIS in i for i in ids)
    assert {"e1", "e2", "e3"} <= set(view.evaluate("kgNetwork.body.data.nodes.getIds()"))
    view.click_node("e1")
    assert "Fold back into one edge" in details.inner_text()
    view.page.get_by_role("button", name="Fold back into one edge").click()
    assert "e1" not in set(view.evaluate("kgNetwork.body.data.nodes.getIds()"))
    view.page.uncheck("#opt-fold")  # every event as a node
    assert {"e1", "e2", "e3", "e4"} <= set(view.evaluate("kgNetwork.body.data.nodes.getIds()"))
    assert_quiet(view)


def test_view_archive_legend_and_filters_hide_without_a_new_page(opened) -> None:
    view = opened()
    count = lambda: int(view.evaluate("document.body.dataset.edges"))  # noqa: E731
    start = count()
    view.page.click('#legend li[data-type="Country"]')
    assert ALPHA not in visible(view) and count() < start
    view.page.click('#legend li[data-type="Country"]')
    assert ALPHA in visible(view) and count() == start
    view.page.click('#legend li[data-type="Thing"]')  # hidden at first: shown on a click
    assert ACCORD in visible(view)
    assert any(e["label"] == "sign" for e in edges(view))  # an open relation, labelled with its verb
    view.page.uncheck("#opt-open")
    assert not any(e["label"] == "sign" for e in edges(view))
    view.page.check("#opt-open")
    view.page.click('#families li[data-family="Consult"]')
    assert not any({e["from"], e["to"]} == {ANNA, BORIS} and "Consult" in e["label"] for e in edges(view))
    view.page.click('#families li[data-family="Consult"]')
    view.page.uncheck('#filter-modality input[value="Planned"]')
    assert not any({e["from"], e["to"]} == {ALPHA, BETA} and "Sanction" in e["label"] for e in edges(view))
    view.page.check('#filter-modality input[value="Planned"]')
    view.page.uncheck('#filter-sources input[value="Wire"]')  # e1 is told by Wire and Daily: it stays
    assert any(e["label"] == "Consult \u00d73" for e in edges(view))
    view.page.uncheck('#filter-sources input[value="Daily"]')
    assert not any(e["label"].startswith("Consult") for e in edges(view))
    assert_quiet(view)


def test_view_archive_date_range_and_timeline(opened) -> None:
    view = opened()
    bars = view.evaluate("document.querySelectorAll('#timeline-chart rect.bar').length")
    assert bars >= 3  # March's calls and July's sanction, by week
    rows = view.evaluate("Array.from(document.querySelectorAll('#timeline-entities text')).map(t => t.textContent)")
    assert rows[0].startswith("Anna Alpha") or rows[0].startswith("Boris Beta")
    view.page.locator("#date-to").fill("2")  # up to the third day with facts: March only
    view.page.wait_for_timeout(300)
    assert not any({e["from"], e["to"]} == {ALPHA, BETA} and "Sanction" in e["label"] for e in edges(view))
    assert view.page.locator("#timeline-reset").is_visible()
    view.page.click("#timeline-reset")
    assert any("Sanction" in e["label"] for e in edges(view))
    view.evaluate("document.querySelectorAll('#timeline-chart rect.bar')[0].dispatchEvent(new MouseEvent('click'))")
    assert view.evaluate("kgView.state.to") < view.evaluate("kgView.state.from") + 3  # one week kept
    assert_quiet(view)


def test_view_archive_entity_panel_lists_articles_and_facts_once(opened) -> None:
    view = opened()
    view.click_node(ANNA)
    text = view.page.locator("#details").inner_text()
    assert "Articles (2)" in text and text.count("Calls in spring") == 1
    assert "PhoneCall \u2014 Boris Beta \u00d73" in text  # three calls, one line
    assert "President Alphaland" in text
    view.page.hover("#legend")  # hovering away from the graph leaves the selection's dimming
    view.page.mouse.move(5, 5)
    assert ANNA in view.evaluate("kgView.focus()")
    assert_quiet(view)


def test_view_archive_hostile_text_in_the_new_panels_is_text(opened) -> None:
    view = opened(hostile=True)
    view.page.check("#opt-unlinked")
    view.click_node(ANNA)
    details = view.page.locator("#details")
    assert details.locator(".details-title").inner_text() == "Anna Alpha" + XSS
    assert "Calls in spring" + XSS in details.inner_text()
    [pair] = [e["id"] for e in edges(view) if {e["from"], e["to"]} == {ANNA, BORIS}]
    view.click_edge(pair)
    assert (SENTENCE + XSS) in details.inner_text()
    assert details.locator('a[href^="javascript"]').count() == 0
    sources = view.page.locator("#filter-sources").inner_text()
    assert "Wire" + XSS in sources
    names = view.evaluate("Array.from(document.querySelectorAll('#timeline-entities text')).map(t => t.textContent)")
    assert any(XSS[:10] in n for n in names) or any("Anna Alpha" in n for n in names)
    assert view.evaluate("document.querySelectorAll('img, iframe, object, svg image, svg foreignObject').length") == 0
    assert_quiet(view)
