"""Files, folders, URLs and URL lists -> Articles. No spaCy, no rdflib: reading and splitting only.

`read_articles` is the way in; `files` reads each kind of input, `records` JSON and CSV
records, `pages` pages and feeds, `fetch` URLs, `decoding` bytes of any encoding, `dates`
publication dates, `limits` what one input may hold, and `dedup` finds stories already read
under another URL or headline.

A `.txt`/`.md` file is a story (a short first line is its title). Lines after the story,
separated by a blank line, that are each a short Title Case line are a list of headlines:
each becomes an Article of its own. A `.txt` file whose every line is a URL is a URL list.
`.json` holds an object or a list of objects; `.jsonl` one object a line; `.csv`/`.tsv` one
row a line under a header; each object or row is an article (`title`, `text`/`body`/`content`,
`url`, `published`/`date`, `source`, `author`; `Fields` maps other names).
`.html`/`.htm` pages give their main text and metadata (`pages`); `.xml`/`.rss`/`.atom`
feeds give one article per entry, fetching the page of an entry that only links to it.
URLs are fetched (`fetch`) and read by what they serve: a page, a feed, JSON or text.
Each article's origin is where it was read: its URL, or its file as named relative to what
was given (`origin_name`), never a local absolute path, so a graph built here reads the same
elsewhere.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

from kg.errors import InputError
from kg.ingest.fetch import Fetcher, is_url
from kg.ingest.files import find_files, origin_name, read_file, read_link
from kg.ingest.items import Item, Link, Skipped, article_id, failure, guarded, path_name
from kg.ingest.limits import Limits, checked
from kg.ingest.records import Fields
from kg.model import Article

__all__ = ["Fields", "Limits", "Skipped", "Source", "article_id", "count_articles", "read_articles"]

MAX_LINK_DEPTH = 2  # a URL list or feed fetched from a URL is followed; one fetched from those is not
Source = str | Path | Article


def read_articles(sources: Iterable[Source] | Source, *, fetcher: Fetcher | None = None, limits: Limits | None = None,
                  fields: Fields | None = None) -> Iterator[Article | Skipped]:
    """Every article in the inputs; unreadable ones yield a Skipped and the rest goes on.

    Sources are files, folders (walked in sorted order), http(s) URLs and URL lists, and
    Articles, which pass through as they are, checked like the rest. `limits` bound what one
    input may hold (`Limits`); `fields` say which CSV columns or JSON keys give each field.
    """
    fetcher = fetcher or Fetcher()
    limits = limits or Limits()
    fields = fields or Fields()
    for item in _items(sources, limits, fields):
        for found in _resolve(item, fetcher, limits, fields, depth=0):
            yield guarded(_origin(found), lambda: checked(found, limits)) if isinstance(found, Article) else found


def count_articles(sources: Iterable[Source] | Source, *, limits: Limits | None = None,
                   fields: Fields | None = None) -> int:
    """How many articles the inputs hold, fetching nothing: a URL counts as one (for progress and ETA)."""
    items = _items(sources, limits or Limits(), fields or Fields())
    return sum(1 for item in items if not isinstance(item, Skipped))


def _items(sources: Iterable[Source] | Source, limits: Limits, fields: Fields) -> Iterator[Item]:
    for source in [sources] if isinstance(sources, (str, Path, Article)) else sources:
        if isinstance(source, Article):
            yield source
        elif is_url(str(source)):
            yield Link(url=str(source).strip(), origin=str(source).strip(), trusted=True)
        else:
            for path in find_files([source]):
                origin, shown = origin_name(path, source), path_name(path)
                for item in _guarded(shown, partial(read_file, path, origin=origin, limits=limits, fields=fields)):
                    yield _shown_as(item, origin, shown)


def _shown_as(item: Item, origin: str, shown: str) -> Item:
    """A line, row or entry of a file skipped under the file's name as given (kg:origin
    keeps the portable `origin`): "news/wire.jsonl:4", not "wire.jsonl:4"."""
    if isinstance(item, Skipped) and item.origin.startswith(origin) and shown != origin:
        return replace(item, origin=shown + item.origin[len(origin):])
    return item


def _resolve(item: Item, fetcher: Fetcher, limits: Limits, fields: Fields, *, depth: int) -> Iterator[Article | Skipped]:
    if not isinstance(item, Link):
        yield item
    elif depth >= MAX_LINK_DEPTH:
        yield Skipped(item.label, "links nested too deeply (a URL list or feed reached through another)")
    else:
        for found in _guarded(item.label, partial(read_link, item, fetcher, limits=limits, fields=fields)):
            yield from _resolve(found, fetcher, limits, fields, depth=depth + 1)


def _guarded(origin: str, read: Callable[[], Iterable[Item]]) -> Iterator[Item]:
    """The items `read()` gives, as they come; if it fails, a Skipped for the rest of that input."""
    try:
        yield from read()
    except InputError as err:
        yield Skipped(origin, str(err))
    except Exception as err:  # noqa: BLE001 - one input's failure (a bug, a library on hostile bytes) costs only it
        yield Skipped(origin, failure("could not be read", err))


def _origin(article: Article) -> str:
    return article.origin or article.url or f"article {article.id}"
