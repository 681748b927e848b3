"""Records passed between the stages of a build: Article -> Mention -> Entity -> Fact.

Plain frozen dataclasses, no spaCy or rdflib types, so every stage can be tested alone;
and the one place that says what kinds of entity there are (`EntityType`) and how an
entity's key is written (`EntityKey`: "country/JPN", "person/donald-trump").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import StrEnum

MODALITIES = ("happened", "planned", "hypothetical", "negated", "reported")


class EntityType(StrEnum):
    """The kinds of entity, by their ontology class; each with the prefix of its keys
    ("org/g7") and the SPARQL prefix of its IRIs (`organization:g7`)."""

    key_prefix: str
    prefix: str

    def __new__(cls, value: str, key_prefix: str, prefix: str) -> EntityType:
        member = str.__new__(cls, value)
        member._value_ = value
        member.key_prefix = key_prefix
        member.prefix = prefix
        return member

    PERSON = "Person", "person", "person"
    COUNTRY = "Country", "country", "country"
    ORGANIZATION = "Organization", "org", "organization"
    LOCATION = "Location", "place", "place"
    GROUP = "Group", "group", "group"

    @classmethod
    def named(cls, name: str) -> EntityType | None:
        """The type called `name`, ignoring case and spaces around it; None if there is none."""
        wanted = name.strip().casefold()
        return next((kind for kind in cls if kind.value.casefold() == wanted), None)

    @property
    def is_actor(self) -> bool:
        """Whether entities of this type can act: everything but a place."""
        return self is not EntityType.LOCATION


def slug(text: str) -> str:
    """A lowercase ASCII slug for IRIs: "Shigeru Ishiba" -> "shigeru-ishiba"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


@dataclass(frozen=True, order=True)
class EntityKey:
    """What makes an entity's IRI: its type and a slug, written "country/JPN"."""

    type: EntityType
    slug: str

    @classmethod
    def parse(cls, key: str) -> EntityKey:
        """The key written `key` ("person/donald-trump"); ValueError if it is not one."""
        prefix, sep, slug = key.partition("/")
        kind = next((t for t in EntityType if t.key_prefix == prefix), None)
        if not sep or not slug or kind is None:
            prefixes = ", ".join(f"{t.key_prefix}/" for t in EntityType)
            raise ValueError(f"not an entity key: {key!r} (keys start with one of {prefixes})")
        return cls(kind, slug)

    def __str__(self) -> str:
        return f"{self.type.key_prefix}/{self.slug}"


@dataclass(frozen=True)
class Article:
    """One news item: a story, or a headline standing on its own."""

    id: str  # stable hash: of the URL when there is one, else of the text
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date (or date-time) as given by the source
    source: str | None = None  # the publisher or feed
    origin: str | None = None  # the file (and item) it was read from
    headline: bool = False  # Title Case text that needs truecasing before parsing
    author: str | None = None  # the byline, as the page or feed gives it
    duplicate_of: str | None = None  # Article.id of the story this one repeats (stored once)


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the sentence, the span of its trigger, and the rule."""

    article_id: str
    sentence: str
    start: int  # character offsets of the evidence span in Article.text
    end: int
    rule: str  # versioned rule id, e.g. "consult.spoke_with.v1"
    confidence: float
    in_title: bool = False  # read from Article.title: the sentence is the title, the offsets count in it


@dataclass(frozen=True)
class Entity:
    """A resolved real-world thing; `key` is what makes its IRI (type/slug)."""

    key: str  # an EntityKey, written: "country/JPN"
    type: str  # an EntityType value: Person, Country, Organization, Location, Group
    name: str
    aliases: tuple[str, ...] = ()
    iso3: str | None = None
    wikidata: str | None = None


@dataclass(frozen=True)
class Thing:
    """A concrete thing an actor acts on that is no actor itself: a law, a lawsuit, a
    strategy, files ("America First Arms Transfer Strategy"), with the entities its phrase
    names ("lawsuit against Starbucks": Starbucks)."""

    key: str  # "thing/<slug>" for a name, "thing/<slug>-<article scope>" for a common noun
    name: str
    concerns: tuple[str, ...] = ()  # Entity.keys


@dataclass(frozen=True)
class Mention:
    """A span of text that names an entity."""

    entity: str  # Entity.key
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Role:
    """A person holds a titled position, optionally of a country or organisation."""

    person: str  # Entity.key
    title: str  # "Prime Minister", "chief trade negotiator"
    of: str | None  # Entity.key of the country or organisation
    leader: bool  # head of state/government style titles make a leaderOf shortcut
    evidence: Evidence


@dataclass(frozen=True)
class Link:
    """A standing relation between two entities, as the text states it: a place in another
    ("Bern, the Swiss capital"), an organisation based in a place ("the Tokyo-based Sony"), a
    person from a place or working for an organisation ("a Reuters correspondent")."""

    relation: str  # ontology property local name: locatedIn, basedIn, residentOf, worksFor, ...
    subject: str  # Entity.key
    object: str  # Entity.key
    evidence: Evidence


@dataclass(frozen=True)
class Event:
    """Something that happened, is planned, or was denied, with its participants."""

    type: str  # ontology class local name: PhoneCall, Negotiation, Tariff, ...
    trigger: str
    agents: tuple[str, ...]  # Entity.keys
    targets: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()  # others present, neither agent nor target
    represented: tuple[str, ...] = ()  # countries engaged through a person holding their role
    topics: tuple[str, ...] = ()  # plain labels: "tariffs", "regional security"
    goods: tuple[str, ...] = ()  # traded goods a tariff applies to, or what a sanction names
    date: str | None = None  # ISO date when resolved
    time_text: str | None = None  # the time expression as written
    duration: str | None = None  # xsd:duration, e.g. PT45M
    place: str | None = None  # Entity.key
    during: tuple[int, int] | None = None  # trigger span of the event this one is part of
    ordinal: int | None = None  # "a third round"
    modality: str = "happened"
    reported_by: tuple[str, ...] = ()  # Entity.keys of who states it ("..., the ministry said")
    objects: tuple[str, ...] = ()  # Thing.keys acted on (open relations: "signs the strategy")
    lemma: str | None = None  # the verb of an open relation ("sign")
    content: str | None = None  # what a statement says, as the article words it
    more_evidence: tuple[Evidence, ...] = ()  # the same fact stated again (in the title and the body)
    shortcut: str | None = None  # direct property between agents and targets
    symmetric: bool = False  # shortcut holds both ways (spokeWith, metWith)
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything read from one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    roles: tuple[Role, ...] = ()
    events: tuple[Event, ...] = ()
    things: tuple[Thing, ...] = ()
    links: tuple[Link, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def without_open_relations(self) -> Extraction:
        """The same, less its open relations (kg:Action events) and the things only they act on."""
        events = tuple(e for e in self.events if e.type != "Action")
        used = {k for e in events for k in e.objects}
        return replace(self, events=events, things=tuple(t for t in self.things if t.key in used))
