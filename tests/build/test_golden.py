"""The seed build against its golden graph (tests/golden/seed.trig), graph by graph, compared by
isomorphism: a failure lists the triples found only in the golden graph and only in the build.

Extraction rules change what the seed gives; when a change is meant, regenerate the golden
graph with `python -m pytest tests/build/test_golden.py --update-golden` and review its diff.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, to_isomorphic

from kg.export import export

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "seed.trig"
CHECKOUT = "$CHECKOUT"  # the golden graph's stand-in for where the repository is (articles' kg:origin)
SHOWN = 25  # triples listed per side of a difference


def named_graphs(data: bytes | str) -> dict[str, Graph]:
    dataset = Dataset()
    dataset.parse(data=data, format="trig")
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


def difference(name: str, expected: Graph, found: Graph) -> str:
    _, only_expected, only_found = graph_diff(to_isomorphic(expected), to_isomorphic(found))
    lines = [f"graph <{name}>:"]
    for label, triples in (("only in the golden graph", only_expected), ("only in the build", only_found)):
        shown = sorted(" ".join(term.n3() for term in triple) for triple in triples)
        lines.append(f"  {label} ({len(shown)}):")
        lines += [f"    {line}" for line in shown[:SHOWN]] + (["    ..."] if len(shown) > SHOWN else [])
    return "\n".join(lines)


def test_golden_seed_build_is_the_golden_graph(seed_store, update_golden) -> None:
    data, _ = export(seed_store, fmt="trig")
    if update_golden:
        GOLDEN.write_text(data.decode("utf-8").replace(str(ROOT), CHECKOUT), encoding="utf-8")
        pytest.skip(f"wrote {GOLDEN}")
    expected = named_graphs(GOLDEN.read_text(encoding="utf-8").replace(CHECKOUT, str(ROOT)))
    found = named_graphs(data)
    missing, extra = sorted(expected.keys() - found.keys()), sorted(found.keys() - expected.keys())
    problems = [f"article graph missing from the build: <{g}>" for g in missing]
    problems += [f"article graph not in the golden graph: <{g}>" for g in extra]
    problems += [difference(name, expected[name], found[name]) for name in sorted(expected.keys() & found.keys())
                 if to_isomorphic(expected[name]) != to_isomorphic(found[name])]
    assert not problems, ("the seed build differs from tests/golden/seed.trig (if that is meant, run "
                          "`python -m pytest tests/build/test_golden.py --update-golden`):\n" + "\n".join(problems))
