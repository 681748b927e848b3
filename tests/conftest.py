"""Shared fixtures: the spaCy pipeline and the seed store, built once per session; a local
news site, Chromium and a private Virtuoso server, provisioned on demand (tests/provision.sh).

Tests are marked by what they need (`model`, `browser`, `virtuoso`; see pyproject.toml):
the marks follow from the fixtures a test uses, so `-m "not browser"` leaves out every test
that drives Chromium. `--update-golden` rewrites the golden graphs in tests/golden/ from the
current build instead of comparing with them.
"""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from browser import chromium_browser, view_page  # noqa: F401  (browser fixtures)
from newsserver import news_server  # noqa: F401  (a local news site on 127.0.0.1)
from virtuoso import virtuoso  # noqa: F401  (a private Virtuoso server)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"

# `--hypothesis-profile=fuzz`: the long fuzzing run (tests/ingest/test_ingest_fuzz.py); CI keeps
# hypothesis's default profile.
settings.register_profile("fuzz", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# A test that uses one of these fixtures (directly or through another) gets the mark.
MARKS_BY_FIXTURE = {
    "nlp": "model",
    "chromium_browser": "browser",
    "view_page": "browser",
    "virtuoso": "virtuoso",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden graphs in tests/golden/ from the current build")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, mark in MARKS_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(mark)


@pytest.fixture(scope="session", autouse=True)
def projection_cache(tmp_path_factory) -> Path:
    """kg keeps projections in the user's cache folder: the tests keep theirs in a temporary one."""
    folder = tmp_path_factory.mktemp("kg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


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
    with OxigraphStore(path) as store:
        report = build([SEEDS], store)
    assert not report.failed, report.skipped
    return path


@pytest.fixture(scope="session")
def seed_store(seed_store_path):
    from kg.store.oxigraph import OxigraphStore

    with OxigraphStore(seed_store_path, read_only=True) as store:
        yield store


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
