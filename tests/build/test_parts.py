"""Long articles parsed in parts (kg.build.parts), and RDF building isolated per article."""
from __future__ import annotations

import pytest

from kg.build import build
from kg.build.extraction import extract_batch
from kg.build.parts import merged, parts, split_points
from kg.model import Article, Entity, Event, Evidence, Extraction, Mention
from kg.store.oxigraph import OxigraphStore

from conftest import SEEDS

STORY = (SEEDS / "000_42b68af8222b094e.txt").read_text(encoding="utf-8").split("\n\n")[0]


def test_parts_split_at_paragraphs_and_cover_the_text():
    text = "\n\n".join(f"Paragraph {n} about tariffs. " * 5 for n in range(40))
    starts = split_points(text, 1000)
    ends = [*starts[1:], len(text)]
    assert starts[0] == 0 and all(0 < end - start <= 1000 for start, end in zip(starts, ends))
    assert all(text[start - 2 : start] == "\n\n" for start in starts[1:])  # each cut after a blank line


def test_parts_cut_a_single_long_word_hard():
    assert split_points("x" * 2500, 1000) == [0, 1000, 2000]
    assert split_points("short", 1000) == [0]


def test_parts_of_an_article_keep_its_id_and_are_no_headlines():
    article = Article(id="a", text="One. " * 500, headline=True, origin="f.txt")
    pieces = parts(article, 1000)
    assert "".join(p.text for _, p in pieces) == article.text
    assert {(p.id, p.headline, p.origin) for _, p in pieces} == {("a", False, "f.txt")}
    assert [offset for offset, _ in pieces] == split_points(article.text, 1000)


def test_parts_merge_moves_offsets_into_the_article_and_keeps_each_entity_once():
    japan = Entity(key="country/JPN", type="Country", name="Japan", aliases=("Japan",))
    japan_too = Entity(key="country/JPN", type="Country", name="Japan", aliases=("Tokyo",))
    evidence = Evidence(article_id="a", sentence="s", start=3, end=8, rule="r.v1", confidence=0.9)
    event = Event(type="Tariff", trigger="tariffs", agents=("country/JPN",), during=(1, 2), evidence=evidence)
    first = Extraction(article=Article(id="a", text="x"), entities=(japan,),
                       mentions=(Mention("country/JPN", "Japan", 0, 5),))
    second = Extraction(article=Article(id="a", text="y"), entities=(japan_too,), events=(event,))
    article = Article(id="a", text="whole")
    whole = merged(article, [(0, first), (100, second)])
    assert whole.article is article
    assert whole.entities == (Entity(key="country/JPN", type="Country", name="Japan", aliases=("Japan", "Tokyo")),)
    assert whole.mentions == (Mention("country/JPN", "Japan", 0, 5),)
    [moved] = whole.events
    assert (moved.evidence.start, moved.evidence.end, moved.during) == (103, 108, (101, 102))


def test_parts_extraction_of_a_long_article_points_into_its_own_text(extractor):
    text = "\n\n".join([STORY] * 4)
    article = Article(id="long", text=text)
    [one] = extract_batch(extractor, [Article(id="long", text=STORY)])
    [in_parts] = extract_batch(extractor, [article], part_chars=len(STORY) + 10)
    assert in_parts.article is article
    for mention in in_parts.mentions:
        assert text[mention.start:mention.end] == mention.text
    for found in (*in_parts.events, *in_parts.roles):
        evidence = found.evidence
        assert evidence.sentence.find(text[evidence.start:evidence.end]) >= 0
    starts = split_points(text, len(STORY) + 10)
    assert len(starts) == 4
    assert {e.evidence.start >= starts[3] for e in in_parts.events} == {True, False}  # the last part gave events
    assert {e.key for e in in_parts.entities} == {e.key for e in one.entities}  # each entity once
    assert len(in_parts.events) == 4 * len(one.events)  # each part is the story, read alone


def test_parts_a_failing_part_skips_its_article_only(extractor, monkeypatch):
    from kg.extract import Extractor

    read = Extractor.read

    def failing(self, doc, article, **options):
        if "Boom" in article.text:
            raise RuntimeError("a part broke")
        return read(self, doc, article, **options)

    monkeypatch.setattr(Extractor, "read", failing)
    long = Article(id="long", text=("Japan raised tariffs. " * 60) + "Boom.", origin="long.txt")
    short = Article(id="short", text="India signed a pact.")
    skipped, fine = extract_batch(extractor, [long, short], part_chars=500)
    assert str(skipped) == "long.txt: extraction failed (RuntimeError: a part broke)"
    assert fine.article is short


def test_build_an_article_whose_rdf_fails_is_skipped_and_the_rest_stored(tmp_path, extractor, monkeypatch):
    import kg.build.pipeline as pipeline

    real = pipeline.extraction_triples

    def fragile(extraction, **options):
        if extraction.article.id == "bad":
            raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")
        return real(extraction, **options)

    monkeypatch.setattr(pipeline, "extraction_triples", fragile)
    articles = [Article(id="bad", text="Japan raised tariffs.", origin="bad.txt"),
                Article(id="good", text="India signed a pact.")]
    seen = []
    with OxigraphStore(tmp_path / "store") as store:
        report = build(articles, store, extract=lambda items: extract_batch(extractor, list(items)), on_skip=seen.append)
        stored = [str(g) for g in store.article_graphs()]
    assert [str(s) for s in seen] == ["bad.txt: RDF building failed: a number of more than 4,300 digits (ValueError)"]
    assert report.skipped == seen and report.articles_added == 1
    assert stored == ["https://w3id.org/kg-news/id/article/good"]


@pytest.mark.parametrize("size", [100, 1000])
def test_parts_every_part_is_within_the_size(size):
    text = ("word " * 37 + "\n") * 80 + "y" * 3 * size
    starts = split_points(text, size)
    ends = [*starts[1:], len(text)]
    assert all(0 < end - start <= size for start, end in zip(starts, ends))
