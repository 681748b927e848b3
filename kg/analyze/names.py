"""Entities found by the names people give them: kg:name or kg:alias in any case, or an IRI."""
from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

import networkx as nx

from kg.analyze.projection import EntityNode, is_event
from kg.errors import EntityNotFound
from kg.rdf.vocabulary import compact_iri, expand


def label(g: nx.MultiDiGraph, node: Any) -> str:
    return str(g.nodes[node].get("label") or node)


def entities(g: nx.MultiDiGraph) -> Iterator[tuple[Any, EntityNode]]:
    """Every entity node and its record, events left out."""
    for node, attrs in g.nodes(data=True):
        if not is_event(attrs):
            yield node, EntityNode.of(attrs)


def find_entities(g: nx.MultiDiGraph, name: str) -> list[str]:
    """The entities called `name`: its kg:name or a kg:alias (case-insensitive), its IRI, or
    its prefixed IRI (`person:shigeru-ishiba`). Raises EntityNotFound, with close matches."""
    wanted = name.strip().casefold()
    iri = expand(name.strip())
    found = sorted(
        node for node, entity in entities(g)
        if node == iri
        or str(entity.label or "").casefold() == wanted
        or any(alias.casefold() == wanted for alias in entity.aliases or ())
    )
    if not found:
        raise EntityNotFound(_not_found(g, name))
    return found


def find_one(g: nx.MultiDiGraph, name: str) -> str:
    """The one entity called `name`; EntityNotFound if none is, or several are."""
    found = find_entities(g, name)
    if len(found) > 1:
        options = "; ".join(f"{label(g, n)} ({compact_iri(n)})" for n in found)
        raise EntityNotFound(f"'{name}' names {len(found)} entities: {options}; give one by its IRI")
    return found[0]


def _not_found(g: nx.MultiDiGraph, name: str) -> str:
    names: dict[str, str] = {}  # casefolded name or alias -> the entity's label
    for node, entity in sorted(entities(g), key=lambda ne: str(ne[0])):
        known_as = str(entity.label if entity.label is not None else node)
        for known in (known_as, *(entity.aliases or ())):
            names.setdefault(known.casefold(), known_as)
    wanted = name.strip().casefold()
    close = difflib.get_close_matches(wanted, list(names), n=8, cutoff=0.6)
    close += sorted(k for k in names if wanted and (wanted in k or k in wanted.split()))
    labels = list(dict.fromkeys(names[k] for k in close))[:5]
    hint = ("close matches: " + ", ".join(labels)) if labels else "no close matches"
    return (f"no entity named '{name}' in the graph ({hint}); names match kg:name or kg:alias, "
            "ignoring case; `kg stats` lists the most linked entities")
