"""Standing relations: what a sentence says holds between two entities ("Bern, the Swiss
capital", "the Tokyo-based Sony", "a Reuters correspondent"), read by the rules of
kg/data/links.toml.

A rule starts at the head word of a mention of its subject's type and follows its paths to
a mention of its object's type. A relation is dropped when a word on the way is negated,
when it contradicts the gazetteer (a place it puts in one country said to lie in
another), when the two names are a pair joined by a dash ("the UK-EU summit", "the
Israel-Hamas war") and when one of them is a person known only by a title ("the Polish PM"). The rules are validated when loaded: an unknown key, a relation the ontology does
not declare, an entity type or a path that cannot be read is a LinkRulesError naming the rule.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path as FilePath

from kg.errors import KGError
from kg.extract.classes import standing_relations
from kg.extract.mentions import MentionIndex
from kg.extract.paths import DASHES, Grammar, Parse, Path, PathError, compile_path, follow
from kg.gazetteer import GazetteerEntry
from kg.model import Evidence, Link

RULES_FILE = "links.toml"
ENTITY_TYPES = ("Person", "Country", "Organization", "Group", "Location")
PLACE_TYPES = frozenset({"Location", "Country"})
RULE_KEYS = frozenset({"rule", "relation", "subject", "object", "paths", "unless", "confidence"})
WORD_LIST = re.compile(r"\$(\w+)")
NO_GRAMMAR = Grammar(light_verbs=frozenset(), container_nouns=frozenset())


class LinkRulesError(KGError):
    """The standing-relation rules cannot be used as written; the message names the rule."""


@dataclass(frozen=True)
class LinkRule:
    rule: str
    relation: str  # a standing relation of the ontology: locatedIn, basedIn, ...
    subjects: frozenset[str]  # entity types
    objects: frozenset[str]
    paths: tuple[Path, ...]
    confidence: float
    unless: tuple[Path, ...] = ()  # paths from the subject that must reach nothing


@dataclass(frozen=True)
class LinkRules:
    version: str
    rules: tuple[LinkRule, ...]

    def starting_at(self, entity_type: str) -> tuple[LinkRule, ...]:
        return tuple(r for r in self.rules if entity_type in r.subjects)


def find_links(parse: Parse, index: MentionIndex, rules: LinkRules, known: dict[str, GazetteerEntry], *,
               article_id: str, text: str) -> list[Link]:
    """The standing relations of one parsed doc, each (relation, subject, object) once per
    sentence, the surest reading kept."""
    found: dict[tuple, Link] = {}
    for i, subject in _heads(parse, index):
        if subject in index.offices:
            continue
        kind = index.entities[subject].type
        for rule in rules.starting_at(kind):
            if any(follow(p, i, parse, NO_GRAMMAR) for p in rule.unless):
                continue
            for obj, j in _reached(_stands_for(i, parse, index), rule, parse, index):
                if obj == subject or obj in index.offices or index.entities[obj].type not in rule.objects:
                    continue
                if _paired(i, j, parse):
                    continue
                if _negated(i, j, parse) or _contradicts(rule.relation, subject, obj, known):
                    continue
                link = _link(rule, rules.version, subject, obj, i, j, parse, article_id=article_id, text=text)
                key = (rule.relation, subject, obj, link.evidence.sentence)
                if key not in found or found[key].evidence.confidence < link.evidence.confidence:
                    found[key] = link
    return list(found.values())


def _heads(parse: Parse, index: MentionIndex) -> list[tuple[int, str]]:
    """(token, entity key) of the head word of each mention: the word whose head lies outside it."""
    heads = []
    for i, key in sorted(index.by_token.items()):
        head = parse.head[i]
        if head == i or index.at(head) != key or not _inside(i, head, key, index):
            heads.append((i, key))
    return heads


def _inside(i: int, head: int, key: str, index: MentionIndex) -> bool:
    """Whether `head` belongs to the same mention as `i` (no token of another entity between)."""
    low, high = sorted((i, head))
    return all(index.at(t) == key for t in range(low, high + 1))


def _stands_for(i: int, parse: Parse, index: MentionIndex) -> list[int]:
    """Where a mention's relations start: its head word, and the description it names when it
    is in apposition to one ("the 20th Prime Minister of Canada, Jean Chrétien, was born
    in ...": what is said of the Prime Minister is said of Chrétien)."""
    head = parse.head[i]
    if parse.dep[i] == "appos" and head != i and index.at(head) is None and parse.pos[head] in ("NOUN", "PROPN"):
        return [i, head]
    return [i]


def _reached(starts: list[int], rule: LinkRule, parse: Parse, index: MentionIndex) -> list[tuple[str, int]]:
    """The entities the rule's paths reach, with the words coordinated with them and, for a
    place, the region written after it ("of Toledo, Ohio": Toledo and Ohio)."""
    out = []
    for path, start in ((p, s) for p in rule.paths for s in starts):
        for token in follow(path, start, parse, NO_GRAMMAR):
            for t in parse.conjuncts(token):
                key = index.at(t)
                if key is None:
                    continue
                found = [(key, t)]
                if index.entities[key].type in PLACE_TYPES:
                    found += [(k, a) for a in parse.kids(t, "appos") if (k := index.at(a))
                              and index.entities[k].type in PLACE_TYPES]
                out += [f for f in found if f not in out]
    return out


def _paired(i: int, j: int, parse: Parse) -> bool:
    """The two names written as a pair, a dash between them: "UK-EU", "Israel–Hamas"."""
    low, high = sorted((i, j))
    between = range(low + 1, high)
    return any(parse.lower[k] in DASHES for k in between) and all(
        parse.lower[k] in DASHES or parse.pos[k] == "PROPN" for k in between)


def _negated(i: int, j: int, parse: Parse) -> bool:
    """A word on the dependency path between the two (the ends excluded) is negated."""
    up_i, up_j = _ancestors(i, parse), _ancestors(j, parse)
    common = next((a for a in up_i if a in up_j), None)
    if common is None:
        return False
    between = set(up_i[: up_i.index(common) + 1]) | set(up_j[: up_j.index(common) + 1])
    return any(parse.kids(t, "neg") for t in between - {i, j})


def _ancestors(i: int, parse: Parse) -> list[int]:
    chain = [i]
    while not parse.is_root(chain[-1]) and len(chain) <= len(parse):
        chain.append(parse.head[chain[-1]])
    return chain


def _contradicts(relation: str, subject: str, obj: str, known: dict[str, GazetteerEntry]) -> bool:
    """A place in a country other than the one the gazetteer puts it in, or in a place of
    another country; a person of a country other than the one they serve."""
    if relation not in ("locatedIn", "nationality"):
        return False
    mine = known[subject].country if subject in known else None
    if subject.startswith("country/"):
        mine = subject
    if mine is None:
        return False
    theirs = obj if obj.startswith("country/") else (known[obj].country if obj in known else None)
    return theirs is not None and theirs != mine


def _link(rule: LinkRule, version: str, subject: str, obj: str, i: int, j: int, parse: Parse, *,
          article_id: str, text: str) -> Link:
    doc = parse.doc
    first, last = doc[min(i, j)], doc[max(i, j)]
    sentence = first.sent
    return Link(relation=rule.relation, subject=subject, object=obj, evidence=Evidence(
        article_id=article_id, sentence=text[sentence.start_char:sentence.end_char], start=first.idx,
        end=last.idx + len(last.text), rule=f"{rule.rule}.v{version}", confidence=rule.confidence))


# ---------------------------------------------------------------------------
# reading and checking


def parse_rules(data: dict, relations: frozenset[str], *, source: str = RULES_FILE) -> LinkRules:
    """LinkRules from the parsed TOML; `relations` are the standing relations the ontology declares."""
    unknown = set(data) - {"version", "words", "link"}
    if unknown:
        raise LinkRulesError(f"{source}: unknown section {sorted(unknown)[0]!r} (known: version, words, link)")
    if "version" not in data or "link" not in data:
        raise LinkRulesError(f"{source}: needs a version and [[link]] rules")
    words = data.get("words", {})
    for name, values in words.items():
        if not isinstance(values, list) or not values or not all(isinstance(w, str) and w.strip() == w and w
                                                                  for w in values):
            raise LinkRulesError(f"{source} [words] {name}: a list of words")
    rules = tuple(_rule(raw, words, relations, source) for raw in data["link"])
    seen: set[str] = set()
    for rule in rules:
        if rule.rule in seen:
            raise LinkRulesError(f"{source}: rule id {rule.rule!r} is used twice")
        seen.add(rule.rule)
    return LinkRules(version=str(data["version"]), rules=rules)


def _rule(raw: dict, words: dict[str, list[str]], relations: frozenset[str], source: str) -> LinkRule:
    where = f"{source}: link {raw.get('rule') or '(no rule)'}"
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise LinkRulesError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(RULE_KEYS))})")
    missing = RULE_KEYS - {"confidence", "unless"} - set(raw)
    if missing:
        raise LinkRulesError(f"{where}: missing {sorted(missing)[0]!r}")
    if raw["relation"] not in relations:
        raise LinkRulesError(f"{where}: {raw['relation']!r} is no standing relation of ontology/kg.ttl "
                             f"(known: {', '.join(sorted(relations))})")
    for key in ("subject", "object"):
        bad = [t for t in raw[key] if t not in ENTITY_TYPES]
        if bad or not raw[key]:
            raise LinkRulesError(f"{where}: {key} {bad[0] if bad else '[]'!r} is no entity type ({', '.join(ENTITY_TYPES)})")
    try:
        paths = tuple(compile_path(_expand(p, words, where)) for p in raw["paths"])
        unless = tuple(compile_path(_expand(p, words, where)) for p in raw.get("unless", ()))
    except PathError as err:
        raise LinkRulesError(f"{where}: {err}") from None
    confidence = float(raw.get("confidence", 0.7))
    if not 0 < confidence <= 1:
        raise LinkRulesError(f"{where}: confidence {confidence} is not in (0, 1]")
    return LinkRule(rule=raw["rule"], relation=raw["relation"], subjects=frozenset(raw["subject"]),
                    objects=frozenset(raw["object"]), paths=paths, confidence=confidence, unless=unless)


def _expand(path: str, words: dict[str, list[str]], where: str) -> str:
    def named(match: re.Match) -> str:
        if match.group(1) not in words:
            raise LinkRulesError(f"{where}: path {path!r} names ${match.group(1)}, which [words] does not define")
        return "|".join(words[match.group(1)])

    return WORD_LIST.sub(named, path)


@cache
def load(path: str | None = None) -> LinkRules:
    """The shipped rules, or those at `path`."""
    source = FilePath(path) if path else resources.files("kg.data").joinpath(RULES_FILE)
    try:
        with source.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise LinkRulesError(f"{path or RULES_FILE}: {err}") from None
    return parse_rules(data, standing_relations(), source=str(path) if path else RULES_FILE)
