"""Records passed between the stages of a build: Article -> Mention -> Entity -> Fact.

Plain frozen dataclasses, no spaCy or rdflib types, so every stage can be tested alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MODALITIES = ("happened", "planned", "hypothetical", "negated", "reported")


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


@dataclass(frozen=True)
class Entity:
    """A resolved real-world thing; `key` is what makes its IRI (type/slug)."""

    key: str
    type: str  # Person, Country, Organization, Location, Group
    name: str
    aliases: tuple[str, ...] = ()
    iso3: str | None = None
    wikidata: str | None = None


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
class Event:
    """Something that happened, is planned, or was denied, with its participants."""

    type: str  # ontology class local name: PhoneCall, Negotiation, Tariff, ...
    trigger: str
    agents: tuple[str, ...]  # Entity.keys
    targets: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()  # others present, neither agent nor target
    represented: tuple[str, ...] = ()  # countries engaged through a person holding their role
    topics: tuple[str, ...] = ()  # plain labels: "tariffs", "regional security"
    goods: tuple[str, ...] = ()  # traded goods a tariff applies to
    date: str | None = None  # ISO date when resolved
    time_text: str | None = None  # the time expression as written
    duration: str | None = None  # xsd:duration, e.g. PT45M
    place: str | None = None  # Entity.key
    during: tuple[int, int] | None = None  # trigger span of the event this one is part of
    ordinal: int | None = None  # "a third round"
    modality: str = "happened"
    reported_by: tuple[str, ...] = ()  # Entity.keys of who states it ("..., the ministry said")
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
    warnings: tuple[str, ...] = field(default=())
