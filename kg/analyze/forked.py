"""Work done on a second core: a forked child process runs a function while this process
goes on, and hands back its result when asked.

The child is a copy of this process at the moment of the fork, so it reads the graph it was
given without any of it being pickled; only its result comes back through a pipe. Where
there is no fork (Windows), or the fork or the child fails, the work runs here instead, so
a failure shows its own error and traceback.
"""
from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def start(work: Callable[[], T]) -> Callable[[], T]:
    """Start `work()` in a forked child; the function returned waits for it and gives its
    result (or runs `work()` here if the child could not give one)."""
    if not hasattr(os, "fork"):
        return _here(work)
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return _here(work)
    if pid == 0:
        os.close(read_end)
        _child(work, write_end)
    os.close(write_end)
    return lambda: _result(pid, read_end, work)


def _here(work: Callable[[], T]) -> Callable[[], T]:
    result = work()
    return lambda: result


def _child(work: Callable[[], object], write_end: int) -> None:
    """Run `work`, send its pickled result, and leave at once: no exit handlers, no buffers
    of the parent's flushed a second time."""
    try:
        payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        code = 0
    except BaseException:  # noqa: BLE001 - the parent runs the work again and shows the error
        code = 1
    os._exit(code)


def _result(pid: int, read_end: int, work: Callable[[], T]) -> T:
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not payload:
        return work()
    return pickle.loads(payload)
