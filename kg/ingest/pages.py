"""Web formats -> article fields: HTML pages (trafilatura) and RSS/Atom feeds (feedparser).

No spaCy, no rdflib. A page gives one `PageText`; a feed gives one `FeedEntry` per item,
whose text may be empty when the feed only links to the story.
"""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kg.ingest.dates import iso_published
from kg.ingest.decoding import repair
from kg.errors import InputError

# trafilatura and htmldate log every odd page; without a handler Python would print them on stderr.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

FEED_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S)
HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.S | re.I)
FRAGMENT_TAGS = re.compile(r"<(p|div|br|a|span|em|strong|b|i|ul|li|h[1-6]|img|table)\b[^>]*>", re.I)
BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote")
MIN_PAGE_WORDS = 5  # fewer is site chrome ("Home"), not a story
DATE_OPTIONS = {"extensive_search": False, "original_date": True}  # metadata only: no guesses from the text


@dataclass(frozen=True)
class PageText:
    """The main text of a web page and what its metadata says about it."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601
    site: str | None = None  # the site's name, as its metadata gives it
    host: str | None = None  # the host name of its URL
    url: str | None = None  # canonical URL when the page names one


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed; `text` is empty when the item only links to its story."""

    text: str
    title: str | None
    link: str | None
    published: str | None  # ISO 8601
    author: str | None
    source: str | None  # the feed's title


def looks_like_feed(data: bytes) -> bool:
    return FEED_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")) is not None


def looks_like_html(data: bytes) -> bool:
    return HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")) is not None


def looks_like_fragment(text: str) -> bool:
    return FRAGMENT_TAGS.search(text[:4096]) is not None


def page_text(html: str, *, url: str | None = None) -> PageText:
    """The main text and metadata of an HTML page; raises InputError when it has no text."""
    import trafilatura  # heavy: imported when a page is read, not when kg starts

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params=DATE_OPTIONS,
        )
    except Exception as err:  # noqa: BLE001  trafilatura and lxml failing on hostile markup: that input's fault
        raise InputError(f"unreadable HTML ({type(err).__name__})") from None
    text = (doc.text or "").strip() if doc else ""
    if len(text.split()) < MIN_PAGE_WORDS:
        raise InputError("no article text found in the HTML page")
    title = _clean(doc.title)
    netloc = urlsplit(doc.url or url or "").netloc
    return PageText(
        text=_without_title(text, title),
        title=title,
        author=_clean(doc.author),
        published=iso_published(doc.date),
        site=_clean(doc.sitename) if doc.sitename not in (netloc, netloc.removeprefix("www.")) else None,
        host=netloc or None,
        url=doc.url if doc.url and doc.url.startswith(("http://", "https://")) else url,
    )


def _without_title(text: str, title: str | None) -> str:
    """Pages repeat their headline as the first line of the text: keep it out, as for .txt files."""
    first, _, rest = text.partition("\n")
    return rest.strip() if title and rest.strip() and first.strip() == title else text


def feed_entries(data: bytes, *, url: str | None = None) -> list[FeedEntry | InputError]:
    """The entries of an RSS or Atom feed, each a FeedEntry or the InputError saying why it
    could not be read (so one bad entry costs only itself); raises InputError when it is no
    readable feed."""
    import feedparser  # heavy: imported when a feed is read, not when kg starts

    # A stream, never a str: feedparser would open a str naming a file or a URL.
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url} if url else None)
    except Exception as err:  # noqa: BLE001  feedparser's own bugs on hostile input (e.g. &#xD800;) are that input's fault
        raise InputError(f"malformed feed ({type(err).__name__})") from None
    source = _clean(parsed.feed.get("title"))
    entries = [_guarded_entry(item, source=source) for item in parsed.entries]
    if any(isinstance(e, InputError) or e.text or e.title or e.link for e in entries):
        return entries
    problem = parsed.get("bozo_exception")
    if problem is not None:  # feedparser reads what it can of a broken feed; here that was nothing
        raise InputError(f"malformed feed{_where(problem)}: {_first_line(problem)}")
    if not parsed.get("version"):
        raise InputError("not an RSS or Atom feed")
    raise InputError("feed has no entries")


def _guarded_entry(item: dict, *, source: str | None) -> FeedEntry | InputError:
    try:
        return _entry(item, source=source)
    except Exception as err:  # noqa: BLE001  hostile markup or dates in one entry: that entry's fault
        return InputError(f"unreadable feed entry ({type(err).__name__}: {err})")


def _entry(item: dict, *, source: str | None) -> FeedEntry:
    contents = [c.get("value", "") for c in item.get("content", [])] + [item.get("summary", "")]
    text = max((fragment_text(c) for c in contents if c), key=len, default="")
    link = item.get("link") if urlsplit(item.get("link") or "").scheme in ("http", "https") else None
    published = iso_published(item.get("published") or item.get("updated"))
    return FeedEntry(
        text=text, title=_clean(fragment_text(item.get("title", ""))), link=link,
        published=published, author=_clean(item.get("author")),
        source=_clean((item.get("source") or {}).get("title")) or source,
    )


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed summary, a JSON body): blocks become lines."""
    if not looks_like_fragment(html):
        return repair(html).strip()
    import lxml.html
    from lxml.etree import ParserError, XMLSyntaxError

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, XMLSyntaxError, ValueError):
        return repair(html).strip()
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for block in root.iter(*BLOCKS):
        block.tail = "\n" + (block.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return repair("\n".join(line for line in lines if line)).strip()


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(repair(value).split())
    return value or None


def _where(err: object) -> str:
    if hasattr(err, "getLineNumber"):  # xml.sax.SAXParseException
        return f" at line {err.getLineNumber()}, column {err.getColumnNumber() + 1}"
    return ""


def _first_line(err: object) -> str:
    message = err.getMessage() if hasattr(err, "getMessage") else str(err)
    return (message.splitlines() or [type(err).__name__])[0]
