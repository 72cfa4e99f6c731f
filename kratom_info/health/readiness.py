"""Is this process ready to serve pages? The database answers and has every migration applied."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)

# Once the database is fully migrated it stays so for the life of this process (new migrations
# arrive with new code, i.e. a new process), so the migration graph is read only until then.
_migrated = False


def readiness_problem() -> str | None:
    """A short reason why the site cannot serve pages, or None when it can."""
    global _migrated
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrated:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if plan:
                return f"{len(plan)} unapplied migration(s): run manage.py migrate"
            _migrated = True
    except DatabaseError as exc:
        # The details (host, port, user) go to the log, not to whoever can reach the probe.
        logger.warning("Readiness check: database unavailable: %s", exc)
        return f"database unavailable ({type(exc).__name__}); details in the log"
    return None
