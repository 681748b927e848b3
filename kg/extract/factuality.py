"""Whether an event happened: planned, hypothetical, negated or reported, and who said it.

From the trigger up through the words that govern it (complements, prepositions, light verbs,
purpose clauses), the nearest cue decides: a negation ("did not meet"), an auxiliary ("will
visit", "could impose"), a governing word of the lexicon's [modality] lists ("plans to",
"refused to", "called off", "stop short of", "considering"), a wish ("wants Putin to attack"
is hypothetical; "wants to meet", planned), a condition ("if", "unless"), a question, hearsay
("reportedly", "allegedly": reported). A verb
of the lexicon's [attribution] lists ends the climb: what it introduces is said by its
subject (kg:reportedBy); contested verbs ("claimed", "alleged") make it reported, denying
ones ("denied") negated, neutral ones ("said") keep what the content itself says.
"""
from __future__ import annotations

from dataclasses import dataclass

from kg.extract.lexicon import Governor, Lexicon
from kg.extract.paths import Parse, deadline, opens_name

# prepositions that set an event in time or against a background: what they introduce does
# not share the modality of the clause ("proposed talks after the raids", "ready to retaliate
# against US duties")
SETTING_PREPOSITIONS = frozenset({"after", "following", "before", "since", "during", "despite", "amid", "amidst",
                                  "until", "against", "over", "about", "regarding", "concerning"})
CLIMB_DEPS = frozenset({"xcomp", "pcomp", "prep", "pobj", "dobj", "acl", "ccomp"})
CONDITIONS = frozenset({"if", "unless", "whether", "once"})
NO_WORDS = frozenset({"no", "none", "neither", "nor"})
PURPOSE = frozenset({"to"})
ANYONE = frozenset({"those", "anyone", "anybody", "whoever", "everyone", "everybody"})
HEARSAY = frozenset({"reportedly", "allegedly", "purportedly", "supposedly", "ostensibly"})
EMBEDDING_DEPS = frozenset({"ccomp", "parataxis", "relcl", "advcl"})
MAX_CLIMB = 8


@dataclass(frozen=True)
class Factuality:
    modality: str  # happened, planned, hypothetical, negated, reported
    sources: tuple[int, ...] = ()  # the words naming who states the event


def factuality(i: int, parse: Parse, lexicon: Lexicon) -> Factuality:
    """The modality of the event triggered at token `i`, and who states it."""
    modality, top = _modality(i, parse, lexicon)
    speech = _speech(i, parse, lexicon)
    if speech is None:
        return Factuality(modality)
    verb, sources = speech
    lemma = parse.lemma[verb] if verb is not None else ""
    if verb is not None and (parse.kids(verb, "neg") or lemma in lexicon.attribution.denying):
        return Factuality("negated", sources)
    if lemma in lexicon.attribution.contested and modality == "happened":
        return Factuality("reported", sources)
    return Factuality(modality, sources)


def _modality(i: int, parse: Parse, lexicon: Lexicon) -> tuple[str, int]:
    """The modality the nearest cue gives, and the highest word the climb reached."""
    if _asked(i, parse):
        return "hypothetical", i  # "Will Maduro seize another country?"
    if _generic(i, parse, lexicon) or _anyone(i, parse):
        return "hypothetical", i  # "the importance of air defences in protecting cities"
    if any(_no(d, parse) for o in parse.kids(i, ("nsubjpass", "dobj", "nsubj")) for d in parse.kids(o, "det")):
        return "negated", i  # "No military facilities have been targeted"
    current, below, first, coordinated, purposed = i, i, True, False, False
    for _ in range(MAX_CLIMB):
        # above a clausal complement only a governing word or a verb of saying tells
        # anything: "threatened to impose tariffs should Canada forge a deal", misparsed with
        # "threatened" under "forge", is no condition on the threat
        complement = not first and parse.dep[below] == "ccomp" and not _infinitive(below, parse)
        own = None if complement else _own_cue(current, parse, lexicon)
        if own is not None:
            return own, current
        if not first and not coordinated:
            if parse.lemma[current] in lexicon.attribution and parse.pos[current] == "VERB":
                return "happened", current  # what it says is as the content says (see _speech)
            if deadline(below, parse, lexicon.grammar):
                return "planned", current  # "gave Russia until Friday to agree"
            governed = _governed(current, below, parse, lexicon)
            if governed is not None:
                return ("negated" if governed != "negated" and _denied(current, parse) else governed), current
            if complement:
                return "happened", current
        # "can fight the cartels and bring aid": a verb coordinated without a subject of its
        # own shares the auxiliaries of the first, and what governs it
        coordinated = parse.dep[current] == "conj" and not parse.kids(current, ("nsubj", "nsubjpass"))
        if not coordinated and not _climbs(current, first, parse, lexicon):
            break
        # what a purpose clause aims at is intended, not done: "sanctioned 20 companies to
        # prevent Russia from accessing technology"
        purposed = purposed or _purpose(current, parse, lexicon)
        below, current, first = current, parse.head[current], False
    return ("planned" if purposed else "happened"), current


def _speech(i: int, parse: Parse, lexicon: Lexicon) -> tuple[int | None, tuple[int, ...]] | None:
    """The verb of saying above the event ("Iran said that ...", "..., officials said") and
    the words naming who says it, or "according to X" (no verb); None when nobody is cited."""
    current, below = i, i
    for _ in range(MAX_CLIMB * 2):
        # a verb the event is coordinated with does not say it: "denied the report and says
        # the law is fair" is no denial of what it says
        coordinate = parse.dep[below] == "conj" and parse.head[below] == current
        if current != i and parse.pos[current] == "VERB" and parse.lemma[current] in lexicon.attribution \
                and not coordinate:
            return current, tuple(parse.kids(current, "nsubj"))
        trailing = _trailing_attribution(current, parse, lexicon)
        if trailing is not None:
            return trailing
        # a relative or adverbial clause is not what is said: "After Russia struck Kyiv, Zelensky said ..."
        if parse.is_root(current) or parse.dep[current] in ("relcl", "appos", "advcl"):
            return None
        below, current = current, parse.head[current]
    return None


def _own_cue(current: int, parse: Parse, lexicon: Lexicon) -> str | None:
    """A cue among the word's own children: a condition ("if they don't make a deal" is a
    condition before it is a denial), a negation, an auxiliary, a marker, an adjective."""
    cues = lexicon.modality
    if any(parse.lower[m] in CONDITIONS for m in parse.kids(current, "mark")):
        return "hypothetical"
    if any(_no(d, parse) for s in parse.kids(current, ("nsubj", "nsubjpass")) for d in parse.kids(s, ("det", "preconj"))):
        return "negated"  # "neither Washington nor Moscow saw fit to expel"
    if parse.kids(current, "neg"):
        return "negated"  # "would not lift" is a refusal before it is a condition
    for child in parse.children[current]:
        word, dep = parse.lower[child], parse.dep[child]
        if dep in ("aux", "auxpass"):
            if word in cues.planned_aux or word == "would" and _reported_speech(current, parse, lexicon):
                return "planned"  # "said it would admit the monitors": the "will" of what was said
            if word in cues.hypothetical_aux:
                return "hypothetical"
            if word == "to" and parse.is_root(current):
                return "planned"  # headline style: "Netanyahu to Meet Trump"
        if dep in ("amod", "mark") or dep == "acl" and parse.tag[child] == "VBN" and not _aims_elsewhere(child, parse, lexicon):
            # "upcoming", "talks scheduled for Friday", "talks expected to resume"
            lemma = parse.lemma[child]
            if _listed(word, cues.planned_governors) or _listed(lemma, cues.planned_governors):
                return "planned"
            if _listed(word, cues.hypothetical_governors):  # not by lemma: a "long-threatened invasion" happened
                return "hypothetical"
    if _infinitive(current, parse) and _weighed(parse.head[current], parse):
        return "hypothetical"  # "it is unusual for the U.S. to expel a diplomat": an act weighed, not told
    if any(parse.lower[a] in HEARSAY for a in parse.kids(current, "advmod")):
        return "reported"  # "Russia reportedly attacked" ("will reportedly visit" is planned first)
    # "a deal appears distant": the event is the subject of a predicate that doubts it, or of
    # one that says whether it takes place ("talks are set to resume")
    if parse.dep[current] in ("nsubj", "nsubjpass"):
        head = parse.head[current]
        if any(_listed(parse.lemma[c], cues.hypothetical_governors) for c in parse.kids(head, ("acomp", "oprd", "attr"))):
            return "hypothetical"
        return _occasion(current, parse, lexicon)
    return None


def _aims_elsewhere(participle: int, parse: Parse, lexicon: Lexicon) -> bool:
    """A participle on a noun whose plan is another act: in "killed in a drone attack intended
    to strike militants" the strike was intended, the attack happened ("talks expected to
    resume" are still planned talks)."""
    return any(parse.lemma[x] not in lexicon.modality.occurring for x in parse.kids(participle, "xcomp"))


def _infinitive(clause: int, parse: Parse) -> bool:
    """A complement in the infinitive ("get Putin to agree", parsed as a clause of its own)
    is as the verb above it is, as an xcomp is: what governs that verb governs it."""
    return any(parse.lower[a] == "to" for a in parse.kids(clause, "aux"))


def _weighed(verb: int, parse: Parse) -> bool:
    """An impersonal judgement, "it is ADJ", whose infinitive clause is what it judges."""
    return parse.lemma[verb] == "be" and bool(parse.kids(verb, "acomp")) \
        and any(parse.lower[s] == "it" for s in parse.kids(verb, "nsubj"))


def _reported_speech(clause: int, parse: Parse, lexicon: Lexicon) -> bool:
    """The clause is what a verb of saying introduces ("Peru said it would ...")."""
    return parse.dep[clause] == "ccomp" and parse.lemma[parse.head[clause]] in lexicon.attribution


def _governed(current: int, below: int, parse: Parse, lexicon: Lexicon) -> str | None:
    """What a governing word makes of the event below it; a verb's adjunct of time, place or
    means is not governed ("discussed Ukraine in a phone call": the call took place)."""
    cues = lexicon.modality
    if parse.pos[current] == "VERB" and parse.dep[below] == "prep" and parse.lower[below] in cues.adjuncts:
        return None
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


def _no(determiner: int, parse: Parse) -> bool:
    """A determiner that denies its noun ("no facilities"), unless it opens a name ("the No
    Argentina Bailout Act" is introduced, not denied)."""
    return parse.lower[determiner] in NO_WORDS and not opens_name(determiner, parse)


def _denied(governor: int, parse: Parse) -> bool:
    """The governing word is itself denied: "has no plans to impose", "did not mention any
    plans to cut", "showed no willingness to talk": what it governs is not done either."""
    if parse.kids(governor, "neg") or any(_no(d, parse) for d in parse.kids(governor, "det")):
        return True
    return parse.dep[governor] == "dobj" and bool(parse.kids(parse.head[governor], "neg"))


def _governs(i: int, parse: Parse, governors: frozenset[Governor]) -> bool:
    """Token `i` is one of `governors`: its word, with its particle ("called off"), or the
    particle of such a word ("short" of "stop short of", reached from the "of" below it)."""
    lemma, head = parse.lemma[i], parse.head[i]
    for governor in governors:
        if governor.lemma in (lemma, parse.lower[i]):  # "poised" is a governor; its lemma "poise" is none
            if governor.particle is None or any(parse.lower[c] == governor.particle and not _dated(c, parse)
                                                for c in parse.children[i]):
                return True
        elif governor.particle == parse.lower[i] and parse.lemma[head] == governor.lemma and head != i:
            return True
    return False


def _occasion(i: int, parse: Parse, lexicon: Lexicon) -> str | None:
    """An event named as the subject of a verb that says when or whether it takes place is
    as that verb says: "talks are set to resume", "the summit will be held in June", "the
    meeting was called off"."""
    verb = parse.head[i]
    if parse.pos[i] not in ("NOUN", "PROPN") or parse.dep[i] not in ("nsubj", "nsubjpass") or verb == i:
        return None
    governed = _governed(verb, i, parse, lexicon) if parse.lemma[verb] in lexicon.modality.scheduling else None
    if governed is not None:
        return "negated" if governed != "negated" and _denied(verb, parse) else governed
    if parse.lemma[verb] in lexicon.modality.occurring:
        held = [verb, *(k for k in parse.kids(verb, "xcomp"))]
        return next((cue for v in held if (cue := _own_cue(v, parse, lexicon)) is not None), None)
    return None


def _purpose(clause: int, parse: Parse, lexicon: Lexicon) -> bool:
    """An infinitive saying what an act is for: a clause of its own, or one after the act's
    object ("sent troops to protect", "sanctioned 20 companies to prevent"), unless the verb
    makes its object do it ("helped Ukraine to repel", "forced Russia to withdraw")."""
    if not parse.opens_with(clause, PURPOSE):
        return False
    head = parse.head[clause]
    return parse.dep[clause] == "advcl" or parse.dep[clause] == "xcomp" and bool(parse.kids(head, "dobj")) \
        and parse.lemma[head] not in lexicon.modality.causatives


def _dated(preposition: int, parse: Parse) -> bool:
    """A preposition of a date is no particle: "a call on Tuesday" is no "call on"."""
    return any(parse.ent[o] in ("DATE", "TIME") for o in parse.kids(preposition, "pobj"))


def _listed(word: str, governors: frozenset[Governor]) -> bool:
    return any(g.lemma == word and g.particle is None for g in governors)


def _climbs(current: int, first: bool, parse: Parse, lexicon: Lexicon) -> bool:
    dep = parse.dep[current]
    if parse.is_root(current):
        return False
    # a purpose clause is as planned as what it serves: "pledged ships to help patrol the strait"
    purpose = _purpose(current, parse, lexicon)
    # "blocked the sanctions package": what is done to the package is done to the sanctions
    packed = first and dep == "compound" and parse.lemma[parse.head[current]] in lexicon.container_nouns
    if dep not in CLIMB_DEPS and not purpose and not packed:
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


def _trailing_attribution(top: int, parse: Parse, lexicon: Lexicon) -> tuple[int | None, tuple[int, ...]] | None:
    """"Russia struck Kyiv overnight, officials said" parsed with "said" under the event, and
    "..., according to the agency": who reports the event, stated after it."""
    for child in parse.children[top]:
        if parse.dep[child] == "parataxis" and parse.lemma[child] in lexicon.attribution and parse.kids(child, "nsubj"):
            return child, tuple(parse.kids(child, "nsubj"))
        if parse.lemma[child] == "accord":
            sources = tuple(o for to in parse.kids(child, "prep") if parse.lower[to] == "to" for o in parse.kids(to, "pobj"))
            if sources:
                return None, sources
    return None


def _asked(i: int, parse: Parse) -> bool:
    """The event is asked about: its clause (up to a clause the sentence reports or
    qualifies) ends with a question mark: "Will Maduro seize another country?" he wrote."""
    clause = i
    while not parse.is_root(clause) and parse.dep[clause] not in EMBEDDING_DEPS:
        clause = parse.head[clause]
    stack, last = [clause], clause
    while stack:
        k = stack.pop()
        last = max(last, k)
        stack.extend(parse.children[k])
    end = min(last + 1, parse.sentence_end[i])
    return any(parse.lower[k] == "?" for k in range(i + 1, end + 1))


def _generic(i: int, parse: Parse, lexicon: Lexicon) -> bool:
    """A gerund under a noun's preposition names a kind of act, no event: "the importance of
    ... in protecting cities", "ways of ending the war" (but "Japan's position on demanding"
    is Japan's demand: a container noun, or one with an owner, passes the act through)."""
    if parse.tag[i] != "VBG" or parse.dep[i] != "pcomp":
        return False
    holder = parse.head[parse.head[i]]
    return parse.pos[holder] in ("NOUN", "PROPN") and parse.lemma[holder] not in lexicon.container_nouns \
        and not parse.kids(holder, "poss")


def _anyone(i: int, parse: Parse) -> bool:
    """The act of whoever does it, no one in particular: "will hold accountable those who
    threaten U.S. interests", "anyone who attacks Israel"."""
    return parse.dep[i] == "relcl" and parse.lower[parse.head[i]] in ANYONE
