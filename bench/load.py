"""A load of HTTP clients for `kg serve` (bench/bench_serve.py, and the bounded load test of
tests/serve/test_serve_load.py): asyncio, one connection per client kept alive, loopback.

Each client is a user: it sends a query, reads the whole answer, waits a moment (`think`
seconds, drawn at random) and sends the next. Cheap clients send cheap queries, expensive
clients expensive ones (a 503 with Retry-After is not waited for: they send the next at
once, as a careless or hostile client would). Every answer's status and time is recorded
with its kind; an answer that never came (connection reset, no answer within `patience`
seconds) is recorded as status 0.
"""
from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote


@dataclass
class Load:
    """What the clients saw: (kind, status, seconds) of every request."""

    answers: list[tuple[str, int, float]] = field(default_factory=list)
    seconds: float = 0.0

    def of(self, kind: str) -> list[tuple[int, float]]:
        return [(status, took) for k, status, took in self.answers if k == kind]

    def summary(self) -> dict:
        out: dict = {"requests": len(self.answers), "seconds": round(self.seconds, 1),
                     "requests_per_s": round(len(self.answers) / self.seconds, 1) if self.seconds else 0.0}
        for kind in sorted({k for k, _, _ in self.answers}):
            answered = self.of(kind)
            times = sorted(took for _, took in answered)
            out[kind] = {"requests": len(answered), "statuses": dict(sorted(Counter(s for s, _ in answered).items())),
                         "p50_s": round(percentile(times, 50), 3), "p90_s": round(percentile(times, 90), 3),
                         "p99_s": round(percentile(times, 99), 3), "max_s": round(times[-1], 3) if times else 0.0,
                         "mean_s": round(statistics.fmean(times), 3) if times else 0.0}
        return out


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile of sorted `values` (nearest rank)."""
    if not values:
        return 0.0
    rank = max(1, round(p / 100 * len(values) + 0.5))
    return values[min(rank, len(values)) - 1]


def query_request(port: int, query: str) -> bytes:
    body = ("query=" + quote(query, safe="")).encode()
    return (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/sparql-results+json\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def exchange(port: int, data: bytes, conn: list, patience: float) -> int:
    """Send one request on the client's connection (opened again when the server closed it);
    the answer's status, once its body has been read. As HTTP clients do, a request whose
    kept-alive connection the server had just closed is sent again on a new one."""
    reused = bool(conn)
    status = await _exchange(port, data, conn, patience)
    if status < 0 and reused:
        status = await _exchange(port, data, conn, patience)
    return max(status, 0)


async def _exchange(port: int, data: bytes, conn: list, patience: float) -> int:
    """The status; -1 when the connection closed before any byte of an answer, 0 when it
    broke later or the answer did not come within `patience`."""
    if not conn:
        conn.extend(await asyncio.open_connection("127.0.0.1", port))
    reader, writer = conn
    got = False
    try:
        async with asyncio.timeout(patience):
            writer.write(data)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            got = True
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
            await reader.readexactly(int(headers.get("content-length", "0")))
            if headers.get("connection", "").lower() == "close":
                writer.close()
                conn.clear()
            return int(lines[0].split()[1])
    except (OSError, asyncio.IncompleteReadError) as err:
        writer.close()
        conn.clear()
        closed_first = isinstance(err, (ConnectionError, asyncio.IncompleteReadError)) and not got
        return -1 if closed_first else 0
    except (TimeoutError, ValueError, IndexError):
        writer.close()
        conn.clear()
        return 0


async def client(port: int, kind: str, queries: list[str | bytes], *, until: float, think: tuple[float, float],
                 load: Load, rnd: random.Random, patience: float) -> None:
    """One user; a query given as bytes is a raw request, sent on a connection of its own."""
    conn: list = []
    await asyncio.sleep(rnd.uniform(0, think[1]))  # users do not all start in the same millisecond
    while time.monotonic() < until:
        query = rnd.choice(queries)
        start = time.monotonic()
        if isinstance(query, bytes):
            status = await exchange(port, query, fresh := [], patience)
            if fresh:
                fresh[1].close()
        else:
            status = await exchange(port, query_request(port, query), conn, patience)
        load.answers.append((kind, status, time.monotonic() - start))
        if kind != "expensive" or status != 503:
            await asyncio.sleep(rnd.uniform(*think))
    if conn:
        conn[1].close()


async def run_load(port: int, mix: dict[str, tuple[int, list[str | bytes]]], *, seconds: float,
                   think: tuple[float, float] = (0.5, 1.5), patience: float = 60.0, seed: int = 1) -> Load:
    """`mix`: kind -> (number of clients, the queries (or raw requests) they choose from)."""
    load = Load()
    rnd = random.Random(seed)
    start = time.monotonic()
    until = start + seconds
    tasks = [client(port, kind, queries, until=until, think=think, load=load,
                    rnd=random.Random(rnd.random()), patience=patience)
             for kind, (count, queries) in mix.items() for _ in range(count)]
    await asyncio.gather(*tasks)
    load.seconds = time.monotonic() - start
    return load


