"""`kg build` on the news as it arrives: a folder of every kind of input plus a URL list served
on 127.0.0.1 gives one graph with the right titles, dates and sources, each story once."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main


STORY = (
    "Japanese Prime Minister Shigeru Ishiba spoke with U.S. President Donald Trump for 45 minutes on Friday, "
    "addressing key topics including tariffs, diplomacy, and regional security. The call underscores ongoing "
    "efforts to resolve trade tensions between the two allies. The two leaders also expressed interest in "
    "holding an in-person meeting during the upcoming G7 summit, set for next month."
)
INDIA = "India and the United States signed a trade pact on Monday, officials in New Delhi said."
CANADA = "Canada imposed tariffs on Chinese steel, the finance minister said in Ottawa."


def kg(*args: str | Path) -> tuple[int, str, str]:
    """Exit code, stdout and stderr."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def rows(store: Path, sparql: str) -> list[tuple[str, ...]]:
    code, out, err = kg("query", sparql, "--format", "csv", "--store", store)
    assert code == 0, err
    return sorted(tuple(row) for row in list(csv.reader(io.StringIO(out)))[1:])


def html(title: str, body: str, *, site: str, date: str) -> str:
    return (f'<html><head><title>{title}</title><meta property="og:site_name" content="{site}">'
            f'<meta property="article:published_time" content="{date}"><script>track("Ishiba")</script></head>'
            f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>")


def test_ingest_build_a_mixed_folder_and_a_url_list_gives_one_graph_each_story_once(tmp_path, nlp, news_server):
    served = news_server.add("/canada", html("Canada Targets Chinese Steel", CANADA, site="Maple Wire", date="2025-05-20"))
    missing = news_server.url("/gone")
    news = tmp_path / "news"
    news.mkdir()
    (news / "a_talks.txt").write_text("Ishiba and Trump Talk Tariffs\n" + STORY, encoding="utf-8")
    (news / "b_talks_syndicated.html").write_text(  # the same story under another headline
        html("Japan Presses Trump on Tariffs", STORY + " Reporting by Jane Roe.", site="Syndicate Daily", date="2025-05-24"),
        encoding="utf-8")
    (news / "c_india.json").write_text(json.dumps({
        "title": "India and US Sign Trade Pact", "text": INDIA, "url": "https://wire.example/india",
        "published": "May 26, 2025", "source": "Wire A"}), encoding="utf-8")
    (news / "d_wire.jsonl").write_text(json.dumps({  # the same text under another URL
        "title": "Trade Pact Signed", "text": INDIA, "url": "https://other.example/pact", "source": "Wire B"}) + "\n",
        encoding="utf-8")
    (news / "e_feed.rss").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Example Wire</title>'
        "<item><title>EU Weighs Steel Duties</title><link>https://example.org/eu</link>"
        "<pubDate>Tue, 27 May 2025 08:00:00 GMT</pubDate>"
        "<description>The European Union weighed new duties on steel imports.</description></item></channel></rss>",
        encoding="utf-8")
    (news / "f_urls.txt").write_text(f"{served}\n{missing}\n", encoding="utf-8")
    (news / "g_broken.json").write_text('{"title": "Cut', encoding="utf-8")
    (news / "h_empty.md").write_bytes(b"")
    store = tmp_path / "store"

    code, out, err = kg("build", news, "--store", store, "--no-progress")
    assert code == 3
    assert err.splitlines() == [
        f"kg: skipped {missing}: HTTP 404 Not Found",
        f"kg: skipped {news / 'g_broken.json'}: malformed JSON at line 1, column 11: Unterminated string starting at",
        f"kg: skipped {news / 'h_empty.md'}: empty file",
    ]
    assert out.startswith("6 articles read: 4 added, 0 already in the store, 2 duplicate(s) linked; ")
    assert out.rstrip().endswith("; 3 skipped (1 HTTP 404 Not Found, 1 empty file, 1 malformed JSON)")

    assert rows(store, "SELECT ?title ?source ?published WHERE { ?a a kg:Article ; kg:title ?title . "
                       "FILTER NOT EXISTS { ?a kg:duplicateOf ?o } "
                       "OPTIONAL { ?a kg:source ?source } OPTIONAL { ?a kg:published ?published } }") == [
        ("Canada Targets Chinese Steel", "Maple Wire", "2025-05-20"),
        ("EU Weighs Steel Duties", "Example Wire", "2025-05-27T08:00:00+00:00"),
        ("India and US Sign Trade Pact", "Wire A", "2025-05-26"),
        ("Ishiba and Trump Talk Tariffs", "", ""),
    ]
    assert rows(store, "SELECT ?copy ?source ?original WHERE { ?c kg:duplicateOf ?o . ?c kg:title ?copy ; "
                       "kg:source ?source . ?o kg:title ?original }") == [
        ("Japan Presses Trump on Tariffs", "Syndicate Daily", "Ishiba and Trump Talk Tariffs"),
        ("Trade Pact Signed", "Wire B", "India and US Sign Trade Pact"),
    ]
    assert rows(store, "SELECT (COUNT(?call) AS ?n) WHERE { ?call a kg:PhoneCall }") == [("1",)]  # not double counted

    _, again, _ = kg("build", news, "--store", store, "--no-progress")
    assert again.startswith("6 articles read: 0 added, 6 already in the store; ")


def test_ingest_build_resolves_relative_dates_against_the_feed_date_and_keeps_the_rest_as_text(tmp_path, nlp):
    feed = tmp_path / "wire.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Example Wire</title>'
        "<item><title>Ishiba and Trump Talk Tariffs</title><link>https://example.org/talks</link>"
        f"<pubDate>Sat, 26 Apr 2025 10:00:00 GMT</pubDate><description>{STORY}</description></item></channel></rss>",
        encoding="utf-8")
    store = tmp_path / "store"
    code, _, err = kg("build", feed, "--store", store, "--no-progress")
    assert code == 0, err
    assert rows(store, "SELECT ?type ?when ?date WHERE { ?e a ?type ; kg:timeText ?when . "
                       "VALUES ?type { kg:PhoneCall kg:Meeting } OPTIONAL { ?e kg:date ?date } }") == [
        ("kg:Meeting", "next month", ""),  # a month, not a day: kept as text
        ("kg:PhoneCall", "Friday", "2025-04-25"),
    ]


def test_ingest_build_extract_reads_a_url_without_storing(tmp_path, nlp, news_server):
    served = news_server.add("/canada", html("Canada Targets Chinese Steel", CANADA, site="Maple Wire", date="2025-05-20"))
    code, out, err = kg("extract", served, news_server.url("/gone"))
    assert code == 3
    assert err.splitlines() == [f"kg: skipped {news_server.url('/gone')}: HTTP 404 Not Found"]
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["article"]["title"] == "Canada Targets Chinese Steel"
    assert record["article"]["url"] == served
    assert record["article"]["published"] == "2025-05-20"
    assert any(e["type"] == "Tariff" for e in record["events"]), record["events"]
