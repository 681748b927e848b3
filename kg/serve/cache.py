"""Answers already given by `kg serve`, kept for the same query asked again.

A snapshot of the store is fixed, so a query asked again in the same format, with the same
caps, has the same answer: it is sent at once, with no query process. The answers of one
snapshot only (all are forgotten when a build is served), up to a budget of bytes.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from kg.serve.worker import Answer


class Answers:
    """Answers given on one snapshot, by query, format and caps, up to `budget` bytes of
    bodies (the least recently used dropped first; none larger than an eighth of it)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.generation = 0
        self.size = 0
        self._kept: OrderedDict[tuple, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Answer | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: tuple, answer: Answer) -> None:
        if not self.budget or answer.status != 200 or len(answer.body) > self.budget // 8:
            return
        with self._lock:
            if key[0] != self.generation or key in self._kept:
                return
            self._kept[key] = answer
            self.size += len(answer.body)
            while self.size > self.budget:
                self.size -= len(self._kept.popitem(last=False)[1].body)

    def clear(self, generation: int) -> None:
        """Forget every answer: the store is now at `generation`."""
        with self._lock:
            self._kept.clear()
            self.size = 0
            self.generation = generation
