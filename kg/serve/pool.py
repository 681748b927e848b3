"""The query processes of `kg serve`, and the order in which they take queries.

Each process (`kg.serve.worker`) has a memory limit and one snapshot of the store; one
thread per process hands it queries and watches the clock. A query's time limit starts when
its request has been read, so the wait for a free process counts: a query is answered at
its deadline at the latest, its process killed (SIGKILL) if it was still running, and a
fresh one forked in milliseconds.

Two lanes keep cheap queries quick while expensive ones run. `workers` processes run
quick queries; a query that has used `long_after` seconds of processor time (or run twice as
long, however busy the machine) becomes a *long* query, and goes
on in the long lane, `max_long` more processes at the lowest CPU priority, while a process
of the pool takes the next quick query. One that would be one long query more is stopped
(503, with the seconds until a long query ends as `Retry-After`), so quick queries always
have `workers` processes, and long ones only the processors they leave idle. The store is read-only and
each snapshot fixed, so a query costs the same each time: what each query text took is
remembered (per snapshot). One that ran long (or whose process died of it) waits for a long
slot when it comes back, without holding a process, or is refused at once when the long
slots are taken; among the others, the one expected to be quickest runs first (a new one
counts as quick), so a query of half a second sent again and again waits behind the cheap
ones instead of in front of them (it is answered 503 at its time limit if they never let it).

For the same reason an answer given is kept (`Answers`, up to `cache_bytes`, per snapshot):
the same query asked again for the same format is answered at once, with no process.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import itertools
import logging
import math
import multiprocessing
import os
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from kg.errors import StoreError
from kg.serve.cache import Answers
from kg.serve.process import Worker
from kg.serve.snapshot import Snapshot
from kg.serve.worker import Answer, Job, WorkerSetup

log = logging.getLogger("kg.serve")

REMEMBERED = 4096  # query texts whose cost is remembered, per snapshot
WALL_FACTOR = 2  # a query is long after long_after seconds of processor time, or this many times as long in all
LONG_NICE = 10  # the scheduling priority of a process running a long query


@dataclass(frozen=True)
class PoolLimits:
    """How many processes for quick queries, how much memory each process (bytes, 0: none),
    how many queries may wait or run at once, when a query is long, and how many long ones
    may run (each in a process of its own, besides the `workers`)."""

    workers: int = 2
    memory_limit: int = 0
    max_pending: int = 256
    long_after: float = 0.5
    max_long: int = 1
    allow_service: frozenset[str] = frozenset()
    cache_bytes: int = 32 * 2**20


@dataclass(eq=False)
class Pending:
    """A query waiting for, or running in, a process."""

    job: Job
    deadline: float
    key: str
    seq: int
    submitted: float = field(default_factory=time.monotonic)
    future: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)
    state: str = "queued"  # -> "running" (a process took it) or "expired" (its time ran out first)
    long: bool = False


class QueryPool:
    """Query processes over one snapshot at a time, and the queues they take queries from."""

    def __init__(self, snapshot: Snapshot, limits: PoolLimits, *,
                 release: Callable[[Snapshot], None] = lambda snapshot: None) -> None:
        self.limits = limits
        self.snapshot = snapshot
        self.release = release
        self.users: Counter[int] = Counter()  # generation -> processes on it
        self.stats: Counter[str] = Counter()
        self.start_error: str | None = None
        self._cond = threading.Condition()
        self._short: deque[Pending] = deque()
        self._long: deque[Pending] = deque()
        self._running_long: set[Pending] = set()
        self._running_short = 0
        self._cost: OrderedDict[str, float] = OrderedDict()  # query key -> seconds it ran (inf: it was stopped)
        self._seq = itertools.count()
        self.answers = Answers(limits.cache_bytes)
        self.answers.clear(snapshot.generation)
        self._pending = 0
        self.closed = False
        self._context = multiprocessing.get_context("forkserver")  # the server has threads: never fork it
        self._context.set_forkserver_preload(["kg.serve.worker"])
        self._spare: Worker | None = None
        self._dispatchers = [Dispatcher(self, n) for n in range(limits.workers + limits.max_long)]
        first_error = next((d.error for d in self._dispatchers if d.error), None)
        if first_error and not any(d.worker for d in self._dispatchers):
            self.close()
            raise StoreError(first_error)
        for dispatcher in self._dispatchers:
            dispatcher.thread.start()
        self._spares = threading.Thread(target=self._make_spares, name="kg-serve-spare", daemon=True)
        self._spares.start()

    # the server's side

    async def run(self, job: Job, *, deadline: float) -> Answer:
        """The answer to `job` by `deadline` (time.monotonic()), or a 503 saying which limit."""
        key = (self.snapshot.generation, job)
        kept = self.answers.get(key)
        if kept is not None:
            self.stats["kept"] += 1
            return kept
        pending = self.submit(job, deadline=deadline)
        if isinstance(pending, Answer):
            return pending
        answer = await self._wait(pending)
        self.answers.put(key, answer)
        return answer

    async def _wait(self, pending: Pending) -> Answer:
        future = asyncio.wrap_future(pending.future)
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout=max(pending.deadline - time.monotonic(), 0.0))
        except TimeoutError:
            if self._expire(pending):
                return self._waited_too_long(pending)
            return await future  # a process has it: its thread answers at the deadline

    def submit(self, job: Job, *, deadline: float) -> Pending | Answer:
        key = hashlib.sha1(job.query.encode("utf-8", "surrogatepass")).hexdigest()
        with self._cond:
            if self._pending >= self.limits.max_pending:
                self.stats["busy"] += 1
                return _refusal(f"the server is answering {self._pending} queries already, the most it takes at "
                                "once: try again in a moment (kg serve --max-pending)", retry_after=1)
            pending = Pending(job, deadline, f"{self.snapshot.generation}:{key}", next(self._seq))
            pending.long = self._is_long(pending.key)
            if pending.long and len(self._running_long) + len(self._long) >= self.limits.max_long:
                self.stats["long_refused"] += 1
                return self._long_refusal("this query ran long before")
            (self._long if pending.long else self._short).append(pending)
            self._pending += 1
            self._cond.notify_all()
        return pending

    def switch(self, snapshot: Snapshot) -> None:
        """Answer from `snapshot` from now on: each process is replaced before its next query."""
        with self._cond:
            old, self.snapshot = self.snapshot, snapshot
            self._cost.clear()
            self.answers.clear(snapshot.generation)
            self._cond.notify_all()
        log.info("serving a new state of the store (snapshot %d)", snapshot.generation)
        self._retire(old)

    def worker_pids(self) -> list[int]:
        return [d.worker.pid for d in self._dispatchers if d.worker is not None]

    def close(self) -> None:
        with self._cond:
            self.closed = True
            spare, self._spare = self._spare, None
            self._cond.notify_all()
        if spare is not None:
            self._discard(spare)
        for dispatcher in self._dispatchers:
            dispatcher.stop()
        for thread in [d.thread for d in self._dispatchers] + [getattr(self, "_spares", None)]:
            if thread is not None and thread.is_alive():
                thread.join(5)

    # the processes

    def _worker(self) -> Worker:
        """A process on the current snapshot: the spare if one is ready (a replacement for a
        killed process is then at hand at once), else a new one. Raises StoreError."""
        with self._cond:
            spare, self._spare = self._spare, None
            snapshot = self.snapshot
            self._cond.notify_all()  # the spare maker makes the next
        if spare is not None and spare.snapshot is snapshot:
            return spare
        if spare is not None:
            self._discard(spare)
        return self._spawn(snapshot)

    def _spawn(self, snapshot: Snapshot) -> Worker:
        setup = WorkerSetup(snapshot.path, self.limits.allow_service, self.limits.memory_limit)
        worker = Worker(self._context, setup, snapshot)
        with self._cond:
            self.users[snapshot.generation] += 1
        return worker

    def _discard(self, worker: Worker) -> None:
        worker.kill()
        with self._cond:
            self.users[worker.snapshot.generation] -= 1
        self._retire(worker.snapshot)

    def _make_spares(self) -> None:
        """Keep one idle process ready on the current snapshot."""
        while True:
            with self._cond:
                while not self.closed and self._spare is not None and self._spare.snapshot is self.snapshot:
                    self._cond.wait()
                if self.closed:
                    return
                stale, self._spare, snapshot = self._spare, None, self.snapshot
            if stale is not None:
                self._discard(stale)
            try:
                worker = self._spawn(snapshot)
            except StoreError as err:
                log.error("could not start a spare query process: %s", err)
                time.sleep(5)
                continue
            with self._cond:
                keep = not self.closed and self._spare is None
                if keep:
                    self._spare = worker
            if not keep:
                self._discard(worker)

    def _expire(self, pending: Pending) -> bool:
        with self._cond:
            if pending.state != "queued":
                return False
            pending.state = "expired"
            (self._long if pending.long else self._short).remove(pending)
            self._pending -= 1
            self.stats["waited_too_long"] += 1
            return True

    def _waited_too_long(self, pending: Pending) -> Answer:
        if not any(d.worker for d in self._dispatchers) and self.start_error:
            return _refusal(f"no query process could open the store: {self.start_error}", retry_after=10)
        if pending.long:
            return self._long_refusal("this query ran long before, and it waited for its time limit")
        return _refusal("every query process stayed busy until the time limit: try again in a moment", retry_after=2)

    def _long_refusal(self, why: str) -> Answer:
        now = time.monotonic()
        ends = [p.deadline for p in self._running_long]
        wait = max(1, math.ceil(min(ends) - now)) if ends else 1
        return _refusal(f"{why}, and the server is running {len(ends)} long queries, the most it runs at once "
                        f"(a query is long after {self.limits.long_after:g} s): try again in {wait} s, "
                        "or make the query cheaper", retry_after=wait)

    # the dispatchers' side

    def _next(self, dispatcher: Dispatcher) -> Pending | None:
        """The next query for this dispatcher, waiting for one; None when it must stop or
        move to the current snapshot first."""
        with self._cond:
            while True:
                if self.closed or dispatcher.stale():
                    return None
                pending = self._pick()
                if pending is not None:
                    pending.state = "running"
                    if pending.long:
                        self._running_long.add(pending)
                    else:
                        self._running_short += 1
                    return pending
                self._cond.wait()

    def _pick(self) -> Pending | None:
        """The next query to run: the long one that waited longest if a long slot is free,
        else, if fewer than `workers` quick ones run, the quick query expected to take least
        (new ones first), so that a query that takes half a second, sent again and again,
        cannot keep the quick ones waiting."""
        moved = [p for p in self._short if self._is_long(p.key)]  # found long while they waited
        if moved:
            for pending in moved:
                self._short.remove(pending)
                pending.long = True
            self._long = deque(sorted([*self._long, *moved], key=lambda p: p.seq))
        if self._long and len(self._running_long) < self.limits.max_long:
            return self._long.popleft()
        if not self._short or self._running_short >= self.limits.workers:
            return None
        quickest = min(self._short, key=lambda p: (self._cost.get(p.key, 0.0), p.seq))
        self._short.remove(quickest)
        return quickest

    def _is_long(self, key: str) -> bool:
        return self._cost.get(key, 0.0) >= self.limits.long_after

    def _remember(self, pending: Pending, seconds: float) -> None:
        """What the query cost (inf: it was stopped, or its process died of it)."""
        with self._cond:
            self._cost[pending.key] = seconds
            self._cost.move_to_end(pending.key)
            while len(self._cost) > REMEMBERED:
                self._cost.popitem(last=False)

    def _promote(self, pending: Pending) -> bool:
        """A query has run `long_after`: it goes on as a long one if a long slot is free,
        and its place among the quick ones goes to the next."""
        self._remember(pending, math.inf)
        with self._cond:
            if len(self._running_long) >= self.limits.max_long:
                return False
            pending.long = True
            self._running_long.add(pending)
            self._running_short -= 1
            self._cond.notify_all()
            return True

    def _finish(self, pending: Pending, answer: Answer, outcome: str) -> None:
        with self._cond:
            if pending in self._running_long:
                self._running_long.remove(pending)
            else:
                self._running_short -= 1
            self._pending -= 1
            self.stats[outcome] += 1
            self._cond.notify_all()
        pending.future.set_result(answer)

    def _retire(self, snapshot: Snapshot) -> None:
        with self._cond:
            unused = self.users[snapshot.generation] == 0 and snapshot is not self.snapshot
        if unused:
            self.release(snapshot)


class Dispatcher:
    """The thread that owns one query process: it hands it queries and enforces their limits."""

    def __init__(self, pool: QueryPool, number: int) -> None:
        self.pool = pool
        self.worker: Worker | None = None
        self.error: str | None = None
        self.thread = threading.Thread(target=self._loop, name=f"kg-serve-dispatch-{number}", daemon=True)
        self._start()

    def stale(self) -> bool:
        return self.worker is None or self.worker.snapshot is not self.pool.snapshot

    def stop(self) -> None:
        """Kill the process (a query it runs ends at once); the thread then ends."""
        self._drop_worker()

    def _loop(self) -> None:
        pause = 0.5
        while not self.pool.closed:
            if self.stale():
                self._drop_worker()
                if not self._start():
                    time.sleep(pause)
                    pause = min(pause * 2, 10.0)
                    continue
                pause = 0.5
            pending = self.pool._next(self)
            if pending is not None:
                answer, outcome = self._run(pending)
                if pending.long:  # it ran at a low priority, and may hold memory it no longer needs
                    self._drop_worker()
                self.pool._finish(pending, answer, outcome)
        self._drop_worker()

    def _start(self) -> bool:
        try:
            self.worker = self.pool._worker()
        except StoreError as err:
            self.error = self.pool.start_error = str(err)
            log.error("could not start a query process: %s", err)
            return False
        self.error = None
        return True

    def _drop_worker(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            self.pool._discard(worker)

    def _run(self, pending: Pending) -> tuple[Answer, str]:
        """Send the query, wait for the answer within its limits; kill the process past them."""
        worker, limits = self.worker, self.pool.limits
        assert worker is not None
        started = time.monotonic()
        long_at = None if pending.long else started + limits.long_after
        if pending.long:
            _lower_priority(worker)
        try:
            try:
                worker.conn.send(pending.job)
            except OSError:  # it died while idle (the system's OOM killer?): the query goes to a fresh one
                self._drop_worker()
                if not self._start():
                    return _refusal(f"no query process could open the store: {self.error}", retry_after=10), "failed"
                worker = self.worker
                worker.conn.send(pending.job)
            spent = worker.processor_seconds() if "://" not in worker.snapshot.path else None
            while True:
                until = pending.deadline if long_at is None else min(pending.deadline, long_at)
                if worker.conn.poll(max(until - time.monotonic(), 0.0)):
                    answer = worker.conn.recv()
                    self.pool._remember(pending, _cost(worker, spent, started))
                    return answer, "answered" if answer.status < 500 else "failed"
                if time.monotonic() >= pending.deadline:
                    self._drop_worker()
                    limit = math.ceil((pending.deadline - pending.submitted) * 10) / 10  # the --timeout
                    return _refusal(f"the query ran past the time limit of {limit:.3g} s and was stopped "
                                    "(kg serve --timeout SECONDS)", retry_after=5), "timed_out"
                cost, ran = _cost(worker, spent, started), time.monotonic() - started
                if cost < limits.long_after and ran < WALL_FACTOR * limits.long_after:
                    # slow for want of a processor (a busy machine), not for its work: not long yet
                    long_at = time.monotonic() + max(min(limits.long_after - cost,
                                                         WALL_FACTOR * limits.long_after - ran), 0.05)
                    continue
                long_at = None
                if self.pool._promote(pending):
                    _lower_priority(worker)
                else:
                    self._drop_worker()
                    with self.pool._cond:
                        refusal = self.pool._long_refusal("this query ran long")
                    return refusal, "long_refused"
        except (EOFError, OSError):
            why = worker.death()
            self._drop_worker()
            self.pool._remember(pending, math.inf)
            memory = "memory" in why
            limit = f" ({limits.memory_limit // 2**20} MB a process; kg serve --memory-limit)" if memory else ""
            return _refusal(f"the query process stopped while running the query: {why}{limit}; "
                            "it has been replaced", retry_after=5), "out_of_memory" if memory else "crashed"


def _cost(worker: Worker, spent: float | None, started: float) -> float:
    """What a query has cost so far: its process's processor seconds (those of the machine's
    other work do not count), or the seconds since it started when they are not known (a
    remote store, whose process waits for the network)."""
    now = worker.processor_seconds() if spent is not None else None
    return now - spent if now is not None else time.monotonic() - started


def _lower_priority(worker: Worker) -> None:
    """A long query yields the processors to the quick ones (its process is replaced after
    it): it runs only when they leave a processor idle (SCHED_IDLE), else at nice 10."""
    try:
        os.sched_setscheduler(worker.pid, os.SCHED_IDLE, os.sched_param(0))
        return
    except (AttributeError, OSError):
        pass
    try:
        os.setpriority(os.PRIO_PROCESS, worker.pid, LONG_NICE)
    except OSError:
        pass


def _refusal(message: str, *, retry_after: int) -> Answer:
    return Answer(503, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), retry_after=retry_after)
