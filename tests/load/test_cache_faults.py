"""A dead, frozen, restarted or full shared cache is invisible to readers: two gunicorns behind
nginx on PostgreSQL, with a real Redis or memcached, under load while versions are published."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import unquote

import pytest
import redis

from tests.load.daemons import memcached_server, redis_server
from tests.load.http_load import fetch, run_load
from tests.load.outages import Schedule, no_traceback, site_behind_nginx, statuses_by_path, warm

pytestmark = [pytest.mark.load, pytest.mark.postgres]

SLUG = "load-cache-faults"
PATHS = [
    f"/articles/{SLUG}/",
    "/",
    "/sources/",
    "/search/?q=kratom",
    "/articles/not-an-article/",  # a 404 is never cached: it asks the database every time
]
CACHE_SERVERS = {"redis": redis_server, "memcached": memcached_server}


@pytest.mark.parametrize("kind", sorted(CACHE_SERVERS))
def test_cache_killed_restarted_frozen_and_thawed_under_load(load_site, tmp_path, kind):
    """16 s of load while five versions are published: the cache is killed at 3 s, started
    again at 6 s, frozen (SIGSTOP) at 9 s and thawed at 12 s. No reader gets a 5xx or no
    answer; each outage is logged once per worker, not per request; the cache is used again
    once it is back."""
    assert load_site.publish(SLUG).wait(timeout=120) == 0
    with (
        CACHE_SERVERS[kind](tmp_path) as cache,
        site_behind_nginx(load_site, f"cache-{kind}", DJANGO_CACHE_URL=cache.url) as site,
    ):
        warm(site, PATHS, rounds=2)
        stored_before = sum(1 for key in _cache_keys(kind, cache) if key.startswith("page:"))
        schedule = Schedule(
            [
                (3, "killed", cache.stop),
                (6, "restarted", cache.start),
                (9, "frozen", cache.freeze),
                (12, "thawed", cache.thaw),
            ]
        )
        publisher = load_site.publish(SLUG, count=5, interval=3)
        schedule.start()
        result = run_load(
            site.host,
            site.port,
            PATHS,
            connections=8,
            seconds=16,
            check=no_traceback,
            record=True,
            allowed_statuses=frozenset({404}),
        )
        schedule.join(timeout=30)
        output, _ = publisher.communicate(timeout=120)
        assert publisher.returncode == 0, output
        logs = site.logs()
        # Back to normal: the page is stored in the cache again and read from it, at the
        # latest once each worker's breaker period (5 s) after the thaw has passed.
        deadline = time.monotonic() + 15
        while True:
            after = site.get(PATHS[0])
            stored = sum(1 for key in _cache_keys(kind, cache) if key.startswith("page:"))
            if stored or time.monotonic() > deadline:
                break
            time.sleep(0.5)

    assert schedule.error is None, schedule.error
    assert set(schedule.times) == {"killed", "restarted", "frozen", "thawed"}
    by_path = statuses_by_path(result, PATHS)
    assert result.errors == 0, (by_path, result.failures)
    assert all(set(counts) <= {200} for counts in list(by_path.values())[:-1]), by_path
    assert set(by_path[PATHS[-1]]) == {404}, by_path
    assert result.requests > 200, result.requests
    assert after.status == 200
    unreachable = logs.count("Page cache: unreachable")
    assert unreachable >= 1, "the cache was never found missing: was it used?"
    assert unreachable < 40, f"logged {unreachable} times: per request, not per state change"
    assert "Traceback" not in logs
    assert stored_before > 0
    assert stored > 0, (stored_before, after.status, after.headers)


def _cache_keys(kind: str, cache) -> list[str]:
    if kind == "redis":
        client = redis.Redis(host="127.0.0.1", port=cache.port)
        return [key.decode().split(":", 2)[-1] for key in client.keys("*")]
    # memcached: the item metadata dump names every key (memcached 1.4.31 and later).
    with socket.create_connection(("127.0.0.1", cache.port), timeout=5) as sock:
        sock.sendall(b"lru_crawler metadump all\r\n")
        data = b""
        while not data.endswith(b"END\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return [
        unquote(line.split()[0].removeprefix(b"key=").decode()).split(":", 2)[-1]
        for line in data.splitlines()
        if line.startswith(b"key=")
    ]


def test_redis_at_maxmemory_with_noeviction(load_site, tmp_path):
    """A Redis that is full and may not evict (the default policy) answers OOM to every write:
    pages are served, rendered, never stored; no 5xx; /readyz says the cache is degraded and
    the server ready."""
    assert load_site.publish(SLUG).wait(timeout=120) == 0
    with redis_server(tmp_path, maxmemory="3mb", policy="noeviction") as cache:
        _fill(cache.port)
        with site_behind_nginx(load_site, "cache-full", DJANGO_CACHE_URL=cache.url) as site:
            paths = PATHS[:-1] + [f"/search/?q=kratom+{n}" for n in range(20)]
            result = run_load(
                site.host, site.port, paths, connections=6, seconds=6, check=no_traceback
            )
            server = site.servers[0]
            ready = fetch(server.host, server.port, "/readyz")
            logs = site.logs()

    assert result.errors == 0, (result.statuses, result.failures)
    assert set(result.statuses) == {200}, result.statuses
    assert result.requests > 20  # every page rendered (and compressed) each time: slow
    assert "Page cache: refusing writes" in logs
    assert "Traceback" not in logs
    assert ready.status == 200
    assert json.loads(ready.body) == {"status": "degraded", "database": "ok", "cache": "degraded"}


def test_redis_at_maxmemory_with_allkeys_lru(load_site, tmp_path):
    """The policy the operating guide gives: a Redis at maxmemory that evicts (allkeys-lru)
    makes room for each new page. Under load on more pages than fit, every answer is a 200,
    Redis evicts, nothing is refused and /readyz says the cache is fine."""
    assert load_site.publish(SLUG).wait(timeout=120) == 0
    with redis_server(tmp_path, maxmemory="3mb", policy="allkeys-lru") as cache:
        client = redis.Redis(host="127.0.0.1", port=cache.port)
        for n in range(40):  # about 2.5 MB of other keys: the cache starts full
            client.set(f"fill:{n}", b"x" * 65536)
        with site_behind_nginx(load_site, "cache-lru", DJANGO_CACHE_URL=cache.url) as site:
            paths = PATHS[:-1] + [f"/search/?q=kratom+{n}" for n in range(40)]
            result = run_load(
                site.host, site.port, paths, connections=6, seconds=6, check=no_traceback
            )
            server = site.servers[0]
            ready = fetch(server.host, server.port, "/readyz")
            logs = site.logs()
        stats = client.info("stats")
        pages = sum(1 for key in _cache_keys("redis", cache) if key.startswith("page:"))

    assert result.errors == 0, (result.statuses, result.failures)
    assert set(result.statuses) == {200}, result.statuses
    assert stats["evicted_keys"] > 0, stats
    assert pages > 0  # pages are still stored
    assert "Page cache: refusing writes" not in logs
    assert "Page cache: unreachable" not in logs
    assert "Traceback" not in logs
    assert json.loads(ready.body) == {"status": "ok", "database": "ok", "cache": "ok"}


def _fill(port: int) -> None:
    """Fill the cache until Redis refuses writes (OOM)."""
    client = redis.Redis(host="127.0.0.1", port=port)
    value = b"x" * 65536
    for n in range(1000):
        try:
            client.set(f"fill:{n}", value)
        except redis.exceptions.OutOfMemoryError:
            return
    raise AssertionError("Redis never reached maxmemory")
