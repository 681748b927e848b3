"""Entity and event resolution across articles: which nodes are the same, and why.

kg names an entity by its name in each article, so one person may be two nodes across an
archive ("Al-Sharaa" and "Ahmed al-Sharaa"), and one summit as many events as articles
report it. `plan_merges` finds such nodes by rules that are conservative and explainable,
each `Merge` saying which rule joined what; `apply_merges` folds them, keeping every IRI
(`same_as`), name (`aliases`), article and evidence. The rules, over nodes of one type:

- `same name`: the names are equal once case, accents, hyphens and spaces are set aside.
- `alias`: one entity's name is another's alias (a name it goes by in some article), and
  no other entity of the type goes by that name.
- `surname`: a person named by one word of three letters or more ("Petrov") and exactly
  one person of the archive whose full name ends in that word; with two or more candidates
  nothing merges.
- `acronym`: an organisation or group named by capitals ("RUF") and exactly one whose
  alias is those capitals, or else whose name's initials they are ("Revolutionary United
  Front").
- `same event`: events of one class, modality and verb, with the same agents, targets and
  things once entities are merged, on the same ISO day (kg:date); summits with no date of
  their own are one occasion when their articles are at most `OCCASION_DAYS` apart.

What is left ambiguous is reported (`MergePlan.ambiguous`), never merged.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from kg.analyze.records import EntityNode, EventNode, Evidence, event_roles, is_entity, is_event

OCCASION_DAYS = 3
OCCASIONS = frozenset({"Summit"})  # classes (and subclasses) whose reports name one occasion
_PARTICLES = frozenset({"al", "el", "ad", "as", "bin", "ibn", "bint", "van", "von", "der", "de", "del", "da",
                        "di", "du", "le", "la", "ben", "abu"})
_MINOR = frozenset({"of", "the", "and", "for", "in", "on", "to", "&", "de", "du", "des", "la", "le"})
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")
_ORGS = frozenset({"Organization", "Group"})


@dataclass(frozen=True)
class Merge:
    """`merged` is folded into `kept`, by `rule`, for the reason given."""

    kind: str  # "entity" or "event"
    kept: str
    merged: str
    kept_label: str
    merged_label: str
    rule: str
    reason: str


@dataclass(frozen=True)
class Ambiguity:
    """A name that could be any of several entities, so joins none."""

    iri: str
    label: str
    rule: str
    candidates: tuple[str, ...]  # labels


@dataclass(frozen=True)
class MergePlan:
    merges: tuple[Merge, ...] = ()
    ambiguous: tuple[Ambiguity, ...] = ()
    canonical: dict[str, str] = field(default_factory=dict)  # merged IRI -> kept IRI

    def of(self, kind: str) -> tuple[Merge, ...]:
        return tuple(m for m in self.merges if m.kind == kind)


def fold(name: str) -> str:
    """A name compared without case, accents, apostrophes or dots, a hyphen read as a space
    ("Al-Jazeera" is "Al Jazeera"; "George Town" stays apart from "Georgetown")."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’`.]+", "", text)
    return " ".join(re.split(r"[\s\-‐‑–]+", text)).strip()


def surnames(name: str) -> set[str]:
    """The folded ways a full name may be cut to its surname: "Abdel Fattah al-Burhan" gives
    alburhan and burhan; one-word names give none."""
    words = name.split()
    if len(words) < 2:
        return set()
    last = words[-1]
    keys = {fold(last)}
    head, _, rest = last.partition("-")
    if rest and head.casefold() in _PARTICLES:
        keys.add(fold(rest))
    if len(words) > 2 and words[-2].casefold() in _PARTICLES:
        keys.add(fold(words[-2] + " " + last))
    return keys


def initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.casefold() not in _MINOR]
    return "".join(w[0] for w in words if w[0].isalpha()).upper() if len(words) > 1 else ""


class _Union:
    def __init__(self, rank: dict[str, tuple]) -> None:
        self.parent: dict[str, str] = {}
        self.rank = rank  # the better node of two is kept: lower rank tuple

    def find(self, x: str) -> str:
        while self.parent.get(x, x) != x:
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> str | None:
        """Join the groups of `a` and `b`; the root that is no longer one, if any."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        keep, drop = sorted((ra, rb), key=lambda n: self.rank[n])
        self.parent[drop] = keep
        return drop


def plan_merges(g: nx.MultiDiGraph) -> MergePlan:
    """What `apply_merges` would fold in `g`, and why."""
    entities = {n: EntityNode.of(a) for n, a in g.nodes(data=True) if is_entity(a)}
    # the node kept is the one with the fullest name, then the most articles
    rank = {n: (-len((e.label or "").split()), -len(e.articles or ()), -len(e.label or ""), n)
            for n, e in entities.items()}
    union = _Union(rank)
    index = _NameIndex(entities, g.graph.get("acronyms", {}))
    found: list[tuple[str, str, str, str]] = []  # (a, b, rule, reason)
    ambiguous: list[Ambiguity] = []
    for n, e in sorted(entities.items()):
        for a, rule, reason in _entity_matches(n, e, index, ambiguous):
            found.append((a, n, rule, reason))
    why: dict[str, tuple[str, str]] = {}  # merged node -> (rule, reason) of its join
    for a, b, rule, reason in found:
        dropped = union.join(a, b)
        if dropped is not None:
            why[dropped] = (rule, reason)
    canonical = {n: union.find(n) for n in entities if union.find(n) != n}
    entity_merges = [Merge("entity", kept, n, _label(g, kept), _label(g, n), *why[n])
                     for n, kept in sorted(canonical.items(), key=lambda nk: (nk[1], nk[0]))]
    event_merges, event_canonical = _event_merges(g, canonical)
    canonical.update(event_canonical)
    return MergePlan(merges=tuple(entity_merges + event_merges), ambiguous=tuple(ambiguous), canonical=canonical)


def _label(g: nx.MultiDiGraph, node: str) -> str:
    return str(g.nodes[node].get("label") or node)


class _NameIndex:
    """Entities by folded name, alias, surname and initials, for lookups in constant time."""

    def __init__(self, entities: dict[str, EntityNode], defined: dict[str, dict[str, str]]) -> None:
        self.entities = entities
        self.defined: dict[str, list[str]] = {}  # acronym -> entities an article defines it as
        self.names: dict[tuple[str, str], list[str]] = {}
        self.aliases: dict[tuple[str, str], list[str]] = {}
        self.surnames: dict[str, list[str]] = {}
        self.acronyms: dict[str, list[str]] = {}
        self.initials: dict[str, list[str]] = {}
        for n, e in sorted(entities.items()):
            name, kind = e.label or "", str(e.type)
            self.names.setdefault((kind, fold(name)), []).append(n)
            for alias in {fold(a) for a in e.aliases or ()}:
                self.aliases.setdefault((kind, alias), []).append(n)
            if kind == "Person":
                for key in surnames(name):
                    self.surnames.setdefault(key, []).append(n)
            if kind in _ORGS and not _ACRONYM.match(name):
                for alias in {a for a in e.aliases or () if _ACRONYM.match(a)}:
                    self.acronyms.setdefault(alias, []).append(n)
                if initials(name):
                    self.initials.setdefault(initials(name), []).append(n)
        folded = {}
        for n, e in entities.items():
            if e.type in _ORGS:
                folded.setdefault(fold(e.label or ""), []).append(n)
        for acronym, expansions in defined.items():
            found = {m for expansion in expansions for m in folded.get(fold(expansion), ())}
            if found:
                self.defined[acronym] = sorted(found)

    def label(self, n: str) -> str:
        return self.entities[n].label or n


def _entity_matches(n: str, e: EntityNode, index: _NameIndex,
                    ambiguous: list[Ambiguity]) -> Iterable[tuple[str, str, str]]:
    """The entities `n` is the same as, each with its rule and reason."""
    name, kind = e.label or "", str(e.type)
    key = fold(name)
    same = [m for m in index.names.get((kind, key), ()) if m != n]
    for m in same:
        if m < n:
            yield m, "same name", f"'{name}' and '{index.label(m)}' differ only in case, accents or hyphens"
    if same:
        return
    candidates = []
    if kind in _ORGS and _ACRONYM.match(name):
        candidates.append(("acronym", [m for m in index.defined.get(name, ()) if m != n],
                           "an article defines '{name}' as '{other}' (\"{other} ({name})\"), and as nothing else"))
        candidates.append(("acronym", [m for m in index.acronyms.get(name, ()) if m != n],
                           "'{other}' goes by '{name}' in an article, and no other organisation does"))
    candidates.append(("alias", [m for m in index.aliases.get((kind, key), ()) if m != n],
                       "'{other}' goes by '{name}' in another article, and no other " + kind + " does"))
    if kind == "Person" and len(name.split()) == 1 and len(key) >= 3:
        candidates.append(("surname", [m for m in index.surnames.get(key, ()) if m != n],
                           "'{name}' is the surname of '{other}', the only " + kind + " of the archive so named"))
    if kind in _ORGS and _ACRONYM.match(name):
        candidates.append(("acronym", [m for m in index.initials.get(name, ()) if m != n],
                           "'{name}' is made of the initials of '{other}', and of no other organisation"))
    for rule, found, reason in candidates:
        if len(found) == 1:
            yield found[0], rule, reason.format(name=name, other=index.label(found[0]))
            return
        if len(found) > 1:
            ambiguous.append(Ambiguity(n, name, rule, tuple(sorted(index.label(m) for m in found))))
            return


def _event_merges(g: nx.MultiDiGraph, canonical: dict[str, str]) -> tuple[list[Merge], dict[str, str]]:
    parents = g.graph.get("event_classes", {})
    groups: dict[tuple, list[tuple[str, EventNode]]] = {}
    for n, a in g.nodes(data=True):
        if not is_event(a):
            continue
        roles: dict[str, set[str]] = {"agent": set(), "target": set(), "object": set()}
        for role, members in event_roles(g, n).items():
            roles.setdefault(role, set()).update(canonical.get(m, m) for m in members)
        event = EventNode.of(a)
        if not roles["agent"] and not roles["target"]:
            continue  # nothing but a class and a day: too little to say two reports are one
        key = (event.event_type, event.modality, event.lemma, frozenset(roles["agent"]),
               frozenset(roles["target"]), frozenset(roles["object"]))
        groups.setdefault(key, []).append((n, event))
    merges: list[Merge] = []
    folded: dict[str, str] = {}
    several = [(key, members) for key, members in groups.items() if len(members) > 1]
    for key, members in sorted(several, key=lambda kv: sorted(m for m, _ in kv[1])):
        occasion = _in_occasion(key[0], parents)
        for cluster in _same_time(members, occasion=occasion):
            kept, kept_event = min(cluster, key=lambda me: (-len(me[1].articles or ()), me[0]))
            for n, event in sorted(cluster):
                if n == kept:
                    continue
                folded[n] = kept
                if _iso(event.date):
                    why = f"both on {_iso(event.date)}"
                else:
                    why = f"articles of {event.when} and {kept_event.when}, within {OCCASION_DAYS} days"
                merges.append(Merge("event", kept, n, _label(g, kept), _label(g, n), "same event",
                                    f"same class ({key[0]}), modality and actors, {why}"))
    return merges, folded


def _in_occasion(cls: str | None, parents: dict[str, str]) -> bool:
    seen = set()
    while cls and cls not in seen:
        if cls in OCCASIONS:
            return True
        seen.add(cls)
        cls = parents.get(cls)
    return False


def _iso(value: str | None) -> str | None:
    return value if value and re.match(r"^\d{4}-\d{2}-\d{2}$", value) else None


def _same_time(members: list[tuple[str, EventNode]], *, occasion: bool) -> list[list[tuple[str, EventNode]]]:
    """Events on the same ISO day; for occasions without a day, runs of articles at most
    OCCASION_DAYS apart."""
    clusters: dict[str, list[tuple[str, EventNode]]] = {}
    undated: list[tuple[date, str, EventNode]] = []
    for n, event in members:
        day = _iso(event.date)
        if day:
            clusters.setdefault(day, []).append((n, event))
        elif occasion and event.when:
            undated.append((date.fromisoformat(event.when), n, event))
    runs: list[list[tuple[str, EventNode]]] = [c for _, c in sorted(clusters.items()) if len(c) > 1]
    undated.sort()
    run: list[tuple[date, str, EventNode]] = []
    for item in undated:
        if run and (item[0] - run[-1][0]).days > OCCASION_DAYS:
            if len(run) > 1:
                runs.append([(n, e) for _, n, e in run])
            run = []
        run.append(item)
    if len(run) > 1:
        runs.append([(n, e) for _, n, e in run])
    return runs


def apply_merges(g: nx.MultiDiGraph, plan: MergePlan, *, copy: bool = True) -> nx.MultiDiGraph:
    """The graph with each merged node folded into the node kept: its IRI in `same_as`, its
    name among the `aliases`, its articles and evidence added; edges follow, and an event's
    links to the same actor in the same role are kept once. A new graph, unless `copy` is
    False: then `g` itself, changed where nodes merge (the rest, most of it, untouched)."""
    if not plan.canonical:
        return g
    out = g.copy() if copy else g
    to = plan.canonical
    members: dict[str, list[str]] = {}
    for n in to:
        members.setdefault(to[n], [to[n]]).append(n)
    evidence = dict(g.graph.get("evidence", {}))
    moved = {(u, v, k): attrs for n in to for u, v, k, attrs in (*out.in_edges(n, keys=True, data=True),
                                                                 *out.out_edges(n, keys=True, data=True))}
    for kept, group in sorted(members.items()):
        attrs = _folded(out, kept, sorted(set(group)), evidence)
        out.nodes[kept].clear()
        out.nodes[kept].update(attrs)
    out.graph["evidence"] = evidence
    out.remove_nodes_from(to)
    kept_nodes = set(members)
    seen = {(u, v, str(a.get("relation"))) for n in kept_nodes for u, v, a in (*out.in_edges(n, data=True),
                                                                              *out.out_edges(n, data=True))
            if a.get("kind") in ("event", "concerns")}
    for (u, v, _), attrs in sorted(moved.items(), key=lambda item: (str(item[0][0]), str(item[0][1]), item[0][2])):
        a, b = to.get(u, u), to.get(v, v)
        if a == b:
            continue
        if attrs.get("kind") in ("event", "concerns"):
            key = (a, b, str(attrs.get("relation")))
            if key in seen:
                continue
            seen.add(key)
        out.add_edge(a, b, **attrs)
    return out


def _folded(g: nx.MultiDiGraph, kept: str, group: list[str], evidence: dict[str, Any]) -> dict[str, Any]:
    attrs = dict(g.nodes[kept])
    others = [n for n in group if n != kept]
    if not others:
        return attrs
    articles = sorted({a for n in group for a in g.nodes[n].get("articles") or ()})
    attrs["same_as"] = tuple(others)
    if articles:
        attrs["articles"] = tuple(articles)
    if is_event(attrs):
        readings: list[Evidence] = [e for n in group for e in evidence.pop(n, ())]
        evidence[kept] = tuple(sorted(set(readings), key=lambda e: (e.sentence, e.article, e.rule)))
    else:
        names = {str(g.nodes[n].get("label")) for n in others} | set(attrs.get("aliases") or ())
        names |= {a for n in others for a in g.nodes[n].get("aliases") or ()}
        names.discard(str(attrs.get("label")))
        attrs["aliases"] = tuple(sorted(names))
    return attrs
