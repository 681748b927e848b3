"""What reading inputs yields besides articles: links still to fetch, and inputs skipped."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.ingest.pages import FeedEntry
from kg.model import Article

# Shown escaped wherever a name or a reason is printed: control characters (a newline in a
# file name would forge an output line, an escape sequence would drive the terminal), bidi
# overrides, and lone surrogates.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What a reason says before its details: "malformed JSON at line 2, column 10: ..." -> "malformed JSON".
DETAILS = re.compile(r"\s*(?:[:(;,]| at (?:line|column|byte)\b).*", re.S)
REASON_MAX = 300  # characters of an unexpected error's message kept in a reason
# Python's errors that hostile input causes, in plain words: (type, words in its message, words for the user).
PLAIN_ERRORS = (
    (ValueError, "integer string conversion", "a number of more than 4,300 digits"),
    (OverflowError, "date value out of range", "a date out of range"),
    (RecursionError, "", "nested too deeply"),
    (MemoryError, "", "out of memory"),
    (UnicodeError, "", "characters that cannot be encoded"),
)


@dataclass(frozen=True)
class Skipped:
    """An input that could not be read, and why (one line, for the user)."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{printable(self.origin)}: {printable(self.reason)}"

    @property
    def kind(self) -> str:
        """The reason without its details, to count skips by: "malformed JSON", "empty file"."""
        return DETAILS.sub("", self.reason).strip() or self.reason


@dataclass(frozen=True)
class Link:
    """A URL still to fetch: given to kg build, listed in a URL list, or a feed entry's page."""

    url: str
    origin: str
    entry: FeedEntry | None = None  # what the feed said of the story, when it comes from one
    trusted: bool = False  # the user gave it (argument or URL list file): it may be on a private address

    @property
    def label(self) -> str:
        return self.url if self.origin == self.url else f"{self.origin} ({self.url})"


Item = Article | Link | Skipped


@dataclass(frozen=True)
class Names:
    """What an input and its parts are called: `origin` in the articles' kg:origin (portable),
    `shown` in skip lines (the file as the user named it): "news/wire.jsonl:4"."""

    origin: str
    shown: str

    @classmethod
    def of(cls, origin: str) -> Names:
        return cls(origin, origin)

    def at(self, where: str) -> Names:
        """The names of a part: a line (":4"), a record ("[2]"), an entry ("#entry-1")."""
        return Names(self.origin + where, self.shown + where)

    def skipped(self, reason: str) -> Skipped:
        return Skipped(self.shown, reason)

    def guarded(self, read: Callable[[], Item]) -> Item:
        """`guarded` under the name a skip line shows."""
        return guarded(self.shown, read)


def article_id(*, url: str | None, text: str) -> str:
    """A stable id: the hash of the URL when there is one, else of the normalised text."""
    key = url.strip() if url and url.strip() else " ".join(text.split())
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def printable(text: str) -> str:
    """`text` on one line, its control characters escaped ("\\n", "\\x1b", "\\u202e")."""
    return UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def path_name(path: str | Path) -> str:
    """A file's name as text: bytes that are not UTF-8 as \\xNN, control characters escaped."""
    return printable(os.fsencode(path).decode("utf-8", "backslashreplace"))


def guarded(origin: str, read: Callable[[], Item]) -> Item:
    """What `read()` gives, or a Skipped naming `origin` and why it failed: any failure in
    reading one input costs that input only."""
    try:
        return read()
    except InputError as err:
        return Skipped(origin, str(err))
    except Exception as err:  # noqa: BLE001 - a bug or a library's failure on hostile input: skipped, not fatal
        return Skipped(origin, failure("could not be read", err))


def failure(what: str, err: BaseException) -> str:
    """A reason for an unexpected error, one line, cut: "extraction failed (ValueError: ...)",
    or in plain words when hostile input is known to cause it ("extraction failed: a number
    of more than 4,300 digits (ValueError)")."""
    message = " ".join(str(err).split())
    for kind, words, plain in PLAIN_ERRORS:
        if isinstance(err, kind) and words in message:
            return f"{what}: {plain} ({type(err).__name__})"
    if len(message) > REASON_MAX:
        message = message[: REASON_MAX - 1] + "…"
    return f"{what} ({type(err).__name__}{': ' + message if message else ''})"
