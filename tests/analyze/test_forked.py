"""Work on a second core: the result comes back from a forked child, and a child that fails
leaves the work to this process, which shows the real error."""
from __future__ import annotations

import os

import pytest

from kg.analyze import forked


def test_forked_work_runs_in_a_child_and_gives_its_result() -> None:
    here = os.getpid()
    data = {"a": [1, 2, 3]}
    done = forked.start(lambda: (os.getpid(), sum(data["a"])))
    data["a"].append(100)  # the child read its own copy, taken at the fork
    pid, total = done()
    assert (pid != here, total) == (True, 6)


def test_forked_work_that_fails_in_the_child_runs_here_and_raises_its_error() -> None:
    calls = []

    def work() -> int:
        calls.append(os.getpid())
        raise ValueError("no layout for you")

    done = forked.start(work)
    with pytest.raises(ValueError, match="no layout for you"):
        done()
    assert calls == [os.getpid()]  # the child's attempt ran in its own memory, this one here


def test_forked_work_runs_here_where_there_is_no_fork(monkeypatch) -> None:
    monkeypatch.delattr(os, "fork")
    assert forked.start(lambda: os.getpid())() == os.getpid()
