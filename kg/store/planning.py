"""How kg runs a saved query so that it stays fast on a large Oxigraph store.

Oxigraph joins from the pattern it expects to be smallest, starts from a `VALUES` block, and
decodes a stored string each time ORDER BY compares it. Three steps follow from that; each
keeps the query's answer as SPARQL defines it:

- **first**: a sub-SELECT marked `# kg: first` on its opening line is run alone and replaced
  by a `VALUES` block of its rows, so the rest of the query starts from them;
- **order**: a query ending in `ORDER BY ?a DESC(?b) ...` (plain variables, and LIMIT or
  OFFSET after it) is run without it and its rows sorted here, as SPARQL orders terms
  (unbound, blank nodes, IRIs, then literals: numbers by value, the rest by their text),
  ties by the other columns (so that the pages of an answer are the same whichever is asked);
  variables it sorts by but does not project are projected for the sort and dropped after;
- **window**: a listing whose header says `# page: N` reads `VALUES ?article { UNDEF }`
  marked `# kg: window` (as written, every article: the query stays plain SPARQL that any
  endpoint answers in full) and orders its rows by the article's kg:published first, newest
  first. It is run on the articles of the newest days (every article of each day), more days
  until the page is full, then on all of them (and the undated ones): the page is the one the
  whole answer would give, and it costs the rows of a few days, not of the archive.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import QueryError
from kg.store.results import order_key
from kg.store.sparql import TOKEN

if TYPE_CHECKING:
    from kg.store import Results, Store

FIRST = "# kg: first"
WINDOW = re.compile(r"VALUES\s+\?article\s*\{\s*UNDEF\s*\}\s*#\s*kg: window\b[^\n]*")
ROWS_PER_ARTICLE = 4  # the first window's guess, before the answer tells
GROWTH = 4  # a window too small grows at least this much
DAYS = "SELECT ?published (COUNT(?article) AS ?articles) WHERE { ?article kg:published ?published } GROUP BY ?published"
ARTICLES = "SELECT ?article WHERE { VALUES ?published { %s } ?article kg:published ?published }"


@dataclass(frozen=True)
class Order:
    """A trailing ORDER BY of plain variables: each with whether it is DESC."""

    keys: tuple[tuple[str, bool], ...]
    limit: int | None = None
    offset: int = 0
    added: tuple[str, ...] = ()  # variables projected only to sort by


def run(store: Store, text: str, *, page: int | None = None, offset: int = 0) -> Results:
    """The answer to `text` (parameters bound), `page` rows from `offset` (all if page is None)."""
    text = inline_first(store, text)
    if WINDOW.search(text):
        if page is None:
            return ordered(store, WINDOW.sub("", text))
        return windowed(store, text, page=page, offset=offset)
    results = ordered(store, text)
    return results.slice(offset, page) if page is not None or offset else results


def inline_first(store: Store, text: str) -> str:
    """Each `# kg: first` sub-SELECT replaced by a VALUES block of its answer."""
    while (block := _first_block(text)) is not None:
        start, end = block
        inner = store.query(text[start + 1:end - 1])
        if inner.boolean is not None:
            raise QueryError("a `# kg: first` block must be a sub-SELECT")
        names = " ".join(f"?{v}" for v in inner.variables)
        rows = " ".join("(" + " ".join("UNDEF" if t is None else _written(t) for t in row) + ")" for row in inner.rows)
        text = f"{text[:start]}{{ VALUES ({names}) {{ {rows} }} }}{text[end:]}"
    return text


def _written(term) -> str:  # noqa: ANN001 - an rdflib term, or an Oxigraph one (the endpoint's)
    """A term as SPARQL writes it: rdflib's n3(), Oxigraph's str() (N-Triples)."""
    return term.n3() if hasattr(term, "n3") else str(term)


def _first_block(text: str) -> tuple[int, int] | None:
    """Where the first `{  # kg: first` ... `}` group is: its `{` and just past its `}`."""
    matches = [m for m in TOKEN.finditer(text) if m.lastgroup != "space"]
    for i, m in enumerate(matches[:-1]):
        following = matches[i + 1]
        if m.group() == "{" and following.lastgroup == "comment" and following.group().startswith(FIRST):
            depth = 0
            for n in matches[i:]:
                if n.lastgroup == "punct" and n.group() in "{}":
                    depth += 1 if n.group() == "{" else -1
                    if depth == 0:
                        return m.start(), n.end()
    return None


def ordered(store: Store, text: str) -> Results:
    """Run `text`, doing its trailing ORDER BY (if it has one this module can do) here."""
    order, body = trailing_order(text)
    if order is None:
        return store.query(text)
    results = store.query(body)
    if not all(name in results.variables for name, _ in order.keys):
        return store.query(text)
    kept = tuple(v for v in results.variables if v not in order.added)
    # ties broken by every other column, so that pages of one answer neither repeat nor skip rows
    keys = order.keys + tuple((v, False) for v in results.variables if v not in dict(order.keys))
    return results.sorted_by(keys).slice(order.offset, order.limit).select(kept)


def trailing_order(text: str) -> tuple[Order | None, str]:
    """The query's final ORDER BY (if made of plain variables), and the query without it, its
    LIMIT and OFFSET, and with any variable it sorts by projected."""
    items = [(m.lastgroup, m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)
             if m.lastgroup not in ("space", "comment")]
    depth, last_order = 0, None
    for i, (kind, value, _, _) in enumerate(items):
        if kind == "punct" and value in "({[":
            depth += 1
        elif kind == "punct" and value in ")}]":
            depth -= 1
        elif depth == 0 and kind == "name" and value.upper() == "ORDER":
            last_order = i
    if last_order is None or last_order + 1 >= len(items) or items[last_order + 1][1].upper() != "BY":
        return None, text
    keys, limit, offset, i = [], None, 0, last_order + 2
    while i < len(items):
        kind, value = items[i][0], items[i][1]
        if kind == "var":
            keys.append((value[1:], False))
            i += 1
        elif value.upper() in ("ASC", "DESC") and i + 3 < len(items) and items[i + 1][1] == "(" \
                and items[i + 2][0] == "var" and items[i + 3][1] == ")":
            keys.append((items[i + 2][1][1:], value.upper() == "DESC"))
            i += 4
        elif value.upper() in ("LIMIT", "OFFSET") and i + 1 < len(items) and items[i + 1][1].isdigit():
            if value.upper() == "LIMIT":
                limit = int(items[i + 1][1])
            else:
                offset = int(items[i + 1][1])
            i += 2
        else:
            return None, text
    if not keys:
        return None, text
    body, added = _project(text[:items[last_order][2]], [name for name, _ in keys])
    return Order(tuple(keys), limit, offset, added), body


def _project(text: str, names: list[str]) -> tuple[str, tuple[str, ...]]:
    """The query with `names` added to its top-level SELECT, unless projected already (or `*`),
    and the names added."""
    items = [m for m in TOKEN.finditer(text) if m.lastgroup not in ("space", "comment")]
    select = next((i for i, m in enumerate(items) if m.group().upper() == "SELECT"), None)
    if select is None:
        return text, ()
    depth, end, previous = 0, None, ""
    projected = set()
    for m in items[select + 1:]:
        value = m.group()
        if depth == 0 and (value.upper() == "WHERE" or value == "{"):
            end = m.start()
            break
        if value == "*" and depth == 0:
            return text, ()
        if m.lastgroup == "var" and (depth == 0 or previous.upper() == "AS"):
            projected.add(value[1:])
        depth += (value == "(") - (value == ")")
        previous = value
    missing = tuple(n for n in names if n not in projected)
    if end is None or not missing:
        return text, ()
    return text[:end] + " ".join(f"?{n}" for n in missing) + " " + text[end:], missing


def windowed(store: Store, text: str, *, page: int, offset: int) -> Results:
    """A `# page:` listing's rows `offset` to `offset + page`, read from the newest days only."""
    wanted = offset + page
    days = sorted(((row[0], int(row[1])) for row in store.query(DAYS).rows), key=lambda d: order_key(d[0]),
                  reverse=True)
    articles_wanted = max(math.ceil(wanted / ROWS_PER_ARTICLE), 1)
    while True:
        chosen, covered = [], 0
        for value, count in days:
            if covered >= articles_wanted:
                break
            chosen.append(value)
            covered += count
        if len(chosen) == len(days):  # every dated article: the undated ones may be needed too
            results = ordered(store, WINDOW.sub("", text))
            return results.slice(offset, page)
        window = [row[0] for row in store.query(ARTICLES % " ".join(v.n3() for v in chosen)).rows]
        results = ordered(store, WINDOW.sub(f"VALUES ?article {{ {' '.join(a.n3() for a in window)} }}", text))
        if len(results) >= wanted:
            return results.slice(offset, page)
        density = len(results) / max(covered, 1)
        articles_wanted = max(covered * GROWTH, math.ceil(wanted / density * 1.2) if density else 0)

