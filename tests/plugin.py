"""The suite's early pytest plugin (loaded from pyproject.toml with ``-p``), which acts before
Django reads its settings:

- tests use the development settings (``DJANGO_DEBUG=1``; Django's test runner still turns
  DEBUG off while tests run) unless the environment says otherwise, never read ``.env``, and
  read the page-cache generation on every request (``DJANGO_PAGE_CACHE_GENERATION_TTL=0``);
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
    # A developer's .env (scripts/serve writes one; it may name another database) never
    # reaches the tests, nor the subprocesses they start.
    os.environ["DJANGO_ENV_FILE"] = ""
    # Read the page-cache generation on every request, so query counts do not depend on timing.
    os.environ.setdefault("DJANGO_PAGE_CACHE_GENERATION_TTL", "0")
    if "--postgres" not in args:
        return
    _cluster.update(start_cluster())
    # Also stop the server if pytest dies before pytest_unconfigure (e.g. broken settings).
    atexit.register(_stop_cluster)
    os.environ["DATABASE_URL"] = _cluster["url"]


def start_cluster() -> dict[str, str]:
    """Start a private PostgreSQL server in a temporary folder; returns what
    :func:`stop_cluster` and :func:`restart_cluster` need, and its ``url``."""
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
    cluster = {
        "pg_bin": str(pg_bin),
        "data": str(data),
        "workdir": str(workdir),
        "port": str(port),
        "as_postgres": "1" if as_postgres else "",
        "log": str(workdir / "server.log"),
        "options": f"-p {port} -k {sockets} -c listen_addresses='' -c fsync=off",
        "url": f"postgres://postgres@/postgres?host={sockets}&port={port}",
    }
    _pg_ctl(cluster, "start")
    return cluster


def _pg_ctl(cluster: dict[str, str], action: str) -> None:
    if action == "start":
        extra = ["-l", cluster["log"], "-o", cluster["options"]]
    else:
        extra = ["-m", "fast"]  # disconnect every client at once
    _run(
        [f"{cluster['pg_bin']}/pg_ctl", "-D", cluster["data"], "-w", *extra, action],
        bool(cluster["as_postgres"]),
    )


def restart_cluster(cluster: dict[str, str]) -> None:
    """Stop the server (disconnecting every client) and start it again."""
    _pg_ctl(cluster, "stop")
    _pg_ctl(cluster, "start")


def stop_server(cluster: dict[str, str]) -> None:
    """Stop the server (disconnecting every client) and leave it stopped: an outage."""
    _pg_ctl(cluster, "stop")


def start_server(cluster: dict[str, str]) -> None:
    _pg_ctl(cluster, "start")


def stop_cluster(cluster: dict[str, str]) -> None:
    try:
        _pg_ctl(cluster, "stop")
    finally:
        shutil.rmtree(cluster["workdir"], ignore_errors=True)


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
        stop_cluster(_cluster)
    finally:
        _cluster.clear()
