"""Thousands of random and hostile inputs thrown at ingest and extraction: no crash, no hang,
and every refusal is one line naming the input."""
from __future__ import annotations

import pytest

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from kg.ingest import Skipped
from kg.ingest.files import read_bytes
from kg.model import Article

KINDS = ("text", "json", "jsonl", "html", "feed")
HOSTILE = [
    b"", b"\x00" * 64, b"\xff\xfe", b"\xef\xbb\xbf", b"<", b"<?xml", b"<rss><channel><item>", b"<html><body><p>",
    b"<script>while(true){}</script>", b'{"text": ', b"[", b"\xc3\x28", b"\xe2\x80", b"&#0;&#xD800;", b"<!DOCTYPE html [<!ENTITY a 'a'>]>",
    b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><link href='file:///etc/passwd'/></entry></feed>",
    b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><rss><channel><item><title>&x;</title></item></channel></rss>",
    "Trade Talks Resume\nJapan’s tariffs – café".encode("cp1252"), "Ünïcödé ☃ 日本".encode("utf-16"),
]
chunks = st.one_of(st.binary(max_size=300), st.sampled_from(HOSTILE), st.text(max_size=200).map(lambda t: t.encode("utf-8")))
documents = st.lists(chunks, max_size=6).map(b"".join)
fragments = st.lists(st.sampled_from(["<p>", "</p>", "<div>", "<h1>", "</h1>", "<a href='x'>", "<script>", "</script>",
                                      "<!--", "-->", "&amp;", "&#x0;", "Japan", " tariffs ", "Ishiba spoke with Trump", "\n"]))
records = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=40),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                           st.sampled_from(["text", "body", "title", "url", "published", "source", "author", "x"]), inner, max_size=5),
                       max_leaves=12)


def check(items: list) -> None:
    for item in items:
        assert isinstance(item, (Article, Skipped)) or type(item).__name__ == "Link", item
        if isinstance(item, Skipped):
            assert item.reason and "\n" not in str(item)
        if isinstance(item, Article):
            assert item.text.strip() and item.id


def read(data: bytes, kind: str) -> list:
    try:
        return read_bytes(data, kind=kind, origin="input")
    except Exception as err:  # noqa: BLE001 (only kg's own InputError may escape)
        assert type(err).__name__ == "InputError", f"{kind}: {type(err).__name__}: {err}"
        assert str(err) and "\n" not in str(err)
        return []


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


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=300), headline=st.booleans())
def test_ingest_fuzz_extraction_of_random_text_never_crashes(extractor, text, headline):
    article = Article(id="fuzz", text=text, title=text[:40] if headline else None, headline=headline, published="2025-05-23")
    [extraction] = list(extractor.extract_many([article]))
    assert extraction.article == article
