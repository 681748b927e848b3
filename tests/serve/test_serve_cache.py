"""Answers kept for the same query asked again: given at once with no query process, per
snapshot (a new state of the store is queried afresh), within their budget of bytes."""
from __future__ import annotations

import asyncio
import time

from kg.serve.cache import Answers
from kg.serve.pool import PoolLimits, QueryPool
from kg.serve.snapshot import Snapshot
from kg.serve.worker import Answer, Job

PEOPLE = "SELECT ?name WHERE { ?p a kg:Person ; kg:name ?name } ORDER BY ?name"


def test_serve_cache_answers_a_query_asked_again_without_a_process(seed_store_path):
    pool = QueryPool(Snapshot(str(seed_store_path), 1), PoolLimits(workers=1, max_long=0))
    try:
        ask = lambda job: asyncio.run(pool.run(job, deadline=time.monotonic() + 30))  # noqa: E731
        first = ask(Job(PEOPLE, None, 10_000))
        assert first.status == 200 and b'"name"' in first.body
        assert ask(Job(PEOPLE, None, 10_000)) is first
        assert pool.stats["answered"] == 1 and pool.stats["kept"] == 1
        cut = ask(Job(PEOPLE, None, 2))  # other caps, or another format: another answer
        assert cut.truncated_at == 2 and pool.stats["answered"] == 2
        assert ask(Job(PEOPLE, "text/csv", 10_000)).body.startswith(b"name\r\n") and pool.stats["answered"] == 3
        pool.switch(Snapshot(str(seed_store_path), 2))  # a build was served: the query runs again
        again = ask(Job(PEOPLE, None, 10_000))
        assert again is not first and again.body == first.body and pool.stats["answered"] == 4
    finally:
        pool.close()


def test_serve_cache_keeps_answers_within_its_budget():
    answers = Answers(8000)
    answers.clear(1)
    for n in range(10):
        answers.put((1, n), Answer(200, "text/plain", b"x" * 900))
    assert answers.size <= 8000 and answers.get((1, 0)) is None and answers.get((1, 9)) is not None
    answers.put((1, "big"), Answer(200, "text/plain", b"x" * 1001))  # over an eighth of the budget
    answers.put((1, "refused"), Answer(503, "text/plain", b"busy"))  # only answers are kept, not refusals
    answers.put((0, "old"), Answer(200, "text/plain", b"old"))  # computed on a snapshot no longer served
    assert all(answers.get(key) is None for key in [(1, "big"), (1, "refused"), (0, "old")])
