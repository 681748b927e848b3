"""Files and fetched bytes -> articles: stories, headline lists, URL lists, JSON records,
CSV/TSV rows, pages and feeds, each read by its kind.

Only regular files are read (a FIFO would block, /dev/zero never ends), opened without
blocking and checked on the open file, so a file swapped for a FIFO after the folder walk
is refused too. JSON Lines and CSV/TSV files are read line by line, so a bad line costs only
itself and a file of any size streams; other kinds are read whole, up to the size limit.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import AnyStr, BinaryIO

from kg.errors import InputError
from kg.ingest.addresses import literal_kind
from kg.ingest.decoding import BOMS, decode, decode_line
from kg.ingest.fetch import Download, Fetcher, is_url
from kg.ingest.items import Item, Link, Names, Skipped, article_id, path_name
from kg.ingest.limits import Limits
from kg.ingest.pages import FeedEntry, feed_entries, looks_like_feed, looks_like_html, page_text
from kg.ingest.records import Fields, csv_items, json_items, json_line_item
from kg.model import Article

KINDS = {
    ".txt": "text", ".md": "text", ".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".tsv": "tsv",
    ".html": "html", ".htm": "html", ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
SUFFIXES = set(KINDS)
LINE_KINDS = ("jsonl", "csv", "tsv")  # read line by line
DELIMITERS = {"csv": ",", "tsv": "\t"}
NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))
TITLE_MAX_WORDS = 20
DEFAULT_LIMITS = Limits()
DEFAULT_FIELDS = Fields()


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


def read_file(path: Path, *, origin: str | None = None, shown: str | None = None, limits: Limits = DEFAULT_LIMITS,
              fields: Fields = DEFAULT_FIELDS, on_read: Callable[[int], None] | None = None) -> Iterator[Item]:
    """The articles of one file (and links still to fetch), their origin `origin` (by default
    `origin_name` of the file alone); a line, row or entry skipped is named after `shown`
    (the file's name as given; by default its origin). Raises InputError naming the reason
    the file cannot be read (a bad line of a JSON Lines or CSV file is a Skipped).
    `on_read` is told, after each item, how many bytes of the file have been read."""
    suffix = path.suffix.lower()
    if not os.path.lexists(path):
        raise InputError("no such file or folder")
    if suffix not in KINDS:
        raise InputError(f"unsupported file type {suffix or '(none)'}; use one of {', '.join(sorted(SUFFIXES))}")
    kind, origin = KINDS[suffix], path_name(origin or origin_name(path, path))
    names = Names(origin, shown or origin)
    if kind in LINE_KINDS:
        with _open_regular(path) as stream:
            for item in line_items(stream, kind=kind, names=names, limits=limits, fields=fields):
                if on_read:
                    on_read(stream.tell())
                yield item
        return
    with _open_regular(path) as stream:
        data = _read_whole(stream, limits)
    items = read_bytes(data, kind=kind, names=names, limits=limits, fields=fields)
    for n, item in enumerate(items, start=1):
        if on_read:
            on_read(len(data) * n // len(items))
        yield item


def read_link(link: Link, fetcher: Fetcher, *, limits: Limits = DEFAULT_LIMITS,
              fields: Fields = DEFAULT_FIELDS) -> list[Item]:
    """What a URL serves: a feed entry's page, or any page, feed, JSON or text a URL gives."""
    download = fetcher.get(link.url, trusted=link.trusted)
    if link.entry is not None:
        html = decode(download.body, declared=download.charset)
        return [_page_article(html, url=download.url, origin=link.origin, entry=link.entry)]
    return read_bytes(download.body, kind=served_kind(download), names=Names.of(link.origin),
                      declared=download.charset, url=download.url, limits=limits, fields=fields)


def served_kind(download: Download) -> str:
    """How to read what a URL served: by its content, then its media type."""
    media_type = download.media_type
    if looks_like_feed(download.body) or media_type.endswith(("rss+xml", "atom+xml")):
        return "feed"
    if "html" in media_type or looks_like_html(download.body):
        return "html"
    if "json" in media_type:
        return "jsonl" if "ndjson" in media_type or "jsonl" in media_type else "json"
    if media_type in ("text/csv", "text/tab-separated-values"):
        return "csv" if media_type == "text/csv" else "tsv"
    return "text"


def read_bytes(data: bytes, *, kind: str, names: Names, declared: str | None = None, url: str | None = None,
               limits: Limits = DEFAULT_LIMITS, fields: Fields = DEFAULT_FIELDS) -> list[Item]:
    """The items in the bytes of one input of a kind ("text", "json", "jsonl", "csv", "tsv",
    "html", "feed"), named by `names`."""
    if not data.strip():
        raise InputError("empty file")
    if kind == "feed":
        return _feed_items(data, names=names, url=url)
    if kind in LINE_KINDS:
        items = list(line_items(io.BytesIO(data), kind=kind, names=names, limits=limits, fields=fields))
    else:
        text = decode(data, declared=declared, fix=kind != "json")
        if not text.strip():
            raise InputError("empty file")
        if kind == "html":
            return [_page_article(text, url=url, origin=names.origin)]
        if kind == "json":
            items = list(json_items(text, names=names, limits=limits, fields=fields))
        else:
            items = _url_list(text, names=names, trusted=url is None) or split_text(text, origin=names.origin)
    if not items:
        raise InputError("no article text found")
    return items


def _open_regular(path: Path) -> BinaryIO:
    """The file opened for reading, if it is a regular file (after following symbolic links).

    Checked before opening (a socket cannot be opened) and again on the open file (it may
    have been swapped since); O_NONBLOCK, as opening a FIFO would wait for a writer."""
    try:
        _check_regular(os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("a link to nothing (broken symbolic link)") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as err:
        raise InputError(f"cannot open: {err.strerror or err}") from None
    try:
        _check_regular(os.fstat(fd).st_mode)
    except InputError:
        os.close(fd)
        raise
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _check_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        what = next((name for test, name in NOT_REGULAR if test(mode)), "not a file")
        raise InputError(f"not a regular file ({what}): not read")


def _read_whole(stream: BinaryIO, limits: Limits) -> bytes:
    size = os.fstat(stream.fileno()).st_size
    if size > limits.file_bytes:
        raise InputError(f"file too large ({size:,} bytes; the limit is {limits.file_bytes:,})")
    try:
        data = stream.read(limits.file_bytes + 1)
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}") from None
    if len(data) > limits.file_bytes:  # it grew while read
        raise InputError(f"file too large (more than {limits.file_bytes:,} bytes; the limit is {limits.file_bytes:,})")
    return data


# --- line by line: JSON Lines, CSV, TSV ---------------------------------------------------


def line_items(stream: BinaryIO, *, kind: str, names: Names, limits: Limits, fields: Fields) -> Iterator[Item]:
    """The items of a JSON Lines, CSV or TSV stream, read line by line; InputError at the end
    if it held none (an empty file, or a header alone)."""
    blank = True

    def lines() -> Iterator[tuple[int, str | InputError]]:
        nonlocal blank
        for number, line in text_lines(stream, limits):
            blank = blank and isinstance(line, str) and not line.strip()
            yield number, line

    if kind == "jsonl":
        items = _json_lines(lines(), names=names, limits=limits, fields=fields)
    else:
        # a cell may hold a whole article: let the csv module take a cell as long as an article
        csv.field_size_limit(max(csv.field_size_limit(), limits.article_chars))
        items = csv_items(lines(), names=names, delimiter=DELIMITERS[kind], fields=fields)
    found = False
    for item in items:
        found = True
        yield item
    if not found:
        raise InputError("empty file" if blank else "no article text found")


def _json_lines(lines: Iterable[tuple[int, str | InputError]], *, names: Names, limits: Limits,
                fields: Fields) -> Iterator[Item]:
    for number, line in lines:
        where = names.at(f":{number}")
        if isinstance(line, InputError):
            yield where.skipped(str(line))
        elif line.strip():
            yield json_line_item(line, names=where, limits=limits, fields=fields)


def text_lines(stream: BinaryIO, limits: Limits) -> Iterator[tuple[int, str | InputError]]:
    """Numbered lines of text (ends kept), or the InputError of a line that cannot be read:
    too long, or not text. A byte-order mark of UTF-16 or UTF-32 decodes the whole stream."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(4)[:4]
    wide = next((enc for bom, enc in BOMS if head.startswith(bom) and enc in ("utf-16", "utf-32")), None)
    if wide:
        text = io.TextIOWrapper(buffered, encoding=wide, errors="replace", newline="\n")
        for number, line in enumerate(_bounded_lines(text, limits.file_bytes, "\n"), start=1):
            yield number, line if line is not None else _too_long(limits)
        return
    for number, raw in enumerate(_bounded_lines(buffered, limits.file_bytes, b"\n"), start=1):
        if raw is None:
            yield number, _too_long(limits)
            continue
        try:
            yield number, decode_line(raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw)
        except InputError as err:
            yield number, err


def _too_long(limits: Limits) -> InputError:
    return InputError(f"line too long (more than {limits.file_bytes:,} bytes; the limit file_bytes is {limits.file_bytes:,})")


def _bounded_lines(stream, limit: int, end: AnyStr) -> Iterator[AnyStr | None]:  # noqa: ANN001 (bytes or text)
    """Lines split at "\\n" only (a U+2028 or a form feed inside a line is no line end), ends
    kept; None for a line longer than `limit`, whose rest is read and dropped."""
    while line := stream.readline(limit + 1):
        if line.endswith(end) or len(line) <= limit:
            yield line
            continue
        while line and not line.endswith(end):
            line = stream.readline(limit + 1)
        yield None


# --- whole documents --------------------------------------------------------------------


def _url_list(text: str, *, names: Names, trusted: bool) -> list[Link | Skipped]:
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
            else names.at(f":{n}").skipped(f"not an http(s) URL: {line[:100]}") for n, line in lines]


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


def _feed_items(data: bytes, *, names: Names, url: str | None) -> list[Item]:
    items: list[Item] = []
    for n, entry in enumerate(feed_entries(data, url=url), start=1):
        where = names.at(f"#entry-{n}")
        items.append(where.skipped(str(entry)) if isinstance(entry, InputError)
                     else where.guarded(lambda: _entry_item(entry, names=where)))
    return items


def _entry_item(entry: FeedEntry, *, names: Names) -> Item:
    origin = names.origin
    if not entry.text and entry.link:
        return Link(url=entry.link, origin=origin, entry=entry)
    if not entry.text and not entry.title:
        return names.skipped("empty feed entry (no title, text or link)")
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
