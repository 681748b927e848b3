"""spaCy entities -> resolved mentions, with junk (Title Case debris, fragments) left out.

Besides the model's entities and the gazetteer's, a few rules driven by
`kg/data/mention_cues.tsv` and `titles.tsv` find what the small model misses or mistypes:

- names after a title or honorific ("President Hollande", "Mr Ellwood");
- titles standing for a person ("the Foreign Secretary said"), resolved to the person the
  article names with that title when there is one;
- unknown names in a place context ("in Marea", "Raqqa province") are places;
- bodies named by a country and a noun ("the Iraqi government" is Iraq, "the Syrian army"
  a group, "the Assad regime" an organisation);
- people named as a group by a common noun ("police", "Rwandan rebels", "the international
  community") are Group mentions.
"""
from __future__ import annotations

import hashlib

from dataclasses import dataclass, field, replace
from functools import cache

from spacy.attrs import IDX, LEMMA, LOWER, ORTH, POS
from spacy.tokens import Doc, Span

from kg.gazetteer import Gazetteer, MentionCues, Title, slug
from kg.model import Entity, Mention
from kg.extract.namesakes import fuller_names, namesakes
from kg.extract.places import PLACE_SUSPECTS, retype_places
from kg.extract.resolve import Candidate, resolve

GROUP_LABEL = "KG_GROUP"
LABEL_TYPE = {
    "PERSON": "Person", "ORG": "Organization", "GPE": "Location", "LOC": "Location", "FAC": "Location",
    GROUP_LABEL: "Group",
}
LEADING = {"the", "a", "an", "former", "ex", "late"}
# Labels the model gives unknown place names it does not recognise as places.
# A title after one of these is a generic office ("a Foreign Minister"), not a person.
GENERIC = {"a", "an", "any", "every", "each", "no", "another", "whichever"}
ROLE_SUFFIXES = ("designate", "elect")
MAX_NAME_TOKENS = 4


@dataclass(frozen=True)
class MentionIndex:
    """Resolved mentions of one doc, and which entity each token belongs to."""

    mentions: tuple[Mention, ...]
    entities: dict[str, Entity]
    by_token: dict[int, str]  # token index -> Entity.key
    plural: dict[int, tuple[str, ...]] = field(default_factory=dict)  # "the two leaders" -> both keys
    offices: frozenset[str] = frozenset()  # persons known only by a title ("the Polish PM"): office holders

    def at(self, token_i: int) -> str | None:
        return self.by_token.get(token_i)


@dataclass(frozen=True)
class Words:
    """Each token's text, lower-case form and character span, read from the doc once: the
    rules below compare words at every token, and each `doc[i]` builds a new Token."""

    doc_text: str
    text: list[str]
    lower: list[str]
    start: list[int]
    end: list[int]
    pos: list[str]
    lemma: list[str]

    @classmethod
    def of(cls, doc: Doc) -> Words:
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, LOWER, IDX, POS, LEMMA]).tolist()
        text = [strings[r[0]] for r in rows]
        return cls(doc_text=doc.text, text=text, lower=[strings[r[1]] for r in rows], start=[r[2] for r in rows],
                   end=[r[2] + len(t) for r, t in zip(rows, text)], pos=[strings[r[3]] for r in rows],
                   lemma=[strings[r[4]].lower() for r in rows])


@dataclass(frozen=True)
class TitleMention:
    """A title standing for a person ("the Foreign Secretary"): tokens [start, end)."""

    start: int
    end: int
    title: Title
    form: str  # the title as written, lower case ("foreign secretary")
    qualifier: str | None  # whose office: "Iraqi" in "the Iraqi Foreign Minister", "of Iraq"
    person: Span | None = None  # the person named beside it ("Ruth Kamau, Minister for ...")


def find_mentions(doc: Doc, text: str, gazetteer: Gazetteer) -> MentionIndex:
    """Mentions of `doc` (parsed from a possibly truecased copy of `text`), resolved."""
    cues = gazetteer.cues
    words = Words.of(doc)
    raw = fuller_names(namesakes([span for span in (_clean(ent, cues) for ent in doc.ents) if span is not None],
                                 gazetteer), gazetteer)
    spans = [s for s in retype_places(doc, words.lower, raw, cues) if s.label_ in LABEL_TYPE or s.id_]
    spans, titles, attached = _titles_and_titled_names(doc, words, spans, gazetteer.titles, cues)
    spans = _collectives(doc, words, spans, cues)
    known = gazetteer.by_key
    cands = [_candidate(span, text, known) for span in spans]
    resolved, entities = resolve(cands, gazetteer, text)
    mentions, by_token = [], {}
    for span, cand in zip(spans, resolved):
        mentions.append(Mention(entity=cand.key, text=cand.text, start=cand.start, end=cand.end))
        for token in span:
            by_token[token.i] = cand.key
    key_of = {(s.start, s.end): c.key for s, c in zip(spans, resolved)}
    holders = _title_holders(attached, titles, key_of, resolved, known)
    scope = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    offices = set()
    for found in titles:
        key = _title_key(doc, found, key_of, holders, scope)
        if key.endswith(f"-{scope}"):
            offices.add(key)
        span = doc[found.start : found.end]
        if key not in entities:
            entities[key] = Entity(key=key, type="Person", name=_title_name(doc, found))
        mentions.append(Mention(entity=key, text=text[span.start_char : span.end_char],
                                start=span.start_char, end=span.end_char))
        if found.person is None:  # a title standing alone stands for its holder in events
            for token in span:
                by_token.setdefault(token.i, key)
    for start, end, head in _group_nouns(doc, words, cues, by_token):
        label = text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1].text)]
        name = label if any(c.isupper() for c in label) else label.lower()
        key = f"group/{slug(name)}"
        entities.setdefault(key, Entity(key=key, type="Group", name=name))
        mentions.append(Mention(entity=key, text=label, start=doc[start].idx, end=doc[start].idx + len(label)))
        for i in range(start, end):
            by_token.setdefault(i, key)
        by_token[head] = key
    mentions.sort(key=lambda m: (m.start, m.end))
    return MentionIndex(mentions=tuple(mentions), entities=entities, by_token=by_token, offices=frozenset(offices))


def _clean(ent: Span, cues: MentionCues) -> Span | None:
    """The entity without leading determiners and trailing common nouns; None if junk."""
    if ent.ent_id_:
        return ent
    if ent.label_ not in LABEL_TYPE and ent.label_ not in PLACE_SUSPECTS:
        return None
    start, end = ent.start, ent.end
    while start < end and ent.doc[start].lower_ in LEADING:
        start += 1
    while end > start and not _namelike(ent.doc[end - 1], cues):
        end -= 1
    span = ent.doc[start:end]
    allowed = ("of", "and", "for", "the", "-", "&")
    if not span or any(not _namelike(t, cues) and t.lower_ not in allowed and not _particle(t, cues) for t in span):
        return None
    if not any(t.pos_ == "PROPN" for t in span) or len(span.text) < 2:
        return None
    return Span(ent.doc, start, _hyphenated_end(ent.doc, end) if ent.label_ == "PERSON" else end, label=ent.label_)


def _hyphenated_end(doc: Doc, end: int) -> int:
    """A person's name runs on over a hyphen written without spaces: "Kim Moon-soo", where the
    model stops at "Moon"."""
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_ \
            and doc[end + 1].is_alpha and doc[end + 1].ent_type_ in ("", "PERSON"):
        return end + 2
    return end


def _namelike(token, cues: MentionCues | None = None) -> bool:
    text = token.text
    if cues is not None and "-" in text and text.split("-", 1)[0].lower() in cues.particles:
        text = text.split("-", 1)[1]  # "al-Hilla"
    return text[:1].isupper() or text[:1].isdigit() and token.pos_ == "PROPN"


def _particle(token, cues: MentionCues) -> bool:
    """A lower-case part of a name between its capitalised parts ("Haider al-Abadi")."""
    if token.lower_ not in cues.particles or token.i + 1 >= len(token.doc):
        return False
    following = token.nbor().text
    return following == "-" or following[:1].isupper()


# ---------------------------------------------------------------------------
# places the model took for something else


# ---------------------------------------------------------------------------
# titles and the names after them


@cache
def title_forms(titles: tuple[Title, ...]) -> dict[str, Title]:
    """Written forms of each title that can stand for a person: capitalised ones only
    ("the Foreign Secretary"; "a spokesman" is anybody)."""
    return {form: t for t in titles for form in (t.title, *t.aliases) if form[:1].isupper()}


def _titles_and_titled_names(doc: Doc, words: Words, spans: list[Span], titles: tuple[Title, ...], cues: MentionCues
                             ) -> tuple[list[Span], list[TitleMention], list[tuple[str, Span]]]:
    """Persons named after a title or honorific; the titles that stand alone; and the
    titles written before a person's name ("Home Secretary Yvette Cooper")."""
    reach = _title_reach(titles)
    found: list[TitleMention] = []
    attached: list[tuple[str, Span]] = []
    i = 0
    while i < len(doc):
        match = _title_at(doc, words, i, reach)
        if match is not None and _inside_known(spans, i):
            match = None
        if match is None:
            if words.text[i] in cues.honorifics:
                spans = _name_after(doc, i + 1 + (i + 1 < len(doc) and words.text[i + 1] == "."), spans, cues)
            i += 1
            continue
        end, title = match
        form = doc[i : match[0]].text.lower()
        end = _extend_title(doc, end, spans)
        spans = _name_after(doc, end, spans, cues)
        person = _person_at(spans, end)
        if person is not None:
            attached.append((form, person))
            found.append(TitleMention(i, match[0], title, form, qualifier=None, person=person))
            # "Minister for Africa Ruth Kamau": Africa is her portfolio
            spans = [s for s in spans if not (match[0] <= s.start and s.end <= end)]
        elif not _generic(doc, i):
            found.append(TitleMention(i, end, title, form, qualifier=_qualifier(doc, spans, i, end),
                                      person=_beside(doc, spans, i, end)))
        i = end
    found = _shared_holders(found, words, spans, _title_words(titles))
    covered = [(t.start, t.end) for t in found]
    spans = [s for s in spans if not any(a <= s.start and s.end <= b for a, b in covered)]
    found = [t for t in found if not any(s.start < t.end and t.start < s.end for s in spans)]
    return spans, found, attached


@cache
def _title_words(titles: tuple[Title, ...]) -> frozenset[str]:
    return frozenset(word for form in title_forms(titles) for word in form.lower().split())


def _shared_holders(found: list[TitleMention], words: Words, spans: list[Span],
                    title_words: frozenset[str]) -> list[TitleMention]:
    """Titles coordinated before one name are all that person's: "Former PM and Nobel
    Committee Chair Thorbjoern Jagland" (a title, "and", then names and title words up to
    the person's name; not "the minister and his aide John Smith")."""
    people = sorted((s for s in spans if LABEL_TYPE.get(s.label_) == "Person"), key=lambda s: s.start)
    out = []
    for title in found:
        if title.person is None and title.end < len(words.lower) and words.lower[title.end] in ("and", "&"):
            person = next((p for p in people if title.end < p.start <= title.end + 1 + MAX_NAME_TOKENS), None)
            between = range(title.end + 1, person.start) if person is not None else range(0)
            if person is not None and all(words.text[k][:1].isupper() or words.lower[k] in title_words
                                          for k in between):
                title = replace(title, person=person)
        out.append(title)
    return out


def _generic(doc: Doc, i: int) -> bool:
    """"a Foreign Minister", "an interim Prime Minister-designate": an office, not its holder."""
    k = i - 1
    while k >= 0 and doc[k].pos_ == "ADJ":
        k -= 1
    return k >= 0 and doc[k].lower_ in GENERIC


TitleReach = tuple[dict[str, Title], int, frozenset[str]]


@cache
def _title_reach(titles: tuple[Title, ...]) -> TitleReach:
    """The title forms, the most tokens a form can span, and every prefix of every form:
    a token whose text is no such prefix cannot start a title."""
    forms = title_forms(titles)
    longest = max((len(f.split()) + f.count("-") * 2 for f in forms), default=0)
    return forms, longest, frozenset(f[:k] for f in forms for k in range(1, len(f) + 1))


def _title_at(doc: Doc, words: Words, i: int, reach: TitleReach) -> tuple[int, Title] | None:
    forms, longest, prefixes = reach
    first = words.text[i]
    if not first[:1].isupper() or first not in prefixes:
        return None
    text, start = words.doc_text, words.start[i]
    for j in range(min(len(doc), i + longest), i, -1):
        title = forms.get(text[start : words.end[j - 1]])  # the text of doc[i:j]
        if title is not None:
            return j, title
    return None


def _extend_title(doc: Doc, end: int, spans: list[Span]) -> int:
    """"Prime Minister-designate", "Minister for Africa": the whole title. The
    portfolio after "for" is the entity written there, else the capitalised words."""
    if end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in ROLE_SUFFIXES:
        end += 2
    if end + 1 < len(doc) and doc[end].lower_ == "for":
        k = end + 1 + (doc[end + 1].lower_ == "the")
        named = next((s for s in spans if s.start == k), None)
        if named is not None:
            return named.end
        stop = k
        while stop < len(doc) and (doc[stop].text[:1].isupper() or
                                   doc[stop].lower_ in ("and", "of") and stop + 1 < len(doc) and doc[stop + 1].text[:1].isupper()):
            stop += 1
        if stop > k:
            end = stop
    return end


def _inside_known(spans: list[Span], i: int) -> bool:
    """Inside a gazetteer name, or a model entity that is not a bare title."""
    return any(s.start <= i < s.end and s.id_ for s in spans)


def _person_at(spans: list[Span], i: int) -> Span | None:
    return next((s for s in spans if s.start == i and LABEL_TYPE.get(s.label_) == "Person"), None)


def _name_after(doc: Doc, i: int, spans: list[Span], cues: MentionCues) -> list[Span]:
    """After a title or honorific, the capitalised proper nouns that follow are a person's
    name ("President Hollande"), unless the model or the gazetteer already named them."""
    end = i
    while end < len(doc) and end - i < MAX_NAME_TOKENS and _name_token(doc[end], cues):
        end += 1
    while end > i and not _namelike(doc[end - 1], cues):
        end -= 1
    if end == i or not any(t.pos_ == "PROPN" for t in doc[i:end]):
        return spans
    overlapping = [s for s in spans if s.start < end and i < s.end]
    if any(s.id_ or LABEL_TYPE.get(s.label_) == "Person" or s.end > end or s.start < i for s in overlapping):
        return spans
    kept = [s for s in spans if s not in overlapping]
    return sorted([*kept, Span(doc, i, end, label="PERSON")], key=lambda s: s.start)


def _name_token(token, cues: MentionCues) -> bool:
    if token.is_punct and token.text != "-":
        return False
    if token.text == "-":
        return token.i + 1 < len(token.doc) and token.nbor().text[:1].isupper()
    return (token.pos_ == "PROPN" and _namelike(token, cues)) or _particle(token, cues)


def _qualifier(doc: Doc, spans: list[Span], start: int, end: int) -> str | None:
    """Whose office the title is, said beside it: "the Iraqi ...", "Iraq's ...", "... of Iraq"."""
    before = start - 1 - (start >= 2 and doc[start - 1].lower_ in ("'s", "’s"))
    owner = next((s for s in spans if s.id_ and before >= 0 and s.start <= before < s.end), None)
    if owner is not None:
        return owner.text
    if end + 1 < len(doc) and doc[end].lower_ == "of":
        owner = next((s for s in spans if s.id_ and s.start == end + 1), None)
        return owner.text if owner is not None else None
    return None


def _beside(doc: Doc, spans: list[Span], start: int, end: int) -> Span | None:
    """The person an apposition names: "Ruth Kamau, Minister for ..." or "..., Ruth Kamau",
    also after whose office it is ("the 20th Prime Minister of Canada, Jean Chrétien")."""
    if end < len(doc) and doc[end].lower_ == "of":
        owner = next((s for s in spans if s.start in (end + 1, end + 2) and LABEL_TYPE.get(s.label_) != "Person"), None)
        if owner is not None and all(t.lower_ == "the" for t in doc[end + 1 : owner.start]):
            end = owner.end
    if end + 1 < len(doc) and doc[end].text == ",":
        person = _person_at(spans, end + 1)
        if person is not None:
            return person
    if start >= 2 and doc[start - 1].text == ",":
        return next((s for s in spans if s.end == start - 1 and LABEL_TYPE.get(s.label_) == "Person"), None)
    return None


def _title_holders(attached: list[tuple[str, Span]], titles: list[TitleMention], key_of: dict,
                   resolved: list[Candidate], known: dict) -> dict[str, set[str]]:
    """Title as written (lower case) -> keys of the persons the article names with it
    ("Home Secretary Yvette Cooper", "Ruth Kamau, Minister for ..."), or who hold it
    in the gazetteer. Keyed by the written form, not the title's row: "the Home
    Secretary" of a British statement is not "Pakistani Interior Minister Mohsin Naqvi",
    although both forms are one title."""
    pairs = [*attached, *((t.form, t.person) for t in titles if t.person is not None)]
    holders: dict[str, set[str]] = {}
    for form, person in pairs:
        if (person.start, person.end) in key_of:
            holders.setdefault(form, set()).add(key_of[(person.start, person.end)])
    for cand in resolved:
        entry = known.get(cand.key)
        if entry is not None and entry.title:
            holders.setdefault(entry.title.lower(), set()).add(cand.key)
    return holders


def _title_key(doc: Doc, found: TitleMention, key_of: dict, holders: dict[str, set[str]], scope: str) -> str:
    """The person a title names: the one beside it, else the one person the article (or
    the gazetteer) gives that title. A title nobody in the article is named with is an office holder of its own, keyed by
    the title, whose office it is and the article (`scope`): "the President" of one story
    is not taken for the President of another ("person/iraqi-foreign-minister-1f2e3d4c")."""
    if found.person is not None and (found.person.start, found.person.end) in key_of:
        return key_of[(found.person.start, found.person.end)]
    keys = holders.get(found.form, set())
    if len(keys) == 1 and found.qualifier is None:
        return next(iter(keys))
    return f"person/{slug(_title_name(doc, found))}-{scope}"


def _title_name(doc: Doc, found: TitleMention) -> str:
    title = doc[found.start : found.end].text
    return f"{found.qualifier} {title}" if found.qualifier else title


# ---------------------------------------------------------------------------
# bodies named by a country and a noun


POSSESSIVE = frozenset({"'s", "’s"})


def _collectives(doc: Doc, words: Words, spans: list[Span], cues: MentionCues) -> list[Span]:
    """"the Iraqi government" (Iraq), "the Syrian army" (a group), "the Assad regime"."""
    nouns = sorted(cues.collectives.items(), key=lambda item: -len(item[0]))  # longest first
    out: list[Span] = []
    for span in spans:
        grown = _collective(doc, words, span, nouns)
        out.append(grown or span)
    grown = [s for s, old in zip(out, spans) if s is not old]
    # "Peru's Congress" is Peru's, not the gazetteer's (U.S.) Congress that "Congress" alone is
    return [s for s in out if not any(g is not s and g.start <= s.start and s.end <= g.end for g in grown)]


def _collective(doc: Doc, words: Words, span: Span, nouns: list[tuple[tuple[str, ...], str]]) -> Span | None:
    country = span.id_.startswith("country/")
    person = span.id_.startswith("person/") or LABEL_TYPE.get(span.label_) == "Person" and not span.id_
    if not (country or person):
        return None
    size = len(doc)
    after = span.end + (country and span.end < size and words.lower[span.end] in POSSESSIVE)  # "Peru's Congress"
    following = words.lower[after] if after < size else None
    for noun, kind in nouns:
        if noun and noun[0] != following:
            continue
        end = after + len(noun)
        if end > size or tuple(words.lower[after:end]) != noun:
            continue
        if end < len(doc) and doc[end].pos_ in ("NOUN", "PROPN") and not doc[end].is_punct:
            return None  # "Syrian army officers": the noun is a modifier
        if kind == "State" and country:
            grown = Span(doc, span.start, end, label=span.label_)
            grown.id_ = span.id_
            return grown
        if person and kind != "State":
            return None
        capitalised = all(t.text[:1].isupper() or t.lower_ in ("of", "the", "and") for t in doc[after:end])
        label = "ORG" if person or (kind == "Body" and capitalised) else GROUP_LABEL
        return Span(doc, span.start, end, label=label)
    return None


# ---------------------------------------------------------------------------
# people named as a group

GROUP_QUALIFIER_DEPS = ("amod", "compound", "nmod")
NOT_QUALIFIERS = {"key", "other", "many", "several", "some", "such", "various", "more", "most", "few", "all", "both"}


def _group_nouns(doc: Doc, words: Words, cues: MentionCues, named: dict[int, str]) -> list[tuple[int, int, int]]:
    """(start, end, head) of each group noun no name covers, with the words that qualify it
    ("riot police", "Rwandan rebels", "Syrian regime aircrew"), or of a group phrase."""
    found = []
    longest = max((len(g) for g in cues.groups), default=0)
    heads = {g[-1] for g in cues.groups}
    for i, pos in enumerate(words.pos):
        if pos != "NOUN" or i in named or (words.lemma[i] not in heads and words.lower[i] not in heads):
            continue
        phrase = next((n for n in range(longest, 1, -1) if i - n + 1 >= 0
                       and tuple(words.lower[i - n + 1 : i + 1]) in cues.groups), None)
        if phrase is None and (words.lemma[i],) not in cues.groups:
            continue
        token = doc[i]
        plural = token.tag_ in ("NNS", "NNPS")
        qualified = any(c.dep_ in GROUP_QUALIFIER_DEPS and (c.ent_type_ in ("NORP", "GPE", "ORG") or c.pos_ == "PROPN")
                        for c in token.lefts)
        if phrase is None and not plural and not qualified and (words.lemma[i],) not in cues.collective_groups:
            continue  # "a prisoner", "the refugee": one person, no group; "a U.S. soldier" is named
        start = token.i - phrase + 1 if phrase else token.i
        qualifiers = [c for c in token.lefts if c.dep_ in GROUP_QUALIFIER_DEPS and c.pos_ in ("ADJ", "NOUN", "PROPN")
                      and c.lower_ not in NOT_QUALIFIERS and c.i < start]
        if qualifiers:
            start = min(start, min(q.left_edge.i for q in qualifiers))
        while start < token.i and (doc[start].is_punct or doc[start].lower_ in LEADING or doc[start].pos_ == "DET"):
            start += 1
        found.append((start, token.i + 1, token.i))
    return found


def _candidate(span: Span, text: str, known: dict) -> Candidate:
    surface = text[span.start_char : span.end_char]
    if span.id_:
        return Candidate(text=surface, type=known[span.id_].type, start=span.start_char, end=span.end_char, key=span.id_)
    return Candidate(text=surface, type=LABEL_TYPE[span.label_], start=span.start_char, end=span.end_char)
