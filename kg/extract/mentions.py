"""spaCy entities -> resolved mentions, with junk (Title Case debris, fragments) left out."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.gazetteer import Gazetteer, slug
from kg.model import Entity, Mention
from kg.resolve import Candidate, resolve

LABEL_TYPE = {"PERSON": "Person", "ORG": "Organization", "GPE": "Location", "LOC": "Location", "FAC": "Location"}
LEADING = {"the", "a", "an", "former", "ex", "late"}


@dataclass(frozen=True)
class MentionIndex:
    """Resolved mentions of one doc, and which entity each token belongs to."""

    mentions: tuple[Mention, ...]
    entities: dict[str, Entity]
    by_token: dict[int, str]  # token index -> Entity.key

    def at(self, token_i: int) -> str | None:
        return self.by_token.get(token_i)

    def add_group(self, name: str) -> str:
        """A group actor named by a common noun ("police"), keyed by its name."""
        key = f"group/{slug(name)}"
        self.entities.setdefault(key, Entity(key=key, type="Group", name=name))
        return key


def find_mentions(doc: Doc, text: str, gazetteer: Gazetteer) -> MentionIndex:
    """Mentions of `doc` (parsed from a possibly truecased copy of `text`), resolved."""
    spans = [span for span in (_clean(ent) for ent in doc.ents) if span is not None]
    known = gazetteer.by_key
    cands = [_candidate(span, text, known) for span in spans]
    keep = [(span, cand) for span, cand in zip(spans, cands) if cand is not None]
    resolved, entities = resolve([cand for _, cand in keep], gazetteer)
    mentions, by_token = [], {}
    for (span, _), cand in zip(keep, resolved):
        mentions.append(Mention(entity=cand.key, text=cand.text, start=cand.start, end=cand.end))
        for token in span:
            by_token[token.i] = cand.key
    return MentionIndex(mentions=tuple(mentions), entities=entities, by_token=by_token)


def _clean(ent: Span) -> Span | None:
    """The entity without leading determiners and trailing common nouns; None if junk."""
    if ent.ent_id_:
        return ent
    if ent.label_ not in LABEL_TYPE:
        return None
    start, end = ent.start, ent.end
    while start < end and ent.doc[start].lower_ in LEADING:
        start += 1
    while end > start and not _namelike(ent.doc[end - 1]):
        end -= 1
    span = ent.doc[start:end]
    if not span or any(not _namelike(t) and t.lower_ not in ("of", "and", "for", "the", "-", "&") for t in span):
        return None
    if not any(t.pos_ == "PROPN" for t in span) or len(span.text) < 2:
        return None
    return Span(ent.doc, start, end, label=ent.label_)


def _namelike(token) -> bool:
    return token.text[:1].isupper() or token.text[:1].isdigit() and token.pos_ == "PROPN"


def _candidate(span: Span, text: str, known: dict) -> Candidate | None:
    surface = text[span.start_char : span.end_char]
    if span.ent_id_:
        return Candidate(text=surface, type=known[span.ent_id_].type, start=span.start_char, end=span.end_char, key=span.ent_id_)
    return Candidate(text=surface, type=LABEL_TYPE[span.label_], start=span.start_char, end=span.end_char)
