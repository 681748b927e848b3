"""Shared fixtures: the spaCy pipeline and the seed store are built once per session."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from browser import chromium_browser, view_page  # noqa: F401  (browser fixtures)
from newsserver import news_server  # noqa: F401  (a local news site on 127.0.0.1)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from kg.extract import nlp as pipelines

    return pipelines.load()


@pytest.fixture(scope="session")
def extractor(nlp):
    from kg.extract import Extractor

    return Extractor(nlp)


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory, nlp) -> Path:
    """A store built from seeds/ once for the whole session (read-only for tests)."""
    from kg.build import build
    from kg.store.oxigraph import OxigraphStore

    path = tmp_path_factory.mktemp("seed") / "store"
    store = OxigraphStore(path)
    report = build([SEEDS], store)
    assert not report.failed, report.skipped
    del store
    return path


@pytest.fixture(scope="session")
def seed_store(seed_store_path):
    from kg.store.oxigraph import OxigraphStore

    return OxigraphStore(seed_store_path, read_only=True)


class Listener:
    """A TCP port on loopback that counts the connections made to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def listener():
    found = Listener()
    yield found
    found.close()
