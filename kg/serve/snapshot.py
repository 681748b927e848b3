"""One view of the store for every query process: snapshots of the store folder.

Oxigraph opens a store read-only as its files are at that moment, and says that opening it
while another process writes is undefined (we saw it fail with "Corruption"). So the server
takes a *snapshot*: the store opened read-only once, and backed up beside it (RocksDB's
checkpoint: hard links to its immutable files, made in milliseconds, no copy). Every query
process opens the snapshot, so all of them, and any that replaces one, see the same graph,
and a build writing to the store meanwhile cannot pull a file from under them.

A new snapshot is taken when the store's files have changed and no process holds its write
lock (a build has finished), and only if the files did not change while it was taken.
Snapshots live in a hidden folder beside the store (`.NAME.serve-PID/`), removed when the
server stops; one left by a server that was killed is removed by the next.
"""
from __future__ import annotations

import fcntl
import logging
import os
import shutil
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError

log = logging.getLogger("kg.serve")

NOT_CONTENT = ("LOCK", "LOG")  # files RocksDB rewrites without changing the data
FLOCK = "hhqqi"  # struct flock: l_type, l_whence, l_start, l_len, l_pid


@dataclass(frozen=True)
class Snapshot:
    """A state of the store that query processes open: its folder (or a store URL), the
    generation number, and the fingerprint of the store's files when it was taken."""

    path: str
    generation: int
    fingerprint: tuple = ()
    owned: bool = False  # made by us, removed when no longer used


def fingerprint(store: Path) -> tuple:
    """Name, size and modification time of each of the store's data files."""
    try:
        entries = list(os.scandir(store))
    except OSError:
        return ()
    return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries
                        if not e.name.startswith(NOT_CONTENT) and e.is_file()))


def writer_active(store: Path) -> bool:
    """Whether a process holds the store's write lock (RocksDB's `LOCK`, an fcntl lock),
    asked without taking it (F_GETLK), so a build starting now is never refused."""
    try:
        with open(store / "LOCK", "rb") as lock:
            probe = struct.pack(FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
            held = struct.unpack(FLOCK, fcntl.fcntl(lock.fileno(), fcntl.F_GETLK, probe))[0]
    except OSError:
        return False
    return held != fcntl.F_UNLCK


class Snapshots:
    """The snapshots of one store folder; `take` makes the next when the store has changed."""

    def __init__(self, store: str | Path) -> None:
        self.store = Path(store)
        self.home = self.store.parent / f".{self.store.name}.serve-{os.getpid()}"
        self.generation = 0
        self.lock = threading.Lock()
        self._clear_leftovers()
        try:
            self.home.mkdir(exist_ok=True)
            self.can_copy = True
        except OSError as err:  # a store on read-only media: serve it as it is
            log.warning("cannot keep snapshots beside %s (%s): queries read the store itself, "
                        "and a build while serving may disturb them", self.store, err.strerror or err)
            self.can_copy = False

    def first(self, *, tries: int = 10) -> Snapshot:
        """The snapshot to start with, whether or not a build is running."""
        for _ in range(tries):
            snapshot = self.take(previous=None)
            if snapshot is not None:
                return snapshot
            time.sleep(0.5)
        raise StoreError(f"the store at {self.store} kept changing while it was being opened: "
                         "a build is writing to it; try again when it has finished")

    def take(self, *, previous: Snapshot | None) -> Snapshot | None:
        """A new snapshot if the store changed since `previous` (None: always), else None;
        None too while a build holds the store or if it changed while being copied."""
        with self.lock:
            before = fingerprint(self.store)
            if previous is not None and (before == previous.fingerprint or writer_active(self.store)):
                return None
            self.generation += 1
            if not self.can_copy:
                return Snapshot(str(self.store), self.generation, before)
            target = self.home / f"g{self.generation}"
            try:
                ox.Store.read_only(str(self.store)).backup(str(target))
                ox.Store.read_only(str(target)).query("ASK { ?s ?p ?o }")  # it opens, and reads
            except (OSError, RuntimeError) as err:
                shutil.rmtree(target, ignore_errors=True)
                if previous is None:
                    raise StoreError(f"cannot open the store at {self.store}: {str(err).splitlines()[0]}") from None
                log.info("store changed, but could not be read yet (%s): trying again", str(err).splitlines()[0])
                return None
            if fingerprint(self.store) != before:  # written to meanwhile: the copy may be of neither state
                shutil.rmtree(target, ignore_errors=True)
                return None
            return Snapshot(str(target), self.generation, before, owned=True)

    def release(self, snapshot: Snapshot) -> None:
        """Remove a snapshot no query process uses any more."""
        if snapshot.owned:
            shutil.rmtree(snapshot.path, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)

    def _clear_leftovers(self) -> None:
        for leftover in self.store.parent.glob(f".{self.store.name}.serve-*"):
            pid = leftover.name.rsplit("-", 1)[1]
            if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
                shutil.rmtree(leftover, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
