"""The projection cache's collector pause: off while a projection is read, as it was after."""
from __future__ import annotations

import gc

import pytest

from kg.analyze.cache import paused_gc


def test_cache_pause_turns_the_collector_off_and_back_on() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_cache_pause_leaves_the_collector_on_after_an_error_and_off_if_it_was() -> None:
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("a damaged cache")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
