"""A local news site for tests: pages, feeds and misbehaving URLs on 127.0.0.1, in a thread."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

Route = tuple[int, dict[str, str | None], bytes]


@dataclass
class NewsServer:
    """Serves `routes` (path -> status, headers, body, or a function giving them); logs each request."""

    base: str = ""
    routes: dict[str, Route | Callable[[], Route]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, User-Agent)

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str, *, content_type: str = "text/html; charset=utf-8",
            status: int = 200, headers: dict[str, str | None] | None = None) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type, **(headers or {})}, data)
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _handler(server: NewsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            server.requests.append((self.path, self.headers.get("User-Agent", "")))
            route = server.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"not found"))
            status, headers, body = route() if callable(route) else route
            self.send_response(status)
            for name, value in headers.items():
                if value is not None:  # None: leave the header out
                    self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and status not in (301, 302, 303, 307, 308):
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client hung up, as a capped fetch does
                    pass

        def log_message(self, *args) -> None:  # keep test output clean
            pass

    return Handler


@pytest.fixture()
def news_server() -> Iterator[NewsServer]:
    site = NewsServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    httpd.daemon_threads = True
    site.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield site
    httpd.shutdown()
    httpd.server_close()


def slow(seconds: float, route: Route) -> Callable[[], Route]:
    """A route that answers only after `seconds`."""
    def answer() -> Route:
        time.sleep(seconds)
        return route
    return answer
