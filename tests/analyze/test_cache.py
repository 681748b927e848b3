"""The projection cache: written beside the command that read the store (done when the
command is), read back as the same graph; the collector paused while a projection is read."""
from __future__ import annotations

import gc

import networkx as nx
import pytest

from kg.analyze.cache import load_projection, paused_gc, projection_kept


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


def test_cache_kept_projection_is_written_by_the_time_the_command_is_done(seed_store, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    with projection_kept(seed_store) as graph:
        graph.add_node("made after the projection was read")  # the cache keeps what was read
    [kept] = tmp_path.glob("projection-*.pickle")
    again = load_projection(seed_store)
    assert "made after the projection was read" not in again
    graph.remove_node("made after the projection was read")
    assert nx.utils.graphs_equal(graph, again) and list(tmp_path.glob("projection-*.pickle")) == [kept]
