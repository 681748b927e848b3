"""Builds: incremental, forced, locked against a second writer, and safe to kill at any moment."""
from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from kg.build import build
from kg.errors import StoreError
from kg.store.oxigraph import OxigraphStore

from conftest import SEEDS


def test_build_second_time_adds_nothing_and_force_rebuilds_the_same(tmp_path, seed_store):
    store = OxigraphStore(tmp_path / "store")
    first = build([SEEDS], store)
    second = build([SEEDS], store)
    assert (second.articles_added, second.articles_unchanged) == (0, first.articles_added)
    forced = build([SEEDS], store, force=True)
    assert forced.articles_added == first.articles_added
    assert isomorphic(store.union_graph(), seed_store.union_graph())


def test_build_with_two_jobs_stores_the_graph_of_one_job(tmp_path, seed_store):
    store = OxigraphStore(tmp_path / "store")
    report = build([SEEDS], store, jobs=2, batch_size=4)  # worker processes parse and extract
    assert report.articles_added == len(seed_store.article_graphs()) > 4
    assert store.article_graphs() == seed_store.article_graphs()
    assert isomorphic(store.union_graph(), seed_store.union_graph())


def test_build_takes_the_extraction_step_as_a_strategy(tmp_path, seed_store):
    from kg.build import local_extraction

    seen = []

    def extract(articles):
        for extraction in local_extraction()(articles):
            seen.append(extraction.article.id)
            yield extraction

    store = OxigraphStore(tmp_path / "store")
    report = build([SEEDS], store, extract=extract)
    assert report.articles_added == len(seen) == len(seed_store.article_graphs())
    assert isomorphic(store.union_graph(), seed_store.union_graph())


class _FullDisk(OxigraphStore):
    def put_graph(self, graph) -> None:
        raise StoreError("cannot write to the store: no space left on device")


def test_build_raises_an_error_of_the_store_writer_in_the_caller(tmp_path):
    with pytest.raises(StoreError, match="no space left"):
        build([SEEDS], _FullDisk(tmp_path / "store"))


def test_build_refuses_a_second_writer_with_a_clear_message(tmp_path):
    holder = OxigraphStore(tmp_path / "store")
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(SEEDS), "--store", str(tmp_path / "store"), "--no-progress"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "another kg process is using it" in result.stderr
    assert holder.article_graphs() == []


def _corpus(path: Path, n: int) -> Path:
    story = (SEEDS / "000_42b68af8222b094e.txt").read_text(encoding="utf-8").split("\n\n")[0]
    paragraphs = [p for p in story.split("\n") if p.strip()]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = " ".join(paragraphs[i % len(paragraphs):] + paragraphs[: i % len(paragraphs)])
            out.write(json.dumps({"title": f"Story {i}", "text": text, "url": f"https://example.org/{i}"}) + "\n")
    return path


def _graph_sizes(store: OxigraphStore) -> dict[str, int]:
    return {str(g): len(store.query(f"SELECT * WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}").rows)
            for g in store.article_graphs()}


@pytest.mark.slow
@pytest.mark.model
def test_build_killed_at_random_moments_leaves_whole_articles_and_completes_after(tmp_path):
    corpus = _corpus(tmp_path / "corpus.jsonl", 120)
    reference = OxigraphStore(tmp_path / "reference")
    build([corpus], reference, batch_size=8)
    expected = _graph_sizes(reference)
    target = tmp_path / "store"
    command = [sys.executable, "-m", "kg", "build", str(corpus), "--store", str(target), "--no-progress", "--batch-size", "8"]
    rng = random.Random(7)
    for _ in range(3):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while not target.exists() and time.monotonic() < deadline:  # kill it while it writes
            time.sleep(0.05)
        time.sleep(rng.uniform(1.0, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        with OxigraphStore(target, read_only=True) as interrupted:
            sizes = _graph_sizes(interrupted)  # opens and queries fine
        assert all(sizes[g] == expected[g] for g in sizes), "an article is only partly stored"
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    store = OxigraphStore(target, read_only=True)
    assert _graph_sizes(store) == expected
    assert isomorphic(store.union_graph(), reference.union_graph())
