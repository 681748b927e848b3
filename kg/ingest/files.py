"""Files and fetched bytes -> articles: stories, headline lists, URL lists, JSON records,
pages and feeds, each read by its kind."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.dates import iso_published
from kg.ingest.decoding import decode
from kg.ingest.addresses import literal_kind
from kg.ingest.fetch import MAX_BYTES, Download, Fetcher, is_url
from kg.ingest.items import Item, Link, Skipped, article_id
from kg.ingest.pages import FeedEntry, feed_entries, fragment_text, looks_like_feed, looks_like_fragment, looks_like_html, page_text
from kg.model import Article

KINDS = {
    ".txt": "text", ".md": "text", ".json": "json", ".jsonl": "jsonl",
    ".html": "html", ".htm": "html", ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
SUFFIXES = set(KINDS)
TITLE_MAX_WORDS = 20


def find_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Input files under the given paths, folders walked in sorted order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p.relative_to(path)))
        else:
            yield path


def ignored_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files under the folders given that `find_files` leaves out for their type (hidden
    files and folders are not counted: they are never inputs)."""
    return [p for path in map(Path, paths) if path.is_dir() for p in sorted(path.rglob("*"))
            if p.is_file() and not _hidden(p.relative_to(path)) and not _wanted(p.relative_to(path))]


def _wanted(inside: Path) -> bool:
    """Whether a file at `inside` (its path below the folder given) is an input."""
    return inside.suffix.lower() in SUFFIXES and not _hidden(inside)


def _hidden(inside: Path) -> bool:
    return any(part.startswith(".") for part in inside.parts)


def origin_name(path: Path, given: str | Path) -> str:
    """What kg:origin records of a file read from `given` (that file, or a folder it is in):
    never a local absolute path. A relative path is kept as given (`seeds/000.txt`); under an
    absolute or climbing folder, the folder's name and the path below it; else the file's name."""
    given = Path(given)
    if not given.is_absolute() and ".." not in given.parts:
        return path.as_posix()
    if path != given and given.is_dir():
        return (Path(given.resolve().name) / path.relative_to(given)).as_posix()
    return path.name


def read_file(path: Path, *, origin: str | None = None) -> list[Item]:
    """The articles of one file (and links still to fetch), their origin `origin` (by default
    `origin_name` of the file alone); raises InputError naming the reason."""
    if not path.exists():
        raise InputError("no such file or folder")
    suffix = path.suffix.lower()
    if suffix not in KINDS:
        raise InputError(f"unsupported file type {suffix or '(none)'}; use one of {', '.join(sorted(SUFFIXES))}")
    return read_bytes(_read_bytes(path), kind=KINDS[suffix], origin=origin or origin_name(path, path))


def read_link(link: Link, fetcher: Fetcher) -> list[Item]:
    """What a URL serves: a feed entry's page, or any page, feed, JSON or text a URL gives."""
    download = fetcher.get(link.url, trusted=link.trusted)
    if link.entry is not None:
        html = decode(download.body, declared=download.charset)
        return [_page_article(html, url=download.url, origin=link.origin, entry=link.entry)]
    return read_bytes(download.body, kind=served_kind(download), origin=link.origin,
                      declared=download.charset, url=download.url)


def served_kind(download: Download) -> str:
    """How to read what a URL served: by its content, then its media type."""
    media_type = download.media_type
    if looks_like_feed(download.body) or media_type.endswith(("rss+xml", "atom+xml")):
        return "feed"
    if "html" in media_type or looks_like_html(download.body):
        return "html"
    if "json" in media_type:
        return "jsonl" if "ndjson" in media_type or "jsonl" in media_type else "json"
    return "text"


def read_bytes(data: bytes, *, kind: str, origin: str, declared: str | None = None, url: str | None = None) -> list[Item]:
    """The items in the bytes of one input of a kind ("text", "json", "jsonl", "html", "feed")."""
    if not data.strip():
        raise InputError("empty file")
    if kind == "feed":
        return _feed_items(data, origin=origin, url=url)
    text = decode(data, declared=declared)
    if not text.strip():
        raise InputError("empty file")
    if kind == "html":
        return [_page_article(text, url=url, origin=origin)]
    if kind in ("json", "jsonl"):
        items: list[Item] = list(_json_articles(text, kind=kind, origin=origin))
    else:
        items = _url_list(text, origin=origin, trusted=url is None) or split_text(text, origin=origin)
    if not items:
        raise InputError("no article text found")
    return items


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"file too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}") from None


def _url_list(text: str, *, origin: str, trusted: bool) -> list[Link | Skipped]:
    """A URL list: more than half of its lines (but blank ones and # comments) single words,
    at least one an http(s) URL. Each line that is no http(s) URL is skipped with its
    number, never read as a story. The URLs of a list the user gave (a file, not a
    download) may be on any address."""
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    words = sum(1 for _, line in lines if len(line.split()) == 1)
    if words * 2 <= len(lines) or not any(is_url(line) for _, line in lines):
        return []
    return [Link(url=line, origin=line, trusted=trusted) if is_url(line)
            else Skipped(f"{origin}:{n}", f"not an http(s) URL: {line[:100]}") for n, line in lines]


def _page_article(html: str, *, url: str | None, origin: str, entry: FeedEntry | None = None) -> Article:
    page = page_text(html, url=url)
    # a canonical link naming a private address is no address of the story (and never fetched)
    canonical = page.url if page.url and not literal_kind(page.url) else url
    return Article(
        id=article_id(url=canonical, text=page.text),
        text=page.text,
        title=page.title or (entry.title if entry else None),
        url=canonical,
        published=page.published or (entry.published if entry else None),
        source=page.site or (entry.source if entry else None) or page.host,
        origin=origin,
        author=page.author or (entry.author if entry else None),
    )


def _feed_items(data: bytes, *, origin: str, url: str | None) -> list[Item]:
    return [_entry_item(entry, origin=f"{origin}#entry-{n}") for n, entry in enumerate(feed_entries(data, url=url), start=1)]


def _entry_item(entry: FeedEntry, *, origin: str) -> Item:
    if not entry.text and entry.link:
        return Link(url=entry.link, origin=origin, entry=entry)
    if not entry.text and not entry.title:
        return Skipped(origin, "feed entry has no title, text or link")
    return Article(
        id=article_id(url=entry.link, text=entry.text or entry.title or ""),
        text=entry.text or entry.title or "",
        title=entry.title,
        url=entry.link,
        published=entry.published,
        source=entry.source,
        origin=origin,
        headline=not entry.text,
        author=entry.author,
    )


def split_text(text: str, *, origin: str) -> list[Article]:
    """A story and, after it, any list of headlines, each headline an article of its own."""
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    tail = _headline_tail(blocks)
    story_blocks, headline_blocks = blocks[: len(blocks) - tail], blocks[len(blocks) - tail :]
    articles = []
    if story_blocks:
        articles.append(_story("\n\n".join(story_blocks), origin=origin))
    for n, line in enumerate(_lines(headline_blocks), start=1):
        articles.append(
            Article(
                id=article_id(url=None, text=line),
                text=line,
                title=line,
                origin=f"{origin}#headline-{n}",
                headline=True,
            )
        )
    return articles


def _lines(blocks: list[str]) -> list[str]:
    return [line.strip() for block in blocks for line in block.split("\n") if line.strip()]


def _headline_tail(blocks: list[str]) -> int:
    """How many trailing blocks are lists of headlines (every line a short Title Case line)."""
    count = 0
    for block in reversed(blocks):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if len(lines) >= 2 and all(is_headline(line) for line in lines):
            count += 1
        else:
            break
    return count


def is_headline(line: str) -> bool:
    """A short line without a final full stop whose content words are mostly capitalised."""
    words = re.findall(r"[A-Za-z][\w’'\-–]*", line)
    if not words or len(words) > TITLE_MAX_WORDS or line.rstrip().endswith((".", "?", "!")) and len(words) > 12:
        return False
    content = [w for w in words if len(w) > 3]
    capitalised = sum(1 for w in content if w[0].isupper())
    return bool(content) and capitalised / len(content) >= 0.75


def _story(text: str, *, origin: str) -> Article:
    """A story; a short first line without a full stop is its title, kept out of the text."""
    first, _, rest = text.partition("\n")
    if rest.strip() and len(first.split()) <= TITLE_MAX_WORDS and not first.rstrip().endswith("."):
        title, body = first.strip().lstrip("#").strip(), rest.strip("\n")
    else:
        title, body = None, text
    return Article(id=article_id(url=None, text=text), text=body, title=title, origin=origin)


def _json_articles(text: str, *, kind: str, origin: str) -> Iterator[Article]:
    if kind == "jsonl":
        records = []
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                records.append((f"{origin}:{n}", _parse_json(line, line_offset=n - 1)))
    else:
        data = _parse_json(text)
        items = data if isinstance(data, list) else [data]
        records = [(f"{origin}[{n}]", item) for n, item in enumerate(items)]
    for where, record in records:
        yield _record_article(record, origin=where)


def _parse_json(text: str, *, line_offset: int = 0) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"malformed JSON at line {err.lineno + line_offset}, column {err.colno}: {err.msg}") from None


def _record_article(record: object, *, origin: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(f"{_record_name(origin)}: expected a JSON object with 'text' or 'body', got {type(record).__name__}")
    text = _field(record, "text", "body", "content")
    if text and looks_like_fragment(text):
        text = fragment_text(text) or None
    title = _field(record, "title", "headline")
    if not text and not title:
        raise InputError(f"{_record_name(origin)}: no 'text', 'body' or 'title'")
    url = _field(record, "url", "link")
    body = text or title or ""
    return Article(
        id=article_id(url=url, text=body),
        text=body,
        title=title,
        url=url,
        published=iso_published(_field(record, "published", "date", "published_at")),
        source=_field(record, "source", "publisher"),
        origin=origin,
        headline=not text and bool(title),
        author=_field(record, "author", "byline"),
    )


def _record_name(origin: str) -> str:
    """ "f.jsonl:5" -> "line 5", "f.json[0]" -> "record 0" (the file is named by the caller)."""
    if origin.endswith("]"):
        return "record " + origin.rsplit("[", 1)[1][:-1]
    return "line " + origin.rsplit(":", 1)[1]


def _field(record: dict, *names: str) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return value["name"].strip()
    return None
