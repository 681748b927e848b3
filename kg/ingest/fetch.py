"""HTTP(S) for ingest: timeouts, a size cap, retries with backoff, a polite user agent,
redirects followed within limits, and a deadline per URL that covers all of it. No spaCy, no
rdflib; failures are InputErrors of one line.

A URL the user gave may be on any address; links found in fetched content (a redirect, a
feed entry's link, a URL list served by a site) reach public addresses only (`addresses`),
unless the policy allows private ones.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError, HTTPError, LocationParseError, NewConnectionError, ProtocolError, ReadTimeoutError,
)

from kg import __version__
from kg.errors import InputError
from kg.ingest.addresses import AddressRefused, guarded_pool_manager

USER_AGENT = f"kg-news/{__version__} (news knowledge-graph builder; +https://w3id.org/kg-news/)"
ACCEPT = "text/html, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5"
MAX_BYTES = 20 * 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK = 64 * 1024
MAX_BACKOFF = 10.0
URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.I)


@dataclass(frozen=True)
class FetchPolicy:
    """How politely, how patiently, and where to fetch."""

    connect_timeout: float = 5.0  # seconds
    read_timeout: float = 15.0  # seconds without a byte
    deadline: float = 30.0  # seconds for one URL: every try, every redirect and the download
    max_bytes: int = MAX_BYTES
    retries: int = 3  # on connection errors and 429/5xx answers (not on a server that stops answering)
    backoff: float = 0.5  # seconds; doubles after each retry, the first retry is immediate
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    allow_private: bool = False  # let links found in fetched content reach loopback and private addresses


@dataclass(frozen=True)
class Download:
    """What a URL gave: the final URL (after redirects), its media type and charset, the bytes."""

    url: str
    media_type: str  # "text/html", "application/rss+xml", ... ("" when not given)
    charset: str | None
    body: bytes = field(repr=False)


def is_url(value: object) -> bool:
    return isinstance(value, str) and URL.fullmatch(value.strip()) is not None


class Fetcher:
    """Fetches URLs with pooled connections; each failure is an InputError naming the reason."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        headers = {"User-Agent": self.policy.user_agent, "Accept": ACCEPT}
        self._any = urllib3.PoolManager(headers=headers, retries=False)
        self._public = self._any if self.policy.allow_private else guarded_pool_manager(headers=headers, retries=False)

    def get(self, url: str, *, trusted: bool = False) -> Download:
        """The body of `url`; raises InputError (HTTP status, timeout, too large, refused, ...).

        `trusted`: the user gave this URL, so it may be on any address; the URLs it redirects
        to are checked all the same.
        """
        if not is_url(url):
            raise InputError("not an http(s) URL")
        deadline = time.monotonic() + self.policy.deadline
        manager = self._any if trusted else self._public
        for _ in range(self.policy.max_redirects + 1):
            response = self._request(manager, url, deadline)
            location = response.get_redirect_location()
            if not location:
                try:
                    return self._download(url, response, deadline)
                finally:
                    response.release_conn()
            response.drain_conn()
            response.release_conn()
            url = urljoin(url, location)
            if not is_url(url):
                raise InputError("redirected to something other than an http(s) URL")
            manager = self._public
        raise InputError(f"too many redirects (more than {self.policy.max_redirects})")

    def _request(self, manager: urllib3.PoolManager, url: str, deadline: float) -> urllib3.BaseHTTPResponse:
        """The response to one GET (headers read, body not), retried on connection errors and
        429/5xx answers while the deadline allows."""
        policy = self.policy
        failure: BaseException | None = None
        for attempt in range(policy.retries + 1):
            if attempt:
                time.sleep(min(policy.backoff * 2 ** (attempt - 2) if attempt > 1 else 0.0, MAX_BACKOFF,
                               max(deadline - time.monotonic(), 0.0)))
            left = deadline - time.monotonic()
            if left <= 0:
                break
            timeout = urllib3.Timeout(connect=min(policy.connect_timeout, left), read=min(policy.read_timeout, left))
            try:
                response = manager.request("GET", url, preload_content=False, redirect=False, retries=False,
                                           timeout=timeout)
            except AddressRefused as err:
                raise InputError(str(err)) from None
            except ReadTimeoutError as err:  # it took the connection, then said nothing: asking again would wait as long
                raise InputError(self._late() if time.monotonic() >= deadline else self._reason(err)) from None
            except (NewConnectionError, ConnectTimeoutError, ProtocolError) as err:
                failure = err
                continue
            except (LocationParseError, HTTPError, ValueError) as err:
                raise InputError(self._reason(err)) from None
            if response.status not in RETRY_STATUSES or attempt == policy.retries:
                return response
            failure = None
            response.drain_conn()
            response.release_conn()
        if failure is None:
            raise InputError(self._late())
        raise InputError(self._reason(failure))

    def _download(self, url: str, response: urllib3.BaseHTTPResponse, deadline: float) -> Download:
        if response.status >= 400:
            raise InputError(f"HTTP {response.status} {response.reason or ''}".rstrip())
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.policy.max_bytes:
            raise InputError(self._too_large(f"{int(length):,} bytes"))
        media_type, charset = _content_type(response.headers.get("Content-Type", ""))
        return Download(url=url, media_type=media_type, charset=charset, body=self._body(response, deadline))

    def _body(self, response: urllib3.BaseHTTPResponse, deadline: float) -> bytes:
        """The body, read as it comes; a server that sends it a byte at a time is cut off at
        the deadline (a timer shuts the socket, which ends a read that waits)."""
        chunks, size = [], 0
        stop = threading.Timer(max(deadline - time.monotonic(), 0.0), response.shutdown)
        stop.daemon = True
        stop.start()
        try:
            while chunk := response.read1(CHUNK):
                size += len(chunk)
                if size > self.policy.max_bytes:
                    raise InputError(self._too_large(f"more than {self.policy.max_bytes:,} bytes"))
                chunks.append(chunk)
        except (HTTPError, OSError) as err:
            raise InputError(self._late() if time.monotonic() >= deadline else self._reason(err)) from None
        finally:
            stop.cancel()
        if time.monotonic() >= deadline:
            raise InputError(self._late())
        return b"".join(chunks)

    def _late(self) -> str:
        return f"gave up after {self.policy.deadline:g} s (the deadline for one URL, tries and redirects included)"

    def _too_large(self, size: str) -> str:
        return f"too large ({size}; the limit is {self.policy.max_bytes:,})"

    def _reason(self, err: BaseException | None) -> str:
        if isinstance(err, NewConnectionError):  # before ConnectTimeoutError, its base class
            return "could not connect: " + str(err).rsplit(": ", 1)[-1]
        if isinstance(err, ConnectTimeoutError):
            return f"could not connect within {self.policy.connect_timeout:g} s"
        if isinstance(err, ReadTimeoutError):
            return f"timed out: no answer within {self.policy.read_timeout:g} s"
        if isinstance(err, ProtocolError):
            return "connection broken: " + str(err.args[0] if err.args else err)
        return f"download failed: {err}".splitlines()[0]


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.I)
    return media_type.strip().lower(), match.group(1) if match else None
