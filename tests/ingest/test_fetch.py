"""Fetching URLs: a polite user agent, redirects within limits, retries, timeouts and a size cap.

Every URL is served by a local server on 127.0.0.1; no test needs the internet.
"""
from __future__ import annotations

import socket
import threading
import time

import pytest

from kg.errors import InputError
from kg.ingest.fetch import USER_AGENT, FetchPolicy, Fetcher

from newsserver import slow  # noqa: F401  (fixture)

FAST = FetchPolicy(backoff=0.01, connect_timeout=1.0, read_timeout=1.0, allow_private=True)  # its server is on loopback


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
    fetcher = Fetcher(FetchPolicy(max_bytes=1000, allow_private=True))
    assert failure(fetcher, news_server.url("/huge")) == "too large (5,000 bytes; the limit is 1,000)"


def test_fetch_stops_an_undeclared_size_at_the_cap(news_server):
    news_server.add("/stream", b"x" * 200_000, content_type="text/plain",
                    headers={"Content-Length": None, "Connection": "close"})
    fetcher = Fetcher(FetchPolicy(max_bytes=100_000, allow_private=True))
    assert failure(fetcher, news_server.url("/stream")) == "too large (more than 100,000 bytes; the limit is 100,000)"


def test_fetch_times_out_on_a_server_that_does_not_answer(news_server):
    news_server.routes["/slow"] = slow(1.0, (200, {"Content-Type": "text/plain"}, b"late"))
    fetcher = Fetcher(FetchPolicy(read_timeout=0.2, retries=0, allow_private=True))
    assert failure(fetcher, news_server.url("/slow")) == "timed out: no answer within 0.2 s"


def test_fetch_names_a_refused_connection():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed when the block ends: nothing listens there
    message = failure(Fetcher(FetchPolicy(retries=0, allow_private=True)), f"http://127.0.0.1:{port}/story")
    assert message.startswith("could not connect: ") and "refused" in message


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/file", "file:///etc/passwd", "not a url"])
def test_fetch_refuses_anything_but_http(url):
    assert failure(Fetcher(FAST), url) == "not an http(s) URL"


# staying where it was sent: links found in fetched content reach public addresses only

GUARDED = FetchPolicy(backoff=0.01, connect_timeout=1.0, read_timeout=1.0)


def test_fetch_refuses_a_redirect_to_loopback_and_never_connects_there(news_server, listener):
    news_server.add("/moved", b"", status=302, headers={"Location": f"http://127.0.0.1:{listener.port}/admin"})
    message = failure(Fetcher(GUARDED), news_server.url("/moved"))
    assert message == (f"not fetched: 127.0.0.1 is a loopback address; private addresses are fetched only "
                       "with --allow-private, or FetchPolicy(allow_private=True)")
    assert listener.connections == 0


def test_fetch_a_url_the_user_gave_may_be_on_loopback_but_its_redirects_may_not(news_server):
    news_server.add("/story", "<html><body><p>Talks resumed.</p></body></html>")
    news_server.add("/old", b"", status=301, headers={"Location": "/story"})
    assert Fetcher(GUARDED).get(news_server.url("/story"), trusted=True).body.startswith(b"<html>")
    assert "is a loopback address" in failure(Fetcher(GUARDED), news_server.url("/story"))
    with pytest.raises(InputError, match="127.0.0.1 is a loopback address"):
        Fetcher(GUARDED).get(news_server.url("/old"), trusted=True)
    assert news_server.hits("/story") == 1  # the redirect's target was never asked
    assert Fetcher(FAST).get(news_server.url("/old")).url == news_server.url("/story")  # allow_private


@pytest.mark.parametrize(("url", "shown"), [
    ("http://localhost:9/", "localhost (127.0.0.1)"),  # a name is resolved, and its address checked
    ("http://[::1]:9/", "::1 is a loopback"),
    ("http://10.1.2.3/feed", "10.1.2.3 is a private"),
    ("http://192.168.0.1/", "192.168.0.1 is a private"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local"),  # a cloud's metadata service
    ("http://0.0.0.0:9/", "0.0.0.0 is an unspecified"),
    ("http://[::ffff:127.0.0.1]:9/", "::ffff:127.0.0.1 is a loopback"),
])
def test_fetch_refuses_links_to_addresses_that_are_not_public(url, shown):
    start = time.monotonic()
    assert shown in failure(Fetcher(GUARDED), url)
    assert time.monotonic() - start < 1.0  # refused before any connection (nothing was retried)


def test_fetch_does_not_retry_a_server_that_stalls_before_its_headers(news_server):
    news_server.routes["/stall"] = slow(2.0, (200, {"Content-Type": "text/plain"}, b"late"))
    start = time.monotonic()
    fetcher = Fetcher(FetchPolicy(read_timeout=0.3, retries=3, allow_private=True))
    assert failure(fetcher, news_server.url("/stall")) == "timed out: no answer within 0.3 s"
    assert time.monotonic() - start < 1.5
    assert news_server.hits("/stall") == 1


def test_fetch_deadline_covers_every_retry(news_server):
    news_server.add("/busy", b"busy", status=503)
    start = time.monotonic()
    fetcher = Fetcher(FetchPolicy(deadline=1.0, backoff=0.4, retries=20, allow_private=True))
    assert failure(fetcher, news_server.url("/busy")) == (
        "gave up after 1 s (the deadline for one URL, tries and redirects included)")
    assert 0.9 < time.monotonic() - start < 1.6
    assert 2 <= news_server.hits("/busy") < 10


def test_fetch_deadline_cuts_a_body_sent_a_byte_at_a_time(dripping):
    start = time.monotonic()
    fetcher = Fetcher(FetchPolicy(deadline=1.0, read_timeout=5.0, allow_private=True))
    assert failure(fetcher, dripping) == "gave up after 1 s (the deadline for one URL, tries and redirects included)"
    assert time.monotonic() - start < 1.6


@pytest.fixture
def dripping():
    """A server on loopback that sends its headers, then one byte of body every 0.1 s, for a minute."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 600\r\n\r\n")
            for _ in range(600):
                if stop.wait(0.1):
                    return
                try:
                    conn.sendall(b"x")
                except OSError:
                    return

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/drip"
    stop.set()
    server.close()
