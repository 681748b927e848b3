"""A sample of kg's entity merges to check by hand, each with what a checker needs to judge it.

For each store (built from the corpus beside it) this projects the graph without merging,
plans the merges (`kg.analyze.plan_merges`, what `kg merge --dry-run` prints) and, for each
entity merge, finds a sentence of the corpus that uses the merged name and one that uses the
kept name, and lists the other entities of the archive that share the merged name's word (a
surname's other bearers, an acronym's other expansions): a merge is right when both names
stand for the same referent and none of those others could be it. It draws a seeded sample
and writes it as a TSV whose last two columns, `verdict` (right / wrong) and `note`, are
filled by hand; a second run keeps the verdicts already written for the same merges.

Run: python bench/merge_sample.py CORPUS=STORE [CORPUS=STORE ...] [--size 50] [--out bench/judged/merges/sample.tsv]
(CORPUS: the JSON-lines file, or folder of them, that `kg build` read into STORE.)
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.analyze import plan_merges, project  # noqa: E402
from kg.analyze.merge import fold, surnames  # noqa: E402
from kg.analyze.records import is_entity  # noqa: E402
from kg.store import open_store  # noqa: E402

OUT = ROOT / "bench" / "judged" / "merges" / "sample.tsv"
COLUMNS = ("corpus", "rule", "merged", "kept", "reason", "merged_in", "kept_in", "others_so_named", "verdict", "note")


def articles(corpus: Path) -> dict[str, tuple[str, list[str]]]:
    """Each article of the corpus by URL: its title and its sentences."""
    files = sorted(corpus.glob("*.jsonl")) if corpus.is_dir() else [corpus]
    found = {}
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            story = json.loads(line)
            found[story["url"]] = (story["title"], re.split(r"(?<=[.!?])\s+", story["text"]))
    return found


def use(g, node: str, corpus: dict[str, tuple[str, list[str]]], *, without: str = "") -> str:
    """'title: sentence' for a sentence of one of `node`'s own articles that uses its name
    on its own (not inside a longer name such as "La Paz"), one without `without` if any."""
    name = str(g.nodes[node].get("label"))
    alone = re.compile(rf"(?<![\w-])(?<![A-Z][a-z]\s){re.escape(name)}(?![\w-])")
    found = []
    for article in g.nodes[node].get("articles") or ():
        info = g.graph["articles"].get(article)
        title, text = corpus.get(info.url if info else "", ("", []))
        found += [(without in s and bool(without), len(s), title, s) for s in text if alone.search(s)]
    if not found:
        return ""
    _, _, title, sentence = min(found)
    return f"{title}: {sentence}"


def others(g, merge) -> list[str]:
    """Entities of the archive, other than the two, that share the merged name's key word."""
    keys = surnames(merge.merged_label) | {fold(merge.merged_label)}
    found = []
    for n, attrs in g.nodes(data=True):
        label = str(attrs.get("label") or "")
        if n in (merge.merged, merge.kept) or not is_entity(attrs) or not label:
            continue
        words = set(fold(label).split()) | surnames(label)
        initials = "".join(w[0] for w in label.split() if w[:1].isupper())
        if keys & words or (merge.rule == "acronym" and initials == merge.merged_label):
            found.append(f"{label} ({attrs.get('type')})")
    return sorted(set(found))


def rows_of(corpus: Path, store_path: Path) -> list[dict]:
    with open_store(store_path, read_only=True) as store:
        g = project(store, merge=False)
    text = articles(corpus)
    return [{"corpus": f"{corpus.resolve().parent.name}/{corpus.name}", "rule": m.rule, "merged": m.merged_label,
             "kept": m.kept_label, "reason": m.reason,
             "merged_in": use(g, m.merged, text, without=m.kept_label), "kept_in": use(g, m.kept, text),
             "others_so_named": "; ".join(others(g, m)),
             "verdict": "", "note": ""}
            for m in plan_merges(g).of("entity")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="+", metavar="CORPUS=STORE")
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = []
    for pair in args.pairs:
        corpus, _, store = pair.partition("=")
        rows += rows_of(Path(corpus), Path(store))
    sample = random.Random(args.seed).sample(rows, min(args.size, len(rows)))
    sample.sort(key=lambda r: (r["corpus"], r["rule"], r["merged"]))
    judged = {}
    if args.out.exists():
        with args.out.open(encoding="utf-8", newline="") as f:
            judged = {(r["corpus"], r["merged"], r["kept"]): r for r in csv.DictReader(f, delimiter="\t")}
    for row in sample:
        old = judged.get((row["corpus"], row["merged"], row["kept"]), {})
        row["verdict"], row["note"] = old.get("verdict", ""), old.get("note", "")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(sample)
    print(f"{len(rows)} entity merges, {len(sample)} sampled into {args.out}")


if __name__ == "__main__":
    main()
