"""Compression of public pages at the highest quality, once per page per change.

django-compression-middleware compresses every response at quick settings (brotli quality 4),
the right choice for a page built for one reader. A public page is different: it is compressed
once, stored compressed in the page cache, and then sent to every reader until the next publish,
so the best compression (brotli 11, about 40 ms for the longest article instead of 2 ms; for
gzip, zopfli's encoder, about 4% smaller than zlib's best) is paid once and saves about a fifth
of every transfer. Everything else (admin, editorial screens,
error pages) keeps the library's quick settings.

A public page prefers brotli to zstd when the client accepts both (every current browser does):
at these settings brotli is the smaller of the two for HTML. The page cache keys its entries on
:func:`negotiated_encoding`, so a stored page always matches the encoding it was made with.
"""

from __future__ import annotations

import ctypes

import brotli
import zopfli.gzip
import zstandard
from compression_middleware.middleware import (
    MIN_IMPROVEMENT,
    MIN_LEN,
    CompressionMiddleware,
    brotli_compress,
    encoding_name,
    gzip_compress,
    zstd_compress,
)
from django.utils.cache import patch_vary_headers

BROTLI_QUALITY = 11
# One zopfli iteration: about 4% smaller than zlib's level 9 for the longest pages (about
# 50 ms each, like brotli 11); more iterations save a few bytes more for twice the time.
ZOPFLI_ITERATIONS = 1
ZSTD_LEVEL = 19


def _brotli(content: bytes) -> bytes:
    return brotli.compress(content, quality=BROTLI_QUALITY)


def _zstd(content: bytes) -> bytes:
    return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(content)


def _gzip(content: bytes) -> bytes:
    # zopfli writes MTIME 0: the same page gives the same bytes (and ETag-stable bodies).
    return zopfli.gzip.compress(content, numiterations=ZOPFLI_ITERATIONS)


def _malloc_trim():
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


_trim = _malloc_trim()


def release_free_memory() -> None:
    """Give the memory freed by a best-quality compression back to the system. glibc keeps
    freed memory for reuse, so without this a worker would keep the work buffers of every
    brotli 11 and zstd 19 compression it has made: about 3 MB of each worker's resident
    memory on the bundled site (issue 21). Called once per page stored, not per request;
    it takes well under a millisecond."""
    if _trim is not None:
        _trim(0)


# For a public page, in order of preference (the smallest first): the encoding, its best
# compression, and the library's quick one.
PUBLIC_COMPRESSORS = (
    ("br", _brotli, brotli_compress),
    ("zstd", _zstd, zstd_compress),
    ("gzip", _gzip, gzip_compress),
)


def public_compressor(accept_encoding: str, *, best: bool = True):
    """(encoding, compress function) for a public page, or (None, None): Accept-Encoding read
    as the library reads it (q=0 refuses, "*" takes the first choice), in this order."""
    accepted = {encoding_name(part) for part in accept_encoding[:200].split(",")}
    for encoding, best_compress, quick_compress in PUBLIC_COMPRESSORS:
        if encoding in accepted or "*" in accepted:
            return encoding, best_compress if best else quick_compress
    return None, None


def negotiated_encoding(accept_encoding: str) -> str:
    """The encoding a public page is sent in for this Accept-Encoding."""
    return public_compressor(accept_encoding)[0] or "identity"


class PublicPageCompressionMiddleware(CompressionMiddleware):
    """The library's middleware, with the best compression for pages the page cache stores:
    ``@public_page`` responses. One requested with a query string (a search, or any address
    with ``?anything`` appended) gets the library's quick settings, so made-up query strings
    cannot make the site spend 40 ms per request; it still takes its encoding in the public
    order, which the page cache's keys follow."""

    def process_response(self, request, response):
        public = getattr(response, "public_page", False)
        if not public or response.streaming or response.has_header("Content-Encoding"):
            return super().process_response(request, response)
        if len(response.content) < MIN_LEN:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        from kratom_info.pagecache.cache import page_query  # (cache imports this module)

        # A page with parameters it reads (a search) is one of many: quick compression. A
        # tracking tag is not: the page is the one cached for its clean address.
        best = not page_query(request.META)
        encoding, compress = public_compressor(
            request.META.get("HTTP_ACCEPT_ENCODING", ""), best=best
        )
        if encoding is None:
            return response
        compressed = compress(response.content)
        if best:
            release_free_memory()
        if len(compressed) >= len(response.content) - MIN_IMPROVEMENT:
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response["ETag"] = "W/" + etag
        response["Content-Encoding"] = encoding
        return response
