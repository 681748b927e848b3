"""Duplicate stories: the same text after normalisation, or a near copy (a syndicated story
under another headline). No spaCy, no rdflib.

Near copies are found with MinHash over word 5-grams and banded locality-sensitive hashing,
so each new story is compared with a few candidates, not with every stored one. A story's
`Fingerprint` (its content key and signature) is stored with it (`text()` and
`Fingerprint.parse` are its stored form), so the next build reloads the index without
reading a single stored text again.
"""
from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

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


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """What the index keeps of a story: the key of its normalised words, and its MinHash
    signature (None for a text too short to be a near copy)."""

    key: str
    signature: np.ndarray | None = None

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        tokens = words(text)
        return cls(_key(tokens), signature(tokens) if len(tokens) >= MIN_WORDS else None)

    def signature_text(self) -> str | None:
        """The signature as stored: base64 of its 64 little-endian unsigned 64-bit integers."""
        if self.signature is None:
            return None
        return base64.b64encode(self.signature.astype("<u8").tobytes()).decode("ascii")

    @classmethod
    def parse(cls, key: str, signature_text: str | None) -> Fingerprint:
        """A fingerprint from its stored form; ValueError if the signature is not one."""
        if signature_text is None:
            return cls(key)
        raw = base64.b64decode(signature_text, validate=True)
        if len(raw) != PERMUTATIONS * 8:
            raise ValueError(f"a MinHash signature has {PERMUTATIONS * 8} bytes, not {len(raw)}")
        return cls(key, np.frombuffer(raw, dtype="<u8").astype(np.uint64))


class DuplicateIndex:
    """The stories seen so far, to tell whether a new one repeats one of them."""

    def __init__(self) -> None:
        self._exact: dict[str, str] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._exact)

    def add(self, article_id: str, text: str) -> None:
        self.remember(article_id, Fingerprint.of(text))

    def original_of(self, article_id: str, text: str, *, remember: bool = False) -> str | None:
        """The id of an earlier story this text repeats (exactly or nearly), if any; with
        `remember`, a text that repeats none is added (its words are read once for both)."""
        return self.match(article_id, Fingerprint.of(text), remember=remember)

    def match(self, article_id: str, fingerprint: Fingerprint, *, remember: bool = False) -> str | None:
        """`original_of` for a story's fingerprint."""
        exact = self._exact.get(fingerprint.key)
        if exact is not None and exact != article_id:
            return exact
        original = self._near(article_id, fingerprint.signature) if fingerprint.signature is not None else None
        if original is None and remember:
            self.remember(article_id, fingerprint)
        return original

    def remember(self, article_id: str, fingerprint: Fingerprint) -> None:
        """Add a story (a stored one, or a new one) by its fingerprint."""
        self._exact.setdefault(fingerprint.key, article_id)
        sig = fingerprint.signature
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
