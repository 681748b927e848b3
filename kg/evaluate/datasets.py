"""Readers of the gold sets: PLOVER GSR records (a JSON array) and re3d folders
(documents, entities and relations as JSON lines)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.model import Article

RE3D_FILES = ("documents.json", "entities.json", "relations.json")
FORMATS = "a PLOVER GSR file (a JSON array of records) or a re3d folder (documents.json, entities.json, relations.json)"


@dataclass(frozen=True)
class PloverRecord:
    """One gold-standard record: a short text and the one event coded in it."""

    id: str
    text: str
    event: str  # AGREE, CONSULT, ...
    event_text: str  # the trigger words, as coded
    sources: tuple[str, ...]  # actorText of each source actor
    targets: tuple[str, ...]
    mode: str | None = None


@dataclass(frozen=True)
class Span:
    begin: int
    end: int
    text: str

    @property
    def bounds(self) -> tuple[int, int]:
        return (self.begin, self.end)


@dataclass(frozen=True)
class GoldEntity:
    document: str
    type: str
    span: Span


@dataclass(frozen=True)
class GoldRelation:
    document: str
    type: str
    source: Span
    target: Span
    trigger: str


@dataclass(frozen=True)
class Re3dSet:
    """One re3d folder, with the rows below the confidence threshold left out."""

    documents: tuple[Article, ...]
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]


def read_plover(path: str | Path) -> list[PloverRecord]:
    """The records of a PLOVER GSR JSON file; actors without text are skipped."""
    data = _load_json(Path(path))
    if not isinstance(data, list) or not all(isinstance(r, dict) and "text" in r and "event" in r for r in data):
        raise InputError(f"{path} is not a PLOVER GSR file: expected a JSON array of records with `text` and `event`.")
    return [
        PloverRecord(
            id=str(record.get("id", f"record-{n}")),
            text=record["text"],
            event=record["event"],
            event_text=record.get("eventText", ""),
            sources=_actor_texts(record.get("source")),
            targets=_actor_texts(record.get("target")),
            mode=record.get("mode") or None,
        )
        for n, record in enumerate(data)
    ]


def _actor_texts(actors: object) -> tuple[str, ...]:
    """Actor texts; some records hold "" or a context word where the list should be."""
    if not isinstance(actors, list):
        return ()
    return tuple(a["actorText"] for a in actors if isinstance(a, dict) and a.get("actorText", "").strip())


def read_re3d(folder: str | Path, *, min_confidence: float = 0.5) -> Re3dSet:
    """A re3d folder's documents, and its entity and relation rows at or above `min_confidence`.

    Relation rows hold the surface text of each argument (`source`, `target`) and its
    character span (`sourceBegin`/`sourceEnd`, `targetBegin`/`targetEnd`); `begin`/`end`
    and `value` are the trigger.
    """
    folder = Path(folder)
    docs = _json_lines(folder / "documents.json")
    documents = tuple(
        Article(id=d["_id"], text=d["text"], title=d.get("title"), url=d.get("sourceUrl"), origin=str(folder)) for d in docs
    )
    entities = tuple(
        GoldEntity(document=e["documentId"], type=e["type"], span=Span(e["begin"], e["end"], e["value"]))
        for e in _json_lines(folder / "entities.json")
        if e.get("confidence", 1) >= min_confidence
    )
    relations = tuple(
        GoldRelation(
            document=r["documentId"],
            type=r["type"],
            source=Span(r["sourceBegin"], r["sourceEnd"], r["source"]),
            target=Span(r["targetBegin"], r["targetEnd"], r["target"]),
            trigger=r.get("value", ""),
        )
        for r in _json_lines(folder / "relations.json")
        if r.get("confidence", 1) >= min_confidence
    )
    return Re3dSet(documents=documents, entities=entities, relations=relations)


def _load_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"Cannot read {path}: {error}. Expected {FORMATS}.") from None


def _json_lines(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        files = ", ".join(RE3D_FILES)
        raise InputError(f"Cannot read {path}: {error}. A re3d folder holds the JSON-lines files {files}.") from None


def find_datasets(path: str | Path) -> list[tuple[str, Path]]:
    """(format, path) of each gold set at `path`: a PLOVER file, a re3d folder, or a folder of re3d folders."""
    path = Path(path)
    if path.is_file():
        return [("plover", path)]
    if _is_re3d(path):
        return [("re3d", path)]
    if path.is_dir():
        found = [("re3d", sub) for sub in sorted(path.iterdir()) if _is_re3d(sub)]
        if found:
            return found
        raise InputError(f"No gold set in {path}: expected {FORMATS}, or a folder of re3d folders.")
    raise InputError(f"{path} does not exist. Give {FORMATS}.")


def _is_re3d(path: Path) -> bool:
    return path.is_dir() and all((path / name).is_file() for name in RE3D_FILES)
