"""Score extraction against third-party gold annotations: PLOVER GSR events and re3d.

`evaluate(paths, extractor)` finds the format of each gold set, runs the extractor over its
texts in batches, and scores what it read with the definitions in docs/evaluation.md.
How our vocabulary lines up with each label set is data: kg/data/eval_mapping.toml.
Nothing here imports spaCy: the extractor is passed in, and the matching works on
`Extraction` records, so it can be tested on hand-made ones.
"""
from __future__ import annotations

import json
import re
import time
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Protocol

from kg.extract import gazetteer as gazetteers
from kg.errors import InputError
from kg.model import Article, Event, Evidence, Extraction

__all__ = [
    "Case",
    "DatasetReport",
    "EvalMapping",
    "EvalReport",
    "Fact",
    "GoldEntity",
    "GoldRelation",
    "KnownNames",
    "PloverRecord",
    "Re3dSet",
    "Score",
    "Section",
    "Span",
    "actor_matches",
    "evaluate",
    "event_matches",
    "fact_matches",
    "find_datasets",
    "format_report",
    "head_word",
    "load_mapping",
    "read_plover",
    "read_re3d",
    "relation_facts",
    "report_json",
    "score_entities",
    "score_plover",
    "score_relations",
]

MAPPING_FILE = "eval_mapping.toml"
RE3D_FILES = ("documents.json", "entities.json", "relations.json")
FORMATS = "a PLOVER GSR file (a JSON array of records) or a re3d folder (documents.json, entities.json, relations.json)"
WORD = re.compile(r"[\w.'’&-]+")
# Words that open a post-modifier: the head of "militias in Tripoli" is "militias", not "Tripoli".
POSTMODIFIERS = frozenset({"in", "of", "from", "at", "on", "throughout", "across", "near", "inside", "outside",
                           "for", "with", "operating", "based", "ordered", "affiliated"})


class BatchExtractor(Protocol):
    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]: ...


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """Counts for one label; precision, recall and F1 are 0 when undefined (nothing to divide)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def micro(scores: Iterable[Score]) -> Score:
    """The micro-average: counts summed over labels."""
    return sum(scores, Score())


@dataclass(frozen=True)
class Case:
    """One miss (gold we did not read) or false hit (what we read that the gold lacks)."""

    label: str  # PLOVER type, re3d relation or entity type
    document: str  # record or document id
    text: str  # the record, or the sentence in the document
    expected: str  # what the gold says ("no gold ..." for a false hit with nothing there)
    found: str  # what we read there ("nothing" for a miss with nothing there)


@dataclass(frozen=True)
class Section:
    """The figures for one kind of annotation in one dataset: events, relations or entities."""

    name: str
    rows: dict[str, Score]  # label -> counts, in label order
    misses: tuple[Case, ...] = ()
    false_hits: tuple[Case, ...] = ()
    combined: dict[str, Score] = field(default_factory=dict)  # "CommWith+Likes" -> counts
    unscored: dict[str, int] = field(default_factory=dict)  # gold labels left out -> count

    @property
    def total(self) -> Score:
        return micro(self.rows.values())


@dataclass(frozen=True)
class DatasetReport:
    name: str  # "plover_gsr_dev", "re3d/uk_government"
    path: str
    format: str  # "plover" or "re3d"
    documents: int
    sections: tuple[Section, ...]
    seconds: float


@dataclass(frozen=True)
class EvalReport:
    datasets: tuple[DatasetReport, ...]
    min_confidence: float
    seconds: float

    def pooled(self) -> tuple[Section, ...]:
        """Each section summed over the datasets of the same format ("re3d relations")."""
        pools: dict[str, list[Section]] = {}
        for dataset in self.datasets:
            for section in dataset.sections:
                pools.setdefault(f"{dataset.format} {section.name}", []).append(section)
        return tuple(_pool(name, sections) for name, sections in pools.items())


def _pool(name: str, sections: list[Section]) -> Section:
    rows: dict[str, Score] = {}
    combined: dict[str, Score] = {}
    unscored: Counter = Counter()
    for section in sections:
        for into, scores in ((rows, section.rows), (combined, section.combined)):
            for label, score in scores.items():
                into[label] = into.get(label, Score()) + score
        unscored.update(section.unscored)
    return Section(name=name, rows=rows, combined=combined, unscored=dict(sorted(unscored.items())))


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


# ---------------------------------------------------------------------------
# The mapping between our vocabulary and the gold label sets
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EvalMapping:
    """kg/data/eval_mapping.toml, with the event families of the lexicon for classes it lacks."""

    plover_events: dict[str, str]
    entity_types: dict[str, tuple[str, ...]]
    scored_entity_types: tuple[str, ...]
    relation_events: dict[str, str]
    leader_role: str | None
    member_role: str | None
    scored_relations: tuple[str, ...]
    symmetric_relations: frozenset[str]
    combined_relations: tuple[tuple[str, ...], ...]
    skip_modalities: frozenset[str]
    parents: dict[str, str] = field(default_factory=dict)  # event class -> family
    intent_types: frozenset[str] = frozenset()  # PLOVER types whose planned form is an intent
    intent_label: str | None = None  # the PLOVER type an intent counts as (AGREE)
    threat_types: frozenset[str] = frozenset()  # PLOVER types whose planned or conditional form is a threat
    threat_modalities: frozenset[str] = frozenset()
    threat_label: str | None = None  # the PLOVER type a threat counts as (THREATEN)
    refusal_types: frozenset[str] = frozenset()  # PLOVER types whose negated form is a refusal
    refusal_label: str | None = None  # the PLOVER type a refusal counts as (REJECT)

    def plover_type(self, event_type: str) -> str | None:
        return self.plover_events.get(event_type) or self.plover_events.get(self.parents.get(event_type, ""))

    def plover_label(self, event: Event) -> str | None:
        """The PLOVER type of an event, or None when it is not scored: a planned act of
        cooperation is an intent (AGREE); a planned or conditional sanction or use of force is
        a threat (THREATEN); a refused act of cooperation is a rejection (REJECT)."""
        label = self.plover_type(event.type)
        if event.modality == "negated" and label in self.refusal_types and self.refusal_label:
            return self.refusal_label
        if not self.scores(event):
            return None
        if event.modality == "planned" and label in self.intent_types and self.intent_label:
            return self.intent_label
        if event.modality in self.threat_modalities and label in self.threat_types and self.threat_label:
            return self.threat_label
        return label

    def relation_type(self, event_type: str) -> str | None:
        return self.relation_events.get(event_type) or self.relation_events.get(self.parents.get(event_type, ""))

    def scores(self, event: Event) -> bool:
        return event.modality not in self.skip_modalities


def load_mapping(path: str | Path | None = None, *, parents: Mapping[str, str] | None = None) -> EvalMapping:
    """The shipped mapping, or the one at `path`; `parents` maps event classes to families."""
    source = Path(path) if path else resources.files("kg.data").joinpath(MAPPING_FILE)
    try:
        with source.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(
            f"Cannot read the evaluation mapping {source}: {error}. The shipped one is kg/data/{MAPPING_FILE}."
        ) from None
    try:
        entities, relations = data["re3d"]["entities"], data["re3d"]["relations"]
        roles = relations.get("roles", {})
        return EvalMapping(
            plover_events=dict(data["plover"]["events"]),
            entity_types={kind: tuple(types) for kind, types in entities["types"].items()},
            scored_entity_types=tuple(entities["scored"]),
            relation_events=dict(relations["events"]),
            leader_role=roles.get("leader"),
            member_role=roles.get("member"),
            scored_relations=tuple(relations["scored"]),
            symmetric_relations=frozenset(relations.get("symmetric", ())),
            combined_relations=tuple(tuple(group) for group in relations.get("combined", ())),
            skip_modalities=frozenset(data.get("skip_modalities", ())),
            parents=dict(parents or {}),
            intent_types=frozenset(data["plover"].get("intent", {}).get("types", ())),
            intent_label=data["plover"].get("intent", {}).get("label"),
            threat_types=frozenset(data["plover"].get("threat", {}).get("types", ())),
            threat_modalities=frozenset(data["plover"].get("threat", {}).get("modalities", ())),
            threat_label=data["plover"].get("threat", {}).get("label"),
            refusal_types=frozenset(data["plover"].get("refusal", {}).get("types", ())),
            refusal_label=data["plover"].get("refusal", {}).get("label"),
        )
    except KeyError as missing:
        raise InputError(
            f"The evaluation mapping {source} lacks {missing}: it needs [plover.events], [re3d.entities] "
            f"(scored, types) and [re3d.relations] (scored, events); see kg/data/{MAPPING_FILE}."
        ) from None


# ---------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PloverRecord:
    """One gold-standard record: a short text and the one event coded in it."""

    id: str
    text: str
    event: str  # AGREE, CONSULT, ...
    event_text: str  # the trigger words, as coded
    sources: tuple[str, ...]  # actorText of each source actor
    targets: tuple[str, ...]
    mode: str | None = None


@dataclass(frozen=True)
class Span:
    begin: int
    end: int
    text: str

    @property
    def bounds(self) -> tuple[int, int]:
        return (self.begin, self.end)


@dataclass(frozen=True)
class GoldEntity:
    document: str
    type: str
    span: Span


@dataclass(frozen=True)
class GoldRelation:
    document: str
    type: str
    source: Span
    target: Span
    trigger: str


@dataclass(frozen=True)
class Re3dSet:
    """One re3d folder, with the rows below the confidence threshold left out."""

    documents: tuple[Article, ...]
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]


def read_plover(path: str | Path) -> list[PloverRecord]:
    """The records of a PLOVER GSR JSON file; actors without text are skipped."""
    data = _load_json(Path(path))
    if not isinstance(data, list) or not all(isinstance(r, dict) and "text" in r and "event" in r for r in data):
        raise InputError(f"{path} is not a PLOVER GSR file: expected a JSON array of records with `text` and `event`.")
    return [
        PloverRecord(
            id=str(record.get("id", f"record-{n}")),
            text=record["text"],
            event=record["event"],
            event_text=record.get("eventText", ""),
            sources=_actor_texts(record.get("source")),
            targets=_actor_texts(record.get("target")),
            mode=record.get("mode") or None,
        )
        for n, record in enumerate(data)
    ]


def _actor_texts(actors: object) -> tuple[str, ...]:
    """Actor texts; some records hold "" or a context word where the list should be."""
    if not isinstance(actors, list):
        return ()
    return tuple(a["actorText"] for a in actors if isinstance(a, dict) and a.get("actorText", "").strip())


def read_re3d(folder: str | Path, *, min_confidence: float = 0.5) -> Re3dSet:
    """A re3d folder's documents, and its entity and relation rows at or above `min_confidence`.

    Relation rows hold the surface text of each argument (`source`, `target`) and its
    character span (`sourceBegin`/`sourceEnd`, `targetBegin`/`targetEnd`); `begin`/`end`
    and `value` are the trigger.
    """
    folder = Path(folder)
    docs = _json_lines(folder / "documents.json")
    documents = tuple(
        Article(id=d["_id"], text=d["text"], title=d.get("title"), url=d.get("sourceUrl"), origin=str(folder)) for d in docs
    )
    entities = tuple(
        GoldEntity(document=e["documentId"], type=e["type"], span=Span(e["begin"], e["end"], e["value"]))
        for e in _json_lines(folder / "entities.json")
        if e.get("confidence", 1) >= min_confidence
    )
    relations = tuple(
        GoldRelation(
            document=r["documentId"],
            type=r["type"],
            source=Span(r["sourceBegin"], r["sourceEnd"], r["source"]),
            target=Span(r["targetBegin"], r["targetEnd"], r["target"]),
            trigger=r.get("value", ""),
        )
        for r in _json_lines(folder / "relations.json")
        if r.get("confidence", 1) >= min_confidence
    )
    return Re3dSet(documents=documents, entities=entities, relations=relations)


def _load_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"Cannot read {path}: {error}. Expected {FORMATS}.") from None


def _json_lines(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        files = ", ".join(RE3D_FILES)
        raise InputError(f"Cannot read {path}: {error}. A re3d folder holds the JSON-lines files {files}.") from None


def find_datasets(path: str | Path) -> list[tuple[str, Path]]:
    """(format, path) of each gold set at `path`: a PLOVER file, a re3d folder, or a folder of re3d folders."""
    path = Path(path)
    if path.is_file():
        return [("plover", path)]
    if _is_re3d(path):
        return [("re3d", path)]
    if path.is_dir():
        found = [("re3d", sub) for sub in sorted(path.iterdir()) if _is_re3d(sub)]
        if found:
            return found
        raise InputError(f"No gold set in {path}: expected {FORMATS}, or a folder of re3d folders.")
    raise InputError(f"{path} does not exist. Give {FORMATS}.")


def _is_re3d(path: Path) -> bool:
    return path.is_dir() and all((path / name).is_file() for name in RE3D_FILES)


# ---------------------------------------------------------------------------
# Matching helpers
# ---------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """Lower-case words without possessive 's and edge punctuation: "Japan's" -> "japan"."""
    words = []
    for raw in WORD.findall(text.lower().replace("’", "'")):
        word = re.sub(r"'s?$", "", raw).strip(".'-")
        if word:
            words.append(word)
    return words


def head_word(actor_text: str) -> str | None:
    """The head noun of a gold actor text: its last word before any post-modifier
    ("Israeli soldiers" -> "soldiers", "militias in Tripoli" -> "militias")."""
    words = _words(actor_text)
    cut = next((i for i, w in enumerate(words) if i and w in POSTMODIFIERS), len(words))
    return words[cut - 1] if words else None


def actor_matches(gold: str, texts: Iterable[str]) -> bool:
    """True when one of our texts for an entity shares the gold actor's head word, or one
    text holds the other as whole words ("Israeli soldiers" holds "Israeli")."""
    head = head_word(gold)
    gold_words = f" {' '.join(_words(gold))} "
    for text in texts:
        words = _words(text)
        if not words:
            continue
        if head in words:
            return True
        ours = f" {' '.join(words)} "
        if ours in gold_words or gold_words in ours:
            return True
    return False


@dataclass(frozen=True)
class KnownNames:
    """What the gazetteer knows beyond one extraction: every name of each entity (with
    demonyms and, for a country, its capital), and the capitals that stand for their
    country ("Berlin rejected ..." makes country/DEU the agent; the mention is Berlin's)."""

    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stand_ins: dict[str, str] = field(default_factory=dict)  # place key -> country key

    @classmethod
    def from_gazetteer(cls, gazetteer: gazetteers.Gazetteer) -> KnownNames:
        names = {
            e.key: tuple(dict.fromkeys((e.name, *e.aliases, *e.demonyms, *((e.capital,) if e.capital else ()))))
            for e in gazetteer.entries
        }
        return cls(names=names, stand_ins=dict(gazetteer.capital_of))


NO_NAMES = KnownNames()


def _entity_texts(extraction: Extraction, known: KnownNames) -> dict[str, tuple[str, ...]]:
    """Every name we have for each entity of an extraction: name, aliases, mention texts,
    and what the gazetteer knows of it."""
    texts: dict[str, list[str]] = {e.key: [e.name, *e.aliases] for e in extraction.entities}
    for mention in extraction.mentions:
        texts.setdefault(mention.entity, []).append(mention.text)
        stands_for = known.stand_ins.get(mention.entity)
        if stands_for:
            texts.setdefault(stands_for, []).append(mention.text)
    for key in list(texts) + [k for e in extraction.events for k in (*e.agents, *e.targets, *e.participants)]:
        texts.setdefault(key, []).extend(known.names.get(key, ()))
    return {key: tuple(dict.fromkeys(names)) for key, names in texts.items()}


def _names(extraction: Extraction, known: KnownNames) -> dict[str, str]:
    """A display name for each entity of an extraction, and for the countries its events
    name through a capital."""
    names = {e.key: e.name for e in extraction.entities}
    used = [k for e in extraction.events for k in (*e.agents, *e.targets, *e.participants)]
    used += [k for r in extraction.roles for k in (r.person, r.of) if k]
    for key in used:
        if key not in names and known.names.get(key):
            names[key] = known.names[key][0]
    return names


def describe_event(event: Event, names: Mapping[str, str]) -> str:
    """"Meeting(Joe Biden -> Xi Jinping) 'met'", with the modality when not "happened"."""
    def who(keys: Iterable[str]) -> str:
        return ", ".join(names.get(k, k) for k in keys)

    inner = f"{who(event.agents)} -> {who(event.targets)}"
    if event.participants:
        inner += f" + {who(event.participants)}"
    modality = f" [{event.modality}]" if event.modality != "happened" else ""
    return f"{event.type}({inner}) '{event.trigger}'{modality}"


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _max_matching(edges: Sequence[Sequence[int]]) -> dict[int, int]:
    """A maximum one-to-one matching; edges[g] lists the candidates of gold item g.

    Returns candidate -> gold. Kuhn's augmenting paths: the sets here are tiny.
    """
    owner: dict[int, int] = {}

    def augment(gold: int, seen: set[int]) -> bool:
        for cand in edges[gold]:
            if cand in seen:
                continue
            seen.add(cand)
            if cand not in owner or augment(owner[cand], seen):
                owner[cand] = gold
                return True
        return False

    for gold in range(len(edges)):
        augment(gold, set())
    return owner


def _sentence_bounds(text: str, begin: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around a span: from the last ". " or newline before it to the next."""
    full_stop = text.rfind(". ", 0, begin)
    start = max(full_stop + 2 if full_stop >= 0 else 0, text.rfind("\n", 0, begin) + 1)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    stop = min(stops) + 1 if stops else len(text)
    return start, stop


def _sentence_span(text: str, sentence: str, start: int) -> tuple[int, int]:
    """Where an evidence sentence lies in the text: the occurrence that holds `start`."""
    at = text.find(sentence, max(0, start - len(sentence)))
    while 0 <= at <= start:
        if start < at + len(sentence) or not sentence:
            return at, at + len(sentence)
        at = text.find(sentence, at + 1)
    return _sentence_bounds(text, start, start)


# ---------------------------------------------------------------------------
# PLOVER: one event per record
# ---------------------------------------------------------------------------


def event_matches(event: Event, record: PloverRecord, texts: Mapping[str, Sequence[str]]) -> bool:
    """The event's actors match the record's: some agent matches a gold source and some
    target a gold target (a gold side with no actors is not checked). A symmetric event
    (talks, meetings) matches in either direction, by two different entities."""
    def matching(gold: Sequence[str], keys: Iterable[str]) -> set[str]:
        return {k for k in keys if any(actor_matches(g, texts.get(k, ())) for g in gold)}

    if event.symmetric:
        everyone = (*event.agents, *event.targets, *event.participants)
        sources, targets = matching(record.sources, everyone), matching(record.targets, everyone)
        if record.sources and record.targets:
            return any(s != t for s in sources for t in targets)
        return bool(sources if record.sources else targets)
    return (not record.sources or bool(matching(record.sources, event.agents))) and (
        not record.targets or bool(matching(record.targets, event.targets))
    )


def score_plover(
    records: Sequence[PloverRecord], extractions: Sequence[Extraction], mapping: EvalMapping, *, known: KnownNames = NO_NAMES
) -> Section:
    """Per PLOVER type: a record is a hit when an event of its type has matching actors;
    each other type we read in a record (or the gold type, read with the wrong actors) is
    one false hit for that record."""
    tally = _Tally({r.event for r in records})
    for record, extraction in zip(records, extractions, strict=True):
        texts, names = _entity_texts(extraction, known), _names(extraction, known)
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


# ---------------------------------------------------------------------------
# re3d: entities
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    """One of our mentions, as the re3d types it may stand for."""

    span: tuple[int, int]
    text: str
    types: tuple[str, ...]
    kind: str  # our entity type


def score_entities(
    data: Re3dSet,
    extractions: Sequence[Extraction],
    mapping: EvalMapping,
    *,
    exact: bool = False,
    demonyms: frozenset[str] = frozenset(),
) -> Section:
    """Per re3d type: a gold entity is a hit when a mention of a matching type overlaps it
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
            return g.type in f.types and (g.span.bounds == f.span if exact else _overlaps(g.span.bounds, f.span))

        owner = _max_matching([[i for i, f in enumerate(found) if fits(g, f)] for g in gold])
        matched = set(owner.values())
        for n, g in enumerate(gold):
            if n in matched:
                tally.add(g.type, "tp")
                continue
            near = "; ".join(f"'{f.text}' {f.kind}" for f in found if _overlaps(g.span.bounds, f.span))
            tally.miss(Case(g.type, doc_id, _sentence(text, *g.span.bounds), f"'{g.span.text}'", near or "nothing"))
        for i, f in enumerate(found):
            if i in owner or any(fits(g, f) for g in gold):
                continue  # a hit, or a second mention of a gold entity already matched
            near = "; ".join(f"'{g.span.text}' {g.type}" for g in everything if _overlaps(g.span.bounds, f.span))
            where = _sentence(text, *f.span)
            tally.false_hit(Case(f.types[0], doc_id, where, near or "no gold entity", f"'{f.text}' {f.kind}"))
    return tally.section("entities (exact span)" if exact else "entities")


def _found_mentions(extraction: Extraction, mapping: EvalMapping, demonyms: frozenset[str]) -> tuple[list[_Found], Counter]:
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
    start, stop = _sentence_bounds(text, begin, end)
    return text[start:stop].strip()


# ---------------------------------------------------------------------------
# re3d: relations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One of our events or roles as a re3d relation between two entities' mention spans."""

    type: str
    source: tuple[tuple[int, int], ...]  # spans of the source entity's mentions near the evidence
    target: tuple[tuple[int, int], ...]
    symmetric: bool
    sentence: str
    description: str


def relation_facts(extraction: Extraction, mapping: EvalMapping, *, known: KnownNames = NO_NAMES) -> list[Fact]:
    """Our events and roles as re3d relations, each pair once per sentence.

    An event gives agent -> target pairs; with no target, every pair of its agents and
    participants ("talks between X and Y"), either way round. A role gives person ->
    country or organisation. Where the arguments are written: see `_spans`.
    """
    text, names = extraction.article.text, _names(extraction, known)
    facts: dict[tuple, Fact] = {}

    def add(kind: str, source: str, target: str, symmetric: bool, evidence: Evidence, description: str) -> None:
        if source == target:
            return
        window = _sentence_span(text, evidence.sentence, evidence.start)
        pair = tuple(sorted((source, target))) if symmetric else (source, target)
        key = (kind, pair, window)
        if key not in facts:
            facts[key] = Fact(
                type=kind,
                source=_spans(extraction, source, window, evidence.start, known),
                target=_spans(extraction, target, window, evidence.start, known),
                symmetric=symmetric,
                sentence=text[window[0]:window[1]].strip(),
                description=description,
            )

    for event in extraction.events:
        kind = mapping.relation_type(event.type)
        if not kind or not mapping.scores(event) or event.evidence is None:
            continue
        described = describe_event(event, names)
        symmetric = kind in mapping.symmetric_relations
        for agent in event.agents:
            for target in event.targets:
                add(kind, agent, target, symmetric, event.evidence, described)
        if not event.targets:
            group = list(dict.fromkeys((*event.agents, *event.participants)))
            for i, one in enumerate(group):
                for other in group[i + 1 :]:
                    add(kind, one, other, True, event.evidence, described)
    for role in extraction.roles:
        kind = mapping.leader_role if role.leader else mapping.member_role
        if kind and role.of:
            described = f"Role({names.get(role.person, role.person)}, {role.title} of {names.get(role.of, role.of)})"
            add(kind, role.person, role.of, kind in mapping.symmetric_relations, role.evidence, described)
    return list(facts.values())


def _spans(
    extraction: Extraction, key: str, window: tuple[int, int], anchor: int, known: KnownNames
) -> tuple[tuple[int, int], ...]:
    """Where an argument is written: its mentions in the sentence (a capital's mentions
    count for its country), else its mention nearest the trigger, else (an entity without
    mentions, such as a group read from a common noun) its name found in the sentence."""
    mentions = [m for m in extraction.mentions if key in (m.entity, known.stand_ins.get(m.entity))]
    inside = [(m.start, m.end) for m in mentions if window[0] <= m.start and m.end <= window[1]]
    if inside:
        return tuple(inside)
    if mentions:
        nearest = min(mentions, key=lambda m: abs(m.start - anchor))
        return ((nearest.start, nearest.end),)
    entity = next((e for e in extraction.entities if e.key == key), None)
    if entity is None:
        return ()
    sentence = extraction.article.text[window[0] : window[1]]
    found = []
    for name in dict.fromkeys((entity.name, *entity.aliases)):
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", sentence, flags=re.IGNORECASE):
            found.append((window[0] + match.start(), window[0] + match.end()))
    return tuple(sorted(set(found)))


def fact_matches(fact: Fact, gold: GoldRelation, *, symmetric: bool = False) -> bool:
    """Same type, and an argument span overlapping each gold argument (either way round
    when the fact or the gold type is symmetric)."""
    if fact.type != gold.type:
        return False
    src, tgt = gold.source.bounds, gold.target.bounds

    def on(spans: tuple[tuple[int, int], ...], gold_span: tuple[int, int]) -> bool:
        return any(_overlaps(s, gold_span) for s in spans)

    if on(fact.source, src) and on(fact.target, tgt):
        return True
    return (fact.symmetric or symmetric) and on(fact.source, tgt) and on(fact.target, src)


def score_relations(
    data: Re3dSet, extractions: Sequence[Extraction], mapping: EvalMapping, *, known: KnownNames = NO_NAMES
) -> Section:
    """Per re3d relation type: a gold relation is a hit when one of our facts of the mapped
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

        owner = _max_matching([[i for i, f in enumerate(facts) if fits(g, f)] for g in gold])
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
    return any(_overlaps(s, g) for s in (*fact.source, *fact.target) for g in (gold.source.bounds, gold.target.bounds))


def _describe_relation(g: GoldRelation) -> str:
    return f"{g.type}('{g.source.text}' -> '{g.target.text}') '{g.trigger}'"


# ---------------------------------------------------------------------------
# Running it all
# ---------------------------------------------------------------------------


def evaluate(
    paths: Sequence[str | Path],
    extractor: BatchExtractor,
    *,
    min_confidence: float = 0.5,
    mapping: EvalMapping | None = None,
) -> EvalReport:
    """Run `extractor` over the gold sets at `paths` and score it.

    Each path is a PLOVER GSR JSON file, a re3d folder, or a folder of re3d folders.
    `min_confidence` drops re3d gold rows below it (rows at 0 are rejected labels).
    """
    started = time.perf_counter()
    lexicon = getattr(extractor, "lexicon", None)
    mapping = mapping or load_mapping(parents=getattr(lexicon, "parents", None))
    gazetteer = getattr(extractor, "gazetteer", None) or gazetteers.load()
    known = KnownNames.from_gazetteer(gazetteer)
    demonyms = frozenset(d.lower() for entry in gazetteer.entries for d in entry.demonyms)
    datasets = []
    for fmt, path in (found for p in paths for found in find_datasets(p)):
        began = time.perf_counter()
        if fmt == "plover":
            records = read_plover(path)
            articles = [Article(id=r.id, text=r.text, origin=f"{path}#{r.id}") for r in records]
            extractions = list(extractor.extract_many(articles))
            sections: tuple[Section, ...] = (score_plover(records, extractions, mapping, known=known),)
            name, documents = path.stem, len(records)
        else:
            data = read_re3d(path, min_confidence=min_confidence)
            extractions = list(extractor.extract_many(data.documents))
            sections = (
                score_relations(data, extractions, mapping, known=known),
                score_entities(data, extractions, mapping, demonyms=demonyms),
                score_entities(data, extractions, mapping, exact=True, demonyms=demonyms),
            )
            name, documents = f"re3d/{path.name}", len(data.documents)
        datasets.append(DatasetReport(name, str(path), fmt, documents, sections, time.perf_counter() - began))
    return EvalReport(datasets=tuple(datasets), min_confidence=min_confidence, seconds=time.perf_counter() - started)


def _score_json(score: Score) -> dict:
    figures = {"precision": score.precision, "recall": score.recall, "f1": score.f1}
    return {"tp": score.tp, "fp": score.fp, "fn": score.fn, **{k: round(v, 4) for k, v in figures.items()}}


def _section_json(section: Section) -> dict:
    return {
        "rows": {label: _score_json(score) for label, score in section.rows.items()},
        "total": _score_json(section.total),
        "combined": {label: _score_json(score) for label, score in section.combined.items()},
        "unscored": dict(section.unscored),
        "misses": len(section.misses),
        "false_hits": len(section.false_hits),
    }


def report_json(report: EvalReport) -> dict:
    """The figures as plain data, for a JSON file that tracks them from run to run."""
    return {
        "min_confidence": report.min_confidence,
        "seconds": round(report.seconds, 2),
        "datasets": [
            {
                "name": d.name,
                "path": d.path,
                "format": d.format,
                "documents": d.documents,
                "seconds": round(d.seconds, 2),
                "sections": {s.name: _section_json(s) for s in d.sections},
            }
            for d in report.datasets
        ],
        "pooled": {s.name: _section_json(s) for s in report.pooled()},
    }


def format_report(report: EvalReport, *, misses: int = 10) -> str:
    """Tables of the figures per dataset, the first `misses` misses and false hits of each
    section, and the pooled figures when a format has several datasets."""
    lines: list[str] = []
    for dataset in report.datasets:
        unit = "records" if dataset.format == "plover" else "documents"
        lines.append(f"{dataset.name}: {dataset.documents} {unit}, {dataset.seconds:.1f} s")
        for section in dataset.sections:
            lines += ["", *_table(section)]
            if misses > 0:
                lines += _cases("misses", section.misses, misses)
                lines += _cases("false hits", section.false_hits, misses)
        lines.append("")
    by_format: dict[str, int] = {}
    for dataset in report.datasets:
        by_format[dataset.format] = by_format.get(dataset.format, 0) + 1
    pooled = [s for s in report.pooled() if by_format.get(s.name.split(" ", 1)[0], 0) > 1]
    if pooled:
        lines.append("All datasets of a format together:")
        for section in pooled:
            lines += ["", *_table(section)]
        lines.append("")
    lines.append(
        f"{len(report.datasets)} dataset(s) in {report.seconds:.1f} s "
        f"(re3d gold rows with confidence >= {report.min_confidence})."
    )
    return "\n".join(lines) + "\n"


def _table(section: Section) -> list[str]:
    width = max([len(section.name), 11, *(len(label) for label in (*section.rows, *section.combined))])
    def row(label: str, s: Score) -> str:
        return f"{label:<{width}} {s.tp:>5} {s.fp:>5} {s.fn:>5} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}"

    lines = [f"{section.name:<{width}} {'tp':>5} {'fp':>5} {'fn':>5} {'precision':>9} {'recall':>7} {'f1':>6}"]
    lines += [row(label, score) for label, score in section.rows.items()]
    lines.append(row("all (micro)", section.total))
    lines += [row(label, score) for label, score in section.combined.items()]
    if section.unscored:
        lines.append("not scored: " + ", ".join(f"{label} {n}" for label, n in section.unscored.items()))
    return lines


def _cases(kind: str, cases: Sequence[Case], limit: int) -> list[str]:
    if not cases:
        return []
    shown = cases[:limit]
    lines = [f"{kind} ({len(shown)} of {len(cases)}):"]
    for case in shown:
        lines.append(f"  {case.label} {case.document}: expected {case.expected}; found {case.found}")
        lines.append(f"      {' '.join(case.text.split())}")
    return lines
