"""The only place that mints IRIs: of articles, entities, events, evidence, roles, topics and
the statements of standing relations.

Each IRI is made from the record's own values, so the same input always gives the same IRI.
"""
from __future__ import annotations

from rdflib import URIRef

from kg.model import EntityKey, Evidence, Link, Role, slug
from kg.rdf.vocabulary import ID


def article_iri(article_id: str) -> URIRef:
    return ID[f"article/{article_id}"]


def entity_iri(key: str | EntityKey) -> URIRef:
    return ID[str(key)]


def event_iri(article_id: str, span: tuple[int, int], *, in_title: bool = False) -> URIRef:
    """An event by its trigger's span, in the text or (`in_title`) in the title."""
    part = "title/" if in_title else ""
    return ID[f"event/{article_id}/{part}{span[0]}-{span[1]}"]


def evidence_iri(evidence: Evidence) -> URIRef:
    part = "title/" if evidence.in_title else ""
    return ID[f"evidence/{evidence.article_id}/{part}{evidence.start}-{evidence.end}/{evidence.rule}"]


def role_iri(role: Role) -> URIRef:
    of = slug(role.of) if role.of else "none"
    return ID[f"role/{EntityKey.parse(role.person).slug}/{slug(role.title)}/{of}"]


def pair_iri(a: str | EntityKey, b: str | EntityKey) -> URIRef:
    """Two parties of an event, in either order: id:pair/KEY/KEY, the keys in text order (so
    that a query can make it from the two entity IRIs, and find their events by one lookup)."""
    first, second = sorted((str(a), str(b)))
    return ID[f"pair/{first}/{second}"]


def link_iri(link: Link) -> URIRef:
    """The rdf:Statement of a standing relation in one article's graph."""
    return ID[f"link/{link.evidence.article_id}/{link.subject}/{link.relation}/{link.object}"]


def topic_iri(label: str) -> URIRef:
    return ID[f"topic/{slug(label)}"]


def article_id_of(iri: URIRef | str) -> str:
    """The article id in an article's IRI (what `article_iri` was given)."""
    return str(iri).rsplit("/", 1)[1]
