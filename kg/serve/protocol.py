"""HTTP/1.1 for `kg serve`: asyncio connections parsed by h11, so that nothing a client does
holds a thread, and every request is read against a deadline.

- A client has `request_timeout` seconds to send a whole request (head and body), and a
  kept-alive connection may stay silent `idle_timeout` seconds: a client that sends a byte
  now and then (slowloris) is cut off all the same, with 408 if it had started.
- At most `max_connections` are open; one more closes the connection that has been reading
  its request the longest (a stalled one, or an idle kept-alive one), or, when all are being
  answered, is itself answered 503.
- A malformed request (request line, header syntax, `Content-Length: ²`, a head over
  `max_head` bytes) is answered 400 (or 431) and its connection closed; a body over
  `max_body` bytes is refused with 413 before it is read.
"""
from __future__ import annotations

import asyncio
import logging
import math
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus

import h11

log = logging.getLogger("kg.serve")

VERSIONS = (b"1.0", b"1.1")
LINGER, LINGER_BYTES = 1.0, 4 * 1024 * 1024  # after a refusal: how long, and how much, to read and drop


@dataclass(frozen=True)
class HTTPLimits:
    """How long a client may take, and how much it may send."""

    max_connections: int = 512
    request_timeout: float = 10.0  # seconds to send a whole request
    idle_timeout: float = 5.0  # seconds a kept-alive connection may stay silent
    write_timeout: float = 30.0  # seconds for the client to take the answer
    max_head: int = 32 * 1024  # bytes of request line and headers
    max_body: int = 1_000_000  # bytes of a request body
    max_requests: int = 1000  # per connection


@dataclass(frozen=True)
class Request:
    """A request read whole: method, target, headers (lower-case names), body, and when it
    was read (time.monotonic())."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    received: float
    client: str = ""

    def header(self, name: str) -> str | None:
        """The header's value (several given: joined with commas, as HTTP reads them)."""
        values = [value for key, value in self.headers if key == name]
        return ", ".join(values) if values else None


@dataclass(frozen=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


Handler = Callable[[Request], Awaitable[Response]]


class Refused(Exception):
    """A request answered before the handler sees it (400, 408, 413, 431, 505)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(eq=False)
class _Client:
    writer: asyncio.StreamWriter
    reading_since: float | None = field(default_factory=time.monotonic)  # None while being answered


class HTTPServer:
    """Serves `handler` on a bound socket until `stop()`."""

    def __init__(self, sock: socket.socket, handler: Handler, limits: HTTPLimits) -> None:
        self.sock = sock
        self.handler = handler
        self.limits = limits
        self.clients: set[_Client] = set()
        self._stopped: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def serve(self) -> None:
        """Accept connections until `stop()` is called."""
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        server = await asyncio.start_server(self._connection, sock=self.sock, limit=self.limits.max_head)
        async with server:
            await self._stopped.wait()
        for client in list(self.clients):
            client.writer.transport.abort()

    def stop(self) -> None:
        """Stop serving (from any thread)."""
        if self._loop is not None and self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        client = _Client(writer)
        refused = False
        try:
            if len(self.clients) >= self.limits.max_connections and not self._evict():
                refused = True
                await _send_raw(writer, 503, "too many connections: try again in a moment",
                                self.limits.write_timeout, extra=(("Retry-After", "1"),))
                return
            self.clients.add(client)
            refused = await self._serve_client(client, reader, writer)
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError):
            pass
        except Exception:  # noqa: BLE001  (a connection must never take the server down)
            log.exception("unexpected error on a connection")
        finally:
            self.clients.discard(client)
            await self._close(reader, writer, linger=refused)

    async def _close(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, linger: bool) -> None:
        """Close once the answer is sent. After a refusal the client may still be sending:
        read (and drop) what comes for a moment, or closing would reset the connection,
        and a reset can reach the client before the answer does."""
        try:
            if linger and not writer.is_closing() and writer.can_write_eof():
                writer.write_eof()
                async with asyncio.timeout(LINGER):
                    dropped = 0
                    while dropped < LINGER_BYTES and (data := await reader.read(64 * 1024)):
                        dropped += len(data)
            writer.close()
            async with asyncio.timeout(self.limits.write_timeout):
                await writer.wait_closed()
        except (ConnectionError, TimeoutError, OSError):
            writer.transport.abort()

    def _evict(self) -> bool:
        """Close the connection that has waited longest for its request; False if none is waiting."""
        waiting = [c for c in self.clients if c.reading_since is not None]
        if not waiting:
            return False
        oldest = min(waiting, key=lambda c: c.reading_since)
        self.clients.discard(oldest)
        oldest.writer.transport.abort()
        return True

    async def _serve_client(self, client: _Client, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Answer the connection's requests; True if it ended with a request refused."""
        peer = writer.get_extra_info("peername")
        address = peer[0] if isinstance(peer, tuple) else ""
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=self.limits.max_head)
        for served in range(self.limits.max_requests):
            client.reading_since = time.monotonic()
            try:
                request = await self._read(conn, reader, writer, kept_alive=served > 0, client=address)
            except Refused as err:
                await _send_raw(writer, err.status, str(err), self.limits.write_timeout)
                return True
            if request is None:
                return False
            client.reading_since = None
            try:
                response = await self.handler(request)
            except Exception:  # noqa: BLE001
                log.exception("error answering %s %s", request.method, request.target[:200])
                response = Response(500, (("Content-Type", "text/plain; charset=utf-8"),),
                                    b"internal error: the server could not answer this request\n")
            last = served + 1 == self.limits.max_requests
            await self._respond(conn, writer, request, response, close=last)
            if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                return False
            conn.start_next_cycle()
        return False

    async def _read(self, conn: h11.Connection, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                    kept_alive: bool, client: str) -> Request | None:
        """The next request, whole; None when the client closed (or stayed silent) in between."""
        start = time.monotonic()
        heard = bool(conn.trailing_data[0])
        # a new connection has request_timeout for its request; a kept-alive one may first be
        # silent for idle_timeout, and then has request_timeout from its first byte
        deadline = start + self.limits.request_timeout if heard or not kept_alive else math.inf
        head: h11.Request | None = None
        body = bytearray()
        while True:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as err:
                raise Refused(err.error_status_hint, f"malformed request: {err}") from None
            if event is h11.NEED_DATA:
                limit = deadline if deadline < math.inf else start + self.limits.idle_timeout
                try:
                    async with asyncio.timeout(max(limit - time.monotonic(), 0.0)):
                        data = await reader.read(64 * 1024)
                except TimeoutError:
                    if heard:
                        raise Refused(408, f"the request was not sent within {self.limits.request_timeout:g} s") from None
                    return None
                if data and not heard:
                    heard = True
                    deadline = min(deadline, time.monotonic() + self.limits.request_timeout)
                conn.receive_data(data)
                waiting = conn.trailing_data[0]
                if head is None and len(waiting) > self.limits.max_head and b"\r\n\r\n" not in waiting[:self.limits.max_head]:
                    raise Refused(431, f"malformed request: its head is over {self.limits.max_head} bytes")
            elif isinstance(event, h11.Request):
                head = self._check_head(event)
                if conn.they_are_waiting_for_100_continue:
                    writer.write(conn.send(h11.InformationalResponse(status_code=100, reason=b"Continue")))
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > self.limits.max_body:
                    raise Refused(413, f"the request body is over {self.limits.max_body} bytes")
            elif isinstance(event, h11.EndOfMessage):
                assert head is not None
                return Request(method=head.method.decode("ascii", "replace"),
                               target=head.target.decode("ascii", "replace"),
                               headers=tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in head.headers),
                               body=bytes(body), received=time.monotonic(), client=client)
            else:  # ConnectionClosed, or PAUSED after a request we will not answer
                return None

    def _check_head(self, head: h11.Request) -> h11.Request:
        if head.http_version not in VERSIONS:
            raise Refused(505, f"HTTP/{head.http_version.decode('ascii', 'replace')} is not supported: use HTTP/1.1")
        for name, value in head.headers:
            if name == b"content-length" and int(value) > self.limits.max_body:
                raise Refused(413, f"the request body is over {self.limits.max_body} bytes")
        return head

    async def _respond(self, conn: h11.Connection, writer: asyncio.StreamWriter, request: Request,
                       response: Response, *, close: bool) -> None:
        headers = [(k, v) for k, v in response.headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(response.body))))
        if close:
            headers.append(("Connection", "close"))
        data = conn.send(h11.Response(status_code=response.status, headers=headers, reason=_reason(response.status)))
        if request.method != "HEAD" and response.body:
            data += conn.send(h11.Data(data=response.body))
        data += conn.send(h11.EndOfMessage())
        writer.write(data)
        async with asyncio.timeout(self.limits.write_timeout):
            await writer.drain()


async def _send_raw(writer: asyncio.StreamWriter, status: int, message: str, timeout: float, *,
                    extra: tuple[tuple[str, str], ...] = ()) -> None:
    """An answer written without h11 (which has no request to answer): then the connection closes."""
    body = (message + "\n").encode("utf-8")
    head = [f"HTTP/1.1 {status} {_reason(status).decode()}", "Content-Type: text/plain; charset=utf-8",
            f"Content-Length: {len(body)}", "Connection: close", *(f"{k}: {v}" for k, v in extra)]
    if writer.is_closing():
        return
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
    async with asyncio.timeout(timeout):
        await writer.drain()


def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""
