"""Pronouns and definite descriptions -> the entities they stand for.

Driven by `kg/data/coref.tsv`, and conservative: a word is resolved only when exactly one
entity fits, and then it becomes a mention of that entity (so the event engine and the
evidence spans see it):

- "I", "me" inside a statement introduced by "X said:", or inside a quotation that a verb of
  saying takes ('"I will go," X said'), are the speaker; "we", "us" are
  who the speaker speaks for (the country or organisation of the speaker's role; never the
  speaker alone, whom no plural names);
- "he", "she", "it", "they" are the one entity of an agreeing type named in the previous
  sentence or earlier in their own ("it" of "it is vital that" is not resolved, nor a plural
  pronoun when two persons are in reach, nor "it" when a thing no entity names is a subject
  in reach: "the department said ..."); as the subject of what a verb of saying says, that
  verb's subject ("the Israeli army said it killed"); as the speaker of a verb of saying,
  when several persons fit, the one of them who is a subject in reach ("Ishiba met Trump.
  'It was a good meeting,' he said": Ishiba);
- "the group", "these terrorists", "the regime" are the one entity of an agreeing type
  named in the last few sentences ("the regime" only one written as "... regime");
- "the statement", "the declaration" saying something are who issued the last one named
  ("Qatar and Egypt issued a joint statement. The statement said": both);
- "his", "her", "its", "their" are the subject of their clause when it agrees ("Trump
  doubled down on his threats"), or the object of what one is thanked, praised or blamed
  for ("congratulated Starmer on his victory"), else as "he" and "she" are;
- "the two leaders", "both countries" are the last two entities of their type named before
  them (kept in `MentionIndex.plural`: one phrase, two entities);
- "she", "her", "he", "his", "him" are never a person kg/data/people.tsv gives the other
  gender ("Sheinbaum spoke with Trump. She said": Sheinbaum);
- an office of a country or organisation ("the U.S. president", "the Canadian prime
  minister") is the one person the article gives it, else the one named person the
  gazetteer gives it ("Carney met Trump. Carney told the U.S. president": Trump).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

from kg.extract.mentions import MentionIndex
from kg.gazetteer import GazetteerEntry, read_table
from kg.model import Mention, Role

DETERMINERS = {"the", "this", "these", "that", "those"}
QUOTE_MARKS = frozenset({'"', "\u201c", "\u201d"})
# How far back a description may look: its own sentence and this many before it.
DESCRIPTION_REACH = 3
SIDE_TYPES = ("Country", "Organization")


@dataclass(frozen=True)
class Reference:
    """One row of coref.tsv."""

    word: str
    refers: str  # speech, speaker, speaker_side, previous, possessive, description, pair
    types: tuple[str, ...]
    named: bool
    gender: str | None = None  # "f" or "m" for she and he: a person the gazetteer knows as the other is none

    def fits(self, key: str, index: MentionIndex) -> bool:
        """Whether the entity `key` can be what this word refers to: of its types and, for a
        person the gazetteer gives a gender, of its gender."""
        return index.entities[key].type in self.types and (self.gender is None or _genders().get(key) in (None, self.gender))


@cache
def load_references() -> dict[str, tuple[Reference, ...]]:
    """coref.tsv by word (lower case); a word may have a row for each way it refers ("her")."""
    rows: dict[str, list[Reference]] = defaultdict(list)
    for row in read_table("coref.tsv"):
        word = row["word"].lower()
        rows[word].append(Reference(word, row["refers"], tuple(t for t in row["types"].split("|") if t),
                                    row["named"] == "1", row["gender"] or None))
    return {word: tuple(refs) for word, refs in rows.items()}


@cache
def _genders() -> dict[str, str]:
    """Person key -> "f" or "m", for the people.tsv rows that say."""
    return {f"person/{row['key']}": row["gender"] for row in read_table("people.tsv") if row["gender"]}


def resolve_references(doc: Doc, index: MentionIndex, roles: Iterable[Role], text: str,
                       *, references: dict[str, tuple[Reference, ...]] | None = None,
                       people: Mapping[str, GazetteerEntry] | None = None) -> MentionIndex:
    """A new index: `index` with the pronouns and descriptions of `doc` that refer to one
    entity added, and the plural descriptions that refer to two. `people` (the gazetteer's,
    by key) says the office of the persons it knows, for those the article names without it."""
    references = references if references is not None else load_references()
    speech_verbs = _words_for(references, "speech")
    speakers = _speakers(doc, index, speech_verbs)
    sides = _sides(index, roles)
    offices = _words_for(references, "office")
    holders = _holders(index, roles, offices, people or {})
    sentences = list(doc.sents)
    found: list[tuple[Span, str]] = []
    plural: dict[int, tuple[str, ...]] = {}
    strings = doc.vocab.strings
    # the words of coref.tsv, found from the doc's array: a Token for every word costs more
    for i, lower in enumerate(doc.to_array(LOWER).tolist()):
        rows = references.get(strings[lower])
        if rows is None or index.at(i) is not None:
            continue
        token = doc[i]
        ref = _row(rows, token)
        if ref is None:
            continue
        key, span = None, doc[token.i : token.i + 1]
        if ref.refers in ("speaker", "speaker_side") and token.pos_ == "PRON":
            speaker = speakers.get(token.i)
            # "we" is who the speaker speaks for; a speaker serving no known side leaves it alone
            key = speaker if ref.refers == "speaker" or speaker is None else sides.get(speaker)
            if key is not None and ref.refers == "speaker" and index.entities[key].type != "Person":
                key = None
        elif ref.refers == "previous" and token.pos_ == "PRON" and not _expletive(token):
            window = _before(token, sentences, 1)
            key = _reporter(token, index, ref, speech_verbs) or _one(window, token, index, ref) \
                or _speaking_subject(token, window, index, ref, speech_verbs)
        elif ref.refers == "possessive":
            key = _clause_subject(token, index, ref) or _one(_before(token, sentences, 1), token, index, ref)
        elif ref.refers == "pair" and token.tag_ in ("NNS", "NNPS") and _counted(token):
            pair = _last_two(token, index, ref)
            if pair:
                plural[token.i] = pair
        elif ref.refers == "office" and token.pos_ in ("NOUN", "PROPN"):
            key = _holder(token, index, holders)  # "the US president" written in lower case
            named = [c.i for c in token.children if c.i < token.i and index.at(c.i)]
            span = doc[max(named, default=token.left_edge.i - 1) + 1 : token.i + 1]
        elif ref.refers == "issuer" and token.dep_ == "nsubj" and token.head.lemma_.lower() in speech_verbs \
                and _bare_description(token):
            issuers = _issuers(token, _before(token, sentences, DESCRIPTION_REACH), index, ref)
            if len(issuers) == 1:
                key = issuers[0]
            elif len(issuers) == 2:
                plural[token.i] = tuple(issuers)
        elif ref.refers == "description" and token.pos_ == "NOUN" and _bare_description(token):
            key = _one(_before(token, sentences, DESCRIPTION_REACH), token, index, ref)
            span = doc[token.left_edge.i : token.i + 1]
        if key is not None:
            found.append((span, key))
    titled = _office_holders(doc, index, holders, offices)
    if not found and not plural and not titled:
        return index
    by_token = {i: titled.get(key, key) for i, key in index.by_token.items()}
    mentions = [m if m.entity not in titled else Mention(entity=titled[m.entity], text=m.text, start=m.start, end=m.end)
                for m in index.mentions]
    for span, key in found:
        mentions.append(Mention(entity=key, text=text[span.start_char : span.end_char], start=span.start_char, end=span.end_char))
        for token in span:
            by_token.setdefault(token.i, key)
    mentions.sort(key=lambda m: (m.start, m.end))
    entities = {k: e for k, e in index.entities.items() if k not in titled}
    return MentionIndex(mentions=tuple(mentions), entities=entities, by_token=by_token,
                        plural={**index.plural, **plural}, offices=index.offices - set(titled))


Holders = dict[tuple[str, str | None], set[str]]


def _holders(index: MentionIndex, roles: Iterable[Role], words: set[str],
             people: Mapping[str, GazetteerEntry]) -> tuple[Holders, Holders]:
    """(last word of an office, whose office it is, if said) -> the named persons the article
    gives it; and those who hold it by the gazetteer, named with no role ("Carney met
    Trump. Carney told the U.S. president": Trump)."""
    given = {role.person for role in roles}
    known = [(people[k].title or "", people[k].country, k) for k in index.entities
             if k in people and k not in given and people[k].country]
    return (_by_office([(r.title, r.of, r.person) for r in roles], index, words),
            _by_office(known, index, words))


def _by_office(held: Iterable[tuple[str, str | None, str]], index: MentionIndex, words: set[str]) -> Holders:
    holders: Holders = {}
    for title_text, of, person in held:
        title = title_text.lower().split(" of ")[0].split()  # "secretary of state": secretary
        if title and title[-1] in words and person not in index.offices:
            holders.setdefault((title[-1], of), set()).add(person)
    return holders


def _holder(head: Token, index: MentionIndex, holders: tuple[Holders, Holders]) -> str | None:
    """The one person holding the office `head` ends, of the one country or organisation
    that qualifies it ("the US President", "the Qatari foreign minister"), by the article or
    else by the gazetteer; an office said of no one ("the Minister of Health said") is the
    one person the article gives it, if one."""
    given, known = holders
    owners = {k for c in head.children if c.dep_ in ("compound", "amod", "nmod", "poss")
              and (k := index.at(c.i)) and index.entities[k].type in SIDE_TYPES}
    if not owners and not any(c.dep_ == "prep" and c.lower_ == "of" and _names_owner(c, index) for c in head.children):
        persons = {p for (word, _), held in given.items() if word == head.lower_ for p in held}
        return next(iter(persons)) if len(persons) == 1 else None
    if len(owners) != 1:
        return None
    for table in (given, known):
        persons = {p for o in owners for p in table.get((head.lower_, o), ())}
        if persons:
            return next(iter(persons)) if len(persons) == 1 else None
    return None


def _names_owner(prep: Token, index: MentionIndex) -> bool:
    """Whether an "of" phrase names whose office it is ("the president of Kenya")."""
    return any(index.at(t.i) and index.entities[index.at(t.i)].type in SIDE_TYPES for t in prep.subtree)


def _office_holders(doc: Doc, index: MentionIndex, holders: tuple[Holders, Holders],
                    words: set[str]) -> dict[str, str]:
    """Office holders known only by their title ("the US President", kg.extract.mentions)
    -> the one person the article gives that office of that country or organisation
    ("President Donald Trump")."""
    heads = {k: i for i, k in sorted(index.by_token.items()) if k in index.offices and doc[i].lower_ in words}
    found = {key: _holder(doc[i], index, holders) for key, i in heads.items()}
    return {key: person for key, person in found.items() if person is not None}


def _words_for(references: dict[str, tuple[Reference, ...]], refers: str) -> set[str]:
    """The words of coref.tsv that refer in this way."""
    return {w for w, rows in references.items() for r in rows if r.refers == refers}


def _reporter(token: Token, index: MentionIndex, ref: Reference, speech: set[str]) -> str | None:
    """"Trump said he would meet Putin": a subject pronoun of what a verb of saying says is its
    subject, when that is one entity of the row's types."""
    clause = token.head
    if token.dep_ not in ("nsubj", "nsubjpass") or clause.dep_ != "ccomp":
        return None
    verb = clause.head
    if verb.lemma_.lower() not in speech:
        return None
    keys = {index.at(s.i) for s in verb.children if s.dep_ == "nsubj"}
    fitting = [k for k in keys if k and ref.fits(k, index)]
    return fitting[0] if len(fitting) == 1 else None


def _row(rows: tuple[Reference, ...], token: Token) -> Reference | None:
    """The way this occurrence refers: a possessive ("her visit") by its possessive row, any
    other use by the rest (a possessive without a row names an owner, not an actor)."""
    possessive = token.dep_ == "poss"
    return next((r for r in rows if (r.refers == "possessive") == possessive), None)


def _clause_subject(token: Token, index: MentionIndex, ref: Reference) -> str | None:
    """The subject of the verb above the possessive's noun, when it is one entity of the
    row's types and not the noun phrase itself ("His visit angered Japan" has none)."""
    noun, verb = token.head, token.head
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head == verb:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    # what someone is thanked, praised or blamed for is theirs: "congratulated Starmer on his victory"
    if noun.dep_ == "pobj" and noun.head.lower_ in ("on", "for") and noun.head.head == verb:
        objects = [k for c in verb.children if c.dep_ == "dobj" and (k := index.at(c.i)) and ref.fits(k, index)]
        if len(set(objects)) == 1:
            return objects[0]
    keys = {index.at(c.i) for c in verb.children
            if c.dep_ in ("nsubj", "nsubjpass") and c.i not in {t.i for t in noun.subtree}}
    fitting = [k for k in keys if k and ref.fits(k, index)]
    return fitting[0] if len(fitting) == 1 else None


def _counted(token: Token) -> bool:
    return any(c.lower_ in ("two", "both") for c in token.children)


def _last_two(token: Token, index: MentionIndex, ref: Reference) -> tuple[str, str] | None:
    """The two entities of the row's types named most often before `token` (the later named
    first among equals), in text order: "the two sides" of a Seoul-Tokyo summit are South
    Korea and Japan, though North Korea was named last."""
    counts: dict[str, int] = {}
    last: dict[str, int] = {}
    for n, mention in enumerate(index.mentions):
        if mention.end <= token.idx and index.entities[mention.entity].type in ref.types:
            counts[mention.entity] = counts.get(mention.entity, 0) + 1
            last[mention.entity] = n
    if len(counts) < 2:
        return None
    first, second = sorted(counts, key=lambda k: (-counts[k], -last[k]))[:2]
    return (first, second) if last[first] < last[second] else (second, first)


def _speakers(doc: Doc, index: MentionIndex, speech: set[str]) -> dict[int, str]:
    """Token index -> the speaker of the statement it is in: from "X said:" to the next
    such introduction or the end of the text."""
    intros = []
    for token in doc:
        if token.text != ":" or token.i == 0:
            continue
        verb = token.head if token.head.lemma_.lower() in speech else doc[token.i - 1]
        if verb.lemma_.lower() not in speech:
            continue
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        speaker = _speaker(subjects[0], index) if subjects else None
        intros.append((token.i, speaker))
    out: dict[int, str] = {}
    for n, (start, speaker) in enumerate(intros):
        end = intros[n + 1][0] if n + 1 < len(intros) else len(doc)
        if speaker is not None:
            out.update((i, speaker) for i in range(start + 1, end))
    for start, end in _quotations(doc):
        speaker = _quoted_by(doc[start:end], index, speech)
        if speaker is not None:
            out.update((i, speaker) for i in range(start, end))
    return out


def _quotations(doc: Doc) -> list[tuple[int, int]]:
    """The token ranges between quotation marks, paired in order within a sentence."""
    found = []
    for sentence in doc.sents:
        marks = [t.i for t in sentence if t.text in QUOTE_MARKS]
        found += [(a + 1, b) for a, b in zip(marks[::2], marks[1::2])]
    return found


def _quoted_by(quote: Span, index: MentionIndex, speech: set[str]) -> str | None:
    """The speaker of a quotation that a verb of saying outside it takes as its object:
    '"Putin and I will meet," Trump wrote', 'Trump said, "I will go"'."""
    inside = range(quote.start, quote.end)
    verbs = {t.head for t in quote if t.head.i not in inside}
    for verb in verbs:
        if verb.lemma_.lower() in speech:
            subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i not in inside]
            return _speaker(subjects[0], index) if subjects else None
    return None


def _speaker(subject: Token, index: MentionIndex) -> str | None:
    """The entity a speech verb's subject names: a person, else the body a spokesman is of
    ("A Foreign Office spokesman said:")."""
    keys = [index.at(t.i) for t in subject.subtree if index.at(t.i)]
    persons = [k for k in keys if index.entities[k].type == "Person"]
    if persons:
        return persons[0] if len(set(persons)) == 1 else None
    bodies = list(dict.fromkeys(k for k in keys if index.entities[k].type in SIDE_TYPES))
    return bodies[0] if len(bodies) == 1 else None


def _sides(index: MentionIndex, roles: Iterable[Role]) -> dict[str, str]:
    """Person -> the one country or organisation the article gives them a role of."""
    sides: dict[str, set[str]] = {}
    for role in roles:
        if role.of and index.entities.get(role.of) and index.entities[role.of].type in SIDE_TYPES:
            sides.setdefault(role.person, set()).add(role.of)
    return {person: next(iter(of)) for person, of in sides.items() if len(of) == 1}


def _expletive(token: Token) -> bool:
    """"It is vital that ...", "making it clear that ...": an "it" that refers to nothing."""
    if token.dep_ == "expl":
        return True
    if token.lower_ != "it":
        return False
    return any(c.dep_ in ("ccomp", "xcomp", "csubj", "acomp") for c in token.head.children) or token.head.lemma_ == "be"


def _bare_description(token: Token) -> bool:
    """"the group", "these brutal terrorists": a determiner and adjectives, nothing that
    says whose ("its government", "the government of Iraq", "the Assad regime")."""
    children = list(token.children)
    if not any(c.dep_ == "det" and c.lower_ in DETERMINERS for c in children):
        return False
    return all(c.dep_ in ("det", "amod", "punct") or c.i > token.i and c.dep_ not in ("prep", "poss") for c in children) \
        and not any(c.dep_ in ("prep", "poss", "compound", "nmod") for c in children)


def _before(token: Token, sentences: list[Span], reach: int) -> list[Token]:
    """The tokens of the `reach` sentences before `token`'s and of its own before it."""
    n = next(k for k, s in enumerate(sentences) if s.start <= token.i < s.end)
    start = sentences[max(0, n - reach)].start
    return list(token.doc[start : token.i])


def _one(window: list[Token], token: Token, index: MentionIndex, ref: Reference) -> str | None:
    """The one entity of the reference's types named in `window`, or None."""
    keys = list(dict.fromkeys(index.at(t.i) for t in window if index.at(t.i)))
    if "Plur" in token.morph.get("Number") and sum(index.entities[k].type == "Person" for k in keys) >= 2:
        return None  # "they" may be the two people just named
    fitting = [k for k in keys if ref.fits(k, index)]
    if ref.named:
        fitting = [k for k in fitting if _written_with(k, ref.word, window, index)]
    if "Person" not in ref.types and "Plur" not in token.morph.get("Number") and _unnamed_subject(window, index):
        return None  # "the department said ...; it added": "it" may be the department, no name
    return fitting[0] if len(fitting) == 1 else None


def _speaking_subject(token: Token, window: list[Token], index: MentionIndex, ref: Reference,
                      speech: set[str]) -> str | None:
    """The speaker "he" or "she" of a verb of saying, when several fit: the one of them who
    is a subject in reach ("Ishiba met Trump. 'It was a good meeting,' he said": Ishiba)."""
    if token.dep_ != "nsubj" or token.head.lemma_.lower() not in speech or "Person" not in ref.types:
        return None
    subjects = {k for t in window if t.dep_ == "nsubj" and (k := index.at(t.i)) and ref.fits(k, index)}
    return next(iter(subjects)) if len(subjects) == 1 else None


def _issuers(token: Token, window: list[Token], index: MentionIndex, ref: Reference) -> list[str]:
    """Who issued the text of the same noun last named in `window` ("Qatar and Egypt issued a
    joint statement": both; "the ministry said in a statement": the ministry)."""
    for earlier in reversed(window):
        if earlier.lemma_.lower() != token.lemma_.lower():
            continue
        verb = earlier.head if earlier.dep_ == "dobj" else \
            earlier.head.head if earlier.dep_ == "pobj" and earlier.head.lower_ == "in" else None
        if verb is None:
            return []
        subjects = [c for s in verb.children if s.dep_ == "nsubj" for c in (s, *s.conjuncts)]
        return list(dict.fromkeys(k for s in subjects if (k := index.at(s.i)) and ref.fits(k, index)))
    return []


def _unnamed_subject(window: list[Token], index: MentionIndex) -> bool:
    """Whether a thing no entity names is a subject in `window` ("the department", "the
    statement", "the army"): a pronoun for a thing may stand for it as well as for a name."""
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.tag_ == "NN" and index.at(t.i) is None for t in window)


def _written_with(key: str, noun: str, window: list[Token], index: MentionIndex) -> bool:
    """Whether the entity is written with `noun` in the window ("the Asad regime")."""
    for t in window:
        if index.at(t.i) == key and (t.lower_ == noun or t.i + 1 < len(t.doc) and t.nbor().lower_ == noun
                                     and index.at(t.i + 1) in (None, key)):
            return True
    return False
