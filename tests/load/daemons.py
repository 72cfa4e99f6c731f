"""Real Redis, memcached, nginx and Varnish (Debian's packages) for the fault tests: each on a
free loopback port with its files in a private temporary folder, started, stopped, frozen
(SIGSTOP) and restarted by the test, and always stopped at the end. Only the processes started
here are ever signalled.

A missing program skips its tests, except with CI=true, where it fails them (.ci/run installs
redis-server, memcached, nginx and varnish).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.load.servers import free_port

START_SECONDS = 20.0


def require_program(name: str, package: str) -> str:
    """The program's path; skip the test without it (fail it with CI=true)."""
    found = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin", name), Path("/usr/bin", name)) if p.exists()), None
    )
    if found is None:
        message = f"{name} not found (apt-get install {package})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI may not skip the fault tests.")
        pytest.skip(message)
    return found


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path | None = None):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace") if log and log.exists() else ""
            raise RuntimeError(f"{what} exited at start (code {process.returncode}):\n{text}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port}")


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGCONT)  # a frozen server cannot act on SIGTERM
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@dataclass
class Daemon:
    """A server process on ``port`` that the test may stop, start again, freeze and thaw."""

    command: list[str]
    port: int
    workdir: Path
    name: str
    process: subprocess.Popen | None = None
    log: Path = field(init=False)

    def __post_init__(self):
        self.log = self.workdir / f"{self.name}.log"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (a Debian package's server)
                self.command, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT
            )
        wait_for_port(self.port, self.process, self.name, self.log)

    def stop(self) -> None:
        """Kill it: its clients see refused connections (SIGKILL, as a crash would be)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        """SIGSTOP: connections are accepted by the kernel but never answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def url(self) -> str:
        scheme = "memcached" if self.name == "memcached" else "redis"
        return f"{scheme}://127.0.0.1:{self.port}" + ("/0" if scheme == "redis" else "")


@contextmanager
def running(daemon: Daemon):
    daemon.start()
    try:
        yield daemon
    finally:
        _stop(daemon.process)


def redis_server(workdir: Path, *, maxmemory: str = "64mb", policy: str = "allkeys-lru"):
    binary = require_program("redis-server", "redis-server")
    port = free_port()
    command = [
        binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(workdir), "--maxmemory", maxmemory, "--maxmemory-policy", policy,
        "--protected-mode", "yes", "--daemonize", "no",
    ]  # fmt: skip
    return running(Daemon(command, port, workdir, "redis"))


def memcached_server(workdir: Path, *, megabytes: int = 64):
    binary = require_program("memcached", "memcached")
    port = free_port()
    command = [binary, "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-m", str(megabytes)]
    if os.geteuid() == 0:
        command += ["-u", "nobody"]  # memcached refuses to run as root
    return running(Daemon(command, port, workdir, "memcached"))


@contextmanager
def nginx_proxy(workdir: Path, backend_ports: list[int]):
    """nginx on a free port, proxying to the gunicorns at ``backend_ports`` as the production
    setup in docs/operating.md ("Scaling") does (round robin, the next server on a connection
    error)."""
    binary = require_program("nginx", "nginx")
    port = free_port()
    prefix = workdir / "nginx"
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=0;" for p in backend_ports)
    temp = "\n".join(
        f"  {kind}_temp_path {prefix}/{kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                           "uwsgi", "scgi")
    )  # fmt: skip
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = prefix / "nginx.conf"
    config.write_text(
        f"""{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
{temp}
  upstream site {{
{servers}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://site;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
      proxy_read_timeout 60s;
    }}
  }}
}}
"""
    )
    command = [binary, "-p", str(prefix), "-c", str(config), "-g", "daemon off;"]
    daemon = Daemon(command, port, prefix, "nginx")
    with running(daemon):
        yield daemon


PURGING_VCL = """vcl 4.1;
# The Varnish setup of docs/operating.md ("Purge on publish"): one backend, the public Host for
# every request (so a purge from the site names the same object), and PURGE from loopback only.
acl purgers {{ "127.0.0.1"; }}
backend site {{ .host = "127.0.0.1"; .port = "{backend_port}"; }}
sub vcl_recv {{
  set req.http.host = "{site_host}";
  if (req.method == "PURGE") {{
    if (!client.ip ~ purgers) {{ return (synth(405, "Not allowed")); }}
    return (purge);
  }}
}}
"""


@contextmanager
def varnish_cache(workdir: Path, *, backend_port: int, site_host: str, port: int | None = None):
    binary = require_program("varnishd", "varnish")
    port = port or free_port()
    home = workdir / "varnish"
    home.mkdir(parents=True, exist_ok=True)
    vcl = home / "site.vcl"
    vcl.write_text(PURGING_VCL.format(backend_port=backend_port, site_host=site_host))
    command = [
        binary, "-F", "-a", f"127.0.0.1:{port}", "-f", str(vcl), "-n", str(home / "state"),
        "-s", "malloc,32m", "-T", "none", "-j", "none",
        "-p", "thread_pools=1", "-p", "thread_pool_min=5", "-p", "thread_pool_max=50",
    ]  # fmt: skip
    daemon = Daemon(command, port, home, "varnish")
    with running(daemon):
        yield daemon
