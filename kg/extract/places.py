"""Names that are places: unknown names in a place context ("in Marea", "Raqqa province"),
written as a town before its region ("McCook, Ill.", "DAYTON, Ohio"), and their conjuncts
and other mentions; the model's other guesses for them (an organisation, a person) undone."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.gazetteer import MentionCues

PLACE_SUSPECTS = {"ORG", "PERSON", "NORP"}


def retype_places(doc: Doc, lower: list[str], spans: list[Span], cues: MentionCues) -> list[Span]:
    """Unknown names in a place context become places, and so do their conjuncts and every
    other unknown mention of the same name in the doc; other NORP spans are dropped."""
    placed = [s for s in spans if (_suspect(s) or _located(s)) and _place_context(doc, lower, s, cues)]
    paired = [s for s in spans if _unknown_name(s) and _paired_with_place(doc, lower, s, spans)]
    places = {s.text for s in placed if _suspect(s)} | {s.text for s in paired}
    for span in placed:  # "in Jambalo, Toribio and Caldono"
        conjuncts = {c.i for t in span for c in t.conjuncts}
        places.update(o.text for o in spans if _suspect(o) and o.root.i in conjuncts)
    out = []
    for span in spans:
        if (_suspect(span) or _unknown_name(span)) and span.text in places:
            span = Span(doc, span.start, span.end, label="LOC")
        if span.label_ != "NORP" or span.id_:
            out.append(span)
    return out


def _unknown_name(span: Span) -> bool:
    """A name the gazetteer does not know that the model took for an organisation or a
    person, in capitals too ("DAYTON")."""
    return not span.id_ and span.label_ in ("ORG", "PERSON") and sum(c.isalpha() for c in span.text) >= 4


def _paired_with_place(doc: Doc, lower: list[str], span: Span, spans: list[Span]) -> bool:
    """Written as a town before its region: "McCook, Ill.,", "DAYTON, Ohio (AP)",
    "Springfield, Mo.;" (a comma, a known place or country, then the end of the phrase;
    not "Toyota, Japan's largest carmaker")."""
    if span.end + 1 >= len(doc) or lower[span.end] != ",":
        return False
    region = next((o for o in spans if o.start == span.end + 1), None)
    if region is None or not region.id_.startswith(("place/", "country/")):
        return False
    return region.end == len(doc) or lower[region.end] in (",", ".", ";", "(", ")", ":", "\n")


def _located(span: Span) -> bool:
    return span.label_ in ("GPE", "LOC", "FAC") or span.id_.startswith(("place/", "country/"))


def _suspect(span: Span) -> bool:
    return not span.id_ and span.label_ in PLACE_SUSPECTS and not _acronym(span.text)


def _place_context(doc: Doc, lower: list[str], span: Span, cues: MentionCues) -> bool:
    after = lower[span.end] if span.end < len(doc) else None
    if after is not None and after in cues.place_after:
        return True
    if after is not None and after in ("'s", "’s"):
        return False
    for cue in cues.place_before:
        start = span.start - len(cue)
        if start < 0 or tuple(lower[start : span.start]) != cue:
            continue
        prep = doc[span.start - 1]
        head = prep.head
        if span.root.head != prep or head.lemma_.lower() in cues.not_place or head.lower_ in cues.not_place:
            return False
        return True
    return False


def _acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
