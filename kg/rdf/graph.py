"""Extraction records -> RDF: the triples of one article's named graph.

The triples are written once, in `_triples`, over a term factory: rdflib terms for an rdflib
Graph (`extraction_graph`: the API, tests, validation) or Oxigraph terms for the store
(`extraction_triples`: the build's hot path, which so never makes an rdflib term). IRIs are
minted by `kg.rdf.iris`; the graph's own IRI is the article's, and it becomes the article's
named graph in the store. No blank nodes, so the same input always gives the same triples.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from kg.model import Article, Entity, EntityType, Event, Evidence, Extraction, Link, Role, Thing
from kg.rdf.iris import article_iri, entity_iri, event_iri, evidence_iri, link_iri, pair_iri, role_iri, topic_iri
from kg.rdf.vocabulary import KG, PREFIXES

if TYPE_CHECKING:
    from kg.ingest.dedup import Fingerprint

PROV = Namespace(PREFIXES["prov"])
WD = Namespace(PREFIXES["wd"])
MODALITY = {"happened": KG.Happened, "planned": KG.Planned, "hypothetical": KG.Hypothetical, "negated": KG.Negated,
            "reported": KG.Reported}
IRI_CACHE_SIZE = 100_000  # Oxigraph IRIs kept by a factory: classes, properties and entities recur

T = TypeVar("T")


class Terms(Protocol[T]):
    """Makes the terms of one RDF library from IRIs and lexical forms."""

    def iri(self, value: str) -> T: ...

    def text(self, value: str) -> T: ...

    def typed(self, lexical: str, datatype: str) -> T: ...


class RdflibTerms:
    def iri(self, value: str) -> URIRef:
        return value if type(value) is URIRef else URIRef(value)

    def text(self, value: str) -> Literal:
        return Literal(value)

    def typed(self, lexical: str, datatype: str) -> Literal:
        return Literal(lexical, datatype=URIRef(datatype))


class OxigraphTerms:
    """Oxigraph terms; IRIs are remembered, for the vocabulary and entities recur in every article."""

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self._iris.get(value)
        if node is None:
            if len(self._iris) >= IRI_CACHE_SIZE:
                self._iris.clear()
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def text(self, value: str) -> ox.Literal:
        return ox.Literal(value)

    def typed(self, lexical: str, datatype: str) -> ox.Literal:
        return ox.Literal(lexical, datatype=self.iri(datatype))


RDFLIB_TERMS = RdflibTerms()
OXIGRAPH_TERMS = OxigraphTerms()


def new_graph(identifier: URIRef | None = None) -> Graph:
    graph = Graph(identifier=identifier)
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def extraction_graph(extraction: Extraction) -> Graph:
    """The named graph of one article: its metadata, entities, roles, events, standing
    relations, evidence."""
    graph = new_graph(article_iri(extraction.article.id))
    for triple in _triples(extraction, RDFLIB_TERMS):
        graph.add(triple)
    return graph


@dataclass(frozen=True)
class ArticleTriples(Generic[T]):
    """One article's named graph as plain triples, each once, in a stable order: what the
    stores write (`identifier`, iteration, `len`, as on a Graph), without the cost of
    building an rdflib Graph's indexes on the build's hot path. `fingerprint` is the
    story's, when the build has made it already (the store keeps it with the graph)."""

    identifier: URIRef
    triples: tuple[tuple[T, T, T], ...]
    fingerprint: Fingerprint | None = None

    def __iter__(self) -> Iterator[tuple[T, T, T]]:
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)


def extraction_triples(extraction: Extraction, *, fingerprint: Fingerprint | None = None
                       ) -> ArticleTriples[ox.NamedNode | ox.Literal]:
    """The triples of `extraction_graph` as Oxigraph terms, for writing to a store."""
    triples = tuple(dict.fromkeys(_triples(extraction, OXIGRAPH_TERMS)))
    return ArticleTriples(article_iri(extraction.article.id), triples, fingerprint)


def _triples(extraction: Extraction, t: Terms[T]) -> Iterator[tuple[T, T, T]]:
    article = extraction.article
    yield from _article(article, t)
    entities = {e.key: e for e in extraction.entities}
    for entity in extraction.entities:
        yield from _entity(entity, t)
    for role in extraction.roles:
        yield from _role(role, entities, t)
    for thing in extraction.things:
        yield from _thing(thing, t)
    things = {thing.key: thing for thing in extraction.things}
    for event in extraction.events:
        yield from _event(event, article.id, entities, things, t)
    for link in extraction.links:
        yield from _link(link, t)


def _article(article: Article, t: Terms[T]) -> Iterator[tuple[T, T, T]]:
    node = t.iri(article_iri(article.id))
    yield node, t.iri(RDF.type), t.iri(KG.Article)
    if article.duplicate_of:  # the story's text (and facts) live with the original only
        yield node, t.iri(KG.duplicateOf), t.iri(article_iri(article.duplicate_of))
    else:
        yield node, t.iri(KG.articleText), t.text(article.text)
    title = t.text(article.title or _first_words(article.text))
    yield node, t.iri(KG.title), title
    yield node, t.iri(RDFS.label), title
    if article.url:
        yield node, t.iri(KG.url), t.typed(article.url, XSD.anyURI)
    if article.source:
        yield node, t.iri(KG.source), t.text(article.source)
    if article.author:
        yield node, t.iri(KG.author), t.text(article.author)
    if article.published:
        yield node, t.iri(KG.published), t.typed(article.published, XSD.date if len(article.published) == 10
                                                 else XSD.dateTime)
    if article.origin:
        yield node, t.iri(KG.origin), t.text(article.origin)


def _first_words(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def _integer(value: int, t: Terms[T]) -> T:
    return t.typed(str(value), XSD.integer)


def _thing(thing: Thing, t: Terms[T]) -> Iterator[tuple[T, T, T]]:
    node = t.iri(entity_iri(thing.key))
    yield node, t.iri(RDF.type), t.iri(KG.Thing)
    yield node, t.iri(RDFS.label), t.text(thing.name)
    for key in thing.concerns:
        yield node, t.iri(KG.concerns), t.iri(entity_iri(key))


def _entity(entity: Entity, t: Terms[T]) -> Iterator[tuple[T, T, T]]:
    node = t.iri(entity_iri(entity.key))
    name = t.text(entity.name)
    yield node, t.iri(RDF.type), t.iri(KG[entity.type])
    yield node, t.iri(KG.name), name
    yield node, t.iri(RDFS.label), name
    for alias in entity.aliases:
        yield node, t.iri(KG.alias), t.text(alias)
    if entity.iso3:
        yield node, t.iri(KG.iso3), t.text(entity.iso3)
    if entity.wikidata:
        yield node, t.iri(OWL.sameAs), t.iri(WD[entity.wikidata])


def _evidence(evidence: Evidence, t: Terms[T]) -> Iterator[tuple[T, T, T]]:
    node, article = t.iri(evidence_iri(evidence)), t.iri(article_iri(evidence.article_id))
    rule, _, version = evidence.rule.rpartition(".v")
    yield node, t.iri(RDF.type), t.iri(KG.Evidence)
    yield node, t.iri(KG.article), article
    yield node, t.iri(PROV.wasDerivedFrom), article
    yield node, t.iri(KG.sentence), t.text(evidence.sentence)
    yield node, t.iri(KG.startChar), _integer(evidence.start, t)
    yield node, t.iri(KG.endChar), _integer(evidence.end, t)
    yield node, t.iri(KG.rule), t.text(rule)
    yield node, t.iri(KG.ruleVersion), t.text(version)
    yield node, t.iri(KG.confidence), t.typed(f"{Decimal(str(evidence.confidence)):f}", XSD.decimal)
    if evidence.in_title:
        yield node, t.iri(KG.inTitle), t.typed("true", XSD.boolean)


def _role(role: Role, entities: dict[str, Entity], t: Terms[T]) -> Iterator[tuple[T, T, T]]:
    node, person = t.iri(role_iri(role)), t.iri(entity_iri(role.person))
    of_name = entities[role.of].name if role.of in entities else None
    yield person, t.iri(KG.holdsRole), node
    yield node, t.iri(RDF.type), t.iri(KG.Role)
    yield node, t.iri(KG.roleHolder), person
    yield node, t.iri(KG.roleTitle), t.text(role.title)
    yield node, t.iri(RDFS.label), t.text(f"{role.title} of {of_name}" if of_name else role.title)
    yield node, t.iri(KG.evidence), t.iri(evidence_iri(role.evidence))
    yield from _evidence(role.evidence, t)
    if role.of:
        yield node, t.iri(KG.roleOf), t.iri(entity_iri(role.of))
        if role.leader:
            yield person, t.iri(KG.leaderOf), t.iri(entity_iri(role.of))


def _link(link: Link, t: Terms[T]) -> Iterator[tuple[T, T, T]]:
    """A standing relation: the plain triple, and an rdf:Statement of it with its evidence
    (one statement per article and triple, with each sentence that states it)."""
    subject, prop, obj = t.iri(entity_iri(link.subject)), t.iri(KG[link.relation]), t.iri(entity_iri(link.object))
    node = t.iri(link_iri(link))
    yield subject, prop, obj
    yield node, t.iri(RDF.type), t.iri(RDF.Statement)
    yield node, t.iri(RDF.subject), subject
    yield node, t.iri(RDF.predicate), prop
    yield node, t.iri(RDF.object), obj
    yield node, t.iri(KG.evidence), t.iri(evidence_iri(link.evidence))
    yield from _evidence(link.evidence, t)


def _event(event: Event, article_id: str, entities: dict[str, Entity], things: dict[str, Thing],
           t: Terms[T]) -> Iterator[tuple[T, T, T]]:
    evidence = event.evidence
    node = t.iri(event_iri(article_id, (evidence.start, evidence.end), in_title=evidence.in_title))
    names = [entities[k].name for k in (*event.agents, *event.targets, *event.participants) if k in entities]
    names += [things[k].name for k in event.objects if k in things]
    yield node, t.iri(RDF.type), t.iri(KG[event.type])
    yield node, t.iri(RDFS.label), t.text(f"{event.lemma or event.type}: {' – '.join(names)}")
    yield node, t.iri(KG.trigger), t.text(event.trigger)
    yield node, t.iri(KG.modality), t.iri(MODALITY[event.modality])
    for prop, keys in ((KG.agent, event.agents), (KG.target, event.targets)):
        for key in keys:
            yield node, t.iri(prop), t.iri(entity_iri(key))
    parties = (*event.agents, *event.targets, *event.participants)
    for key in parties:
        yield node, t.iri(KG.participant), t.iri(entity_iri(key))
    unique = sorted(set(parties))
    for i, first in enumerate(unique):  # each pair of parties once: their events are one lookup away
        for second in unique[i + 1:]:
            yield node, t.iri(KG.pair), t.iri(pair_iri(first, second))
    for key in event.reported_by:
        yield node, t.iri(KG.reportedBy), t.iri(entity_iri(key))
    for key in event.objects:
        yield node, t.iri(KG.object), t.iri(entity_iri(key))
    if event.lemma:
        yield node, t.iri(KG.lemma), t.text(event.lemma)
    if event.content:
        yield node, t.iri(KG.content), t.text(event.content)
    for prop, labels in ((KG.topic, event.topics), (KG.goods, event.goods)):
        for label in labels:
            topic, text = t.iri(topic_iri(label)), t.text(label)
            yield node, t.iri(prop), topic
            yield topic, t.iri(RDF.type), t.iri(KG.Topic)
            yield topic, t.iri(SKOS.prefLabel), text
            yield topic, t.iri(RDFS.label), text
    if event.date:
        yield node, t.iri(KG.date), t.typed(event.date, XSD.date)
    if event.time_text:
        yield node, t.iri(KG.timeText), t.text(event.time_text)
    if event.duration:
        yield node, t.iri(KG.duration), t.typed(event.duration, XSD.duration)
    if event.place:
        yield node, t.iri(KG.place), t.iri(entity_iri(event.place))
    if event.during:
        yield node, t.iri(KG.during), t.iri(event_iri(article_id, event.during, in_title=evidence.in_title))
    if event.ordinal:
        yield node, t.iri(KG.ordinal), _integer(event.ordinal, t)
    for each in (evidence, *event.more_evidence):
        yield node, t.iri(KG.evidence), t.iri(evidence_iri(each))
        yield from _evidence(each, t)
    if event.shortcut and event.modality == "happened":
        for subject, obj in shortcut_pairs(event, entities):
            yield t.iri(entity_iri(subject)), t.iri(KG[event.shortcut]), t.iri(entity_iri(obj))


def shortcut_pairs(event: Event, entities: dict[str, Entity]) -> list[tuple[str, str]]:
    """Agent -> target pairs. A country engaged through its representative pairs only with
    other non-persons: Ishiba spoke with Trump, and Japan with the United States, but
    neither Ishiba with the United States nor Japan with Trump."""
    def allowed(a: str, b: str) -> bool:
        if a not in event.represented and b not in event.represented:
            return True
        return EntityType.PERSON not in (entities[a].type, entities[b].type)

    if event.targets:
        pairs = [(a, t) for a in event.agents for t in event.targets]
    elif event.symmetric:
        actors = [*event.agents, *event.participants]
        pairs = [(a, b) for i, a in enumerate(actors) for b in actors[i + 1 :]]
    else:
        pairs = []
    pairs = [(a, b) for a, b in pairs if a in entities and b in entities and a != b and allowed(a, b)]
    if event.symmetric:
        pairs += [(b, a) for a, b in pairs]
    return sorted(set(pairs))
