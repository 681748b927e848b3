"""A private Virtuoso 7.2 server for the tests of remote stores: its own virtuoso.ini and
database in a tmp folder, on free loopback ports, never the system instance; it runs for
the session. Without Virtuoso these tests fail, saying how to install it, unless
KG_SKIP_VIRTUOSO=1, which skips them. `tests/provision.sh virtuoso` installs it.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

PROVISION = Path(__file__).with_name("provision.sh")
START_LIMIT = 60.0
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 1
DirsAllowed = .

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@dataclass
class Virtuoso:
    http_port: int

    @property
    def query_url(self) -> str:
        """Reading needs no credentials."""
        return f"sparql+http://127.0.0.1:{self.http_port}/sparql"

    @property
    def write_url(self) -> str:
        """Writing goes to the digest-authenticated endpoint, as dba (dba/dba in a fresh database)."""
        return f"sparql+http://dba:dba@127.0.0.1:{self.http_port}/sparql-auth"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_installed() -> str:
    """virtuoso-t's path, installing it with `tests/provision.sh virtuoso` if need be."""
    if not shutil.which("virtuoso-t"):
        try:
            setup = subprocess.run(["bash", str(PROVISION), "virtuoso"], capture_output=True,
                                   text=True, timeout=1800)
            reason = setup.stderr.strip()[-2000:] or f"exit status {setup.returncode}"
        except (OSError, subprocess.TimeoutExpired) as err:
            reason = str(err)
        if not shutil.which("virtuoso-t"):
            pytest.fail("Virtuoso Open Source 7.2 is needed for the remote-store tests and could not be installed "
                        f"by tests/provision.sh virtuoso:\n{reason}\n"
                        "Install it (apt-get install virtuoso-opensource) or set KG_SKIP_VIRTUOSO=1 to skip them.")
    return shutil.which("virtuoso-t")


def answers(port: int) -> bool:
    try:
        with urlopen(f"http://127.0.0.1:{port}/sparql?{urlencode({'query': 'ASK {}'})}", timeout=2) as response:
            return response.status == 200
    except (URLError, OSError):
        return False


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A private Virtuoso server with a fresh database, for the session."""
    if os.environ.get("KG_SKIP_VIRTUOSO") == "1":
        pytest.skip("KG_SKIP_VIRTUOSO=1: remote-store tests skipped")
    binary = ensure_installed()
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port = free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(folder=folder, sql_port=free_port(), http_port=http_port))
    with (folder / "console.log").open("wb") as console:
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")], cwd=folder,
                                   stdout=console, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_LIMIT
    while not answers(http_port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log = (folder / "console.log").read_text(errors="replace")[-3000:]
            pytest.fail(f"the private Virtuoso server did not answer on 127.0.0.1:{http_port} within "
                        f"{START_LIMIT:.0f} s (exit status {process.poll()}):\n{log}")
        time.sleep(0.25)
    yield Virtuoso(http_port)
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


