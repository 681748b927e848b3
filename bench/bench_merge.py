"""How much entity resolution across articles removes duplicates, and whether it errs.

It writes a corpus whose articles name the same people and organisations in different ways,
as an archive does: a person in full in one article ("Foreign Minister Maria Okonkwo") and
by surname in another ("Okonkwo said ..."), some surnames shared by two people (who must
stay apart); an organisation defined with its acronym in one article ("the Northern
Liberation Front (NLF)") and by acronym alone in another. The corpus knows who each name
stands for. It builds a store with `kg build`, projects it without merging, and counts the
duplicate pairs (two entity nodes that stand for the same one referent), then again after
`kg.analyze.merge`; a merge is wrong if it joins nodes that stand for different referents,
or a name shared by two referents with anything. It writes bench/results/merge.json with the
figures and every merge with its rule and reason (for checking by hand).

Run: python bench/bench_merge.py [--articles 600] [--work /tmp/kg-bench-merge]
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from report import write_results  # noqa: E402

from kg import gazetteer  # noqa: E402
from kg.analyze import plan_merges, project  # noqa: E402
from kg.store import open_store  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "merge.json"
FIRST = ("Maria", "Tomas", "Amara", "Kenji", "Olena", "Rafael", "Priya", "Lars", "Fatima", "Dmitri",
         "Ines", "Samuel", "Yara", "Hugo", "Leila", "Marek", "Noor", "Pablo", "Sina", "Viktor")
LAST = ("Okonkwo", "Lindholm", "Vasquez", "Takeda", "Moravec", "Adeyemi", "Kowalczyk", "Haddadi", "Brennan",
        "Sorensen", "Castellano", "Nakagawa", "Petrescu", "Oyelaran", "Fitzgerald", "Marchetti", "Abernathy",
        "Kuznetsov", "Delacroix", "Mwangi", "Halvorsen", "Ferreyra", "Zielinski", "Rahimi", "Obradovic",
        "Quintero", "Lindgren", "Achterberg", "Solberg", "Ivanova")
TITLES = ("Foreign Minister", "Trade Minister", "Finance Minister", "Defense Minister", "Energy Minister")
ORG_A = ("National", "Northern", "Popular", "United", "Revolutionary", "Democratic", "Eastern", "Patriotic")
ORG_B = ("Liberation", "Reform", "Unity", "Resistance", "Progress", "Salvation")
ORG_C = ("Front", "Council", "Movement", "Alliance", "Party")
VERBS = ("met", "spoke with", "criticized", "praised", "thanked")


def cast(rnd: random.Random) -> tuple[list[dict], list[dict]]:
    """People (eight pairs share a surname) and organisations with distinct acronyms."""
    gaz = gazetteer.load()
    countries = [e for e in gaz.entries if e.type == "Country" and e.demonyms]
    surnames = list(LAST)
    rnd.shuffle(surnames)
    people = []
    for i, last in enumerate(surnames):
        for first in rnd.sample(FIRST, 2 if i < 8 else 1):
            people.append({"id": f"p{len(people)}", "full": f"{first} {last}", "last": last,
                           "title": rnd.choice(TITLES), "country": rnd.choice(countries).demonyms[0]})
    orgs, acronyms = [], set()
    for a, b, c in rnd.sample(list(itertools.product(ORG_A, ORG_B, ORG_C)), 40):
        acronym = a[0] + b[0] + c[0]
        if acronym in acronyms:
            continue
        acronyms.add(acronym)
        orgs.append({"id": f"o{len(orgs)}", "full": f"{a} {b} {c}", "acronym": acronym})
    return people, orgs[:20]


def article(rnd: random.Random, index: int, people: list[dict], orgs: list[dict]) -> tuple[dict, list[tuple[str, str]]]:
    """One story and who its names stand for: (name as written, referent)."""
    p1, p2 = rnd.sample(people, 2)
    org = rnd.choice(orgs)
    day = rnd.choice(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"))
    verb = rnd.choice(VERBS)
    if rnd.random() < 0.5:  # named in full, the acronym defined
        text = (f"{p1['country']} {p1['title']} {p1['full']} {verb} {p2['country']} {p2['title']} {p2['full']} "
                f"on {day}. The {org['full']} ({org['acronym']}) welcomed the talks. "
                f"{p1['last']} said the two sides would meet again. The {org['acronym']} has called for a ceasefire.")
        names = [(p1["full"], p1["id"]), (p2["full"], p2["id"]), (org["full"], org["id"]), (org["acronym"], org["id"]),
                 (p1["last"], p1["id"])]
    else:  # by surname, the acronym alone
        text = (f"{p1['last']} {verb} {p2['last']} on {day}, officials said. "
                f"The {org['acronym']} rejected the plan. {p2['last']} declined to comment.")
        names = [(p1["last"], p1["id"]), (p2["last"], p2["id"]), (org["acronym"], org["id"])]
    story = {"title": f"Talks {index}", "text": text, "url": f"https://example.org/merge/{index}",
             "published": f"2025-{1 + index % 12:02d}-{1 + index % 28:02d}", "source": "Bench Wire"}
    return story, names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "kg-bench-merge"))
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    people, orgs = cast(rnd)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    corpus, store_path = work / "corpus.jsonl", work / f"store-{args.articles}-{args.seed}"
    stands_for: dict[str, set[str]] = defaultdict(set)  # a name as written -> who it stands for
    with corpus.open("w", encoding="utf-8") as out:
        for i in range(args.articles):
            story, names = article(rnd, i, people, orgs)
            out.write(json.dumps(story) + "\n")
            for name, who in names:
                stands_for[name].add(who)
    if not (store_path / "CURRENT").exists():
        subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store_path),
                        "--no-progress"], check=True, capture_output=True)
    with open_store(store_path, read_only=True) as store:
        graph = project(store, merge=False)
    plan = plan_merges(graph)
    referent = {n: frozenset(stands_for.get(str(a.get("label")), ())) for n, a in graph.nodes(data=True)
                if a.get("type") in ("Person", "Organization", "Group")}
    pure = {n: next(iter(r)) for n, r in referent.items() if len(r) == 1}

    def duplicate_pairs(group_of: dict[str, str]) -> int:
        groups: dict[str, set[str]] = defaultdict(set)
        for node, who in pure.items():
            groups[who].add(group_of.get(node, node))
        return sum(len(g) * (len(g) - 1) // 2 for g in groups.values())

    before, after = duplicate_pairs({}), duplicate_pairs(plan.canonical)
    merges = [m for m in plan.of("entity")]
    wrong = [m for m in merges if referent.get(m.merged) != referent.get(m.kept) or len(referent.get(m.kept, ())) != 1]
    shared = sorted({p["last"] for p in people if sum(q["last"] == p["last"] for q in people) > 1})
    print(f"entity nodes {len(referent)}, standing for one referent {len(pure)}")
    print(f"duplicate pairs: {before} before, {after} after merging: {1 - after / max(before, 1):.1%} fewer")
    print(f"entity merges {len(merges)}, wrong {len(wrong)}; ambiguous names left apart {len(plan.ambiguous)}")
    for m in wrong[:10]:
        print("  wrong:", m.merged_label, "->", m.kept_label, m.rule)
    write_results(RESULTS, {
        "benchmark": "entity resolution across articles on a corpus of name variants",
        "articles": args.articles, "seed": args.seed,
        "entity_nodes": len(referent), "pure_nodes": len(pure),
        "duplicate_pairs_before": before, "duplicate_pairs_after": after,
        "reduction": round(1 - after / max(before, 1), 4),
        "entity_merges": len(merges), "wrong_merges": len(wrong),
        "shared_surnames": shared,
        "ambiguous": [{"name": a.label, "rule": a.rule, "candidates": list(a.candidates)} for a in plan.ambiguous],
        "merges": [{"merged": m.merged_label, "kept": m.kept_label, "rule": m.rule, "reason": m.reason,
                    "stands_for": sorted(referent.get(m.merged, ())), "kept_stands_for": sorted(referent.get(m.kept, ()))}
                   for m in merges],
    })


if __name__ == "__main__":
    main()
