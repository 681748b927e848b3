"""Open relations: what a clause says an actor does to someone or something, when no event
class of the lexicon or the dictionary reads its verb.

"Trump signs 'America First Arms Transfer Strategy'", "Missouri judge dismisses lawsuit
challenging Starbucks' policies", "U.S. to begin paying UN dues": a clause whose subject is an
actor and whose object is an entity or a concrete thing (a law, a lawsuit, a strategy, files,
dues, an election, anything with a proper name) gives a kg:Action event with the verb's
lemma, its agent, its object and the modality of the clause. A concrete thing becomes a
kg:Thing of its own, with the entities its phrase names ("lawsuit ... against Starbucks").
Typed events win: a verb that triggers one, or whose object does, gives no open relation.
The lexicon's [open] section says which verbs never do and which nouns are things.
"""
from __future__ import annotations

from dataclasses import dataclass

from kg.extract.arguments import Actors
from kg.extract.lexicon import Lexicon
from kg.extract.paths import Parse, compile_path, opens_name, quantified
from kg.gazetteer import slug
from kg.model import Thing

NAMED_THINGS = frozenset({"LAW", "WORK_OF_ART", "PRODUCT", "EVENT", "FAC"})
WHEN = frozenset({"DATE", "TIME"})
THAT = frozenset({"that"})
QUOTES = frozenset({"'", '"', "‘", "’", "“", "”"})
OBJECT_DEPS = ("dobj", "attr", "oprd")
MAX_TITLE = 12  # words a quoted title may have
SUBJECT = compile_path("subject")
MODIFIER = compile_path("modifier")


@dataclass(frozen=True)
class Clause:
    """A verb with an actor for subject and what it acts on: entities, or things."""

    verb: int
    agents: tuple[str, ...]
    targets: tuple[str, ...]  # entities acted on
    objects: tuple[str, ...]  # things acted on (Thing keys)
    preposition: str | None  # the preposition an object hangs from ("review files", "rule on the case": on)
    lemma: str | None = None  # the verb an act named by a noun stands for ("win" for "victory")


def find_clauses(parse: Parse, actors: Actors, lexicon: Lexicon, *, taken: set[int],
                 scope: str) -> tuple[list[Clause], dict[str, Thing]]:
    """The open relations of a doc, and the things they act on. `taken`: tokens that trigger a
    typed event, or are their light verbs; `scope` makes the keys of unnamed things local to
    one article ("the lawsuit" of one story is not the lawsuit of another)."""
    clauses, things = [], {}
    settings = lexicon.open
    for i in range(len(parse)):
        if parse.pos[i] != "VERB" or i in taken or parse.lemma[i] in settings.stop:
            continue
        if any(o in taken for o in parse.kids(i, (*OBJECT_DEPS, "nsubjpass", "xcomp", "ccomp"))):
            continue  # "rejected the offer": the rejection is typed, and so would be a verb over an event
        agents = tuple(actors.actors(i, ((SUBJECT,),)))
        if not agents:
            continue
        found = _objects(i, parse, actors, lexicon, scope)
        if found is None:
            continue
        targets, objects, preposition = found
        targets = tuple(k for k in targets if k not in agents)
        if not targets and not objects:
            continue
        for thing in objects:
            things[thing.key] = thing
        clauses.append(Clause(i, agents, targets, tuple(t.key for t in objects), preposition))
    clauses += _nominal(parse, actors, settings, taken)
    return clauses, things


def _nominal(parse: Parse, actors: Actors, settings, taken: set[int]) -> list[Clause]:
    """Acts named by a noun with their actor ("Sanae Takaichi poised for landslide win",
    "Merz's victory"), the verb of the lexicon's [open] nouns as their lemma."""
    found = []
    for i in range(len(parse)):
        verb = settings.nouns.get(parse.lemma[i])
        if verb is None or parse.pos[i] != "NOUN" or i in taken:
            continue
        # whose act it is: "Merz's victory", "poised for a landslide win"; not who attends or
        # watches it ("Han Zheng will attend the inauguration")
        groups = ((MODIFIER,), (SUBJECT,)) if parse.dep[i] != "dobj" else ((MODIFIER,),)
        agents = tuple(actors.actors(i, groups))
        if agents:
            found.append(Clause(i, agents, (), (), None, lemma=verb))
    return found


def things_acted_on(i: int, parse: Parse, actors: Actors, lexicon: Lexicon, scope: str, *,
                    words: bool = False) -> list[Thing]:
    """The things a typed event's verb acts on directly: "dismissed a lawsuit challenging
    Starbucks' policies" is a rejection of the lawsuit; for an act of words (`words`: a
    denial, a condemnation, a demand) any common noun naming no event is what it is about
    ("denied the reports")."""
    return [t for o in parse.kids(i, ("dobj", "nsubjpass")) for token in parse.conjuncts(o)
            if actors.index.at(token) is None
            and (t := _thing(token, parse, actors, lexicon, scope, any_noun=words)) is not None]


def _objects(i: int, parse: Parse, actors: Actors, lexicon: Lexicon, scope: str):
    """(entities, things, preposition) the verb acts on: its object, else the object of its
    first preposition; None when that names nothing concrete."""
    heads = [(o, None) for o in parse.kids(i, OBJECT_DEPS)]
    if not heads:
        heads = [(p, parse.lower[prep]) for prep in parse.kids(i, "prep") if parse.lower[prep] in lexicon.open.prepositions
                 for p in parse.kids(prep, "pobj")]
    if not heads:  # "allows commercial fishing [to resume]": what the complement is about (not what a
        # reported clause is about: "Lula stressed [that] Brazil ..." does nothing to Brazil)
        reported = parse.lemma[i] in lexicon.attribution
        heads = [(s, None) for c in parse.kids(i, ("ccomp", "xcomp")) if not (reported and parse.dep[c] == "ccomp")
                 and not parse.opens_with(c, THAT) for s in parse.kids(c, "nsubj")]
    for head, preposition in heads:
        entities, things = [], []
        counted = next(iter(quantified(head, parse, lexicon.quantity_nouns)), head)  # "159 of the seats": the seats
        for token in parse.conjuncts(counted):
            key = actors.index.at(token)
            if key:
                entities.append(key)
                continue
            thing = _thing(token, parse, actors, lexicon, scope, quantity=head if token == counted != head else None)
            if thing is not None:
                things.append(thing)
        if entities or things:
            return entities, things, preposition
    return None


def _thing(i: int, parse: Parse, actors: Actors, lexicon: Lexicon, scope: str, *,
           quantity: int | None = None, any_noun: bool = False) -> Thing | None:
    """A concrete thing named by the noun at `i`: one of the lexicon's thing nouns, or a name
    (a law, a work, a product, a quoted title); from its `quantity` when one is said of it
    ("159 of the 225 seats")."""
    named = parse.ent[i] in NAMED_THINGS or parse.pos[i] == "PROPN" and actors.index.at(i) is None
    if not named and parse.lemma[i] not in lexicon.open.things and parse.lower[i] not in lexicon.open.things \
            and not (any_noun and parse.pos[i] == "NOUN" and not lexicon.by_lemma.get((parse.lemma[i], "NOUN"))):
        return None  # (a noun that names an event is one: "demanded peace talks")
    if parse.ent[i] in WHEN or parse.lemma[i] in lexicon.container_nouns and _infinitive_after(i, parse):
        return None  # "on Saturday" is a time; "plans to sell arms" is what is planned, not a thing
    start, end = _phrase(i, parse, actors)
    if quantity is not None:
        start = _left_edge(quantity, parse)
    doc = parse.doc
    # the article's own words: a headline is parsed from a truecased, name-masked copy
    label = actors.text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1].text)].strip(" '\"‘’“”")
    if not label:
        return None
    quoted = start > 0 and parse.lower[start - 1] in QUOTES
    proper = named or quoted or any(parse.pos[t] == "PROPN" and actors.index.at(t) is None for t in range(start, end))
    key = f"thing/{slug(label)}" if proper else f"thing/{slug(label)}-{scope}"
    # the names inside a title are part of it ("America First Arms Transfer Strategy" is not about America)
    outside = range(start, end) if proper else range(0)
    return Thing(key=key, name=label if proper else label.lower(),
                 concerns=tuple(k for k in _concerns(i, parse, actors, skip=outside)))


def _infinitive_after(i: int, parse: Parse) -> bool:
    """A noun with an infinitive after it ("plans to sell", "efforts to end")."""
    return any(parse.lower[a] == "to" for c in parse.kids(i, ("acl", "relcl")) for a in parse.kids(c, "aux"))


def _phrase(i: int, parse: Parse, actors: Actors) -> tuple[int, int]:
    """The noun's phrase: its left modifiers and the noun ("the America First Arms Transfer
    Strategy", "unredacted Jeffrey Epstein DOJ files"), without determiners or possessives."""
    lefts = [c for c in parse.children[i] if c < i and parse.dep[c] in ("compound", "amod", "nmod", "nummod", "quantmod")]
    start = min([_left_edge(c, parse) for c in lefts] + [i])
    while start < i and (parse.dep[start] in ("det", "poss", "case", "punct") or parse.lower[start] in ("'s", "’s")):
        start += 1
    if start > 0 and parse.dep[start - 1] == "det" and parse.head[start - 1] == i and opens_name(start - 1, parse):
        start -= 1  # "the No Argentina Bailout Act"
    if start > 0 and parse.lower[start - 1] in QUOTES:  # a quoted title: everything up to the closing quote
        close = next((k for k in range(i + 1, len(parse)) if parse.lower[k] in QUOTES), None)
        if close is not None and close - start <= MAX_TITLE:
            return start, close
    return start, i + 1


def _left_edge(i: int, parse: Parse) -> int:
    edge = i
    for child in parse.children[i]:
        if child < i:
            edge = min(edge, _left_edge(child, parse))
    return edge


def _concerns(thing_head: int, parse: Parse, actors: Actors, *, skip: range) -> list[str]:
    """The entities a thing's phrase names: "lawsuit challenging Starbucks' policies",
    "files on Epstein", "the Epstein DOJ files" (none of the tokens in `skip`)."""
    stack, found = [thing_head], []
    while stack:
        k = stack.pop()
        key = actors.index.at(k)
        if key and key not in found and k not in skip:
            found.append(key)
        stack.extend(parse.children[k])
    return found

