"""A `kg` command run as a user runs it, in a child process of its own, measured: wall and CPU
seconds (user + system of the child and its own children), its peak resident memory (the
largest of them), and the load average when it ended."""
from __future__ import annotations

import os
import subprocess
import sys
import time

KG = [sys.executable, "-m", "kg"]


def run_kg(args: list[str], *, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> dict[str, float]:
    """Run `kg ARGS`; SystemExit with the end of its messages if it exits other than `ok`."""
    start = time.perf_counter()
    child = subprocess.Popen([*KG, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors = child.stderr.read().decode(errors="replace") if child.stderr else ""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in ok:
        raise SystemExit(f"kg {' '.join(args)} failed: {errors.strip()[-400:]}")
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mib": round(usage.ru_maxrss / 1024), "load": round(os.getloadavg()[0], 2)}
