"""Saved and ad-hoc SPARQL queries: found by name, file or text, their parameters bound safely,
and run as `kg.store.planning` says (listings a page at a time).

Reading the saved queries (`saved_queries`, `kg queries`) loads neither rdflib nor Oxigraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import QueryError

if TYPE_CHECKING:
    from rdflib import URIRef
    from rdflib.term import Node

    from kg.store import Results, Store

PARAM = re.compile(r"^#\s*param:\s*(\w+)\s*(\(name\))?\s*(?:[-—:]\s*(.*))?$")
PAGE = re.compile(r"^#\s*page:\s*(\d+)\b")
# The spellings the graph holds of a name, ignoring case: a name parameter stands for them all.
SPELLINGS = """SELECT DISTINCT ?spelling WHERE {
  ?x kg:name|kg:alias ?spelling .
  FILTER (LCASE(STR(?spelling)) = LCASE(STR(?value)))
}"""


@dataclass(frozen=True)
class SavedQuery:
    """A query file: its name, what it answers, the parameters it takes, and its text.

    `names` are the parameters marked `(name)`: an entity's name or alias in any case. The
    query reads one as `VALUES ?var { ?param }`, and it is bound to every spelling of the
    name in the graph (so the query looks names up in the index, never scans them all).
    `page` is set for a listing (`# page: N`): it gives N rows at a time, newest first,
    unless asked for more (see `run`).
    """

    name: str
    description: str
    params: dict[str, str]
    text: str
    names: frozenset[str] = frozenset()
    page: int | None = None


def parse_saved(name: str, text: str) -> SavedQuery:
    """Read the comment header: a description, `# param: NAME - what it is` lines, `# page: N`."""
    description, params, names, page = [], {}, set(), None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match, paged = PARAM.match(line), PAGE.match(line)
        if match:
            params[match.group(1)] = (match.group(3) or "").strip()
            if match.group(2):
                names.add(match.group(1))
        elif paged:
            page = int(paged.group(1))
        else:
            description.append(line.lstrip("#").strip())
    return SavedQuery(name=name, description=" ".join(d for d in description if d), params=params, text=text,
                      names=frozenset(names), page=page)


def saved_queries() -> dict[str, SavedQuery]:
    """The queries shipped in queries/, by name."""
    folder = resources.files("kg.queries")
    return {
        entry.name[:-3]: parse_saved(entry.name[:-3], entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".rq")
    }


def resolve_query(spec: str) -> SavedQuery:
    """A saved query by name, a .rq file, or SPARQL text."""
    saved = saved_queries()
    if spec in saved:
        return saved[spec]
    if spec.endswith(".rq") or (len(spec) < 256 and "\n" not in spec and Path(spec).is_file()):
        path = Path(spec)
        if not path.is_file():
            raise QueryError(f"no query file {spec}")
        return parse_saved(path.stem, path.read_text(encoding="utf-8"))
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", spec, re.I):
        return parse_saved("query", spec)
    names = ", ".join(saved)
    raise QueryError(f"unknown query '{spec}': give a saved query ({names}), a .rq file, or SPARQL text")


def bindings_for(query: SavedQuery, values: dict[str, str]) -> dict[str, Node]:
    """Parameter values as RDF terms: <IRI>, prefixed names (id:person/x), else literals."""
    missing = [p for p in query.params if p not in values]
    if missing:
        wanted = "; ".join(f"{p}: {query.params[p]}" for p in missing)
        raise QueryError(f"query '{query.name}' needs {{param}} {missing[0]}=VALUE ({wanted})", param="the parameter")
    return {name: _term(value) for name, value in values.items()}


NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _term(value: str) -> Node:
    from rdflib import Literal

    from kg.rdf.vocabulary import PREFIXES

    if value.startswith("<") and value.endswith(">"):
        return _iri(value[1:-1], value)
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and " " not in value and not local.startswith("//"):
        return _iri(PREFIXES[prefix] + local, value)
    if re.match(r"https?://\S+$", value):
        return _iri(value, value)
    return Literal(value)


def _iri(iri: str, given: str) -> URIRef:
    from rdflib import URIRef

    if NOT_IN_IRI.search(iri):
        raise QueryError(f"parameter value {given!r} is not a valid IRI (no spaces, quotes, <, >, braces or backslashes)")
    return URIRef(iri)


def bind(text: str, bindings: dict[str, Node | tuple[Node, ...]]) -> str:
    """The query with each parameter variable replaced by its value, written as RDF (N3);
    several values (a name's spellings) are written one after the other, for a VALUES block.

    Values are escaped by rdflib's N3 writer, so a value cannot change the query's shape.
    """
    for name, value in bindings.items():
        written = " ".join(t.n3() for t in value) if isinstance(value, tuple) else value.n3()
        text = re.sub(rf"[?$]{re.escape(name)}\b", lambda _: written, text)
    return text


def spellings(store: Store, value: Node) -> tuple[Node, ...]:
    """The names and aliases in the graph equal to `value` ignoring case (else `value` alone)."""
    from rdflib import Literal

    if not isinstance(value, Literal):
        return (value,)
    found = sorted({row[0] for row in store.query(bind(SPELLINGS, {"value": value})).rows})
    return tuple(found) or (value,)


def run(store: Store, spec: str, *, params: dict[str, str] | None = None, limit: int | None = None,
        offset: int = 0) -> Results:
    """Resolve and run a query against the store: `limit` rows from `offset` (a listing gives
    its page size without `limit`; `limit=0` is every row)."""
    from kg.store import planning

    query = resolve_query(spec)
    bindings: dict[str, Node | tuple[Node, ...]] = dict(bindings_for(query, params or {}))
    for name in query.names & bindings.keys():
        bindings[name] = spellings(store, bindings[name])
    page = query.page if limit is None else (limit or None)
    return planning.run(store, bind(query.text, bindings), page=page, offset=offset)
