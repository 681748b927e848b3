"""The shipped vocabulary files (`ontology/kg.ttl`, `ontology/shapes.ttl`) and what is read
from them: the ontology as a named graph for the store, and the class hierarchy of events.

Everything outside extraction that needs to know that a PhoneCall is a Consult asks
`event_parents`, so the hierarchy is written once, in kg.ttl.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

from rdflib import RDFS, Graph, URIRef

from kg.errors import KGError
from kg.rdf.vocabulary import KG, ONTOLOGY_IRI

ONTOLOGY_PACKAGE = "kg.ontology"
ONTOLOGY_FILE = "kg.ttl"
SHAPES_FILE = "shapes.ttl"


def load_ontology() -> Graph:
    """The kg ontology (`ontology/kg.ttl`), freshly parsed."""
    return _load(ONTOLOGY_FILE)


def load_shapes() -> Graph:
    """The kg SHACL shapes (`ontology/shapes.ttl`), freshly parsed."""
    return _load(SHAPES_FILE)


def ontology_graph() -> Graph:
    """The ontology as the store keeps it: a graph named `ONTOLOGY_IRI`."""
    graph = Graph(identifier=ONTOLOGY_IRI)
    graph.parse(data=ontology_text(), format="turtle")
    return graph


def ontology_text() -> str:
    """The Turtle text of `ontology/kg.ttl`."""
    return _read(ONTOLOGY_FILE)


@cache
def cached_ontology() -> Graph:
    """Parsed once per process, for readers that never change it (pySHACL, `event_parents`)."""
    return load_ontology()


@cache
def cached_shapes() -> Graph:
    return load_shapes()


@cache
def event_parents() -> dict[str, str]:
    """Each kg event class, by local name, and its parent class: `{"PhoneCall": "Consult",
    "Consult": "Event", ...}` (a class with two event parents keeps the last, in IRI order)."""
    graph = cached_ontology()
    events = {URIRef(KG.Event)}
    grown = True
    while grown:
        found = {c for p in events for c in graph.subjects(RDFS.subClassOf, p) if _is_kg(c)}
        grown = not found <= events
        events |= found
    pairs = sorted((c, p) for c, p in graph.subject_objects(RDFS.subClassOf) if _is_kg(c) and p in events)
    return {_local(c): _local(p) for c, p in pairs}


def _is_kg(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(KG._NS))


def _local(term: URIRef) -> str:
    return str(term)[len(str(KG._NS)):]


def _read(filename: str) -> str:
    try:
        return resources.files(ONTOLOGY_PACKAGE).joinpath(filename).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise KGError(
            f"cannot read {filename} from the {ONTOLOGY_PACKAGE} package ({error}). "
            "Install kg (`pip install -e .` in a checkout) so that the ontology/ folder is importable."
        ) from error


def _load(filename: str) -> Graph:
    return Graph().parse(data=_read(filename), format="turtle")
