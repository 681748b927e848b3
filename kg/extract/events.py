"""The event engine: lexicon frames + dependency paths -> Event records.

For every token whose lemma and part of speech match a frame of the lexicon, follow the
frame's dependency paths to find agents, targets, topics, place and time, decide the
modality from auxiliaries and governing words, and make an Event. Then, per article,
anaphoric mentions ("the call", "the talks") are merged into the event they refer to.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS
from spacy.symbols import NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from kg.extract import timex
from kg.extract.lexicon import Frame, Lexicon
from kg.extract.mentions import MentionIndex
from kg.model import Event, Evidence

MODIFIER_DEPS = ("compound", "poss", "amod", "nmod", "npadvmod")
CLIMB_DEPS = ("xcomp", "advcl", "conj", "pcomp", "prep", "acl", "relcl", "acomp")
# "the president of Armenia", "activists from the Fatah Party", "students throughout Indonesia"
OWNER_PREPOSITIONS = ("of", "from", "in", "throughout", "across")
CLAUSE_DEPS = ("ccomp", "relcl", "advcl", "conj", "xcomp", "csubj", "parataxis")
RELATIVE_PRONOUNS = {"that", "which", "who", "whom"}
# prepositions that set an event in time or against a background: what they introduce does
# not share the modality of the clause ("proposed talks after the raids")
SETTING_PREPOSITIONS = {"after", "following", "before", "since", "during", "despite", "amid", "amidst", "until"}
GROUP_NOUNS = {"leader": "Person", "president": "Person", "premier": "Person", "minister": "Person",
               "country": "*", "nation": "*", "side": "*", "government": "*", "ally": "*", "partner": "*"}


@dataclass
class Draft:
    """An event while it is being read; becomes an Event when the article is done."""

    frame: Frame
    trigger: Token
    agents: list[str]
    targets: list[str]
    participants: list[str]
    topics: list[str]
    topic_tokens: list[Token]
    goods: list[str]
    place: str | None
    during: list[Token]
    time_text: str | None
    duration: str | None
    ordinal: int | None
    modality: str
    event: str
    anaphoric: bool
    anchor: Token  # the light verb a noun trigger hangs from, or the trigger
    absorbed: list[Token] = field(default_factory=list)  # heads of what this event absorbs ("rejected the offer")
    represented: list[str] = field(default_factory=list)
    nested: bool = False  # part of the event that governs it ("rejected the offer"): not an event itself

    @property
    def actors(self) -> set[str]:
        return {*self.agents, *self.targets, *self.participants}


def find_events(doc: Doc, index: MentionIndex, lexicon: Lexicon, capitals: dict[str, str]) -> list[Draft]:
    """Drafts for every trigger in `doc`, before article-level merging."""
    walk = Walk(index=index, lexicon=lexicon, capital_of=capitals, times=_times(doc), arcs=Arcs.of(doc))
    drafts = []
    for i in _trigger_candidates(doc, lexicon):
        token = doc[i]
        frame = _frame_for(token, lexicon, walk)
        if frame is not None:
            drafts.append(_draft(token, frame, walk))
    drafts = _drop_nested(drafts, lexicon)
    # what an event absorbs, and everything said inside it, is part of that event: "rejected
    # an invitation to attend a meeting", "arrested for collaborating with Israel"
    inside = {t.i: d for d in drafts for head in d.absorbed for t in head.subtree}
    for draft in drafts:
        owner = inside.get(draft.trigger.i)
        draft.nested = owner is not None and owner is not draft
    return drafts


def _trigger_candidates(doc: Doc, lexicon: Lexicon) -> Iterator[int]:
    """Indices of the tokens with a key of the lexicon (the keys `_frame_for` tries), read
    from the doc's arrays: building a Token for every word costs more than the rules."""
    strings = doc.vocab.strings
    previous = None
    for i, (pos_id, lemma_id, lower_id) in enumerate(doc.to_array([POS, LEMMA, LOWER]).tolist()):
        lemma = strings[lemma_id].lower()
        pos = "VERB" if pos_id == VERB else "NOUN" if pos_id in (NOUN, PROPN) else None
        if pos is not None:
            keys = (lemma, strings[lower_id]) if previous is None else (f"{previous} {lemma}", lemma, strings[lower_id])
            if any((key, pos) in lexicon.by_lemma for key in keys):
                yield i
        previous = lemma


def _times(doc: Doc) -> tuple[tuple[int, str, str], ...]:
    """(root token index, the word the root hangs from, text) of each date and time of `doc`."""
    return tuple((ent.root.i, ent.root.head.lower_, ent.text) for ent in doc.ents if ent.label_ in ("DATE", "TIME"))


def _frame_for(token: Token, lexicon: Lexicon, walk: Walk) -> Frame | None:
    pos = "VERB" if token.pos_ == "VERB" else "NOUN" if token.pos_ in ("NOUN", "PROPN") else None
    if pos is None:
        return None
    keys = list(dict.fromkeys([token.lemma_.lower(), token.lower_]))
    if token.i > 0:
        keys.insert(0, f"{token.doc[token.i - 1].lemma_.lower()} {token.lemma_.lower()}")
    for key in keys:
        for frame in lexicon.by_lemma.get((key, pos), ()):
            if frame.objects and not _has_object(token, frame.objects):
                continue
            if frame.complement_aux and not _complement_has_aux(token, frame.complement_aux):
                continue
            if frame.governors and token.head.lemma_.lower() not in frame.governors:
                continue
            if frame.subjects and not _has_subject(token, frame.subjects):
                continue
            if frame.clauses and not _has_clauses(token, frame.clauses, walk):
                continue
            return frame
    return None


def _has_clauses(token: Token, clauses: tuple[str, ...], walk: Walk) -> bool:
    """Some path of `clauses` reaches a word, and none of those marked "!" does ("help" with
    a verb after it is part of that verb's event: "helped negotiate")."""
    wanted = [c for c in clauses if not c.startswith("!")]
    unwanted = [c[1:] for c in clauses if c.startswith("!")]
    if any(walk.follow(token, path) for path in unwanted):
        return False
    return not wanted or any(walk.follow(token, path) for path in wanted)


def _complement_has_aux(token: Token, auxiliaries: tuple[str, ...]) -> bool:
    clauses = [c for c in token.children if c.dep_ in ("ccomp", "xcomp")]
    return any(a.lower_ in auxiliaries for c in clauses for a in c.children if a.dep_ == "aux")


def _has_subject(token: Token, subjects: tuple[str, ...]) -> bool:
    """The trigger's subject, or its passive agent, is one of `subjects` ("aircraft killed")."""
    doers = [c for c in token.children if c.dep_ == "nsubj"]
    doers += [p for c in token.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    return any(t.lemma_.lower() in subjects for t in _with_conjuncts(doers))


def _has_object(token: Token, objects: tuple[str, ...]) -> bool:
    """The trigger's object (or passive subject: "demands were met"), or a noun compounded
    with it ("mediation efforts"), is one of `objects`."""
    heads = [c for c in token.children if c.dep_ in ("dobj", "prep", "attr", "nsubjpass")]
    words = heads + [g for c in heads for g in c.children if g.dep_ == "compound"]
    return any(w.lemma_.lower() in objects for w in words)


def _draft(token: Token, frame: Frame, walk: Walk) -> Draft:
    index, lexicon = walk.index, walk.lexicon
    agents = walk.actors(token, frame.paths["agent"])
    targets = [k for k in walk.actors(token, frame.paths["target"], places=frame.place_targets) if k not in agents]
    participants = [k for k in walk.actors(token, frame.paths["participant"]) if k not in agents and k not in targets]
    topic_tokens = walk.tokens(token, frame.paths["topic"])
    places = [k for k in walk.first(token, frame.paths["place"]) if k.startswith(("place/", "country/"))]
    anchor = walk.anchor(token)
    time_text, duration = _time(anchor, token, walk)
    absorbed = [t for path in frame.absorbs for t in walk.follow(anchor, path) if t is not token]
    return Draft(
        frame=frame,
        trigger=token,
        agents=agents,
        targets=targets,
        participants=participants,
        topics=[_label(t, index) for t in _topic_heads(topic_tokens, index, lexicon)],
        topic_tokens=topic_tokens,
        goods=[_label(t, index) for t in walk.tokens(token, frame.paths["goods"])
               if index.at(t.i) is None and t.ent_type_ not in ("DATE", "TIME")],
        place=places[0] if places else None,
        during=walk.tokens(token, frame.paths["during"]),
        time_text=time_text,
        duration=duration,
        ordinal=_ordinal(token),
        modality=modality(token, lexicon),
        event=frame.event,
        anaphoric=not (agents or targets or participants) and frame.pos == "NOUN",
        anchor=anchor,
        absorbed=absorbed,
    )


@dataclass(frozen=True)
class Arcs:
    """Each token's dependency label, lower-case lemma and children (token indices, in
    order), read from the doc's arrays once: paths are followed many times per doc."""

    dep: list[str]
    lemma: list[str]
    children: list[list[int]]

    @classmethod
    def of(cls, doc: Doc) -> Arcs:
        strings = doc.vocab.strings
        rows = doc.to_array([HEAD, DEP, LEMMA]).tolist()
        children: list[list[int]] = [[] for _ in rows]
        for i, (offset, _, _) in enumerate(rows):
            head = i + (offset - 2**64 if offset >= 2**63 else offset)  # HEAD is a signed offset stored unsigned
            if head != i:
                children[head].append(i)
        return cls(dep=[strings[d] for _, d, _ in rows], lemma=[strings[m].lower() for _, _, m in rows],
                   children=children)


@dataclass
class Walk:
    """Follows dependency paths from a trigger and maps the tokens reached to entities."""

    index: MentionIndex
    lexicon: Lexicon
    capital_of: dict[str, str]
    times: tuple[tuple[int, str, str], ...]  # the doc's dates and times (`_times`)
    arcs: Arcs

    def first(self, token: Token, paths: Iterable[str]) -> list[str]:
        """Entities reached by the first path (or "+" group of paths) that reaches any."""
        for group in paths:
            keys = self.all(token, group.split("+"))
            if keys:
                return keys
        return []

    def all(self, token: Token, paths: Iterable[str]) -> list[str]:
        keys: list[str] = []
        for path in paths:
            found = self.entities(self.follow(token, path), strict=path.endswith("subject"))
            keys += [k for k in found if k not in keys]
        return keys

    def actors(self, token: Token, paths: Iterable[str], *, places: bool = False) -> list[str]:
        """Entities that can act: capitals stand for their country, other places drop out
        unless `places` (a town shelled is the target of the shelling)."""
        keys = [self.capital_of.get(k, k) for k in self.first(token, paths)]
        return list(dict.fromkeys(k for k in keys if places or not k.startswith("place/")))

    def tokens(self, token: Token, paths: Iterable[str]) -> list[Token]:
        found: list[Token] = []
        for path in paths:
            found += [t for t in _with_conjuncts(self.follow(token, path)) if t not in found]
        return found

    def follow(self, token: Token, path: str) -> list[Token]:
        current = [token]
        for step in path.split(">"):
            current = [t for tok in current for t in self.step(tok, step)]
        return current

    def step(self, token: Token, step: str) -> list[Token]:
        if step == "subject":
            return self.subject(token)
        if step == "modifier":
            return _modifiers(token)
        if step.startswith("<"):
            return [token.head] if token.dep_ == step[1:] and token.head != token else []
        if step.startswith("^"):
            # the words around the verb of an object ("eliminating tariffs, particularly on
            # steel"), never those of a subject's verb ("tariffs took effect on Monday")
            if token.head == token or token.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return []
            return self.step(token.head, step[1:])
        if "@" in step:  # a clause introduced by one of these words: "advcl@unless|if", "advcl@to"
            dep, _, marks = step.partition("@")
            wanted = set(marks.split("|"))
            return [c for c in token.children if c.dep_ == dep and _introduced_by(c, wanted)]
        dep, _, lemmas = step.partition(":")
        allowed = set(lemmas.split("|")) if lemmas else None
        arcs, doc = self.arcs, token.doc
        return [doc[c] for c in arcs.children[token.i]
                if arcs.dep[c] == dep and (allowed is None or arcs.lemma[c] in allowed)]

    def subject(self, token: Token) -> list[Token]:
        """The trigger's subject, or the one it inherits from the words that govern it."""
        current, first = token, True
        for _ in range(8):
            # a governing verb's passive subject is the trigger's subject too ("was indicted and will resign")
            subjects = [c for c in current.children if c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and not first)]
            if subjects:
                if subjects[0].lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl":
                    return [current.head]
                return subjects
            if first and any(c.dep_ == "nsubjpass" for c in current.children):
                return []  # a passive trigger's doer is its "by" agent, not the governing verb's subject
            if not first and current.pos_ in ("NOUN", "PROPN"):
                owners = [c for c in current.children if c.dep_ == "poss"]
                if owners:
                    return owners
                if current.lemma_.lower() not in self.lexicon.container_nouns:
                    return []
            if current.head == current or not self._climbs(current, first):
                return []
            current, first = current.head, False
        return []

    def _climbs(self, token: Token, first: bool) -> bool:
        if token.pos_ == "VERB" or not first:
            return token.dep_ in CLIMB_DEPS or token.dep_ in ("pobj", "dobj") and not first
        # a noun trigger takes the subject of a light verb ("holding a meeting"), or of the
        # verb or container above it ("a third round of negotiations", "visit for talks")
        if token.dep_ == "dobj":
            return token.head.lemma_.lower() in self.lexicon.light_verbs
        if token.dep_ == "pobj":
            prep = token.head
            above = prep.head
            return prep.lemma_.lower() in ("of", "for") and (
                above.lemma_.lower() in self.lexicon.container_nouns or above.pos_ == "VERB"
            )
        return False

    def anchor(self, token: Token) -> Token:
        """The light verb a noun trigger hangs from ("holding" for "a meeting"), or itself."""
        if token.dep_ == "dobj" and token.head.lemma_.lower() in self.lexicon.light_verbs:
            return token.head
        return token

    def entities(self, tokens: list[Token], *, strict: bool = False) -> list[str]:
        keys: list[str] = []
        for token in _with_conjuncts(tokens):
            keys += [k for k in self.entities_at(token, strict=strict) if k not in keys]
        return keys

    def entities_at(self, token: Token, *, strict: bool = False) -> list[str]:
        """The entity a token names; else the one in apposition; else its modifiers'.

        A strict token (a subject) takes its modifiers' entities only when it is an actor
        noun: "U.S. lawmakers" act for the U.S., "Trump's claims" are not Trump.
        """
        key = self.index.at(token.i)
        if key:
            return [key]
        if token.pos_ == "PRON":
            return self.antecedent(token)
        if token.ent_type_ == "NORP" and token.tag_ in ("NNS", "NNPS"):
            return [self.index.add_group(_group_label(token))]  # "Iraqi Kurds", "Palestinians"
        group = self.group(token)
        if group:
            return group
        appos = [self.index.at(c.i) for c in token.children if c.dep_ == "appos" and self.index.at(c.i)]
        if appos:
            return list(dict.fromkeys(appos))
        lemma = token.lemma_.lower()
        if lemma in self.lexicon.group_nouns and token.pos_ == "NOUN":
            return [self.index.add_group(_group_label(token)), *self.owners(token)]
        if lemma in self.lexicon.quantity_nouns or token.pos_ == "NUM":
            members = [p for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
            return self.entities(members, strict=strict)
        if not strict or lemma in self.lexicon.actor_nouns:
            keys = [self.index.at(m.i) for m in _modifiers(token) if self.index.at(m.i)]
            if lemma in self.lexicon.actor_nouns:
                keys += self.owners(token)
            return list(dict.fromkeys(keys))
        return []

    def owners(self, token: Token) -> list[str]:
        """The country or organisation a person or group belongs to: "the president of
        Armenia", "activists from the Fatah Party" act for Armenia and for Fatah."""
        objects = [p for c in token.children if c.dep_ == "prep" and c.lower_ in OWNER_PREPOSITIONS
                   for p in c.children if p.dep_ == "pobj"]
        keys = [self.index.at(t.i) for t in _with_conjuncts(objects) if self.index.at(t.i)]
        kinds = ("Country", "Organization")
        return [k for k in dict.fromkeys(keys) if self.index.entities[k].type in kinds]

    def antecedent(self, token: Token) -> list[str]:
        """he/she: the last person named before; it: the last country or organisation."""
        word = token.lower_
        kinds = ("Person",) if word in ("he", "she", "him", "her") else ("Country", "Organization") if word in ("it",) else ()
        for mention in reversed(self.index.mentions):
            if mention.end <= token.idx and self.index.entities[mention.entity].type in kinds:
                return [mention.entity]
        return []

    def group(self, token: Token) -> list[str]:
        """"The two leaders", "both nations": the last two such entities named before."""
        kind = GROUP_NOUNS.get(token.lemma_.lower())
        counted = any(c.lower_ in ("two", "both") for c in token.children)
        if not kind or not counted or token.tag_ not in ("NNS", "NNPS"):
            return []
        seen: list[str] = []
        for mention in reversed(self.index.mentions):
            entity = self.index.entities[mention.entity]
            wanted = entity.type == kind if kind != "*" else entity.type in ("Country", "Organization")
            if mention.end <= token.idx and wanted and mention.entity not in seen:
                seen.append(mention.entity)
            if len(seen) == 2:
                return list(reversed(seen))
        return []


def _modifiers(token: Token) -> list[Token]:
    """A noun's modifiers, and the proper-noun modifiers of those ("U.S.-India framework")."""
    found = [c for c in token.children if c.dep_ in MODIFIER_DEPS]
    for child in list(found):
        found += [g for g in child.children if g.dep_ in ("compound", "nmod", "npadvmod") and g.pos_ == "PROPN"]
    return found


def _introduced_by(clause: Token, words: set[str]) -> bool:
    """The clause opens with one of `words`: a conjunction ("unless") or the "to" of an infinitive."""
    return any(m.dep_ in ("mark", "aux") and m.lower_ in words and m.i < clause.i for m in clause.children)


def _with_conjuncts(tokens: Iterable[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        for t in (token, *token.conjuncts):
            if t not in out:
                out.append(t)
    return out


def _topic_heads(tokens: list[Token], index: MentionIndex, lexicon: Lexicon) -> list[Token]:
    """Topic nouns: "key topics including X, Y and Z" is X, Y and Z; "the removal of X" is X."""
    heads: list[Token] = []
    for token in tokens:
        lemma = token.lemma_.lower()
        if lemma in lexicon.generic_topics or lemma in lexicon.transparent_topics:
            inner = [p for c in token.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
            if inner or lemma in lexicon.generic_topics:
                heads += _topic_heads(_with_conjuncts(inner), index, lexicon)
                continue
        if token.pos_ in ("NOUN", "PROPN") and index.at(token.i) is None and token.ent_type_ not in ("DATE", "TIME"):
            heads.append(token)
    return list(dict.fromkeys(heads))


def _label(token: Token, index: MentionIndex) -> str:
    """The noun with its adjective and noun modifiers: "regional security" (no entities)."""
    words = [c for c in token.lefts if c.dep_ in ("amod", "compound") and c.pos_ in ("ADJ", "NOUN")]
    words = [w for w in words if w.lower_ not in ("key", "such", "other", "many", "several", "various")
             and index.at(w.i) is None and not w.text[:1].isupper()]
    text = " ".join([*(w.text for w in words), token.text])
    return text if token.pos_ == "PROPN" else text.lower()


def _group_label(token: Token) -> str:
    """A group's name with what qualifies it: "Rwandan rebels", "riot police", "U.S. lawmakers"."""
    words = [c for c in token.lefts if c.dep_ in ("amod", "compound", "nmod", "poss") and c.pos_ in ("ADJ", "NOUN", "PROPN")]
    words = [w for w in words if w.lower_ not in ("key", "other", "many", "several", "some", "such", "various")]
    start = min([w.left_edge.i for w in words] + [token.i])
    text = token.doc[start : token.i + 1].text
    return text if any(c.isupper() for c in text) else text.lower()


def _ordinal(token: Token) -> int | None:
    """3 for "a third round of negotiations" or "the third round"."""
    holders = [token]
    if token.dep_ == "pobj" and token.head.head != token.head:
        holders.append(token.head.head)
    for holder in holders:
        for child in holder.children:
            if child.ent_type_ == "ORDINAL" or timex.ordinal(child.text) is not None:
                value = timex.ordinal(child.text)
                if value:
                    return value
    return None


def _time(anchor: Token, token: Token, walk: Walk) -> tuple[str | None, str | None]:
    """(time expression as written, xsd:duration) from the clause of the trigger."""
    within = _clause_tokens(anchor.i, walk.arcs) | _clause_tokens(token.i, walk.arcs)
    time_text = duration = None
    for root, governor, text in walk.times:
        if root not in within:
            continue
        if governor == "for" and timex.duration(text):
            duration = duration or timex.duration(text)
        elif time_text is None:
            time_text = text
    return time_text, duration


def _clause_tokens(i: int, arcs: Arcs) -> set[int]:
    """Indices of the tokens of the clause of token `i`: its subtree, without clauses."""
    out: set[int] = set()
    stack = [i]
    while stack:
        k = stack.pop()
        out.add(k)
        stack.extend(c for c in arcs.children[k] if arcs.dep[c] not in CLAUSE_DEPS)
    return out


def modality(token: Token, lexicon: Lexicon) -> str:
    """happened, planned, hypothetical or negated, from the trigger and what governs it."""
    cues = lexicon.modality
    current, first = token, True
    for _ in range(8):
        if any(child.dep_ == "neg" for child in current.children):
            return "negated"  # "would not lift" is a refusal before it is a condition
        for child in current.children:
            word = child.lower_
            if child.dep_ in ("aux", "auxpass"):
                if word in cues.planned_aux:
                    return "planned"
                if word in cues.hypothetical_aux:
                    return "hypothetical"
                if word == "to" and current.dep_ == "ROOT":
                    return "planned"  # headline style: "Netanyahu to Meet Trump"
            if child.dep_ in ("amod", "mark") and word in cues.planned_governors:
                return "planned"
            if child.dep_ in ("amod", "mark") and word in cues.hypothetical_governors:
                return "hypothetical"
        if not first:
            lemma = current.lemma_.lower()
            if lemma in cues.negating_governors:
                return "negated"
            if lemma in cues.planned_governors:
                return "planned"
            if lemma in cues.hypothetical_governors:
                return "hypothetical"
        # a purpose clause is as planned as what it serves: "pledged ships to help patrol the strait"
        purpose = current.dep_ == "advcl" and _introduced_by(current, {"to"})
        if current.head == current or current.dep_ not in ("xcomp", "pcomp", "prep", "pobj", "dobj", "acl") and not purpose:
            break
        if current.dep_ == "pobj" and current.head.lower_ in SETTING_PREPOSITIONS:
            break
        if current.dep_ == "dobj" and current.pos_ in ("NOUN", "PROPN") and first:
            if current.head.lemma_.lower() not in lexicon.light_verbs:
                break
        elif current.dep_ in ("pobj", "dobj") and current.lemma_.lower() not in lexicon.container_nouns and not first:
            break
        current, first = current.head, False
    return "happened"


def _drop_nested(drafts: list[Draft], lexicon: Lexicon) -> list[Draft]:
    """A noun trigger that is the object of a verb trigger of its family is the same event;
    the verb takes the parties the noun names ("host a meeting between A and B")."""
    verbs = {(d.trigger.i, lexicon.family(d.event)): d for d in drafts if d.frame.pos == "VERB"}
    kept = []
    for draft in drafts:
        verb = verbs.get((draft.trigger.head.i, lexicon.family(draft.event)))
        if draft.frame.pos != "NOUN" or draft.trigger.dep_ != "dobj" or verb is None:
            kept.append(draft)
            continue
        for role in ("targets", "participants"):
            own = getattr(verb, role)
            own += [k for k in getattr(draft, role) if k not in verb.actors]
    return kept


def link(drafts: list[Draft], lexicon: Lexicon, represented: dict[str, str]) -> list[Draft]:
    """Cross-event links inside a sentence: targets from a topic event, represented countries."""
    by_token = {d.trigger.i: d for d in drafts}
    for draft in drafts:
        named = [by_token[t.i] for t in draft.topic_tokens if t.i in by_token and by_token[t.i] is not draft]
        if draft.frame.target_from_topic and not draft.targets:
            draft.targets = [k for e in named for k in e.agents if k not in draft.agents]
        absorbed = [by_token[t.i] for t in draft.absorbed if t.i in by_token]
        if not draft.targets:  # "rejected North Korea's demand": North Korea
            draft.targets = [k for e in absorbed if e.trigger.dep_ == "dobj" for k in e.agents if k not in draft.agents]
        if not draft.targets:  # "threatened to impose restrictions on German goods"
            governed = [by_token[c.i] for c in draft.trigger.children if c.dep_ in ("xcomp", "ccomp") and c.i in by_token]
            # "staged rallies to demand reforms by Suharto's government"
            governed += [e for e in absorbed if e.trigger.dep_ in CLAUSE_DEPS and e not in governed]
            governed += [by_token[g.i] for c in draft.trigger.children if c.dep_ in ("xcomp", "ccomp")
                         for g in c.children if g.dep_ == "dobj" and g.i in by_token]
            draft.targets = [k for e in governed for k in e.targets if k not in draft.agents]
        if named:
            draft.topics = list(dict.fromkeys([*draft.topics, *(e.trigger.lower_ for e in named)]))
        if draft.frame.represents:
            for role in (draft.agents, draft.targets, draft.participants):
                added = [represented[k] for k in list(role) if k in represented and represented[k] not in draft.actors]
                role += added
                draft.represented += added
    return drafts


def merge(drafts: list[Draft], lexicon: Lexicon) -> list[Draft]:
    """Article-level: fold anaphoric and repeated mentions into the event they refer to."""
    kept: list[Draft] = []
    for draft in drafts:
        if draft.nested:
            continue
        compatible = [k for k in kept if _compatible(k.event, draft.event, lexicon)]
        definite = _is_definite(draft.trigger)
        if draft.anaphoric:
            if definite and compatible:
                _fold(compatible[-1], draft, lexicon)
            continue
        twin = next((k for k in compatible if k.actors == draft.actors
                     and (k.modality == draft.modality or definite) and _same_time(k, draft)), None)
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


def _same_time(a: Draft, b: Draft) -> bool:
    return not (a.time_text and b.time_text and a.time_text.lower() != b.time_text.lower())


def _is_definite(token: Token) -> bool:
    return any(c.dep_ in ("det", "predet") and c.lower_ in ("the", "this", "that", "such", "these") for c in token.children) or any(
        c.dep_ == "poss" for c in token.children
    )


def _fold(into: Draft, other: Draft, lexicon: Lexicon) -> None:
    """Add what `other` knows to `into`; a more specific event class wins."""
    if lexicon.parents.get(other.event) == into.event:
        into.event = other.event
    into.place = into.place or other.place
    into.time_text = into.time_text or other.time_text
    into.duration = into.duration or other.duration
    into.ordinal = into.ordinal or other.ordinal
    into.topics += [t for t in other.topics if t not in into.topics]
    into.goods += [g for g in other.goods if g not in into.goods]


def to_events(drafts: list[Draft], *, article_id: str, text: str, published: str | None, version: str) -> Iterator[Event]:
    """Finished Event records, with evidence and resolved dates."""
    by_token = {d.trigger.i: d for d in drafts}
    for draft in drafts:
        if not draft.actors or (draft.frame.requires_target and not draft.targets):
            continue
        sentence: Span = draft.trigger.sent
        during = next((by_token[t.i] for t in draft.during if t.i in by_token and by_token[t.i] is not draft), None)
        time_text = draft.time_text or (during.time_text if during else None)
        yield Event(
            type=draft.event,
            trigger=text[draft.trigger.idx : draft.trigger.idx + len(draft.trigger.text)],
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
            shortcut=draft.frame.shortcut,
            symmetric=draft.frame.symmetric,
            during=_span_key(during.trigger) if during else None,
            evidence=Evidence(
                article_id=article_id,
                sentence=text[sentence.start_char : sentence.end_char],
                start=draft.trigger.idx,
                end=draft.trigger.idx + len(draft.trigger.text),
                rule=f"{draft.frame.rule}.v{version}",
                confidence=draft.frame.confidence,
            ),
        )


def _span_key(token: Token) -> tuple[int, int]:
    return (token.idx, token.idx + len(token.text))
