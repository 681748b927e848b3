"""Files and folders -> Articles. No spaCy, no rdflib: reading and splitting only.

A `.txt`/`.md` file is a story (a short first line is its title). Lines after the story,
separated by a blank line, that are each a short Title Case line are a list of headlines:
each becomes an Article of its own. `.json` holds an object or a list of objects;
`.jsonl` one object a line; each object is an article (`title`, `text` or `body`, `url`,
`published` or `date`, `source`).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.model import Article

TEXT_SUFFIXES = {".txt", ".md"}
JSON_SUFFIXES = {".json", ".jsonl"}
SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES
MAX_BYTES = 20 * 1024 * 1024
TITLE_MAX_WORDS = 20


@dataclass(frozen=True)
class Skipped:
    """An input that could not be read, and why (one line, for the user)."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


def article_id(*, url: str | None, text: str) -> str:
    """A stable id: the hash of the URL when there is one, else of the normalised text."""
    key = url.strip() if url and url.strip() else " ".join(text.split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def find_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Input files under the given paths, folders walked in sorted order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p))
        else:
            yield path


def _wanted(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and not any(part.startswith(".") for part in path.parts)


def read_articles(paths: Iterable[str | Path]) -> Iterator[Article | Skipped]:
    """Every article in the inputs; unreadable files yield a Skipped and the rest goes on."""
    for path in find_files(paths):
        try:
            yield from read_file(path)
        except InputError as err:
            yield Skipped(str(path), str(err))


def count_articles(paths: Iterable[str | Path]) -> int:
    """How many articles the inputs hold (a cheap first pass, for progress and ETA)."""
    return sum(1 for item in read_articles(paths) if isinstance(item, Article))


def read_file(path: Path) -> list[Article]:
    """The articles of one file; raises InputError naming the reason."""
    if not path.exists():
        raise InputError("no such file or folder")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"unsupported file type {suffix or '(none)'}; use one of {', '.join(sorted(SUFFIXES))}")
    text = decode(_read_bytes(path))
    if not text.strip():
        raise InputError("empty file")
    if suffix in TEXT_SUFFIXES:
        articles = split_text(text, origin=str(path))
    else:
        articles = list(_json_articles(text, suffix=suffix, origin=str(path)))
    if not articles:
        raise InputError("no article text found")
    return articles


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


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM) or UTF-16 with BOM; binary is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise InputError("binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(f"not valid UTF-8 text (byte {err.start})") from None
    if _control_ratio(text) > 0.05:
        raise InputError("binary data, not text")
    return text


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / max(len(sample), 1)


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


def _json_articles(text: str, *, suffix: str, origin: str) -> Iterator[Article]:
    if suffix == ".jsonl":
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
        published=_field(record, "published", "date", "published_at"),
        source=_field(record, "source", "publisher"),
        origin=origin,
        headline=not text and bool(title),
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
