"""The Python API: the README's notebook example, run as written, and each function of `kg`."""
from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pandas
import pytest

import kg
from kg.extract import Extractor
from kg.ingest import Skipped

ROOT = Path(__file__).resolve().parent.parent
CALL = "Japanese Prime Minister Shigeru Ishiba spoke with U.S. President Donald Trump by phone on Monday."
TARIFF = "The United States imposed tariffs on Chinese steel, the Commerce Department said."


def readme_example() -> str:
    """The code block of the README's "Python API" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_api_readme_example_builds_queries_into_a_dataframe_and_gives_a_networkx_graph(nlp, tmp_path, monkeypatch):
    code = readme_example()
    assert len(code.strip().splitlines()) == 5
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(compile(code, "README.md", "exec"), names)  # noqa: S102 - the documented example, as a reader runs it
    names["store"].close()
    df, g = names["df"], names["g"]
    assert isinstance(df, pandas.DataFrame) and isinstance(g, nx.MultiDiGraph)
    assert {"person", "other"} <= set(df.columns)
    assert {"Shigeru Ishiba", "Donald Trump"} in [{a, b} for a, b in zip(df["person"], df["other"])]
    labels = {a.get("label") for _, a in g.nodes(data=True)}
    assert {"Shigeru Ishiba", "Donald Trump", "Japan"} <= labels


def test_api_builds_articles_given_as_records_and_queries_by_the_store_address(nlp, tmp_path):
    articles = [kg.Article(id="call", text=CALL, title="A call"), kg.Article(id="tariff", text=TARIFF)]
    report = kg.build(articles, tmp_path / "store")
    assert (report.articles_added, report.failed) == (2, False)
    rows = kg.query(tmp_path / "store", "who-spoke-with-whom").to_dicts()
    assert {"Shigeru Ishiba", "Donald Trump"} in [{r["person"], r["other"]} for r in rows]
    assert kg.graph(tmp_path / "store", events=False).has_node("https://w3id.org/kg-news/id/country/USA")


def test_api_an_article_whose_extraction_fails_is_skipped_with_the_reason(nlp, tmp_path, monkeypatch):
    read = Extractor.read

    def failing(self, doc, article, **options):
        if article.id == "tariff":
            raise RuntimeError("a rule broke")
        return read(self, doc, article, **options)

    monkeypatch.setattr(Extractor, "read", failing)
    articles = [kg.Article(id="call", text=CALL), kg.Article(id="tariff", text=TARIFF, origin="feed.xml#entry-2")]
    report = kg.build(articles, tmp_path / "store")
    assert report.articles_added == 1 and report.failed
    assert [str(s) for s in report.skipped] == ["feed.xml#entry-2: extraction failed (RuntimeError: a rule broke)"]
    found = kg.extract(articles)
    assert [type(x).__name__ for x in found] == ["Extraction", "Skipped"]


def test_api_extract_reads_without_storing_and_skips_what_it_cannot_read(nlp, tmp_path):
    found = kg.extract([tmp_path / "missing.txt", kg.Article(id="call", text=CALL)])
    skipped, extraction = found
    assert isinstance(skipped, Skipped) and skipped.reason == "no such file or folder"
    assert {e.name for e in extraction.entities} >= {"Shigeru Ishiba", "Donald Trump"}
    assert not (tmp_path / "kg-store").exists()


def test_api_write_view_draws_a_store_or_a_graph(seed_store, tmp_path):
    from kg.analyze import Selection

    whole = kg.write_view(seed_store, tmp_path / "all.html")
    focused = kg.write_view(kg.graph(seed_store), tmp_path / "focus.html",
                            selection=Selection(focus=("Shigeru Ishiba",)))
    assert 0 < focused.nodes < whole.nodes
    assert (tmp_path / "focus.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_api_errors_are_kg_errors_and_names_are_listed() -> None:
    with pytest.raises(kg.KGError, match="unknown query 'no-such-query'"):
        kg.query(kg.open_store(None), "no-such-query")
    assert set(kg.__all__) >= {"open_store", "build", "extract", "query", "graph", "write_view", "Article", "KGError"}
    with pytest.raises(AttributeError):
        kg.no_such_name  # noqa: B018


def test_api_results_to_dicts_keep_python_values_and_leave_unbound_out() -> None:
    with kg.open_store(None) as store:
        results = store.query('SELECT ?a ?b ?n WHERE { VALUES (?a ?b ?n) { ("x" UNDEF 2) } }')
    assert results.to_dicts() == [{"a": "x", "n": 2}]
    assert list(results.to_dataframe().columns) == ["a", "b", "n"]


def test_api_build_and_extract_are_the_stage_packages_made_callable() -> None:
    import kg.build.pipeline
    import kg.extract.lexicon as lexicon

    assert callable(kg.build) and callable(kg.extract)
    assert kg.build.pipeline.BuildReport is kg.build.BuildReport  # still the packages
    assert lexicon.__name__ == "kg.extract.lexicon"
