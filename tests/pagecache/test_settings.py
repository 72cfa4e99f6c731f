"""DJANGO_CACHE_URL chooses the page cache; the generation TTL cannot exceed a second."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import kratom_info.settings as s; c = s.CACHES['default'];"
    "print(c['BACKEND'], c.get('LOCATION'))"
)


def load(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(DJANGO_DEBUG="1", **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_default_is_local_memory():
    """Without DJANGO_CACHE_URL each process keeps its own pages in memory."""
    assert "locmem.LocMemCache" in load().stdout


def test_redis_and_memcached_urls_choose_shared_caches():
    """redis:// selects Django's Redis backend, memcached:// pymemcache."""
    redis = load(DJANGO_CACHE_URL="redis://cache.example.org:6379/1").stdout
    assert redis.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.example.org:6379/1",
    ]
    memcached = load(DJANGO_CACHE_URL="memcached://cache.example.org:11211").stdout
    assert memcached.split() == [
        "django.core.cache.backends.memcached.PyMemcacheCache",
        "cache.example.org:11211",
    ]


def test_unknown_cache_url_is_an_error():
    """A cache URL of an unknown kind stops start-up and says what is accepted."""
    result = load(DJANGO_CACHE_URL="mongodb://nope")
    assert result.returncode != 0
    assert "DJANGO_CACHE_URL" in result.stderr and "redis://" in result.stderr


def test_generation_ttl_over_a_second_is_an_error():
    """Published changes must reach every server within a second."""
    result = load(DJANGO_PAGE_CACHE_GENERATION_TTL="5")
    assert result.returncode != 0
    assert "within a second" in result.stderr


OPTIONS = (
    "import kratom_info.settings as s; import json;"
    "print(json.dumps(s.CACHES['default'].get('OPTIONS')))"
)


def options(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(DJANGO_DEBUG="1", **env)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", OPTIONS], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_shared_caches_get_short_timeouts():
    """A cache that does not answer must not hold a worker for the clients' default seconds."""
    redis = options(DJANGO_CACHE_URL="redis://cache.example.org:6379/1")
    assert redis == {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
    tuned = options(DJANGO_CACHE_URL="redis://c:6379/0", DJANGO_CACHE_SOCKET_TIMEOUT="0.1")
    assert tuned["socket_timeout"] == 0.1


def test_memcached_is_used_again_as_soon_as_it_is_back():
    """pymemcache would leave a failed server out for 60 s; the breaker decides instead."""
    memcached = options(DJANGO_CACHE_URL="memcached://cache.example.org:11211")
    assert (memcached["connect_timeout"], memcached["timeout"]) == (0.25, 0.25)
    assert (memcached["retry_attempts"], memcached["dead_timeout"]) == (0, 0)


def test_a_timeout_that_is_not_a_number_is_an_error():
    result = load(DJANGO_CACHE_BREAKER_SECONDS="soon")
    assert result.returncode != 0
    assert "DJANGO_CACHE_BREAKER_SECONDS must be a number of seconds" in result.stderr
