"""Reading and bumping the public content generation.

Every cached page is keyed on the generation it was rendered under, so bumping the generation
makes every cached page fresh at once, on every worker and server that shares the database.
Each process re-reads the generation at most every ``PAGE_CACHE_GENERATION_TTL`` seconds (0.5 by
default), and at once after a change it commits itself; the other processes follow within that
time. Reading it is one indexed query on the primary key.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from kratom_info.pagecache.models import SINGLETON_ID, PublicContentGeneration

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Generation:
    token: str
    changed_at: datetime

    @property
    def last_modified(self) -> float:
        """``changed_at`` as a Unix time, for Last-Modified."""
        return self.changed_at.timestamp()


# (monotonic time until which ``known`` may be used, the generation last read or None)
_memo: tuple[float, Generation | None] = (0.0, None)


def forget_generation() -> None:
    """Make this process read the generation again on its next request."""
    global _memo
    _memo = (0.0, _memo[1])


def public_content_changed(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that something readers see has changed (a publish, an unpublish, a review date,
    an approved source change): every cached public page is fresh from the moment the calling
    transaction commits.

    Call it inside the transaction that makes the change, so that the new generation and the
    new content become visible together: a page cached under the new generation can only have
    been rendered from the new content.
    """
    now = timezone.now()
    token = secrets.token_hex(16)
    generations = PublicContentGeneration.objects.using(using)
    bumped = generations.filter(pk=SINGLETON_ID).update(
        number=F("number") + 1, token=token, changed_at=now
    )
    if not bumped:
        generations.get_or_create(pk=SINGLETON_ID, defaults={"token": token, "changed_at": now})
    forget_generation()
    transaction.on_commit(forget_generation, using=using)


def _read() -> Generation | None:
    row = (
        PublicContentGeneration.objects.filter(pk=SINGLETON_ID)
        .values_list("token", "changed_at")
        .first()
    )
    return Generation(*row) if row else None


def current_generation() -> Generation | None:
    """The generation to serve and store pages under, or None (caching off: no row yet).

    When the database cannot be reached, the last generation read is kept, so pages already
    cached keep being served through an outage (stale-if-error); the read is retried after the
    TTL.
    """
    global _memo
    now = time.monotonic()
    valid_until, known = _memo
    if now < valid_until:
        return known
    ttl = settings.PAGE_CACHE_GENERATION_TTL
    try:
        generation = _read()
    except DatabaseError as error:
        logger.warning("Page cache: cannot read the public content generation: %s", error)
        if not connection.in_atomic_block:
            connection.close()  # reconnect on the next use rather than reuse a broken socket
        _memo = (now + ttl, known)
        return known
    _memo = (now + ttl, generation)
    return generation
