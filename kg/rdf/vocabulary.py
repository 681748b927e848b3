"""The kg vocabulary as closed rdflib namespaces, and the one table of prefixes.

Every term the code writes is listed here; a typo fails at import (`_fail = True`), and a
test checks that `ontology/kg.ttl` declares each of them.
"""
from __future__ import annotations

from rdflib import BNode, Namespace, URIRef
from rdflib.namespace import DefinedNamespace
from rdflib.term import Node

from kg.model import EntityType

BASE = "https://w3id.org/kg-news/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = Namespace(BASE + "id/")


class KG(DefinedNamespace):
    """Classes, properties and individuals of the kg ontology."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # Things
    Actor: URIRef
    Person: URIRef
    Country: URIRef
    Organization: URIRef
    Location: URIRef
    Group: URIRef
    Role: URIRef
    Topic: URIRef
    Thing: URIRef
    Article: URIRef
    Evidence: URIRef
    Modality: URIRef
    Pair: URIRef

    # Events, aligned with PLOVER types; the modes below are subclasses
    Event: URIRef
    Agree: URIRef
    Consult: URIRef
    Support: URIRef
    Concede: URIRef
    Cooperate: URIRef
    Aid: URIRef
    Retreat: URIRef
    Request: URIRef
    Demand: URIRef
    Accuse: URIRef
    Disapprove: URIRef
    Reject: URIRef
    Threaten: URIRef
    Protest: URIRef
    Sanction: URIRef
    Mobilize: URIRef
    Coerce: URIRef
    Assault: URIRef
    Fight: URIRef
    Investigate: URIRef
    Action: URIRef
    PhoneCall: URIRef
    Visit: URIRef
    Meeting: URIRef
    Summit: URIRef
    Negotiation: URIRef
    Tariff: URIRef
    Embargo: URIRef
    Endorsement: URIRef
    Killing: URIRef
    Resignation: URIRef
    Statement: URIRef

    # Modality individuals
    Happened: URIRef
    Planned: URIRef
    Hypothetical: URIRef
    Negated: URIRef
    Reported: URIRef

    # Event properties
    participant: URIRef
    pair: URIRef
    reportedBy: URIRef
    object: URIRef
    lemma: URIRef
    content: URIRef
    concerns: URIRef
    agent: URIRef
    target: URIRef
    topic: URIRef
    goods: URIRef
    date: URIRef
    timeText: URIRef
    duration: URIRef
    place: URIRef
    ordinal: URIRef
    during: URIRef
    modality: URIRef
    trigger: URIRef
    evidence: URIRef

    # Evidence and article properties
    article: URIRef
    sentence: URIRef
    startChar: URIRef
    endChar: URIRef
    rule: URIRef
    ruleVersion: URIRef
    confidence: URIRef
    inTitle: URIRef
    title: URIRef
    url: URIRef
    source: URIRef
    author: URIRef
    published: URIRef
    origin: URIRef
    articleText: URIRef
    duplicateOf: URIRef

    # Entities and roles
    name: URIRef
    alias: URIRef
    iso3: URIRef
    holdsRole: URIRef
    roleTitle: URIRef
    roleOf: URIRef
    roleHolder: URIRef

    # Shortcuts between actors, each the shortcut of an event pattern
    shortcutOf: URIRef
    spokeWith: URIRef
    metWith: URIRef
    negotiatesWith: URIRef
    imposesTariffOn: URIRef
    supports: URIRef
    criticizes: URIRef
    threatens: URIRef
    investigates: URIRef
    visits: URIRef
    demandsFrom: URIRef
    cooperatesWith: URIRef
    agreesWith: URIRef
    accuses: URIRef
    rejects: URIRef
    sanctions: URIRef
    attacks: URIRef
    aids: URIRef
    leaderOf: URIRef
    memberOf: URIRef

    # Standing relations between entities, with their evidence on an rdf:Statement
    standingRelation: URIRef
    locatedIn: URIRef
    basedIn: URIRef
    residentOf: URIRef
    bornIn: URIRef
    nationality: URIRef
    worksFor: URIRef


PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "id": str(ID),
    # one prefix per kind of entity, so queries can say person:donald-trump, country:JPN
    **{kind.prefix: f"{ID}{kind.key_prefix}/" for kind in EntityType},
    "topic": str(ID) + "topic/",
    "thing": str(ID) + "thing/",
    "article": str(ID) + "article/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
    "wd": "http://www.wikidata.org/entity/",
    "sh": "http://www.w3.org/ns/shacl#",
    "kgsh": BASE + "shapes#",
}


def sparql_prologue() -> str:
    """PREFIX lines for every project prefix, to put before a user's query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def compact(term: Node | None) -> str:
    """A short display form: prefixed names for known IRIs, values for literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def compact_iri(iri: str) -> str:
    """An IRI as a prefixed name (`person:shigeru-ishiba`) where a project prefix fits."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def expand(name: str) -> str:
    """A prefixed name (`person:shigeru-ishiba`) as its full IRI; anything else as given."""
    prefix, sep, rest = name.partition(":")
    if sep and prefix in PREFIXES and not rest.startswith("//"):
        return PREFIXES[prefix] + rest
    return name
