"""The production shape for the fault tests: two gunicorns (the shipped gunicorn.conf.py, so
workers are recycled as in production) behind nginx, on the load tests' database, with a real
shared cache; and checks of what readers got."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from tests.load.daemons import Daemon, nginx_proxy
from tests.load.http_load import fetch
from tests.load.servers import Server, gunicorn

VERSION_LINE = re.compile(rb"Version (\d+), published")
TRACEBACK_SIGNS = (b"Traceback", b'File "', b"psycopg", b"OperationalError", b"site-packages")
HELP_LINE = b"1-800-222-1222"  # Poison Control, in the help lines every error page carries


@dataclass
class Site:
    nginx: Daemon
    servers: list[Server]

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return self.nginx.port

    def get(self, path: str, **headers: str):
        return fetch(self.host, self.port, path, headers)

    def logs(self) -> str:
        return "\n".join(server.log_text() for server in self.servers)


@contextmanager
def site_behind_nginx(load_site, name: str, **env: str):
    """Two gunicorns with ``env`` added to the load site's, behind one nginx."""
    site_env = {**load_site.env, **env}
    with ExitStack() as stack:
        servers = [
            stack.enter_context(
                gunicorn(
                    "kratom_info.wsgi",
                    env=site_env,
                    log=load_site.workdir / f"{name}-{n}.log",
                    shipped_config=True,
                )
            )
            for n in (1, 2)
        ]
        nginx = stack.enter_context(
            nginx_proxy(load_site.workdir / name, [server.port for server in servers])
        )
        yield Site(nginx, servers)


def no_traceback(response) -> str | None:
    """Reject an error page that shows a traceback or a database error."""
    if response.status >= 500 and any(sign in response.body for sign in TRACEBACK_SIGNS):
        return f"HTTP {response.status} shows a traceback: {response.body[:300]!r}"
    return None


def statuses_by_path(result, paths: list[str]) -> dict[str, dict[int, int]]:
    """{path: {status: count}} from a run with ``record=True`` (0: no answer at all)."""
    found: dict[str, dict[int, int]] = {path: {} for path in paths}
    for _, status, which in result.records:
        counts = found[paths[which]]
        counts[status] = counts.get(status, 0) + 1
    return found


class Schedule(threading.Thread):
    """Faults at set times (seconds after start), in a thread of the test's process so that
    the servers it restarts stay the test's children; ``times`` records when each ran."""

    def __init__(self, steps: list[tuple[float, str, Callable[[], None]]]):
        super().__init__(daemon=True)
        self.steps = steps
        self.times: dict[str, tuple[float, float]] = {}
        self.error: BaseException | None = None

    def run(self) -> None:
        started = time.monotonic()
        try:
            for at, label, action in self.steps:
                time.sleep(max(0.0, started + at - time.monotonic()))
                before = time.time()
                action()
                self.times[label] = (before, time.time())
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            self.error = error


def warm(site: Site, paths: list[str], rounds: int = 12) -> None:
    """Ask for every path on every worker (nginx alternates servers; each has two workers),
    so each page is rendered and stored in the shared cache."""
    for _ in range(rounds):
        for path in paths:
            site.get(path)
            site.get(path, **{"Accept-Encoding": "gzip"})
