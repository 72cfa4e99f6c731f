"""What a reader gets when the database cannot be reached while their page is rendered.

A public GET that fails on a dropped connection (a PostgreSQL restart, a failover) is retried
once on a fresh connection, after waiting up to ``DATABASE_RETRY_SECONDS`` for the database to
answer: a restart costs readers a short wait, not an error. If it still fails, the reader gets
the last copy of the page from the shared cache (under the generation before the current one,
marked stale), and only when there is none, a short 503 page with the help lines; never a
traceback, never a 500.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from kratom_info.pagecache.cache import page_key, shared_get
from kratom_info.pagecache.generation import Generation, previous_generation

logger = logging.getLogger(__name__)

# RFC 9111 (section 5.5, obsoleted but still understood): the copy is not the current one.
STALE_WARNING = '110 - "Response is Stale"'
RETRY_AFTER_SECONDS = 30
POLL_SECONDS = 0.1

# Monotonic time before which this process does not wait for the database again: during an
# outage one request per worker waits, the others get their answer at once.
_no_wait_until = 0.0
# When this process last logged a lost connection (at most one line per breaker period).
_logged_at = -1e9


def is_database_unreachable(error: BaseException) -> bool:
    """A lost or refused connection (OperationalError, InterfaceError), not a bad query."""
    return isinstance(error, (OperationalError, InterfaceError))


def _close_connections() -> None:
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            connection.connection = None  # already broken: forget it, reconnect on next use


def database_reconnected(path: str) -> bool:
    """Drop this thread's connections and wait (a bounded time) for the database to accept a
    new one, for a retry of the request for ``path``. False at once if a wait has just failed
    in this process."""
    global _no_wait_until, _logged_at
    if time.monotonic() - _logged_at >= settings.PAGE_CACHE_BREAKER_SECONDS:
        _logged_at = time.monotonic()
        logger.warning("Database unreachable for %s; retrying on a new connection.", path)
    _close_connections()
    now = time.monotonic()
    if now < _no_wait_until:
        return False
    deadline = now + settings.DATABASE_RETRY_SECONDS
    connection = connections["default"]
    while True:
        try:
            connection.ensure_connection()
            return True
        except DatabaseError as error:
            _close_connections()
            if time.monotonic() + POLL_SECONDS > deadline:
                _no_wait_until = time.monotonic() + settings.PAGE_CACHE_BREAKER_SECONDS
                logger.warning("Database unreachable; serving cached copies: %s", error)
                return False
        time.sleep(POLL_SECONDS)


def stale_copy(request, generation: Generation | None) -> HttpResponse | None:
    """The page as it was cached under the generation before ``generation``, if it is still in
    the shared cache (the current generation's copy was looked up before rendering)."""
    previous = previous_generation()
    if previous is None or (generation is not None and previous.token == generation.token):
        return None
    page = shared_get(page_key(request.META, previous))
    if page is None:
        return None
    response = page.as_response(request.META)
    response["Warning"] = STALE_WARNING
    return response


def unavailable_page(request) -> HttpResponse:
    """503: the page cannot be made now. Rendered from the template alone (no request context,
    no database), in the page's language."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            body = render_to_string("503.html")
        except Exception:  # noqa: BLE001 (e.g. no static manifest: still never a 500)
            logger.exception("The 503 page could not be rendered; sending the plain one.")
            body = render_to_string("500.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
