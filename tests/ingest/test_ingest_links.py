"""Where ingest goes: the URLs the user gives may be anywhere, the links found in what it
reads (feed entries, URL lists from the web, canonical links) only on public addresses,
unless `allow_private`. URL lists read their lines as URLs and report each other line.
Every server is on 127.0.0.1."""
from __future__ import annotations

from pathlib import Path

from kg.ingest import Skipped, read_articles
from kg.ingest.fetch import FetchPolicy, Fetcher
from kg.model import Article

from test_ingest_web import item, page, rss

GUARDED = Fetcher(FetchPolicy(backoff=0.01, retries=1))
OPEN = Fetcher(FetchPolicy(backoff=0.01, retries=1, allow_private=True))
REFUSED = "is a loopback address; private addresses are fetched only with --allow-private"


def read(*sources: str | Path, fetcher: Fetcher = GUARDED) -> list[Article | Skipped]:
    return list(read_articles(sources, fetcher=fetcher))


def titles(items: list) -> list[str]:
    return [i.title for i in items if isinstance(i, Article)]


def skipped(items: list) -> list[str]:
    return [str(i) for i in items if isinstance(i, Skipped)]


def test_ingest_links_a_feed_entry_linking_to_loopback_is_not_fetched(tmp_path, news_server):
    story = news_server.add("/internal", page("Internal Budget Memo"))
    feed = tmp_path / "wire.rss"
    feed.write_text(rss(item("Memo", story)), encoding="utf-8")
    [message] = skipped(read(feed))
    assert message.startswith(f"{feed.name}#entry-1 ({story}): not fetched: 127.0.0.1 {REFUSED}")
    assert news_server.hits("/internal") == 0
    assert titles(read(feed, fetcher=OPEN)) == ["Internal Budget Memo"]


def test_ingest_links_a_url_list_from_the_web_reaches_public_addresses_only(news_server):
    inside = news_server.add("/inside", page("Internal Budget Memo"))
    urls = news_server.add("/urls.txt", f"{inside}\n", content_type="text/plain")
    [message] = skipped(read(urls))  # the list itself was given by the user: it is fetched
    assert message == f"{inside}: not fetched: 127.0.0.1 {REFUSED}, or FetchPolicy(allow_private=True)"
    assert (news_server.hits("/urls.txt"), news_server.hits("/inside")) == (1, 0)


def test_ingest_links_a_url_list_file_may_name_loopback(tmp_path, news_server):
    story = news_server.add("/talks", page("Trade Talks Resume"))
    urls = tmp_path / "urls.txt"
    urls.write_text(story + "\n", encoding="utf-8")
    assert titles(read(urls)) == ["Trade Talks Resume"]


def test_ingest_links_a_canonical_link_to_a_private_address_is_not_the_story_url(news_server):
    url = news_server.add("/talks", page("Trade Talks Resume", head='<link rel="canonical" href="http://10.0.0.7/admin">'))
    [article] = read(url)
    assert article.url == url


def test_ingest_links_a_url_list_reports_each_line_that_is_no_url(tmp_path, news_server):
    talks = news_server.add("/talks", page("Trade Talks Resume"))
    steel = news_server.add("/steel", page("Tariffs on Steel Rise"))
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# reading list\n{talks}\nftp://example.org/wire.txt\n\n{steel}\nwww.example.org/news\n",
                    encoding="utf-8")
    items = read(urls)
    assert titles(items) == ["Trade Talks Resume", "Tariffs on Steel Rise"]
    assert skipped(items) == [f"{urls}:3: not an http(s) URL: ftp://example.org/wire.txt",
                              f"{urls}:6: not an http(s) URL: www.example.org/news"]


def test_ingest_links_a_story_that_quotes_a_url_is_still_a_story(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Trade Talks Resume\nhttps://example.org/talks\nJapan and the United States held talks.\n",
                     encoding="utf-8")
    [article] = read(story)
    assert article.title == "Trade Talks Resume" and "held talks" in article.text
