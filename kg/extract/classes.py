"""Event classes as ontology/kg.ttl defines them: each class's parent and CAMEO codes.

The ontology is the one place the class hierarchy is written; extraction reads it from
there (which family a mode belongs to, which class a CAMEO code is).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import RDFS, SKOS, Graph, URIRef

KG_NS = "https://w3id.org/kg-news/ontology#"
EVENT = "Event"


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
def load() -> EventClasses:
    """The event classes of the shipped ontology."""
    graph = Graph().parse(data=resources.files("kg.ontology").joinpath("kg.ttl").read_bytes(), format="turtle")
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
