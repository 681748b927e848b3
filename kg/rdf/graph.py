"""Extraction records -> RDF: the triples of one article's named graph.

One rdflib Graph per article, its IRIs minted by `kg.rdf.iris`; the graph's own IRI is the
article's, and it becomes the article's named graph in the store. No blank nodes, so the
same input always gives the same triples.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.model import Article, Entity, EntityType, Event, Evidence, Extraction, Link, Role, Thing
from kg.rdf.iris import article_iri, entity_iri, event_iri, evidence_iri, link_iri, role_iri, topic_iri
from kg.rdf.vocabulary import KG, PREFIXES

PROV = Namespace(PREFIXES["prov"])
WD = Namespace(PREFIXES["wd"])
MODALITY = {"happened": KG.Happened, "planned": KG.Planned, "hypothetical": KG.Hypothetical, "negated": KG.Negated,
            "reported": KG.Reported}


def new_graph(identifier: URIRef | None = None) -> Graph:
    graph = Graph(identifier=identifier)
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def extraction_graph(extraction: Extraction) -> Graph:
    """The named graph of one article: its metadata, entities, roles, events, standing
    relations, evidence."""
    article = extraction.article
    graph = new_graph(article_iri(article.id))
    for triple in _triples(extraction):
        graph.add(triple)
    return graph


@dataclass(frozen=True)
class ArticleTriples:
    """One article's named graph as plain triples, each once, in a stable order: what the
    stores write (`identifier`, iteration, `len`, as on a Graph), without the cost of
    building an rdflib Graph's indexes on the build's hot path."""

    identifier: URIRef
    triples: tuple[tuple[Node, Node, Node], ...]

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)


def extraction_triples(extraction: Extraction) -> ArticleTriples:
    """The triples of `extraction_graph`, for writing to a store."""
    return ArticleTriples(article_iri(extraction.article.id), tuple(dict.fromkeys(_triples(extraction))))


def _triples(extraction: Extraction) -> Iterator[tuple]:
    article = extraction.article
    yield from _article(article)
    entities = {e.key: e for e in extraction.entities}
    for entity in extraction.entities:
        yield from _entity(entity)
    for role in extraction.roles:
        yield from _role(role, entities)
    for thing in extraction.things:
        yield from _thing(thing)
    things = {t.key: t for t in extraction.things}
    for event in extraction.events:
        yield from _event(event, article.id, entities, things)
    for link in extraction.links:
        yield from _link(link)


def _article(article: Article) -> Iterator[tuple]:
    node = article_iri(article.id)
    yield node, RDF.type, KG.Article
    if article.duplicate_of:  # the story's text (and facts) live with the original only
        yield node, KG.duplicateOf, article_iri(article.duplicate_of)
    else:
        yield node, KG.articleText, Literal(article.text)
    title = article.title or _first_words(article.text)
    yield node, KG.title, Literal(title)
    yield node, RDFS.label, Literal(title)
    if article.url:
        yield node, KG.url, Literal(article.url, datatype=XSD.anyURI)
    if article.source:
        yield node, KG.source, Literal(article.source)
    if article.author:
        yield node, KG.author, Literal(article.author)
    if article.published:
        yield node, KG.published, _date_literal(article.published)
    if article.origin:
        yield node, KG.origin, Literal(article.origin)


def _first_words(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def _date_literal(value: str) -> Literal:
    if len(value) == 10:
        return Literal(value, datatype=XSD.date)
    return Literal(value, datatype=XSD.dateTime)


def _thing(thing: Thing) -> Iterator[tuple]:
    node = entity_iri(thing.key)
    yield node, RDF.type, KG.Thing
    yield node, RDFS.label, Literal(thing.name)
    for key in thing.concerns:
        yield node, KG.concerns, entity_iri(key)


def _entity(entity: Entity) -> Iterator[tuple]:
    node = entity_iri(entity.key)
    yield node, RDF.type, KG[entity.type]
    yield node, KG.name, Literal(entity.name)
    yield node, RDFS.label, Literal(entity.name)
    for alias in entity.aliases:
        yield node, KG.alias, Literal(alias)
    if entity.iso3:
        yield node, KG.iso3, Literal(entity.iso3)
    if entity.wikidata:
        yield node, OWL.sameAs, WD[entity.wikidata]


def _evidence(evidence: Evidence) -> Iterator[tuple]:
    node = evidence_iri(evidence)
    rule, _, version = evidence.rule.rpartition(".v")
    yield node, RDF.type, KG.Evidence
    yield node, KG.article, article_iri(evidence.article_id)
    yield node, PROV.wasDerivedFrom, article_iri(evidence.article_id)
    yield node, KG.sentence, Literal(evidence.sentence)
    yield node, KG.startChar, Literal(evidence.start)
    yield node, KG.endChar, Literal(evidence.end)
    yield node, KG.rule, Literal(rule)
    yield node, KG.ruleVersion, Literal(version)
    yield node, KG.confidence, Literal(Decimal(str(evidence.confidence)))
    if evidence.in_title:
        yield node, KG.inTitle, Literal(True)


def _role(role: Role, entities: dict[str, Entity]) -> Iterator[tuple]:
    node, person = role_iri(role), entity_iri(role.person)
    of_name = entities[role.of].name if role.of in entities else None
    yield person, KG.holdsRole, node
    yield node, RDF.type, KG.Role
    yield node, KG.roleHolder, person
    yield node, KG.roleTitle, Literal(role.title)
    yield node, RDFS.label, Literal(f"{role.title} of {of_name}" if of_name else role.title)
    yield node, KG.evidence, evidence_iri(role.evidence)
    yield from _evidence(role.evidence)
    if role.of:
        yield node, KG.roleOf, entity_iri(role.of)
        if role.leader:
            yield person, KG.leaderOf, entity_iri(role.of)


def _link(link: Link) -> Iterator[tuple]:
    """A standing relation: the plain triple, and an rdf:Statement of it with its evidence
    (one statement per article and triple, with each sentence that states it)."""
    subject, prop, obj = entity_iri(link.subject), KG[link.relation], entity_iri(link.object)
    node = link_iri(link)
    yield subject, prop, obj
    yield node, RDF.type, RDF.Statement
    yield node, RDF.subject, subject
    yield node, RDF.predicate, prop
    yield node, RDF.object, obj
    yield node, KG.evidence, evidence_iri(link.evidence)
    yield from _evidence(link.evidence)


def _event(event: Event, article_id: str, entities: dict[str, Entity], things: dict[str, Thing]) -> Iterator[tuple]:
    evidence = event.evidence
    node = event_iri(article_id, (evidence.start, evidence.end), in_title=evidence.in_title)
    names = [entities[k].name for k in (*event.agents, *event.targets, *event.participants) if k in entities]
    names += [things[k].name for k in event.objects if k in things]
    yield node, RDF.type, KG[event.type]
    yield node, RDFS.label, Literal(f"{event.lemma or event.type}: {' – '.join(names)}")
    yield node, KG.trigger, Literal(event.trigger)
    yield node, KG.modality, MODALITY[event.modality]
    for prop, keys in ((KG.agent, event.agents), (KG.target, event.targets)):
        for key in keys:
            yield node, prop, entity_iri(key)
    for key in (*event.agents, *event.targets, *event.participants):
        yield node, KG.participant, entity_iri(key)
    for key in event.reported_by:
        yield node, KG.reportedBy, entity_iri(key)
    for key in event.objects:
        yield node, KG.object, entity_iri(key)
    if event.lemma:
        yield node, KG.lemma, Literal(event.lemma)
    for prop, labels in ((KG.topic, event.topics), (KG.goods, event.goods)):
        for label in labels:
            yield node, prop, topic_iri(label)
            yield topic_iri(label), RDF.type, KG.Topic
            yield topic_iri(label), SKOS.prefLabel, Literal(label)
            yield topic_iri(label), RDFS.label, Literal(label)
    if event.date:
        yield node, KG.date, Literal(event.date, datatype=XSD.date)
    if event.time_text:
        yield node, KG.timeText, Literal(event.time_text)
    if event.duration:
        yield node, KG.duration, Literal(event.duration, datatype=XSD.duration)
    if event.place:
        yield node, KG.place, entity_iri(event.place)
    if event.during:
        yield node, KG.during, event_iri(article_id, event.during, in_title=evidence.in_title)
    if event.ordinal:
        yield node, KG.ordinal, Literal(event.ordinal)
    for each in (evidence, *event.more_evidence):
        yield node, KG.evidence, evidence_iri(each)
        yield from _evidence(each)
    if event.shortcut and event.modality == "happened":
        for subject, obj in shortcut_pairs(event, entities):
            yield entity_iri(subject), KG[event.shortcut], entity_iri(obj)


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
