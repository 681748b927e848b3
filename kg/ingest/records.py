"""Records -> articles: JSON documents, JSON Lines and CSV/TSV rows, each a record of named
fields (title, text, date, url, source, author). No spaCy, no rdflib.

A bad record costs only itself: a JSON Lines line or a CSV row that cannot be read is a
Skipped naming its line, and the rest of the file is read. JSON is parsed by a guarded
decoder: the nesting depth is measured before decoding (Python's decoder recurses, and its
hooks see values only after their children), and integers are capped in digits.
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from kg.errors import InputError
from kg.ingest.dates import iso_published
from kg.ingest.decoding import repair
from kg.ingest.items import Item, Names, Skipped, article_id, printable
from kg.ingest.limits import Limits
from kg.ingest.pages import fragment_text, looks_like_fragment
from kg.model import Article

# The columns (CSV headers, JSON keys) each field is read from, first match wins.
COLUMNS = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "published": ("published", "date", "published_at"),
    "url": ("url", "link"),
    "source": ("source", "publisher"),
    "author": ("author", "byline"),
}
ALIASES = {"date": "published", "body": "text", "content": "text"}
_MISSING = object()
STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
BRACKETS = re.compile(r"[\[{]+|[\]}]+")


@dataclass(frozen=True)
class Fields:
    """Which columns (or keys) give each field of an article; `Fields.parse` reads a user's
    "text=story,date=pub_date", which replaces the defaults of the fields it names."""

    columns: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(COLUMNS))

    @classmethod
    def parse(cls, specs: Iterable[str]) -> Fields:
        columns = dict(COLUMNS)
        for spec in (part for text in specs for part in text.split(",") if part.strip()):
            name, sep, column = spec.partition("=")
            name = ALIASES.get(name.strip().lower(), name.strip().lower())
            if not sep or name not in COLUMNS or not column.strip():
                raise InputError(f"bad column mapping {spec.strip()!r} in {{columns}}: use FIELD=COLUMN with FIELD "
                                 f"one of {', '.join(COLUMNS)} (or date)", columns="columns")
            columns[name] = (column.strip().lower(),)
        return cls(columns)

    def names(self, field_name: str) -> tuple[str, ...]:
        return self.columns[field_name]


# --- JSON -------------------------------------------------------------------------------


def load_json(text: str, limits: Limits, *, one_line: bool = False) -> object:
    """The value of a JSON document; InputError if it is malformed, nested deeper than the
    limit, or holds an integer longer than the limit. `one_line`: the text is a JSON Lines
    line, named by the caller, so an error gives its column only."""
    depth = json_depth(text)
    if depth > limits.json_depth:
        raise InputError(f"JSON nested too deeply ({depth:,} levels; the limit json_depth is {limits.json_depth})")

    def number(digits: str) -> int:
        if len(digits.lstrip("-")) > limits.number_digits:
            raise InputError(f"JSON number too long ({len(digits.lstrip('-')):,} digits; "
                             f"the limit number_digits is {limits.number_digits})")
        return int(digits)

    try:
        return json.loads(text, parse_int=number)
    except json.JSONDecodeError as err:
        where = f"column {err.colno}" if one_line else f"line {err.lineno}, column {err.colno}"
        raise InputError(f"malformed JSON at {where}: {err.msg}") from None
    except RecursionError:  # a json_depth set above what Python's stack takes
        raise InputError(f"JSON nested too deeply ({depth:,} levels)") from None


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in a JSON text (brackets inside strings not counted)."""
    brackets = "".join(BRACKETS.findall(STRINGS.sub("", text)))
    depth = deepest = 0
    for run in BRACKETS.finditer(brackets):
        if run.group()[0] in "[{":
            depth += len(run.group())
            deepest = max(deepest, depth)
        else:
            depth -= len(run.group())
    return deepest


def json_items(text: str, *, names: Names, limits: Limits, fields: Fields) -> Iterator[Item]:
    """The articles of a JSON document: an object, or a list of objects (each its own record)."""
    data = load_json(text, limits)
    if isinstance(data, list):
        for n, record in enumerate(data):
            at = names.at(f"[{n}]")
            yield at.guarded(lambda: record_article(record, origin=at.origin, fields=fields))
    else:
        yield record_article(data, origin=names.at("[0]").origin, fields=fields)


def json_line_item(line: str, *, names: Names, limits: Limits, fields: Fields) -> Item:
    """The article of one JSON Lines line, or a Skipped saying why it has none."""
    return names.guarded(lambda: record_article(load_json(line, limits, one_line=True), origin=names.origin,
                                                fields=fields))


# --- CSV and TSV ------------------------------------------------------------------------


def csv_items(lines: Iterable[tuple[int, str | InputError]], *, names: Names, delimiter: str,
              fields: Fields) -> Iterator[Item]:
    """The articles of CSV (or TSV) lines, one per row under a header row naming the columns.

    `lines` are numbered text lines, ends kept (a quoted cell may span several), or the error
    of a line that could not be read. A row that cannot be read is a Skipped naming its
    first line; the rest of the file is read.
    """
    counter = _LineCounter(names)
    reader = csv.reader(counter.feed(lines), delimiter=delimiter)
    header: list[str] | None = None
    while True:
        counter.start_row()
        try:
            row = next(reader)
        except StopIteration:
            yield from counter.flush()
            return
        except csv.Error as err:
            yield from counter.flush()
            yield counter.where().skipped(f"malformed {_kind(delimiter)} row: {err}")
            continue
        yield from counter.flush()
        if header is None:
            if any(cell.strip() for cell in row):
                header = [cell.strip().lstrip("\ufeff") for cell in row]
                _check_header(header, fields, kind=_kind(delimiter))
            continue
        where = counter.where()
        if len(row) > len(header):
            yield where.skipped(f"too many cells ({len(row)}; the header has {len(header)})")
        elif any(cell.strip() for cell in row):
            yield where.guarded(lambda: record_article(dict(zip(header, row)), origin=where.origin, fields=fields))


class _LineCounter:
    """Feeds the csv reader good lines, remembering where each row starts and which lines
    could not be read (reported in order, after the row they came in)."""

    def __init__(self, names: Names) -> None:
        self.names = names
        self.row_start: int | None = None
        self.last = 0
        self.bad: list[Skipped] = []

    def feed(self, lines: Iterable[tuple[int, str | InputError]]) -> Iterator[str]:
        for number, line in lines:
            if isinstance(line, InputError):
                self.bad.append(self.names.at(f":{number}").skipped(str(line)))
                continue
            if self.row_start is None:
                self.row_start = number
            self.last = number
            yield line

    def start_row(self) -> None:
        self.row_start = None

    def where(self) -> Names:
        return self.names.at(f":{self.row_start or self.last or 1}")

    def flush(self) -> Iterator[Skipped]:
        bad, self.bad = self.bad, []
        yield from bad


def short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind(delimiter: str) -> str:
    return "TSV" if delimiter == "\t" else "CSV"


def _check_header(header: list[str], fields: Fields, *, kind: str) -> None:
    names = {h.lower() for h in header}
    if not any(name in names for name in (*fields.names("text"), *fields.names("title"))):
        shown = printable(short(", ".join(h for h in header[:12] if h)))
        raise InputError(f"no text or title column in the {kind} header ({shown}): name the column "
                         "that holds the text with the column mapping text=NAME")


# --- records ----------------------------------------------------------------------------


def record_article(record: object, *, origin: str, fields: Fields) -> Article:
    """The article of one record (a JSON object, a CSV row); InputError if it has none."""
    if not isinstance(record, dict):
        raise InputError(f"not a JSON object (a JSON {_json_type(record)}; an article is an object with 'text' or 'title')")
    text = _field(record, fields.names("text"))
    if text and looks_like_fragment(text):
        text = fragment_text(text) or None
    title = _field(record, fields.names("title"))
    if not text and not title:
        names = [repr(n) for n in (*fields.names("text"), *fields.names("title"))]
        raise InputError(f"no text or title (none of {', '.join(names[:-1])} or {names[-1]})")
    url = _field(record, fields.names("url"))
    body = text or title or ""
    return Article(
        id=article_id(url=url, text=body),
        text=body,
        title=title,
        url=url,
        published=iso_published(_field(record, fields.names("published"))),
        source=_field(record, fields.names("source")),
        origin=origin,
        headline=not text and bool(title),
        author=_field(record, fields.names("author")),
    )


def _json_type(value: object) -> str:
    names = {list: "array", str: "string", bool: "boolean", int: "number", float: "number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _field(record: dict, names: tuple[str, ...]) -> str | None:
    """The first of the named fields that holds text (or an object with a "name"), repaired:
    text repair runs on each value, never on the JSON before parsing."""
    for name in names:
        value = record.get(name, _MISSING)
        if value is _MISSING:  # a header or key written in another case: "Title", "TEXT"
            value = next((v for k, v in record.items() if isinstance(k, str) and k.lower() == name), None)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str) and value.strip():
            return repair(value).strip() or None
    return None
