"""Helpers of the `kg serve` tests: a server in its own process, as a user starts it; its
query processes, found in /proc; and raw HTTP, for requests no client library would send."""
from __future__ import annotations

import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.errors import KGError
from kg.serve import watch
from kg.serve.watch import query_processes


@dataclass
class Served:
    url: str
    process: subprocess.Popen
    log: Path

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].split("/")[0])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def start_server(store: Path, log: Path, *options: str) -> Served:
    """`kg serve --port 0` in its own process; its URL is read from the line it prints when ready."""
    try:
        process, url = watch.start(store, log, *options)
    except KGError as err:
        pytest.fail(str(err))
    return Served(url, process, log)


def wait_for_processes(server_pid: int, count: int, *, other_than: set[int] = frozenset(), timeout: float = 30) -> set[int]:
    """The query processes once there are `count` of them, none of them in `other_than`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = query_processes(server_pid)
        if len(now) == count and not now & other_than:
            return now
        time.sleep(0.1)
    return query_processes(server_pid)


@dataclass(frozen=True)
class RawAnswer:
    status: int
    headers: dict[str, str]
    body: bytes


def raw_request(port: int, data: bytes, *, timeout: float = 30) -> RawAnswer:
    """Send bytes as they are, and read the answer until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(data)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return parse_answer(b"".join(chunks))


def parse_answer(data: bytes) -> RawAnswer:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/1.1 "):
        raise AssertionError(f"no HTTP answer: {data[:200]!r}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return RawAnswer(int(lines[0].split()[1]), headers, body)
