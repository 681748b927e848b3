"""`kg doctor`: whether an embedded store is what `kg.store.layout` says, and mending it.

kg's own writes are transactions, so a killed build leaves nothing to mend; a store written
by an older kg, by another tool, or damaged on disk may hold strays. Each check names what
it found; with `repair`, it is mended so that the store is what a clean build would write:
- the layout marker and the ontology (missing, or not this kg.ttl): written again;
- default-graph triples no named graph states: removed; named-graph triples missing from the
  default graph: added;
- fingerprints of articles not stored, or damaged: removed (and made again from the text);
  stored stories without one: fingerprinted;
- duplicate links to a story not stored: the link's graph removed, so the next build reads
  that article again;
- hidden folders of killed store creations beside the store: removed (each opening does it).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kg.ingest.dedup import Fingerprint
from kg.store.layout import (ARTICLE_TEXT, CONTENT_KEY, DEFAULT, FINGERPRINTS_GRAPH, GRAPHS, LAYOUT, LAYOUT_VERSION,
                             MINHASH, ONTOLOGY, ONTOLOGY_DIGEST, STORE_GRAPH, drop_graph, fingerprint_quads,
                             is_data_graph, ontology_digest)


class Checked(Protocol):
    """What is checked: an OxigraphStore (named here by what is used, as it imports this module)."""

    path: Path | None
    engine: ox.Store

    def article_graphs(self) -> list: ...

    def load_ontology(self, *, force: bool = False) -> None: ...

DUPLICATE_OF = ox.NamedNode("https://w3id.org/kg-news/ontology#duplicateOf")
SHOWN = 5  # examples kept per finding

STRAYS = f"""SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER (!STRSTARTS(STR(?g), "{GRAPHS}")) }} }}"""
MISSING = f"""SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER (!STRSTARTS(STR(?g), "{GRAPHS}")) FILTER NOT EXISTS {{ ?s ?p ?o }} }}"""


@dataclass
class Finding:
    """One kind of stray: how many, a few examples, and whether they were mended."""

    what: str
    count: int
    examples: list[str] = field(default_factory=list)
    repaired: bool = False

    def describe(self) -> str:
        shown = "; ".join(self.examples[:SHOWN]) + ("; …" if self.count > SHOWN else "")
        return f"{self.what}: {self.count}{' (repaired)' if self.repaired else ''}" + (f" — {shown}" if shown else "")


@dataclass
class IntegrityReport:
    store: str
    articles: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        """Nothing was found, or everything found was mended."""
        return all(f.repaired for f in self.findings)

    @property
    def repaired(self) -> bool:
        return any(f.repaired for f in self.findings)

    def describe(self) -> str:
        lines = [f"kg doctor: {self.store}: {self.articles} article graphs"]
        lines += [f"  {f.describe()}" for f in self.findings]
        if not self.findings:
            lines.append("  consistent: nothing to repair")
        elif not self.consistent:
            lines.append("  run `kg doctor --repair` to mend what is listed")
        return "\n".join(lines)


def check(store: Checked, *, repair: bool, cleared: list[Path] = ()) -> IntegrityReport:
    """Every check of this module on `store` (its Oxigraph store `engine`), mending with `repair`."""
    engine = store.engine
    report = IntegrityReport(store=str(store.path or "memory"), articles=len(store.article_graphs()))
    if cleared:
        report.findings.append(Finding("leftover temporary stores", len(cleared), [p.name for p in cleared], True))
    _layout(store, report, repair=repair)
    _strays(engine, report, repair=repair)
    _missing(engine, report, repair=repair)
    _fingerprints(engine, report, repair=repair)
    _links(engine, report, repair=repair)
    return report


def unfingerprinted(engine: ox.Store) -> Iterator[tuple[ox.NamedNode, str]]:
    """Stored stories (article graphs stating their text) that have no fingerprint."""
    for quad in engine.quads_for_pattern(None, ARTICLE_TEXT, None, None):
        article = quad.subject
        if quad.graph_name == article and next(engine.quads_for_pattern(article, CONTENT_KEY, None, FINGERPRINTS_GRAPH),
                                               None) is None:
            yield article, quad.object.value


def _marker(engine: ox.Store, prop: ox.NamedNode) -> str | None:
    found = next(engine.quads_for_pattern(STORE_GRAPH, prop, None, STORE_GRAPH), None)
    return found.object.value if found else None


def _layout(store: Checked, report: IntegrityReport, *, repair: bool) -> None:
    engine = store.engine
    if _marker(engine, LAYOUT) != str(LAYOUT_VERSION):
        report.findings.append(Finding(f"layout marker not version {LAYOUT_VERSION}", 1, [], repair))
    stale = _marker(engine, ONTOLOGY_DIGEST) != ontology_digest()
    empty = next(engine.quads_for_pattern(None, None, None, ONTOLOGY), None) is None
    if stale or empty:
        report.findings.append(Finding("ontology missing or not this kg.ttl", 1, [], repair))
        if repair:
            store.load_ontology(force=True)


def _strays(engine: ox.Store, report: IntegrityReport, *, repair: bool) -> None:
    found = [ox.Quad(s, p, o, DEFAULT) for s, p, o in engine.query(STRAYS)]
    if found:
        report.findings.append(Finding("default-graph triples no graph states", len(found),
                                       [str(q.triple) for q in found[:SHOWN]], repair))
        if repair:
            for quad in found:
                engine.remove(quad)


def _missing(engine: ox.Store, report: IntegrityReport, *, repair: bool) -> None:
    found = [ox.Quad(s, p, o, DEFAULT) for s, p, o in engine.query(MISSING)]
    if found:
        report.findings.append(Finding("graph triples missing from the default graph", len(found),
                                       [str(q.triple) for q in found[:SHOWN]], repair))
        if repair:
            engine.extend(found)


def _fingerprints(engine: ox.Store, report: IntegrityReport, *, repair: bool) -> None:
    orphans, damaged = [], []
    for quad in engine.quads_for_pattern(None, CONTENT_KEY, None, FINGERPRINTS_GRAPH):
        article = quad.subject
        if not engine.contains_named_graph(article):
            orphans.append(article)
            continue
        signature = next(engine.quads_for_pattern(article, MINHASH, None, FINGERPRINTS_GRAPH), None)
        try:
            Fingerprint.parse(quad.object.value, signature.object.value if signature else None)
        except ValueError:
            damaged.append(article)
    for what, articles in (("fingerprints of articles not stored", orphans), ("damaged fingerprints", damaged)):
        if articles:
            report.findings.append(Finding(what, len(articles), [a.value for a in articles[:SHOWN]], repair))
            if repair:
                for article in articles:
                    for quad in list(engine.quads_for_pattern(article, None, None, FINGERPRINTS_GRAPH)):
                        engine.remove(quad)
    missing = list(unfingerprinted(engine))
    if missing:
        report.findings.append(Finding("stored stories without a fingerprint", len(missing),
                                       [a.value for a, _ in missing[:SHOWN]], repair))
        if repair:
            for article, text in missing:
                engine.extend(fingerprint_quads(article, Fingerprint.of(text)))


def _links(engine: ox.Store, report: IntegrityReport, *, repair: bool) -> None:
    dangling = [q.subject for q in engine.quads_for_pattern(None, DUPLICATE_OF, None, None)
                if is_data_graph(q.graph_name) and q.graph_name == q.subject
                and isinstance(q.object, ox.NamedNode) and not engine.contains_named_graph(q.object)]
    if dangling:
        report.findings.append(Finding("duplicate links to stories not stored (read again by the next build)",
                                       len(dangling), [a.value for a in dangling[:SHOWN]], repair))
        if repair:
            for article in dangling:
                engine.update(drop_graph(article))
