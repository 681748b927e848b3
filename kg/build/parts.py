"""Long articles parsed in parts: spaCy refuses a text over its `max_length` (1,000,000
characters) and needs about 1 GB per 100,000 characters to parse one, so an article longer
than a part is cut at paragraph, line, sentence or word ends into parts, each parsed alone,
and their extractions are merged with every offset moved back into the article's text.
"""
from __future__ import annotations

import re
from dataclasses import replace

from kg.model import Article, Event, Evidence, Extraction, Mention, Role

PART_CHARS = 100_000
# Where to cut, best first; a cut falls in the second half of a part, so parts stay large.
BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"'”’)]*\s"), re.compile(r"\s"))


def split_points(text: str, size: int = PART_CHARS) -> list[int]:
    """The offsets where the parts of `text` start: 0, then each cut; every part at most `size`."""
    starts, start = [0], 0
    while len(text) - start > size:
        half = start + size // 2
        start = half + _cut(text[half : start + size])
        starts.append(start)
    return starts


def _cut(window: str) -> int:
    """Where to end a part in the last half of it: after the last break of the best kind."""
    for pattern in BREAKS:
        ends = [m.end() for m in pattern.finditer(window)]
        if ends:
            return ends[-1]
    return len(window)  # one long word: cut it


def parts(article: Article, size: int = PART_CHARS) -> list[tuple[int, Article]]:
    """The parts of an article, each an Article of the same id with a slice of the text (a
    part of a long text is no headline), and the offset of its slice."""
    starts = split_points(article.text, size)
    ends = [*starts[1:], len(article.text)]
    return [(start, replace(article, text=article.text[start:end], headline=False)) for start, end in zip(starts, ends)]


def merged(article: Article, extractions: list[tuple[int, Extraction]]) -> Extraction:
    """One extraction of `article` from those of its parts, each with the offset of its part."""
    entities: dict = {}
    things: dict = {}
    mentions: list[Mention] = []
    roles: list[Role] = []
    events: list[Event] = []
    warnings: list[str] = []
    for offset, found in extractions:
        for entity in found.entities:
            known = entities.get(entity.key)
            aliases = tuple(dict.fromkeys((*known.aliases, *entity.aliases))) if known else entity.aliases
            entities[entity.key] = replace(known or entity, aliases=aliases)
        for thing in found.things:
            things.setdefault(thing.key, thing)
        mentions += [replace(m, start=m.start + offset, end=m.end + offset) for m in found.mentions]
        roles += [replace(r, evidence=_moved(r.evidence, offset)) for r in found.roles]
        events += [_moved_event(e, offset) for e in found.events]
        warnings += found.warnings
    return Extraction(article=article, entities=tuple(sorted(entities.values(), key=lambda e: e.key)),
                      mentions=tuple(mentions), roles=tuple(roles), events=tuple(events),
                      things=tuple(things.values()), warnings=tuple(warnings))


def _moved(evidence: Evidence, offset: int) -> Evidence:
    return replace(evidence, start=evidence.start + offset, end=evidence.end + offset)


def _moved_event(event: Event, offset: int) -> Event:
    during = (event.during[0] + offset, event.during[1] + offset) if event.during else None
    return replace(event, during=during, evidence=_moved(event.evidence, offset) if event.evidence else None)
