"""The figures of an evaluation: counts per label, the cases behind them, per dataset,
and the same as plain data for a JSON file that tracks them from run to run."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Score:
    """Counts for one label; precision, recall and F1 are 0 when undefined (nothing to divide)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def micro(scores: Iterable[Score]) -> Score:
    """The micro-average: counts summed over labels."""
    return sum(scores, Score())


@dataclass(frozen=True)
class Case:
    """One miss (gold we did not read) or false hit (what we read that the gold lacks)."""

    label: str  # PLOVER type, re3d relation or entity type
    document: str  # record or document id
    text: str  # the record, or the sentence in the document
    expected: str  # what the gold says ("no gold ..." for a false hit with nothing there)
    found: str  # what we read there ("nothing" for a miss with nothing there)


@dataclass(frozen=True)
class Section:
    """The figures for one kind of annotation in one dataset: events, relations or entities."""

    name: str
    rows: dict[str, Score]  # label -> counts, in label order
    misses: tuple[Case, ...] = ()
    false_hits: tuple[Case, ...] = ()
    combined: dict[str, Score] = field(default_factory=dict)  # "CommWith+Likes" -> counts
    unscored: dict[str, int] = field(default_factory=dict)  # gold labels left out -> count

    @property
    def total(self) -> Score:
        return micro(self.rows.values())


@dataclass(frozen=True)
class DatasetReport:
    name: str  # "plover_gsr_dev", "re3d/uk_government"
    path: str
    format: str  # "plover" or "re3d"
    documents: int
    sections: tuple[Section, ...]
    seconds: float


@dataclass(frozen=True)
class EvalReport:
    datasets: tuple[DatasetReport, ...]
    min_confidence: float
    seconds: float

    def pooled(self) -> tuple[Section, ...]:
        """Each section summed over the datasets of the same format ("re3d relations")."""
        pools: dict[str, list[Section]] = {}
        for dataset in self.datasets:
            for section in dataset.sections:
                pools.setdefault(f"{dataset.format} {section.name}", []).append(section)
        return tuple(_pool(name, sections) for name, sections in pools.items())


def _pool(name: str, sections: list[Section]) -> Section:
    rows: dict[str, Score] = {}
    combined: dict[str, Score] = {}
    unscored: Counter = Counter()
    for section in sections:
        for into, scores in ((rows, section.rows), (combined, section.combined)):
            for label, score in scores.items():
                into[label] = into.get(label, Score()) + score
        unscored.update(section.unscored)
    return Section(name=name, rows=rows, combined=combined, unscored=dict(sorted(unscored.items())))


def _score_json(score: Score) -> dict:
    figures = {"precision": score.precision, "recall": score.recall, "f1": score.f1}
    return {"tp": score.tp, "fp": score.fp, "fn": score.fn, **{k: round(v, 4) for k, v in figures.items()}}


def _section_json(section: Section) -> dict:
    return {
        "rows": {label: _score_json(score) for label, score in section.rows.items()},
        "total": _score_json(section.total),
        "combined": {label: _score_json(score) for label, score in section.combined.items()},
        "unscored": dict(section.unscored),
        "misses": len(section.misses),
        "false_hits": len(section.false_hits),
    }


def report_json(report: EvalReport) -> dict:
    """The figures as plain data, for a JSON file that tracks them from run to run."""
    return {
        "min_confidence": report.min_confidence,
        "seconds": round(report.seconds, 2),
        "datasets": [
            {
                "name": d.name,
                "path": d.path,
                "format": d.format,
                "documents": d.documents,
                "seconds": round(d.seconds, 2),
                "sections": {s.name: _section_json(s) for s in d.sections},
            }
            for d in report.datasets
        ],
        "pooled": {s.name: _section_json(s) for s in report.pooled()},
    }
