"""Several servers on one PostgreSQL database, and a database restart under load.

These need PostgreSQL, so they run in the suite's PostgreSQL pass (``pytest --postgres``), on a
server of their own that they may restart.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.load.http_load import mp_context, run_load
from tests.load.servers import gunicorn
from tests.plugin import restart_cluster

pytestmark = [pytest.mark.load, pytest.mark.postgres]

SLUG = "load-servers"
VERSION_LINE = re.compile(rb"Version (\d+), published")
TRACEBACK_SIGNS = (b"Traceback", b'File "', b"psycopg", b"OperationalError", b"site-packages")


def version_on(server, url: str) -> int | None:
    response = server.get(url)
    match = VERSION_LINE.search(response.body) if response.status == 200 else None
    return int(match.group(1)) if match else None


def test_second_server_serves_a_new_version_within_one_second(load_site):
    """Two gunicorn servers share the database. With the page cached on both, a version is
    published through the services from a third process (as an editor's request on the first
    server would be); both servers serve it within one second of its commit. Three times."""
    assert load_site.publish(SLUG).wait(timeout=120) == 0
    url = f"/articles/{SLUG}/"
    with (
        gunicorn("kratom_info.wsgi", env=load_site.env, log=load_site.workdir / "a.log") as a,
        gunicorn("kratom_info.wsgi", env=load_site.env, log=load_site.workdir / "b.log") as b,
    ):
        for _ in range(3):
            before = version_on(a, url)
            for server in (a, b, a, b, a, b):  # cache it on each server's workers
                assert version_on(server, url) == before
            publisher = load_site.publish(SLUG)
            output, _ = publisher.communicate(timeout=120)
            assert publisher.returncode == 0
            number, committed = int(output.split()[1]), float(output.split()[3])
            assert number == before + 1
            seen = {}
            while len(seen) < 2 and time.time() - committed < 3:
                for name, server in (("a", a), ("b", b)):
                    if name not in seen and version_on(server, url) == number:
                        seen[name] = time.time() - committed
                time.sleep(0.02)
            assert set(seen) == {"a", "b"}, f"not served within 3 s: {seen}"
            assert max(seen.values()) <= 1.0, seen
            for server in (a, b, a, b):  # and no worker still has the old page
                assert version_on(server, url) == number


def test_database_restart_under_load(load_site):
    """PostgreSQL is restarted while readers load a cached article and pages that need the
    database. Cached pages never fail; the others fail for at most 5 seconds, then succeed
    again without restarting gunicorn; no error page shows a traceback."""
    assert load_site.publish(SLUG).wait(timeout=120) == 0
    cached = f"/articles/{SLUG}/"
    # An unknown article is a 404 that is never cached: each one asks the database.
    uncached = "/articles/not-an-article/"
    with gunicorn("kratom_info.wsgi", env=load_site.env, log=load_site.workdir / "r.log") as site:
        # A process rather than a thread: the load generator forks, best done single-threaded.
        times = mp_context().Queue()
        restarter = mp_context().Process(target=_restart_after, args=(5, load_site.cluster, times))
        restarter.start()
        result = run_load(
            site.host,
            site.port,
            [cached, uncached],
            connections=16,
            seconds=18,
            max_requests=300_000,
            check=leaks_traceback,
            record=True,
            allowed_statuses=frozenset({404, 500}),
        )
        restart = times.get(timeout=120)
        restarter.join(timeout=30)

    assert result.errors == 0, result.failures  # errors here are leaked tracebacks
    by_path = {0: [], 1: []}
    for at, status, which in result.records:
        by_path[which].append((at, status))
    assert {status for _, status in by_path[0]} == {200}, "a cached page failed"
    failures = [at for at, status in by_path[1] if status != 404]
    took = restart["done"] - restart["started"]
    assert failures, f"the restart ({took:.1f} s) caused no failure: was the database used?"
    assert min(failures) >= restart["started"] - 1
    window = max(failures) - min(failures)
    assert window <= 5, f"failures for {window:.1f} s (the restart took {took:.1f} s)"
    after = [status for at, status in by_path[1] if at > max(failures)]
    assert len(after) > 50, "too few requests after the restart"
    assert set(after) == {404}, set(after)


def _restart_after(seconds: float, cluster, times) -> None:
    time.sleep(seconds)
    started = time.time()
    restart_cluster(cluster)
    times.put({"started": started, "done": time.time()})


def leaks_traceback(response) -> str | None:
    if response.status >= 500 and any(sign in response.body for sign in TRACEBACK_SIGNS):
        return f"HTTP {response.status} shows a traceback: {response.body[:300]!r}"
    return None
