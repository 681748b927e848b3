"""When what we read matches the gold: actors by their head words, relations by their
argument spans, and one-to-one assignments of our facts to gold items."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from kg.evaluate.datasets import GoldRelation, PloverRecord
from kg.evaluate.mapping import SpanMapping
from kg import gazetteer as gazetteers
from kg.model import Event, Evidence, Extraction

WORD = re.compile(r"[\w.'’&-]+")
# Words that open a post-modifier: the head of "militias in Tripoli" is "militias", not "Tripoli".
POSTMODIFIERS = frozenset({"in", "of", "from", "at", "on", "throughout", "across", "near", "inside", "outside",
                           "for", "with", "operating", "based", "ordered", "affiliated"})


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


def entity_texts(extraction: Extraction, known: KnownNames) -> dict[str, tuple[str, ...]]:
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


def names_of(extraction: Extraction, known: KnownNames) -> dict[str, str]:
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


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def sentence_bounds(text: str, begin: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around a span: from the last ". " or newline before it to the next."""
    full_stop = text.rfind(". ", 0, begin)
    start = max(full_stop + 2 if full_stop >= 0 else 0, text.rfind("\n", 0, begin) + 1)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    stop = min(stops) + 1 if stops else len(text)
    return start, stop


def sentence_span(text: str, sentence: str, start: int) -> tuple[int, int]:
    """Where an evidence sentence lies in the text: the occurrence that holds `start`."""
    at = text.find(sentence, max(0, start - len(sentence)))
    while 0 <= at <= start:
        if start < at + len(sentence) or not sentence:
            return at, at + len(sentence)
        at = text.find(sentence, at + 1)
    return sentence_bounds(text, start, start)


def max_matching(edges: Sequence[Sequence[int]]) -> dict[int, int]:
    """A maximum one-to-one matching; edges[g] lists the candidates of gold item g.
    Returns candidate -> gold.

    Of the maximum matchings, the one whose gold items come first in order: each gold item's
    edges weigh more than those of every item after it, and the matching of greatest weight
    (networkx's blossom algorithm) matches the same gold items as taking them one by one in
    order and keeping each that can still be matched would.
    """
    graph = nx.Graph()
    graph.add_weighted_edges_from((("gold", g), ("cand", c), len(edges) - g)
                                  for g, cands in enumerate(edges) for c in cands)
    pairs = (sorted(pair) for pair in nx.max_weight_matching(graph))  # ("cand", c) sorts first
    return {cand: gold for (_, cand), (_, gold) in pairs}


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


@dataclass(frozen=True)
class Fact:
    """One of our events or roles as a re3d relation between two entities' mention spans."""

    type: str
    source: tuple[tuple[int, int], ...]  # spans of the source entity's mentions near the evidence
    target: tuple[tuple[int, int], ...]
    symmetric: bool
    sentence: str
    description: str


def relation_facts(extraction: Extraction, mapping: SpanMapping, *, known: KnownNames = NO_NAMES) -> list[Fact]:
    """Our events, roles and standing relations as gold relations, each pair once per sentence.

    An event gives agent -> target pairs; with no target, every pair of its agents and
    participants ("talks between X and Y"), either way round. A role gives person ->
    country or organisation; a standing relation, subject -> object. Where the arguments
    are written: see `_spans`.
    """
    text, names = extraction.article.text, names_of(extraction, known)
    facts: dict[tuple, Fact] = {}

    def add(kind: str, source: str, target: str, symmetric: bool, evidence: Evidence, description: str) -> None:
        if source == target or evidence.in_title:  # the gold annotates the text, not the title
            return
        window = sentence_span(text, evidence.sentence, evidence.start)
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
    types = {e.key: e.type for e in extraction.entities}
    for role in extraction.roles:
        kind = mapping.role_type(role.leader, types.get(role.of or ""))
        if kind and role.of:
            described = f"Role({names.get(role.person, role.person)}, {role.title} of {names.get(role.of, role.of)})"
            add(kind, role.person, role.of, kind in mapping.symmetric_relations, role.evidence, described)
    for link in extraction.links:
        kind = mapping.links.get(link.relation)
        if kind:
            described = f"{link.relation}({names.get(link.subject, link.subject)}, {names.get(link.object, link.object)})"
            add(kind, link.subject, link.object, kind in mapping.symmetric_relations, link.evidence, described)
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
        return any(overlaps(s, gold_span) for s in spans)

    if on(fact.source, src) and on(fact.target, tgt):
        return True
    return (fact.symmetric or symmetric) and on(fact.source, tgt) and on(fact.target, src)
