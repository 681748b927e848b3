"""Titles, appositions and role words -> role facts: "Japanese Prime Minister Shigeru Ishiba",
"Japan's chief trade negotiator, Ryosei Akazawa", "Nobel Committee Chair Thorbjoern Jagland",
and, from the role words of `kg/data/roles.tsv`, "the head of Hamas, Ismail Haniyeh",
"Hezbollah leader Hassan Nasrallah", "Jens Stoltenberg, who leads NATO", "NATO, led by Jens
Stoltenberg", "Ahmed Karimi, a senior member of Hamas".
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Doc, Span, Token

from kg.extract.investiture import offices_taken
from kg.extract.mentions import MentionIndex
from kg.gazetteer import GazetteerEntry, Title, read_table
from kg.model import Evidence, Role

RULE_VERSION = "1"
PAST = {"former", "ex", "late", "then", "previous", "outgoing"}
ROLE_NOUN_DEPS = {"appos"}
# Dependencies that keep a word inside the title's own phrase, where whose office it is
# is said: "Japan's", "Japanese", "Foreign Office", "of Iraq". A place under another
# preposition ("In Kenya Minister Kamau met ...") or in a clause is not the title's.
OWNER_DEPS = {"compound", "amod", "poss", "nmod", "npadvmod", "pobj", "case", "det", "punct", "flat"}
OWNER_PREPOSITIONS = {"of"}


def title_table(titles: tuple[Title, ...]) -> dict[str, Title]:
    """Every written form (lower case) of every title."""
    table = {}
    for title in titles:
        for form in (title.title, *title.aliases):
            table[form.lower()] = title
    return table


def find_roles(doc: Doc, index: MentionIndex, titles: dict[str, Title], people: dict[str, GazetteerEntry],
               *, article_id: str, text: str) -> list[Role]:
    """Role facts for the persons mentioned in `doc`.

    When the text gives a title but not whose ("Chancellor Friedrich Merz"), and the
    gazetteer knows the person holds that title for a country, the role is of that country.
    """
    roles = []
    for mention in index.mentions:
        if index.entities[mention.entity].type != "Person":
            continue
        head = _head(doc, mention)
        for rule, span, title_words, anchor in _title_spans(doc, head, mention):
            owned = [t for t in title_words if _in_title_phrase(t, anchor) and not _after_preposition(t, index)]
            role = _role(rule, span, title_words, owned, mention.entity, index, titles, article_id=article_id, text=text)
            known = people.get(mention.entity)
            if role and role.of is None and known and known.country and (known.title or "").lower() == role.title.lower():
                role = replace(role, of=known.country)
            if role:
                roles.append(role)
    return _merge(roles, _word_roles(doc, index, role_words(), article_id=article_id, text=text), titles)


def _head(doc: Doc, mention) -> Token:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.root


def _title_spans(doc: Doc, head: Token, mention) -> Iterator[tuple[str, list[Token], list[Token], Token]]:
    """(rule, evidence tokens, tokens that may hold the title and its country, the token
    the title phrase hangs from)."""
    left = [t for t in head.lefts if t.idx < mention.start for t in t.subtree if t.idx < mention.start]
    if left:
        yield "role.title_before_name", left + [head], left, head
    if head.dep_ in ROLE_NOUN_DEPS and head.head.pos_ in ("NOUN", "PROPN"):
        noun = head.head
        words = [t for t in noun.subtree if not (head.left_edge.i <= t.i <= head.right_edge.i)]
        yield "role.apposition", list(noun.subtree), [t for t in words if t.dep_ != "punct"], noun
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            yield "role.apposition", [head, *child.subtree], list(child.subtree), head
    for noun in offices_taken(head):
        yield "role.installed_as", [head, *head.head.subtree], list(noun.subtree), noun


def _in_title_phrase(token: Token, anchor: Token) -> bool:
    """Whether the path from `token` up to `anchor` stays inside the title's phrase."""
    while token != anchor:
        if token.dep_ == "prep" and token.lower_ not in OWNER_PREPOSITIONS or token.dep_ not in OWNER_DEPS | {"prep"}:
            return False
        if token.head == token:
            return False
        token = token.head
    return True


def _after_preposition(token: Token, index: MentionIndex) -> bool:
    """The entity at `token` is written after a preposition other than "of" ("In Kenya
    Minister Kamau met", "the campaign against al-Shabaab Minister Kamau said"): the parser may
    attach it to the title, but it is a place or a topic, not whose office it is."""
    key, k = index.at(token.i), token.i
    while k > 0 and index.at(k - 1) == key:
        k -= 1
    k -= 1
    while k >= 0 and token.doc[k].dep_ == "det":
        k -= 1
    # "as Sweden's prime minister" names the office itself
    return k >= 0 and token.doc[k].pos_ == "ADP" and token.doc[k].lower_ not in OWNER_PREPOSITIONS | {"as"}


def _role(rule, span, words, owned, person, index, titles, *, article_id, text) -> Role | None:
    if any(t.lower_ in PAST for t in words):
        return None
    # (the words of a title standing alone are its office's mention: "as the Minister of Health")
    title = _match_title([t for t in words if (index.at(t.i) is None or index.at(t.i) in index.offices)
                          and t.dep_ not in ("det", "case", "poss")], titles)
    if title is None:
        return None
    written, entry = title
    organisations = [index.at(t.i) for t in owned if index.at(t.i) and index.at(t.i) != person]
    of = next((k for k in organisations if k.split("/")[0] in ("country", "org")), None)
    return Role(
        person=person,
        title=entry.title if written.lower() in _canonical_forms(entry) else written,
        of=of,
        leader=entry.leader,
        evidence=_evidence(span, rule, 0.9 if rule == "role.title_before_name" else 0.8,
                           article_id=article_id, text=text),
    )


def _evidence(span, rule: str, confidence: float, *, article_id: str, text: str) -> Evidence:
    """The sentence holding `span`, the span's characters, and the rule that read it."""
    sentence = span[0].sent
    return Evidence(
        article_id=article_id,
        sentence=text[sentence.start_char : sentence.end_char],
        start=min(t.idx for t in span),
        end=max(t.idx + len(t.text) for t in span),
        rule=f"{rule}.v{RULE_VERSION}",
        confidence=confidence,
    )


def _canonical_forms(entry: Title) -> set[str]:
    return {form.lower() for form in (entry.title, *entry.aliases)}


def _match_title(tokens: list[Token], titles: dict[str, Title]) -> tuple[str, Title] | None:
    """The longest run of tokens that ends in a known title ("chief trade negotiator")."""
    words = [t.text for t in sorted(tokens, key=lambda t: t.i) if re.match(r"\w", t.text)]
    best = None
    for i in range(len(words)):
        for j in range(len(words), i, -1):
            phrase = " ".join(words[i:j])
            tail = next((titles[s] for s in _suffixes(phrase) if s in titles), None)
            if tail and (best is None or len(phrase) > len(best[0])):
                best = (phrase, tail)
    return best


def _suffixes(phrase: str) -> list[str]:
    parts = phrase.lower().split()
    return [" ".join(parts[k:]) for k in range(len(parts))]


# --- Role words (kg/data/roles.tsv) in general patterns -----------------------------------

# Said of a role these make its holder one of several, or second to the one in charge.
SUBORDINATE = {"deputy", "vice", "assistant", "associate", "co", "junior", "second"}
INDEFINITE = {"a", "an", "one", "another"}
# Adjectives that leave the role whole: "the new leader", "Hamas' top commander".
NEUTRAL = {"new", "top", "supreme", "senior", "current", "acting", "interim", "overall", "sole", "longtime",
           "long-time", "undisputed", "elected", "de", "facto"}
RELATIVE_PRONOUNS = {"who", "that"}
# Present tense only: "who led X" or "X, which was headed by Y" was so, not is.
PRESENT_TAGS = {"VBZ", "VBP"}
PAST_AUXILIARIES = {"was", "were", "had"}
MAX_ROLE_WORDS = 3
# How "former" hangs on the name or the role word: "former Hamas leader Y", "the then head".
QUALIFIER_DEPS = {"amod", "advmod", "compound", "det", "nmod"}


@dataclass(frozen=True)
class RoleWord:
    """A row of roles.tsv: a noun or verb that says someone holds a role of something."""

    word: str
    pos: str  # NOUN or VERB
    leader: bool
    title: str
    of: frozenset[str]  # entity types the role can be of: Country, Organization, Group
    links: frozenset[str]  # of, before (nouns); who, by (verbs)


@dataclass(frozen=True)
class WordRole:
    """What a pattern read, before the owner's type is checked: the role word and owner."""

    rule: str
    words: Span  # the role word as written
    entry: RoleWord
    owner: Token | None
    evidence: list[Token]


RoleWords = dict[tuple[str, str], RoleWord]


@cache
def role_words() -> RoleWords:
    """(word, pos) -> RoleWord from the shipped roles.tsv."""
    table = {}
    for row in read_table("roles.tsv"):
        word = RoleWord(word=_form(row["word"]), pos=row["pos"], leader=row["leader"] == "1", title=row["title"],
                        of=frozenset(row["of"].split("|")), links=frozenset(row["links"].split("|")))
        table[word.word, word.pos] = word
    return table


def _form(text: str) -> str:
    """Comparison form of a role noun: "Secretary - General" and "secretary general" ->
    "secretary general"."""
    return " ".join(text.lower().replace("-", " ").split())


def _word_roles(doc: Doc, index: MentionIndex, words: RoleWords, *,
                article_id: str, text: str) -> list[Role]:
    """Roles read by every pattern of PATTERNS, for holders that are persons and owners
    that are countries, organisations or groups."""
    roles = []
    for mention in index.mentions:
        if index.entities[mention.entity].type != "Person":
            continue
        holder = _head(doc, mention)
        start = doc.char_span(mention.start, mention.end, alignment_mode="expand").start
        for pattern in PATTERNS:
            for found in pattern(holder, start, words):
                role = _word_role(found, mention.entity, index, article_id=article_id, text=text)
                if role:
                    roles.append(role)
    return roles


def _word_role(found: WordRole, person: str, index: MentionIndex, *, article_id: str, text: str) -> Role | None:
    owner = index.at(found.owner.i) if found.owner is not None else None
    if owner is None or owner == person or index.entities[owner].type not in found.entry.of:
        return None
    if found.owner.i < found.words.start and _preposition_apart(found, index):
        return None
    modifiers = _modifiers(found.words)
    if modifiers & PAST or any(t.lower_ in PAST and t.dep_ in QUALIFIER_DEPS for t in found.evidence):
        return None
    subordinate = sorted(modifiers & SUBORDINATE)
    narrowed = _narrowing(found, index)
    one_of_several = any(t.dep_ == "det" and t.lower_ in INDEFINITE for t in found.words.root.children)
    return Role(
        person=person,
        title=" ".join([*subordinate, *narrowed, found.entry.title]),
        of=owner,
        leader=found.entry.leader and not subordinate and not narrowed and not one_of_several,
        evidence=_evidence(found.evidence, f"role.{found.rule}", 0.8, article_id=article_id, text=text),
    )


def _preposition_apart(found: WordRole, index: MentionIndex) -> bool:
    """The owner written before the role word follows a preposition that does not govern
    the role's phrase: "In Turkey leader Y met ..." (the parser leaves "In" without an
    object), not "a letter to Brazilian leader Y" (Y is the object of "to")."""
    if not _after_preposition(found.owner, index):
        return False
    k = found.owner.i
    while k > 0 and (index.at(k - 1) == index.at(found.owner.i) or found.words.doc[k - 1].dep_ == "det"):
        k -= 1
    preposition = found.words.doc[k - 1]
    return not any(t.dep_ == "pobj" and t in found.evidence for t in preposition.children)


def _narrowing(found: WordRole, index: MentionIndex) -> list[str]:
    """Adjectives that narrow the role to a part of its owner: "military" in "the
    military chief of X" or "X military chief Y" (he heads X's forces, not X)."""
    doc, words = found.words.doc, found.words
    near = [t for t in words.root.children if t.dep_ == "amod"]
    if found.owner.i < words.start:
        near += [doc[k] for k in range(found.owner.i + 1, words.start)]
    return sorted({t.lower_ for t in near if t.pos_ == "ADJ" and index.at(t.i) is None} - NEUTRAL - SUBORDINATE - PAST)


def _modifiers(words: Span) -> set[str]:
    """Words that qualify the role: its modifiers and the word written just before it
    ("former", "deputy", "vice-")."""
    doc = words.doc
    near = [t for t in words.root.children if t.dep_ in ("amod", "compound", "advmod", "nmod") and t not in words]
    if words.start > 0:
        near.append(doc[words.start - 1])
    if words.start > 1 and doc[words.start - 1].text == "-":
        near.append(doc[words.start - 2])
    return {t.lower_ for t in near}


def _role_noun(token: Token, words: RoleWords) -> tuple[Span, RoleWord] | None:
    """The longest role noun of the table written at `token` (singular only: "leaders of"
    names several and says not which is which)."""
    doc = token.doc
    for width in range(MAX_ROLE_WORDS, 0, -1):
        for first in range(max(0, token.i - width + 1), min(token.i, len(doc) - width) + 1):
            span = doc[first : first + width]
            entry = words.get((_form(span.text), "NOUN"))
            if entry and span[-1].tag_ not in ("NNS", "NNPS") and span.root.pos_ in ("NOUN", "PROPN"):
                return span, entry
    return None


def _present(verb: Token) -> bool:
    auxiliaries = [t for t in verb.children if t.dep_ in ("aux", "auxpass")]
    if any(t.dep_ == "neg" for t in verb.children) or any(t.lower_ in PAST_AUXILIARIES for t in auxiliaries):
        return False
    return verb.tag_ in PRESENT_TAGS or (verb.tag_ == "VBN" and bool(auxiliaries))


def _of_owner(words: Span) -> Token | None:
    """X in "the head of X": the object of "of" after the role noun."""
    for prep in words[-1].children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            return next((t for t in prep.children if t.dep_ == "pobj"), None)
    return None


def _owner_before(words: Span, anchor: Token) -> Token | None:
    """X in "X leader", "X's leader", "the X political leader": the name written just
    before the role noun, past adjectives and a possessive, inside the role's phrase. A
    common noun in between ("opposition leader", "party member") says the role is of
    something else."""
    doc = words.doc
    k = words.start - 1
    while k >= 0 and (doc[k].tag_ == "POS" or doc[k].lower_ in SUBORDINATE or doc[k].text == "-"
                      or doc[k].pos_ == "ADJ" and doc[k].ent_type_ == ""):
        k -= 1
    if k < 0 or doc[k].pos_ not in ("PROPN", "ADJ", "NOUN") or not doc[k].ent_type_ and doc[k].pos_ != "PROPN":
        return None
    return doc[k] if _in_title_phrase(doc[k], anchor) else None


def _apposed_nouns(holder: Token) -> Iterator[tuple[str, Token]]:
    """Nouns said of the holder: "Y, the head of X", "the head of X, Y", "Y is the head
    of X", "Y, who is a member of X". The parser often hangs "Y" in "the head of X, Y" on
    X; a person cannot be in apposition to an organisation, so it is read as the head's."""
    if holder.dep_ == "appos":
        yield "apposition", holder.head
        of = holder.head.head
        if holder.head.dep_ == "pobj" and of.lower_ == "of" and of.dep_ == "prep":
            yield "apposition", of.head
    for child in holder.children:
        if child.dep_ == "appos":
            yield "apposition", child
    copulas = [holder.head] if holder.dep_ == "nsubj" else []
    copulas += [t for t in holder.children if t.dep_ == "relcl" and _relative_subject(t)]
    for verb in copulas:
        if verb.lemma_ == "be" and _present(verb):
            yield from (("copula", t) for t in verb.children if t.dep_ == "attr")


def _relative_subject(verb: Token) -> bool:
    return any(t.dep_ == "nsubj" and t.lower_ in RELATIVE_PRONOUNS for t in verb.children)


def _noun_beside_name(holder: Token, start: int, words: RoleWords) -> Iterator[WordRole]:
    """ "the head of X, Y", "Y, the head of X", "the X leader, Y", "Y is the leader of X"."""
    for link, noun in _apposed_nouns(holder):
        found = _role_noun(noun, words)
        if found is None:
            continue
        span, entry = found
        owners = {"of": _of_owner(span) if "of" in entry.links else None,
                  "before": _owner_before(span, span.root) if "before" in entry.links else None}
        for how, owner in owners.items():
            if owner is not None:
                yield WordRole(f"{link}_{how}", span, entry, owner, [*span.root.subtree, holder])


def _noun_before_name(holder: Token, start: int, words: RoleWords) -> Iterator[WordRole]:
    """ "Hezbollah leader Hassan Nasrallah", "Russian leader Vladimir Putin": the role noun
    written just before the name, inside the name's phrase."""
    if start == 0:
        return
    found = _role_noun(holder.doc[start - 1], words)
    if found is None or found[0].end != start or "before" not in found[1].links:
        return
    span, entry = found
    if not _in_title_phrase(span.root, holder):
        return
    owner = _owner_before(span, holder)
    if owner is not None:
        yield WordRole("before_name", span, entry, owner, list(holder.doc[holder.left_edge.i : holder.i + 1]))


def _verb_of_holder(holder: Token, start: int, words: RoleWords) -> Iterator[WordRole]:
    """ "Y, who leads X": a present-tense relative clause on the holder, X its object."""
    for verb in holder.children:
        entry = words.get((verb.lemma_.lower(), "VERB"))
        if verb.dep_ != "relcl" or entry is None or "who" not in entry.links:
            continue
        if not _relative_subject(verb) or not _present(verb):
            continue
        owner = next((t for t in verb.children if t.dep_ == "dobj"), None)
        if owner is not None:
            yield WordRole("relative_clause", verb.doc[verb.i : verb.i + 1], entry, owner,
                           [holder, *verb.subtree])


def _verb_by_holder(holder: Token, start: int, words: RoleWords) -> Iterator[WordRole]:
    """ "X, led by Y", "X, which is headed by Y": the holder is the agent of a passive
    participle that modifies X."""
    agent = holder.head
    if holder.dep_ != "pobj" or agent.dep_ != "agent":
        return
    verb = agent.head
    entry = words.get((verb.lemma_.lower(), "VERB"))
    if entry is None or "by" not in entry.links or verb.tag_ != "VBN" or verb.dep_ not in ("acl", "relcl"):
        return
    if verb.dep_ == "relcl" and not _present(verb) or any(t.dep_ == "neg" for t in verb.children):
        return
    yield WordRole("led_by", verb.doc[verb.i : verb.i + 1], entry, verb.head, [verb.head, *verb.subtree])


def _installed_as(holder: Token, start: int, words: RoleWords) -> Iterator[WordRole]:
    """A role word of the table as the office taken: "Y became the leader of X"."""
    for noun in offices_taken(holder):
        found = _role_noun(noun, words)
        if found is None:
            continue
        span, entry = found
        owner = (_of_owner(span) if "of" in entry.links else None) or \
            (_owner_before(span, span.root) if "before" in entry.links else None)
        if owner is not None:
            yield WordRole("installed_as", span, entry, owner, [holder, *holder.head.subtree])


PATTERNS: tuple[Callable[[Token, int, RoleWords], Iterator[WordRole]], ...] = (
    _noun_beside_name, _noun_before_name, _verb_of_holder, _verb_by_holder, _installed_as,
)


def _merge(titled: list[Role], read: list[Role], titles: dict[str, Title]) -> list[Role]:
    """The title rules' roles, completed by the role words': a role word's reading of a
    person and owner the title rules already have adds nothing, and one that names the
    owner of a title read without it ("Ismail Haniyeh, the Secretary-General of Hamas",
    "Lebanon's new President Y") completes it, keeping the title rule's title where it
    is a title of titles.tsv."""
    roles = list(titled)
    for role in read:
        if any(r.person == role.person and r.of == role.of for r in roles):
            continue
        same = next((i for i, r in enumerate(roles) if r.person == role.person and r.of is None
                     and _last_word(r.title) == _last_word(role.title)), None)
        if same is None:
            roles.append(role)
            continue
        known = roles[same]
        roles[same] = replace(role, title=known.title, leader=known.leader) if known.title.lower() in titles else role
    return roles


def _last_word(title: str) -> str:
    return _form(title).split()[-1]
