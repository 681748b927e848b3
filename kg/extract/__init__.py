"""Article -> Extraction: mentions, roles, events and standing relations read with spaCy,
the lexicon and the link rules."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from kg import gazetteer as gazetteers
from kg.extract import cameo
from kg.extract import lexicon as lexicons
from kg.extract.coref import resolve_references
from kg.extract.datelines import mask_datelines
from kg.extract.events import EventReader
from kg.extract import links as link_rules
from kg.extract.links import find_links
from kg.extract.mentions import find_mentions
from kg.extract.paths import Parse
from kg.extract.resolve import entity_of
from kg.extract.roles import find_roles, title_table
from kg.extract.titles import merge_title, reads_title, title_article
from kg.extract.triggers import TriggerFinder
from kg.extract.truecase import gazetteer_spans, mask_names, protected_spans, truecase, vocabulary
from kg.model import Article, Entity, Event, Extraction

__all__ = ["Extractor"]


class Extractor:
    """Reads articles with one spaCy pipeline and the shipped gazetteers and lexicon."""

    def __init__(self, nlp: Language, *, lexicon_path: str | None = None, lexicon: lexicons.Lexicon | None = None,
                 links: link_rules.LinkRules | None = None) -> None:
        self.nlp = nlp
        self.gazetteer = gazetteers.load()
        self.lexicon = lexicon or lexicons.load(lexicon_path)
        self.links = links or link_rules.load()
        self.titles = title_table(self.gazetteer.titles)
        self.known_word = vocabulary(nlp)
        self.people = {e.key: e for e in self.gazetteer.entries if e.type == "Person"}
        self.events = EventReader(TriggerFinder(nlp.vocab, self.lexicon, cameo.load()), self.gazetteer.capital_of)

    def extract(self, article: Article) -> Extraction:
        """Everything read from one article."""
        return next(self.extract_many([article]))

    def extract_many(self, articles: Iterable[Article], *, batch_size: int = 64, n_process: int = 1) -> Iterator[Extraction]:
        """Extractions in input order, parsing in batches (and processes) with nlp.pipe; an
        article's title is parsed after its text and merged into it (kg/extract/titles.py)."""
        prepared = (self._prepare(article, part) for a in articles for part, article in self._parts(a))
        body = None
        for doc, (part, article, names) in self.nlp.pipe(prepared, as_tuples=True, batch_size=batch_size,
                                                         n_process=n_process):
            extraction = self.read(doc, article, names=names)
            if part == "text" and reads_title(article):
                body = extraction
            elif part == "title":
                yield merge_title(body, extraction)
            else:
                yield extraction

    @staticmethod
    def _parts(article: Article) -> list[tuple[str, Article]]:
        """What to parse of an article: its text, then its title when it has one of its own."""
        return [("text", article), *([("title", title_article(article))] if reads_title(article) else [])]

    def _prepare(self, article: Article, part: str) -> tuple[str, tuple[str, Article, list]]:
        """The text to parse; for a headline, truecased and masked, with the names it hides."""
        if not article.headline:
            return mask_datelines(article.text), (part, article, [])
        original = self.nlp(article.text)
        names = gazetteer_spans(original)
        text = truecase(article.text, known=self.known_word, keep=protected_spans(original))
        return mask_names(text, names, known=self.known_word), (part, article, names)

    def read(self, doc: Doc, article: Article, *, names: list | None = None) -> Extraction:
        """An Extraction from a parsed doc (its text may be a truecased copy of the article's)."""
        if names:
            _restore_names(doc, names)
        index = find_mentions(doc, article.text, self.gazetteer)
        roles = find_roles(doc, index, self.titles, self.people, article_id=article.id, text=article.text)
        index = resolve_references(doc, index, roles, article.text, people=self.people)
        represented = {r.person: r.of for r in roles if r.of and r.of.startswith("country/")}
        parse = Parse.of(doc)
        found = self.events.read(doc, index, represented=represented, article_id=article.id, text=article.text,
                                 published=article.published, parse=parse)
        held = {(r.person, r.of) for r in roles}  # "President of the United States" is a role, not a residence
        links = [link for link in find_links(parse, index, self.links, self.gazetteer.by_key, article_id=article.id,
                                             text=article.text) if (link.subject, link.object) not in held]
        entities = {**index.entities, **{g.key: g for g in found.groups}}
        entities.update(self._stood_for(found.events, entities))
        return Extraction(
            article=article,
            entities=tuple(sorted(entities.values(), key=lambda e: e.key)),
            mentions=index.mentions,
            roles=tuple(roles),
            events=found.events,
            things=found.things,
            links=tuple(links),
        )

    def _stood_for(self, events: Iterable[Event], named: dict[str, Entity]) -> dict[str, Entity]:
        """The countries that only their capitals name ("Washington accused Beijing"): the
        events take the country as the party, so the extraction lists it as an entity."""
        known = self.gazetteer.by_key
        keys = {k for e in events for k in (*e.agents, *e.targets, *e.participants) if k not in named and k in known}
        return {k: entity_of(known[k]) for k in sorted(keys)}


def _restore_names(doc: Doc, names: list[tuple[int, int, str, str]]) -> None:
    """Put back the gazetteer entities that masking hid from the entity recogniser."""
    known = []
    for start, end, label, key in names:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            span.id_ = key
            known.append(span)
    others = [e for e in doc.ents if not any(e.start < k.end and k.start < e.end for k in known)]
    doc.ents = filter_spans(known + others)
