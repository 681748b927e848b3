"""A `kg serve` from outside, as an operator's script sees it: started in a process of its
own (`start`, which waits for its ready line), and its query processes, their processor time
and memory read from Linux's /proc. Used by bench/bench_serve.py and the serve tests."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from kg.errors import KGError

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
READY = re.compile(r"serving .* at (http://\S+/sparql)")


def start(store: Path, log: Path, *options: str, timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """`kg serve --port 0 OPTIONS` on `store`, its messages in `log`; the process and the
    endpoint's URL once it says it is serving. KGError (with its messages) if it stops first
    or says nothing within `timeout` seconds."""
    with log.open("wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0",
                                    *options], stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = READY.search(log.read_text(errors="replace"))
        if ready:
            return process, ready.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise KGError(f"kg serve did not start: {log.read_text(errors='replace')}")


def children(pid: int) -> set[int]:
    """The pids of a process's children (none once it has gone)."""
    found = set()
    for tasks in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.update(int(child) for child in tasks.read_text().split())
        except (OSError, ValueError):
            continue
    return found


def query_processes(server_pid: int) -> set[int]:
    """The pids of the server's query processes: the children of its fork server (one per
    --workers, and the spare kept ready to replace one)."""
    found = set()
    for child in children(server_pid):
        try:
            if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                found |= children(child)
        except OSError:
            continue
    return found


def memory_kb(pid: int, field: str = "VmHWM") -> int:
    """A memory figure of a process from /proc/PID/status, in kB (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def processor_seconds(pid: int) -> float | None:
    """User and system processor seconds of a process (None once it has gone, or where /proc
    cannot tell)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
