"""Held-out figures for the standing relations and killings on CoNLL04: the rules were written
reading the train split only; this scores them on the dev split, and by k-fold
cross-validation over both splits for the one setting tuned on gold, the least confidence a
fact needs to be kept.

For each fold, the threshold that scores best (F1 of the five relations together) on the
other folds is chosen and scored on that fold; the pooled held-out figures stand next to the
figures of the shipped rules (every fact kept) on each split. Folds are fixed by a hash of
each sentence's id, so every run splits alike.

Run: python bench/eval_folds_conll04.py [--data ../shared/evaldata/conll04] [--folds 5]
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from report import write_results  # noqa: E402

from kg import gazetteer as gazetteers  # noqa: E402
from kg.evaluate.datasets import SpanSet, read_conll04  # noqa: E402
from kg.evaluate.mapping import load_mapping  # noqa: E402
from kg.evaluate.matching import KnownNames  # noqa: E402
from kg.evaluate.report import Score, micro  # noqa: E402
from kg.evaluate.scoring import score_relations  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.extract import nlp as pipelines  # noqa: E402
from kg.model import Extraction  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "evaldata" / "conll04"
THRESHOLDS = (0.0, 0.6, 0.65, 0.7, 0.75, 0.8)
ALL = "Kill+Work_For+Located_In+OrgBased_In+Live_In"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "eval_folds_conll04.json")
    args = parser.parse_args()
    splits = {name: read_conll04(args.data / f"conll04_{name}.json") for name in ("train", "dev")}
    data = SpanSet(documents=splits["train"].documents + splits["dev"].documents,
                   entities=splits["train"].entities + splits["dev"].entities,
                   relations=splits["train"].relations + splits["dev"].relations)
    extractor = Extractor(pipelines.load())
    extractions = list(extractor.extract_many(data.documents))
    mapping = load_mapping().spans["conll04"]
    known = KnownNames.from_gazetteer(gazetteers.load())

    def score(threshold: float, indices: list[int]) -> Score:
        ids = {data.documents[i].id for i in indices}
        part = SpanSet(documents=tuple(data.documents[i] for i in indices),
                       entities=tuple(e for e in data.entities if e.document in ids),
                       relations=tuple(r for r in data.relations if r.document in ids))
        found = [_kept(extractions[i], threshold) for i in indices]
        return score_relations(part, found, mapping, known=known).combined[ALL]

    everything = list(range(len(data.documents)))
    train = everything[: len(splits["train"].documents)]
    dev = everything[len(train):]
    rows, held_out = [], []
    for n, test in enumerate(_folds(data, args.folds)):
        rest = sorted(set(everything) - set(test))
        best = max(THRESHOLDS, key=lambda t: (round(score(t, rest).f1, 6), -t))
        result = score(best, test)
        held_out.append(result)
        rows.append({"fold": n + 1, "sentences": len(test), "min_confidence": best,
                     "train_f1": round(score(best, rest).f1, 3), **_figures(result)})
    pooled = micro(held_out)
    on_train, on_dev = score(0.0, train), score(0.0, dev)
    print(f"CoNLL04, the five relations together ({len(train)} train + {len(dev)} dev sentences)")
    print(f"shipped rules on train (read while writing them): {_line(on_train)}")
    print(f"shipped rules on dev (never read):                {_line(on_dev)}")
    print(f"{args.folds}-fold cross-validation over both, least confidence chosen on the other folds:")
    for row in rows:
        print(f"  fold {row['fold']}: {row['sentences']} sentences, confidence >= {row['min_confidence']:g}, "
              f"P {row['precision']:.3f} R {row['recall']:.3f} F1 {row['f1']:.3f}")
    print(f"held-out (pooled): {_line(pooled)}")
    write_results(args.output, {"train": _figures(on_train), "dev": _figures(on_dev), "folds": rows,
                                "held_out": _figures(pooled)})
    return 0


def _kept(extraction: Extraction, threshold: float) -> Extraction:
    if threshold <= 0:
        return extraction
    return replace(extraction, links=tuple(link for link in extraction.links if link.evidence.confidence >= threshold),
                   events=tuple(e for e in extraction.events if e.evidence.confidence >= threshold),
                   roles=tuple(r for r in extraction.roles if r.evidence.confidence >= threshold))


def _folds(data: SpanSet, k: int) -> list[list[int]]:
    order = sorted(range(len(data.documents)), key=lambda i: hashlib.sha256(data.documents[i].id.encode()).hexdigest())
    return [order[n::k] for n in range(k)]


def _line(score: Score) -> str:
    return f"P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}  (tp {score.tp}, fp {score.fp}, fn {score.fn})"


def _figures(score: Score) -> dict:
    return {"tp": score.tp, "fp": score.fp, "fn": score.fn, "precision": round(score.precision, 3),
            "recall": round(score.recall, 3), "f1": round(score.f1, 3)}


if __name__ == "__main__":
    sys.exit(main())
