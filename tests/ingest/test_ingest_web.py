"""Reading the news as it arrives: HTML pages, RSS and Atom feeds, URLs and URL lists, dates
and encodings. Pages and feeds are served from 127.0.0.1; no test needs the internet."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.ingest.fetch import FetchPolicy, Fetcher
from kg.ingest import Skipped, article_id, read_articles
from kg.model import Article


FAST = Fetcher(FetchPolicy(backoff=0.01, retries=1, allow_private=True))  # the test site is on loopback
BODY = ("Japan and the United States held trade talks in Washington on Friday. "
        "Both sides agreed to meet again next month, officials said.")


def page(title: str, body: str = BODY, *, head: str = "", charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title} | Example News</title>{head}'
            '<script>var tracking = "Tariffs on everything";</script></head>'
            f'<body><nav>Home | World | Business</nav><article><h1>{title}</h1><p>{body}</p>'
            '<p>The negotiators called the talks constructive and said they would continue.</p></article>'
            '<footer>Copyright Example News</footer></body></html>')


FULL_HEAD = ('<link rel="canonical" href="https://example.org/news/talks">'
             '<meta property="og:site_name" content="Example News">'
             '<meta name="author" content="Jane Roe">'
             '<meta property="article:published_time" content="2025-05-23T09:30:00Z">')


def rss(*items: str, title: str = "Example Wire") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f'<link>https://example.org/</link><description>News</description>{"".join(items)}</channel></rss>')


def item(title: str, link: str, *, description: str = "", date: str = "Fri, 23 May 2025 09:30:00 GMT") -> str:
    described = f"<description>{description}</description>" if description else ""
    return f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>{described}</item>"


def read(*sources: str | Path) -> list[Article | Skipped]:
    return list(read_articles(sources, fetcher=FAST))


def articles(items: list) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def skipped(items: list) -> list[str]:
    return [str(i) for i in items if isinstance(i, Skipped)]


# HTML pages


def test_ingest_html_page_gives_main_text_title_author_date_site_and_canonical_url(tmp_path):
    path = tmp_path / "talks.html"
    path.write_text(page("Trade Talks Resume", head=FULL_HEAD), encoding="utf-8")
    [article] = read(path)
    assert article.title == "Trade Talks Resume"
    assert article.author == "Jane Roe"
    assert article.published == "2025-05-23"
    assert article.source == "Example News"
    assert article.url == "https://example.org/news/talks"
    assert article.id == article_id(url="https://example.org/news/talks", text="")
    assert article.origin == path.name
    assert article.text.startswith("Japan and the United States held trade talks")
    assert "constructive" in article.text
    for chrome in ("Trade Talks Resume", "tracking", "Tariffs on everything", "Home | World", "Copyright"):
        assert chrome not in article.text


def test_ingest_truncated_html_keeps_what_arrived(tmp_path):
    path = tmp_path / "cut.htm"
    path.write_text(page("Trade Talks Resume")[:400], encoding="utf-8")
    [article] = read(path)
    assert article.text.startswith("Japan and the United States held trade talks")


def test_ingest_html_without_text_is_skipped_naming_the_reason(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>alert('x')</script></head><body><nav>Home</nav></body></html>", encoding="utf-8")
    assert skipped(read(path)) == [f"{path}: no article text found in the HTML page"]


# feeds


def test_ingest_rss_entries_become_articles_with_link_date_and_feed_name(tmp_path):
    path = tmp_path / "wire.rss"
    path.write_text(rss(
        item("Trade Talks Resume", "https://example.org/a", description=f"&lt;p&gt;{BODY}&lt;/p&gt;"),
        item("Tariffs on Steel Rise", "https://example.org/b", description="Japan raised tariffs on steel.",
             date="Mon, 26 May 2025 14:00:00 +0900"),
    ), encoding="utf-8")
    first, second = read(path)
    assert (first.title, first.text, first.url, first.published, first.source) == (
        "Trade Talks Resume", BODY, "https://example.org/a", "2025-05-23T09:30:00+00:00", "Example Wire")
    assert first.origin == f"{path.name}#entry-1" and second.origin == f"{path.name}#entry-2"
    assert second.published == "2025-05-26T14:00:00+09:00"
    assert first.id == article_id(url="https://example.org/a", text="")


def test_ingest_atom_entry_content_is_read_as_text(tmp_path):
    path = tmp_path / "wire.atom"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>'
        '<id>urn:wire</id><updated>2025-05-23T09:30:00Z</updated><entry><title>Trade Talks Resume</title>'
        '<id>urn:a</id><link href="https://example.org/a"/><published>2025-05-23T09:30:00Z</published>'
        '<author><name>Jane Roe</name></author><summary>Talks resumed.</summary>'
        f'<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt;</content></entry></feed>',
        encoding="utf-8")
    [article] = read(path)
    assert (article.title, article.text, article.published, article.source, article.author) == (
        "Trade Talks Resume", BODY, "2025-05-23T09:30:00Z", "Atom Wire", "Jane Roe")


def test_ingest_feed_entry_with_only_a_link_fetches_the_page(tmp_path, news_server):
    story = news_server.add("/story", page("Trade Talks Resume", head='<meta name="author" content="Jane Roe">'))
    gone = news_server.url("/gone")
    path = tmp_path / "links.xml"
    path.write_text(rss(item("Talks Resume (feed title)", story), item("Gone", gone)), encoding="utf-8")
    items = read(path)
    [article] = articles(items)
    assert article.title == "Trade Talks Resume"
    assert article.text.startswith("Japan and the United States held trade talks")
    assert article.url == story
    assert article.published == "2025-05-23T09:30:00+00:00"  # from the feed: the page has no date
    assert article.source == "Example Wire"
    assert article.author == "Jane Roe"
    assert article.origin == f"{path.name}#entry-1"
    assert skipped(items) == [f"{path.name}#entry-2 ({gone}): HTTP 404 Not Found"]


@pytest.mark.parametrize("data, reason", [
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>Cut', "malformed feed at line 1"),
    (b"<?xml version='1.0'?><catalog><book>Not news</book></catalog>", "not an RSS or Atom feed"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title></channel></rss>', "feed has no entries"),
])
def test_ingest_broken_feed_is_skipped_naming_the_reason(tmp_path, data, reason):
    path = tmp_path / "broken.xml"
    path.write_bytes(data)
    [message] = skipped(read(path))
    assert message.startswith(f"{path}: {reason}")


# URLs and URL lists


def test_ingest_url_list_fetches_pages_and_feeds_and_reports_each_failure(tmp_path, news_server):
    talks = news_server.add("/talks", page("Trade Talks Resume", head='<meta property="og:site_name" content="Example News">'))
    feed = news_server.add("/feed", rss(item("Tariffs on Steel Rise", "https://example.org/b",
                                             description="Japan raised tariffs on steel.")),
                           content_type="application/rss+xml")
    notes = news_server.add("/notes.txt", "Budget Talks\nThe finance ministers met in Ottawa.", content_type="text/plain")
    missing = news_server.url("/missing")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# morning reading\n{talks}\n\n{feed}\n{missing}\n{notes}\n", encoding="utf-8")

    items = read(urls)
    assert [(a.title, a.source, a.origin) for a in articles(items)] == [
        ("Trade Talks Resume", "Example News", talks),
        ("Tariffs on Steel Rise", "Example Wire", f"{feed}#entry-1"),
        ("Budget Talks", None, notes),
    ]
    assert skipped(items) == [f"{missing}: HTTP 404 Not Found"]


def test_ingest_url_given_directly_is_fetched(news_server):
    url = news_server.add("/talks", page("Trade Talks Resume"))
    [article] = read(url)
    assert (article.title, article.url, article.origin) == ("Trade Talks Resume", url, url)


# dates


@pytest.mark.parametrize("given, iso", [
    ("2025-05-23", "2025-05-23"),
    ("2025-06-01T09:30:00Z", "2025-06-01T09:30:00Z"),
    ("Fri, 23 May 2025 09:30:00 GMT", "2025-05-23T09:30:00+00:00"),
    ("May 23, 2025", "2025-05-23"),
    ("23 May 2025", "2025-05-23"),
    ("Friday", None),  # no year, month or day: never guessed
    ("2 hours ago", None),
    ("2025-02-30", None),
])
def test_ingest_published_dates_become_iso_8601(tmp_path, given, iso):
    path = tmp_path / "dated.json"
    path.write_text(json.dumps({"title": "Trade Talks Resume", "text": BODY, "published": given}), encoding="utf-8")
    [article] = read(path)
    assert article.published == iso


# encodings


def test_ingest_latin1_html_with_its_charset_declared(tmp_path):
    path = tmp_path / "latin.html"
    body = "Le ministre s’est rendu à Genève; les négociations sur les tarifs ont repris vendredi à Zürich."
    path.write_bytes(page("Négociations à Genève", body, charset="iso-8859-1").encode("cp1252"))
    [article] = read(path)
    assert article.title == "Négociations à Genève"
    assert article.text.startswith(body)


def test_ingest_latin1_text_without_a_declared_charset(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Zölle und Gespräche\nDie Minister trafen sich in München und sprachen über Zölle.".encode("latin-1"))
    [article] = read(path)
    assert (article.title, article.text) == ("Zölle und Gespräche", "Die Minister trafen sich in München und sprachen über Zölle.")


def test_ingest_utf16_without_a_byte_order_mark(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes("Trade Talks Resume\nJapan and the United States held talks.".encode("utf-16-le"))
    [article] = read(path)
    assert (article.title, article.text) == ("Trade Talks Resume", "Japan and the United States held talks.")


def test_ingest_mojibake_is_repaired(tmp_path):
    path = tmp_path / "mojibake.txt"
    broken = "Japan’s ‘firm position’ at the café".encode("utf-8").decode("cp1252")  # Japanâ€™s â€˜firm…
    path.write_text(broken, encoding="utf-8")
    [article] = read(path)
    assert article.text == "Japan’s ‘firm position’ at the café"


def test_ingest_page_in_the_encoding_its_server_declares(news_server):
    body = "Les négociations ont repris à Genève vendredi, a déclaré le ministre."
    url = news_server.add("/fr", page("Négociations", body, charset="x-unknown").encode("cp1252"),
                          content_type="text/html; charset=windows-1252")
    [article] = read(url)
    assert article.text.startswith(body)


# size


def test_ingest_100_mb_file_is_refused_by_its_size_without_reading_it(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as out:
        out.truncate(100 * 1024 * 1024)  # sparse: nothing is written
    [message] = skipped(read(path))
    assert message == f"{path}: file too large (104,857,600 bytes; the limit is 20,971,520)"
