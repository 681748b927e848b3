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
from functools import partial
from pathlib import Path

from kg.errors import InputError
from kg.ingest.fetch import Fetcher
from kg.ingest.files import read_file, read_link
from kg.ingest.inputs import InputFile, Inputs, InputSource, find_inputs, input_files
from kg.ingest.items import Item, Link, Skipped, article_id, failure, guarded
from kg.ingest.limits import Limits, checked
from kg.ingest.records import Fields
from kg.model import Article

__all__ = ["Fields", "Inputs", "Limits", "Skipped", "Source", "Sources", "article_id", "find_inputs", "read_articles"]

MAX_LINK_DEPTH = 2  # a URL list or feed fetched from a URL is followed; one fetched from those is not
Source = str | Path | Article
Sources = Inputs | Iterable[Source] | Source  # what read_articles reads


def read_articles(sources: Sources, *, fetcher: Fetcher | None = None,
                  limits: Limits | None = None, fields: Fields | None = None) -> Iterator[Article | Skipped]:
    """Every article in the inputs; unreadable ones yield a Skipped and the rest goes on.

    Sources are files, folders (walked in sorted order), http(s) URLs and URL lists, and
    Articles, which pass through as they are, checked like the rest; or the `Inputs` found
    by `find_inputs`, which count what has been read as it is. `limits` bound what one
    input may hold (`Limits`); `fields` say which CSV columns or JSON keys give each field.
    """
    fetcher = fetcher or Fetcher()
    limits = limits or Limits()
    fields = fields or Fields()
    for item in _items(sources, limits, fields):
        for found in _resolve(item, fetcher, limits, fields, depth=0):
            yield guarded(_origin(found), lambda: checked(found, limits)) if isinstance(found, Article) else found


def _items(sources: Sources, limits: Limits, fields: Fields) -> Iterator[Item]:
    """The items of each input, in order; the `Inputs`, if given, count what has been read."""
    if isinstance(sources, Inputs):
        meter: Inputs | None = sources
        found: Iterable[InputSource] = sources.sources
    else:
        meter, found = None, input_files([sources] if isinstance(sources, (str, Path, Article)) else sources)
    for source in found:
        yield from _source_items(source, limits, fields, on_read=meter.reading if meter else None)
        if meter:
            meter.read(source)


def _source_items(source: InputSource, limits: Limits, fields: Fields, *,
                  on_read: Callable[[int], None] | None) -> Iterator[Item]:
    if isinstance(source, Article):
        yield source
    elif isinstance(source, InputFile):
        yield from _guarded(source.shown, partial(read_file, source.path, origin=source.origin, shown=source.shown,
                                                  limits=limits, fields=fields, on_read=on_read))
    else:
        yield Link(url=source.strip(), origin=source.strip(), trusted=True)


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
