"""Headlines in Title Case confuse a parser trained on running text ("Trump Backs" comes
out as an organisation). Lower-case the common words of a headline before parsing, keeping
names: gazetteer names, acronyms, words the vocabulary does not know, and surname-position
words of a person the model found in the original casing. Known names that are also
common words ("Trump", "Turkey") are masked with an unambiguous surname of the same
length, so the parser reads them as names. The result always has the same length as the
original, so character offsets stay valid for it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

WORD = re.compile(r"[A-Za-z][A-Za-z’'\-]*")
SUFFIXES = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))
# Function words the lemma index lacks but that never start a name mid-headline.
FUNCTION_WORDS = frozenset(
    "a an the and or but nor of in on at to for from by with into onto over under amid "
    "after before as despite during against about between without within via vs than "
    "is are was were be been its their his her our your this that these those".split()
)


def vocabulary(nlp: Language) -> Callable[[str], bool]:
    """A test for 'is this lower-case word an ordinary English word', from the lemmatizer."""
    words: set[str] = set(FUNCTION_WORDS)
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups
        if lookups.has_table("lemma_index"):
            for entries in lookups.get_table("lemma_index").values():
                words.update(entries)
        if lookups.has_table("lemma_exc"):
            for table in lookups.get_table("lemma_exc").values():
                words.update(table)

    def known(word: str) -> bool:
        if word in words:
            return True
        return any(word.endswith(s) and word[: len(word) - len(s)] + r in words for s, r in SUFFIXES)

    return known


# Surnames the parser reliably reads as names, by length, to stand in for ambiguous ones.
STAND_INS = {2: "Xu", 3: "Lee", 4: "Diaz", 5: "Smith", 6: "Garcia", 7: "Johnson", 8: "Martinez", 9: "Rodriguez"}


def gazetteer_spans(original: Doc) -> list[tuple[int, int, str, str]]:
    """(start, end, label, key) of the gazetteer's entities in the original casing."""
    return [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in original.ents if e.ent_id_]


def mask_names(text: str, spans: list[tuple[int, int, str, str]], *, known: Callable[[str], bool]) -> str:
    """Replace each word of a known person's name that is also a common word ("Trump")."""
    chars = list(text)
    for start, end, label, _ in spans:
        if label != "PERSON":
            continue
        for match in WORD.finditer(text, start, end):
            word = match.group()
            if known(word.lower()) and len(word) in STAND_INS:
                chars[match.start() : match.end()] = STAND_INS[len(word)]
    return "".join(chars)


def protected_spans(original: Doc) -> list[tuple[int, int]]:
    """Character spans to keep as written: gazetteer names and surname-position PERSON words."""
    spans = [(ent.start_char, ent.end_char) for ent in original.ents if ent.ent_id_]
    for ent in original.ents:
        if ent.label_ == "PERSON" and not ent.ent_id_:
            spans.extend(_surnames(ent))
    return spans


def _surnames(ent) -> Iterable[tuple[int, int]]:
    """In "Jeffrey Epstein", keep "Epstein" although 'epstein' is also a common noun."""
    for prev, tok in zip(ent, ent[1:]):
        if tok.pos_ == "PROPN" and prev.pos_ == "PROPN" and prev.text[:1].isupper():
            yield (tok.idx, tok.idx + len(tok.text))


def truecase(text: str, *, known: Callable[[str], bool], keep: list[tuple[int, int]]) -> str:
    """Lower-case the capitalised common words of a headline, except the first."""
    chars = list(text)
    for n, match in enumerate(WORD.finditer(text)):
        word, start = match.group(), match.start()
        if n == 0 or _kept(start, keep) or not word[0].isupper() or _is_acronym(word):
            continue
        if known(word.lower()):
            chars[start : match.end()] = word.lower()
    return "".join(chars)


def _kept(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
