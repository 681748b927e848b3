"""Held-out figures for the extraction settings: k-fold cross-validation on the PLOVER dev set.

What kg tunes on gold data are a few global settings of kg/data/lexicon.toml: whether the
CAMEO dictionary reads the verbs the lexicon does not (`[cameo] enabled`), whether a verb no
pattern reads takes its block's default code (`block_defaults`), whether the dictionary's
events need both a source and a target (`dyadic`), and the least confidence an event needs to
be kept. For each fold, the setting that scores best on the other folds is
chosen and scored on that fold; the held-out figures pool those scores. They stand next to
the full-dev figures of the shipped settings: the gap between them is the overfitting of the
tuning. (Rules written by hand while reading the dev set are not held out by this; they are
measured on news nobody tuned for, by hand: see docs/evaluation.md.)

Folds are stratified by event type and fixed by a hash of each record's id, so every run
splits alike.

Run: python bench/eval_folds.py [--gold ../shared/evaldata/plover_gsr/plover_gsr_dev.json] [--folds 5]
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import sys
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from report import write_results  # noqa: E402

from kg import gazetteer as gazetteers  # noqa: E402
from kg.evaluate.datasets import read_plover  # noqa: E402
from kg.evaluate.mapping import load_mapping  # noqa: E402
from kg.evaluate.matching import KnownNames  # noqa: E402
from kg.evaluate.report import Score, micro  # noqa: E402
from kg.evaluate.scoring import score_plover  # noqa: E402
from kg.extract import nlp as pipelines  # noqa: E402
from kg.extract import Extractor, lexicon as lexicons  # noqa: E402
from kg.model import Article, Extraction  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "evaldata" / "plover_gsr" / "plover_gsr_dev.json"
THRESHOLDS = (0.0, 0.5, 0.55, 0.6, 0.65, 0.7)


@dataclass(frozen=True)
class Setting:
    enabled: bool
    block_defaults: bool
    dyadic: bool
    min_confidence: float

    @property
    def dictionary(self) -> tuple[bool, bool, bool]:
        return self.enabled, self.block_defaults, self.dyadic

    def describe(self) -> str:
        dictionary = "off" if not self.enabled else "patterns+defaults" if self.block_defaults else "patterns"
        dyadic = ", dyadic" if self.enabled and self.dyadic else ""
        return f"dictionary {dictionary}{dyadic}, confidence >= {self.min_confidence:g}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "eval_folds.json")
    args = parser.parse_args()
    records = read_plover(args.gold)
    nlp = pipelines.load()
    shipped_data = tomllib.loads(resources.files("kg.data").joinpath("lexicon.toml").read_text(encoding="utf-8"))
    cameo = shipped_data["cameo"]
    shipped = Setting(cameo["enabled"], cameo["block_defaults"], cameo["dyadic"], 0.0)
    articles = [Article(id=r.id, text=r.text) for r in records]
    extractions = {}
    for enabled, defaults, dyadic in itertools.product((True, False), (False, True), (True, False)):
        if not enabled and (defaults or not dyadic):
            continue
        data = tomllib.loads(resources.files("kg.data").joinpath("lexicon.toml").read_text(encoding="utf-8"))
        data["cameo"].update(enabled=enabled, block_defaults=defaults, dyadic=dyadic)
        extractor = Extractor(nlp, lexicon=lexicons.parse(data))
        extractions[(enabled, defaults, dyadic)] = list(extractor.extract_many(articles))
    settings = [Setting(*key, t) for key in extractions for t in THRESHOLDS]
    mapping = load_mapping()  # the event class hierarchy of ontology/kg.ttl
    known = KnownNames.from_gazetteer(gazetteers.load())

    def score(setting: Setting, indices: list[int]) -> Score:
        found = [_kept(extractions[setting.dictionary][i], setting.min_confidence) for i in indices]
        return score_plover([records[i] for i in indices], found, mapping, known=known).total

    folds = _folds(records, args.folds)
    everything = list(range(len(records)))
    rows, held_out = [], []
    for n, test in enumerate(folds):
        train = [i for i in everything if i not in set(test)]
        best = max(settings, key=lambda s: (round(score(s, train).f1, 6), s == shipped))
        result = score(best, test)
        held_out.append(result)
        rows.append({"fold": n + 1, "records": len(test), "chosen": best.describe(),
                     "train_f1": round(score(best, train).f1, 3), **_figures(result)})
    pooled = micro(held_out)
    full = score(shipped, everything)
    print(f"{args.folds}-fold cross-validation on {args.gold.name} ({len(records)} records)")
    print("fold  records  chosen on the other folds                      train F1  held-out P    R     F1")
    for row in rows:
        print(f"{row['fold']:>4}  {row['records']:>7}  {row['chosen']:<45}  {row['train_f1']:>8.3f}  "
              f"{row['precision']:>10.3f}  {row['recall']:.3f}  {row['f1']:.3f}")
    print(f"held-out (pooled): P {pooled.precision:.3f}  R {pooled.recall:.3f}  F1 {pooled.f1:.3f}")
    print(f"full dev, shipped settings ({shipped.describe()}): P {full.precision:.3f}  R {full.recall:.3f}  F1 {full.f1:.3f}")
    print(f"gap (full dev F1 - held-out F1): {full.f1 - pooled.f1:+.3f}")
    write_results(args.output, {"gold": str(args.gold.name), "folds": rows, "held_out": _figures(pooled),
                                "full_dev": {"settings": shipped.describe(), **_figures(full)},
                                "gap_f1": round(full.f1 - pooled.f1, 3)})
    return 0


def _kept(extraction: Extraction, min_confidence: float) -> Extraction:
    if min_confidence <= 0:
        return extraction
    return replace(extraction, events=tuple(e for e in extraction.events if e.evidence.confidence >= min_confidence))


def _folds(records, k: int) -> list[list[int]]:
    """k folds, each with its share of every event type, fixed by the records' ids."""
    order = sorted(range(len(records)),
                   key=lambda i: (records[i].event, hashlib.sha256(records[i].id.encode()).hexdigest()))
    folds: list[list[int]] = [[] for _ in range(k)]
    for n, i in enumerate(order):
        folds[n % k].append(i)
    return folds


def _figures(score: Score) -> dict:
    return {"tp": score.tp, "fp": score.fp, "fn": score.fn, "precision": round(score.precision, 3),
            "recall": round(score.recall, 3), "f1": round(score.f1, 3)}


if __name__ == "__main__":
    sys.exit(main())
