"""Event classes as ontology/kg.ttl defines them: each class's parent and CAMEO codes; and
the standing relations it declares.

The ontology is the one place the class hierarchy is written; extraction reads it from
there (which family a mode belongs to, which class a CAMEO code is, which relations a rule
of kg/data/links.toml may write).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import RDFS, SKOS, Graph, URIRef

KG_NS = "https://w3id.org/kg-news/ontology#"
EVENT = "Event"
STANDING = "standingRelation"


@dataclass(frozen=True)
class EventClasses:
    """The event classes by local name: parent (Event for a family), CAMEO codes."""

    parents: dict[str, str]
    cameo: dict[str, str]  # CAMEO code -> class ("041": PhoneCall, "04": Consult)

    def family(self, name: str) -> str:
        """The PLOVER family of a class: PhoneCall -> Consult; a family is its own."""
        parent = self.parents.get(name)
        return name if parent in (None, EVENT) else self.family(parent)

    def of_code(self, code: str) -> str | None:
        """The class of a CAMEO code: the longest code prefix the ontology names (1124 ->
        112 Accuse, 190 -> 19 Fight, 0874 -> 087 Retreat)."""
        for size in range(len(code), 1, -1):
            name = self.cameo.get(code[:size])
            if name is not None:
                return name
        return None

    def __contains__(self, name: str) -> bool:
        return name in self.parents


@cache
def _ontology() -> Graph:
    return Graph().parse(data=resources.files("kg.ontology").joinpath("kg.ttl").read_bytes(), format="turtle")


@cache
def standing_relations() -> frozenset[str]:
    """Local names of the properties below kg:standingRelation (locatedIn, worksFor, ...)."""
    graph, found = _ontology(), set()
    frontier = [URIRef(KG_NS + STANDING)]
    while frontier:
        for prop in graph.subjects(RDFS.subPropertyOf, frontier.pop()):
            if isinstance(prop, URIRef) and prop.startswith(KG_NS) and prop[len(KG_NS):] not in found:
                found.add(prop[len(KG_NS):])
                frontier.append(prop)
    return frozenset(found)


@cache
def load() -> EventClasses:
    """The event classes of the shipped ontology."""
    graph = _ontology()
    event = URIRef(KG_NS + EVENT)
    parents: dict[str, str] = {}
    frontier = [event]
    while frontier:
        parent = frontier.pop()
        for child in graph.subjects(RDFS.subClassOf, parent):
            if isinstance(child, URIRef) and child.startswith(KG_NS):
                parents[child[len(KG_NS):]] = parent[len(KG_NS):]
                frontier.append(child)
    cameo = {}
    for name in parents:
        for notation in graph.objects(URIRef(KG_NS + name), SKOS.notation):
            scheme, _, code = str(notation).partition(":")
            if scheme == "CAMEO":
                cameo[code] = name
    return EventClasses(parents=parents, cameo=cameo)
