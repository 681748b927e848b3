"""Files, folders, URLs and URL lists -> Articles. No spaCy, no rdflib: reading and splitting only.

`read_articles` is the way in; `files` reads each kind of input, `pages` pages and feeds,
`fetch` URLs, `decoding` bytes of any encoding, `dates` publication dates, and `dedup` finds
stories already read under another URL or headline.

A `.txt`/`.md` file is a story (a short first line is its title). Lines after the story,
separated by a blank line, that are each a short Title Case line are a list of headlines:
each becomes an Article of its own. A `.txt` file whose every line is a URL is a URL list.
`.json` holds an object or a list of objects; `.jsonl` one object a line; each object is an
article (`title`, `text` or `body`, `url`, `published` or `date`, `source`, `author`).
`.html`/`.htm` pages give their main text and metadata (`pages`); `.xml`/`.rss`/`.atom`
feeds give one article per entry, fetching the page of an entry that only links to it.
URLs are fetched (`fetch`) and read by what they serve: a page, a feed, JSON or text.
Each article's origin is where it was read: its URL, or its file as named relative to what
was given (`origin_name`), never a local absolute path, so a graph built here reads the same
elsewhere.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.fetch import Fetcher, is_url
from kg.ingest.files import find_files, origin_name, read_file, read_link
from kg.ingest.items import Item, Link, Skipped, article_id
from kg.model import Article

__all__ = ["Skipped", "Source", "article_id", "count_articles", "read_articles"]

MAX_LINK_DEPTH = 2  # a URL list or feed fetched from a URL is followed; one fetched from those is not
Source = str | Path | Article


def read_articles(sources: Iterable[Source] | Source, *, fetcher: Fetcher | None = None) -> Iterator[Article | Skipped]:
    """Every article in the inputs; unreadable ones yield a Skipped and the rest goes on.

    Sources are files, folders (walked in sorted order), http(s) URLs and URL lists, and
    Articles, which pass through as they are.
    """
    fetcher = fetcher or Fetcher()
    for item in _items(sources):
        yield from _resolve(item, fetcher, depth=0)


def count_articles(sources: Iterable[Source] | Source) -> int:
    """How many articles the inputs hold, fetching nothing: a URL counts as one (for progress and ETA)."""
    return sum(1 for item in _items(sources) if not isinstance(item, Skipped))


def _items(sources: Iterable[Source] | Source) -> Iterator[Item]:
    for source in [sources] if isinstance(sources, (str, Path, Article)) else sources:
        if isinstance(source, Article):
            yield source
        elif is_url(str(source)):
            yield Link(url=str(source).strip(), origin=str(source).strip(), trusted=True)
        else:
            for path in find_files([source]):
                yield from _guarded(str(path), lambda: read_file(path, origin=origin_name(path, source)))


def _resolve(item: Item, fetcher: Fetcher, *, depth: int) -> Iterator[Article | Skipped]:
    if not isinstance(item, Link):
        yield item
    elif depth >= MAX_LINK_DEPTH:
        yield Skipped(item.label, "links nested too deeply (a URL list or feed reached through another)")
    else:
        for found in _guarded(item.label, lambda: read_link(item, fetcher)):
            yield from _resolve(found, fetcher, depth=depth + 1)


def _guarded(origin: str, read: Callable[[], list[Item]]) -> list[Item]:
    try:
        return read()
    except InputError as err:
        return [Skipped(origin, str(err))]
