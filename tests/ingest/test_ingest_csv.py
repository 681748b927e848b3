"""CSV and TSV input: one article per row, columns mapped by header (or by --columns), a bad
row skipped with its line number while the rest of the file is read."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.ingest import Fields, Skipped, read_articles
from kg.model import Article

HEADER = "title,text,date,url,source,author\n"
ROW = ('"Italy, Greece Talk","Italy and Greece discussed migration in Athens on Monday.",2025-05-19,'
       "https://example.org/it-gr,Wire A,Jane Roe\n")


def read(path: Path, fields: Fields | None = None) -> list[Article | Skipped]:
    return list(read_articles([path], fields=fields))


def articles(items: list) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def lines(items: list) -> list[str]:
    return [str(i) for i in items if isinstance(i, Skipped)]


def test_ingest_csv_row_gives_an_article_with_every_field(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(HEADER + ROW, encoding="utf-8")
    [article] = articles(read(path))
    assert (article.title, article.text, article.published, article.url, article.source, article.author) == (
        "Italy, Greece Talk", "Italy and Greece discussed migration in Athens on Monday.", "2025-05-19",
        "https://example.org/it-gr", "Wire A", "Jane Roe")
    assert article.origin == f"{path.name}:2"  # kg:origin
    assert not article.headline


@pytest.mark.parametrize("header", ["Title,Body,Published\n", "headline,content,date\n", "TITLE,TEXT,DATE\n"])
def test_ingest_csv_headers_are_matched_by_name_in_any_case(tmp_path, header):
    path = tmp_path / "news.csv"
    path.write_text(header + "Steel Duties,Canada raised duties on steel.,May 20 2025\n", encoding="utf-8")
    [article] = articles(read(path))
    assert (article.title, article.text, article.published) == ("Steel Duties", "Canada raised duties on steel.",
                                                                "2025-05-20")


def test_ingest_csv_columns_map_other_names(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_text("headline_en,story,pub_date,outlet\nSteel Duties,Canada raised duties on steel.,2025-05-20,CBC\n",
                    encoding="utf-8")
    assert lines(read(path)) == [f"{path}: no text or title column in the CSV header (headline_en, story, pub_date, "
                                 "outlet): name the column that holds the text with the column mapping text=NAME"]
    fields = Fields.parse(["text=story,title=headline_en", "date=PUB_DATE", "source=outlet"])
    [article] = articles(read(path, fields))
    assert (article.title, article.text, article.published, article.source) == (
        "Steel Duties", "Canada raised duties on steel.", "2025-05-20", "CBC")


def test_ingest_columns_mapping_refuses_an_unknown_field():
    with pytest.raises(InputError) as caught:
        Fields.parse(["txt=story"])
    assert caught.value.for_command_line() == ("bad column mapping 'txt=story' in --columns: use FIELD=COLUMN with "
                                               "FIELD one of title, text, published, url, source, author (or date)")


def test_ingest_csv_bad_rows_are_skipped_with_their_line_and_the_rest_is_read(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes((
        HEADER
        + '"Quoted Over Lines","Portugal held a snap election.\n\nOfficials in Lisbon said so.",2025-05-18,,,\n'
        + "one,two,three,four,five,six,seven\n"  # line 5: too many cells
        + ",,,,,\n"  # an empty row: nothing to say
        + "No Text,,,,,\n"  # a title alone is a headline
        ).encode("utf-8")
        + b"Caf\xe9 Talks,Caf\xe9 owners met in Paris.,,,,\n"  # one line in Windows-1252
        + b"Bad\x00\x01\x02\x03\x04\x05\x06,\x07\x08\x0e\x0f\x10\x11\x12\x13,,,,\n"  # line 9: not text
        + ROW.encode("utf-8"))
    items = read(path)
    assert [(a.origin, a.title) for a in articles(items)] == [
        (f"{path.name}:2", "Quoted Over Lines"), (f"{path.name}:7", "No Text"), (f"{path.name}:8", "Café Talks"),
        (f"{path.name}:10", "Italy, Greece Talk")]
    assert articles(items)[0].text == "Portugal held a snap election.\n\nOfficials in Lisbon said so."
    assert articles(items)[1].headline
    assert lines(items) == [f"{path}:5: too many cells (7; the header has 6)", f"{path}:9: binary data, not text"]


def test_ingest_csv_cell_longer_than_any_article_is_a_bad_row(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(HEADER + "Huge," + "x" * 2_000_001 + ",,,,\n" + ROW, encoding="utf-8")
    items = read(path)
    assert [a.title for a in articles(items)] == ["Italy, Greece Talk"]
    [line] = lines(items)
    assert line.startswith(f"{path}:2: malformed CSV row: field larger than field limit")


def test_ingest_tsv_with_a_bom_and_windows_line_ends_is_read(tmp_path):
    path = tmp_path / "news.tsv"
    path.write_bytes("\ufefftitle\ttext\r\nSteel Duties\tCanada raised duties on steel.\r\n".encode("utf-8"))
    [article] = articles(read(path))
    assert (article.title, article.text) == ("Steel Duties", "Canada raised duties on steel.")


def test_ingest_tsv_saved_by_excel_as_utf16_is_read(tmp_path):
    path = tmp_path / "news.tsv"
    path.write_bytes("title\ttext\nTōkyō Talks\tJapan and Korea met in Tōkyō.\n".encode("utf-16"))
    [article] = articles(read(path))
    assert (article.title, article.text) == ("Tōkyō Talks", "Japan and Korea met in Tōkyō.")


def test_ingest_csv_with_only_a_header_or_nothing_says_so(tmp_path):
    header, empty, blank = tmp_path / "header.csv", tmp_path / "empty.tsv", tmp_path / "blank.jsonl"
    header.write_text(HEADER, encoding="utf-8")
    empty.write_bytes(b"")
    blank.write_text("\n  \n", encoding="utf-8")
    assert [str(s) for s in read_articles([header, empty, blank])] == [
        f"{header}: no article text found", f"{empty}: empty file", f"{blank}: empty file"]


def test_ingest_csv_build_with_columns_from_the_command_line(tmp_path, nlp):
    path = tmp_path / "dump.csv"
    path.write_text("headline_en,story,pub_date\nTrade Pact Signed,\"India and the United States signed a trade pact "
                    "on Monday, officials in New Delhi said.\",2025-05-26\nbroken,row,with,too,many\n", encoding="utf-8")
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["build", str(path), "--store", str(store), "--no-progress",
                                       "--columns", "text=story,title=headline_en,date=pub_date"])
    assert result.exit_code == 3, result.output
    assert result.stderr == f"kg: skipped {path}:3: too many cells (5; the header has 3)\n"
    assert result.stdout.startswith("1 articles read: 1 added")
    query = CliRunner().invoke(main, ["query", "SELECT ?t ?d WHERE { ?a kg:title ?t ; kg:published ?d }",
                                      "--format", "json", "--store", str(store)])
    [row] = json.loads(query.stdout)["results"]["bindings"]
    assert (row["t"]["value"], row["d"]["value"]) == ("Trade Pact Signed", "2025-05-26")
