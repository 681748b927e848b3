"""`kg serve` against hostile clients: every attack request of issue 16 gets an answer that
says what was wrong, and the server keeps answering others.

One server for the module, with small limits so that each is reached on the seed store:
2 query processes of 400 MB each, 3 s a query, 50 rows an answer, 6 queries at once, 1 s to
send a request, 64 connections.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

import pytest

from kg.serve.watch import memory_kb, processor_seconds, query_processes
from serving import raw_request, start_server, wait_for_processes

TIME_LIMIT = 3.0
MEMORY_MB = 400
MAX_RESULTS = 50
MAX_PENDING = 6
REQUEST_TIMEOUT = 1.0
PROCESSES = 4  # two query processes, one for long queries, and the spare kept ready to replace one
# a string doubled 30 times: 10 GB, past 400 MB in a fraction of a second of little work
# (the issue's own, a cross product sorted, gets there too, but at the speed of a busy machine)
HUNGRY = ("SELECT (STRLEN(?s30) AS ?n) WHERE { BIND(\"0123456789\" AS ?s0) "
          + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(30)) + " }")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^10 rows, nothing to show before the end
CHEAP = "ASK { ?s a kg:Person }"


@pytest.fixture(scope="module")
def served(seed_store_path, tmp_path_factory):
    server = start_server(seed_store_path, tmp_path_factory.mktemp("limits") / "serve.log",
                          "--timeout", str(TIME_LIMIT), "--workers", "2", "--memory-limit", f"{MEMORY_MB}M",
                          "--max-results", str(MAX_RESULTS), "--max-pending", str(MAX_PENDING),
                          "--request-timeout", str(REQUEST_TIMEOUT), "--max-connections", "64")
    wait_for_processes(server.process.pid, PROCESSES)
    yield server
    server.stop()


def ask(served, query: str, *, accept: str = "application/sparql-results+json", timeout: float = 30) -> tuple[int, dict, bytes]:
    """POST a query; (status, headers, body), errors included."""
    request = Request(served.url, data=urlencode({"query": query}).encode(), headers={"Accept": accept})
    try:
        with urlopen(request, timeout=timeout) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def still_answers(served) -> None:
    status, _, body = ask(served, CHEAP)
    assert (status, json.loads(body)["boolean"]) == (200, True)


def get(port: int, target: str, *headers: str) -> bytes:
    return "\r\n".join([f"GET {target} HTTP/1.1", f"Host: 127.0.0.1:{port}", *headers, "", ""]).encode("latin-1")


ASK_TARGET = "/sparql?query=" + quote("ASK { ?s ?p ?o }")


@pytest.mark.parametrize(("name", "request_bytes", "status", "says"), [
    ("accept-quality", lambda p: get(p, ASK_TARGET, "Accept: application/sparql-results+json;q=1.2.3"), 400,
     "malformed Accept header: q=1.2.3"),
    ("content-length-superscript", lambda p: f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nContent-Length: ²\r\n"
                                             "Content-Type: application/sparql-query\r\n\r\nASK{}".encode(), 400,
     "bad Content-Length"),
    ("two-content-lengths", lambda p: f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nContent-Length: 4\r\n"
                                      "Content-Length: 5\r\n\r\nASK{}".encode(), 400, "malformed request"),
    ("garbage-line", lambda p: b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, "malformed request"),
    ("nul-in-target", lambda p: f"GET /sparql\x00 HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\n\r\n".encode(), 400,
     "malformed request"),
    ("no-host", lambda p: b"GET / HTTP/1.1\r\n\r\n", 400, "Host"),
    ("header-without-colon", lambda p: get(p, "/", "NoColonHere"), 400, "malformed request"),
    ("http-2", lambda p: f"GET / HTTP/2.0\r\nHost: 127.0.0.1:{p}\r\n\r\n".encode(), 505, "use HTTP/1.1"),
    ("huge-head", lambda p: get(p, "/", "X-Padding: " + "a" * 40_000), 431, "malformed request"),
    ("huge-body", lambda p: f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nContent-Length: 50000000\r\n"
                            "Content-Type: application/sparql-query\r\n\r\nSELECT".encode(), 413, "over 1000000 bytes"),
    ("unknown-coding", lambda p: f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nTransfer-Encoding: gzip\r\n\r\n".encode(),
     501, "malformed request"),
    ("bad-percent", lambda p: get(p, "/sparql?query=%ZZ%G1"), 400, "syntax error"),
    ("dns-rebinding", lambda p: get(p, ASK_TARGET).replace(f"Host: 127.0.0.1:{p}".encode(), b"Host: attacker.example"),
     421, "--allowed-host attacker.example"),
    ("cross-origin", lambda p: get(p, ASK_TARGET, "Origin: https://attacker.example"), 403,
     "--cors https://attacker.example"),
    ("update-as-get", lambda p: get(p, "/sparql?update=" + quote("DROP ALL")), 403, "read-only"),
    ("delete-method", lambda p: f"DELETE /sparql HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\n\r\n".encode(), 405, "read-only"),
])
def test_serve_limits_answer_each_malformed_or_hostile_request(served, name, request_bytes, status, says):
    answer = raw_request(served.port, request_bytes(served.port))
    assert answer.status == status, (name, answer)
    assert says in answer.body.decode("utf-8", "replace"), (name, answer.body[:300])
    still_answers(served)


def test_serve_limits_take_a_large_body_in_one_piece(served):
    query = "ASK { ?s a kg:Person }  # " + "padding " * 60_000  # 480 KB, sent with its head at once
    data = (f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nContent-Type: application/sparql-query\r\n"
            f"Accept: application/sparql-results+json\r\nConnection: close\r\nContent-Length: {len(query)}\r\n\r\n{query}")
    answer = raw_request(served.port, data.encode())
    assert answer.status == 200 and json.loads(answer.body)["boolean"] is True


def test_serve_limits_answer_same_origin_and_own_names(served):
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}", "127.0.0.1"):
        answer = raw_request(served.port, get(served.port, ASK_TARGET, f"Origin: http://{host}", "Connection: close")
                             .replace(f"Host: 127.0.0.1:{served.port}".encode(), f"Host: {host}".encode()))
        assert answer.status == 200, (host, answer)


def test_serve_limits_cut_an_endless_answer_at_the_row_cap_without_computing_it(served):
    start = time.monotonic()
    status, headers, body = ask(served, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")  # 10^10 rows
    assert status == 200 and time.monotonic() - start < 2.0
    assert headers["x-sparql-maxrows"] == str(MAX_RESULTS)
    assert len(json.loads(body)["results"]["bindings"]) == MAX_RESULTS


@pytest.fixture
def roomy(seed_store_path, tmp_path):
    """A server with time enough for a query to reach its memory limit on a busy machine
    (a long query runs at a low priority)."""
    server = start_server(seed_store_path, tmp_path / "serve.log", "--timeout", "30", "--workers", "2",
                          "--memory-limit", f"{MEMORY_MB}M")
    wait_for_processes(server.process.pid, PROCESSES)
    yield server
    server.stop()


def test_serve_limits_stop_a_query_over_its_memory_and_replace_its_process(roomy):
    served = roomy
    before = query_processes(served.process.pid)
    peaks: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:  # the processes' private memory, while the query runs
        while not done.is_set():
            for pid in query_processes(served.process.pid):
                peaks[pid] = max(peaks.get(pid, 0), memory_kb(pid, "RssAnon"))
            time.sleep(0.02)

    watcher = threading.Thread(target=sample)
    watcher.start()
    start = time.monotonic()
    status, headers, body = ask(served, HUNGRY)
    done.set()
    watcher.join()
    assert status == 503 and headers["retry-after"]
    message = body.decode()
    assert "ran out of memory" in message and f"{MEMORY_MB} MB a process" in message and "replaced" in message
    assert time.monotonic() - start < 30  # stopped by its memory, not its time
    assert peaks and max(peaks.values()) <= MEMORY_MB * 1024
    assert _replaced(served, before) == 1
    still_answers(served)


def test_serve_limits_tell_the_client_when_its_process_dies(served):
    before = query_processes(served.process.pid)
    spent = {pid: processor_seconds(pid) or 0.0 for pid in before}
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(ask, served, SLOW + " # crash")
        deadline, busy = time.monotonic() + 5, []
        while not busy and time.monotonic() < deadline:  # the one whose processor time grows
            time.sleep(0.1)
            busy = [pid for pid in before if (processor_seconds(pid) or 0.0) - spent[pid] > 0.05]
        assert len(busy) == 1, "no query process is running the query"
        os.kill(busy[0], signal.SIGSEGV)
        status, _, body = running.result()
    assert status == 503
    assert "crashed (SIGSEGV)" in body.decode() and "replaced" in body.decode()
    assert _replaced(served, before) == 1
    still_answers(served)


def _replaced(served, before: set[int]) -> int:
    """How many of the processes `before` were replaced, once they are all there again."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = query_processes(served.process.pid)
        if len(now) == PROCESSES and now != before:
            return len(before - now)
        time.sleep(0.05)
    return 0


def test_serve_limits_hold_the_time_limit_for_queries_that_wait(served):
    """More slow queries than processes: each is answered by its time limit, queueing included."""
    def timed(query: str) -> tuple[int, float, str]:
        start = time.monotonic()
        status, _, body = ask(served, query)
        return status, time.monotonic() - start, body.decode()

    with ThreadPoolExecutor(max_workers=MAX_PENDING) as pool:
        answers = list(pool.map(timed, [SLOW + " # wall"] * MAX_PENDING))
    assert [status for status, _, _ in answers] == [503] * MAX_PENDING
    assert max(elapsed for _, elapsed, _ in answers) <= TIME_LIMIT + 1.0
    said = " ".join(body for _, _, body in answers)
    assert "time limit of 3 s" in said and "long queries" in said
    wait_for_processes(served.process.pid, PROCESSES)
    still_answers(served)


def test_serve_limits_keep_cheap_queries_quick_while_slow_ones_run(served):
    with ThreadPoolExecutor(max_workers=4) as pool:
        slow = [pool.submit(ask, served, SLOW + " # cheap") for _ in range(3)]
        time.sleep(1.5)  # the first is long by now, the others refused or waiting for a long slot
        times = []
        for _ in range(10):
            start = time.monotonic()
            still_answers(served)
            times.append(time.monotonic() - start)
        assert max(times) < 1.0, times
        assert all(future.result()[0] == 503 for future in slow)


def test_serve_limits_refuse_queries_beyond_the_concurrency_limit(served):
    with ThreadPoolExecutor(max_workers=MAX_PENDING + 4) as pool:
        answers = list(pool.map(lambda n: ask(served, f"{SLOW} # {n}"), range(MAX_PENDING + 4)))
    busy = [(headers, body) for status, headers, body in answers if b"the most it takes at once" in body]
    assert len(busy) >= 4
    assert all(headers["retry-after"] == "1" for headers, _ in busy)
    wait_for_processes(served.process.pid, PROCESSES)
    still_answers(served)


def test_serve_limits_slowloris_pins_no_thread_and_others_are_answered(served):
    """200 connections that send a byte of header every 0.2 s: the server, limited to 64
    connections, drops the oldest for newcomers, cuts each off after 1 s, and answers a
    real client at once; it keeps a handful of threads throughout."""
    stalled, stop = [], threading.Event()
    for _ in range(200):
        conn = socket.create_connection(("127.0.0.1", served.port), timeout=5)
        conn.sendall(f"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n".encode())
        stalled.append(conn)

    def drip() -> None:
        while not stop.wait(0.2):
            for conn in stalled:
                try:
                    conn.sendall(b"X")
                except OSError:
                    pass

    dripper = threading.Thread(target=drip)
    dripper.start()
    try:
        time.sleep(0.5)
        start = time.monotonic()
        still_answers(served)
        assert time.monotonic() - start < 1.0
        assert _threads(served.process.pid) <= 10
        time.sleep(REQUEST_TIMEOUT + 1.0)
        cut = 0
        for conn in stalled:
            conn.settimeout(0.5)
            try:
                data = conn.recv(65536)
            except (TimeoutError, OSError):
                data = b""
            cut += data.startswith(b"HTTP/1.1 408") or data == b""
        assert cut == len(stalled)
    finally:
        stop.set()
        dripper.join()
        for conn in stalled:
            conn.close()
    still_answers(served)


def _threads(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0
