"""Helpers of the `kg serve` tests: a server in its own process, as a user starts it; its
query processes, found in /proc; and raw HTTP, for requests no client library would send."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


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
    with log.open("wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0",
                                    *options], stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready = re.search(r"serving .* at (http://\S+/sparql)", log.read_text(errors="replace"))
        if ready:
            return Served(ready.group(1), process, log)
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"kg serve did not start: {log.read_text(errors='replace')}")


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def query_processes(server_pid: int) -> set[int]:
    """The pids of the server's query processes: the children of its fork server (one per
    --workers, and the spare kept ready to replace one)."""
    found = set()
    for child in children(server_pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"forkserver" in cmdline:
            found |= children(child)
    return found


def wait_for_processes(server_pid: int, count: int, *, other_than: set[int] = frozenset(), timeout: float = 30) -> set[int]:
    """The query processes once there are `count` of them, none of them in `other_than`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = query_processes(server_pid)
        if len(now) == count and not now & other_than:
            return now
        time.sleep(0.1)
    return query_processes(server_pid)


def memory_kb(pid: int, field: str = "VmHWM") -> int:
    """A memory figure of a process from /proc/PID/status, in kB (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


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
