"""SPARQL syntax errors as one line a person can act on: where, at what, and what to change.

Oxigraph reports where its parser stopped ("error at 3:12") and the many grammar rules it
would have taken there ("expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' ...").
`explain` keeps the position, names the token there, and reads the query itself for the
likely cause: a prefix no one declared (listing those that are), a misspelt keyword, an
unclosed string or bracket, an incomplete triple pattern. The expected tokens are shown only
when they are few enough to help.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from kg.store.sparql import TOKEN

POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
QUOTED = re.compile(r'"((?:[^"\\]|\\.)+)"')
SENTENCE = re.compile(r"\b(The [^,\[\]]+?)(?:,|$)")
MAX_EXPECTED = 6
# Words SPARQL 1.1 reads outside IRIs, strings and prefixed names: keywords and built-in
# functions. Any other bare word is a typo (or a prefix without its colon).
KEYWORDS = frozenset("""
SELECT ASK CONSTRUCT DESCRIBE WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED AS ORDER BY ASC DESC
LIMIT OFFSET GROUP HAVING VALUES OPTIONAL UNION MINUS FILTER BIND GRAPH SERVICE SILENT UNDEF
EXISTS NOT IN A TRUE FALSE INSERT DELETE DATA LOAD CLEAR CREATE DROP COPY MOVE ADD WITH USING
INTO TO DEFAULT ALL SEPARATOR
COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE
LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES
SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT
SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRIPLE SUBJECT PREDICATE
OBJECT ISTRIPLE
""".split())
# the keywords a misspelt word is most likely meant as (functions are left out: "CONTAINS"
# would be offered for every long typo)
SUGGESTED = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "PREFIX", "DISTINCT", "ORDER", "BY",
             "LIMIT", "OFFSET", "GROUP", "HAVING", "VALUES", "OPTIONAL", "UNION", "MINUS", "FILTER",
             "BIND", "GRAPH", "SERVICE", "EXISTS", "NOT", "COUNT", "REGEX", "CONTAINS", "LCASE", "STR")


@dataclass(frozen=True)
class Located:
    """A token and where it starts: its offset in the query, its line and column (from 1)."""

    kind: str
    text: str
    offset: int
    line: int
    column: int


def explain(text: str, message: str, *, prefixes: Mapping[str, str]) -> str:
    """Oxigraph's syntax error `message` for the query `text`, as one line (see the module)."""
    found = POSITION.match(message)
    if not found:
        return f"SPARQL syntax error: {_first_line(message)}"
    line, column, expected = int(found.group(1)), int(found.group(2)), found.group(3)
    items = list(_tokens(text))
    where = f"line {line}, column {column}"
    unknown = _unknown_prefix(items, prefixes)
    if unknown is not None and ("Prefix not found" in expected or _before(unknown, line, column)):
        return f"SPARQL syntax error at {where}: {_prefix_hint(unknown, items, prefixes)}"
    at = _token_at(items, line, column)
    shown = f"'{at.text}'" if at else "the end of the query"
    return f"SPARQL syntax error at {where}, at {shown}: {_hint(items, at, expected)}"


def _tokens(text: str):
    line, line_start = 1, 0
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        start = match.start()
        if kind not in ("space", "comment"):
            yield Located(kind, match.group(), start, line, start - line_start + 1)
        for newline in re.finditer("\n", match.group()):
            line, line_start = line + 1, start + newline.end()


def _token_at(items: list[Located], line: int, column: int) -> Located | None:
    """The token covering the position, else the first after it (None: the query ended)."""
    for item in items:
        end = (item.line, item.column + len(item.text)) if "\n" not in item.text else (item.line + 1, 0)
        if end > (line, column):
            return item
    return None


def _before(item: Located, line: int, column: int) -> bool:
    return (item.line, item.column) <= (line, column)


def _declared(items: list[Located]) -> dict[str, str]:
    declared = {}
    for i, item in enumerate(items[:-2]):
        if item.kind == "name" and item.text.upper() == "PREFIX" and items[i + 2].kind == "iri":
            declared[items[i + 1].text.rstrip(":")] = items[i + 2].text[1:-1]
    return declared


def _unknown_prefix(items: list[Located], prefixes: Mapping[str, str]) -> Located | None:
    """The first prefixed name whose prefix neither kg nor the query declares."""
    known = set(prefixes) | set(_declared(items))
    for i, item in enumerate(items):
        if item.kind != "name" or ":" not in item.text or item.text.startswith("_:"):
            continue
        if i and items[i - 1].text.upper() == "PREFIX":
            continue
        if item.text.partition(":")[0] not in known:
            return item
    return None


def _prefix_hint(item: Located, items: list[Located], prefixes: Mapping[str, str]) -> str:
    prefix = item.text.partition(":")[0]
    known = sorted(set(prefixes) | set(_declared(items)))
    close = difflib.get_close_matches(prefix, known, n=1)
    guess = f" (did you mean {close[0]}:?)" if close else ""
    return (f"unknown prefix '{prefix}:' in '{item.text}'{guess}; known prefixes: {', '.join(known)} "
            f"(declare another with PREFIX {prefix}: <IRI>)")


def _hint(items: list[Located], at: Located | None, expected: str) -> str:
    """What to change: the first cause found in the query, else what the parser expected."""
    quote = next((i for i in items if i.kind == "punct" and i.text in "\"'"), None)
    if quote is not None:
        return f"the string opened at line {quote.line}, column {quote.column} is not closed"
    typo = next((i for i in items if i.kind == "name" and ":" not in i.text and _is_word(i.text)
                 and i.text.upper() not in KEYWORDS), None)
    if typo is not None:
        close = difflib.get_close_matches(typo.text.upper(), SUGGESTED, n=1, cutoff=0.6)
        meant = f"; did you mean {close[0]}?" if close else " (a prefixed name needs its prefix: kg:name)"
        return f"'{typo.text}' (line {typo.line}, column {typo.column}) is no SPARQL keyword{meant}"
    balance = _unbalanced(items)
    if balance:
        return balance
    sentence = SENTENCE.search(expected)
    if sentence:
        return sentence.group(1)[0].lower() + sentence.group(1)[1:].rstrip(".")
    choices = [c for c in QUOTED.findall(expected)] + re.findall(r"(?<![\w'\"\[])([A-Z][A-Z_]+)(?![\w'\"\]])", expected)
    if at is not None and at.text in "}." and {"?", "<"} <= set(choices):
        return "a triple pattern is subject, predicate and object: one is missing here"
    if choices and len(choices) <= MAX_EXPECTED:
        return f"expected {' or '.join(', '.join(choices).rsplit(', ', 1))}"
    return "check the query here (kg's prefixes are declared for you; see `kg queries` for examples)"


def _is_word(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z_]*", text))


def _unbalanced(items: list[Located]) -> str | None:
    """An unclosed bracket, or a closing one too many."""
    pairs = {"}": "{", ")": "(", "]": "["}
    stack: list[Located] = []
    for item in items:
        if item.kind != "punct":
            continue
        if item.text in "{([":
            stack.append(item)
        elif item.text in pairs:
            if not stack or stack[-1].text != pairs[item.text]:
                return f"'{item.text}' at line {item.line}, column {item.column} closes nothing"
            stack.pop()
    if stack:
        opened = stack[-1]
        closing = {v: k for k, v in pairs.items()}[opened.text]
        return f"the '{opened.text}' at line {opened.line}, column {opened.column} is not closed: a '{closing}' is missing"
    return None


def _first_line(message: str) -> str:
    return message.splitlines()[0] if message else "unknown error"
