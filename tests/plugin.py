"""The suite's early pytest plugin (loaded from pyproject.toml with ``-p``), which acts before
Django reads its settings:

- tests use the development settings (``DJANGO_DEBUG=1``; Django's test runner still turns
  DEBUG off while tests run) unless the environment says otherwise, and read the page-cache
  generation on every request (``DJANGO_PAGE_CACHE_GENERATION_TTL=0``);
- ``pytest --postgres`` starts a private cluster (initdb + pg_ctl from Debian's postgresql
package) in a temporary folder, points DATABASE_URL at it before Django reads its settings,
and stops and removes it at the end. Loaded from pyproject.toml with ``-p``.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

_cluster: dict[str, str] = {}


def pytest_addoption(parser):
    parser.addoption(
        "--postgres",
        action="store_true",
        help="run against a temporary PostgreSQL server started for this run",
    )


def find_pg_bin() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(command: list[str], as_postgres: bool) -> None:
    if as_postgres:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    os.environ.setdefault("DJANGO_DEBUG", "1")
    # Read the page-cache generation on every request, so query counts do not depend on timing.
    os.environ.setdefault("DJANGO_PAGE_CACHE_GENERATION_TTL", "0")
    if "--postgres" not in args:
        return
    pg_bin = find_pg_bin()
    if pg_bin is None:
        raise pytest.UsageError(
            "--postgres needs PostgreSQL server binaries: apt-get install postgresql"
        )
    # initdb refuses to run as root; Debian's package provides a 'postgres' user for that.
    as_postgres = os.geteuid() == 0
    workdir = Path(tempfile.mkdtemp(prefix="kratom-pg-"))
    data, sockets = workdir / "data", workdir / "run"
    sockets.mkdir()
    if as_postgres:
        shutil.chown(workdir, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    _run([str(pg_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
         as_postgres)  # fmt: skip
    _run(
        [
            str(pg_bin / "pg_ctl"), "-D", str(data), "-w", "-l", str(workdir / "server.log"),
            "-o", f"-p {port} -k {sockets} -c listen_addresses='' -c fsync=off", "start",
        ],
        as_postgres,
    )  # fmt: skip
    _cluster.update(pg_bin=str(pg_bin), data=str(data), workdir=str(workdir), port=str(port))
    _cluster["as_postgres"] = "1" if as_postgres else ""
    # Also stop the server if pytest dies before pytest_unconfigure (e.g. broken settings).
    atexit.register(_stop_cluster)
    os.environ["DATABASE_URL"] = f"postgres://postgres@/postgres?host={sockets}&port={port}"


def pytest_report_header(config):
    if _cluster:
        return f"database: temporary PostgreSQL server on port {_cluster['port']}"
    return None


def pytest_unconfigure(config):
    _stop_cluster()


def _stop_cluster() -> None:
    if not _cluster:
        return
    try:
        _run(
            [f"{_cluster['pg_bin']}/pg_ctl", "-D", _cluster["data"], "-m", "fast", "-w", "stop"],
            bool(_cluster["as_postgres"]),
        )
    finally:
        shutil.rmtree(_cluster["workdir"], ignore_errors=True)
        _cluster.clear()
