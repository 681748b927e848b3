"""The CAMEO verb dictionary (PETRARCH2's, converted into kg/data/cameo/verbs.json by
tools/petrarch.py), read against a dependency parse.

Each verb belongs to a block of synonyms with a default CAMEO code and patterns: words
before the verb (its subject) and after it (its object, particles, and preposition phrases
"(WITH LEADERS)"), each with a code ("IMPOSE * SANCTIONS [163]") or the null code, which
says that this use of the verb is no event ("IMPOSE * TAXES [---]"). A pattern matches when
every element is found among the verb's dependents; the most specific match wins, else the
verb's own code, else its block's. A code "[a:b]" is the event source -> target (a) and
target -> source (b); "[:b]" only the latter ("FACE * CHARGES [:112]": someone accuses the
subject).

Patterns are indexed by the words of their first element: a verb's dependents are looked up,
never the whole block scanned.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from kg.errors import KGError
from kg.extract.paths import Parse

OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd", "dative"})
PARTICLE_DEPS = frozenset({"prt", "advmod"})
PREP_DEPS = frozenset({"prep", "agent", "dative"})


class DictionaryError(KGError):
    """The converted CAMEO dictionary cannot be read; the message names the block and line."""


@dataclass(frozen=True)
class Element:
    """A noun (alternatives, each words with the head last), or a preposition phrase."""

    kind: str  # "noun" or "prep"
    words: tuple[tuple[str, ...], ...] = ()
    preps: frozenset[str] = frozenset()
    target: bool = False  # the preposition's object is the event's target: "(WITH +)"

    def anchors(self) -> frozenset[str]:
        if self.kind == "prep":
            return self.preps
        return frozenset(w[-1] for w in self.words)


@dataclass(frozen=True)
class Pattern:
    block: str
    line: int
    before: tuple[Element, ...]
    after: tuple[Element, ...]
    code: str | None
    reverse: str | None

    @property
    def size(self) -> int:
        return len(self.before) + len(self.after)


@dataclass(frozen=True)
class Entry:
    """A verb of a block: its lemma, the words of a multi-word verb around it, its code."""

    block: str
    lemma: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    code: str | None

    @property
    def words(self) -> str:
        return " ".join((*self.before, self.lemma, *self.after))


@dataclass(frozen=True)
class Reading:
    """What the dictionary says of one use of a verb: the codes, and which pattern (None:
    the verb's or block's default) said so; `target_preps`: where the target is."""

    code: str | None
    reverse: str | None
    block: str
    line: int | None
    size: int  # elements matched (0 for a default)
    target_preps: frozenset[str] = frozenset()
    own: bool = False  # a default that the verb itself has ("DONATE [070]"), not its block
    verb: str = ""  # the verb as the dictionary lists it: "rule out", "impose"

    @property
    def rule(self) -> str:
        where = f".{self.line}" if self.line is not None else ""
        return f"cameo.{self.block.lower()}{where}"


@dataclass
class Dictionary:
    entries: dict[str, list[Entry]]  # lemma -> entries (multi-word ones first)
    patterns: dict[str, dict[str, list[Pattern]]]  # block -> anchor word -> patterns
    defaults: dict[str, str | None]  # block -> default code
    transformations: tuple[str, ...] = field(default=())

    def read(self, i: int, parse: Parse) -> Reading | None:
        """The dictionary's reading of verb token `i`, or None if it does not list the verb."""
        entry = self._entry(i, parse)
        if entry is None:
            return None
        blocks = list(dict.fromkeys(e.block for e in self.entries[entry.lemma]
                                    if (e.before, e.after) == (entry.before, entry.after)))
        frame = _Frame.of(i, parse)
        best: tuple[int, int, Pattern, frozenset[str]] | None = None
        for block in blocks:
            for pattern in self._candidates(block, frame.words):
                matched = _match(pattern, frame, parse, self)
                if matched is None:
                    continue
                score, targets = matched
                key = (score, -pattern.line)
                if best is None or key > best[:2]:
                    best = (score, -pattern.line, pattern, targets)
        if best is not None:
            pattern = best[2]
            return Reading(pattern.code, pattern.reverse, pattern.block, pattern.line, best[0], best[3],
                           verb=entry.words)
        same = [e for e in self.entries[entry.lemma] if (e.before, e.after) == (entry.before, entry.after)]
        own = {e.code for e in same if e.code is not None}
        codes = own or {self.defaults[b] for b in blocks}
        code = codes.pop() if len(codes) == 1 else None
        return Reading(code, None, blocks[0], None, 0, own=bool(own), verb=entry.words)

    def _entry(self, i: int, parse: Parse) -> Entry | None:
        for entry in self.entries.get(parse.lemma[i], ()):
            if _multiword_fits(entry, i, parse):
                return entry
        return None

    def _candidates(self, block: str, words: set[str]) -> list[Pattern]:
        index = self.patterns.get(block, {})
        found = {id(p): p for w in words for p in index.get(w, ())}
        return list(found.values())


def _multiword_fits(entry: Entry, i: int, parse: Parse) -> bool:
    """A multi-word verb's other words stand right beside it ("crack down", "wire tap"), or
    a one-word particle hangs from it anywhere ("called the meeting off")."""
    size = len(parse)
    if entry.after:
        following = tuple(parse.lower[i + 1 : i + 1 + len(entry.after)]) if i + len(entry.after) < size else ()
        particle = len(entry.after) == 1 and any(parse.lower[c] == entry.after[0] for c in parse.kids(i, ("prt", "prep")))
        if following != entry.after and not particle:
            return False
    if entry.before:
        if i < len(entry.before) or tuple(parse.lower[i - len(entry.before) : i]) != entry.before:
            return False
    return True


@dataclass(frozen=True)
class _Frame:
    """The dependents of a verb that patterns are matched against."""

    subjects: tuple[int, ...]
    objects: tuple[int, ...]
    preps: tuple[int, ...]
    particles: tuple[int, ...]
    words: set[str]

    @classmethod
    def of(cls, i: int, parse: Parse) -> _Frame:
        subjects = [c for s in parse.kids(i, ("nsubj", "csubj")) for c in parse.conjuncts(s)]
        objects = [c for o in parse.kids(i, OBJECT_DEPS) for c in parse.conjuncts(o)]
        preps = [p for holder in (i, *objects) for p in parse.kids(holder, PREP_DEPS)]
        particles = parse.kids(i, PARTICLE_DEPS)
        words = {w for t in (*subjects, *objects, *preps, *particles) for w in (parse.lemma[t], parse.lower[t])}
        return cls(tuple(subjects), tuple(objects), tuple(preps), tuple(particles), words)


def _match(pattern: Pattern, frame: _Frame, parse: Parse, dictionary: Dictionary) -> tuple[int, frozenset[str]] | None:
    """(specificity, prepositions introducing the target) if every element is found."""
    score, targets = 0, set()
    for element in pattern.before:
        if element.kind == "prep":
            return None  # a preposition phrase before the verb is not a subject
        points = _noun(element, frame.subjects, parse, dictionary)
        if points is None:
            return None
        score += points
    for element in pattern.after:
        if element.kind == "prep":
            points = _prep(element, frame, parse, dictionary)
            if points is not None and element.target:
                targets.update(element.preps)
        else:
            points = _noun(element, frame.objects, parse, dictionary)
            if points is None:  # "SET * OUT VIEWS": a particle, or a preposition without object
                points = _bare_word(element, frame, parse)
        if points is None:
            return None
        score += points
    return score, frozenset(targets)


def _noun(element: Element, tokens: Iterable[int], parse: Parse, dictionary: Dictionary) -> int | None:
    alternatives = element.words
    best = None
    for t in tokens:
        for words in alternatives:
            if parse.lemma[t] != words[-1] and parse.lower[t] != words[-1]:
                continue
            if len(words) > 1:
                left = {w for k in _left_subtree(t, parse) for w in (parse.lemma[k], parse.lower[k])}
                if not all(w in left for w in words[:-1]):
                    continue
            best = max(best or 0, len(words))
    return best


def _left_subtree(t: int, parse: Parse) -> list[int]:
    out, stack = [], [c for c in parse.children[t] if c < t]
    while stack:
        k = stack.pop()
        out.append(k)
        stack.extend(parse.children[k])
    return out


def _prep(element: Element, frame: _Frame, parse: Parse, dictionary: Dictionary) -> int | None:
    for p in (*frame.preps, *frame.particles):
        if parse.lower[p] not in element.preps:
            continue
        if not element.words:
            return 1
        objects = [o for c in parse.kids(p, ("pobj", "pcomp")) for o in parse.conjuncts(c)]
        points = _noun(element, objects, parse, dictionary)
        if points is not None:
            return 1 + points
    return None


def _bare_word(element: Element, frame: _Frame, parse: Parse) -> int | None:
    heads = element.anchors()
    return 1 if any(parse.lower[t] in heads for t in (*frame.particles, *frame.preps)) else None


# ---------------------------------------------------------------------------
# loading


@cache
def load() -> Dictionary:
    """The shipped dictionary, validated and indexed."""
    raw = json.loads(resources.files("kg.data").joinpath("cameo/verbs.json").read_text(encoding="utf-8"))
    return parse_dictionary(raw)


def parse_dictionary(raw: dict) -> Dictionary:
    """A Dictionary from verbs.json's data; DictionaryError names what is wrong and where."""
    synsets = {name: tuple(tuple(p) for p in phrases) for name, phrases in raw["synsets"].items()}
    entries: dict[str, list[Entry]] = {}
    patterns: dict[str, dict[str, list[Pattern]]] = {}
    defaults: dict[str, str | None] = {}
    for block in raw["blocks"]:
        name = block["name"]
        defaults[name] = _checked_code(block.get("code"), name, block.get("line"))
        for verb in block["verbs"]:
            entry = Entry(block=name, lemma=verb["lemma"], before=tuple(verb.get("before", ())),
                          after=tuple(verb.get("after", ())), code=_checked_code(verb.get("code"), name, block.get("line")))
            entries.setdefault(entry.lemma, []).append(entry)
        index: dict[str, list[Pattern]] = {}
        for item in block["patterns"]:
            pattern = Pattern(block=name, line=item["line"],
                              before=_elements(item["before"], synsets, name, item["line"]),
                              after=_elements(item["after"], synsets, name, item["line"]),
                              code=_checked_code(item.get("code"), name, item["line"]),
                              reverse=_checked_code(item.get("reverse"), name, item["line"]))
            nouns = [e for e in (*pattern.after, *pattern.before) if e.words or e.preps]
            if not nouns:
                continue  # "- * (TO)" alone is kept only through its preposition below
            for word in nouns[0].anchors():
                index.setdefault(word, []).append(pattern)
        patterns[name] = index
    for found in entries.values():
        found.sort(key=lambda e: -(len(e.before) + len(e.after)))  # multi-word verbs first
    return Dictionary(entries=entries, patterns=patterns, defaults=defaults,
                      transformations=tuple(raw.get("transformations", ())))


def _elements(items: list[dict], synsets: dict, block: str, line: int) -> tuple[Element, ...]:
    """The pattern's nouns and preposition phrases; the source and target markers outside a
    preposition phrase say what the default roles say already, and are left out."""
    return tuple(_element(e, synsets, block, line) for e in items if e.get("kind") not in ("source", "target"))


def _element(raw: dict, synsets: dict, block: str, line: int) -> Element:
    kind = raw.get("kind")
    if kind not in ("noun", "prep"):
        raise DictionaryError(f"block {block}, line {line}: unknown element kind {kind!r}")
    words = [phrase for w in raw.get("words", ()) for phrase in _expanded(w, synsets, block, line)]
    if raw.get("synset"):
        name = raw["synset"]
        if name not in synsets:
            raise DictionaryError(f"block {block}, line {line}: unknown synonym set &{name}")
        modifiers = tuple(words[0]) if words else ()
        words += [(*modifiers, *phrase) for phrase in synsets[name]]
    if kind == "noun" and not words:
        raise DictionaryError(f"block {block}, line {line}: a noun element without words")
    return Element(kind=kind, words=tuple(words), preps=frozenset(raw.get("preps", ())),
                   target=raw.get("marker") == "target")


def _expanded(words: list[str], synsets: dict, block: str, line: int) -> list[tuple[str, ...]]:
    """A phrase with each "&SET" in it replaced by every phrase of that set."""
    phrases: list[tuple[str, ...]] = [()]
    for word in words:
        if not word.startswith("&"):
            phrases = [(*p, word) for p in phrases]
            continue
        if word[1:] not in synsets:
            raise DictionaryError(f"block {block}, line {line}: unknown synonym set {word}")
        phrases = [(*p, *choice) for p in phrases for choice in synsets[word[1:]]]
    return phrases


def _checked_code(code: str | None, block: str, line: int | None) -> str | None:
    if code is not None and not code.isdigit():
        raise DictionaryError(f"block {block}, line {line}: {code!r} is no CAMEO code")
    return code
