"""The benchmark corpus generator (bench/corpus.py): deterministic, and news kg reads facts from."""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate, write_corpus  # noqa: E402

from kg import ingest  # noqa: E402


def test_bench_corpus_is_the_same_for_the_same_seed(tmp_path):
    first = write_corpus(tmp_path / "a", 30, seed=3, per_file=20)
    second = write_corpus(tmp_path / "b", 30, seed=3, per_file=20)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.name for p in first] == ["corpus-0000.jsonl", "corpus-0001.jsonl"]
    assert list(generate(5, seed=4)) != list(generate(5, seed=3))


def test_bench_corpus_articles_are_read_by_kg_with_their_metadata(tmp_path):
    write_corpus(tmp_path, 5, seed=1)
    records = [json.loads(line) for line in (tmp_path / "corpus-0000.jsonl").read_text(encoding="utf-8").splitlines()]
    articles = [a for a in ingest.read_articles([tmp_path]) if isinstance(a, ingest.Article)]
    assert len(articles) == 5 and len({a.id for a in articles}) == 5
    assert [(a.title, a.url, a.published, a.source) for a in articles] == [
        (r["title"], r["url"], r["published"], r["source"]) for r in records
    ]
    assert all(len(a.text.split()) > 100 for a in articles)


def test_bench_corpus_articles_give_roles_and_events(tmp_path, extractor):
    write_corpus(tmp_path, 4, seed=1)
    articles = [a for a in ingest.read_articles([tmp_path]) if isinstance(a, ingest.Article)]
    extractions = list(extractor.extract_many(articles))
    assert all(x.events for x in extractions)
    assert any(x.roles for x in extractions)
    assert any(e.key.startswith("country/") for x in extractions for e in x.entities)
    assert any(e.key.startswith("person/") for x in extractions for e in x.entities)
