"""Fetching URLs: a polite user agent, redirects within limits, retries, timeouts and a size cap.

Every URL is served by a local server on 127.0.0.1; no test needs the internet.
"""
from __future__ import annotations

import socket

import pytest

from kg.errors import InputError
from kg.ingest.fetch import USER_AGENT, FetchPolicy, Fetcher

from newsserver import slow  # noqa: F401  (fixture)

FAST = FetchPolicy(backoff=0.01, connect_timeout=1.0, read_timeout=1.0)


def failure(fetcher: Fetcher, url: str) -> str:
    with pytest.raises(InputError) as caught:
        fetcher.get(url)
    return str(caught.value)


def test_fetch_sends_a_polite_user_agent_and_follows_redirects(news_server):
    news_server.add("/story", "<html><body><p>Talks resumed.</p></body></html>")
    news_server.add("/old", b"", status=301, headers={"Location": "/story"})
    download = Fetcher(FAST).get(news_server.url("/old"))
    assert download.url == news_server.url("/story")
    assert (download.media_type, download.charset) == ("text/html", "utf-8")
    assert download.body == b"<html><body><p>Talks resumed.</p></body></html>"
    assert [agent for _, agent in news_server.requests] == [USER_AGENT, USER_AGENT]
    assert USER_AGENT.startswith("kg-news/") and "+https://" in USER_AGENT


def test_fetch_gives_up_on_a_redirect_loop(news_server):
    news_server.add("/a", b"", status=302, headers={"Location": "/b"})
    news_server.add("/b", b"", status=302, headers={"Location": "/a"})
    assert failure(Fetcher(FAST), news_server.url("/a")) == "too many redirects (more than 5)"
    assert len(news_server.requests) == 6


def test_fetch_retries_a_failing_server_with_backoff_then_succeeds(news_server):
    answers = iter([(503, {}, b"busy"), (503, {}, b"busy"), (200, {"Content-Type": "text/plain"}, b"Talks resumed.")])
    news_server.routes["/flaky"] = lambda: next(answers)
    assert Fetcher(FAST).get(news_server.url("/flaky")).body == b"Talks resumed."
    assert news_server.hits("/flaky") == 3


def test_fetch_reports_the_status_once_retries_are_spent(news_server):
    news_server.add("/down", b"busy", status=503)
    assert failure(Fetcher(FAST), news_server.url("/down")) == "HTTP 503 Service Unavailable"
    assert news_server.hits("/down") == 1 + FAST.retries


def test_fetch_does_not_retry_a_missing_page(news_server):
    assert failure(Fetcher(FAST), news_server.url("/missing")) == "HTTP 404 Not Found"
    assert news_server.hits("/missing") == 1


def test_fetch_refuses_a_declared_size_over_the_cap_before_downloading(news_server):
    news_server.add("/huge", b"x" * 5000, content_type="text/plain")
    fetcher = Fetcher(FetchPolicy(max_bytes=1000))
    assert failure(fetcher, news_server.url("/huge")) == "too large (5,000 bytes; the limit is 1,000)"


def test_fetch_stops_an_undeclared_size_at_the_cap(news_server):
    news_server.add("/stream", b"x" * 200_000, content_type="text/plain",
                    headers={"Content-Length": None, "Connection": "close"})
    fetcher = Fetcher(FetchPolicy(max_bytes=100_000))
    assert failure(fetcher, news_server.url("/stream")) == "too large (more than 100,000 bytes; the limit is 100,000)"


def test_fetch_times_out_on_a_server_that_does_not_answer(news_server):
    news_server.routes["/slow"] = slow(1.0, (200, {"Content-Type": "text/plain"}, b"late"))
    fetcher = Fetcher(FetchPolicy(read_timeout=0.2, retries=0))
    assert failure(fetcher, news_server.url("/slow")) == "timed out: no answer within 0.2 s"


def test_fetch_names_a_refused_connection():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed when the block ends: nothing listens there
    message = failure(Fetcher(FetchPolicy(retries=0)), f"http://127.0.0.1:{port}/story")
    assert message.startswith("could not connect: ") and "refused" in message


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/file", "file:///etc/passwd", "not a url"])
def test_fetch_refuses_anything_but_http(url):
    assert failure(Fetcher(FAST), url) == "not an http(s) URL"
