"""Offices taken: the verbs of taking office (investiture) and the office nouns they give a
holder ("was sworn in as prime minister", "appointed Y as finance minister and Z as foreign
minister", "Y became the leader of X"), read by kg/extract/roles.py."""
from __future__ import annotations

from spacy.tokens import Token

# Verbs of taking office: "was sworn in as", "appointed Y as", "became"; and the auxiliaries
# that leave it undone ("will be sworn in", "could be named", "to become").
INVESTITURE = {"swear", "appoint", "name", "elect", "install", "inaugurate", "become"}
UNDONE = {"will", "would", "could", "may", "might", "should", "shall", "to", "can"}


def offices_taken(holder: Token) -> list[Token]:
    """The nouns of the office a verb of taking office (INVESTITURE), done, gives the holder:
    "Y was sworn in as X's prime minister", "appointed Y as head of X", "Y became X's leader",
    "Y was appointed health secretary". Of several people appointed at once, each takes the
    offices written after them and before the next ("appointed Y as finance minister and Z
    as foreign minister")."""
    verb, role = _investiture(holder)
    if verb is None:
        return []
    lemma = verb.lemma_.lower()
    if role == "nsubj" and lemma != "become":
        return []
    places = [verb, *(t for t in verb.children if t.dep_ == "prt"), holder]
    nouns = [p for t in places for a in t.children if a.dep_ == "prep" and a.lower_ == "as"
             for p in a.children if p.dep_ == "pobj"]
    nouns += [t for t in verb.children if t.dep_ == "oprd" or t.dep_ == "attr" and lemma == "become"]
    others = [t.i for t in verb.subtree if t.ent_type_ == "PERSON" and t.i != holder.i and t.head.ent_type_ != "PERSON"
              and (t.dep_ == "conj" or t.head == verb and t.dep_ in ("dobj", "nsubjpass"))]
    if not others:
        return nouns
    after = min((i for i in others if i > holder.i), default=len(holder.doc))
    return [n for n in nouns if holder.i < n.i < after]


def _investiture(holder: Token) -> tuple[Token | None, str]:
    """The verb of taking office, done, whose holder `holder` is, and how it holds it (nsubj,
    nsubjpass, dobj); a holder coordinated with another ("appointed Y as ... and Z as ...")
    holds it as the first does."""
    first = holder
    while first.dep_ == "conj" and first.head != first:
        first = first.head
    verb, role = first.head, first.dep_
    if role == "pobj" and first.head.lower_ == "as" and first is not holder:
        verb, role = first.head.head, "dobj"
    if not _invests(verb) or role not in ("nsubjpass", "nsubj", "dobj") or not _done(verb):
        return None, ""
    return verb, role


def _invests(verb: Token) -> bool:
    """A verb of taking office, also again ("reappointed", which the lemmatizer may miss)."""
    again = verb.lower_.removeprefix("re") if verb.lower_.startswith("re") else ""
    return verb.lemma_.lower() in INVESTITURE or any(again.startswith(w) for w in INVESTITURE if w != "become")


def _done(verb: Token) -> bool:
    """The verb says what happened: no negation, no auxiliary of the future or of a chance."""
    return not any(t.dep_ == "neg" or t.dep_ in ("aux", "auxpass") and t.lower_ in UNDONE for t in verb.children)
