"""Every hostile input of issue 15 (tests/hostile.py, tests/data/hostile/) built beside normal
articles: each costs only itself, with one line naming it and the reason; the normal articles
are all stored; and the store equals a clean build of the same articles, graph by graph."""
from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner

from hostile import CASES, NORMAL, Case, deep_json, differences, lay_out, named_graphs, skip_lines
from kg.build import build
from kg.build.extraction import batches, extract_batch
from kg.cli import main
from kg.export import export
from kg.ingest import Skipped, read_articles
from kg.model import Article, Extraction
from kg.rdf.iris import article_iri
from kg.store.oxigraph import OxigraphStore

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
T = TypeVar("T")
PATIENCE = 120  # seconds: a build that takes longer is hanging (a FIFO read, /dev/zero)


def within(seconds: float, run: Callable[[], T]) -> T:
    """What `run()` returns, failing the test if it has not returned after `seconds`."""
    result: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(run())
        except BaseException as err:  # noqa: BLE001 - raised again in the test's thread
            errors.append(err)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s: it hangs"
    if errors:
        raise errors[0]
    return result[0]


def sharing(extractor) -> Callable[[Iterable[Article]], Iterator[Extraction | Skipped]]:
    """The build's extraction step with the session's extractor (no pipeline loaded per build)."""
    def extract(articles: Iterable[Article]) -> Iterator[Extraction | Skipped]:
        for batch in batches(articles, 64):
            yield from extract_batch(extractor, batch)
    return extract


def normal_ids(folder: Path) -> set[str]:
    return {a.id for a in read_articles([folder / name for name in NORMAL]) if isinstance(a, Article)}


def matches(lines: list[str], starts: list[str]) -> list[str]:
    """What is wrong between the lines printed and how each must start (any order; empty if right)."""
    left = list(lines)
    problems = []
    for start in starts:
        found = next((line for line in left if line.startswith(start)), None)
        if found is None:
            problems.append(f"no line starting {start!r}")
        else:
            left.remove(found)
    return problems + [f"unexpected line {line!r}" for line in left]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.shown.replace("\\", "/"))
def test_hostile_input_beside_normal_articles_costs_only_itself(tmp_path, extractor, case: Case):
    folder = lay_out(tmp_path / "in", [case])
    with OxigraphStore(tmp_path / "store") as store:
        report = within(PATIENCE, lambda: build([folder], store, extract=sharing(extractor)))
        stored = set(store.article_graphs())
    assert {article_iri(i) for i in normal_ids(folder)} <= stored
    expected = [line.removeprefix("kg: skipped ") for line in skip_lines(folder, [case])]
    assert not matches([str(s) for s in report.skipped], expected), report.skipped
    assert all("\n" not in str(s) for s in report.skipped)
    twin = lay_out(tmp_path / "twin", [case], twins=True, normal=False)
    assert len(stored) == len(NORMAL) + sum(isinstance(a, Article) for a in read_articles([twin]))


def test_hostile_mixed_folder_stores_every_normal_article_and_equals_a_clean_build(tmp_path, nlp, news_server):
    """The whole corpus in one folder, and URLs that serve JSON nested 100,000 deep and a
    5,000-digit number: one line per bad input, nothing else, and the store of a clean build."""
    deep = news_server.add("/deep.json", deep_json(100_000), content_type="application/json")
    big = news_server.add("/bigint.json", b'{"text": "x", "n": ' + b"9" * 5000 + b"}", content_type="application/json")
    mixed = lay_out(tmp_path / "mixed", CASES)
    (mixed / "zz-urls.txt").write_text(f"{deep}\n{big}\n", encoding="utf-8")

    runner = CliRunner()
    result = within(PATIENCE, lambda: runner.invoke(main, ["build", str(mixed), "--store", str(tmp_path / "hostile"),
                                                           "--no-progress"], catch_exceptions=False))
    assert result.exit_code == 3, result.output  # finished, with skips
    expected = skip_lines(mixed, CASES) + [f"kg: skipped {deep}: JSON nested too deeply",
                                           f"kg: skipped {big}: JSON number too long"]
    assert not matches(result.stderr.splitlines(), expected), result.stderr
    skipped = sum(len(case.skips) for case in CASES) + 2
    assert f"; {skipped} skipped (" in result.stdout
    assert "4 not a regular file" in result.stdout and "3 JSON nested too deeply" in result.stdout

    clean = lay_out(tmp_path / "clean", CASES, twins=True)
    runner.invoke(main, ["build", str(clean), "--store", str(tmp_path / "clean-store"), "--no-progress"],
                  catch_exceptions=False)
    with OxigraphStore(tmp_path / "hostile", read_only=True) as store:
        found = named_graphs(export(store, fmt="trig")[0], mixed)
        assert {article_iri(i) for i in normal_ids(mixed)} <= set(store.article_graphs())
    with OxigraphStore(tmp_path / "clean-store", read_only=True) as store:
        wanted = named_graphs(export(store, fmt="trig")[0], clean)
    assert len(wanted) == len(NORMAL) + 18  # what the twins hold: the comparison is not of nothing
    problems = differences(wanted, found)
    assert not problems, "\n".join(problems)


def test_hostile_fifo_and_device_given_by_name_are_skipped_at_once(tmp_path):
    (tmp_path / "fifo.txt").parent.mkdir(exist_ok=True)
    lay_out(tmp_path, [c for c in CASES if c.name in ("fifo.txt", "zero.txt", "urandom.txt")], normal=False)
    story = tmp_path / "story.txt"
    story.write_text("Japan raised tariffs on steel imports.", encoding="utf-8")
    names = [tmp_path / "fifo.txt", tmp_path / "zero.txt", tmp_path / "urandom.txt", story]
    items = within(30, lambda: list(read_articles(names)))
    assert [str(i) for i in items if isinstance(i, Skipped)] == [
        f"{tmp_path / 'fifo.txt'}: not a regular file (a named pipe): not read",
        f"{tmp_path / 'zero.txt'}: not a regular file (a character device): not read",
        f"{tmp_path / 'urandom.txt'}: not a regular file (a character device): not read",
    ]
    assert [i.text for i in items if isinstance(i, Article)] == ["Japan raised tariffs on steel imports."]


def test_hostile_surrogates_and_control_characters_never_reach_the_store(tmp_path, extractor):
    lay_out(tmp_path / "in", [c for c in CASES if c.name in ("surrogates.json", "control-title.json")], normal=False)
    with OxigraphStore(tmp_path / "store") as store:
        build([tmp_path / "in"], store, extract=sharing(extractor))
        literals = [str(o) for s, p, o in store.union_graph() if o.__class__.__name__ == "Literal"]
    assert any("Brazil \ufffd Argentina" == text for text in literals)
    assert not [t for t in literals if any(0xD800 <= ord(c) <= 0xDFFF or ord(c) < 9 or c == "\x1b" for c in t)]


def test_hostile_build_summary_counts_skips_by_reason(tmp_path, extractor):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text("{\n{\n" + json.dumps({"text": "Japan raised tariffs."}) + "\n", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    with OxigraphStore(tmp_path / "store") as store:
        report = build([folder], store, extract=sharing(extractor))
    assert report.skipped_by_reason() == {"malformed JSON": 2, "empty file": 1}
    assert report.summary().endswith("; 3 skipped (2 malformed JSON, 1 empty file)")
