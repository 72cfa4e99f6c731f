"""``@public_page``: the one decorator every public view wears."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from kratom_info.pagecache.cache import STORABLE_STATUSES, last_modified_header
from kratom_info.pagecache.generation import current_generation
from kratom_info.pagecache.purge import tag_response

ONE_YEAR = 365 * 24 * 60 * 60


def public_page(view=None, *, permanent: bool = False, query: tuple[str, ...] = ()):
    """Mark a view's page as public: the same for every reader, cached whole by
    :class:`~kratom_info.pagecache.middleware.PageCacheMiddleware` and by any shared cache or CDN.

    Its 200, 301, 302, 307 and 308 answers get an ETag (a hash of the page), Last-Modified
    (the page's own, set by the view with :func:`page_last_modified`; else when public content
    last changed), ``Vary: Accept-Encoding`` and ``Cache-Control: public``
    with the site's short ``max-age``, a longer ``s-maxage`` for shared caches, and
    ``stale-while-revalidate``/``stale-if-error``. ``permanent=True`` is for answers that never
    change for their URL (a pinned short link, a QR code): a year, immutable.

    ``query`` names the query parameters the view reads (search's ``q`` and ``page``): the
    page cache keys the page on those alone, so any other parameter (``?utm_source=``,
    ``?fbclid=``) is the same page and the same cache entry. A view that reads a parameter must
    list it here.

    A public page must not read the session or set a cookie; the middleware refuses to cache
    one that does and makes it private instead.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            response = view_func(request, *args, **kwargs)
            if getattr(response, "is_rendered", True) is False:
                response.render()  # e.g. the sitemap view's TemplateResponse: tag what is sent
            if response.status_code in STORABLE_STATUSES and not response.streaming:
                mark_public(response, request=request, permanent=permanent)
            return response

        wrapped.page_query_parameters = tuple(query)
        return wrapped

    return decorator(view) if view is not None else decorator


def mark_public(response, *, request, permanent: bool = False) -> None:
    if permanent:
        patch_cache_control(response, public=True, max_age=ONE_YEAR, immutable=True)
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_MAX_AGE,
            s_maxage=settings.PAGE_CACHE_S_MAXAGE,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
            stale_if_error=settings.PAGE_CACHE_STALE_IF_ERROR,
        )
    patch_vary_headers(response, ["Accept-Encoding"])
    if response.status_code == 200:
        if not response.has_header("ETag"):
            # Weak: the gzip, brotli and plain bytes of one page are the same page. SHA-256,
            # cut to 128 bits: processors hash it in hardware, twice as fast as BLAKE2 here.
            digest = hashlib.sha256(response.content).hexdigest()[:32]
            response["ETag"] = f'W/"{digest}"'
        generation = getattr(request, "page_generation", None) or current_generation()
        if generation is not None and not response.has_header("Last-Modified"):
            response["Last-Modified"] = last_modified_header(generation)
            # Dated by the latest public change, not by what it shows: the static export
            # (kratom_info/mirror) dates the page's file anew after each change.
            response.dated_by_public_change = True
    tag_response(response, request)
    response.public_page = True


def page_last_modified(response, changed_at: datetime | None):
    """Give a public page its own Last-Modified: when what it shows last changed (its
    versions' dates, derived by the view like the ETag is from the page), so a publish
    elsewhere leaves its ``If-Modified-Since`` answered 304. A change the dates cannot see (a
    new template) still changes the ETag, which clients send and which wins (RFC 9110)."""
    if changed_at is not None:
        response["Last-Modified"] = http_date(changed_at.timestamp())
    return response
