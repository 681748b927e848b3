"""The event engine: triggers + dependency paths -> Event records.

For every word the trigger finder offers (kg/extract/triggers.py), the first frame whose
arguments fit its class's constraints makes a draft: agents, targets, topics, place and time
found by following the frame's paths, the modality and reporter from kg/extract/factuality.py.
Then, per sentence, drafts lend each other targets; per article, anaphoric mentions ("the
call", "the talks") fold into the event they refer to; what is left and still fits its
constraints becomes an Event with its evidence.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc

from kg.extract import timex
from kg.extract.arguments import Actors
from kg.extract import details
from kg.extract.details import CLAUSE_DEPS, label, ordinal, said, time_of, topic_heads
from kg.extract.factuality import Factuality, factuality
from kg.extract.lexicon import Frame, Lexicon
from kg.extract.paths import Parse, follow
from kg.extract.triggers import TriggerFinder
from kg.extract.actions import Clause, find_clauses, things_acted_on
from kg.model import Entity, Event, Evidence, Thing

GOVERNED_DEPS = ("xcomp", "ccomp")
DEFINITE = frozenset({"the", "this", "that", "such", "these"})


@dataclass
class Draft:
    """An event while it is being read; becomes an Event when the article is done."""

    frame: Frame
    trigger: int
    agents: list[str]
    targets: list[str]
    participants: list[str]
    topics: list[str]
    topic_tokens: list[int]
    goods: list[str]
    place: str | None
    during: list[int]
    time_text: str | None
    duration: str | None
    ordinal: int | None
    factuality: Factuality
    reported_by: list[str]
    event: str
    anaphoric: bool
    anchor: int  # the light verb a noun trigger hangs from, or the trigger
    objects: list[Thing] = field(default_factory=list)  # things it acts on ("dismissed a lawsuit")
    absorbed: list[int] = field(default_factory=list)  # heads of what this event absorbs
    represented: list[str] = field(default_factory=list)
    nested: bool = False  # part of the event that governs it ("rejected the offer"): not an event itself
    content: str | None = None  # what a statement says

    @property
    def actors(self) -> set[str]:
        return {*self.agents, *self.targets, *self.participants}

    @property
    def modality(self) -> str:
        return self.factuality.modality


@dataclass(frozen=True)
class Found:
    """The events of one doc, the group actors they name ("police", "Rwandan rebels"), and the
    things that open relations act on."""

    events: tuple[Event, ...]
    groups: tuple[Entity, ...]
    things: tuple[Thing, ...] = ()


class EventReader:
    """Reads events with one lexicon, dictionary and pipeline vocabulary."""

    def __init__(self, finder: TriggerFinder, capitals: dict[str, str]) -> None:
        self.finder = finder
        self.lexicon: Lexicon = finder.lexicon
        self.capitals = capitals
        self.people_nouns = self.lexicon.actor_nouns | self.lexicon.group_nouns | self.lexicon.quantity_nouns

    def read(self, doc: Doc, index, *, represented: dict[str, str], article_id: str, text: str,
             published: str | None, parse: Parse | None = None) -> Found:
        parse = parse or Parse.of(doc)
        actors = Actors(parse=parse, index=index, lexicon=self.lexicon, capital_of=self.capitals, scope=article_id[:8],
                        text=text)
        times = details.times(doc)
        drafts = []
        for candidate in self.finder.candidates(doc, parse, actors):
            draft = self._first_fitting(candidate.i, candidate.frames, actors, times)
            if draft is not None:
                drafts.append(draft)
        drafts = _drop_nested(drafts, self.lexicon, parse)
        # what an event absorbs, and everything said inside it, is part of that event: "declined
        # an invitation to attend talks", "detained for spying for Iran"
        inside = {t: d for d in drafts for head in d.absorbed for t in _subtree(head, parse)}
        for draft in drafts:
            owner = inside.get(draft.trigger)
            if owner is None or owner is draft:
                continue
            if self.lexicon.constraint(draft.event).statement and _said_by_another(draft, owner, parse):
                # the accusation was made, by its own party; it is its content that is denied
                draft.factuality, draft.reported_by = Factuality("happened"), []
            else:
                draft.nested = True
        linked = []
        for sentence in doc.sents:
            in_sentence = [d for d in drafts if sentence.start <= d.trigger < sentence.end]
            linked += _link(in_sentence, self.lexicon, represented, parse)
        merged = _merge(linked, self.lexicon, parse)
        fitting = [d for d in merged if _fits(d, self.lexicon, actors, represented)]
        events = list(_to_events(fitting, self.lexicon, parse, article_id=article_id, text=text, published=published))
        things = {t.key: t for d in merged for t in d.objects}
        if self.lexicon.open.enabled:
            # what an event absorbs is no open relation either ("accused Putin of destabilising")
            taken = {k for d in drafts for k in (d.trigger, d.anchor)} | set(inside)
            clauses, acted_on = find_clauses(parse, actors, self.lexicon, taken=taken, scope=actors.scope)
            things.update(acted_on)
            events += [self._action(c, parse, actors, times, article_id=article_id, text=text, published=published)
                       for c in clauses]
        used = {k for e in events for k in (*e.agents, *e.targets, *e.participants, *e.reported_by)}
        return Found(events=tuple(events), groups=tuple(g for k, g in sorted(actors.groups.items()) if k in used),
                     things=tuple(things[k] for k in sorted(things) if any(k in e.objects for e in events)))

    def _action(self, clause: Clause, parse: Parse, actors: Actors, times, *, article_id: str, text: str,
                published: str | None) -> Event:
        """The kg:Action of an open relation, with the modality and time of its clause."""
        i = clause.verb
        found = factuality(i, parse, self.lexicon)
        time_text, _ = time_of(i, i, parse, times)
        token = parse.doc[i]
        start, end = token.idx, token.idx + len(token.text)
        sentence = token.sent
        lemma = clause.lemma or parse.lemma[i] + (f" {clause.preposition}" if clause.preposition else "")
        return Event(
            type="Action", trigger=text[start:end], agents=clause.agents, targets=clause.targets,
            objects=clause.objects, lemma=lemma, modality=found.modality,
            reported_by=tuple(k for k in actors.named(found.sources, strict=True) if k not in clause.agents),
            time_text=time_text,
            date=timex.resolve_date(time_text, published, future=found.modality == "planned") if time_text else None,
            evidence=Evidence(article_id=article_id, sentence=text[sentence.start_char:sentence.end_char], start=start,
                              end=end, rule=f"open.clause.v{self.lexicon.version}",
                              confidence=self.lexicon.open.confidence),
        )

    def _first_fitting(self, i: int, frames: tuple[Frame, ...], actors: Actors, times) -> Draft | None:
        """The draft of the first frame whose arguments fit its class: "received 226 votes" is
        no meeting, for a meeting needs a counterpart. The last frame's draft may still lack
        a target that another event of its sentence lends it (`_link`)."""
        if _thing_subject(i, actors, self.people_nouns):
            frames = tuple(f for f in frames if f.pos != "VERB" or f.expects_subject)
        for n, frame in enumerate(frames):
            agents, targets, participants = _parties(i, frame, actors, self.lexicon)
            anaphoric = not (agents or targets or participants) and frame.pos == "NOUN"
            last = n == len(frames) - 1
            payer = "payer" in self.lexicon.constraint(frame.event).requires  # goods stand in for a payer
            if anaphoric or _fits_parties(frame, agents, targets, participants, self.lexicon,
                                          goods=payer and bool(_goods(i, frame, actors)),
                                          kind=actors.kind, side=actors.side):
                return _draft(i, frame, (agents, targets, participants), actors, times, self.lexicon)
            # the last frame's draft stays even without actors, when it absorbs: what it
            # absorbs is no event either ("was detained for spying for Iran")
            if last and (agents or targets or participants or frame.absorbs):
                if frame.target_types:  # "released a list of Russian diplomats" releases no Russia
                    targets = [t for t in targets if actors.entity(t).type in frame.target_types]
                return _draft(i, frame, (agents, targets, participants), actors, times, self.lexicon)
        return None


def _thing_subject(i: int, actors: Actors, people: frozenset[str]) -> bool:
    """The verb's subject is a common noun naming no actor: "Trump's claims clash with
    voters' reality" is no fight; such a verb is an event only by a frame that expects its
    subject ("aircraft killed", "the measures target"). Nouns of people who act are no
    things: "the regime of Maduro expelled", "thousands rallied". A verb with no subject of
    its own under a passive takes that one's ("the offer was designed to appeal to Trump"), and
    a participle the noun it describes ("supply chains supporting Russia's industry")."""
    parse = actors.parse
    subjects = parse.kids(i, "nsubj")
    if not subjects and parse.dep[i] == "xcomp":
        subjects = parse.kids(parse.head[i], "nsubjpass")
    if not subjects and parse.dep[i] == "acl" and parse.tag[i] == "VBG":
        subjects = [parse.head[i]]  # "supply chains supporting Russia's industry" describe the chains
    return bool(subjects) and all(parse.pos[s] == "NOUN" and parse.lower[s] not in people
                                  and parse.lemma[s] not in people and not actors.named_at(s, strict=True)
                                  for s in subjects)


def _parties(i: int, frame: Frame, actors: Actors, lexicon: Lexicon) -> tuple[list[str], list[str], list[str]]:
    """Agents and targets of the kinds the class allows ("analysts said" is no one's
    statement), and participants."""
    paths, constraint = frame.paths, lexicon.constraint(frame.event)
    places = frame.place_targets or _takes_places(frame, lexicon)
    agents = [k for k in actors.actors(i, paths["agent"]) if actors.kind(k) in constraint.agent]
    targets = [k for k in actors.actors(i, paths["target"], places=places, besides=agents) if k not in agents
               and (actors.kind(k) in constraint.target or places and actors.kind(k) == "Location")]
    participants = [k for k in actors.actors(i, paths["participant"]) if k not in agents and k not in targets]
    if frame.pos == "NOUN" and participants and constraint.named_parties:
        # the parties a noun names ("a ceasefire between Israel and Hamas") are its parties:
        # who calls for it or brokers it is not one of them
        agents = [k for k in agents if _named_within(i, k, actors)]
    return agents, targets, participants


def _named_within(i: int, key: str, actors: Actors) -> bool:
    """Whether the phrase of token `i` names `key` (or the capital standing for it)."""
    doc = actors.parse.doc
    return any(actors.capital_of.get(k, k) == key for t in range(doc[i].left_edge.i, doc[i].right_edge.i + 1)
               if (k := actors.index.at(t)))


def _draft(i: int, frame: Frame, parties: tuple[list[str], list[str], list[str]], actors: Actors, times,
           lexicon: Lexicon) -> Draft:
    parse = actors.parse
    paths = frame.paths
    agents, targets, participants = parties
    topic_tokens = actors.tokens(i, paths["topic"])
    places = [k for k in actors.first(i, paths["place"]) if k.startswith(("place/", "country/"))]
    anchor = _anchor(i, parse, lexicon)
    time_text, duration = time_of(anchor, i, parse, times)
    absorbed = [t for path in frame.absorbs for t in follow(path, anchor, parse, lexicon.grammar) if t != i]
    found = factuality(i, parse, lexicon)
    reporters = actors.named(found.sources, strict=True)
    index = actors.index
    return Draft(
        frame=frame,
        trigger=i,
        agents=agents,
        targets=targets,
        participants=participants,
        topics=[label(t, parse, index) for t in topic_heads(topic_tokens, parse, index, lexicon)],
        topic_tokens=topic_tokens,
        goods=[label(t, parse, index) for t in _goods(i, frame, actors)],
        place=places[0] if places else None,
        during=actors.tokens(i, paths["during"]),
        time_text=time_text,
        duration=duration,
        ordinal=ordinal(i, parse),
        factuality=found,
        reported_by=[k for k in reporters if k not in agents or found.modality != "happened"],
        event=frame.event,
        anaphoric=not (agents or targets or participants) and frame.pos == "NOUN",
        anchor=anchor,
        objects=things_acted_on(i, parse, actors, lexicon, actors.scope, words=lexicon.constraint(frame.event).about)
        if frame.pos == "VERB" else [],
        absorbed=absorbed,
        content=said(actors.reach_all(i, paths["content"]), i, parse, actors.text, speech=frame.lemmas,
                     calling=lexicon.attribution.calling)
        if paths["content"] else None,
    )


def _said_by_another(draft: Draft, owner: Draft, parse: Parse) -> bool:
    """A statement of another party that the owner answers is an event of its own: "Iran
    rejected Israel's accusation", "rejected Venezuela's demand" (not "rejected an
    invitation to join the talks", nor "dispersed a rally by farmers")."""
    return parse.dep[draft.trigger] in ("dobj", "nsubjpass") and parse.head[draft.trigger] == owner.anchor \
        and bool(draft.agents) and not set(draft.agents) & set(owner.agents)


def _takes_places(frame: Frame, lexicon: Lexicon) -> bool:
    return "Location" in lexicon.constraint(frame.event).target


def _fits(draft: Draft, lexicon: Lexicon, actors: Actors, represented: dict[str, str]) -> bool:
    """The draft's arguments, as linked and merged, meet its class's constraint (lexicon.toml
    [classes]); a person holding a country's role is on its side, no party beside it ("the
    Turkish foreign minister will talk about next steps" has no one to talk to)."""
    return _fits_parties(draft.frame, draft.agents, draft.targets, draft.participants, lexicon, event=draft.event,
                         kind=actors.kind, side=lambda k: actors.side(represented.get(k, k)), goods=bool(draft.goods))


def _goods(i: int, frame: Frame, actors: Actors) -> list[int]:
    """The goods the frame names ("a tariff on branded drugs"): no entity, no date."""
    return [t for t in actors.tokens(i, frame.paths["goods"])
            if actors.index.at(t) is None and actors.parse.ent[t] not in ("DATE", "TIME")]


def _fits_parties(frame: Frame, agents: list[str], targets: list[str], participants: list[str], lexicon: Lexicon,
                  *, event: str | None = None, kind: Callable[[str], str] | None = None,
                  side: Callable[[str], str] = lambda k: k, goods: bool = False) -> bool:
    constraint = lexicon.constraint(event or frame.event)
    parties = {side(k) for k in (*agents, *targets, *participants)}  # "Israeli tanks" and Israel: one side
    if not parties:
        return False
    if frame.dyadic and not (agents and (targets or participants)):
        return False  # a dictionary event is one actor's act on another: "Brazil exported" is none
    if frame.requires_target and not targets and len(parties) < 2:
        return False  # a call, a talk needs someone to talk to: "spoke on background" has none
    if frame.target_types and kind is not None and not any(kind(t) in frame.target_types for t in targets):
        return False  # "welcomed the president" is hosting him; "welcomed the decision", praise
    if "agent" in constraint.requires and not agents:
        return False
    if "target" in constraint.requires and not targets:
        return False
    if "payer" in constraint.requires and not targets and not (agents and goods):
        return False  # a tariff on goods someone imposes ("a 100% tariff on branded drugs") leaves its payers unsaid
    if "counterpart" in constraint.requires and not targets and len(parties) < 2:
        return False  # "Chile and Bolivia resumed negotiations" has two parties, and no target
    return True


def _anchor(i: int, parse: Parse, lexicon: Lexicon) -> int:
    """The light verb a noun trigger hangs from ("holding" for "a meeting"), or itself."""
    if parse.dep[i] == "dobj" and parse.lemma[parse.head[i]] in lexicon.light_verbs:
        return parse.head[i]
    return i


def _subtree(i: int, parse: Parse) -> list[int]:
    out, stack = [], [i]
    while stack:
        k = stack.pop()
        out.append(k)
        stack.extend(parse.children[k])
    return out


def _drop_nested(drafts: list[Draft], lexicon: Lexicon, parse: Parse) -> list[Draft]:
    """A noun trigger that is the object of a verb trigger of its family is the same event;
    the verb takes the parties the noun names ("host a meeting between A and B")."""
    verbs = {(d.trigger, lexicon.family(d.event)): d for d in drafts if d.frame.pos == "VERB"}
    kept = []
    for draft in drafts:
        verb = verbs.get((parse.head[draft.trigger], lexicon.family(draft.event)))
        if draft.frame.pos != "NOUN" or parse.dep[draft.trigger] != "dobj" or verb is None:
            kept.append(draft)
            continue
        for role in ("targets", "participants"):
            own = getattr(verb, role)
            own += [k for k in getattr(draft, role) if k not in verb.actors]
    return kept


def _link(drafts: list[Draft], lexicon: Lexicon, represented: dict[str, str], parse: Parse) -> list[Draft]:
    """Cross-event links inside a sentence: targets from a topic event, represented countries."""
    by_token = {d.trigger: d for d in drafts}
    for draft in drafts:
        named = [by_token[t] for t in draft.topic_tokens if t in by_token and by_token[t] is not draft]
        if draft.frame.target_from_topic and not draft.targets:
            # "demanding the removal of U.S. tariffs": the U.S.; "called for a ceasefire
            # between Israel and Hamas": Israel and Hamas
            draft.targets = [k for e in named for k in (e.agents or e.participants) if k not in draft.agents]
        absorbed = [by_token[t] for t in draft.absorbed if t in by_token]
        if not draft.targets:  # "rejected Venezuela's demand": Venezuela
            draft.targets = [k for e in absorbed if parse.dep[e.trigger] == "dobj" for k in e.agents if k not in draft.agents]
        if not draft.targets and draft.content is None:  # "threatened to impose restrictions on German goods"
            # (what a statement says lends it no target: "said it would impose tariffs on Canada")
            governed = [by_token[c] for c in parse.kids(draft.trigger, GOVERNED_DEPS) if c in by_token]
            # "marched to demand reforms by Orban's government"
            governed += [e for e in absorbed if parse.dep[e.trigger] in CLAUSE_DEPS and e not in governed]
            governed += [by_token[g] for c in parse.kids(draft.trigger, GOVERNED_DEPS)
                         for g in parse.kids(c, "dobj") if g in by_token]
            draft.targets = [k for e in governed for k in e.targets if k not in draft.agents]
        if named:  # (a removal or a lifting names no topic: what it removes does)
            draft.topics = list(dict.fromkeys([*draft.topics, *(parse.lower[e.trigger] for e in named
                                                                if parse.lemma[e.trigger] not in lexicon.transparent_topics)]))
        if draft.frame.represents:
            for role in (draft.agents, draft.targets, draft.participants):
                added = [represented[k] for k in list(role) if k in represented and represented[k] not in draft.actors]
                role += added
                draft.represented += added
    return drafts


def _merge(drafts: list[Draft], lexicon: Lexicon, parse: Parse) -> list[Draft]:
    """Article-level: fold anaphoric and repeated mentions into the event they refer to."""
    kept: list[Draft] = []
    for draft in drafts:
        if draft.nested:
            continue
        compatible = [k for k in kept if _compatible(k.event, draft.event, lexicon)]
        definite = _is_definite(draft.trigger, parse)
        if draft.anaphoric:
            if definite and compatible:
                _fold(compatible[-1], draft, lexicon)
            continue
        twin = next((k for k in compatible if _same_event(k, draft, definite=definite)), None)
        if twin is not None:
            _fold(twin, draft, lexicon)
        else:
            kept.append(draft)
    return kept


def _compatible(antecedent: str, anaphor: str, lexicon: Lexicon) -> bool:
    """The same class, or one the other's family root or parent ("the call" -> "spoke")."""
    if lexicon.family(antecedent) != lexicon.family(anaphor):
        return False
    root = lexicon.family(anaphor)
    return antecedent == anaphor or root in (antecedent, anaphor)


def _same_event(a: Draft, b: Draft, *, definite: bool) -> bool:
    """Whether `b` says again what `a` said, at the same time and modality (or `b` definite):
    with the same parties; or, named by a noun of the same class, with parties that complete
    each other ("a state visit to New Delhi", "the Sri Lankan President's visit"), no role held
    by different actors in each, and an actor in common or `b` definite."""
    if not (a.modality == b.modality or definite) or not _same_time(a, b) or a.content != b.content:
        return False  # (two things said are two statements)
    if a.actors == b.actors:
        return True
    if a.event != b.event or b.frame.pos != "NOUN":
        return False
    for mine, theirs in ((a.agents, b.agents), (a.targets, b.targets)):
        if mine and theirs and not set(mine) & set(theirs):
            return False
    return bool(a.actors & b.actors) or definite


def _same_time(a: Draft, b: Draft) -> bool:
    return not (a.time_text and b.time_text and a.time_text.lower() != b.time_text.lower())


def _is_definite(i: int, parse: Parse) -> bool:
    return any(parse.dep[c] in ("det", "predet") and parse.lower[c] in DEFINITE for c in parse.children[i]) \
        or bool(parse.kids(i, "poss"))


def _fold(into: Draft, other: Draft, lexicon: Lexicon) -> None:
    """Add what `other` knows to `into`; a more specific event class wins."""
    if lexicon.classes.parents.get(other.event) == into.event:
        into.event = other.event
    for role in ("agents", "targets", "participants"):
        getattr(into, role).extend(k for k in getattr(other, role) if k not in into.actors)
    into.place = into.place or other.place
    into.time_text = into.time_text or other.time_text
    into.duration = into.duration or other.duration
    into.ordinal = into.ordinal or other.ordinal
    into.topics += [t for t in other.topics if t not in into.topics]
    into.goods += [g for g in other.goods if g not in into.goods]


def _to_events(drafts: list[Draft], lexicon: Lexicon, parse: Parse, *, article_id: str, text: str,
               published: str | None) -> Iterator[Event]:
    """Finished Event records, with evidence and resolved dates."""
    by_token = {d.trigger: d for d in drafts}
    doc = parse.doc
    for draft in drafts:
        token = doc[draft.trigger]
        sentence = token.sent
        during = next((by_token[t] for t in draft.during if t in by_token and by_token[t] is not draft), None)
        time_text = draft.time_text or (during.time_text if during else None)
        start, end = token.idx, token.idx + len(token.text)
        yield Event(
            type=draft.event,
            trigger=text[start:end],
            agents=tuple(draft.agents),
            targets=tuple(draft.targets),
            participants=tuple(draft.participants),
            represented=tuple(draft.represented),
            topics=tuple(draft.topics),
            goods=tuple(dict.fromkeys(draft.goods)),
            date=timex.resolve_date(time_text, published, future=draft.modality == "planned") if time_text else None,
            time_text=time_text,
            duration=draft.duration,
            place=draft.place,
            ordinal=draft.ordinal,
            modality=draft.modality,
            reported_by=tuple(draft.reported_by),
            objects=tuple(t.key for t in draft.objects),
            content=draft.content,
            shortcut=draft.frame.shortcut,
            symmetric=draft.frame.symmetric,
            during=_span(during.trigger, parse) if during else None,
            evidence=Evidence(
                article_id=article_id,
                sentence=text[sentence.start_char : sentence.end_char],
                start=start,
                end=end,
                rule=f"{draft.frame.rule}.v{lexicon.version}",
                confidence=draft.frame.confidence,
            ),
        )


def _span(i: int, parse: Parse) -> tuple[int, int]:
    token = parse.doc[i]
    return (token.idx, token.idx + len(token.text))
