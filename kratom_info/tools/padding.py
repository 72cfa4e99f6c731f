"""Every answer of the warning-signs check has the same size on the wire.

The result page's length depends on the answers (how many signs, which ones), and servers
and proxies log each response's size next to the client's address and the time: the size
alone would tell how someone answered. So every response of the check (the questions, the
form sent back incomplete, the result), in either language, is padded to one fixed size:
``PADDED_SIZE`` bytes uncompressed, and ``COMPRESSED_PADDED_SIZE`` bytes when the browser
accepts zstd, brotli or gzip. The check compresses its own responses so that the padding
survives compression, in each format's own way of carrying bytes that decode to nothing:

- gzip: the header's comment field (RFC 1952, FCOMMENT);
- brotli: a metadata meta-block (RFC 7932, section 9.2), after the byte-aligning flush;
- zstd: a skippable frame after the data frame (RFC 8878, section 3.1.2).

A response larger than its target (the check's texts would have to grow several times over)
is padded to the next multiple of it: still the same size for every answer that fits.
"""

from __future__ import annotations

import zlib

import brotli
import zstandard
from compression_middleware.middleware import compressor
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

PADDED_SIZE = 32 * 1024
COMPRESSED_PADDED_SIZE = 12 * 1024
GZIP_LEVEL = 6
BROTLI_QUALITY = 5
ZSTD_LEVEL = 6

_HTML_PAD_OPEN, _HTML_PAD_CLOSE = b"\n<!-- ", b" -->\n"
_ZSTD_SKIPPABLE_MAGIC = (0x184D2A50).to_bytes(4, "little")


def _target(size: int, block: int) -> int:
    """The smallest multiple of ``block`` that holds ``size`` bytes (at least one block)."""
    return max(1, -(-size // block)) * block


def pad_html(body: bytes, size: int = PADDED_SIZE) -> bytes:
    """``body`` with an HTML comment of spaces after it, ``size`` bytes in all."""
    overhead = len(_HTML_PAD_OPEN) + len(_HTML_PAD_CLOSE)
    total = _target(len(body) + overhead, size)
    return body + _HTML_PAD_OPEN + b" " * (total - len(body) - overhead) + _HTML_PAD_CLOSE


def gzip_padded(body: bytes, size: int = COMPRESSED_PADDED_SIZE) -> bytes:
    """A gzip member of ``body`` whose header comment pads it to ``size`` bytes."""
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    data = deflate.compress(body) + deflate.flush()
    # ID1 ID2, deflate, FLG=FCOMMENT, MTIME 0 (the same bytes every time), XFL 0, OS unknown.
    header = b"\x1f\x8b\x08\x10\x00\x00\x00\x00\x00\xff"
    trailer = zlib.crc32(body).to_bytes(4, "little") + (len(body) % 2**32).to_bytes(4, "little")
    fixed = len(header) + 1 + len(data) + len(trailer)  # + 1: the comment's closing NUL
    comment = b" " * (_target(fixed, size) - fixed)
    return header + comment + b"\x00" + data + trailer


def _brotli_skip_bytes(length: int) -> int:
    """MSKIPBYTES for ``length`` bytes of metadata: the fewest bytes that hold length - 1."""
    return 0 if length == 0 else max(1, -(-(length - 1).bit_length() // 8))


def _brotli_metadata(length: int) -> bytes:
    """A brotli metadata meta-block carrying ``length`` spaces, starting and ending on a byte
    boundary: ISLAST 0, MNIBBLES 0 (the code 3), a reserved 0 bit, MSKIPBYTES, then
    MSKIPLEN - 1 in that many bytes, zero bits to the byte boundary, then the bytes. Its
    header is 1 + MSKIPBYTES bytes."""
    skip_bytes = _brotli_skip_bytes(length)
    bits = (3 << 1) | (skip_bytes << 4) | (max(length - 1, 0) << 6)
    return bits.to_bytes(1 + skip_bytes, "little") + b" " * length


def _brotli_padding(needed: int) -> bytes:
    """Metadata meta-blocks of exactly ``needed`` bytes (at least 1). Where no one block fits
    (its header grows a byte at 257 and 65,537 bytes), an empty block takes the odd byte."""
    if needed == 1:
        return _brotli_metadata(0)
    for header in (2, 3, 4):
        length = needed - header
        if length > 0 and 1 + _brotli_skip_bytes(length) == header:
            return _brotli_metadata(length)
    return _brotli_metadata(0) + _brotli_padding(needed - 1)


def brotli_padded(body: bytes, size: int = COMPRESSED_PADDED_SIZE) -> bytes:
    """A brotli stream of ``body`` with metadata padding it to ``size`` bytes."""
    stream = brotli.Compressor(quality=BROTLI_QUALITY)
    data = stream.process(body) + stream.flush()  # the flush ends on a byte boundary
    end = stream.finish()
    fixed = len(data) + len(end)
    return data + _brotli_padding(_target(fixed + 1, size) - fixed) + end


def zstd_padded(body: bytes, size: int = COMPRESSED_PADDED_SIZE) -> bytes:
    """A zstd frame of ``body`` followed by a skippable frame padding it to ``size`` bytes."""
    data = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(body)
    fixed = len(data) + len(_ZSTD_SKIPPABLE_MAGIC) + 4
    length = _target(fixed, size) - fixed
    return data + _ZSTD_SKIPPABLE_MAGIC + length.to_bytes(4, "little") + b" " * length


PADDED_COMPRESSORS = {"gzip": gzip_padded, "br": brotli_padded, "zstd": zstd_padded}


def pad_response(request, response: HttpResponse) -> HttpResponse:
    """Pad ``response`` (HTML) to the fixed size, compressed in the encoding the request
    accepts (the site's order: zstd, brotli, gzip) or not at all. Marked ``no-transform`` so
    that no proxy recompresses it to a size of its own."""
    body = pad_html(response.content)
    encoding = compressor(request.META.get("HTTP_ACCEPT_ENCODING", ""))[0]
    if encoding in PADDED_COMPRESSORS:
        response.content = PADDED_COMPRESSORS[encoding](body)
        response["Content-Encoding"] = encoding  # the site's compression then leaves it alone
    else:
        response.content = body
    response["Content-Length"] = str(len(response.content))
    patch_vary_headers(response, ("Accept-Encoding",))
    cache_control = response.get("Cache-Control", "")
    if "no-transform" not in cache_control:
        response["Cache-Control"] = (
            f"{cache_control}, no-transform" if cache_control else ("no-transform")
        )
    return response
