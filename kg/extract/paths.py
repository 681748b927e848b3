"""Dependency paths: the small language the lexicon uses to say where a trigger's
arguments and conditions are, compiled once and followed over a parse read into arrays.

A path is steps separated by ">". A step is

- `DEP` or `DEP:lemma|lemma`: the children hanging by DEP (`*` for any), optionally only
  those with one of the lemmas: "prep:with|alongside>pobj";
- `DEP@word|word`: the clauses hanging by DEP that open with one of the words ("advcl@unless");
- `<DEP` or `<DEP:lemma|...`: the head, when this token hangs from it by DEP (`<*`: any);
- `^STEP`: STEP taken from the head, unless this token is a subject or the root ("the words
  around the verb of an object": "eliminating tariffs, particularly on steel");
- `subject` (also `subject:lemma|...`): the token's subject, or the one it inherits from the
  words that govern it ("agreed to meet", "leaders expressed interest in holding talks");
- `modifier`: a noun's modifiers (compound, poss, amod, nmod, npadvmod) and their
  proper-noun modifiers ("U.S.-India trade framework"), with the name a dash pairs with one
  of them ("India–U.S. pact");
- `patient`: who undergoes a passive verb ("X was arrested");
- `done`: the light-verb participle describing a noun ("strikes carried out by Russia on
  Ukraine", "tariffs imposed on Canada"): its complements are the noun's.

A path ending in "=" ("dobj=") reaches only what its last word names itself, never the
entities in that word's modifiers ("welcomed the president", not "welcomed Reagan's statement").

Paths are followed from token indices over `Parse`, the doc's arrays read once: a spaCy
Token is made anew at each access and costs more than the rules themselves.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, LEMMA, LOWER, POS, SENT_START, TAG
from spacy.tokens import Doc

from kg.errors import KGError

MODIFIER_DEPS = frozenset({"compound", "poss", "amod", "nmod", "npadvmod"})
NAME_MODIFIER_DEPS = frozenset({"compound", "nmod", "npadvmod"})
DASHES = frozenset({"-", "–", "—"})
CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep", "acl", "relcl", "acomp"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})
SPECIAL = frozenset({"subject", "modifier", "patient", "done"})
MAX_CLIMB = 8
# verbs whose subject, not their object, does what follows: "promised Kyiv to send more arms"
SUBJECT_CONTROL = frozenset({"promise", "pledge", "vow", "swear", "threaten", "offer"})


class PathError(KGError):
    """A path of the lexicon cannot be read; the message says which and why."""


@dataclass(frozen=True)
class Step:
    kind: str  # "child", "clause", "head", "up", "subject", "modifier", "patient", "done"
    dep: str | None = None  # None: any
    words: frozenset[str] | None = None  # lemmas (child, head, subject) or opening words (clause)
    inner: Step | None = None  # for "up": the step taken from the head


@dataclass(frozen=True)
class Path:
    text: str
    steps: tuple[Step, ...]
    exact: bool = False  # what the last word names itself, not its modifiers

    @property
    def strict(self) -> bool:
        """Ends at a subject: its modifiers name an actor only when it is an actor noun."""
        return self.steps[-1].kind == "subject"


@cache
def compile_path(text: str) -> Path:
    """The path written `text`; PathError says what is wrong with it."""
    if not text or text != text.strip():
        raise PathError(f"empty path, or spaces around it: {text!r}")
    body = text[:-1] if text.endswith("=") else text
    return Path(text=text, steps=tuple(_step(part, text) for part in body.split(">")), exact=body != text)


def _step(part: str, path: str) -> Step:
    if not part:
        raise PathError(f"empty step in path {path!r}")
    if part.startswith("^"):
        return Step(kind="up", inner=_step(part[1:], path))
    if part.startswith("<"):
        dep, words = _filtered(part[1:], path)
        return Step(kind="head", dep=dep, words=words)
    if "@" in part:
        dep, _, marks = part.partition("@")
        if not dep or not marks:
            raise PathError(f"a clause step needs DEP@word|word: {part!r} in {path!r}")
        return Step(kind="clause", dep=dep, words=frozenset(marks.split("|")))
    name, words = _filtered(part, path)
    if name in SPECIAL:
        return Step(kind=name, words=words)
    return Step(kind="child", dep=name, words=words)


def _filtered(part: str, path: str) -> tuple[str | None, frozenset[str] | None]:
    name, sep, lemmas = part.partition(":")
    if not name or not name.replace("_", "").isalpha() and name != "*":
        raise PathError(f"bad step {part!r} in path {path!r}: a dependency label, subject or modifier")
    if sep and (not lemmas or any(not w for w in lemmas.split("|"))):
        raise PathError(f"empty lemma list in step {part!r} of path {path!r}")
    return (None if name == "*" else name), (frozenset(lemmas.split("|")) if sep else None)


@dataclass(frozen=True)
class Parse:
    """Each token's dependency label, head, lower-case lemma and form, part of speech, tag
    and character offset, and its children, read from a doc's arrays once."""

    doc: Doc
    dep: list[str]
    head: list[int]
    lemma: list[str]
    lower: list[str]
    pos: list[str]
    tag: list[str]
    idx: list[int]
    ent: list[str]  # entity label ("DATE", "GPE"), "" outside entities
    sentence_end: list[int]  # index of the last token of each token's sentence
    children: list[list[int]]

    @classmethod
    def of(cls, doc: Doc) -> Parse:
        strings = doc.vocab.strings
        rows = doc.to_array([HEAD, DEP, LEMMA, LOWER, POS, TAG, IDX, ENT_TYPE, SENT_START]).tolist()
        heads = [i + (row[0] - 2**64 if row[0] >= 2**63 else row[0]) for i, row in enumerate(rows)]
        deps, tags, ents = [strings[r[1]] for r in rows], [strings[r[5]] for r in rows], [strings[r[7]] for r in rows]
        _mend_name_roots(heads, deps, tags, ents)
        children: list[list[int]] = [[] for _ in rows]
        for i, head in enumerate(heads):
            if head != i:
                children[head].append(i)
        ends, end = [0] * len(rows), len(rows) - 1
        for i in range(len(rows) - 1, -1, -1):
            ends[i] = end
            if rows[i][8] == 1 or i == 0:  # SENT_START: 1 starts a sentence
                end = i - 1
        return cls(doc=doc, dep=deps, head=heads, lemma=[strings[r[2]].lower() for r in rows],
                   lower=[strings[r[3]] for r in rows], pos=[strings[r[4]] for r in rows],
                   tag=tags, idx=[r[6] for r in rows], ent=ents, sentence_end=ends, children=children)

    def __len__(self) -> int:
        return len(self.dep)

    def kids(self, i: int, deps: Iterable[str] | str | None = None) -> list[int]:
        """The children of `i`, those hanging by one of `deps` if given."""
        if deps is None:
            return self.children[i]
        wanted = {deps} if isinstance(deps, str) else deps
        return [c for c in self.children[i] if self.dep[c] in wanted]

    def is_root(self, i: int) -> bool:
        return self.head[i] == i

    def conjuncts(self, i: int) -> list[int]:
        """`i` and the words coordinated with it ("Canada, Mexico and China")."""
        root = i
        while self.dep[root] == "conj" and not self.is_root(root):
            root = self.head[root]
        out, stack = [], [root]
        while stack:
            k = stack.pop()
            out.append(k)
            stack.extend(c for c in reversed(self.children[k]) if self.dep[c] == "conj")
        return sorted(out)

    def opens_with(self, clause: int, words: frozenset[str]) -> bool:
        """The clause opens with one of `words`: a conjunction ("unless") or an infinitive's "to"."""
        return any(self.dep[m] in ("mark", "aux") and self.lower[m] in words and m < clause for m in self.children[clause])

    def text(self, i: int) -> str:
        return self.doc[i].text


def _mend_name_roots(heads: list[int], deps: list[str], tags: list[str], ents: list[str]) -> None:
    """A person's name opening a sentence read as a common noun with the verb as its
    adjective ("Trump imposed tariffs on China": "Trump" the root, "imposed" an amod of
    "tariffs", its dobj): the verb becomes the root, the name its subject."""
    for root, head in enumerate(heads):
        if head != root or ents[root] != "PERSON" or tags[root] in ("NNP", "NNPS"):
            continue
        for verb in range(root + 1, len(heads)):
            noun = heads[verb]
            if deps[verb] == "amod" and tags[verb] in ("VBD", "VBN") and noun == verb + 1 \
                    and heads[noun] == root and deps[noun] == "dobj":
                for k, h in enumerate(heads):
                    if h == root and k > root and k != verb:
                        heads[k] = verb
                heads[verb], deps[verb], tags[verb] = verb, "ROOT", "VBD"
                heads[root], deps[root] = verb, "nsubj"
                break


@dataclass(frozen=True)
class Grammar:
    """The lexicon's word lists that the `subject` step needs."""

    light_verbs: frozenset[str]
    container_nouns: frozenset[str]
    governing_verbs: frozenset[str] = frozenset()  # "called off the meeting": Trump's meeting
    deadline_verbs: frozenset[str] = frozenset()  # "gave Russia until Friday to agree": Russia is to agree


def follow(path: Path, start: int, parse: Parse, grammar: Grammar) -> list[int]:
    """The tokens `path` reaches from token `start`, in order, each once."""
    current = [start]
    for step in path.steps:
        current = list(dict.fromkeys(t for i in current for t in _take(step, i, parse, grammar)))
        if not current:
            break
    return current


def _take(step: Step, i: int, parse: Parse, grammar: Grammar) -> list[int]:
    if step.kind == "child":
        return [c for c in parse.children[i] if (step.dep is None or parse.dep[c] == step.dep)
                and (step.words is None or parse.lemma[c] in step.words)]
    if step.kind == "head":
        head = parse.head[i]
        if head == i or (step.dep is not None and parse.dep[i] != step.dep):
            return []
        return [head] if step.words is None or parse.lemma[head] in step.words else []
    if step.kind == "up":
        if parse.is_root(i) or parse.dep[i] in SUBJECT_DEPS:
            return []
        return _take(step.inner, parse.head[i], parse, grammar)
    if step.kind == "clause":
        return [c for c in parse.children[i] if parse.dep[c] == step.dep and parse.opens_with(c, step.words)]
    if step.kind == "subject":
        found = subject(i, parse, grammar)
        return [t for t in found if step.words is None or parse.lemma[t] in step.words]
    if step.kind == "patient":
        return patient(i, parse)
    if step.kind == "done":
        return [c for c in parse.children[i] if parse.dep[c] == "acl" and parse.lemma[c] in grammar.light_verbs]
    return modifiers(i, parse)


def patient(i: int, parse: Parse) -> list[int]:
    """Who undergoes a passive verb: its passive subject, or the subject of a verb with a
    passive auxiliary ("Duterte, who led the Philippines, was arrested") or of a headline's
    bare participle ("Kim Keon Hee arrested"); a relative pronoun stands for the one its
    clause describes ("Imamoglu, who was arrested in March, denied"), or the name that one
    is in apposition to ("Jimmy Lai, a democracy activist who was jailed")."""
    found = parse.kids(i, "nsubjpass")
    if not found and (parse.kids(i, "auxpass") or headline_participle(i, parse)):
        found = parse.kids(i, "nsubj")
    if found and parse.lower[found[0]] in RELATIVE_PRONOUNS and parse.dep[i] == "relcl":
        described = parse.head[i]
        return [parse.head[described] if parse.dep[described] == "appos" else described]
    return found


def _headline_pair(verb: int, subject: int, parse: Parse) -> list[int]:
    """A title's comma for "and": in "Uzbekistan, Iran sign 15 agreements" the name before the
    comma is a subject too (spaCy hangs it from the verb, or the second from the first)."""
    if not _title(verb, parse) or parse.pos[subject] != "PROPN":
        return []
    after = [a for a in parse.kids(subject, "appos") if parse.pos[a] == "PROPN" and parse.lower[a - 1] == ","]
    if after:
        return after  # "Russia, Ukraine hold talks", parsed as an apposition
    comma = subject - 1
    if comma < 1 or parse.lower[comma] != ",":
        return []
    first = comma - 1
    while parse.dep[first] in ("compound", "flat") and parse.head[first] > first:
        first = parse.head[first]
    return [first] if parse.head[first] == verb and parse.pos[first] == "PROPN" \
        and parse.dep[first] in ("npadvmod", "dep", "nsubj", "nmod") else []


def _title(i: int, parse: Parse) -> bool:
    """The token is in a text of one sentence without closing punctuation: a title parsed on its own."""
    end = parse.sentence_end[i]
    return end == len(parse) - 1 and parse.sentence_end[0] == end and parse.pos[end] != "PUNCT"


def quantified(i: int, parse: Parse, quantities: frozenset[str]) -> list[int]:
    """What a number or a quantity word counts: "dozens of protesters", "won 159 of the 225
    seats": the protesters, the seats (none for any other word)."""
    if parse.pos[i] != "NUM" and parse.lemma[i] not in quantities and parse.lower[i] not in quantities:
        return []
    return [p for prep in parse.kids(i, "prep") if parse.lower[prep] == "of" for p in parse.kids(prep, "pobj")]


def opens_name(i: int, parse: Parse) -> bool:
    """A determiner written as a word of the name it opens: "No" in "the No Argentina Bailout Act"."""
    token = parse.doc[i]
    return parse.pos[parse.head[i]] == "PROPN" and token.text[0].isupper() and not token.is_sent_start \
        and parse.lower[i] not in ("the", "a", "an")


def headline_participle(i: int, parse: Parse) -> bool:
    """Headlines drop the passive's "was": in a text of one sentence without closing
    punctuation (a title, parsed on its own), a root past form with a subject, no object and
    no auxiliary is passive ("Kim Keon Hee arrested", "Former minister detained in Kyiv")."""
    return parse.is_root(i) and _title(i, parse) and parse.tag[i] in ("VBN", "VBD") \
        and bool(parse.kids(i, "nsubj")) and not parse.kids(i, ("dobj", "aux", "auxpass", "ccomp", "xcomp"))


def modifiers(i: int, parse: Parse) -> list[int]:
    """A noun's modifiers, and the proper-noun modifiers of those ("U.S.-India framework") and
    the names coordinated with them ("Chinese and American negotiators");
    not a name inside a relation adjective ("Ukraine-related sanctions" are nobody's by Ukraine)."""
    found = [c for c in parse.kids(i, MODIFIER_DEPS) if not _related(c, parse)]
    for child in list(found):
        found += [g for g in parse.kids(child, NAME_MODIFIER_DEPS) if parse.pos[g] == "PROPN"]
        # "Chinese and American negotiators": the names coordinated with a modifier
        found += [g for g in parse.kids(child, "conj") if parse.pos[g] in ("ADJ", "PROPN") and not _related(g, parse)]
    # "India–U.S. pact": the name before a dash is paired with the one after, however parsed
    found += [m - 2 for m in list(found) if m >= 2 and parse.pos[m] == "PROPN" and parse.lower[m - 1] in DASHES
              and parse.pos[m - 2] == "PROPN" and m - 2 not in found and m - 2 != i]
    return found


# a name before "-brokered", "-mediated" is who brought a deal about, not a party to it; one
# before "-flagged", "-made", "-backed" says where a ship or a weapon is from or who backs a
# group, not who acts or is acted on ("sanctions on a Panama-flagged tanker", "Iran-backed
# militias attacked")
RELATION_WORDS = frozenset({"related", "linked", "focused", "centred", "centered", "specific", "bound", "oriented",
                            "brokered", "mediated", "sponsored", "hosted", "drafted", "flagged", "registered",
                            "backed", "aligned", "allied", "made", "built"})


def _related(i: int, parse: Parse) -> bool:
    """A name followed by "-related", "-linked", ...: "Ukraine-related", "Iran-linked", "U.S.-brokered",
    split by the tokenizer or kept as one token; or after "anti-" ("anti-Trump rallies" are
    against Trump, not by him)."""
    if parse.lower[i].rpartition("-")[2] in RELATION_WORDS or parse.lower[i].startswith("anti-"):
        return True
    after = i + 1
    if i >= 2 and parse.lower[i - 1] == "-" and parse.lower[i - 2] == "anti":
        return True
    return after + 1 < len(parse) and parse.lower[after] == "-" and parse.lower[after + 1] in RELATION_WORDS


def subject(i: int, parse: Parse, grammar: Grammar) -> list[int]:
    """The token's subject, or the one it inherits from the words that govern it. A passive
    participle inherits none: the one it qualifies is its patient ("Asked by reporters,
    Trump said", "if convicted, James faces", "Yoon remained confined")."""
    if parse.dep[i] == "acl" and parse.tag[i] in ("VBN", "VBD") and parse.kids(i, "dobj") \
            and parse.pos[parse.head[i]] in ("NOUN", "PROPN") and parse.is_root(parse.head[i]):
        return [parse.head[i]]  # a participle with an object is no passive: "Israeli airstrikes killed 30 people", misparsed
    if parse.tag[i] == "VBN" and not parse.kids(i, "nsubj") and (
            parse.dep[i] in ("advcl", "acl")
            or parse.dep[i] in ("xcomp", "acomp", "oprd") and parse.lemma[parse.head[i]] != "be"):
        return []  # (after "be" it is a predicate of its subject: "Turkey is opposed to ...")
    if headline_participle(i, parse):
        return []  # "Kim Keon Hee arrested": the one arrested, not the arrester
    current, first = i, True
    for _ in range(MAX_CLIMB):
        # a governing verb's passive subject is the trigger's subject too ("was indicted and will resign")
        found = [c for c in parse.children[current]
                 if parse.dep[c] == "nsubj" or (parse.dep[c] == "nsubjpass" and not first)]
        if found:
            if parse.lower[found[0]] in RELATIVE_PRONOUNS and parse.dep[current] == "relcl":
                return [parse.head[current]]
            return _headline_pair(current, found[0], parse) + found
        if first and (parse.kids(current, "nsubjpass") or parse.kids(current, "auxpass")):
            return []  # a passive trigger's doer is its "by" agent, not its subject or the governing verb's
        if not first and parse.pos[current] in ("NOUN", "PROPN"):
            owners = parse.kids(current, "poss")
            if owners:
                return owners
            if parse.lemma[current] not in grammar.container_nouns:
                return []
        if parse.is_root(current) or not _climbs(current, first, parse, grammar):
            return []
        controller = _controller(current, parse, grammar)
        if controller is not None:
            return [controller]
        current, first = parse.head[current], False
    return []


def _controller(i: int, parse: Parse, grammar: Grammar) -> int | None:
    """Who is to do what an infinitive says, when the verb above names them as its object:
    "appointed Shaikh to oversee the ministry", "urged Putin to end the war", "gave Hamas
    until Sunday to accept" (Shaikh oversees, Putin ends, Hamas accepts). Only a name or a
    pronoun: "used the summit to attack" is still the user's attack. Not after verbs of
    promising, whose subject is to do it."""
    head = parse.head[i]
    if parse.tag[i] != "VB" or parse.lemma[head] in SUBJECT_CONTROL:
        return None
    if parse.dep[i] != "xcomp" and not (parse.dep[i] == "advcl" and deadline(i, parse, grammar)):
        return None
    objects = [c for c in parse.kids(head, ("dobj", "dative")) if c < i and parse.pos[c] in ("PROPN", "PRON")]
    return objects[0] if objects else None


def deadline(i: int, parse: Parse, grammar: Grammar) -> bool:
    """Token `i` is the infinitive of a deadline given to someone: "gave Russia until Friday
    to agree", "gave Iran two weeks to respond"."""
    head = parse.head[i]
    return parse.lemma[head] in grammar.deadline_verbs and any(parse.lower[a] == "to" for a in parse.kids(i, "aux")) \
        and bool(parse.kids(head, ("dobj", "dative")))


def _climbs(i: int, first: bool, parse: Parse, grammar: Grammar) -> bool:
    dep = parse.dep[i]
    if not first and dep == "dobj" and parse.pos[i] in ("NOUN", "PROPN"):
        # "made an attempt to detain him": the attempt is the maker's; "prompting attempts to
        # detain him" says nothing of who attempts
        head = parse.lemma[parse.head[i]]
        return head in grammar.light_verbs or head in grammar.governing_verbs
    if first and dep == "compound" and parse.lemma[parse.head[i]] in grammar.container_nouns:
        return True  # "the EU's new sanctions package": the package's owner imposes them
    if parse.pos[i] == "VERB" or not first:
        return dep in CLIMB_DEPS or dep in ("pobj", "dobj") and not first
    # a noun trigger takes the subject of a light verb ("holding a meeting"), or of the
    # verb or container above it ("a third round of negotiations", "visit for talks")
    if dep == "dobj":
        head = parse.lemma[parse.head[i]]
        return head in grammar.light_verbs or head in grammar.governing_verbs
    if dep == "pobj":
        prep = parse.head[i]
        above = parse.head[prep]
        if parse.lemma[prep] == "on":  # "who is on a state visit to India"
            return parse.pos[above] in ("VERB", "AUX") and parse.lemma[above] in ("be", "go", "embark", "set")
        if parse.lemma[prep] == "with":  # "retaliated with tariffs", "hit Canada with sanctions"
            return parse.lemma[above] in grammar.light_verbs and parse.pos[above] == "VERB"
        return parse.lemma[prep] in ("of", "for") and (
            parse.lemma[above] in grammar.container_nouns or parse.pos[above] == "VERB")
    return False
