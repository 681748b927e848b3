"""Score extraction against third-party gold annotations: PLOVER GSR events, re3d and CoNLL04.

`evaluate(paths, extractor)` finds the format of each gold set (`datasets`), runs the
extractor over its texts in batches, and scores what it read (`scoring`, with `matching`)
by the definitions in docs/evaluation.md, into a report of figures (`report`). How our
vocabulary lines up with each label set is data (`mapping`: kg/data/eval_mapping.toml).
Nothing here imports spaCy: the extractor is passed in, and the matching works on
`Extraction` records, so it can be tested on hand-made ones.
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

from kg.evaluate.datasets import find_datasets, read_conll04, read_plover, read_re3d
from kg.evaluate.mapping import EvalMapping, load_mapping
from kg.evaluate.matching import KnownNames
from kg.evaluate.report import DatasetReport, EvalReport, Section
from kg.evaluate.scoring import score_entities, score_plover, score_relations
from kg import gazetteer as gazetteers
from kg.model import Article, Extraction

__all__ = ["BatchExtractor", "evaluate"]


class BatchExtractor(Protocol):
    def extract_many(self, articles: Iterable[Article]) -> Iterator[Extraction]: ...


def evaluate(
    paths: Sequence[str | Path],
    extractor: BatchExtractor,
    *,
    min_confidence: float = 0.5,
    mapping: EvalMapping | None = None,
) -> EvalReport:
    """Run `extractor` over the gold sets at `paths` and score it.

    Each path is a PLOVER GSR JSON file, a CoNLL04 JSON file, a re3d folder, or a folder of
    re3d folders.
    `min_confidence` drops re3d gold rows below it (rows at 0 are rejected labels).
    """
    started = time.perf_counter()
    mapping = mapping or load_mapping()
    gazetteer = getattr(extractor, "gazetteer", None) or gazetteers.load()
    known = KnownNames.from_gazetteer(gazetteer)
    demonyms = frozenset(d.lower() for entry in gazetteer.entries for d in entry.demonyms)
    datasets = []
    for fmt, path in (found for p in paths for found in find_datasets(p)):
        began = time.perf_counter()
        if fmt == "plover":
            records = read_plover(path)
            articles = [Article(id=r.id, text=r.text, origin=f"{path}#{r.id}") for r in records]
            extractions = list(extractor.extract_many(articles))
            sections: tuple[Section, ...] = (score_plover(records, extractions, mapping, known=known),)
            name, documents = path.stem, len(records)
        else:
            data = read_re3d(path, min_confidence=min_confidence) if fmt == "re3d" else read_conll04(path)
            extractions = list(extractor.extract_many(data.documents))
            spans = mapping.spans[fmt]
            sections = (
                score_relations(data, extractions, spans, known=known),
                score_entities(data, extractions, spans, demonyms=demonyms),
                score_entities(data, extractions, spans, exact=True, demonyms=demonyms),
            )
            name = f"re3d/{path.name}" if fmt == "re3d" else f"conll04/{path.stem}"
            documents = len(data.documents)
        datasets.append(DatasetReport(name, str(path), fmt, documents, sections, time.perf_counter() - began))
    return EvalReport(datasets=tuple(datasets), min_confidence=min_confidence, seconds=time.perf_counter() - started)
