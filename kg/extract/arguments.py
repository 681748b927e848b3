"""Who takes part in an event: the entities that a frame's paths reach from its trigger.

A token reached by a path names an entity when it is a mention of one; a group noun
("police", "Rwandan rebels") or a plural nationality ("Palestinians") names a group actor of
its own; an actor noun ("officials", "the government") acts for the country or organisation
that qualifies it ("Chinese officials", "the president of Kenya"); a plural description
that coreference resolved ("the two leaders") names each of its entities. Group actors are
new records, returned beside the events, never added to the mention index.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from kg.extract.lexicon import Lexicon, PathGroups
from kg.extract.mentions import MentionIndex
from kg.extract.paths import Grammar, Parse, Path, follow, modifiers, quantified
from kg.gazetteer import slug
from kg.model import Entity, EntityKey

# "the president of Kenya", "activists from the Labour Party", "students throughout Chile"
OWNER_PREPOSITIONS = frozenset({"of", "from", "in", "throughout", "across"})
QUALIFIER_STOPWORDS = frozenset({"key", "other", "many", "several", "some", "such", "various"})
OWNER_TYPES = ("Country", "Organization")


@dataclass
class Actors:
    """Maps the tokens of one doc to the entities they name; collects the group actors."""

    parse: Parse
    index: MentionIndex
    lexicon: Lexicon
    capital_of: dict[str, str]
    scope: str = ""  # the article's, for the keys of things it alone names
    text: str = ""  # the article's text (the parse may be of a truecased copy)
    groups: dict[str, Entity] = field(default_factory=dict)
    sides: dict[str, str] = field(default_factory=dict)  # a group -> the country or organisation it is of

    @property
    def grammar(self) -> Grammar:
        return self.lexicon.grammar

    def entity(self, key: str) -> Entity:
        return self.index.entities.get(key) or self.groups[key]

    def kind(self, key: str) -> str:
        """The entity type of `key`, also of a country that only its capital names."""
        known = self.index.entities.get(key) or self.groups.get(key)
        return known.type if known is not None else EntityKey.parse(key).type.value

    def reach(self, i: int, path: Path) -> list[int]:
        return follow(path, i, self.parse, self.grammar)

    def reach_all(self, i: int, groups: PathGroups) -> list[int]:
        """The tokens the first group of paths that reaches any reaches."""
        for group in groups:
            found = [t for path in group for t in self.reach(i, path)]
            if found:
                return found
        return []

    def reaches(self, i: int, paths: Iterable[Path]) -> bool:
        return any(self.reach(i, p) for p in paths)

    def first(self, i: int, groups: PathGroups, *, besides: Collection[str] = ()) -> list[str]:
        """Entities reached by the first group of paths that reaches any but those `besides`."""
        for group in groups:
            keys: list[str] = []
            for path in group:
                reached = self.reach(i, path)
                named = [k for t in reached if (k := self.index.at(t))] if path.exact else \
                    self.named(reached, strict=path.strict)
                keys += [k for k in named if k not in keys and self.capital_of.get(k, k) not in besides]
            if keys:
                return keys
        return []

    def actors(self, i: int, groups: PathGroups, *, places: bool = False, besides: Collection[str] = ()) -> list[str]:
        """Entities that can act: capitals stand for their country, other places drop out
        unless `places` (a town shelled is the target of the shelling). Paths reaching only
        those `besides` are passed over ("recalled its ambassador from Iran": not its own)."""
        keys = [self.capital_of.get(k, k) for k in self.first(i, groups, besides=besides)]
        return list(dict.fromkeys(k for k in keys if places or not k.startswith("place/")))

    def tokens(self, i: int, groups: PathGroups) -> list[int]:
        """Every token the paths reach, with the words coordinated with them."""
        found: list[int] = []
        for group in groups:
            for path in group:
                found += [t for r in self.reach(i, path) for t in self.parse.conjuncts(r) if t not in found]
        return found

    def named(self, tokens: Iterable[int], *, strict: bool = False) -> list[str]:
        keys: list[str] = []
        for token in tokens:
            for t in self.parse.conjuncts(token):
                keys += [k for k in self.named_at(t, strict=strict) if k not in keys]
        return keys

    def named_at(self, i: int, *, strict: bool = False) -> list[str]:
        """The entity a token names; else the one in apposition; else its modifiers'.

        A strict token (a subject) takes its modifiers' entities only when it is an actor
        noun: "U.S. lawmakers" act for the U.S., "Trump's claims" are not Trump.
        """
        parse = self.parse
        key = self.index.at(i)
        if key:
            if self.entity(key).type != "Group":
                return [key]
            # "the Palestinian resistance group Hamas": the name the group noun stands beside
            named = [k for c in parse.kids(i, "appos") if (k := self.index.at(c)) and self.entity(k).type != "Group"]
            return named or [key, *self.owners(i)]  # "activists from the Labour Party" act for Labour too
        plural = self.index.plural.get(i)
        if plural:
            return list(plural)
        if parse.pos[i] == "PRON":
            return []  # coreference resolved the pronouns it could (kg/extract/coref.py)
        if parse.ent[i] == "NORP" and parse.tag[i] in ("NNS", "NNPS"):
            return [self.group(group_label(i, parse))]  # "Iraqi Kurds", "Palestinians"
        appos = [k for c in parse.kids(i, "appos") for t in parse.conjuncts(c) if (k := self.index.at(t))]
        if appos:
            return list(dict.fromkeys(appos))
        lemma = parse.lemma[i]
        if lemma in self.lexicon.actor_nouns and (named := self._named_next(i)):
            return named  # "his Turkish counterpart Hakan Fidan", however parsed
        if lemma in self.lexicon.group_nouns and parse.pos[i] == "NOUN":
            # "Russian drones", "the Syrian army": the country whose they are acts too
            qualifiers = [k for m in modifiers(i, parse) if (k := self.index.at(m)) and self.entity(k).type in OWNER_TYPES]
            owners = self.owners(i)
            if lemma in self.lexicon.weapon_nouns:
                return list(dict.fromkeys([*owners, *qualifiers]))  # "drones struck a market": no one named
            group = self.group(group_label(i, parse))
            if len(qualifiers or owners) == 1:  # "Syrian troops", "workers in Chile": one side with it
                self.sides[group] = (qualifiers or owners)[0]
            return list(dict.fromkeys([group, *owners, *qualifiers]))
        if lemma in self.lexicon.quantity_nouns or parse.pos[i] == "NUM":  # "dozens of protesters"
            return self.named(quantified(i, parse, self.lexicon.quantity_nouns), strict=strict)
        if not strict or lemma in self.lexicon.actor_nouns:
            keys = [k for m in modifiers(i, parse) if (k := self.index.at(m))]
            if lemma in self.lexicon.actor_nouns:
                keys += self.owners(i, leaders=lemma in self.lexicon.led_nouns)
            return list(dict.fromkeys(keys))
        return []

    def _named_next(self, i: int) -> list[str]:
        """The people whose names follow a noun word for word ("counterpart Hakan Fidan", "the
        ministers Sergey Lavrov and Marco Rubio")."""
        parse, after = self.parse, i + 1
        key = self.index.at(after) if after < len(parse) and parse.pos[i] == "NOUN" else None
        if key is None or self.entity(key).type != "Person":
            return []
        end = after
        while end + 1 < len(parse) and self.index.at(end + 1) == key:
            end += 1
        head = next((t for t in range(after, end + 1) if not after <= parse.head[t] <= end), end)
        keys = [k for t in parse.conjuncts(head) if (k := self.index.at(t)) and self.entity(k).type == "Person"]
        return list(dict.fromkeys([key, *keys]))

    def owners(self, i: int, *, leaders: bool = False) -> list[str]:
        """The country or organisation a person or group belongs to: "the president of
        Kenya", "activists from the Labour Party" act for Kenya and for Labour; with
        `leaders`, the person who leads them too ("the regime of Maduro")."""
        parse = self.parse
        objects = [p for c in parse.kids(i, "prep") if parse.lower[c] in OWNER_PREPOSITIONS for p in parse.kids(c, "pobj")]
        keys = [k for o in objects for t in parse.conjuncts(o) for k in self._named_or_qualifying(t) if k]
        types = (*OWNER_TYPES, "Person") if leaders else OWNER_TYPES
        return [k for k in dict.fromkeys(keys) if self.entity(k).type in types]

    def _named_or_qualifying(self, i: int) -> list[str | None]:
        """What token `i` names, else what its modifiers name: "the head of Turkish
        intelligence" acts for Turkey."""
        key = self.index.at(i)
        return [key] if key else [self.index.at(m) for m in modifiers(i, self.parse)]

    def side(self, key: str) -> str:
        """Whose side an actor is on: a group qualified by one country is that country's."""
        return self.sides.get(key, key)

    def group(self, name: str) -> str:
        """A group actor named by a common noun ("police"), keyed by its name."""
        key = f"group/{slug(name)}"
        if key not in self.index.entities:
            self.groups.setdefault(key, Entity(key=key, type="Group", name=name))
        return key


def group_label(i: int, parse: Parse) -> str:
    """A group's name with what qualifies it: "Rwandan rebels", "riot police", "U.S. lawmakers"."""
    words = [c for c in parse.children[i] if c < i and parse.dep[c] in ("amod", "compound", "nmod", "poss")
             and parse.pos[c] in ("ADJ", "NOUN", "PROPN") and parse.lower[c] not in QUALIFIER_STOPWORDS]
    doc = parse.doc
    start = min([doc[w].left_edge.i for w in words] + [i])
    text = doc[start : i + 1].text
    return text if any(c.isupper() for c in text) else text.lower()
