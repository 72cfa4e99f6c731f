"""Whole public pages in Django's cache framework, keyed on what decides their bytes.

A key is (generation, negotiated content encoding, path, and the query parameters the page's view
reads: its ``@public_page(query=...)`` allowlist; any other parameter, such as a campaign tag or a
click id, is left out, so it cannot make a new entry). An entry holds the
final response exactly as it left the middleware stack (status, headers, and the body already
compressed for that encoding), so a hit does no work beyond one cache read. The same functions
serve hits in :class:`~kratom_info.pagecache.middleware.PageCacheMiddleware` and, before Django
is entered at all, in :class:`~kratom_info.pagecache.wsgi.PageCacheApplication`; a miss there
is remembered in the request, so a miss costs one read of the shared cache, not two.

Every call to the cache goes through :data:`~kratom_info.pagecache.breaker.cache_breaker`: a cache
that fails, hangs or is full is a miss, and the page is rendered.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from kratom_info.pagecache.breaker import cache_breaker
from kratom_info.pagecache.compression import negotiated_encoding
from kratom_info.pagecache.generation import Generation

# What a cached page may be: a page, or a short link's redirect.
STORABLE_STATUSES = frozenset({200, 301, 302, 307, 308})
# Headers a 304 repeats (RFC 9110, section 15.4.5).
NOT_MODIFIED_HEADERS = frozenset(
    {"cache-control", "content-location", "etag", "expires", "last-modified", "vary"}
)
# Set in the WSGI environ when the fast path missed: the key it looked up, so the middleware
# does not read the shared cache a second time for the same request.
MISSED_KEY = "kratom_info.page_cache_missed"
# Paths whose allowlist of query parameters each process remembers.
QUERY_MEMORY = 1024
# Pages of a superseded generation deleted per multi-key call.
INDEX_CHUNK = 500


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def page_key(meta: Mapping[str, str], generation: Generation | str) -> str:
    """The cache key of the request described by ``meta`` (a WSGI environ or request.META),
    under ``generation`` (or a generation's token)."""
    token = generation if isinstance(generation, str) else generation.token
    target = f"{meta.get('SCRIPT_NAME', '')}{meta.get('PATH_INFO', '')}?{page_query(meta)}"
    digest = hashlib.blake2b(target.encode("utf-8", "surrogateescape"), digest_size=16)
    encoding = negotiated_encoding(meta.get("HTTP_ACCEPT_ENCODING", ""))
    return f"page:{token}:{encoding}:{digest.hexdigest()}"


def page_query(meta: Mapping[str, str]) -> str:
    """The part of the query string the page depends on: the parameters its view reads (the
    view's ``@public_page(query=...)``), sorted, nothing else."""
    query_string = meta.get("QUERY_STRING", "")
    if not query_string:
        return ""
    allowed = query_parameters(meta.get("PATH_INFO", ""))
    if not allowed:
        return ""
    kept = [(k, v) for k, v in parse_qsl(query_string, keep_blank_values=True) if k in allowed]
    return urlencode(sorted(kept))


@functools.lru_cache(maxsize=QUERY_MEMORY)
def query_parameters(path: str) -> frozenset[str]:
    """The query parameters the view at ``path`` reads (none for an unknown path). The language
    comes from the path, as PathLanguageMiddleware takes it, since /es/ resolves only in
    Spanish."""
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return frozenset()
    return frozenset(getattr(match.func, "page_query_parameters", ()))


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str | None
    last_modified: int | None  # Unix time, whole seconds

    @classmethod
    def from_response(cls, response: HttpResponse) -> CachedPage:
        last_modified = response.get("Last-Modified")
        return cls(
            status=response.status_code,
            headers=tuple(response.items()),
            body=response.content,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        )

    def is_not_modified(self, meta: Mapping[str, str]) -> bool:
        """Whether the request's validators match: If-None-Match first, and If-Modified-Since
        only without it (RFC 9110, section 13.2.2). Only for 200 pages."""
        if self.status != 200:
            return False
        if_none_match = meta.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            if self.etag is None:
                return False
            tags = parse_etags(if_none_match)
            return "*" in tags or _opaque(self.etag) in {_opaque(tag) for tag in tags}
        if_modified_since = meta.get("HTTP_IF_MODIFIED_SINCE")
        if if_modified_since and self.last_modified is not None:
            since = parse_http_date_safe(if_modified_since)
            return since is not None and self.last_modified <= since
        return False

    def for_request(self, meta: Mapping[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
        """(status, headers, body) to send: the page, or a 304 with no body; no body for HEAD."""
        if self.is_not_modified(meta):
            headers = [(k, v) for k, v in self.headers if k.lower() in NOT_MODIFIED_HEADERS]
            return 304, headers, b""
        body = b"" if meta.get("REQUEST_METHOD") == "HEAD" else self.body
        return self.status, list(self.headers), body

    def wsgi_status(self, status: int) -> str:
        return f"{status} {HTTPStatus(status).phrase}"

    def as_response(self, meta: Mapping[str, str]) -> HttpResponse:
        status, headers, body = self.for_request(meta)
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response[name] = value
        return response


def _opaque(tag: str) -> str:
    """Weak comparison (RFC 9110, section 8.8.3.2): ignore the W/ prefix."""
    return tag.removeprefix("W/")


class _RecentPages:
    """This process's most recently served pages of the current generation, by the raw request
    line parts: a repeat request costs one dict lookup, with no key to hash, nothing to
    unpickle and no round trip to a shared cache. Emptied when the generation changes and when
    full, so it never holds more than ``MAX_RECENT_PAGES`` pages, and when the shared cache
    comes back after failing: a page rendered meanwhile was never stored there, and served from
    here it would never be."""

    def __init__(self):
        self.token = ""
        self.recoveries = cache_breaker.recoveries
        self.pages: dict[tuple[str, str, str, str], CachedPage] = {}

    def _follow(self, generation: Generation) -> None:
        if (generation.token, cache_breaker.recoveries) != (self.token, self.recoveries):
            self.pages, self.token = {}, generation.token
            self.recoveries = cache_breaker.recoveries

    @staticmethod
    def handle(meta: Mapping[str, str]) -> tuple[str, str, str, str]:
        return (
            meta.get("SCRIPT_NAME", ""),
            meta.get("PATH_INFO", ""),
            meta.get("QUERY_STRING", ""),
            meta.get("HTTP_ACCEPT_ENCODING", ""),
        )

    def get(self, meta: Mapping[str, str], generation: Generation) -> CachedPage | None:
        self._follow(generation)
        return self.pages.get(self.handle(meta))

    def remember(self, meta: Mapping[str, str], generation: Generation, page: CachedPage):
        self._follow(generation)
        if len(self.pages) >= settings.PAGE_CACHE_RECENT_PAGES:
            self.pages = {}
        self.pages[self.handle(meta)] = page


_recent = _RecentPages()


def forget_recent_pages() -> None:
    global _recent
    _recent = _RecentPages()
    query_parameters.cache_clear()


# Set while this thread renders pages for the static export (kratom_info/mirror).
_bypass = threading.local()


@contextmanager
def bypassing_page_cache():
    """Render each page afresh in this thread, neither reading nor storing cached copies: the
    static export wants what the view makes now (and would only crowd the shared cache)."""
    _bypass.active = True
    try:
        yield
    finally:
        _bypass.active = False


def page_get(meta: Mapping[str, str], generation: Generation) -> CachedPage | None:
    if meta.get("REQUEST_METHOD") not in ("GET", "HEAD") or getattr(_bypass, "active", False):
        return None
    page = _recent.get(meta, generation)
    if page is None:
        key = page_key(meta, generation)
        if meta.get(MISSED_KEY) == key:
            return None  # the fast path has just looked
        page = shared_get(key)
        if page is not None:
            _recent.remember(meta, generation, page)
        elif isinstance(meta, dict):
            meta[MISSED_KEY] = key
    return page


def page_set(meta: Mapping[str, str], generation: Generation, page: CachedPage) -> None:
    if getattr(_bypass, "active", False):
        return
    key = page_key(meta, generation)
    cache_breaker.call(lambda: _store_indexed(key, generation.token, page), write=True)
    _recent.remember(meta, generation, page)


def index_key(token: str) -> str:
    """The counter of the pages stored under generation ``token``; page number n's key is
    stored at ``{index_key(token)}:{n}``, so that the generation's pages can be found and
    deleted once it is superseded (:func:`delete_generation_pages`)."""
    return f"pagecache:index:{token}"


def _store_indexed(key: str, token: str, page: CachedPage) -> None:
    """Store ``page`` at ``key`` and its key in the generation's index: an increment and one
    multi-key write (besides the store itself), only on a miss."""
    cache, counter = page_cache(), index_key(token)
    timeout = settings.PAGE_CACHE_TIMEOUT
    try:
        number = cache.incr(counter)
    except ValueError:  # the generation's first page (or its counter expired)
        number = 1 if cache.add(counter, 1, timeout) else cache.incr(counter)
    cache.set_many({key: page, f"{counter}:{number}": key}, timeout)


def delete_generation_pages(token: str) -> None:
    """Delete every page stored under generation ``token`` and its index, a few round trips
    per INDEX_CHUNK pages. A page stored under it after this (by a process that has not yet
    seen the change, within PAGE_CACHE_GENERATION_TTL) expires after PAGE_CACHE_TIMEOUT."""

    def delete() -> None:
        cache, counter = page_cache(), index_key(token)
        count = cache.get(counter)
        count = count if isinstance(count, int) else 0
        for start in range(1, count + 1, INDEX_CHUNK):
            slots = [f"{counter}:{n}" for n in range(start, min(count + 1, start + INDEX_CHUNK))]
            cache.delete_many([*cache.get_many(slots).values(), *slots])
        cache.delete(counter)

    cache_breaker.call(delete, write=True)


def shared_get(key: str):
    """The shared cache's entry for ``key``, or None: missing, evicted or the cache failing."""
    return cache_breaker.call(lambda: page_cache().get(key))


def shared_set(key: str, value, timeout: float | None) -> None:
    """Store ``value`` if the cache takes it; a cache that refuses or fails is not an error."""
    cache_breaker.call(lambda: page_cache().set(key, value, timeout), write=True)


def is_storable(response: HttpResponse) -> bool:
    """A public page that is the same for everyone: no cookie set, none read."""
    return (
        getattr(response, "public_page", False)
        and response.status_code in STORABLE_STATUSES
        and not response.streaming
        and not response.cookies
        and "cookie" not in response.get("Vary", "").lower()
    )


def last_modified_header(generation: Generation) -> str:
    return http_date(generation.last_modified)
