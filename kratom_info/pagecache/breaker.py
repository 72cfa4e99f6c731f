"""Cache calls that cannot fail: a dead, frozen or full cache is a miss, never an error page.

Every read and write of the page cache goes through :data:`cache_breaker`. Any error from the
cache client becomes a miss (a read) or is dropped (a write), so the page is rendered as if
nothing had been cached. The client's own timeouts are short (``DJANGO_CACHE_TIMEOUT``), and a
per-process circuit breaker stops asking a cache that did not answer for
``PAGE_CACHE_BREAKER_SECONDS``: a dead or frozen cache costs each worker one timeout per that
many seconds, not one per request. Each change of state is logged once.

States, as ``/readyz`` reports them:

- ``ok``: the last calls worked;
- ``degraded``: the cache answers but refuses writes (a Redis at ``maxmemory`` with
  ``noeviction`` answers OOM; a full memcached slab): pages are served, not stored;
- ``down``: the cache did not answer (refused, reset, timed out); it is left alone until the
  breaker's time is up, then one call tries it again.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

OK, DEGRADED, DOWN = "ok", "degraded", "down"


def answered_errors() -> tuple[type[BaseException], ...]:
    """Errors a cache server sends back (it is there and answering, but refused the command),
    as opposed to not answering at all. Only the clients this process has loaded can have
    raised one: looked up when a call fails, so a worker on the local-memory cache never
    imports redis (about 7 MB of each worker's memory) to name an error it cannot get."""
    errors: list[type[BaseException]] = []
    redis_errors = sys.modules.get("redis.exceptions")
    if redis_errors is not None:
        errors.append(redis_errors.ResponseError)
    memcache_errors = sys.modules.get("pymemcache.exceptions")
    if memcache_errors is not None:
        errors += [memcache_errors.MemcacheClientError, memcache_errors.MemcacheServerError]
    return tuple(errors)


class CacheBreaker:
    """The page cache's health in this process, and the calls guarded by it."""

    def __init__(self):
        self.state = OK
        self.retry_at = 0.0  # monotonic time; while DOWN, no call before it
        # How many times the cache came back (to ``ok``): what this process remembers of
        # pages from before then may never have reached the shared cache.
        self.recoveries = 0
        self.degraded_since_write_error = 0.0

    def _change(self, state: str, error: BaseException | None = None) -> None:
        if state == self.state:
            return
        before, self.state = self.state, state
        if state == OK:
            self.recoveries += 1
            logger.warning("Page cache: back to normal (was %s).", before)
        elif state == DEGRADED:
            logger.warning("Page cache: refusing writes, pages are not stored: %r", error)
        else:
            logger.warning(
                "Page cache: unreachable, pages are rendered without it for the next %s s: %r",
                settings.PAGE_CACHE_BREAKER_SECONDS,
                error,
            )

    def is_open(self) -> bool:
        """Whether calls are skipped now (the cache is down and its time is not up)."""
        return self.state == DOWN and time.monotonic() < self.retry_at

    def call(self, operation: Callable[[], Any], *, default: Any = None, write: bool = False):
        """``operation()``, or ``default`` when the cache is down or the call fails."""
        if self.is_open():
            return default
        try:
            result = operation()
        except Exception as error:  # noqa: BLE001 (any client error is a miss, by design)
            if isinstance(error, answered_errors()):
                # Refused but answering (OOM): keep reading, keep trying to write.
                self.degraded_since_write_error = time.monotonic()
                self._change(DEGRADED, error)
            else:
                self.retry_at = time.monotonic() + settings.PAGE_CACHE_BREAKER_SECONDS
                self._change(DOWN, error)
            return default
        if self.state == DOWN:
            self._change(OK)
        elif self.state == DEGRADED and write:
            # Back to normal only once writes have worked for a while, so a cache that
            # refuses some writes and takes others does not log every few requests.
            quiet = time.monotonic() - self.degraded_since_write_error
            if quiet >= settings.PAGE_CACHE_BREAKER_SECONDS:
                self._change(OK)
        return result


cache_breaker = CacheBreaker()


def forget_cache_state() -> None:
    """Start again from ``ok`` (tests that change settings)."""
    cache_breaker.__init__()
