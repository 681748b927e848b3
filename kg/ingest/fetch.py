"""HTTP(S) for ingest: timeouts, a size cap, retries with backoff, a polite user agent, and
redirects followed within limits. No spaCy, no rdflib; failures are InputErrors of one line."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError, HTTPError, LocationParseError, MaxRetryError, NewConnectionError,
    ProtocolError, ReadTimeoutError, ResponseError,
)

from kg import __version__
from kg.errors import InputError

USER_AGENT = f"kg-news/{__version__} (news knowledge-graph builder; +https://w3id.org/kg-news/)"
ACCEPT = "text/html, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5"
MAX_BYTES = 20 * 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK = 64 * 1024
URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.I)


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how patiently to fetch."""

    connect_timeout: float = 5.0  # seconds
    read_timeout: float = 15.0  # seconds without a byte
    total_timeout: float = 60.0  # seconds for a whole download
    max_bytes: int = MAX_BYTES
    retries: int = 3  # on connection errors and 429/5xx answers
    backoff: float = 0.5  # seconds; doubles after each retry, the first retry is immediate
    max_redirects: int = 5
    user_agent: str = USER_AGENT


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
    """Fetches URLs with one connection pool; each failure is an InputError naming the reason."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        retry = urllib3.Retry(
            total=self.policy.retries + self.policy.max_redirects,
            connect=self.policy.retries, read=self.policy.retries, status=self.policy.retries,
            redirect=self.policy.max_redirects, status_forcelist=RETRY_STATUSES,
            backoff_factor=self.policy.backoff, backoff_max=10.0,
            respect_retry_after_header=False,  # a server's Retry-After could stall the whole build
            raise_on_status=False,
        )
        self._pool = urllib3.PoolManager(
            headers={"User-Agent": self.policy.user_agent, "Accept": ACCEPT}, retries=retry,
            timeout=urllib3.Timeout(connect=self.policy.connect_timeout, read=self.policy.read_timeout),
        )

    def get(self, url: str) -> Download:
        """The body of `url`; raises InputError (HTTP status, timeout, too large, ...)."""
        if not is_url(url):
            raise InputError("not an http(s) URL")
        try:
            response = self._pool.request("GET", url, preload_content=False)
        except MaxRetryError as err:
            raise InputError(self._reason(err.reason)) from None
        except (LocationParseError, HTTPError, ValueError) as err:
            raise InputError(self._reason(err)) from None
        try:
            return self._download(url, response)
        finally:
            response.release_conn()

    def _download(self, url: str, response: urllib3.BaseHTTPResponse) -> Download:
        if response.status >= 400:
            raise InputError(f"HTTP {response.status} {response.reason or ''}".rstrip())
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.policy.max_bytes:
            raise InputError(self._too_large(f"{int(length):,} bytes"))
        media_type, charset = _content_type(response.headers.get("Content-Type", ""))
        return Download(url=_final_url(url, response), media_type=media_type, charset=charset, body=self._body(response))

    def _body(self, response: urllib3.BaseHTTPResponse) -> bytes:
        chunks, size, deadline = [], 0, time.monotonic() + self.policy.total_timeout
        try:
            for chunk in response.stream(CHUNK):
                size += len(chunk)
                if size > self.policy.max_bytes:
                    raise InputError(self._too_large(f"more than {self.policy.max_bytes:,} bytes"))
                if time.monotonic() > deadline:
                    raise InputError(f"download took longer than {self.policy.total_timeout:g} s")
                chunks.append(chunk)
        except (HTTPError, OSError) as err:
            raise InputError(self._reason(err)) from None
        return b"".join(chunks)

    def _too_large(self, size: str) -> str:
        return f"too large ({size}; the limit is {self.policy.max_bytes:,})"

    def _reason(self, err: BaseException | None) -> str:
        if isinstance(err, NewConnectionError):  # before ConnectTimeoutError, its base class
            return "could not connect: " + str(err).rsplit(": ", 1)[-1]
        if isinstance(err, ConnectTimeoutError):
            return f"could not connect within {self.policy.connect_timeout:g} s"
        if isinstance(err, ReadTimeoutError):
            return f"timed out: no answer within {self.policy.read_timeout:g} s"
        if isinstance(err, ResponseError) and "redirect" in str(err):
            return f"too many redirects (more than {self.policy.max_redirects})"
        if isinstance(err, ProtocolError):
            return "connection broken: " + str(err.args[0] if err.args else err)
        return f"download failed: {err}".splitlines()[0]


def _final_url(url: str, response: urllib3.BaseHTTPResponse) -> str:
    """The URL after redirects (a Location header may be relative to the URL before it)."""
    for step in response.retries.history if response.retries else ():
        if step.redirect_location:
            url = urljoin(url, step.redirect_location)
    return url


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.I)
    return media_type.strip().lower(), match.group(1) if match else None
