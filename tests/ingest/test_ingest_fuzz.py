"""Thousands of random and hostile inputs thrown at ingest and extraction: no crash, no hang,
and every refusal is one line naming the input.

The shapes of issue 15 are generated here: huge texts and tokens, JSON nested up to 200,000
deep, surrogates and control characters everywhere, dates in any year, integers of thousands
of digits. CI runs hypothesis's default profile (a hundred examples a test); the `fuzz`
profile (tests/conftest.py) runs the hostile-shapes test 10,000 times:

    python -m pytest tests/ingest/test_ingest_fuzz.py -m slow --hypothesis-profile=fuzz
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kg.build.extraction import extract_batch
from kg.ingest import Limits, Skipped, read_articles
from kg.ingest.files import read_bytes
from kg.ingest.items import Names
from kg.model import Article, Extraction
from kg.rdf.graph import extraction_triples

KINDS = ("text", "json", "jsonl", "csv", "tsv", "html", "feed")
SUFFIXES = {"text": ".txt", "json": ".json", "jsonl": ".jsonl", "csv": ".csv", "tsv": ".tsv", "html": ".html",
            "feed": ".rss"}
HOSTILE = [
    b"", b"\x00" * 64, b"\xff\xfe", b"\xef\xbb\xbf", b"<", b"<?xml", b"<rss><channel><item>", b"<html><body><p>",
    b"<script>while(true){}</script>", b'{"text": ', b"[", b"\xc3\x28", b"\xe2\x80", b"&#0;&#xD800;", b"<!DOCTYPE html [<!ENTITY a 'a'>]>",
    b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><link href='file:///etc/passwd'/></entry></feed>",
    b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><rss><channel><item><title>&x;</title></item></channel></rss>",
    "Trade Talks Resume\nJapan’s tariffs – café".encode("cp1252"), "Ünïcödé ☃ 日本".encode("utf-16"),
    b'"title,text\n', b"title,text\n\"a,\"\"b", b"\t\t\t\n", "\u2028\u2029\x85\x0c\x0b".encode("utf-8"),
]
chunks = st.one_of(st.binary(max_size=300), st.sampled_from(HOSTILE), st.text(max_size=200).map(lambda t: t.encode("utf-8")))
documents = st.lists(chunks, max_size=6).map(b"".join)
fragments = st.lists(st.sampled_from(["<p>", "</p>", "<div>", "<h1>", "</h1>", "<a href='x'>", "<script>", "</script>",
                                      "<!--", "-->", "&amp;", "&#x0;", "Japan", " tariffs ", "Ishiba spoke with Trump", "\n"]))
records = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=40),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                           st.sampled_from(["text", "body", "title", "url", "published", "source", "author", "x"]), inner, max_size=5),
                       max_leaves=12)

# --- the shapes of issue 15 ---------------------------------------------------------------

# text with lone surrogates, control characters, line and paragraph separators, bidi overrides
wild_text = st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs", "Cc", "Cs", "Cf", "Zl", "Zp", "Co"],
                                           include_characters=["\udfff", "\ud800", "\x00", "\x1b", "\u2028", "\ufffe"]),
                    max_size=120)
words = st.sampled_from(["Japan", "raised", "tariffs", "yesterday", "Friday", "tomorrow", "the", "third", "round",
                         "Ishiba", "spoke", "with", "Trump", "on", "Monday", ".", "\n\n"])
story = st.lists(words, min_size=1, max_size=40).map(" ".join)
years = st.integers(min_value=-99_999, max_value=99_999)
dates = st.one_of(
    years.map(lambda y: f"{y:04d}-01-01" if y >= 0 else f"{y:05d}-01-01"),
    years.map(lambda y: f"+{abs(y):06d}-12-31T23:59:59+14:00"),
    st.tuples(st.integers(1, 31), st.sampled_from(["Jan", "Feb", "Dec"]), years).map(
        lambda t: f"Fri, {t[0]:02d} {t[1]} {t[2]} 09:30:00 GMT"),
    st.tuples(st.integers(0, 40), st.integers(0, 14), years).map(lambda t: f"{t[0]}/{t[1]}/{t[2]}"),
    st.sampled_from(["yesterday", "Friday", "0000-00-00", "9999-12-31", "0001-01-01", "", "NaN"]),
    wild_text,
)
numbers = st.one_of(st.integers(min_value=1, max_value=12_000).map(lambda n: "9" * n),
                    st.integers(min_value=1, max_value=12_000).map(lambda n: "-" + "1" * n),
                    st.sampled_from(["1e999999", "-0", "NaN", "Infinity", "1." + "0" * 5000, "0x10", "01"]))


@st.composite
def deep_json(draw) -> str:
    depth = draw(st.integers(min_value=1, max_value=200_000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}"), ('[{"text":', "}]")]))
    inner = draw(st.sampled_from(['"x"', "1", "[]", ""]))
    return opener * depth + inner + closer * draw(st.sampled_from([depth, max(depth - 1, 0)]))


@st.composite
def article_record(draw) -> str:
    """A JSON object with every field in a hostile shape, and maybe an odd number, as JSON text."""
    record = {"title": draw(st.one_of(wild_text, story)), "text": draw(st.one_of(story, wild_text)),
              "published": draw(dates), "author": draw(wild_text), "source": draw(wild_text)}
    text = json.dumps(record, ensure_ascii=draw(st.booleans()))
    return text[:-1] + f', "n": {draw(numbers)}}}' if draw(st.booleans()) else text


@st.composite
def huge(draw) -> bytes:
    """A text over spaCy's limit or the article limit: one token, one line, or many words."""
    size = draw(st.sampled_from([1_000_001, 2_000_001, 3_000_000]))
    unit = draw(st.sampled_from([b"x", b"word ", b"Japan raised tariffs. ", b"\xe6\x97\xa5"]))
    return (unit * (size // len(unit) + 1))[: size * len(unit.decode("utf-8", "replace")) // len(unit) + 1]


@st.composite
def hostile_document(draw) -> tuple[str, bytes]:
    """A document of one kind in one of the hostile shapes."""
    shape = draw(st.sampled_from(["deep", "record", "lines", "numbers", "csv", "huge", "bytes"]))
    if shape == "deep":
        return draw(st.sampled_from(["json", "jsonl"])), draw(deep_json()).encode("utf-8")
    if shape == "record":
        return "json", draw(article_record()).encode("utf-8", "surrogatepass")
    if shape == "lines":
        lines = draw(st.lists(st.one_of(article_record(), deep_json(), wild_text), max_size=6))
        return "jsonl", "\n".join(lines).encode("utf-8", "surrogatepass")
    if shape == "numbers":
        return draw(st.sampled_from(["json", "jsonl"])), f'{{"text": "Japan raised tariffs.", "n": {draw(numbers)}}}'.encode()
    if shape == "csv":
        kind = draw(st.sampled_from(["csv", "tsv"]))
        cells = st.lists(st.one_of(wild_text, story, dates), min_size=0, max_size=5)
        rows = draw(st.lists(cells, max_size=6))
        sep = "," if kind == "csv" else "\t"
        body = "title,text,date\n" + "\n".join(sep.join(r) for r in rows)
        return kind, body.encode("utf-8", "surrogatepass")
    if shape == "huge":
        return draw(st.sampled_from(["text", "json", "jsonl"])), draw(huge())
    return draw(st.sampled_from(KINDS)), draw(documents)


# --- checks ------------------------------------------------------------------------------

FOLDER = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))


def check(items: list) -> None:
    for item in items:
        assert isinstance(item, (Article, Skipped)) or type(item).__name__ == "Link", item
        if isinstance(item, Skipped):
            assert item.reason and "\n" not in str(item)
        if isinstance(item, Article):
            assert item.text.strip() and item.id
            assert len(item.text) <= Limits().article_chars
            for value in (item.text, item.title, item.author, item.source, item.origin, item.url):
                assert value is None or value.encode("utf-8") is not None  # no lone surrogate anywhere
            assert item.published is None or 1000 <= int(item.published[:4]) <= 2999


def read(data: bytes, kind: str) -> list:
    try:
        return read_bytes(data, kind=kind, names=Names.of("input"))
    except Exception as err:  # noqa: BLE001 (only kg's own InputError may escape)
        assert type(err).__name__ == "InputError", f"{kind}: {type(err).__name__}: {err}"
        assert str(err) and "\n" not in str(err)
        return []


def read_file(data: bytes, kind: str) -> list:
    """Everything `read_articles` gives for a file of `data`: it never raises."""
    path = FOLDER / f"input{SUFFIXES[kind]}"
    path.write_bytes(data)
    return list(read_articles([path]))


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                HealthCheck.large_base_example])
@given(document=hostile_document())
def test_ingest_fuzz_hostile_shapes_never_crash(document):
    kind, data = document
    check(read_file(data, kind))


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=documents, kind=st.sampled_from(KINDS))
def test_ingest_fuzz_random_bytes_of_every_kind_never_crash(data, kind):
    check(read(data, kind))


@settings(max_examples=300, deadline=None)
@given(parts=fragments, kind=st.sampled_from(("html", "feed", "json")))
def test_ingest_fuzz_hostile_markup_never_crashes(parts, kind):
    markup = "".join(parts)
    wrapped = {"html": f"<html><body>{markup}</body></html>",
               "feed": f"<rss version='2.0'><channel><title>W</title><item><description>{markup}</description></item></channel></rss>",
               "json": json.dumps({"title": "T", "text": markup})}[kind]
    check(read(wrapped.encode("utf-8"), kind))


@settings(max_examples=400, deadline=None)
@given(record=records, lines=st.booleans())
def test_ingest_fuzz_any_json_value_never_crashes(record, lines):
    data = json.dumps(record).encode("utf-8")
    check(read(data, "jsonl" if lines else "json"))


@settings(max_examples=200, deadline=None)
@given(record=article_record())
def test_ingest_fuzz_records_with_surrogates_and_odd_dates_read_clean(record):
    check(read_file(record.encode("utf-8", "surrogatepass"), "json"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=300), headline=st.booleans())
def test_ingest_fuzz_extraction_of_random_text_never_crashes(extractor, text, headline):
    article = Article(id="fuzz", text=text, title=text[:40] if headline else None, headline=headline, published="2025-05-23")
    [extraction] = list(extractor.extract_many([article]))
    assert extraction.article == article


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(story, wild_text), title=wild_text, published=dates, ordinal=numbers)
def test_ingest_fuzz_hostile_articles_are_extracted_or_skipped_never_raise(extractor, text, title, published, ordinal):
    """Through the build's steps: read (checked), extracted, and turned into RDF."""
    given_article = Article(id="fuzz", text=f"{text} the {ordinal.lstrip('-')}th round", title=title or None,
                            published=published or None, origin="fuzz")
    [item] = list(read_articles([given_article]))
    check([item])
    if isinstance(item, Skipped):
        return
    [found] = extract_batch(extractor, [item], part_chars=200)
    assert isinstance(found, (Extraction, Skipped))
    if isinstance(found, Extraction):
        for _, _, term in extraction_triples(found):
            str(term).encode("utf-8")  # every literal can be written
