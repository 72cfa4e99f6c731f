"""Real servers for the load tests and scripts/benchmark.py: a prepared site database and
gunicorn processes on loopback ports, started and always stopped by the caller."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.load.http_load import fetch

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "https://kratom.example.org"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(*, database_url: str, static_root: Path, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off) for a site on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kratom_info.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_SITE_URL=SITE_URL,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_LOG_LEVEL="WARNING",
        # Loopback over plain http, as behind a proxy that terminates TLS; no developer .env.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ENV_FILE="",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare_site(env: dict[str, str], *, collect_static: bool = True) -> None:
    """Migrate, import and publish content/, and collect static files (DEBUG off needs the
    manifest)."""
    manage(env, "migrate", "--verbosity", "0")
    manage(
        env,
        "import_content",
        str(ROOT / "content"),
        "--publish-unreviewed-i-understand",
        "--verbosity",
        "0",
    )
    if collect_static:
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def host(self) -> str:
        return "127.0.0.1"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def get(self, path: str, **headers: str):
        return fetch(self.host, self.port, path, headers)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


@contextmanager
def gunicorn(
    app: str,
    *,
    env: dict[str, str],
    log: Path,
    workers: int = 2,
    ready_path: str = "/",
    startup_seconds: float = 60,
    config: Path | None = None,
    shipped_config: bool = False,
):
    """Run ``gunicorn app`` with ``workers`` sync workers on a free loopback port, yield a
    :class:`Server` once it answers ``ready_path``, and stop it (and its workers) afterwards.
    Access logs are off; errors go to ``log``.

    With ``config`` (scripts/benchmark.py gives the project's gunicorn.conf.py) that file is
    used as it is, only the address given here, and ``workers`` must be what it starts.
    ``shipped_config`` (the fault tests): the project's gunicorn.conf.py (its timeouts and
    worker recycling), with only the address, the number of workers and the logs given here.
    In both, everything the server prints goes to ``log``."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}"]
    logs = ["--log-level", "warning", "--error-logfile", str(log)]
    if config is not None:
        command += ["--config", str(config)]
    elif shipped_config:
        command += ["--config", str(ROOT / "gunicorn.conf.py"), "--workers", str(workers),
                    "--access-logfile", "/dev/null", *logs]  # fmt: skip
    else:
        # Only the flags below: the same for the site and the bare app, whatever the
        # project's gunicorn.conf.py says about workers, logging or restarts.
        bare = log.with_suffix(".gunicorn.conf.py")
        bare.write_text("# Every setting is given on the command line.\n")
        command += ["--config", str(bare), "--workers", str(workers), "--worker-class", "sync",
                    "--max-requests", "0", "--timeout", "60", "--graceful-timeout", "5",
                    *logs]  # fmt: skip
    # Whatever a server running the project's own configuration prints goes to the log file.
    print_to_log = config is not None or shipped_config
    output = log.open("ab") if print_to_log else None
    process = subprocess.Popen(  # noqa: S603
        command, env=env, cwd=ROOT, start_new_session=True, stdout=output, stderr=output
    )
    if output is not None:
        output.close()  # the server has its own copy
    server = Server(process, port, log)
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {app} exited at start:\n{server.log_text()}")
            try:
                if server.get(ready_path).status < 500 and len(server.worker_pids()) == workers:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {app} did not answer:\n{server.log_text()}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
