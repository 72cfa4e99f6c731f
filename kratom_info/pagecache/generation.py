"""Reading and bumping the public content generation.

Every cached page is keyed on the generation it was rendered under, so bumping the generation
makes every cached page fresh at once, on every worker and server that shares the database.
Each process re-reads the generation at most every ``PAGE_CACHE_GENERATION_TTL`` seconds (0.5 by
default), and at once after a change it commits itself; the other processes follow within that
time. Reading it is one indexed query on the primary key.

The generation each process last read is also kept in the shared page cache, with the one before
it, so that a worker started while the database is unreachable still finds the pages already
cached (and the last copies of pages not rendered since the latest change). The page cache holds
the pages of those two generations only: the first process to see a new generation deletes the
pages of the one before them (kratom_info.pagecache.cache.delete_generation_pages).
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
from django.dispatch import Signal
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


#: Sent once the transaction that recorded a public change (``public_content_changed``) has
#: committed, at once outside a transaction; no arguments beyond the sender. Whatever keeps a
#: copy of the public pages outside the page cache connects here (the static mirror does).
public_content_committed = Signal()

# (monotonic time until which ``known`` may be used, the generation last read or None)
_memo: tuple[float, Generation | None] = (0.0, None)
# The generation before the one known, if any: its pages are the last copies of pages not yet
# rendered again, served only when rendering fails because the database is unreachable.
_previous: Generation | None = None
# In the shared cache: {"current": Generation, "previous": Generation | None}.
SHARED_GENERATION_KEY = "pagecache:generation"
# Whether the last read failed (the failure and the recovery are logged once each).
_failing = False


def forget_generation() -> None:
    """Make this process read the generation again on its next request."""
    global _memo
    _memo = (0.0, _memo[1])


def public_content_changed(*, using: str = DEFAULT_DB_ALIAS, articles=()) -> None:
    """Record that something readers see has changed (a publish, an unpublish, a review date,
    an approved source change): every cached public page is fresh from the moment the calling
    transaction commits.

    Call it inside the transaction that makes the change, so that the new generation and the
    new content become visible together: a page cached under the new generation can only have
    been rendered from the new content.

    ``articles`` are the articles whose pages changed: shared caches in front of the site are
    sent purges for their pages and the lists (kratom_info/pagecache/purge.py) after the commit.
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
    transaction.on_commit(
        lambda: public_content_committed.send(sender=PublicContentGeneration), using=using
    )
    from kratom_info.pagecache.purge import purge_after_commit

    purge_after_commit(articles=articles, using=using)


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
    global _memo, _failing
    now = time.monotonic()
    valid_until, known = _memo
    if now < valid_until:
        return known
    ttl = settings.PAGE_CACHE_GENERATION_TTL
    try:
        generation = _read()
    except DatabaseError as error:
        if not _failing:  # once per outage, not every TTL
            logger.warning("Page cache: cannot read the public content generation: %s", error)
            _failing = True
        if not connection.in_atomic_block:
            connection.close()  # reconnect on the next use rather than reuse a broken socket
        if known is None:
            known = _shared_generation()
        _memo = (now + ttl, known)
        return known
    if _failing:
        logger.warning("Page cache: the public content generation is read again.")
        _failing = False
    if generation is not None and (known is None or known.token != generation.token):
        _share(generation, known)
    _memo = (now + ttl, generation)
    return generation


def known_generation() -> Generation | None:
    """The generation this process last read, else the one other processes shared; never asks
    the database (for when it is known to be down)."""
    _, known = _memo
    return known if known is not None else _shared_generation()


def previous_generation() -> Generation | None:
    """The generation before the current one, as far as this process knows."""
    return _previous


def _shared_generation() -> Generation | None:
    """The generation other processes last read, from the shared cache (None if none)."""
    global _previous
    from kratom_info.pagecache.cache import shared_get

    record = shared_get(SHARED_GENERATION_KEY)
    if not isinstance(record, dict):
        return None
    _previous = record.get("previous")
    return record.get("current")


def _share(generation: Generation, known: Generation | None) -> None:
    """Record ``generation`` (and the one it replaced) in the shared cache, on change only."""
    global _previous
    from kratom_info.pagecache.cache import delete_generation_pages, shared_get, shared_set

    record = shared_get(SHARED_GENERATION_KEY)
    shared = record.get("current") if isinstance(record, dict) else None
    if shared is not None and shared.token == generation.token:
        _previous = record.get("previous")
        return
    _previous = shared or known
    shared_set(SHARED_GENERATION_KEY, {"current": generation, "previous": _previous}, None)
    # Two generations are kept: this one and the one before it (the last copies of pages not
    # rendered since, for a database outage); the one before those is deleted.
    older = record.get("previous") if isinstance(record, dict) else None
    kept = {generation.token, _previous.token if _previous else ""}
    if older is not None and older.token not in kept:
        delete_generation_pages(older.token)
