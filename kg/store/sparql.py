"""SPARQL text read before a store sees it: its form, the services it calls, its size.

Oxigraph runs `SERVICE <url>` by sending the query to that URL, and its parser recurses once
per nesting level and per chained operator (a query of 20,000 `1+` or 3,000 `{` overflows its
stack and kills the process). So every query kg runs is scanned first, by a lexer that skips
strings, IRIs and comments: a SERVICE to a host not allowed, or a query too large or too
deeply nested, is refused with a message before anything is parsed or sent.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from kg.errors import QueryError

UPDATE_FORMS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
# Oxigraph reads \\u and \\U escapes inside strings and IRIs only (elsewhere they are an error)
CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<comment>\#[^\r\n]*)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
    |(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    |(?P<var>[?$]\w+)
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<name>[\w.:%\\-]+)
    |(?P<punct>.)""",
    re.VERBOSE | re.DOTALL,
)
DEFAULT_PORTS = {"http": 80, "https": 443}
OPENING, CLOSING = frozenset("({["), frozenset(")}]")
# tokens each of which makes a node of the parsed query: chained, they nest in the parser
OPERATORS = frozenset("+-*/!=<>&|^{")
OPERATOR_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE", "VALUES",
                            "EXISTS", "IN", "AND", "OR"})


class QueryRefused(QueryError):
    """The query asks for something this store does not do for a query (call a service)."""


class QueryTooLarge(QueryError):
    """The query is longer, or nested deeper, than the limits allow."""


@dataclass(frozen=True)
class Limits:
    """How large a query may be: characters, bracket depth, and operators (UNION, `+`, `&&`, ...).

    Far above any query a person writes (the saved queries nest 4 deep with under 60
    operators), far below what overflows Oxigraph's parser (about 3,000 brackets deep or
    10,000 chained operators).
    """

    max_length: int = 1_000_000
    max_depth: int = 64
    max_operators: int = 2_000


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass(frozen=True)
class QueryShape:
    """What the scan saw: the form (SELECT, ASK, ..., INSERT, ...; "" if none), the endpoint of
    each SERVICE (None when a variable or an unknown prefix names it), depth and operators."""

    form: str
    services: tuple[str | None, ...]
    depth: int
    operators: int


def tokens(text: str) -> Iterator[Token]:
    """The query's tokens, whitespace and comments left out."""
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group())


def _unescape(text: str) -> str:
    def char(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()
    return CODEPOINT.sub(char, text)


def shape(text: str, *, prefixes: Mapping[str, str] | None = None) -> QueryShape:
    """Scan `text`; `prefixes` (with the query's own PREFIX lines) expand a SERVICE's name."""
    known = dict(prefixes or {})
    items = list(tokens(text))
    form, services, depth, deepest, operators = "", [], 0, 0, 0
    in_prologue = True
    for i, token in enumerate(items):
        word = token.text.upper() if token.kind == "name" else ""
        if token.kind == "punct":
            if token.text in OPENING:
                depth += 1
                deepest = max(deepest, depth)
            elif token.text in CLOSING:
                depth -= 1
            operators += token.text in OPERATORS
        operators += word in OPERATOR_WORDS
        if word == "PREFIX" and i + 2 < len(items) and items[i + 2].kind == "iri":
            known[items[i + 1].text.rstrip(":")] = _unescape(items[i + 2].text[1:-1])
        elif word == "SERVICE":
            services.append(_endpoint(items[i + 1:i + 3], known))
        if in_prologue and token.kind == "name" and word not in ("PREFIX", "BASE") and ":" not in token.text:
            form, in_prologue = word, False
        elif in_prologue and token.kind not in ("name", "iri"):
            in_prologue = False
    return QueryShape(form=form, services=tuple(services), depth=deepest, operators=operators)


def _endpoint(following: list[Token], prefixes: Mapping[str, str]) -> str | None:
    """The IRI after SERVICE (and SILENT), or None when it is a variable or unknown."""
    if following and following[0].text.upper() == "SILENT":
        following = following[1:]
    if not following:
        return None
    token = following[0]
    if token.kind == "iri":
        return _unescape(token.text[1:-1])
    if token.kind == "name" and ":" in token.text:
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None


def check(text: str, *, allow_service: frozenset[str] = frozenset(), prefixes: Mapping[str, str] | None = None,
          limits: Limits = Limits()) -> QueryShape:
    """The query's shape, or QueryTooLarge / QueryRefused saying what to change.

    `allow_service` holds the hosts (`example.org`, or `example.org:8890` for one port) that a
    SERVICE clause may call; by default none.
    """
    if len(text) > limits.max_length:
        raise QueryTooLarge(f"the query is {len(text):,} characters long; the limit is {limits.max_length:,}")
    found = shape(text, prefixes=prefixes)
    if found.depth > limits.max_depth:
        raise QueryTooLarge(f"the query nests brackets {found.depth} deep; the limit is {limits.max_depth}")
    if found.operators > limits.max_operators:
        raise QueryTooLarge(f"the query has {found.operators:,} operators (UNION, OPTIONAL, +, &&, ...); "
                            f"the limit is {limits.max_operators:,}")
    for endpoint in found.services:
        if not service_allowed(endpoint, allow_service):
            named = f"<{endpoint}>" if endpoint else "an endpoint named by a variable or an unknown prefix"
            hint = f" (--allow-service {_host(endpoint)} allows it)" if endpoint and _host(endpoint) else ""
            raise QueryRefused(f"SERVICE {named} refused: kg does not send queries to other endpoints "
                               f"unless told to{hint}")
    return found


def service_allowed(endpoint: str | None, allowed: frozenset[str]) -> bool:
    """Whether `endpoint` is on one of the `allowed` hosts (or host:port)."""
    host = _host(endpoint) if endpoint else None
    if not host:
        return False
    parts = urlsplit(endpoint)
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return False
    wanted = {entry.lower() for entry in allowed}
    return host in wanted or f"{host}:{port}" in wanted


def _host(endpoint: str) -> str | None:
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        return None
    return parts.hostname if parts.scheme in ("http", "https") else None
