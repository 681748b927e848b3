"""The limits of reading and the last check of each article: length, JSON depth and numbers,
dates, invalid code points, file kinds and names; each refusal one line, the rest read."""
from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import Limits, Skipped, article_id, read_articles
from kg.ingest.items import failure, path_name, printable
from kg.ingest.limits import checked, clean_text
from kg.ingest.records import json_depth, load_json
from kg.model import Article

LIMITS = Limits()


def read(*paths: Path | Article, limits: Limits | None = None) -> list[Article | Skipped]:
    return list(read_articles(paths, limits=limits))


def texts(items: list) -> list[str]:
    return [i.text for i in items if isinstance(i, Article)]


def lines(items: list) -> list[str]:
    return [str(i) for i in items if isinstance(i, Skipped)]


# settings


def test_ingest_limits_parse_names_and_values():
    limits = Limits.parse(["article_chars=5000000", "json-depth=20"])
    assert (limits.article_chars, limits.json_depth, limits.number_digits) == (5_000_000, 20, 100)


@pytest.mark.parametrize("setting, message", [
    ("article_len=5", "unknown limit 'article_len=5' in --limit: use NAME=VALUE with NAME one of article_chars, "),
    ("json_depth", "unknown limit 'json_depth'"),
    ("json_depth=deep", "limit json_depth takes a whole number, not 'deep'"),
])
def test_ingest_limits_refuse_a_bad_setting_naming_the_options(setting, message):
    with pytest.raises(InputError) as caught:
        Limits.parse([setting])
    assert caught.value.for_command_line().startswith(message)


# article length


def test_ingest_article_over_the_length_limit_is_skipped_and_the_next_is_read(tmp_path):
    (tmp_path / "a_long.txt").write_text("x" * 2_000_001, encoding="utf-8")
    (tmp_path / "b_short.txt").write_text("Japan raised tariffs.", encoding="utf-8")
    items = read(tmp_path)
    assert lines(items) == [f"{tmp_path.name}/a_long.txt: article too long (2,000,001 characters; "
                            "the limit article_chars is 2,000,000)"]
    assert texts(items) == ["Japan raised tariffs."]
    assert texts(read(tmp_path / "a_long.txt", limits=Limits(article_chars=3_000_000))) == ["x" * 2_000_001]


# JSON


def test_ingest_json_depth_counts_brackets_outside_strings_only():
    assert json_depth('{"a": [1, {"b": "[[[[{{{{"}], "c": "\\"]]]"}') == 3
    assert json_depth("[" * 50 + "]" * 50) == 50
    assert json_depth('"just a string"') == 0


def test_ingest_json_nested_deeper_than_the_limit_is_refused_before_decoding():
    with pytest.raises(InputError, match=r"JSON nested too deeply \(100,000 levels; the limit json_depth is 100\)"):
        load_json("[" * 100_000 + "]" * 100_000, LIMITS)
    assert load_json("[" * 100 + "]" * 100, LIMITS) == eval("[" * 100 + "]" * 100)  # noqa: S307 (a literal)
    with pytest.raises(InputError, match="nested too deeply"):
        load_json('{"a": {"b": {"c": 1}}}', Limits(json_depth=2))


def test_ingest_json_integer_longer_than_the_limit_is_refused():
    with pytest.raises(InputError, match=r"JSON number too long \(5,000 digits; the limit number_digits is 100\)"):
        load_json('{"n": ' + "9" * 5000 + "}", LIMITS)
    assert load_json('{"n": -' + "9" * 100 + "}", LIMITS) == {"n": -int("9" * 100)}
    assert load_json('{"n": 1e999999}', LIMITS) == {"n": float("inf")}  # floats never overflow


def test_ingest_valid_json_with_a_raw_u2028_is_read(tmp_path):
    (tmp_path / "a.json").write_text('{"text": "Peru signed a deal\u2028with Chile."}', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "Chile\u2028signed too."}\n{"text": "Bolivia as well."}\n',
                                      encoding="utf-8")
    items = read(tmp_path)
    assert lines(items) == []
    assert texts(items) == ["Peru signed a deal\nwith Chile.", "Chile\nsigned too.", "Bolivia as well."]


def test_ingest_jsonl_bad_lines_are_skipped_with_their_numbers_and_the_rest_is_read(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_bytes(b"\n".join([
        json.dumps({"text": "Japan raised tariffs."}).encode(),
        json.dumps({"text": ""}).encode(),  # an empty text
        b'{"text": oops}',  # malformed
        b'{"text": "caf\xe9 au lait"}',  # Windows-1252 on one line
        b"[" * 500 + b"]" * 500,
        b'"a string"',
        json.dumps({"text": "India signed a pact."}).encode(),
    ]) + b"\n")
    items = read(path)
    assert texts(items) == ["Japan raised tariffs.", "café au lait", "India signed a pact."]
    assert lines(items) == [
        f"{path}:2: no text or title (none of 'text', 'body', 'content', 'title' or 'headline')",
        f"{path}:3: malformed JSON at column 10: Expecting value",
        f"{path}:5: JSON nested too deeply (500 levels; the limit json_depth is 100)",
        f"{path}:6: not a JSON object (a JSON string; an article is an object with 'text' or 'title')",
    ]
    assert [i.origin for i in items if isinstance(i, Article)] == [f"{path.name}:1", f"{path.name}:4", f"{path.name}:7"]  # kg:origin


def test_ingest_jsonl_line_over_the_size_limit_is_skipped_and_the_next_read(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"text": "y" * 200}) + "\n" + json.dumps({"text": "Japan raised tariffs."}) + "\n",
                    encoding="utf-8")
    items = read(path, limits=Limits(file_bytes=100))
    assert lines(items) == [f"{path}:1: line too long (more than 100 bytes; the limit file_bytes is 100)"]
    assert texts(items) == ["Japan raised tariffs."]


def test_ingest_jsonl_in_utf16_with_a_byte_order_mark_is_read_line_by_line(tmp_path):
    path = tmp_path / "wide.jsonl"
    path.write_bytes(('{"text": "Tōkyō raised tariffs."}\n{"text": oops}\n{"text": "Ōsaka too."}\n').encode("utf-16"))
    items = read(path)
    assert texts(items) == ["Tōkyō raised tariffs.", "Ōsaka too."]
    assert lines(items) == [f"{path}:2: malformed JSON at column 10: Expecting value"]


def test_ingest_json_list_with_a_bad_record_keeps_the_others(tmp_path):
    path = tmp_path / "many.json"
    path.write_text(json.dumps([{"text": "Japan raised tariffs."}, {"url": "https://x.example"}, 7,
                                {"text": "India signed a pact."}]), encoding="utf-8")
    items = read(path)
    assert texts(items) == ["Japan raised tariffs.", "India signed a pact."]
    assert [i.origin for i in items if isinstance(i, Skipped)] == [f"{path}[1]", f"{path}[2]"]


# dates


@pytest.mark.parametrize("published, kept", [
    ("0001-01-01", None), ("0999-12-31", None), ("1000-01-01", "1000-01-01"), ("2999-12-31", "2999-12-31"),
    ("3000-01-01", None), ("9999-12-31T23:59:59+14:00", None), ("2025-05-23", "2025-05-23"),
])
def test_ingest_dates_outside_the_years_are_not_used(published, kept):
    article = Article(id="a", text="Germany met France yesterday.", published=published)
    assert checked(article, LIMITS).published == kept
    assert checked(article, Limits(first_year=1, last_year=9999)).published == published


# code points


def test_ingest_surrogates_and_control_characters_are_replaced_in_every_field():
    article = Article(id="old", text="Brazil\udfff met\x00 Argentina\x0cin Rio.", title="T\ud800", url="https://x/\udfff",
                      source="S\x1b[31m", author="A\ufffe", origin="in\udcff.json")
    clean = checked(article, LIMITS)
    assert clean.text == "Brazil\ufffd met\ufffd Argentina\nin Rio."
    assert (clean.title, clean.url, clean.source, clean.author, clean.origin) == (
        "T\ufffd", "https://x/\ufffd", "S\ufffd[31m", "A\ufffd", "in\ufffd.json")
    assert clean.id == article_id(url="https://x/\ufffd", text=clean.text)  # ids hash the stored text
    assert len(clean.text) == len(article.text)  # offsets into the text stay right
    assert checked(Article(id="a", text="Plain text.\tTabs\nand lines."), LIMITS).id == "a"  # nothing to change


def test_ingest_articles_given_directly_are_checked_like_files():
    items = read(Article(id="x", text="Bad \udfff text"), Article(id="y", text="z" * 2_000_001, origin="api"))
    assert texts(items) == ["Bad \ufffd text"]
    assert lines(items) == ["api: article too long (2,000,001 characters; the limit article_chars is 2,000,000)"]


def test_ingest_clean_text_keeps_tabs_and_line_ends():
    assert clean_text("a\tb\r\nc\x0bd\x7f\x85") == "a\tb\r\nc\nd\x7f\x85"


# files that are not regular, and odd names


def test_ingest_fifo_device_socket_and_broken_link_in_a_folder_each_give_a_line(tmp_path):
    os.mkfifo(tmp_path / "a_fifo.txt")
    (tmp_path / "b_zero.txt").symlink_to("/dev/zero")
    (tmp_path / "c_gone.md").symlink_to(tmp_path / "nowhere.md")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        server = socket.socket(socket.AF_UNIX)
        server.bind("d_socket.json")
        server.close()
    finally:
        os.chdir(here)
    (tmp_path / "e_story.txt").write_text("Japan raised tariffs.", encoding="utf-8")
    items = read(tmp_path)
    assert lines(items) == [
        f"{tmp_path / 'a_fifo.txt'}: not a regular file (a named pipe): not read",
        f"{tmp_path / 'b_zero.txt'}: not a regular file (a character device): not read",
        f"{tmp_path / 'c_gone.md'}: a link to nothing (broken symbolic link)",
        f"{tmp_path / 'd_socket.json'}: not a regular file (a socket): not read",
    ]
    assert texts(items) == ["Japan raised tariffs."]


def test_ingest_file_names_that_are_not_utf8_or_hold_a_newline_are_shown_escaped(tmp_path):
    odd = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(odd, "wb") as out:
        out.write(b"Japan raised tariffs.")
    forged = tmp_path / "a.txt\nkg: skipped b.txt"
    forged.write_bytes(b"")
    items = read(tmp_path)
    assert lines(items) == [f"{tmp_path}/a.txt\\nkg: skipped b.txt: empty file"]
    [article] = [i for i in items if isinstance(i, Article)]
    assert article.origin == f"{tmp_path.name}/caf\\xe9.txt"  # kg:origin: under the folder given
    assert path_name(Path(os.fsdecode(odd))) == f"{tmp_path}/caf\\xe9.txt"


def test_ingest_printable_escapes_what_would_drive_a_terminal():
    assert printable("a\nb\rc\td\x1b[2Je\x9bf\u202eg\udcffh é→") == "a\\nb\\rc\\td\\x1b[2Je\\x9bf\\u202eg\\udcffh é→"
    assert str(Skipped("x\ny.txt", "bad\x1b[31m")) == "x\\ny.txt: bad\\x1b[31m"


@pytest.mark.parametrize("reason, kind", [
    ("malformed JSON at line 2, column 10: Expecting value", "malformed JSON"),
    ("file too large (20,971,521 bytes; the limit is 20,971,520)", "file too large"),
    ("binary data, not text", "binary data"),
    ("extraction failed (ValueError: boom)", "extraction failed"),
    ("HTTP 404 Not Found", "HTTP 404 Not Found"),
    ("empty file", "empty file"),
])
def test_ingest_skipped_kind_is_the_reason_without_its_details(reason, kind):
    assert Skipped("f", reason).kind == kind


def test_ingest_failures_that_hostile_input_causes_are_said_in_plain_words():
    try:
        int("9" * 5000)
    except ValueError as err:
        too_long = err
    assert failure("extraction failed", too_long) == "extraction failed: a number of more than 4,300 digits (ValueError)"
    assert failure("RDF building failed", RecursionError("maximum recursion depth exceeded")) == (
        "RDF building failed: nested too deeply (RecursionError)")
    assert failure("extraction failed", ValueError("boom")) == "extraction failed (ValueError: boom)"
    assert Skipped("f", failure("extraction failed", too_long)).kind == "extraction failed"


# isolation of reading


def test_ingest_a_reader_failing_on_one_file_costs_only_that_file(tmp_path, monkeypatch):
    import kg.ingest.files as files

    real = files.split_text

    def fragile(text: str, *, origin: str):
        if "boom" in text:
            raise RuntimeError("a reader bug")
        return real(text, origin=origin)

    monkeypatch.setattr(files, "split_text", fragile)
    (tmp_path / "a.txt").write_text("boom", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Japan raised tariffs.", encoding="utf-8")
    items = read(tmp_path)
    assert lines(items) == [f"{tmp_path / 'a.txt'}: could not be read (RuntimeError: a reader bug)"]
    assert texts(items) == ["Japan raised tariffs."]


def test_ingest_a_feed_entry_that_fails_costs_only_that_entry(tmp_path, monkeypatch):
    import kg.ingest.pages as pages

    real = pages._entry

    def fragile(item, *, source):
        if item.get("title") == "Boom":
            raise ValueError("a parser bug")
        return real(item, source=source)

    monkeypatch.setattr(pages, "_entry", fragile)
    feed = tmp_path / "wire.rss"
    feed.write_text('<rss version="2.0"><channel><title>W</title>'
                    "<item><title>Boom</title><description>Nothing.</description></item>"
                    "<item><title>Fine</title><description>Japan raised tariffs.</description></item>"
                    "</channel></rss>", encoding="utf-8")
    items = read(feed)
    assert lines(items) == [f"{feed}#entry-1: unreadable feed entry (ValueError: a parser bug)"]
    assert texts(items) == ["Japan raised tariffs."]
