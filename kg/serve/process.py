"""A query process of `kg serve` as the pool sees it: our end of its pipe, how it died,
and the processor time it has used."""
from __future__ import annotations

import signal

from kg.errors import StoreError
from kg.serve import worker
from kg.serve.snapshot import Snapshot
from kg.serve.watch import processor_seconds
from kg.serve.worker import WorkerSetup

START_LIMIT = 60.0  # seconds for a query process to open the store


class Worker:
    """One query process and our end of its pipe."""

    def __init__(self, context, setup: WorkerSetup, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker.main, args=(setup, child), daemon=True, name="kg-serve-query")
        self.process.start()
        child.close()
        try:
            if not self.conn.poll(START_LIMIT):
                raise StoreError(f"a query process did not start within {START_LIMIT:.0f} s")
            status, detail = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise StoreError(f"a query process died while opening the store ({self.death()})") from None
        except StoreError:
            self.kill()
            raise
        if status != "ready":
            self.kill()
            raise StoreError(detail)
        self.pid: int = detail

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def death(self) -> str:
        """Why the process ended, for the client."""
        self.process.join(5)
        code = self.process.exitcode
        if code in (-signal.SIGABRT, worker.OUT_OF_MEMORY):
            return "it ran out of memory"
        if code == -signal.SIGKILL:
            return "it was killed, perhaps by the system for want of memory"
        if code is not None and code < 0:
            return f"it crashed ({signal.Signals(-code).name})"
        return f"it exited with status {code}"

    def processor_seconds(self) -> float | None:
        """The processor time the process has used (None where /proc cannot tell)."""
        return processor_seconds(self.pid)
