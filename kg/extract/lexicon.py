"""Loads the relation lexicon (kg/data/lexicon.toml) into frames the event engine runs."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

ARGUMENTS = ("agent", "target", "participant", "topic", "place", "during", "goods")
FALLBACKS = {"target": "fallback_target"}  # argument -> default paths tried after the frame's own


@dataclass(frozen=True)
class Frame:
    """One trigger rule: the words, the event they signal, and where the arguments are."""

    rule: str
    lemmas: tuple[str, ...]
    pos: str
    event: str
    paths: dict[str, tuple[str, ...]]  # argument name -> dependency paths, in priority order
    shortcut: str | None = None
    symmetric: bool = False
    objects: tuple[str, ...] = ()
    complement_aux: tuple[str, ...] = ()
    governors: tuple[str, ...] = ()
    represents: bool = False
    target_from_topic: bool = False
    absorbs: tuple[str, ...] = ()  # paths to what is part of this event: events inside it are not events
    subjects: tuple[str, ...] = ()  # the trigger only fires with a subject of one of these lemmas
    clauses: tuple[str, ...] = ()  # the trigger only fires when one of these paths reaches a word ("!": none does)
    place_targets: bool = False  # a place can be the target ("shelled the town"), not only an actor
    requires_target: bool = False  # no event without a target ("what it called", not a phone call)
    confidence: float = 0.7


@dataclass(frozen=True)
class Modality:
    """Words that make an event planned, hypothetical or negated."""

    planned_aux: frozenset[str]
    hypothetical_aux: frozenset[str]
    planned_governors: frozenset[str]
    hypothetical_governors: frozenset[str]
    negating_governors: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    version: str
    frames: tuple[Frame, ...]
    parents: dict[str, str]
    modality: Modality
    light_verbs: frozenset[str]
    container_nouns: frozenset[str]
    actor_nouns: frozenset[str]
    group_nouns: frozenset[str]
    quantity_nouns: frozenset[str]
    generic_topics: frozenset[str]
    transparent_topics: frozenset[str]
    by_lemma: dict[tuple[str, str], tuple[Frame, ...]]  # (lemma, pos) -> frames to try

    def family(self, event: str) -> str:
        """The PLOVER family of an event class: PhoneCall -> Consult."""
        return self.parents.get(event, event)


def _index(frames: tuple[Frame, ...]) -> dict[tuple[str, str], tuple[Frame, ...]]:
    index: dict[tuple[str, str], list[Frame]] = {}
    for frame in frames:
        for lemma in frame.lemmas:
            index.setdefault((lemma, frame.pos), []).append(frame)
    # frames with a condition (an object, a complement) are tried before the general ones
    return {key: tuple(sorted(frames, key=lambda f: not (f.objects or f.complement_aux or f.governors or f.subjects or f.clauses))) for key, frames in index.items()}


def _frame(raw: dict, defaults: dict) -> Frame:
    pos = raw["pos"]
    own = defaults.get(pos, {})
    paths = {arg: tuple(raw.get(arg, own.get(arg, ()))) + tuple(own.get(FALLBACKS.get(arg, ""), ()))
             for arg in ARGUMENTS}
    return Frame(
        rule=raw["rule"],
        lemmas=tuple(raw["lemmas"]),
        pos=pos,
        event=raw["event"],
        paths=paths,
        shortcut=raw.get("shortcut"),
        symmetric=raw.get("symmetric", False),
        objects=tuple(raw.get("objects", ())),
        complement_aux=tuple(raw.get("complement_aux", ())),
        governors=tuple(raw.get("governors", ())),
        represents=raw.get("represents", False),
        target_from_topic=raw.get("target_from_topic", False),
        absorbs=tuple(raw.get("absorbs", ())),
        subjects=tuple(raw.get("subjects", ())),
        clauses=tuple(raw.get("clauses", ())),
        place_targets=raw.get("place_targets", False),
        requires_target=raw.get("requires_target", False),
        confidence=float(raw.get("confidence", 0.7)),
    )


def parse(data: dict) -> Lexicon:
    """A Lexicon from the parsed TOML."""
    mod = data["modality"]
    frames = tuple(_frame(raw, data.get("defaults", {})) for raw in data["trigger"])
    return Lexicon(
        version=str(data["version"]),
        frames=frames,
        by_lemma=_index(frames),
        parents=dict(data.get("parents", {})),
        modality=Modality(
            planned_aux=frozenset(mod["planned_aux"]),
            hypothetical_aux=frozenset(mod["hypothetical_aux"]),
            planned_governors=frozenset(mod["planned_governors"]),
            hypothetical_governors=frozenset(mod["hypothetical_governors"]),
            negating_governors=frozenset(mod["negating_governors"]),
        ),
        light_verbs=frozenset(mod["light_verbs"]),
        container_nouns=frozenset(mod["container_nouns"]),
        actor_nouns=frozenset(data["actors"]["nouns"]),
        group_nouns=frozenset(data["groups"]["nouns"]),
        quantity_nouns=frozenset(data["groups"]["quantities"]),
        generic_topics=frozenset(data["topics"]["generic"]),
        transparent_topics=frozenset(data["topics"]["transparent"]),
    )


@cache
def load(path: str | None = None) -> Lexicon:
    """The shipped lexicon, or the one at `path`."""
    source = Path(path) if path else resources.files("kg.data").joinpath("lexicon.toml")
    with source.open("rb") as handle:
        return parse(tomllib.load(handle))
