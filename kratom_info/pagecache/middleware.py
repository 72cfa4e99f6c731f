"""The page cache inside Django: first in MIDDLEWARE, so it stores each public page exactly as it
leaves the stack (security headers set, body compressed) and serves it back from there.

It also answers for the database: a GET whose view fails because the database is unreachable is
retried once on a fresh connection, then served from the last cached copy or as a short 503
(kratom_info/pagecache/outage.py)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from kratom_info.pagecache.cache import CachedPage, is_storable, page_get, page_set
from kratom_info.pagecache.generation import current_generation
from kratom_info.pagecache.outage import (
    database_reconnected,
    is_database_unreachable,
    stale_copy,
    unavailable_page,
)

IDEMPOTENT_METHODS = ("GET", "HEAD")
SECURITY_HEADERS = frozenset(
    {
        "content-security-policy",
        "cross-origin-opener-policy",
        "referrer-policy",
        "strict-transport-security",
        "x-content-type-options",
        "x-frame-options",
    }
)

logger = logging.getLogger(__name__)


class PageCacheMiddleware:
    """Serve and store pages marked with ``@public_page``; answer their conditional requests
    with 304. Every other response that says nothing about caching becomes
    ``private, no-store`` (the admin, the editorial screens, error pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        generation = None
        # As Django would before any view: refuse a bad Host (DisallowedHost is a 400), and
        # leave plain HTTP to SecurityMiddleware's redirect when HTTPS is required.
        if request.method in ("GET", "HEAD") and request.get_host() and not self._to_https(request):
            generation = current_generation()
            request.page_generation = generation
            if generation is not None:
                page = page_get(request.META, generation)
                if page is not None:
                    return page.as_response(request.META)
        response = self._response_despite_the_database(request, generation)
        if getattr(response, "public_page", False):
            if not is_storable(response):
                if response.cookies or "cookie" in response.get("Vary", "").lower():
                    logger.error(
                        "Public page %s set or read a cookie; it is not cached.", request.path
                    )
                    del response["Cache-Control"]  # drop public, s-maxage and the rest
                    add_never_cache_headers(response)
                return response
            page = CachedPage.from_response(response)
            if generation is not None:
                page_set(request.META, generation, page)
            if page.is_not_modified(request.META):
                return page.as_response(request.META)
        elif not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    def _response_despite_the_database(self, request, generation):
        request.database_failure = None
        response = self.get_response(request)
        if request.database_failure is None:
            return response
        if database_reconnected(request.path):
            request.database_failure = None
            response = self.get_response(request)
            if request.database_failure is None:
                return response
        answer = stale_copy(request, generation) or unavailable_page(request)
        # The security headers the stack gave the failed answer (a stale copy has its own).
        for name, value in response.items():
            if name.lower() in SECURITY_HEADERS and not answer.has_header(name):
                answer[name] = value
        return answer

    def process_exception(self, request, exception):
        """A view (or its template) of a GET failed on the database connection: note it for
        the retry above, instead of letting it become a 500."""
        if request.method in IDEMPOTENT_METHODS and is_database_unreachable(exception):
            request.database_failure = exception
            return HttpResponse(status=503)  # replaced by the retry, the copy or the 503 page
        return None

    @staticmethod
    def _to_https(request) -> bool:
        return settings.SECURE_SSL_REDIRECT and not request.is_secure()
