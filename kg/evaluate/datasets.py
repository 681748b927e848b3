"""Readers of the gold sets: PLOVER GSR records (a JSON array), re3d folders (documents,
entities and relations as JSON lines) and CoNLL04 files (a JSON array of tokenised sentences)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.model import Article

RE3D_FILES = ("documents.json", "entities.json", "relations.json")
FORMATS = ("a PLOVER GSR file (a JSON array of records), a CoNLL04 file (a JSON array of sentences with tokens, "
           "entities and relations) or a re3d folder (documents.json, entities.json, relations.json)")
# CoNLL04 tokens written without a space before them ("Providence , R.I. ," -> "Providence, R.I.,")
ATTACHED = frozenset({",", ".", ";", ":", ")", "?", "!", "'s", "'t", "'re", "'d", "'ll", "'m", "'ve", "'S", "n't", ".."})


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
class SpanSet:
    """Documents with gold entity and relation spans: one re3d folder (the rows below the
    confidence threshold left out) or one CoNLL04 file (a document per sentence)."""

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


def read_re3d(folder: str | Path, *, min_confidence: float = 0.5) -> SpanSet:
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
    return SpanSet(documents=documents, entities=entities, relations=relations)


def read_conll04(path: str | Path) -> SpanSet:
    """The sentences of a CoNLL04 JSON file as documents, their tokens joined into text the
    way a wire story writes them, with the gold entities and relations as character spans."""
    data = _load_json(Path(path))
    if not isinstance(data, list) or not all(isinstance(s, dict) and {"tokens", "entities", "relations"} <= s.keys()
                                             for s in data):
        raise InputError(f"{path} is not a CoNLL04 file: expected a JSON array of sentences with `tokens`, "
                         "`entities` and `relations`.")
    documents, entities, relations = [], [], []
    for n, sentence in enumerate(data):
        doc_id = f"conll04-{sentence.get('orig_id', n)}"
        text, offsets = detokenize(sentence["tokens"])
        documents.append(Article(id=doc_id, text=text, origin=f"{path}#{doc_id}"))
        spans = []
        for entity in sentence["entities"]:
            begin, end = offsets[entity["start"]][0], offsets[entity["end"] - 1][1]
            spans.append(Span(begin, end, text[begin:end]))
            entities.append(GoldEntity(doc_id, entity["type"], spans[-1]))
        relations += [GoldRelation(doc_id, r["type"], spans[r["head"]], spans[r["tail"]], "") for r in sentence["relations"]]
    return SpanSet(documents=tuple(documents), entities=tuple(entities), relations=tuple(relations))


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Text from tokens, no space before punctuation and clitics nor after "(", and the quote
    pairs "` `" and "' '" as '"'; with each token's character span in it (the second token of
    a quote pair spans nothing)."""
    text, offsets, glue, skip = "", [], True, False
    for n, token in enumerate(tokens):
        if skip:
            offsets.append((len(text), len(text)))
            skip = False
            continue
        following = tokens[n + 1] if n + 1 < len(tokens) else None
        quote = token in ("`", "'") and following == token
        closing = quote and token == "'"
        if text and not glue and token not in ATTACHED and not closing:
            text += " "
        offsets.append((len(text), len(text) + (1 if quote else len(token))))
        text += '"' if quote else token
        glue, skip = token == "(" or (quote and not closing), quote
    return text, offsets


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
        return [("conll04" if _is_conll04(path) else "plover", path)]
    if _is_re3d(path):
        return [("re3d", path)]
    if path.is_dir():
        found = [("re3d", sub) for sub in sorted(path.iterdir()) if _is_re3d(sub)]
        if found:
            return found
        raise InputError(f"No gold set in {path}: expected {FORMATS}, or a folder of re3d folders.")
    raise InputError(f"{path} does not exist. Give {FORMATS}.")


def _is_conll04(path: Path) -> bool:
    """A JSON array whose first item has tokens (read no further than the first item)."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        head = handle.read(4096)
    return head.lstrip().startswith("[") and '"tokens"' in head.split("}", 1)[0] + "}"


def _is_re3d(path: Path) -> bool:
    return path.is_dir() and all((path / name).is_file() for name in RE3D_FILES)
