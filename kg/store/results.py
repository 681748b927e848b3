"""Terms across the store boundary, and the answer of a SELECT or ASK query.

Oxigraph keeps the graphs (embedded, or parsing a server's answers); kg's readers take rdflib
terms. Terms cross between the two here, and only here: plain literals come back from
Oxigraph typed xsd:string and are made plain again.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import KGError, StoreError

if TYPE_CHECKING:
    import pandas

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
NUMERIC = frozenset(XSD + t for t in (
    "integer", "decimal", "float", "double", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"))


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot store term {term!r}")


def from_ox(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unexpected term from the store: {term!r}")


class Results:
    """A SELECT or ASK answer: variable names and rows of rdflib terms (None if unbound).

    A store's answer keeps the engine's own terms and makes rdflib terms of them only when
    `rows` is first read (each costs some microseconds): counting rows, or keeping the first
    few (`head`), makes none.
    """

    __slots__ = ("variables", "boolean", "_rows", "_raw", "_convert")

    def __init__(self, variables: tuple[str, ...], rows: tuple[tuple[Node | None, ...], ...] = (),
                 boolean: bool | None = None) -> None:
        self.variables, self.boolean = tuple(variables), boolean
        self._rows: tuple[tuple[Node | None, ...], ...] | None = tuple(rows)
        self._raw: list[tuple] | None = None
        self._convert: Callable[[object], Node] | None = None

    @classmethod
    def of_solutions(cls, solutions: ox.QuerySolutions, convert: Callable[[object], Node]) -> Results:
        """A SELECT answer from Oxigraph's solutions; `convert` makes each bound value an rdflib
        term when the rows are read."""
        results = cls(tuple(v.value for v in solutions.variables))
        results._rows, results._raw, results._convert = None, [tuple(row) for row in solutions], convert
        return results

    @property
    def rows(self) -> tuple[tuple[Node | None, ...], ...]:
        if self._rows is None:
            convert = self._convert
            self._rows = tuple(tuple(None if value is None else convert(value) for value in row) for row in self._raw)
            self._raw = self._convert = None
        return self._rows

    def texts(self) -> list[tuple[str | None, ...]]:
        """Rows of each value's text (None if unbound): an IRI, a blank node's id, a literal's
        lexical form. From Oxigraph's own terms (`from_ox`'s) no rdflib term is made, a
        fraction of the cost; the text is then Oxigraph's, which writes a few typed literals
        otherwise than rdflib's `str` does, with the same value ("1"^^xsd:double, rdflib
        "1.0"; "...T10:00:00Z", rdflib "...T10:00:00+00:00"). Other converters (a server's:
        Skolem IRIs made blank nodes again) are asked for the term."""
        if self._rows is not None:
            return [tuple(None if t is None else str(t) for t in row) for row in self._rows]
        if self._convert is from_ox:
            return [tuple(None if t is None else t.value for t in row) for row in self._raw]
        convert = self._convert
        return [tuple(None if t is None else str(convert(t)) for t in row) for row in self._raw]

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self._raw) if self._rows is None else len(self._rows)

    def __repr__(self) -> str:
        return f"Results(variables={self.variables!r}, {len(self)} rows, boolean={self.boolean!r})"

    def slice(self, offset: int = 0, limit: int | None = None) -> Results:
        """Rows `offset` to `offset + limit` (to the end if limit is None), terms unconverted."""
        end = None if limit is None else offset + limit
        return self._with(self.variables, lambda rows: rows[offset:end])

    def sorted_by(self, keys: Sequence[tuple[str, bool]]) -> Results:
        """The rows ordered as ORDER BY orders them: by each (variable, descending) in turn."""
        def arrange(rows: list) -> list:
            rows = list(rows)
            for name, descending in reversed(keys):
                index = self.variables.index(name)
                rows.sort(key=lambda row: order_key(row[index]), reverse=descending)
            return rows
        return self._with(self.variables, arrange)

    def select(self, variables: Sequence[str]) -> Results:
        """Only these columns, in this order."""
        indexes = [self.variables.index(v) for v in variables]
        return self._with(tuple(variables), lambda rows: [tuple(row[i] for i in indexes) for row in rows])

    def _with(self, variables: tuple[str, ...], change: Callable[[list], list]) -> Results:
        if self.boolean is not None:
            return self
        if self._rows is not None:
            return Results(variables, tuple(change(list(self._rows))))
        results = Results(variables)
        results._rows, results._raw, results._convert = None, list(change(self._raw)), self._convert
        return results

    def to_dicts(self) -> list[dict[str, Any]]:
        """One dict per row, variable -> Python value (str, int, float, Decimal, date, ...);
        unbound variables are left out."""
        return [{name: _python(term) for name, term in zip(self.variables, row) if term is not None}
                for row in self.rows]

    def to_json(self) -> str:
        """The answer as SPARQL 1.1 Query Results JSON text."""
        return json.dumps(self._json(), indent=2, ensure_ascii=False) + "\n"

    def _json(self) -> dict:
        if self.boolean is not None:
            return {"head": {}, "boolean": self.boolean}
        bindings = [{v: _json_term(t) for v, t in zip(self.variables, row) if t is not None} for row in self.rows]
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    def to_dataframe(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame, one column per variable (needs pandas installed)."""
        try:
            import pandas
        except ImportError:
            raise KGError("to_dataframe needs pandas: pip install pandas") from None
        return pandas.DataFrame(self.to_dicts(), columns=list(self.variables))


_TSV_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_TSV_CHARS = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f"}


def tsv_texts(data: bytes) -> list[tuple[str | None, ...]]:
    """The rows of a SPARQL TSV answer as each value's text, as `Results.texts` gives them:
    Oxigraph writes TSV without holding Python's lock, so queries asked from threads run
    side by side, and a row of texts costs less to read than one of terms."""
    lines = data.decode().split("\n")[1:]
    if lines and not lines[-1]:
        lines.pop()
    return [tuple(map(_tsv_text, line.split("\t"))) for line in lines]


def _tsv_text(field: str) -> str | None:
    """An IRI's, a literal's lexical form, a blank node's id; None for an unbound value.
    (Tabs and line breaks inside a literal are escaped, so splitting on them is safe.)"""
    if not field:
        return None
    first = field[0]
    if first == "<":
        return field[1:-1]
    if first == '"':
        value = field[1:field.rindex('"')]  # before a datatype or language tag, which hold no quote
        return _TSV_ESCAPE.sub(_unescaped, value) if "\\" in value else value
    return field[2:] if field.startswith("_:") else field  # numbers and booleans are written bare


def _unescaped(match: re.Match) -> str:
    code = match.group(1)
    if len(code) > 1:
        return chr(int(code[1:], 16))
    return _TSV_CHARS.get(code, code)


def order_key(term: object) -> tuple:
    """Where ORDER BY puts a term (Oxigraph's or rdflib's): unbound, blank nodes, IRIs, then
    literals, numbers by value and the rest by their text (ISO dates so in time order)."""
    if term is None:
        return (0,)
    if isinstance(term, (ox.BlankNode, BNode)):
        return (1, str(term.value if isinstance(term, ox.BlankNode) else term))
    if isinstance(term, (ox.NamedNode, URIRef)):
        return (2, term.value if isinstance(term, ox.NamedNode) else str(term))
    if isinstance(term, ox.Literal):
        text, datatype, language = term.value, term.datatype.value, term.language or ""
    else:
        text, datatype, language = str(term), str(term.datatype or XSD_STRING), term.language or ""
    if datatype in NUMERIC:
        try:
            return (3, 0, Decimal(text), "")
        except ArithmeticError:
            pass
    return (3, 1, text, language)


def _python(term: Node) -> Any:
    """An IRI or blank node as its text; a literal as its Python value where rdflib has one."""
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out
