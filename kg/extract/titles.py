"""An article's title read for facts like its text: a wire story's headline is its most
important sentence. The title is parsed on its own (in Title Case, truecased first, as a
headline is), its evidence marked as read from the title, and what it says merged into
what the text says: a fact stated in both is one fact with both pieces of evidence.
"""
from __future__ import annotations

from dataclasses import replace

from kg.ingest.files import is_headline
from kg.model import Article, Event, Evidence, Extraction


def reads_title(article: Article) -> bool:
    """Whether the article has a title of its own to read (not a headline that is its text)."""
    title = (article.title or "").strip()
    return bool(title) and not article.headline and title != article.text.strip() and not article.duplicate_of


def title_article(article: Article) -> Article:
    """The title as an article of its own, to parse: a headline when written in Title Case."""
    title = (article.title or "").strip()
    return Article(id=article.id, text=title, title=title, published=article.published, headline=is_headline(title))


def merge_title(body: Extraction, title: Extraction) -> Extraction:
    """The text's extraction with what the title says: its entities, roles, things and
    standing relations added; an event the text states too gains the title's evidence, any
    other title event is kept with its own."""
    events = list(body.events)
    for event in (_in_title(e) for e in title.events):
        twin = next((n for n, e in enumerate(events) if _same_fact(e, event)), None)
        if twin is None:
            events.append(event)
        else:
            events[twin] = replace(events[twin], more_evidence=(*events[twin].more_evidence, event.evidence))
    known = {e.key for e in body.entities}
    things = {t.key for t in body.things}
    return replace(
        body,
        entities=tuple(sorted([*body.entities, *(e for e in title.entities if e.key not in known)], key=lambda e: e.key)),
        roles=(*body.roles, *(replace(r, evidence=_titled(r.evidence)) for r in title.roles)),
        events=tuple(events),
        things=(*body.things, *(t for t in title.things if t.key not in things)),
        links=(*body.links, *(replace(link, evidence=_titled(link.evidence)) for link in title.links)),
    )


def _titled(evidence: Evidence) -> Evidence:
    return replace(evidence, in_title=True)


def _in_title(event: Event) -> Event:
    return replace(event, evidence=_titled(event.evidence) if event.evidence else None)


def _same_fact(a: Event, b: Event) -> bool:
    """Two readings of one fact: the same class, modality and verb, and the same parties
    (either way round for a symmetric event) and objects."""
    if a.type != b.type or a.modality != b.modality or a.lemma != b.lemma:
        return False
    if a.symmetric or b.symmetric:
        return set(a.agents + a.targets + a.participants) == set(b.agents + b.targets + b.participants)
    return set(a.agents) == set(b.agents) and set(a.targets) == set(b.targets) and set(a.objects) == set(b.objects)
