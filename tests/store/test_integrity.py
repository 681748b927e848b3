"""`kg doctor` (kg.store.integrity): strays found and mended; and a store killed in each write
phase (ontology, article graph, duplicate link) that the check finds consistent and that a
rebuild makes equal to a clean build."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.store.layout import CONTENT_KEY, DEFAULT, FINGERPRINTS_GRAPH, ONTOLOGY
from kg.store.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = 40
# A writer of generated articles (bench/bench_store.py's generator; no spaCy), as `kg build`
# writes them: the ontology, each article's graph, and articles that repeat a stored one.
WRITER = """
import sys
sys.path.insert(0, sys.argv[1] + "/bench")
from dataclasses import replace
from bench_store import Generator
from kg.model import Extraction
from kg.rdf.graph import extraction_triples
from kg.store.oxigraph import OxigraphStore

path, phase, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
generator = Generator(seed=5)
extractions = [generator.extraction() for _ in range(count)]
store = OxigraphStore(path)
store.load_ontology()
if phase != "rebuild":
    print("ready", flush=True)
while True:
    if phase in ("ontology", "rebuild"):
        store.load_ontology(force=phase == "ontology")
    if phase in ("articles", "rebuild"):
        for extraction in extractions:
            store.put_graph(extraction_triples(extraction))
    if phase in ("links", "rebuild"):
        for extraction in extractions[: count // 2]:
            copy = replace(extraction.article, id=extraction.article.id[::-1], duplicate_of=extraction.article.id)
            store.put_graph(extraction_triples(Extraction(article=copy)))
    if phase == "rebuild":
        break
store.close()
"""


def write(path: Path, phase: str, *, kill_after: float | None = None) -> None:
    command = [sys.executable, "-c", WRITER, str(ROOT), str(path), phase, str(ARTICLES)]
    if kill_after is None:
        subprocess.run(command, check=True, capture_output=True)
        return
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout.readline() == b"ready\n", child.stderr.read().decode()
    time.sleep(kill_after)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()


def contents(path: Path) -> Counter:
    """Every quad of the store, blank nodes (the ontology's lists, new at each load) as `_:`."""
    def term(t):
        return "_:" if isinstance(t, ox.BlankNode) else str(t)

    store = ox.Store.read_only(str(path))
    return Counter(tuple(map(term, (q.subject, q.predicate, q.object, q.graph_name)))
                   for q in store.quads_for_pattern(None, None, None, None))


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Counter:
    path = tmp_path_factory.mktemp("clean") / "store"
    write(path, "rebuild")
    return contents(path)


def doctor(path: Path, *args: str):
    return CliRunner().invoke(main, ["doctor", "--store", str(path), *args], catch_exceptions=False)


def test_integrity_a_clean_build_is_consistent(tmp_path, clean):
    write(tmp_path / "store", "rebuild")
    result = doctor(tmp_path / "store")
    assert result.exit_code == 0, result.output
    assert "consistent: nothing to repair" in result.output


def test_integrity_finds_each_stray_and_repair_makes_the_clean_build(tmp_path, clean):
    path = tmp_path / "store"
    write(path, "rebuild")
    engine = ox.Store(str(path))
    stray = ox.Quad(ox.NamedNode("https://w3id.org/kg-news/id/x"), ox.NamedNode("https://w3id.org/kg-news/ontology#name"),
                    ox.Literal("nobody"), DEFAULT)
    engine.add(stray)
    article = next(q.graph_name for q in engine.quads_for_pattern(None, None, None, None)
                   if "/article/" in str(q.graph_name))
    dropped = next(engine.quads_for_pattern(None, None, None, article)).triple
    engine.remove(ox.Quad(dropped.subject, dropped.predicate, dropped.object, DEFAULT))
    engine.add(ox.Quad(ox.NamedNode("https://w3id.org/kg-news/id/article/gone"), CONTENT_KEY, ox.Literal("0"),
                       FINGERPRINTS_GRAPH))
    engine.update(f"DROP GRAPH {ONTOLOGY}")
    engine.flush()
    del engine

    found = doctor(path)
    assert found.exit_code == 1
    for what in ("default-graph triples no graph states: ", "graph triples missing from the default graph: 1",
                 "fingerprints of articles not stored: 1", "ontology missing or not this kg.ttl", "kg doctor --repair"):
        assert what in found.output, found.output
    mended = doctor(path, "--repair")
    assert mended.exit_code == 0 and "(repaired)" in mended.output, mended.output
    assert doctor(path).exit_code == 0
    assert contents(path) == clean


def test_integrity_leftovers_of_killed_creations_are_reported_cleared(tmp_path):
    write(tmp_path / "store", "rebuild")
    (tmp_path / ".store.creating-999999999").mkdir()
    result = doctor(tmp_path / "store")
    assert "leftover temporary stores: 1 (repaired)" in result.output
    assert not (tmp_path / ".store.creating-999999999").exists()


# Random kills per phase: 2 in CI; `KG_KILLS=20 python -m pytest tests/store/test_integrity.py` for the full test.
KILLS = int(os.environ.get("KG_KILLS", "2"))


def killed_then_checked(tmp_path: Path, phase: str, clean: Counter, rnd: random.Random, kills: int) -> None:
    for n in range(kills):
        path = tmp_path / f"{phase}-{n}" / "store"
        if phase == "links":
            write(path, "rebuild")  # the originals are stored; the duplicates are being linked
        write(path, phase, kill_after=rnd.uniform(0.0, 0.6))
        with OxigraphStore(path, read_only=True) as store:
            report = store.check_integrity()
        assert not report.findings, f"kill {n} in phase {phase}: {report.describe()}"
        write(path, "rebuild")
        assert contents(path) == clean, f"kill {n} in phase {phase}: the rebuild differs from a clean build"


@pytest.mark.parametrize("phase", ["ontology", "articles", "links"])
def test_integrity_a_store_killed_while_writing_is_consistent_and_rebuilds_clean(tmp_path, clean, phase):
    killed_then_checked(tmp_path, phase, clean, random.Random(phase), KILLS)

