"""Titles and appositions -> role facts: "Japanese Prime Minister Shigeru Ishiba",
"Japan's chief trade negotiator, Ryosei Akazawa", "Nobel Committee Chair Thorbjoern Jagland".
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Doc, Token

from kg.extract.mentions import MentionIndex
from kg.gazetteer import GazetteerEntry, Title
from kg.model import Evidence, Role

RULE_VERSION = "1"
PAST = {"former", "ex", "late", "then", "previous", "outgoing"}
ROLE_NOUN_DEPS = {"appos"}


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
        for rule, span, title_words in _title_spans(doc, head, mention):
            role = _role(rule, span, title_words, mention.entity, index, titles, article_id=article_id, text=text)
            known = people.get(mention.entity)
            if role and role.of is None and known and known.country and (known.title or "").lower() == role.title.lower():
                role = replace(role, of=known.country)
            if role:
                roles.append(role)
    return roles


def _head(doc: Doc, mention) -> Token:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.root


def _title_spans(doc: Doc, head: Token, mention) -> Iterator[tuple[str, list[Token], list[Token]]]:
    """(rule, evidence tokens, tokens that may hold the title and its country)."""
    left = [t for t in head.lefts if t.idx < mention.start for t in t.subtree if t.idx < mention.start]
    if left:
        yield "role.title_before_name", left + [head], left
    if head.dep_ in ROLE_NOUN_DEPS and head.head.pos_ in ("NOUN", "PROPN"):
        noun = head.head
        words = [t for t in noun.subtree if not (head.left_edge.i <= t.i <= head.right_edge.i)]
        yield "role.apposition", list(noun.subtree), [t for t in words if t.dep_ != "punct"]
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            yield "role.apposition", [head, *child.subtree], list(child.subtree)


def _role(rule, span, words, person, index, titles, *, article_id, text) -> Role | None:
    if any(t.lower_ in PAST for t in words):
        return None
    title = _match_title([t for t in words if index.at(t.i) is None and t.dep_ not in ("det", "case", "poss")], titles)
    if title is None:
        return None
    written, entry = title
    organisations = [index.at(t.i) for t in words if index.at(t.i) and index.at(t.i) != person]
    of = next((k for k in organisations if k.split("/")[0] in ("country", "org")), None)
    start, end = min(t.idx for t in span), max(t.idx + len(t.text) for t in span)
    sentence = span[0].sent
    return Role(
        person=person,
        title=entry.title if written.lower() in _canonical_forms(entry) else written,
        of=of,
        leader=entry.leader,
        evidence=Evidence(
            article_id=article_id,
            sentence=text[sentence.start_char : sentence.end_char],
            start=start,
            end=end,
            rule=f"{rule}.v{RULE_VERSION}",
            confidence=0.9 if rule == "role.title_before_name" else 0.8,
        ),
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
