"""Mentions -> entities: aliases, surname coreference and stable keys (no spaCy, no rdflib).

Within an article, "Ishiba" is "Shigeru Ishiba" and an "Ishiba" the model took for an
organisation is the person. Across articles, keys come from the gazetteer or from the
resolved name, so the same person gets the same IRI wherever they appear.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.gazetteer import Gazetteer, GazetteerEntry, slug
from kg.model import Entity

KEY_PREFIX = {"Person": "person", "Country": "country", "Organization": "org", "Location": "place", "Group": "group"}


@dataclass(frozen=True)
class Candidate:
    """A span the NER or the gazetteer found, before resolution."""

    text: str
    type: str
    start: int
    end: int
    key: str | None = None  # set when the gazetteer knows it


def resolve(candidates: Iterable[Candidate], gazetteer: Gazetteer, text: str = "") -> tuple[list[Candidate], dict[str, Entity]]:
    """Candidates with keys, and the entities they point to (by key). An acronym the article
    defines ("the Bureau of Industry and Security (BIS)") is what it defines, wherever the
    article writes it, whatever else the gazetteer knows by it."""
    cands = list(candidates)
    known = gazetteer.by_key
    persons = _person_names(cands, known)
    resolved = [_resolve_one(c, persons) for c in cands]
    defined = _defined_acronyms(resolved, text)
    resolved = [replace(c, type=defined[c.text].type, key=defined[c.text].key) if c.text in defined else c
                for c in resolved]
    entities: dict[str, Entity] = {}
    for cand in resolved:
        entities[cand.key] = _entity(cand, known, entities.get(cand.key))
    return resolved, entities


def _defined_acronyms(cands: list[Candidate], text: str) -> dict[str, Candidate]:
    """Acronym -> the name it follows in parentheses, when its letters are that name's
    initials: "Pakistan Tehreek-e-Insaf (PTI)", "the Bureau of Industry and Security (BIS)"."""
    ordered = sorted(cands, key=lambda c: c.start)
    found: dict[str, Candidate] = {}
    for name, acronym in zip(ordered, ordered[1:]):
        if text[name.end:acronym.start].strip() == "(" and text[acronym.end:acronym.end + 1] == ")" \
                and acronym.text.isupper() and _initials(name.text) == acronym.text.replace(".", ""):
            found.setdefault(acronym.text, name)
    return found


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w[0].isupper())


def _person_names(cands: list[Candidate], known: dict) -> dict[str, str]:
    """Name token (surname or given name) -> key of the one full-named person it can mean."""
    by_token: dict[str, set[str]] = {}
    for cand in cands:
        if cand.type != "Person":
            continue
        key = cand.key or f"person/{slug(cand.text)}"
        name = known[key].name if key in known else cand.text
        parts = name.split()
        if len(parts) >= 2:
            for token in (parts[-1], parts[0]):
                by_token.setdefault(token, set()).add(key)
    return {token: keys.pop() for token, keys in by_token.items() if len(keys) == 1}


def _resolve_one(cand: Candidate, persons: dict[str, str]) -> Candidate:
    if cand.key:
        return cand
    if len(cand.text.split()) == 1 and cand.text in persons:
        return replace(cand, type="Person", key=persons[cand.text])
    return replace(cand, key=f"{KEY_PREFIX[cand.type]}/{slug(cand.text)}")


def entity_of(entry: GazetteerEntry) -> Entity:
    """The entity the gazetteer knows under one key."""
    return Entity(key=entry.key, type=entry.type, name=entry.name, aliases=tuple(sorted(entry.aliases)),
                  iso3=entry.iso3, wikidata=entry.wikidata)


def _entity(cand: Candidate, known: dict, previous: Entity | None) -> Entity:
    if cand.key in known:
        return entity_of(known[cand.key])
    name = previous.name if previous and len(previous.name) >= len(cand.text) else cand.text
    aliases = sorted({*(previous.aliases if previous else ()), cand.text} - {name})
    return Entity(key=cand.key, type=cand.type, name=name, aliases=tuple(aliases))
