"""Whether an event happened: planned, hypothetical, negated or reported, and who said it.

From the trigger up through the words that govern it (complements, prepositions, light verbs,
purpose clauses), the nearest cue decides: a negation ("did not meet"), an auxiliary ("will
visit", "could impose"), a governing word of the lexicon's [modality] lists ("plans to",
"refused to", "called off", "stop short of", "considering"), a wish ("wants Putin to attack"
is hypothetical; "wants to meet", planned), a condition ("if", "unless"), a question. A verb
of the lexicon's [attribution] lists ends the climb: what it introduces is said by its
subject (kg:reportedBy); contested verbs ("claimed", "alleged") make it reported, denying
ones ("denied") negated, neutral ones ("said") keep what the content itself says.
"""
from __future__ import annotations

from dataclasses import dataclass

from kg.extract.lexicon import Governor, Lexicon
from kg.extract.paths import Parse

# prepositions that set an event in time or against a background: what they introduce does
# not share the modality of the clause ("proposed talks after the raids")
SETTING_PREPOSITIONS = frozenset({"after", "following", "before", "since", "during", "despite", "amid", "amidst", "until"})
CLIMB_DEPS = frozenset({"xcomp", "pcomp", "prep", "pobj", "dobj", "acl", "ccomp"})
MAX_CLIMB = 8


@dataclass(frozen=True)
class Factuality:
    modality: str  # happened, planned, hypothetical, negated, reported
    sources: tuple[int, ...] = ()  # the words naming who states the event


def factuality(i: int, parse: Parse, lexicon: Lexicon) -> Factuality:
    """The modality of the event triggered at token `i`, and the verb that reports it."""
    cues, said = lexicon.modality, lexicon.attribution
    current, below, first = i, i, True
    for _ in range(MAX_CLIMB):
        if parse.kids(current, "neg"):
            return Factuality("negated")  # "would not lift" is a refusal before it is a condition
        own = _own_cue(current, parse, lexicon)
        if own is not None:
            return Factuality(own)
        if not first:
            lemma = parse.lemma[current]
            if lemma in said and parse.pos[current] == "VERB":
                return _attributed(current, parse, lexicon)
            governed = _governed(current, below, parse, lexicon)
            if governed is not None:
                return Factuality(governed)
        if not _climbs(current, first, parse, lexicon):
            break
        below, current, first = current, parse.head[current], False
    trailing = _trailing_attribution(current, parse, lexicon)
    if trailing is not None:
        return trailing
    if _question(i, current, parse):
        return Factuality("hypothetical")
    return Factuality("happened")


def _own_cue(current: int, parse: Parse, lexicon: Lexicon) -> str | None:
    """A cue among the word's own children: an auxiliary, a marker, an adjective."""
    cues = lexicon.modality
    for child in parse.children[current]:
        word, dep = parse.lower[child], parse.dep[child]
        if dep in ("aux", "auxpass"):
            if word in cues.planned_aux:
                return "planned"
            if word in cues.hypothetical_aux:
                return "hypothetical"
            if word == "to" and parse.is_root(current):
                return "planned"  # headline style: "Netanyahu to Meet Trump"
        if dep in ("amod", "mark"):
            if _listed(word, cues.planned_governors):
                return "planned"
            if _listed(word, cues.hypothetical_governors):
                return "hypothetical"
    return None


def _governed(current: int, below: int, parse: Parse, lexicon: Lexicon) -> str | None:
    """What a governing word makes of the event below it."""
    cues = lexicon.modality
    if _governs(current, parse, cues.negating_governors):
        return "negated"
    if _governs(current, parse, cues.wish_governors):
        # the one to act: the complement's subject, or the wisher's object ("wants Putin to attack")
        doer = parse.kids(below, ("nsubj", "nsubjpass")) or (parse.kids(current, "dobj") if parse.dep[below] == "xcomp" else [])
        return "hypothetical" if doer and not set(doer) & set(parse.kids(current, "nsubj")) else "planned"
    if _governs(current, parse, cues.planned_governors):
        return "planned"
    if _governs(current, parse, cues.hypothetical_governors):
        return "hypothetical"
    return None


def _governs(i: int, parse: Parse, governors: frozenset[Governor]) -> bool:
    """Token `i` is one of `governors`: its word, with its particle ("called off"), or the
    particle of such a word ("short" of "stop short of", reached from the "of" below it)."""
    lemma, head = parse.lemma[i], parse.head[i]
    for governor in governors:
        if governor.lemma == lemma:
            if governor.particle is None or any(parse.lower[c] == governor.particle for c in parse.children[i]):
                return True
        elif governor.particle == parse.lower[i] and parse.lemma[head] == governor.lemma and head != i:
            return True
    return False


def _listed(word: str, governors: frozenset[Governor]) -> bool:
    return any(g.lemma == word and g.particle is None for g in governors)


def _climbs(current: int, first: bool, parse: Parse, lexicon: Lexicon) -> bool:
    dep = parse.dep[current]
    if parse.is_root(current):
        return False
    # a purpose clause is as planned as what it serves: "pledged ships to help patrol the strait"
    purpose = dep == "advcl" and parse.opens_with(current, frozenset({"to"}))
    if dep not in CLIMB_DEPS and not purpose:
        return False
    head = parse.head[current]
    if dep == "pobj" and parse.lower[head] in SETTING_PREPOSITIONS:
        return False
    if dep == "dobj" and parse.pos[current] in ("NOUN", "PROPN") and first:
        # "holding a meeting" is as the holding is, and so is "cancelled the summit"
        return parse.lemma[head] in lexicon.light_verbs or _governs(head, parse, lexicon.modality.governors)
    if dep in ("pobj", "dobj") and not first and parse.lemma[current] not in lexicon.container_nouns:
        return False
    return True


def _attributed(verb: int, parse: Parse, lexicon: Lexicon) -> Factuality:
    said = lexicon.attribution
    lemma = parse.lemma[verb]
    sources = tuple(parse.kids(verb, "nsubj"))
    if parse.kids(verb, "neg") or lemma in said.denying:
        return Factuality("negated", sources)
    return Factuality("reported" if lemma in said.contested else "happened", sources)


def _trailing_attribution(top: int, parse: Parse, lexicon: Lexicon) -> Factuality | None:
    """"Russia struck Kyiv overnight, officials said" parsed with "said" under the event, and
    "..., according to the agency": who reports the event, stated after it."""
    for child in parse.children[top]:
        if parse.dep[child] == "parataxis" and parse.lemma[child] in lexicon.attribution and parse.kids(child, "nsubj"):
            return _attributed(child, parse, lexicon)
        if parse.lemma[child] == "accord":
            sources = tuple(o for to in parse.kids(child, "prep") if parse.lower[to] == "to" for o in parse.kids(to, "pobj"))
            if sources:
                return Factuality("happened", sources)
    return None


def _question(i: int, top: int, parse: Parse) -> bool:
    """The event is asked about: its sentence ends with a question mark."""
    sentence = parse.doc[i].sent
    return sentence[-1].text == "?" and top == sentence.root.i
