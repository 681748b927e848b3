"""The lexicon's records, as kg.extract.lexicon reads them from kg/data/lexicon.toml and
checks them: trigger frames, governing words, the word lists of modality and attribution,
the argument constraints of each class, the settings of the CAMEO dictionary and of open
relations, and the Lexicon that holds them all for the engine.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from kg.extract import classes as event_classes
from kg.extract.paths import Grammar, Path

PathGroups = tuple[tuple[Path, ...], ...]


@dataclass(frozen=True, eq=False)
class Frame:
    """One trigger rule: the words, the event they signal, where the arguments are, and the
    conditions under which it fires."""

    rule: str
    lemmas: tuple[str, ...]  # one-word lemmas
    phrases: tuple[tuple[str, ...], ...]  # words of several tokens, matched in order
    pos: str
    event: str
    paths: dict[str, PathGroups]  # argument -> groups of paths, tried in order; a group's paths pool
    shortcut: str | None = None
    symmetric: bool = False
    when: tuple[tuple[Path, ...], ...] = ()  # each group: some path must reach a token
    unless: tuple[Path, ...] = ()  # no path may reach a token
    represents: bool = False
    target_from_topic: bool = False
    absorbs: tuple[Path, ...] = ()  # what is part of this event: events inside it are not events
    place_targets: bool = False  # a place can be the target ("shelled the town"), not only an actor
    requires_target: bool = False  # a counterpart: a target, or two parties
    dyadic: bool = False  # a source and a target, both found (the CAMEO dictionary's events)
    target_types: frozenset[str] = frozenset()  # the frame reads only targets of these types
    confidence: float = 0.7

    @property
    def conditional(self) -> bool:
        """Fires only under conditions: tried before the frames of the same words that have none."""
        return bool(self.when or self.unless or self.target_types)

    @cached_property
    def expects_subject(self) -> bool:
        """Fires only for the subjects it names ("aircraft killed", "the measures target"): a frame
        that a verb whose subject is a mere thing can still be."""
        return any(p.steps[0].kind == "child" and p.steps[0].dep in ("nsubj", "agent")
                   for group in self.when for p in group)


@dataclass(frozen=True)
class Governor:
    """A word governing an event, with the particle that must hang from it ("call off")."""

    lemma: str
    particle: str | None = None


@dataclass(frozen=True)
class Modality:
    """Words that make an event planned, hypothetical or negated."""

    planned_aux: frozenset[str]
    hypothetical_aux: frozenset[str]
    planned_governors: frozenset[Governor]
    hypothetical_governors: frozenset[Governor]
    negating_governors: frozenset[Governor]
    wish_governors: frozenset[Governor]  # planned for their own subject, hypothetical for another's
    scheduling: frozenset[str]  # governors that say of their subject whether it takes place
    occurring: frozenset[str]  # verbs that say their subject takes place ("the summit will be held")
    causatives: frozenset[str]  # verbs whose object does what their infinitive says: no purpose
    adjuncts: frozenset[str]  # prepositions of a verb's time or means, which it does not govern

    @property
    def governors(self) -> frozenset[Governor]:
        return self.planned_governors | self.hypothetical_governors | self.negating_governors | self.wish_governors


@dataclass(frozen=True)
class Attribution:
    """Verbs that introduce what someone says: neutral ones keep the content's modality,
    contested ones make it reported, denying ones negate it."""

    neutral: frozenset[str]
    contested: frozenset[str]
    denying: frozenset[str]
    calling: frozenset[str]  # what the speaker calls it is said too: "..., calling it a crime"

    def __contains__(self, lemma: str) -> bool:
        return lemma in self.neutral or lemma in self.contested or lemma in self.denying

    @property
    def verbs(self) -> frozenset[str]:
        return self.neutral | self.contested | self.denying


@dataclass(frozen=True)
class Constraint:
    """What the agents and targets of a class may be, and which argument it cannot lack."""

    agent: frozenset[str]
    target: frozenset[str]
    requires: frozenset[str]  # "agent", "target", "counterpart" (a target, or two parties), "payer" (a target, or goods)
    statement: bool = False  # an act of words another party can answer ("rejected Israel's accusation")
    named_parties: bool = False  # a noun's "between" parties are all its parties (not who brokers it)
    about: bool = False  # its object, any common noun, is what it is about ("denied the reports")


@dataclass(frozen=True)
class CameoSettings:
    enabled: bool  # whether the dictionary reads the verbs the lexicon does not
    confidence: float
    default_confidence: float
    block_defaults: bool  # whether a verb no pattern reads takes its block's code
    skip: tuple[str, ...]  # CAMEO codes (prefixes) that make no event
    swap: frozenset[str]  # codes whose source is kg's target
    exclude: frozenset[str]  # verbs whose dictionary reading is not used
    exclude_phrases: frozenset[str] = frozenset()  # multi-word ones: "rule out"
    dyadic: bool = True  # its events need a source and a target, as PETRARCH codes them


@dataclass(frozen=True)
class OpenSettings:
    """Open relations (kg/extract/actions.py): whether they are read, how sure they are, the
    verbs that never make one, the nouns that name concrete things, the prepositions whose
    object an intransitive verb acts on."""

    enabled: bool
    confidence: float
    stop: frozenset[str]
    things: frozenset[str]
    prepositions: frozenset[str]
    nouns: dict[str, str] = field(default_factory=dict)  # noun naming an act -> its verb ("victory": "win")


@dataclass(frozen=True, eq=False)
class Lexicon:
    version: str
    frames: tuple[Frame, ...]
    defaults: dict[str, dict[str, PathGroups]]  # part of speech -> argument -> paths
    classes: event_classes.EventClasses
    constraints: dict[str, Constraint]
    modality: Modality
    attribution: Attribution
    cameo: CameoSettings
    open: OpenSettings
    grammar: Grammar
    actor_nouns: frozenset[str]
    led_nouns: frozenset[str]  # act for the person they are "of": "the regime of Maduro"
    group_nouns: frozenset[str]
    quantity_nouns: frozenset[str]
    weapon_nouns: frozenset[str]  # group nouns that act only for whose they are: "Russian drones"
    generic_topics: frozenset[str]
    transparent_topics: frozenset[str]
    by_lemma: dict[tuple[str, str], tuple[Frame, ...]]  # (lemma, pos) -> frames, conditional first
    by_phrase: dict[tuple[tuple[str, ...], str], tuple[Frame, ...]] = field(default_factory=dict)

    @property
    def light_verbs(self) -> frozenset[str]:
        return self.grammar.light_verbs

    @property
    def container_nouns(self) -> frozenset[str]:
        return self.grammar.container_nouns

    @property
    def parents(self) -> dict[str, str]:
        """Event class -> the class it specialises (ontology/kg.ttl)."""
        return self.classes.parents

    def family(self, event: str) -> str:
        """The PLOVER family of an event class: PhoneCall -> Consult."""
        return self.classes.family(event)

    def constraint(self, event: str) -> Constraint:
        """The constraint of the class, else of its parent, else of Event."""
        name: str | None = event
        while name is not None and name not in self.constraints:
            name = self.classes.parents.get(name)
        return self.constraints[name or "Event"]
