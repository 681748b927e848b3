"""What an event's clause says beside its parties: topics, goods, time and duration, ordinal,
and what a statement says."""
from __future__ import annotations

from spacy.tokens import Doc

from kg.extract import timex
from kg.extract.lexicon import Lexicon
from kg.extract.paths import Parse

CLAUSE_DEPS = frozenset({"ccomp", "relcl", "advcl", "conj", "xcomp", "csubj", "parataxis"})
LABEL_STOPWORDS = frozenset({"key", "such", "other", "many", "several", "various"})
EDGE_WORDS = frozenset({",", ":", ";", "-", "--", "\"", "'", "\u201c", "\u201d", "\u2018", "\u2019", "."})
MAX_CONTENT = 300  # characters of a statement's content kept
TRAILING_WORDS = frozenset({"and", "but", "or", "as", "while"})
CONTRAST_MARKS = frozenset({"while", "whereas"})


def times(doc: Doc) -> tuple[tuple[int, str, str], ...]:
    """(root token index, the word the root hangs from, text) of each date and time of `doc`."""
    return tuple((ent.root.i, ent.root.head.lower_, ent.text) for ent in doc.ents if ent.label_ in ("DATE", "TIME"))


def topic_heads(tokens: list[int], parse: Parse, index, lexicon: Lexicon) -> list[int]:
    """Topic nouns: "key topics including X, Y and Z" is X, Y and Z; "the removal of X" is X."""
    heads: list[int] = []
    for t in tokens:
        lemma = parse.lemma[t]
        if lemma in lexicon.generic_topics or lemma in lexicon.transparent_topics:
            inner = [p for c in parse.kids(t, "prep") for p in parse.kids(c, "pobj")]
            if inner or lemma in lexicon.generic_topics:
                heads += topic_heads([c for p in inner for c in parse.conjuncts(p)], parse, index, lexicon)
                continue
        if parse.pos[t] in ("NOUN", "PROPN") and index.at(t) is None and parse.ent[t] not in ("DATE", "TIME"):
            heads.append(t)
    return list(dict.fromkeys(heads))


def label(t: int, parse: Parse, index) -> str:
    """The noun with its adjective and noun modifiers: "regional security" (no entities)."""
    doc = parse.doc
    words = [c for c in parse.children[t] if c < t and parse.dep[c] in ("amod", "compound") and parse.pos[c] in ("ADJ", "NOUN")]
    words = [w for w in words if parse.lower[w] not in LABEL_STOPWORDS and index.at(w) is None
             and not doc[w].text[:1].isupper()]
    text = " ".join([*(doc[w].text for w in words), doc[t].text])
    return text if parse.pos[t] == "PROPN" else text.lower()


def ordinal(i: int, parse: Parse) -> int | None:
    """3 for "a third round of negotiations" or "the third round"."""
    holders = [i]
    if parse.dep[i] == "pobj" and not parse.is_root(parse.head[i]):
        holders.append(parse.head[parse.head[i]])
    for holder in holders:
        for child in parse.children[holder]:
            value = timex.ordinal(parse.lower[child])
            if value:
                return value
    return None


def time_of(anchor: int, i: int, parse: Parse, times) -> tuple[str | None, str | None]:
    """(time expression as written, xsd:duration) from the clause of the trigger."""
    within = clause_tokens(anchor, parse) | clause_tokens(i, parse)
    time_text = duration = None
    for root, governor, text in times:
        if root not in within:
            continue
        if governor == "for" and timex.duration(text):
            duration = duration or timex.duration(text)
        elif time_text is None:
            time_text = text
    return time_text, duration


def clause_tokens(i: int, parse: Parse) -> set[int]:
    """Indices of the tokens of the clause of token `i`: its subtree, without clauses."""
    out: set[int] = set()
    stack = [i]
    while stack:
        k = stack.pop()
        out.add(k)
        stack.extend(c for c in parse.children[k] if parse.dep[c] not in CLAUSE_DEPS)
    return out


def said(heads: list[int], trigger: int, parse: Parse, text: str, *, speech: tuple[str, ...] = (),
         calling: frozenset[str] = frozenset()) -> str | None:
    """What a statement says, as `text` words it: the clause its verb introduces ("that
    Beijing would retaliate") or, for "..., officials said", the clause it trails; up to
    another verb of `speech` in it ("..., adding that ..." is a statement of its own); without
    the opening "that", quotes and edge punctuation; None when nothing is left."""
    doc = parse.doc
    own = [t.i for t in doc[trigger].subtree]
    for head in heads:
        tokens = [t.i for t in doc[head].subtree]
        if trigger in tokens:  # "..., officials said": the clause before the verb's own words
            tokens = [t for t in tokens if t < own[0]]
        other = [t.i for k in tokens if k != head and parse.lemma[k] in speech and parse.pos[k] == "VERB"
                 for t in doc[k].subtree]
        other += [t.i for k in _glosses(head, trigger, parse, calling) for t in doc[k].subtree]
        if other:
            tokens = [t for t in tokens if t < min(other)]
        tokens += _calling(trigger, tokens, parse, calling)
        # the opening "that" goes; "if" and "whether" stay: they are part of what was said
        while tokens and (parse.lower[tokens[0]] in EDGE_WORDS or parse.lower[tokens[0]] == "that"
                          and parse.dep[tokens[0]] == "mark"):
            tokens.pop(0)
        while tokens and (parse.lower[tokens[-1]] in EDGE_WORDS or parse.lower[tokens[-1]] in TRAILING_WORDS):
            tokens.pop()
        if tokens:
            first, last = doc[tokens[0]], doc[tokens[-1]]
            content = text[first.idx:last.idx + len(last.text)]
            return content if len(content) <= MAX_CONTENT else content[:MAX_CONTENT - 1].rstrip() + "\u2026"
    return None


def _calling(trigger: int, tokens: list[int], parse: Parse, calling: frozenset[str]) -> list[int]:
    """What the speaker calls the thing said of, right after it: "said the attack was
    unacceptable, calling it a violation of international law", "described the strike as a
    war crime", "called the tariffs unjustified"."""
    if not tokens:
        return []
    for k in parse.children[trigger]:
        start, end = parse.doc[k].left_edge.i, parse.doc[k].right_edge.i
        after_comma = start == tokens[-1] + 2 and parse.lower[start - 1] == ","
        if parse.dep[k] == "advcl" and parse.tag[k] == "VBG" and parse.lemma[k] in calling and after_comma:
            return list(range(start - 1, end + 1))
        if (parse.dep[k] == "oprd" or parse.dep[k] == "prep" and parse.lower[k] == "as") and start == tokens[-1] + 1:
            return list(range(start, end + 1))
    return []


def _glosses(head: int, trigger: int, parse: Parse, calling: frozenset[str]) -> list[int]:
    """Words under the said clause's head that the writer adds, not the speaker: a contrast
    ("..., while the opposition welcomed it"), a participle after a comma ("..., alluding
    to Beijing's curbs"), and a verb the speaker did in the speech verb's tense after a
    clause told with a modal ("Venezuela would withdraw its staff and demanded ...")."""
    found = []
    for k in parse.children[head]:
        dep, tag = parse.dep[k], parse.tag[k]
        if dep == "advcl" and any(parse.lower[m] in CONTRAST_MARKS for m in parse.kids(k, "mark")):
            found.append(k)
        elif dep == "advcl" and tag == "VBG" and parse.lower[k - 1] == "," and parse.lemma[k] not in calling:
            found.append(k)  # (what the speaker calls it is said too: "..., calling it a violation")
        elif dep == "conj" and parse.pos[k] == "VERB" and not parse.kids(k, ("nsubj", "nsubjpass")) \
                and tag == parse.tag[trigger] == "VBD" and any(parse.tag[a] == "MD" for a in parse.kids(head, "aux")):
            found.append(k)
    return found
