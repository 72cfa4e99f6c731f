"""Can this process serve readers? Each component's state, as ``/readyz`` reports them.

- ``database``: ``ok`` when it answers and has every migration applied, ``degraded`` when it
  answers but a migration is missing (this code cannot use it: never ready), ``down`` when it
  does not answer;
- ``cache`` (the page cache): ``ok``, ``degraded`` (answers but refuses writes, e.g. a Redis at
  ``maxmemory``) or ``down`` (does not answer; pages are rendered without it).

The server is ready when the database is ``ok`` (every page can be made, with or without the
cache), or when the database is down but the cache is not and the current generation is known
(read before the outage, or from the shared cache): the pages already cached are served, the
others get a short 503. A load balancer then keeps the servers that can still serve the pages
readers already had, instead of pulling every backend at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from kratom_info.pagecache.breaker import DEGRADED, DOWN, OK, cache_breaker
from kratom_info.pagecache.cache import shared_get
from kratom_info.pagecache.generation import known_generation

logger = logging.getLogger(__name__)

# Once the database is fully migrated it stays so for the life of this process (new migrations
# arrive with new code, i.e. a new process), so the migration graph is read only until then.
_migrated = False
PROBE_KEY = "health:probe"


@dataclass(frozen=True)
class Readiness:
    database: str
    cache: str
    problem: str | None  # why the database is not ok, for people
    serves_cached_pages: bool  # database down, but the cache answers and a generation is known

    @property
    def ready(self) -> bool:
        return self.database == OK or (self.database == DOWN and self.serves_cached_pages)

    @property
    def status(self) -> str:
        if not self.ready:
            return "unavailable"
        return "ok" if self.database == OK and self.cache == OK else "degraded"


def readiness() -> Readiness:
    state, problem = database_state()
    cache = cache_state()
    # Asked only when the database is down, and without asking it again: one connection
    # attempt per probe, so a database that does not answer costs the probe one timeout.
    serves_cached = state == DOWN and cache != DOWN and known_generation() is not None
    return Readiness(
        database=state, cache=cache, problem=problem, serves_cached_pages=serves_cached
    )


def cache_state() -> str:
    """The page cache's state, with one read to check it unless the breaker is already open."""
    shared_get(PROBE_KEY)
    return cache_breaker.state


def database_state() -> tuple[str, str | None]:
    """The database's state, and a short reason when it is not ok."""
    global _migrated
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrated:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if plan:
                return DEGRADED, f"{len(plan)} unapplied migration(s): run manage.py migrate"
            _migrated = True
    except DatabaseError as exc:
        # The details (host, port, user) go to the log, not to whoever can reach the probe.
        logger.warning("Readiness check: database unavailable: %s", exc)
        if not connection.in_atomic_block:
            connection.close()  # a fresh connection next time, not the broken one
        return DOWN, f"database unavailable ({type(exc).__name__}); details in the log"
    return OK, None
