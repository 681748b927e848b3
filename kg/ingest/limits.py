"""The limits of reading, each with a setting, and the last check of every article read.

No spaCy, no rdflib. Hostile or broken input (a 19 MB line, JSON nested 100,000 deep, a
5,000-digit number, a date in year 9999, a lone surrogate) must cost only itself: each limit
below refuses one input (or drops one value) with a one-line reason and the rest goes on.
`kg build --limit NAME=VALUE` and `Limits(...)` set them; docs/ingest.md lists them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from kg.errors import InputError
from kg.ingest.dates import iso_published
from kg.ingest.fetch import MAX_BYTES
from kg.ingest.items import article_id
from kg.model import Article

# Lone surrogates cannot be written as UTF-8 (nor stored), and these code points are not
# allowed in XML (GraphML, GEXF): each becomes U+FFFD, so lengths and offsets stay the same.
INVALID = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BREAKS = re.compile("[\x0b\x0c]")  # vertical tab and form feed: page breaks, read as line ends
UNCLEAN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TEXT_FIELDS = ("text", "title", "url", "source", "origin", "author")


@dataclass(frozen=True)
class Limits:
    """What one input may hold; past a limit the input is skipped with the reason (dates
    outside the years are dropped instead: the article is kept without its date)."""

    file_bytes: int = MAX_BYTES  # a whole file, or one line of a JSON Lines or CSV file
    article_chars: int = 2_000_000  # one article's text; longer ones are parsed in parts below this
    json_depth: int = 100  # nesting of JSON arrays and objects
    number_digits: int = 100  # digits of an integer in JSON
    first_year: int = 1000  # publication dates before this year are not used
    last_year: int = 2999  # nor after this one

    @classmethod
    def parse(cls, settings: list[str] | tuple[str, ...]) -> Limits:
        """Limits from NAME=VALUE settings ("article_chars=5000000"); InputError if one is bad."""
        known = {f.name for f in fields(cls)}
        values: dict[str, int] = {}
        for setting in settings:
            name, sep, value = setting.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in known:
                raise InputError(f"unknown limit {setting!r} in {{limit}}: use NAME=VALUE with NAME one of "
                                 f"{', '.join(sorted(known))}", limit="limit")
            if not value.strip().isdigit():
                raise InputError(f"limit {name} takes a whole number, not {value!r}", limit="limit")
            values[name] = int(value)
        limits = replace(cls(), **values)
        if limits.first_year > limits.last_year:
            raise InputError("limit first_year is after last_year", limit="limit")
        return limits


def clean_text(text: str) -> str:
    """`text` with lone surrogates and code points no store or XML file takes replaced."""
    return INVALID.sub("\ufffd", BREAKS.sub("\n", text))


def checked(article: Article, limits: Limits) -> Article:
    """The article as it may be stored: invalid code points replaced in every text field, its
    date in ISO 8601 and dropped if unreadable or outside the years; InputError if its text is
    longer than the limit."""
    if len(article.text) > limits.article_chars:
        raise InputError(f"article too long ({len(article.text):,} characters; "
                         f"the limit article_chars is {limits.article_chars:,})")
    changes: dict[str, str | None] = {}
    for name in TEXT_FIELDS:
        value = getattr(article, name)
        if value is not None and UNCLEAN.search(value):
            changes[name] = clean_text(value)
    # in ISO 8601 as files give it (an Article given directly may hold anything)
    published = iso_published(clean_text(article.published)) if article.published else None
    if published and not limits.first_year <= int(published[:4]) <= limits.last_year:
        published = None
    if published != article.published:
        changes["published"] = published
    if not changes:
        return article
    cleaned = replace(article, **changes)
    if "text" in changes or "url" in changes:
        cleaned = replace(cleaned, id=article_id(url=cleaned.url, text=cleaned.text))
    return cleaned
