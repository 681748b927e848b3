"""Names of known people as the text writes them: a known surname after another given name is
someone else (a namesake); a name word before a known full name is part of it."""
from __future__ import annotations

from spacy.tokens import Span

from kg.gazetteer import Gazetteer


def namesakes(spans: list[Span], gazetteer: Gazetteer) -> list[Span]:
    """A known person's surname after another given name is someone else: "Francesca
    Albanese" is not Anthony Albanese. The two words become one new person, and the surname
    alone elsewhere in the text is left to mean them (kg.extract.resolve), not the known one."""
    known = gazetteer.by_key
    titles = {w for t in gazetteer.titles for form in (t.title, *t.aliases) for w in form.lower().split()}
    by_start = {s.start: s for s in spans}
    merged, taken, surnames = [], set(), set()
    for span in spans:
        entry = known.get(span.ent_id_)
        given = by_start.get(span.start - 1) if span.start > 0 else None
        before = span.doc[span.start - 1] if span.start > 0 else None
        if (entry is not None and entry.type == "Person" and len(span) == 1 and before is not None
                and before.pos_ == "PROPN" and before.text[:1].isupper() and before.text != entry.name.split()[0]
                and before.lower_ not in titles and before.text not in gazetteer.cues.honorifics
                and (given is None or not given.ent_id_)):
            taken |= {span.start, span.start - 1}
            surnames.add(span.text)
            merged.append(Span(span.doc, span.start - 1, span.end, label="PERSON"))
    if not merged:
        return spans
    out = [s for s in spans if s.start not in taken]
    out = [Span(s.doc, s.start, s.end, label="PERSON") if len(s) == 1 and s.text in surnames and s.ent_id_ else s
           for s in out]
    return sorted(out + merged, key=lambda s: s.start)


def fuller_names(spans: list[Span], gazetteer: Gazetteer) -> list[Span]:
    """A one-word name the model read right before a known person's full name is more of that
    name: "Seyed Abbas Araghchi" is Abbas Araghchi, not a "Seyed" beside him."""
    known = gazetteer.by_key
    by_end = {s.end: s for s in spans}
    out, taken = [], set()
    for span in spans:
        entry = known.get(span.ent_id_)
        word = by_end.get(span.start)
        if (entry is not None and entry.type == "Person" and span.text == entry.name and len(span) > 1
                and word is not None and len(word) == 1 and not word.ent_id_ and word.label_ == "PERSON"):
            taken.add(word.start)
            out.append(Span(span.doc, word.start, span.end, label=span.label_, span_id=span.ent_id_))
        else:
            out.append(span)
    return [s for s in out if s.start not in taken or len(s) > 1]
