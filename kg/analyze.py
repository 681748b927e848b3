"""The RDF graph projected into networkx, for views and graph analytics."""
from __future__ import annotations

import networkx as nx

from kg.query import compact
from kg.store import GraphStore

ENTITY_TYPES = ("Person", "Country", "Organization", "Location", "Group")

ENTITIES = """
SELECT ?node ?type ?name WHERE {
  VALUES ?type { kg:Person kg:Country kg:Organization kg:Location kg:Group }
  ?node a ?type ; kg:name ?name .
}"""

EVENTS = """
SELECT ?event ?type ?label ?modality ?date ?time ?sentence ?confidence ?rule ?title ?url WHERE {
  ?event kg:trigger ?trigger ; a ?type ; rdfs:label ?label ; kg:modality ?modality ; kg:evidence ?ev .
  ?ev kg:sentence ?sentence ; kg:confidence ?confidence ; kg:rule ?rule ; kg:article ?article .
  ?article kg:title ?title .
  OPTIONAL { ?article kg:url ?url }
  OPTIONAL { ?event kg:date ?date }
  OPTIONAL { ?event kg:timeText ?time }
}"""

EVENT_ROLES = """
SELECT ?event ?role ?actor WHERE {
  VALUES ?role { kg:agent kg:target kg:place }
  ?event kg:trigger ?trigger ; ?role ?actor .
}"""

SHORTCUTS = """
SELECT ?s ?p ?o (SAMPLE(?sentence) AS ?evidence) (SAMPLE(?title) AS ?source) (SAMPLE(?url) AS ?link)
       (MAX(?confidence) AS ?conf) (SAMPLE(?date) AS ?when) WHERE {
  ?p kg:shortcutOf ?pattern .
  ?s ?p ?o .
  OPTIONAL {
    ?event kg:participant ?s, ?o ; kg:modality kg:Happened ; kg:evidence ?ev .
    ?ev kg:sentence ?sentence ; kg:confidence ?confidence ; kg:article ?article .
    ?article kg:title ?title .
    OPTIONAL { ?article kg:url ?url }
    OPTIONAL { ?event kg:date ?date }
  }
} GROUP BY ?s ?p ?o"""

ROLES = """
SELECT ?person ?org ?title ?sentence ?confidence ?source ?url WHERE {
  ?person kg:holdsRole ?role .
  ?role kg:roleTitle ?title ; kg:roleOf ?org ; kg:evidence ?ev .
  ?ev kg:sentence ?sentence ; kg:confidence ?confidence ; kg:article ?article .
  ?article kg:title ?source .
  OPTIONAL { ?article kg:url ?url }
}"""


def _text(term) -> str | None:
    return None if term is None else str(term)


def project(store: GraphStore, *, events: bool = True) -> nx.MultiDiGraph:
    """Entities as nodes; roles and either event nodes (n-ary) or shortcut edges (simple)."""
    graph = nx.MultiDiGraph()
    for node, kind, name in store.query(ENTITIES).rows:
        graph.add_node(str(node), label=str(name), type=compact(kind).split(":", 1)[1])
    for person, org, title, sentence, confidence, source, url in store.query(ROLES).rows:
        graph.add_edge(str(person), str(org), relation=str(title), sentence=str(sentence),
                       confidence=float(confidence), article_title=str(source), article_url=_text(url))
    if events:
        _add_events(store, graph)
    else:
        _add_shortcuts(store, graph)
    return graph


def _add_events(store: GraphStore, graph: nx.MultiDiGraph) -> None:
    details = {}
    for event, kind, label, modality, date, time, sentence, confidence, rule, title, url in store.query(EVENTS).rows:
        event_type = compact(kind).split(":", 1)[1]
        details.setdefault(str(event), dict(
            label=str(label), type="Event", event_type=event_type, modality=compact(modality).split(":", 1)[1],
            date=_text(date) or _text(time), sentence=str(sentence), confidence=float(confidence),
            rule=str(rule), article_title=str(title), article_url=_text(url),
        ))
    for event, info in details.items():
        graph.add_node(event, **{k: v for k, v in info.items() if k in ("label", "type", "event_type", "modality", "date")})
    for event, role, actor in store.query(EVENT_ROLES).rows:
        info = details.get(str(event))
        if info is None or str(actor) not in graph:
            continue
        relation = compact(role).split(":", 1)[1]
        source, target = (str(actor), str(event)) if relation == "agent" else (str(event), str(actor))
        graph.add_edge(source, target, relation=relation, sentence=info["sentence"], date=info["date"],
                       confidence=info["confidence"], rule=info["rule"], article_title=info["article_title"],
                       article_url=info["article_url"])


def _add_shortcuts(store: GraphStore, graph: nx.MultiDiGraph) -> None:
    for s, p, o, sentence, source, url, conf, date in store.query(SHORTCUTS).rows:
        if str(s) in graph and str(o) in graph:
            graph.add_edge(str(s), str(o), relation=compact(p).split(":", 1)[1], sentence=_text(sentence),
                           article_title=_text(source), article_url=_text(url),
                           confidence=float(conf) if conf is not None else None, date=_text(date))
