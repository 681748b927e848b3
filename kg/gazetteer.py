"""The gazetteers shipped in `kg/data/`: countries, organisations, people, places, titles.

Each is a TSV file a user can read and extend (see the comment block at the top of each).
Loading turns them into `GazetteerEntry` records keyed the way entity IRIs are.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

from kg.model import slug  # noqa: F401  (extraction makes its keys with it, from here)

DATA_PACKAGE = "kg.data"


@dataclass(frozen=True)
class GazetteerEntry:
    """A known entity and every name it goes by."""

    key: str  # "country/JPN", "person/donald-trump", "org/g7", "place/washington"
    type: str  # Country, Person, Organization, Location
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    iso3: str | None = None
    wikidata: str | None = None
    country: str | None = None  # key of the country a person serves or a place is in
    capital: str | None = None  # for countries: the name of the capital city
    title: str | None = None  # for people: their usual title


@dataclass(frozen=True)
class Title:
    """A title that makes a role: "Prime Minister", leader=True."""

    title: str
    leader: bool
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MentionCues:
    """Words around a name that say it is one, or what kind (`mention_cues.tsv`)."""

    particles: frozenset[str] = frozenset()  # "al", "bin", "van"
    honorifics: frozenset[str] = frozenset()  # "Mr", "Dr", "Sir", as written
    place_before: tuple[tuple[str, ...], ...] = ()  # ("in",), ("town", "of")
    not_place: frozenset[str] = frozenset()  # "stake" in "a stake in Tesla"
    place_after: frozenset[str] = frozenset()  # "province"
    collectives: dict[tuple[str, ...], str] = field(default_factory=dict)  # ("army",) -> "Body"
    groups: frozenset[tuple[str, ...]] = frozenset()  # ("protester",), ("international", "community")
    collective_groups: frozenset[tuple[str, ...]] = frozenset()  # groups in the singular too: ("police",)


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...]
    titles: tuple[Title, ...]
    cues: MentionCues = MentionCues()

    @cached_property
    def by_key(self) -> dict[str, GazetteerEntry]:
        """Entries by key, built once: extraction asks for it for every article."""
        return {entry.key: entry for entry in self.entries}

    @property
    def capital_of(self) -> dict[str, str]:
        """Place key of each capital city -> key of its country ("place/tokyo" -> "country/JPN")."""
        places = {(e.name, e.country): e.key for e in self.entries if e.type == "Location"}
        return {
            places[(e.capital, e.key)]: e.key
            for e in self.entries
            if e.type == "Country" and e.capital and (e.capital, e.key) in places
        }


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a TSV file in kg/data, comments (`#`) skipped."""
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _countries() -> list[GazetteerEntry]:
    return [
        GazetteerEntry(
            key=f"country/{row['iso3']}",
            type="Country",
            name=row["name"],
            aliases=_split(row["aliases"]),
            demonyms=_split(row["demonyms"]),
            iso3=row["iso3"],
            wikidata=row["wikidata"] or None,
            capital=row["capital"] or None,
        )
        for row in read_table("countries.tsv")
    ]


def _organizations() -> list[GazetteerEntry]:
    return [
        GazetteerEntry(
            key=f"org/{row['key']}",
            type="Organization",
            name=row["name"],
            aliases=_split(row["aliases"]),
            wikidata=row["wikidata"] or None,
        )
        for row in read_table("organizations.tsv")
    ]


def _people() -> list[GazetteerEntry]:
    return [
        GazetteerEntry(
            key=f"person/{row['key']}",
            type="Person",
            name=row["name"],
            aliases=_split(row["aliases"]),
            wikidata=row["wikidata"] or None,
            country=f"country/{row['country_iso3']}" if row["country_iso3"] else None,
            title=row["title"] or None,
        )
        for row in read_table("people.tsv")
    ]


def _places() -> list[GazetteerEntry]:
    return [
        GazetteerEntry(
            key=f"place/{row['key']}",
            type="Location",
            name=row["name"],
            aliases=_split(row["aliases"]),
            wikidata=row["wikidata"] or None,
            country=f"country/{row['country_iso3']}" if row["country_iso3"] else None,
        )
        for row in read_table("places.tsv")
    ]


def _titles() -> list[Title]:
    return [
        Title(title=row["title"], leader=row["leader"] == "1", kind=row["kind"], aliases=_split(row["aliases"]))
        for row in read_table("titles.tsv")
    ]


def _cues() -> MentionCues:
    by_kind: dict[str, list[dict[str, str]]] = {}
    for row in read_table("mention_cues.tsv"):
        by_kind.setdefault(row["kind"], []).append(row)

    def words(kind: str) -> frozenset[str]:
        return frozenset(row["cue"].lower() for row in by_kind.get(kind, ()))

    return MentionCues(
        particles=words("particle"),
        honorifics=frozenset(row["cue"] for row in by_kind.get("honorific", ())),
        place_before=tuple(sorted({tuple(w.split()) for w in words("place_before")}, key=lambda p: (-len(p), p))),
        not_place=words("not_place"),
        place_after=words("place_after"),
        collectives={tuple(row["cue"].lower().split()): row["type"] for row in by_kind.get("collective", ())},
        groups=frozenset(tuple(w.split()) for w in words("group")),
        collective_groups=frozenset(tuple(row["cue"].lower().split()) for row in by_kind.get("group", ())
                                    if row["type"] == "Collective"),
    )


@cache
def load() -> Gazetteer:
    """All gazetteers, read once per process."""
    entries = _countries() + _organizations() + _people() + _places()
    return Gazetteer(entries=tuple(entries), titles=tuple(_titles()), cues=_cues())
