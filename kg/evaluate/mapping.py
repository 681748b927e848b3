"""How our vocabulary lines up with each gold label set: kg/data/eval_mapping.toml, with the
event class hierarchy of the ontology (ontology/kg.ttl) for the classes it does not list."""
from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kg.errors import InputError
from kg.model import Event
from kg.rdf.ontology import event_parents

MAPPING_FILE = "eval_mapping.toml"


@dataclass(frozen=True)
class SpanMapping:
    """How our facts line up with one span-annotated label set (re3d, CoNLL04): entity types,
    and the relation that each event class, role and standing relation counts as."""

    entity_types: dict[str, tuple[str, ...]]  # our entity type -> the gold types it may match
    scored_entity_types: tuple[str, ...]
    relation_events: dict[str, str]  # event class -> gold relation (agent -> target)
    scored_relations: tuple[str, ...]
    symmetric_relations: frozenset[str] = frozenset()
    combined_relations: tuple[tuple[str, ...], ...] = ()
    leader_role: str | None = None  # a leader's role of a country or organisation
    member_role: str | None = None  # any other role
    role_of: dict[str, str] = field(default_factory=dict)  # type of what a role is of -> relation (before the two above)
    links: dict[str, str] = field(default_factory=dict)  # standing relation (locatedIn, ...) -> gold relation
    skip_modalities: frozenset[str] = frozenset()
    parents: dict[str, str] = field(default_factory=dict)  # event class -> family

    def relation_type(self, event_type: str) -> str | None:
        return self.relation_events.get(event_type) or self.relation_events.get(self.parents.get(event_type, ""))

    def role_type(self, leader: bool, of_type: str | None) -> str | None:
        """The relation a role counts as, by the type of what it is of."""
        return self.role_of.get(of_type or "") or (self.leader_role if leader else self.member_role)

    def scores(self, event: Event) -> bool:
        return event.modality not in self.skip_modalities


@dataclass(frozen=True)
class EvalMapping:
    """kg/data/eval_mapping.toml, with the event families of the ontology for classes it lacks."""

    plover_events: dict[str, str]
    skip_modalities: frozenset[str]
    spans: dict[str, SpanMapping] = field(default_factory=dict)  # "re3d", "conll04"
    parents: dict[str, str] = field(default_factory=dict)  # event class -> family
    intent_types: frozenset[str] = frozenset()  # PLOVER types whose planned form is an intent
    intent_label: str | None = None  # the PLOVER type an intent counts as (AGREE)
    threat_types: frozenset[str] = frozenset()  # PLOVER types whose planned or conditional form is a threat
    threat_modalities: frozenset[str] = frozenset()
    threat_label: str | None = None  # the PLOVER type a threat counts as (THREATEN)
    refusal_types: frozenset[str] = frozenset()  # PLOVER types whose negated form is a refusal
    refusal_label: str | None = None  # the PLOVER type a refusal counts as (REJECT)

    def plover_type(self, event_type: str) -> str | None:
        return self.plover_events.get(event_type) or self.plover_events.get(self.parents.get(event_type, ""))

    def plover_label(self, event: Event) -> str | None:
        """The PLOVER type of an event, or None when it is not scored: a planned act of
        cooperation is an intent (AGREE); a planned or conditional sanction or use of force is
        a threat (THREATEN); a refused act of cooperation is a rejection (REJECT)."""
        label = self.plover_type(event.type)
        if event.modality == "negated" and label in self.refusal_types and self.refusal_label:
            return self.refusal_label
        if not self.scores(event):
            return None
        if event.modality == "planned" and label in self.intent_types and self.intent_label:
            return self.intent_label
        if event.modality in self.threat_modalities and label in self.threat_types and self.threat_label:
            return self.threat_label
        return label

    def scores(self, event: Event) -> bool:
        return event.modality not in self.skip_modalities


def load_mapping(path: str | Path | None = None, *, parents: Mapping[str, str] | None = None) -> EvalMapping:
    """The shipped mapping, or the one at `path`; `parents` maps event classes to families
    (by default, each class to its parent in the ontology)."""
    source = Path(path) if path else resources.files("kg.data").joinpath(MAPPING_FILE)
    try:
        with source.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(
            f"Cannot read the evaluation mapping {source}: {error}. The shipped one is kg/data/{MAPPING_FILE}."
        ) from None
    families = dict(event_parents() if parents is None else parents)
    skip = frozenset(data.get("skip_modalities", ()))
    try:
        plover = data["plover"]
        return EvalMapping(
            plover_events=dict(plover["events"]),
            skip_modalities=skip,
            spans={name: _span_mapping(data[name], skip, families) for name in SPAN_SETS},
            parents=families,
            intent_types=frozenset(plover.get("intent", {}).get("types", ())),
            intent_label=plover.get("intent", {}).get("label"),
            threat_types=frozenset(plover.get("threat", {}).get("types", ())),
            threat_modalities=frozenset(plover.get("threat", {}).get("modalities", ())),
            threat_label=plover.get("threat", {}).get("label"),
            refusal_types=frozenset(plover.get("refusal", {}).get("types", ())),
            refusal_label=plover.get("refusal", {}).get("label"),
        )
    except KeyError as missing:
        raise InputError(
            f"The evaluation mapping {source} lacks {missing}: it needs [plover.events], and for each of "
            f"{', '.join(SPAN_SETS)} [<set>.entities] (scored, types) and [<set>.relations] (scored, events); "
            f"see kg/data/{MAPPING_FILE}."
        ) from None


SPAN_SETS = ("re3d", "conll04")


def _span_mapping(data: dict, skip: frozenset[str], parents: dict[str, str]) -> SpanMapping:
    entities, relations = data["entities"], data["relations"]
    roles = dict(relations.get("roles", {}))
    return SpanMapping(
        entity_types={kind: tuple(types) for kind, types in entities["types"].items()},
        scored_entity_types=tuple(entities["scored"]),
        relation_events=dict(relations["events"]),
        scored_relations=tuple(relations["scored"]),
        symmetric_relations=frozenset(relations.get("symmetric", ())),
        combined_relations=tuple(tuple(group) for group in relations.get("combined", ())),
        leader_role=roles.pop("leader", None),
        member_role=roles.pop("member", None),
        role_of=dict(roles.pop("of", {})),
        links=dict(relations.get("links", {})),
        skip_modalities=skip,
        parents=parents,
    )
