"""Several servers on one PostgreSQL database, and a database restart and an outage under load.

These need PostgreSQL, so they run in the suite's PostgreSQL pass (``pytest --postgres``), on a
server of their own that they may restart.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.load.daemons import redis_server
from tests.load.http_load import fetch, run_load
from tests.load.outages import (
    HELP_LINE,
    Schedule,
    no_traceback,
    site_behind_nginx,
    statuses_by_path,
    warm,
)
from tests.load.servers import gunicorn
from tests.plugin import restart_cluster, start_server, stop_server

pytestmark = [pytest.mark.load, pytest.mark.postgres]

SLUG = "load-servers"
VERSION_LINE = re.compile(rb"Version (\d+), published")


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


def test_database_fast_restart_costs_no_failed_get(load_site, tmp_path):
    """PostgreSQL is restarted (fast mode: every connection dropped) while readers load, through
    nginx and two gunicorns on Redis, a cached article and pages that need the database each
    time. Every GET is answered as if nothing happened: a request that lost its connection is
    retried on a new one once the server is back."""
    assert load_site.publish(SLUG).wait(timeout=120) == 0
    paths = [f"/articles/{SLUG}/", "/articles/not-an-article/", "/search/?q=kratom"]
    with (
        redis_server(tmp_path) as cache,
        site_behind_nginx(load_site, "restart", DJANGO_CACHE_URL=cache.url) as site,
    ):
        warm(site, paths, rounds=2)
        schedule = Schedule([(4, "restart", lambda: restart_cluster(load_site.cluster))])
        schedule.start()
        result = run_load(
            site.host,
            site.port,
            paths,
            connections=12,
            seconds=14,
            max_requests=300_000,
            check=no_traceback,
            record=True,
            allowed_statuses=frozenset({404}),
        )
        schedule.join(timeout=60)
        logs = site.logs()

    assert schedule.error is None, schedule.error
    started, done = schedule.times["restart"]
    by_path = statuses_by_path(result, paths)
    assert result.errors == 0, (by_path, result.failures)
    assert set(by_path[paths[0]]) == {200} and set(by_path[paths[2]]) == {200}, by_path
    assert set(by_path[paths[1]]) == {404}, by_path
    during = [at for at, _, which in result.records if which == 1 and started <= at <= done + 1]
    after = [at for at, _, which in result.records if which == 1 and at > done + 1]
    assert during and len(after) > 50, "too few requests that needed the database"
    assert "Database unreachable" in logs, "no request lost its connection: was it restarted?"
    assert "Traceback" not in logs


def test_database_stopped_for_ten_seconds(load_site, tmp_path):
    """PostgreSQL stops for 10 s under load, with workers being recycled (the shipped
    gunicorn.conf.py) so some start during the outage. Pages cached before are served (the
    article from the generation before the latest publish, marked stale), a page never
    rendered gets the short 503 page with the help lines, never a 500; /readyz stays 200 on
    both servers and says the database is down; everything is normal once it is back."""
    assert load_site.publish(SLUG).wait(timeout=120) == 0
    article, home, never = f"/articles/{SLUG}/", "/", "/sources/"
    paths = [article, home, never]
    with (
        redis_server(tmp_path) as cache,
        site_behind_nginx(load_site, "outage", DJANGO_CACHE_URL=cache.url) as site,
    ):
        warm(site, [article, home])
        # A publish: every worker moves to a new generation, under which only home is cached.
        assert load_site.publish(SLUG).wait(timeout=120) == 0
        time.sleep(1)
        warm(site, [home])
        stop_server(load_site.cluster)
        try:
            ready = [fetch(s.host, s.port, "/readyz") for s in site.servers]
            result = run_load(
                site.host,
                site.port,
                paths,
                connections=8,
                seconds=10,
                check=outage_answer,
                record=True,
                allowed_statuses=frozenset({503}),
            )
            stale = site.get(article)
        finally:
            start_server(load_site.cluster)
        time.sleep(1)
        back = [site.get(path) for path in paths * 4]
        logs = site.logs()

    by_path = statuses_by_path(result, paths)
    assert result.errors == 0, (by_path, result.failures)
    assert set(by_path[article]) == {200} and set(by_path[home]) == {200}, by_path
    assert set(by_path[never]) == {503}, by_path
    assert result.requests > 100
    assert stale.status == 200 and stale.headers.get("warning") == '110 - "Response is Stale"'
    for answer in ready:
        assert answer.status == 200, answer.body
        assert json.loads(answer.body) == {
            "status": "degraded",
            "database": "down",
            "cache": "ok",
            "reason": "database unavailable (OperationalError); details in the log",
        }
    assert {answer.status for answer in back} == {200}
    assert "Traceback" not in logs


def outage_answer(response) -> str | None:
    """A 503 must be the short page with the help lines, styled, telling when to retry."""
    problem = no_traceback(response)
    if problem or response.status != 503:
        return problem
    body = response.decoded
    if HELP_LINE not in body or b'rel="stylesheet"' not in body:
        return f"503 without the help lines or the style: {body[:300]!r}"
    if response.headers.get("retry-after") != "30":
        return "503 without Retry-After"
    return None
