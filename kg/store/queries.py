"""Saved and ad-hoc SPARQL queries: found by name, file or text, their parameters bound
safely, and run in the form they have: SELECT and ASK give Results (listings a page at a
time, as `kg.store.planning` says), CONSTRUCT and DESCRIBE a graph. Updates are refused: the
store changes by a build only.

Reading the saved queries (`saved_queries`, `kg queries`) loads neither rdflib nor Oxigraph.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import QueryError
from kg.store.sparql import QUERY_FORMS, UPDATE_FORMS, shape

if TYPE_CHECKING:
    from rdflib import Graph, URIRef
    from rdflib.term import Node

    from kg.store import Results, Store

GRAPH_FORMS = frozenset({"CONSTRUCT", "DESCRIBE"})
HAS_ARTICLES = "ASK { ?article a kg:Article }"

PARAM = re.compile(r"^#\s*param:\s*(\w+)\s*(\(name\))?\s*(?:[-—:]\s*(.*))?$")
PAGE = re.compile(r"^#\s*page:\s*(\d+)\b")
# The spellings the graph holds of a name, ignoring case: a name parameter stands for them all.
SPELLINGS = """SELECT DISTINCT ?spelling WHERE {
  ?x kg:name|kg:alias ?spelling .
  FILTER (LCASE(STR(?spelling)) = LCASE(STR(?value)))
}"""


class ReadOnlyQuery(QueryError):
    """A SPARQL Update (INSERT, DELETE, LOAD, ...) given where only queries are run."""

    def __init__(self, form: str) -> None:
        self.form = form
        super().__init__(f"{form} is SPARQL Update, and queries are read-only: the store changes only "
                         "by a build (kg build)")


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

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE (or an update's first word, or "")."""
        return shape(self.text).form

    @property
    def gives_graph(self) -> bool:
        return self.form in GRAPH_FORMS


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
    """A saved query by name, a .rq file, or SPARQL text; an update is refused (ReadOnlyQuery)."""
    saved = saved_queries()
    if spec in saved:
        return saved[spec]
    if spec.endswith(".rq") or (len(spec) < 256 and "\n" not in spec and Path(spec).is_file()):
        path = Path(spec)
        if not path.is_file():
            raise QueryError(f"no query file {spec}")
        query = parse_saved(path.stem, path.read_text(encoding="utf-8"))
    else:
        query = parse_saved("query", spec)
    form = query.form
    if form in UPDATE_FORMS:
        raise ReadOnlyQuery(form)
    if form in QUERY_FORMS:
        return query
    if query.name != "query":
        raise QueryError(f"{spec} holds no query: SPARQL must start with SELECT, ASK, CONSTRUCT or DESCRIBE "
                         f"(after PREFIX lines){_meant(form, QUERY_FORMS)}")
    if re.search(r"[\s{}]", spec.strip()):
        raise QueryError(f"not a SPARQL query: it must start with SELECT, ASK, CONSTRUCT or DESCRIBE (after PREFIX "
                         f"lines), not '{form or spec.strip()[:20]}'{_meant(form, QUERY_FORMS)}")
    close = difflib.get_close_matches(spec, saved, n=1, cutoff=0.6)
    meant = f" (did you mean {' or '.join(close)}?)" if close else ""
    raise QueryError(f"unknown query '{spec}'{meant}: give a saved query ({', '.join(saved)}), a .rq file, "
                     "or SPARQL text")


def _meant(word: str, choices: frozenset[str]) -> str:
    close = difflib.get_close_matches(word.upper(), sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


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


def run(store: Store, spec: str | SavedQuery, *, params: dict[str, str] | None = None, limit: int | None = None,
        offset: int = 0) -> Results | Graph:
    """Resolve and run a query against the store: Results for SELECT and ASK (`limit` rows
    from `offset`; a listing gives its page size without `limit`, `limit=0` every row), an
    rdflib Graph for CONSTRUCT and DESCRIBE."""
    from kg.store import planning

    query = spec if isinstance(spec, SavedQuery) else resolve_query(spec)
    bindings: dict[str, Node | tuple[Node, ...]] = dict(bindings_for(query, params or {}))
    for name in query.names & bindings.keys():
        bindings[name] = spellings(store, bindings[name])
    text = bind(query.text, bindings)
    if query.gives_graph:
        return store.construct(text)
    page = query.page if limit is None else (limit or None)
    return planning.run(store, text, page=page, offset=offset)


def holds_articles(store: Store) -> bool:
    """Whether anything has been built into the store."""
    return bool(store.query(HAS_ARTICLES).boolean)
