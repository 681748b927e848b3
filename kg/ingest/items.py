"""What reading inputs yields besides articles: links still to fetch, and inputs skipped."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kg.ingest.pages import FeedEntry
from kg.model import Article


@dataclass(frozen=True)
class Skipped:
    """An input that could not be read, and why (one line, for the user)."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


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


def article_id(*, url: str | None, text: str) -> str:
    """A stable id: the hash of the URL when there is one, else of the normalised text."""
    key = url.strip() if url and url.strip() else " ".join(text.split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
