"""The interactive view: page structure and escaping here, then the page in a real Chromium
(the folded view's interactions on a larger archive are in test_view_archive.py)."""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg.analyze import EntityNode, EventNode, FactEdge, Selection, project, select
from kg.errors import KGError
from kg.model import EntityType, Evidence, Role
from kg.rdf.iris import entity_iri, event_iri, role_iri, topic_iri
from kg.views import (
    FAMILY_COLOURS,
    TYPE_COLOURS,
    ViewSummary,
    build_network,
    render_html,
    write_store_view,
    write_view,
)
from kg.analyze.projection import event_pairs



def iri(key: str) -> str:
    """An entity's IRI as kg mints it from its key ("country/JPN")."""
    return str(entity_iri(key))


SEED_ARTICLE = "42b68af8222b094e"
ISHIBA = iri("person/shigeru-ishiba")
TRUMP = iri("person/donald-trump")
AKAZAWA = iri("person/ryosei-akazawa")
JAPAN = iri("country/JPN")
USA = iri("country/USA")
CALL = str(event_iri(SEED_ARTICLE, (39, 49)))
TARIFFS = str(topic_iri("tariffs"))
PM = str(role_iri(Role(person="person/shigeru-ishiba", title="Prime Minister", of="country/JPN", leader=True,
                       evidence=Evidence(SEED_ARTICLE, "", 0, 14, "role.title_of.v1", 0.9))))
WASHINGTON = iri("place/washington")

CALL_SENTENCE = (
    "Japanese Prime Minister Shigeru Ishiba spoke with U.S. President Donald Trump for 45 "
    "minutes on Friday, addressing key topics including tariffs, diplomacy, and regional "
    "security."
)
ARTICLE = {
    "article_title": "Ishiba and Trump discuss tariffs in 45-minute call",
    "article_url": "https://example.org/news/ishiba-trump-call",
    "date": "2025-05-23",
}

XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_SCRIPT = "</script><script>window.__xss=1</script>"
XSS_ALERT = "<script>alert(1)</script>"


def entity(label: str, kind: str) -> dict:
    return EntityNode(label=label, type=kind).attrs()


def fact(kind: str, relation: str, **evidence) -> dict:
    return FactEdge(kind=kind, relation=relation, **evidence).attrs()


def seed_graph(*, reverse: bool = False) -> nx.MultiDiGraph:
    """The seed story, in the projection's records: Ishiba and Trump's phone call, with
    roles, countries, and (as a view may also be given) a topic and a role as nodes."""
    nodes = [
        (ISHIBA, entity("Shigeru Ishiba", EntityType.PERSON)),
        (TRUMP, entity("Donald Trump", EntityType.PERSON)),
        (AKAZAWA, entity("Ryosei Akazawa", EntityType.PERSON)),
        (JAPAN, entity("Japan", EntityType.COUNTRY)),
        (USA, entity("United States", EntityType.COUNTRY)),
        (CALL, EventNode(label="Phone call", event_type="PhoneCall", modality="asserted",
                         date="2025-05-23", when="2025-05-23", sentence=CALL_SENTENCE, confidence=0.92,
                         article_title=ARTICLE["article_title"], article_url=ARTICLE["article_url"]).attrs()),
        (TARIFFS, entity("tariffs", "Topic")),
        (PM, entity("Prime Minister of Japan", "Role")),
        (WASHINGTON, entity("Washington", EntityType.LOCATION)),
    ]
    edges = [
        (ISHIBA, TRUMP, fact("shortcut", "spokeWith", sentence=CALL_SENTENCE, confidence=0.92,
                             rule="consult.spoke_with.v1", **ARTICLE)),
        (ISHIBA, CALL, fact("event", "agent", sentence=CALL_SENTENCE, **ARTICLE)),
        (TRUMP, CALL, fact("event", "agent", sentence=CALL_SENTENCE, **ARTICLE)),
        (CALL, TARIFFS, fact("event", "topic", sentence=CALL_SENTENCE, **ARTICLE)),
        (ISHIBA, PM, fact("role", "holdsRole", sentence=CALL_SENTENCE, **ARTICLE)),
        (PM, JAPAN, fact("role", "roleOf")),
        (TRUMP, USA, fact("shortcut", "leaderOf")),
        (AKAZAWA, JAPAN, fact("shortcut", "negotiatorFor")),
        (AKAZAWA, WASHINGTON, fact("shortcut", "plansVisit", confidence=0.7)),
    ]
    g = nx.MultiDiGraph()
    g.add_nodes_from(reversed(nodes) if reverse else nodes)
    g.add_edges_from(reversed(edges) if reverse else edges)
    return g


HOSTILE = iri("person/hostile")
HOSTILE_2 = iri("person/hostile-2")
HOSTILE_3 = iri("person/hostile-3")
HOSTILE_LABEL = XSS_IMG


def hostile_graph() -> nx.MultiDiGraph:
    """Every untrusted field carries markup, script-closing text or broken values."""
    g = nx.MultiDiGraph()
    g.add_node(HOSTILE, label=XSS_IMG, type="Person", date=XSS_ALERT, aliases=(XSS_SCRIPT, "evil\u2028twin"))
    g.add_node(HOSTILE_2, label=XSS_SCRIPT, type='<b onmouseover="window.__xss=1">Evil</b>')
    g.add_node(HOSTILE_3, label="line\u2028sep\u2029 & \"quotes\" ${x} {{y}} \ud800", type="Event",
               event_type=XSS_ALERT)
    g.add_edge(HOSTILE, HOSTILE_2, relation=XSS_ALERT, sentence=XSS_SCRIPT + XSS_IMG,
               article_title=XSS_IMG, article_url="javascript:window.__xss=1",
               date="<svg onload=window.__xss=1>", confidence=float("nan"))
    g.add_edge(HOSTILE_2, HOSTILE_3, relation="spokeWith", sentence="--><!--<script>",
               article_title="t", article_url='https://example.org/"><script>x</script>',
               confidence="high")
    return g


def random_graph(n: int, *, seed: int = 7) -> nx.MultiDiGraph:
    rnd = random.Random(seed)
    types = [*TYPE_COLOURS, "Unknown"]
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(iri(f"group/n{i}"), label=f"Node {i}", type=rnd.choice(types))
    for i in range(1, n):
        g.add_edge(iri(f"group/n{i}"), iri(f"group/n{rnd.randrange(i)}"), relation="mentions")
    return g


class TagCollector(HTMLParser):
    """Start tags as a browser's tokenizer sees them (script content is raw text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def start_tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = TagCollector()
    collector.feed(page)
    collector.close()
    return collector.tags


def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


# --- the page, without a browser ----------------------------------------------------------


def test_view_page_is_self_contained() -> None:
    page = render_html(build_network(seed_graph()))
    tags = start_tags(page)
    assert [attrs for _, attrs in tags if {"src", "href"} & set(attrs)] == []
    assert [tag for tag, _ in tags if tag in ("link", "img", "iframe", "object", "embed")] == []
    assert [attrs for tag, attrs in tags if tag == "script"] == [
        {"type": "application/json", "id": "kg-data"}, {}, {}
    ]
    assert not re.search(r"\b(cdn|unpkg|jsdelivr|bootstrap|tom-select)\b", page, re.I)
    assert "vis-network" in page and "vis.Network" in page  # the library, inlined
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src &#x27;none&#x27;" in csp
    assert "img-src data:" in csp


def test_view_output_is_deterministic() -> None:
    first = render_html(build_network(seed_graph()))
    again = render_html(build_network(seed_graph(reverse=True)))
    assert first == again
    large = random_graph(300)
    assert render_html(build_network(large, seed=3)) == render_html(build_network(large, seed=3))


@pytest.mark.slow
def test_view_layout_does_not_depend_on_thread_count() -> None:
    """BLAS sums in an order that depends on its threads; the layout must not use it.

    3,000 nodes: below about 2,000 OpenBLAS runs the product on one thread anyway."""
    script = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]); "
        "from test_view import random_graph; from kg.views import build_network, render_html; "
        "print(hashlib.sha256(render_html(build_network(random_graph(3000))).encode()).hexdigest())"
    )
    digests = set()
    for threads in ("1", "2"):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads}
        run = subprocess.run(
            [sys.executable, "-c", script, str(Path(__file__).parent)],
            env=env, capture_output=True, text=True, check=True,
        )
        digests.add(run.stdout.strip())
    assert len(digests) == 1


def test_view_nodes_carry_type_importance_community_and_place() -> None:
    net = build_network(seed_graph())
    nodes = {n["id"]: n for n in net.nodes}
    assert CALL not in nodes  # events are drawn by the page, from their records
    assert nodes[ISHIBA]["kg"]["label"] == "Shigeru Ishiba" and nodes[ISHIBA]["kg"]["type"] == "Person"
    assert nodes[JAPAN]["kg"]["type"] == "Country" and nodes[TARIFFS]["kg"]["type"] == "Topic"
    assert nodes[ISHIBA]["kg"]["importance"] > nodes[WASHINGTON]["kg"]["importance"]
    assert nodes[ISHIBA]["value"] > nodes[WASHINGTON]["value"]  # sized by rank
    assert nodes[ISHIBA]["kg"]["community"] == nodes[TRUMP]["kg"]["community"]
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in net.nodes)
    assert net.options["physics"] == {"enabled": False}


def test_view_events_carry_their_roles_family_and_readings() -> None:
    data = page_data(render_html(build_network(seed_graph())))
    [call] = data["events"]
    assert call["id"] == CALL and call["eventType"] == "PhoneCall"
    assert call["roles"] == {"agent": sorted([ISHIBA, TRUMP]), "topic": [TARIFFS]}
    [reading] = call["evidence"]
    assert reading["sentence"] == CALL_SENTENCE
    assert data["articles"][reading["article"]]["title"] == ARTICLE["article_title"]
    assert data["fold"] is False  # one event: drawn as a node
    links = {(link["from"], link["to"], link["relation"]): link for link in data["links"]}
    spoke = links[(ISHIBA, TRUMP, "spokeWith")]
    assert spoke["kind"] == "shortcut" and spoke["evidence"][0]["confidence"] == 0.92
    assert data["articles"][spoke["evidence"][0]["article"]]["url"] == ARTICLE["article_url"]
    assert links[(ISHIBA, PM, "holdsRole")]["family"] == "Role"


def test_view_folded_event_pairs() -> None:
    assert event_pairs({"agent": ["a"], "target": ["b", "c"], "place": ["p"]}) == [("a", "b"), ("a", "c")]
    assert event_pairs({"agent": ["a"], "place": ["p"]}) == [("a", "p")]
    assert event_pairs({"agent": ["a", "b"]}) == [("a", "b")]
    assert event_pairs({"agent": ["a"], "object": ["thing"]}) == [("a", "thing")]
    assert event_pairs({"agent": ["a"]}) == []


def test_view_folds_many_events_and_hides_things_then() -> None:
    g = seed_graph()
    for i in range(320):
        event = f"{CALL}-{i}"
        g.add_node(event, **EventNode(label="call", event_type="PhoneCall", modality="Happened").attrs())
        g.add_edge(ISHIBA, event, **fact("event", "agent"))
        g.add_edge(event, TRUMP, **fact("event", "target"))
    data = page_data(render_html(build_network(g)))
    assert data["fold"] is True and data["hiddenTypes"] == ["Thing"]
    assert page_data(render_html(build_network(g, fold=False)))["fold"] is False
    assert len(page_data(render_html(build_network(seed_graph(), fold=True)))["events"]) == 1


def test_view_leaves_open_relations_out_when_asked() -> None:
    g = seed_graph()
    thing = iri("thing/accord")
    g.add_node(thing, **EntityNode(label="Accord", type="Thing").attrs())
    g.add_node("sign", **EventNode(label="sign: Ishiba – Accord", event_type="Action", lemma="sign",
                                   modality="Happened").attrs())
    g.add_edge(ISHIBA, "sign", **fact("event", "agent"))
    g.add_edge("sign", thing, **fact("event", "object"))
    data = page_data(render_html(build_network(g)))
    [sign] = [e for e in data["events"] if e["eventType"] == "Action"]
    assert (sign["lemma"], sign["family"], sign["roles"]["object"]) == ("sign", "Action", [thing])
    assert {n["id"]: n["kg"]["type"] for n in data["nodes"]}[thing] == "Thing"
    without = page_data(render_html(build_network(g, open_relations=False)))
    assert [e["eventType"] for e in without["events"]] == ["PhoneCall"]


def test_view_legends_list_types_and_families_present() -> None:
    page = render_html(build_network(seed_graph()))
    legend = re.search(r'<section id="legend".*?</section>', page, re.S).group(0)
    for kind in ("Person", "Country", "Topic", "Role", "Location"):
        assert f'data-type="{kind}"' in legend
        assert TYPE_COLOURS[kind] in legend
    assert 'data-type="Organization"' not in legend
    families = re.search(r'<section id="families".*?</section>', page, re.S).group(0)
    assert 'data-family="PhoneCall"' in families and 'data-family="Role"' in families
    assert FAMILY_COLOURS["Role"] in families


def test_view_hostile_text_cannot_leave_the_data_block() -> None:
    page = render_html(build_network(hostile_graph(), title=XSS_SCRIPT))
    assert "<img" not in page and "<b " not in page
    assert "window.__xss=1</script>" not in page
    tags = start_tags(page)
    assert [tag for tag, _ in tags].count("script") == 3
    assert not {"img", "b"} & {tag for tag, _ in tags}
    assert [a["id"] for tag, a in tags if tag == "svg"] == ["timeline-chart", "timeline-entities"]
    assert len(re.findall(r"</script", page, re.I)) == 3
    assert "<title>&lt;/script&gt;&lt;script&gt;window.__xss=1&lt;/script&gt;</title>" in page
    data = page_data(page)
    labels = {n["id"]: n["kg"]["label"] for n in data["nodes"]}
    assert labels[HOSTILE] == XSS_IMG and labels[HOSTILE_2] == XSS_SCRIPT
    assert {n["id"]: n["kg"]["type"] for n in data["nodes"]}[HOSTILE_2] == "Other"


def test_view_unsafe_values_are_dropped() -> None:
    data = page_data(render_html(build_network(hostile_graph())))
    [link] = data["links"]
    [reading] = link["evidence"]
    assert "url" not in data["articles"][reading["article"]]  # javascript: is never linked
    assert "confidence" not in reading
    [event] = data["events"]
    assert event["roles"] == {"spokeWith": [HOSTILE_2]}
    label = {n["id"]: n["kg"]["label"] for n in data["nodes"]}[HOSTILE]
    assert label == XSS_IMG
    assert "\ud800" not in event["label"] and "\u2028" not in event["label"]


def test_view_sizes_by_pagerank() -> None:
    g = nx.MultiDiGraph()
    for i in range(5):
        g.add_edge(iri(f"person/leaf{i}"), iri("person/hub"), relation="mentions")
    g.add_edge(iri("person/hub"), iri("person/sink"), relation="mentions")
    sizes = {n["id"]: n["size_measure"] for n in build_network(g, size_by="pagerank").nodes}
    assert sum(sizes.values()) == pytest.approx(len(sizes), rel=1e-3)
    # The sink has one link against the hub's six, but it is all the hub points to.
    assert sizes[iri("person/sink")] > sizes[iri("person/hub")] > sizes[iri("person/leaf4")]
    assert sizes[iri("person/leaf0")] == sizes[iri("person/leaf4")]


def test_view_unknown_size_measure_lists_the_options() -> None:
    with pytest.raises(KGError, match="choose one of degree, pagerank"):
        build_network(seed_graph(), size_by="betweenness")


def test_view_layout_keeps_links_short_and_communities_together() -> None:
    g = random_graph(400)
    g.remove_nodes_from([n for n, a in list(g.nodes(data=True)) if a["type"] == "Event"])
    net = build_network(g)
    pos = {n["id"]: (n["x"], n["y"]) for n in net.nodes}
    community = {n["id"]: n["kg"].get("community") for n in net.nodes}
    assert len(set(pos.values())) == len(pos)

    def dist(a: str, b: str) -> float:
        (ax, ay), (bx, by) = pos[a], pos[b]
        return ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5

    linked = sum(dist(u, v) for u, v in g.edges()) / g.number_of_edges()
    rnd = random.Random(1)
    ids = sorted(pos)
    pairs = [(rnd.choice(ids), rnd.choice(ids)) for _ in range(3000)]
    unlinked = sum(dist(a, b) for a, b in pairs) / len(pairs)
    assert linked < unlinked / 2
    same = [dist(a, b) for a, b in pairs if community[a] is not None and community[a] == community[b]]
    apart = [dist(a, b) for a, b in pairs if community[a] != community[b]]
    assert sum(same) / len(same) < 0.6 * sum(apart) / len(apart)


def test_view_keeps_most_linked_nodes_above_max(tmp_path: Path) -> None:
    summary = write_view(seed_graph(), tmp_path / "view.html", max_nodes=4)
    assert (summary.nodes, summary.dropped_nodes, summary.events) == (4, 4, 1)
    page = summary.path.read_text(encoding="utf-8")
    kept = {n["id"] for n in page_data(page)["nodes"]}
    assert kept == {ISHIBA, TRUMP, JAPAN, AKAZAWA}  # most links, then the first by IRI
    notice = re.search(r'<p id="notice"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert "4 best-connected of 8 nodes" in notice and "4 are left out" in notice
    assert "kg view --focus NAME --hops N" in notice


def test_view_no_notice_when_everything_is_shown(tmp_path: Path) -> None:
    summary = write_view(seed_graph(), tmp_path / "view.html")
    assert summary == ViewSummary(nodes=8, edges=7, dropped_nodes=0, path=tmp_path / "view.html",
                                  events=1, links=6, folded=False)
    assert 'id="notice"' not in summary.path.read_text(encoding="utf-8")


def test_view_unwritable_path_is_reported(tmp_path: Path) -> None:
    with pytest.raises(KGError, match="cannot write the view to"):
        write_view(seed_graph(), tmp_path / "missing" / "view.html")


def test_view_render_needs_a_built_network() -> None:
    from pyvis.network import Network

    with pytest.raises(KGError, match="build_network"):
        render_html(Network())


def test_view_empty_graph_renders() -> None:
    page = render_html(build_network(nx.MultiDiGraph()))
    assert page_data(page)["nodes"] == []
    assert "No nodes." in page


# --- the page in Chromium -----------------------------------------------------------------


def assert_quiet(view) -> None:
    assert view.console_errors == []
    assert view.page_errors == []
    assert view.dialogs == []
    assert view.blocked == []
    assert view.outside_requests() == []


def test_view_draws_seed_graph_in_browser(tmp_path: Path, view_page) -> None:
    path = write_view(seed_graph(), tmp_path / "seed.html", title="Ishiba and Trump").path
    view = view_page(path)
    assert view.canvas_ink() > 2000
    ids = set(view.evaluate("kgNetwork.body.data.nodes.getIds()"))
    assert {ISHIBA, TRUMP, JAPAN, USA, CALL} <= ids  # the one event, unfolded, as a node
    assert int(view.evaluate("document.body.dataset.labels")) >= 5  # labels drawn, none over another
    legend = view.page.inner_text("#legend")
    for kind in ("Person", "Country", "Topic", "Role", "Location"):
        assert kind in legend
    assert view.evaluate("kgNetwork.physics.options.enabled") is False
    assert view.page.title() == "Ishiba and Trump"
    assert view.evaluate("document.querySelectorAll('#timeline-chart rect').length") >= 1
    assert_quiet(view)


def test_view_drawing_is_the_same_each_time(tmp_path: Path, view_page) -> None:
    path = write_view(seed_graph(), tmp_path / "seed.html").path
    positions = "JSON.stringify(kgNetwork.getPositions())"
    assert view_page(path).evaluate(positions) == view_page(path).evaluate(positions)


def test_view_edge_click_and_hover_show_evidence(tmp_path: Path, view_page) -> None:
    view = view_page(write_view(seed_graph(), tmp_path / "seed.html").path)
    edge_id = view.evaluate(
        "kgNetwork.body.data.edges.get({filter: e => e.label === 'spokeWith'})[0].id"
    )
    view.click_edge(edge_id)
    details = view.page.locator("#details")
    assert CALL_SENTENCE in details.inner_text()
    assert "Shigeru Ishiba → spokeWith → Donald Trump" in details.inner_text()
    link = details.locator("a")
    assert link.get_attribute("href") == ARTICLE["article_url"]
    assert link.inner_text() == ARTICLE["article_title"]
    assert sorted(view.evaluate("kgView.focus()")) == sorted([ISHIBA, TRUMP])  # the rest is dimmed

    view.page.mouse.move(0, 0)
    view.click_edge(edge_id)  # the pointer now rests on the edge: vis shows its tooltip
    tooltip = view.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert CALL_SENTENCE in tooltip.inner_text()
    assert "confidence 0.92" in tooltip.inner_text()

    view.click_node(CALL)
    text = details.inner_text()
    assert "PhoneCall" in text and "Agent" in text and "Donald Trump, Shigeru Ishiba" in text
    assert "asserted" in text
    assert_quiet(view)


def test_view_hostile_graph_runs_no_script(tmp_path: Path, view_page) -> None:
    path = write_view(hostile_graph(), tmp_path / "hostile.html", title=XSS_SCRIPT).path
    view = view_page(path)
    assert view.evaluate("typeof window.__xss") == "undefined"
    labels = view.evaluate(
        "Object.fromEntries(kgNetwork.body.data.nodes.get().map(n => [n.id, n.kg.label]))"
    )
    assert labels[HOSTILE] == XSS_IMG
    assert labels[HOSTILE_2] == XSS_SCRIPT
    assert view.page.title() == XSS_SCRIPT

    view.click_node(HOSTILE)
    details = view.page.locator("#details")
    assert details.locator(".details-title").inner_text() == XSS_IMG
    assert XSS_SCRIPT in details.inner_text()  # its hostile alias, as text
    edge_id = view.evaluate("kgNetwork.body.data.edges.get({filter: e => e.id.startsWith('link:')})[0].id")
    view.click_edge(edge_id)
    assert XSS_SCRIPT + XSS_IMG in details.inner_text()
    assert details.locator("a").count() == 0  # the javascript: URL is not a link
    tooltip = view.page.locator("div.vis-tooltip")  # the pointer rests on the edge
    tooltip.wait_for(state="visible", timeout=5000)
    assert XSS_SCRIPT + XSS_IMG in tooltip.inner_text()
    assert tooltip.locator("a").count() == 0
    view.click_node(HOSTILE_3)  # the hostile event's panel
    assert XSS_ALERT in details.inner_text()

    assert view.evaluate("document.querySelectorAll('img, b, iframe, script:not([id]) ~ svg').length") == 0
    assert view.evaluate("document.querySelectorAll('svg *:not(rect):not(text):not(title)').length") == 0
    assert view.evaluate("document.scripts.length") == 3
    assert view.evaluate("typeof window.__xss") == "undefined"
    assert_quiet(view)


def test_view_large_graph_draws_without_physics(tmp_path: Path, view_page) -> None:
    g = random_graph(600)
    entities = sum(1 for _, a in g.nodes(data=True) if a["type"] != "Event")
    summary = write_view(g, tmp_path / "large.html", max_nodes=500)
    view = view_page(summary.path)
    assert view.canvas_ink() > 2000
    assert view.evaluate("kgNetwork.body.data.nodes.get({filter: n => n.kg.event === undefined}).length") == 500
    assert view.evaluate("kgNetwork.physics.options.enabled") is False
    notice = view.page.inner_text("#notice")
    assert f"{entities - 500} are left out" in notice and "kg view --focus NAME --hops N" in notice
    assert_quiet(view)


# --- the seed store, filters and search -----------------------------------------------------

SEED_CALL_SENTENCE = (
    "Japanese Prime Minister Shigeru Ishiba spoke with U.S. President Donald Trump for 45 "
    "minutes on Friday, addressing key topics including tariffs, diplomacy, and regional "
    "security."
)
SEED_USA = USA


@pytest.fixture(scope="module")
def seed_projection(seed_store) -> nx.MultiDiGraph:
    return project(seed_store)


@pytest.fixture(scope="module")
def seed_call(seed_projection) -> str:
    """The IRI of the seed's Ishiba-Trump phone call."""
    g = seed_projection
    [call] = [n for n, a in g.nodes(data=True) if a.get("event_type") == "PhoneCall"
              and g.has_edge(ISHIBA, n) and g.has_edge(n, TRUMP)]
    return call


@pytest.fixture(scope="module")
def seed_view_path(seed_store, tmp_path_factory) -> Path:
    """The view of the whole seed store, written once for this module."""
    path = tmp_path_factory.mktemp("seed-view") / "seed.html"
    write_store_view(seed_store, path)
    return path


def test_view_seed_events_carry_their_evidence(seed_view_path: Path, seed_call: str) -> None:
    data = page_data(seed_view_path.read_text(encoding="utf-8"))
    call = {e["id"]: e for e in data["events"]}[seed_call]
    assert call["eventType"] == "PhoneCall" and call["family"] == "Consult"
    [reading] = call["evidence"]
    assert reading["sentence"] == SEED_CALL_SENTENCE
    assert data["articles"][reading["article"]]["title"].startswith("Japanese Prime Minister Shigeru Ishiba")
    assert 0 < reading["confidence"] <= 1 and reading["rule"]
    assert call["label"].startswith("PhoneCall: Shigeru Ishiba")
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[ISHIBA]["kg"]["aliases"] == ["Ishiba"]
    assert [data["articles"][i]["title"] for i in nodes[ISHIBA]["kg"]["articles"]]  # the articles naming him
    actions = [e for e in data["events"] if e["eventType"] == "Action"]
    assert {"sign", "pay"} <= {e["lemma"] for e in actions}  # the seed's open relations


def test_view_page_shows_what_the_selection_keeps(seed_store, seed_projection, tmp_path: Path) -> None:
    selection = Selection(focus=("Shigeru Ishiba",), hops=1, types=("Person", "Country"))
    summary = write_store_view(seed_store, tmp_path / "focus.html", selection=selection)
    page = summary.path.read_text(encoding="utf-8")
    shown = {n["id"] for n in page_data(page)["nodes"]}
    kept = select(seed_projection, selection)
    assert shown == {n for n, a in kept.nodes(data=True) if a["type"] != "Event"}
    assert {ISHIBA, TRUMP, SEED_USA} <= shown
    assert "<title>kg: focus Shigeru Ishiba (1 hop) · Person, Country</title>" in page


def test_view_filters_run_before_max_nodes(seed_store, tmp_path: Path) -> None:
    places = write_store_view(seed_store, tmp_path / "places.html",
                              selection=Selection(types=("Location",)), max_nodes=7)
    page = places.path.read_text(encoding="utf-8")
    kinds = Counter(n["kg"]["type"] for n in page_data(page)["nodes"])
    assert kinds["Location"] == 4 and places.dropped_nodes == 0
    assert 'id="notice"' not in page
    everything = write_store_view(seed_store, tmp_path / "all.html", max_nodes=7)
    kept = {n["id"] for n in page_data(everything.path.read_text(encoding="utf-8"))["nodes"]}
    assert SEED_USA in kept and everything.dropped_nodes > 0  # unfiltered, the hubs win


def test_view_search_box_is_in_the_page() -> None:
    tags = start_tags(render_html(build_network(seed_graph())))
    [box] = [attrs for tag, attrs in tags if tag == "input" and attrs.get("type") == "search"]
    assert box["id"] == "search-input"
    [results] = [attrs for tag, attrs in tags if attrs.get("id") == "search-results"]
    assert results["role"] == "listbox" and "hidden" in results


def test_view_hostile_aliases_stay_in_the_data_block() -> None:
    page = render_html(build_network(hostile_graph()))
    aliases = {n["id"]: n["kg"].get("aliases") for n in page_data(page)["nodes"]}
    assert aliases[HOSTILE] == [XSS_SCRIPT, "evil twin"]  # sorted; the line separator is a space
    assert len(re.findall(r"</script", page, re.I)) == 3


def test_view_seed_store_call_shows_its_evidence_in_browser(
    seed_view_path: Path, seed_call: str, view_page
) -> None:
    view = view_page(seed_view_path)
    assert view.canvas_ink() > 2000
    ids = set(view.evaluate("kgNetwork.body.data.nodes.getIds()"))
    assert {ISHIBA, TRUMP, seed_call} <= ids
    details = view.page.locator("#details")

    view.click_node(seed_call)
    text = details.inner_text()
    assert SEED_CALL_SENTENCE in text
    assert "PhoneCall (Consult)" in text and "confidence" in text

    edge_id = view.evaluate(
        "([from, to]) => kgNetwork.body.data.edges.get({filter: e => e.from === from && e.to === to})[0].id",
        [ISHIBA, seed_call],
    )
    view.page.mouse.click(1, 1)  # clear the selection first
    view.click_edge(edge_id)
    assert details.locator(".details-title").inner_text().startswith("PhoneCall: Shigeru Ishiba")
    assert SEED_CALL_SENTENCE in details.inner_text()
    assert_quiet(view)


def focused(view, node_id: str) -> None:
    """Wait until the page has centred `node_id` (it marks the body when the animation ends)."""
    view.page.wait_for_selector(f'body[data-focused="{node_id}"]', state="attached", timeout=5000)


def centre_offset(view, node_id: str) -> float:
    """How far, in screen pixels, the node is drawn from the middle of the graph's canvas."""
    return view.evaluate(
        """(id) => {
            const dom = kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id]);
            const box = document.querySelector('#graph canvas').getBoundingClientRect();
            return Math.hypot(dom.x - box.width / 2, dom.y - box.height / 2);
        }""",
        node_id,
    )


def test_view_search_box_centres_a_node(seed_view_path: Path, view_page) -> None:
    view = view_page(seed_view_path)
    box = view.page.locator("#search-input")
    box.fill("ishiba")  # an alias, in lower case
    items = view.page.locator("#search-results li").all_inner_texts()
    assert items[0] == "Shigeru Ishiba"  # a name that starts so comes first
    box.press("Enter")
    focused(view, ISHIBA)
    assert view.evaluate("kgNetwork.getSelectedNodes()") == [ISHIBA]
    assert centre_offset(view, ISHIBA) < 6  # pixels from the middle of the drawing
    assert view.page.locator("#details .details-title").inner_text() == "Shigeru Ishiba"
    assert view.page.locator("#search-results").is_hidden()

    box.fill("trump")
    view.page.get_by_role("option", name="Donald Trump", exact=True).click()
    focused(view, TRUMP)
    assert view.evaluate("kgNetwork.getSelectedNodes()") == [TRUMP]
    assert centre_offset(view, TRUMP) < 6
    assert box.input_value() == "Donald Trump"

    box.fill("no such name")
    box.press("Enter")
    assert view.page.inner_text("#search-status") == "No node matches."
    assert_quiet(view)


def test_view_search_box_shows_hostile_labels_as_text(tmp_path: Path, view_page) -> None:
    view = view_page(write_view(hostile_graph(), tmp_path / "hostile.html").path)
    box = view.page.locator("#search-input")
    box.fill(XSS_IMG)
    assert view.page.locator("#search-results li").all_inner_texts() == [XSS_IMG]
    box.fill("</script")  # matches an alias and a label
    assert sorted(view.page.locator("#search-results li").all_inner_texts()) == sorted([XSS_IMG, XSS_SCRIPT])
    assert view.evaluate("document.querySelectorAll('#search img, #search script, #search b').length") == 0
    box.fill("")
    box.press_sequentially("<img src=x")  # typed, key by key
    box.press("Enter")
    focused(view, HOSTILE)
    assert view.page.locator("#details .details-title").inner_text() == XSS_IMG
    assert view.evaluate("document.querySelectorAll('img, b, iframe').length") == 0
    assert view.evaluate("typeof window.__xss") == "undefined"
    assert_quiet(view)
