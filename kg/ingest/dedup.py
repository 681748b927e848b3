"""Duplicate stories: the same text after normalisation, or a near copy (a syndicated story
under another headline). No spaCy, no rdflib.

Near copies are found with MinHash over word 5-grams and banded locality-sensitive hashing,
so each new story is compared with a few candidates, not with every stored one.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict

import numpy as np

SHINGLE_WORDS = 5
PERMUTATIONS = 64
BANDS = 16  # of 4 rows: pairs from about 0.5 similar up are candidates
NEAR = 0.7  # estimated Jaccard similarity of the 5-grams above which two stories are one
MIN_WORDS = 30  # shorter texts (headlines, briefs) are only ever exact duplicates
_RNG = np.random.default_rng(20250523)
_MASKS = _RNG.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64)
_MULTIPLIERS = _RNG.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64) | np.uint64(1)


def words(text: str) -> list[str]:
    """The words of a text, normalised: Unicode-compatible forms, case and punctuation ignored."""
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def content_key(text: str) -> str:
    """Equal for texts that differ only in case, spacing, punctuation or Unicode form."""
    return _key(words(text))


def _key(tokens: list[str]) -> str:
    return hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest()


def signature(tokens: list[str]) -> np.ndarray:
    """The MinHash signature of the word 5-grams of a text."""
    grams = {" ".join(tokens[i : i + SHINGLE_WORDS]) for i in range(max(len(tokens) - SHINGLE_WORDS + 1, 1))}
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "little") for g in grams),
        dtype=np.uint64, count=len(grams),
    )
    with np.errstate(over="ignore"):  # multiplication modulo 2**64 is the point
        return ((hashes[:, None] ^ _MASKS) * _MULTIPLIERS).min(axis=0)


class DuplicateIndex:
    """The stories seen so far, to tell whether a new one repeats one of them."""

    def __init__(self) -> None:
        self._exact: dict[str, str] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)

    def add(self, article_id: str, text: str) -> None:
        tokens = words(text)
        self._remember(article_id, _key(tokens), signature(tokens) if len(tokens) >= MIN_WORDS else None)

    def original_of(self, article_id: str, text: str, *, remember: bool = False) -> str | None:
        """The id of an earlier story this text repeats (exactly or nearly), if any; with
        `remember`, a text that repeats none is added (its words are read once for both)."""
        tokens = words(text)
        key = _key(tokens)
        exact = self._exact.get(key)
        if exact is not None and exact != article_id:
            return exact
        sig = signature(tokens) if len(tokens) >= MIN_WORDS else None
        original = self._near(article_id, sig) if sig is not None else None
        if original is None and remember:
            self._remember(article_id, key, sig)
        return original

    def _remember(self, article_id: str, key: str, sig: np.ndarray | None) -> None:
        self._exact.setdefault(key, article_id)
        if sig is not None:
            self._signatures[article_id] = sig
            for band in self._bands(sig):
                self._buckets[band].append(article_id)

    def _near(self, article_id: str, sig: np.ndarray) -> str | None:
        candidates = {c for band in self._bands(sig) for c in self._buckets.get(band, ()) if c != article_id}
        scored = sorted((-float(np.mean(self._signatures[c] == sig)), c) for c in candidates)
        return scored[0][1] if scored and -scored[0][0] >= NEAR else None

    def _bands(self, sig: np.ndarray) -> list[tuple[int, bytes]]:
        rows = PERMUTATIONS // BANDS
        return [(b, sig[b * rows : (b + 1) * rows].tobytes()) for b in range(BANDS)]
