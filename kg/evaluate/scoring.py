"""Scores per label: PLOVER events (one per record), re3d entities and re3d relations.

A gold item is a hit when one of our facts matches it (one fact, one gold item); see
docs/evaluation.md for the definitions."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.evaluate.datasets import GoldEntity, GoldRelation, PloverRecord, SpanSet
from kg.evaluate.mapping import EvalMapping, SpanMapping
from kg.evaluate.matching import (NO_NAMES, Fact, KnownNames, describe_event, entity_texts, event_matches,
                                  fact_matches, max_matching, names_of, overlaps, sentence_bounds,
                                  relation_facts)
from kg.evaluate.report import Case, Score, Section, micro
from kg.model import Event, Extraction


class _Tally:
    """Counts per label while scoring, with the cases behind the misses and false hits."""

    def __init__(self, labels: Iterable[str] = ()) -> None:
        self.counts: dict[str, Counter] = {label: Counter() for label in labels}
        self.unscored: Counter = Counter()
        self.misses: list[Case] = []
        self.false_hits: list[Case] = []

    def add(self, label: str, kind: str) -> None:
        self.counts.setdefault(label, Counter())[kind] += 1

    def miss(self, case: Case) -> None:
        self.add(case.label, "fn")
        self.misses.append(case)

    def false_hit(self, case: Case) -> None:
        self.add(case.label, "fp")
        self.false_hits.append(case)

    def section(self, name: str, *, combined: Sequence[Sequence[str]] = (), sort: bool = False) -> Section:
        labels = sorted(self.counts) if sort else list(self.counts)
        rows = {label: Score(*(self.counts[label][kind] for kind in ("tp", "fp", "fn"))) for label in labels}
        sums = {"+".join(group): micro(rows[label] for label in group if label in rows) for group in combined}
        return Section(name=name, rows=rows, misses=tuple(self.misses), false_hits=tuple(self.false_hits),
                       combined=sums, unscored=dict(sorted(self.unscored.items())))


def score_plover(
    records: Sequence[PloverRecord], extractions: Sequence[Extraction], mapping: EvalMapping, *, known: KnownNames = NO_NAMES
) -> Section:
    """Per PLOVER type: a record is a hit when an event of its type has matching actors;
    each other type we read in a record (or the gold type, read with the wrong actors) is
    one false hit for that record."""
    tally = _Tally({r.event for r in records})
    for record, extraction in zip(records, extractions, strict=True):
        texts, names = entity_texts(extraction, known), names_of(extraction, known)
        by_type: dict[str, list[Event]] = {}
        for event in extraction.events:
            label = mapping.plover_label(event)
            if label:
                by_type.setdefault(label, []).append(event)
        expected = _describe_record(record)
        hit = any(event_matches(e, record, texts) for e in by_type.get(record.event, ()))
        if hit:
            tally.add(record.event, "tp")
        else:
            found = "; ".join(describe_event(e, names) for events in by_type.values() for e in events)
            tally.miss(Case(record.event, record.id, record.text, expected, found or "nothing"))
        for label, events in sorted(by_type.items()):
            if label != record.event or not hit:
                found = "; ".join(describe_event(e, names) for e in events)
                tally.false_hit(Case(label, record.id, record.text, expected, found))
    return tally.section("events", sort=True)


def _describe_record(record: PloverRecord) -> str:
    return f"{record.event}({', '.join(record.sources)} -> {', '.join(record.targets)}) '{record.event_text}'"


@dataclass(frozen=True)
class _Found:
    """One of our mentions, as the re3d types it may stand for."""

    span: tuple[int, int]
    text: str
    types: tuple[str, ...]
    kind: str  # our entity type


def score_entities(
    data: SpanSet,
    extractions: Sequence[Extraction],
    mapping: SpanMapping,
    *,
    exact: bool = False,
    demonyms: frozenset[str] = frozenset(),
) -> Section:
    """Per gold entity type: a gold entity is a hit when a mention of a matching type overlaps it
    (with `exact`, has the same span); one mention matches one gold entity at most. A
    mention that matches nothing and lies on no gold entity of its types is a false hit."""
    scored = set(mapping.scored_entity_types)
    tally = _Tally(mapping.scored_entity_types)
    by_doc = _by_document(data.entities)
    for extraction in extractions:
        doc_id, text = extraction.article.id, extraction.article.text
        everything = by_doc.get(doc_id, [])
        unique = sorted({(g.span.bounds, g.type): g for g in everything}.items())
        gold = [g for _, g in unique if g.type in scored]
        tally.unscored.update(g.type for _, g in unique if g.type not in scored)
        found, skipped = _found_mentions(extraction, mapping, demonyms)
        tally.unscored.update(skipped)

        def fits(g: GoldEntity, f: _Found) -> bool:
            return g.type in f.types and (g.span.bounds == f.span if exact else overlaps(g.span.bounds, f.span))

        owner = max_matching([[i for i, f in enumerate(found) if fits(g, f)] for g in gold])
        matched = set(owner.values())
        for n, g in enumerate(gold):
            if n in matched:
                tally.add(g.type, "tp")
                continue
            near = "; ".join(f"'{f.text}' {f.kind}" for f in found if overlaps(g.span.bounds, f.span))
            tally.miss(Case(g.type, doc_id, _sentence(text, *g.span.bounds), f"'{g.span.text}'", near or "nothing"))
        for i, f in enumerate(found):
            if i in owner or any(fits(g, f) for g in gold):
                continue  # a hit, or a second mention of a gold entity already matched
            near = "; ".join(f"'{g.span.text}' {g.type}" for g in everything if overlaps(g.span.bounds, f.span))
            where = _sentence(text, *f.span)
            tally.false_hit(Case(f.types[0], doc_id, where, near or "no gold entity", f"'{f.text}' {f.kind}"))
    return tally.section("entities (exact span)" if exact else "entities")


def _found_mentions(extraction: Extraction, mapping: SpanMapping, demonyms: frozenset[str]) -> tuple[list[_Found], Counter]:
    """Our mentions with their re3d types, each span once; and counts of those left out."""
    kinds = {e.key: e.type for e in extraction.entities}
    found: dict[tuple[int, int], _Found] = {}
    skipped: Counter = Counter()
    for mention in extraction.mentions:
        kind = kinds.get(mention.entity, "")
        types = mapping.entity_types.get(kind, ())
        if mention.text.lower() in demonyms:
            skipped["(our demonym mentions)"] += 1
        elif not types:
            skipped[f"(our {kind or 'untyped'} mentions)"] += 1
        else:
            span = (mention.start, mention.end)
            found.setdefault(span, _Found(span, mention.text, types, kind))
    return sorted(found.values(), key=lambda f: f.span), skipped


def _by_document(items: Iterable[GoldEntity | GoldRelation]) -> dict[str, list]:
    by_doc: dict[str, list] = {}
    for item in items:
        by_doc.setdefault(item.document, []).append(item)
    return by_doc


def _sentence(text: str, begin: int, end: int) -> str:
    start, stop = sentence_bounds(text, begin, end)
    return text[start:stop].strip()


def score_relations(
    data: SpanSet, extractions: Sequence[Extraction], mapping: SpanMapping, *, known: KnownNames = NO_NAMES
) -> Section:
    """Per gold relation type: a gold relation is a hit when one of our facts of the mapped
    type matches it (one fact, one gold relation). A fact that matches no gold relation is
    a false hit, unless both its arguments lie inside one gold entity ("Iraqi President
    Fuad Masum" is one re3d Person, so his role of Iraq cannot be a re3d relation)."""
    scored = set(mapping.scored_relations)
    symmetric = mapping.symmetric_relations
    tally = _Tally(mapping.scored_relations)
    by_doc = _by_document(data.relations)
    entities_by_doc = _by_document(data.entities)
    for extraction in extractions:
        doc_id, text = extraction.article.id, extraction.article.text
        unique = _unique_relations(by_doc.get(doc_id, []), symmetric)
        gold = [g for g in unique if g.type in scored]
        tally.unscored.update(g.type for g in unique if g.type not in scored)
        spans = [e.span.bounds for e in entities_by_doc.get(doc_id, [])]
        facts = []
        for fact in relation_facts(extraction, mapping, known=known):
            if fact.type not in scored:
                continue
            if _within_one(fact, spans):
                tally.unscored["(our facts inside one gold entity)"] += 1
            else:
                facts.append(fact)

        def fits(g: GoldRelation, f: Fact) -> bool:
            return fact_matches(f, g, symmetric=g.type in symmetric)

        owner = max_matching([[i for i, f in enumerate(facts) if fits(g, f)] for g in gold])
        matched = set(owner.values())
        for n, g in enumerate(gold):
            if n in matched:
                tally.add(g.type, "tp")
                continue
            near = "; ".join(f"{f.type}: {f.description}" for f in facts if _touches(f, g))
            where = _sentence(text, min(g.source.begin, g.target.begin), max(g.source.end, g.target.end))
            tally.miss(Case(g.type, doc_id, where, _describe_relation(g), near or "nothing"))
        for i, f in enumerate(facts):
            if i in owner or any(fits(g, f) for g in gold):
                continue  # a hit, or a second fact for a gold relation already matched
            near = "; ".join(_describe_relation(g) for g in by_doc.get(doc_id, []) if _touches(f, g))
            tally.false_hit(Case(f.type, doc_id, f.sentence, near or "no gold relation", f.description))
    return tally.section("relations", combined=mapping.combined_relations)


def _unique_relations(relations: Iterable[GoldRelation], symmetric: frozenset[str]) -> list[GoldRelation]:
    """Each gold relation once: a symmetric pair annotated both ways counts once."""
    unique: dict[tuple, GoldRelation] = {}
    for g in relations:
        ends = (g.source.bounds, g.target.bounds)
        key = (g.type, tuple(sorted(ends)) if g.type in symmetric else ends)
        unique.setdefault(key, g)
    return list(unique.values())


def _within_one(fact: Fact, spans: Sequence[tuple[int, int]]) -> bool:
    """Both arguments of the fact inside one of `spans`."""
    def inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return b[0] <= a[0] and a[1] <= b[1]

    return any(any(inside(s, span) for s in fact.source) and any(inside(t, span) for t in fact.target) for span in spans)


def _touches(fact: Fact, gold: GoldRelation) -> bool:
    return any(overlaps(s, g) for s in (*fact.source, *fact.target) for g in (gold.source.bounds, gold.target.bounds))


def _describe_relation(g: GoldRelation) -> str:
    return f"{g.type}('{g.source.text}' -> '{g.target.text}') '{g.trigger}'"
