"""What a kg store keeps beside the article graphs, and the one way each of its writes is made.

An embedded store holds:
- one named graph per article (`id:article/...`), all that the article states;
- the default graph: every triple of every named graph once (queries read it, so a fact
  stated by twenty articles is one row, while `GRAPH ?article { ... }` still says who said it);
- the ontology's graph (`ONTOLOGY_IRI`, from ontology/kg.ttl), its triples in the default
  graph too, so queries can follow `rdfs:subClassOf`;
- `FINGERPRINTS_GRAPH`: each stored story's content key and MinHash signature
  (`kg.ingest.dedup.Fingerprint`), so that duplicate detection never re-reads stored texts;
- `STORE_GRAPH`: the layout's version and the digest of the ontology it holds, so the
  ontology is written once per version of kg.ttl, not on every build.
The last two are kg's own bookkeeping: no query reads them (they are not in the default
graph) and no export writes them.

Each write is one transaction: an article's graph, its default-graph triples and its
fingerprint together; the ontology with its digest. A killed build leaves whole articles or
none, and the old ontology or the new one (`kg doctor` checks this and repairs what an older
kg or a foreign writer left).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox

from kg.ingest.dedup import Fingerprint
from kg.rdf.ontology import ONTOLOGY_FILE, ontology_text
from kg.rdf.vocabulary import BASE, ONTOLOGY_IRI

LAYOUT_VERSION = 2  # 1: kg before the store kept fingerprints and its ontology's digest
GRAPHS = BASE + "graph/"  # kg's own graphs (and the remote store's default graph) live under here
STORE_GRAPH = ox.NamedNode(GRAPHS + "store")
FINGERPRINTS_GRAPH = ox.NamedNode(GRAPHS + "fingerprints")
ONTOLOGY = ox.NamedNode(str(ONTOLOGY_IRI))
DEFAULT = ox.DefaultGraph()
_KGS = BASE + "store#"
LAYOUT = ox.NamedNode(_KGS + "layout")
ONTOLOGY_DIGEST = ox.NamedNode(_KGS + "ontologyDigest")
CONTENT_KEY = ox.NamedNode(_KGS + "contentKey")
MINHASH = ox.NamedNode(_KGS + "minhash")
ARTICLE_TEXT = ox.NamedNode(BASE + "ontology#articleText")


def is_data_graph(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bool:
    """Whether a named graph holds data (an article's): neither the ontology's nor kg's own."""
    return isinstance(graph, ox.NamedNode) and graph != ONTOLOGY and not graph.value.startswith(GRAPHS)


def ontology_triples() -> list[ox.Triple]:
    """ontology/kg.ttl, read by Oxigraph."""
    return [quad.triple for quad in ox.parse(ontology_text().encode("utf-8"), format=ox.RdfFormat.TURTLE,
                                             base_iri=str(ONTOLOGY_IRI))]


def ontology_digest() -> str:
    """Names this layout and this kg.ttl: a store holding another must load the ontology again."""
    text = f"layout {LAYOUT_VERSION}\n{ONTOLOGY_FILE}\n{ontology_text()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def marker_quads(digest: str) -> list[ox.Quad]:
    return [ox.Quad(STORE_GRAPH, LAYOUT, ox.Literal(str(LAYOUT_VERSION), datatype=_INTEGER), STORE_GRAPH),
            ox.Quad(STORE_GRAPH, ONTOLOGY_DIGEST, ox.Literal(digest), STORE_GRAPH)]


_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def fingerprint_quads(article: ox.NamedNode, fingerprint: Fingerprint) -> list[ox.Quad]:
    quads = [ox.Quad(article, CONTENT_KEY, ox.Literal(fingerprint.key), FINGERPRINTS_GRAPH)]
    signature = fingerprint.signature_text()
    if signature is not None:
        quads.append(ox.Quad(article, MINHASH, ox.Literal(signature), FINGERPRINTS_GRAPH))
    return quads


def text_of(triples: Iterable[tuple], article: ox.NamedNode) -> str | None:
    """The article's text among its graph's triples (a duplicate's link has none)."""
    return next((o.value for s, p, o in triples if p == ARTICLE_TEXT and s == article), None)


def insert_data(quads: Iterable[ox.Quad]) -> str:
    """A SPARQL INSERT DATA operation for quads (Oxigraph writes terms in N-Triples form, which
    SPARQL reads); blank nodes keep their labels within the one operation."""
    blocks: dict[str, list[str]] = {}
    for quad in quads:
        graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
        blocks.setdefault(graph, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    body = "\n".join((f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}") if graph else "\n".join(lines)
                     for graph, lines in blocks.items())
    return f"INSERT DATA {{\n{body}\n}}"


def drop_graph(name: ox.NamedNode) -> str:
    """SPARQL Update that removes a named graph, and from the default graph each of its triples
    that no other named graph states."""
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != {name}) }} }} ;\n"
            f"DROP SILENT GRAPH {name}")
