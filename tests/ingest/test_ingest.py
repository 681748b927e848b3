"""Reading files and folders into Articles: formats, stable ids, and every kind of bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.ingest import Skipped, article_id, read_articles
from kg.ingest.fetch import MAX_BYTES
from kg.model import Article

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_42b68af8222b094e.txt"

STORY = "Japan and the United States held trade talks in Washington on Friday.\nBoth sides agreed to meet again."


def read(*paths: Path) -> list[Article | Skipped]:
    return list(read_articles(paths))


def articles(items: list[Article | Skipped]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def skipped(items: list[Article | Skipped]) -> list[Skipped]:
    return [item for item in items if isinstance(item, Skipped)]


def only_article(path: Path) -> Article:
    items = read(path)
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


# text files


def test_ingest_txt_short_first_line_is_the_title(tmp_path):
    path = tmp_path / "talks.txt"
    path.write_text("Trade Talks Resume\n" + STORY, encoding="utf-8")
    article = only_article(path)
    assert article.title == "Trade Talks Resume"
    assert article.text.startswith("Japan and the United States")  # the title is not in the text
    assert article.origin == path.name  # the file given, never its absolute path
    assert article.headline is False
    assert article.url is None and article.published is None and article.source is None


def test_ingest_txt_first_sentence_is_not_taken_for_a_title(tmp_path):
    path = tmp_path / "talks.txt"
    path.write_text(STORY, encoding="utf-8")
    assert only_article(path).title is None


def test_ingest_txt_windows_line_endings_leave_no_carriage_return_in_the_title(tmp_path):
    path = tmp_path / "talks.txt"
    path.write_bytes(("Trade Talks Resume\r\n" + STORY.replace("\n", "\r\n")).encode("utf-8"))
    article = only_article(path)
    assert article.title == "Trade Talks Resume"
    assert "\r" not in article.text


def test_ingest_md_heading_is_the_title_without_its_hashes(tmp_path):
    path = tmp_path / "talks.md"
    path.write_text("# Trade Talks Resume\n\n" + STORY + "\n", encoding="utf-8")
    article = only_article(path)
    assert article.title == "Trade Talks Resume"
    assert "held trade talks in Washington" in article.text


def test_ingest_seed_file_is_one_story_and_17_headline_articles():
    items = read(SEED)
    assert not skipped(items)
    story, *headlines = articles(items)

    assert not story.headline
    assert story.text.startswith("Japanese Prime Minister Shigeru Ishiba spoke with U.S. President Donald Trump")
    assert story.text.rstrip().endswith("high-stakes economic discussions.")
    assert "Nexstar" not in story.text

    assert len(headlines) == 17
    assert all(h.headline and h.title == h.text for h in headlines)
    assert headlines[0].text == "Trump Backs Nexstar–Tegna Merger Amid Shifting U.S. Media Landscape"
    assert headlines[-1].text == "Netanyahu to Meet Trump in Washington as Iran Nuclear Talks Intensify"
    assert [h.origin for h in headlines] == [f"{SEED.name}#headline-{n}" for n in range(1, 18)]
    assert len({a.id for a in [story, *headlines]}) == 18


# JSON and JSON Lines


def test_ingest_json_object_gives_one_article_with_its_metadata(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({
        "title": "Trade Talks Resume",
        "text": STORY,
        "url": "https://example.org/news/1",
        "published": "2025-05-23",
        "source": {"name": "Example News"},
    }), encoding="utf-8")
    article = only_article(path)
    assert article.title == "Trade Talks Resume"
    assert article.text == STORY
    assert article.url == "https://example.org/news/1"
    assert article.published == "2025-05-23"
    assert article.source == "Example News"
    assert article.origin == f"{path.name}[0]"
    assert article.headline is False


def test_ingest_json_list_gives_one_article_per_object(tmp_path):
    path = tmp_path / "many.json"
    path.write_text(json.dumps([
        {"text": "Japan raised tariffs on steel."},
        {"body": "India and the United States signed a trade pact."},
    ]), encoding="utf-8")
    found = articles(read(path))
    assert [a.text for a in found] == ["Japan raised tariffs on steel.", "India and the United States signed a trade pact."]
    assert [a.origin for a in found] == [f"{path.name}[0]", f"{path.name}[1]"]


def test_ingest_jsonl_reads_text_or_body_and_the_metadata_fields(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        {"text": "Japan raised tariffs on steel.", "url": "https://example.org/a",
         "published": "2025-05-23", "source": "Wire A"},
        None,  # a blank line is allowed
        {"body": "India and the United States signed a trade pact.", "date": "2025-06-01T09:30:00Z", "source": "Wire B"},
    ]
    path.write_text("\n".join(json.dumps(x) if x else "" for x in lines) + "\n", encoding="utf-8")
    first, second = articles(read(path))
    assert (first.text, first.url, first.published, first.source) == (
        "Japan raised tariffs on steel.", "https://example.org/a", "2025-05-23", "Wire A")
    assert (second.text, second.url, second.published, second.source) == (
        "India and the United States signed a trade pact.", None, "2025-06-01T09:30:00Z", "Wire B")
    assert [first.origin, second.origin] == [f"{path.name}:1", f"{path.name}:3"]


def test_ingest_json_record_with_only_a_title_is_a_headline(tmp_path):
    path = tmp_path / "headline.json"
    path.write_text(json.dumps({"title": "Trump Endorses Japan's Sanae Takaichi"}), encoding="utf-8")
    article = only_article(path)
    assert article.headline is True
    assert article.text == article.title == "Trump Endorses Japan's Sanae Takaichi"


# stable ids


def test_ingest_same_text_in_two_files_gets_the_same_id(tmp_path):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(STORY.replace(" ", "  ") + "\n\n", encoding="utf-8")  # spacing differs
    a, b = articles(read(tmp_path))
    assert a.origin != b.origin
    assert a.id == b.id
    assert a.id == article_id(url=None, text=STORY)


def test_ingest_url_wins_over_text_for_the_id(tmp_path):
    path = tmp_path / "feed.jsonl"
    records = [
        {"url": "https://example.org/a", "text": "First version of the story."},
        {"url": "https://example.org/a", "text": "Corrected version of the story."},
        {"url": "https://example.org/b", "text": "First version of the story."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    first, corrected, other = articles(read(path))
    assert first.id == corrected.id == article_id(url="https://example.org/a", text="anything")
    assert other.id != first.id


def test_ingest_article_id_is_a_short_stable_hex_string():
    one = article_id(url=None, text="Japan raised tariffs.")
    assert one == article_id(url=None, text="  Japan   raised\ntariffs. ")
    assert one == article_id(url="   ", text="Japan raised tariffs.")  # a blank URL is no URL
    assert len(one) == 16 and int(one, 16) >= 0


# bad inputs: each is a Skipped naming the file and the reason


BAD_INPUTS = {
    "empty": ("empty.txt", b"", "empty file"),
    "blank": ("blank.txt", b" \n\n\t\n", "empty file"),
    "png": ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary data, not text"),
    "nul": ("nul.md", b"Japan raised tariffs\x00\x00\x00 on steel.", "binary data, not text"),
    "control": ("control.txt", bytes(range(1, 9)) * 50, "binary data, not text"),
    "undecodable": ("latin.txt", b"Tariffs \x81\x8d\x8f\x90\x9d rise", "not valid UTF-8 text (byte 8)"),
    "malformed-json": ("bad.json", b'{"text": "Japan raised tariffs",\n  "url": }', "malformed JSON at line 2, column 10"),
    "no-text": ("notext.json", b'{"url": "https://example.org/a", "source": "Wire"}',
                "no text or title (none of 'text', 'body', 'content', 'title' or 'headline')"),
    "not-an-object": ("string.json", b'"just a string"', "not a JSON object (a JSON string; an article is an object with 'text' or 'title')"),
}


@pytest.mark.parametrize("name, data, reason", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_ingest_bad_file_is_skipped_naming_the_file_and_the_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    items = read(path)
    assert len(items) == 1 and isinstance(items[0], Skipped), items
    message = str(items[0])
    assert message.startswith(f"{path}: ")
    assert reason in message
    assert "\n" not in message


def test_ingest_file_over_20_mb_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.truncate(MAX_BYTES + 1)  # sparse: no 20 MB written to disk
    [item] = read(path)
    assert isinstance(item, Skipped)
    assert str(item) == f"{path}: file too large (20,971,521 bytes; the limit is 20,971,520)"


def test_ingest_missing_file_and_unknown_suffix_given_by_name_are_skipped(tmp_path):
    missing, sheet = tmp_path / "missing.txt", tmp_path / "table.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    assert [str(s) for s in read(missing, sheet)] == [
        f"{missing}: no such file or folder",
        f"{sheet}: unsupported file type .xlsx; use one of .atom, .csv, .htm, .html, .json, .jsonl, .md, .rss, "
        ".tsv, .txt, .xml",
    ]


def test_ingest_folder_mixing_good_and_bad_files_yields_both(tmp_path):
    (tmp_path / "a_good.txt").write_text("Trade Talks Resume\n" + STORY, encoding="utf-8")
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "d_feed.jsonl").write_text(json.dumps({"text": "Japan raised tariffs on steel."}) + "\n", encoding="utf-8")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "e_broken.json").write_text("{", encoding="utf-8")

    items = read(tmp_path)
    assert [a.text for a in articles(items)] == [STORY, "Japan raised tariffs on steel."]
    assert [str(s) for s in skipped(items)] == [
        f"{tmp_path / 'b_empty.txt'}: empty file",
        f"{tmp_path / 'c_binary.md'}: binary data, not text",
        f"{sub / 'e_broken.json'}: malformed JSON at line 1, column 2: Expecting property name enclosed in double quotes",
    ]


def test_ingest_folder_ignores_hidden_files_and_unknown_suffixes(tmp_path):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("A hidden draft about tariffs.", encoding="utf-8")
    hidden = tmp_path / ".git"
    hidden.mkdir()
    (hidden / "notes.md").write_text("Hidden notes about trade.", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "table.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "README").write_text("no suffix", encoding="utf-8")

    items = read(tmp_path)
    assert [a.text for a in articles(items)] == [STORY]
    assert skipped(items) == []


# encodings


def test_ingest_utf8_bom_is_not_part_of_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffTrade Talks Resume\nThe café in Tōkyō served sushi.".encode("utf-8"))
    article = only_article(path)
    assert article.title == "Trade Talks Resume"
    assert article.text == "The café in Tōkyō served sushi."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_ingest_utf16_with_bom_is_read(tmp_path, encoding):
    text = "Trade Talks Resume\nThe café in Tōkyō served sushi."
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    elif encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "wide.txt"
    path.write_bytes(data)
    article = only_article(path)
    assert article.title == "Trade Talks Resume"
    assert article.text == text.split("\n", 1)[1]


def test_ingest_windows_1252_text_reads_its_curly_quotes(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Japan’s “firm position” on tariffs – again.".encode("cp1252"))
    assert only_article(path).text == "Japan’s “firm position” on tariffs – again."
