"""QR codes for short links, drawn with segno."""

from __future__ import annotations

import io

import segno
from django.utils.translation import gettext

# Level M survives a crease or a coffee ring (15 % of the code) and keeps the symbol small.
ERROR_LEVEL = "m"
QUIET_ZONE = 4  # modules of white border that scanners need


def _make(text: str) -> segno.QRCode:
    return segno.make(text, error=ERROR_LEVEL, micro=False, boost_error=False)


def _title(text: str) -> str:
    """The SVG's accessible name, in the page's language."""
    return gettext("QR code: %(address)s") % {"address": text}


def qr_svg(text: str) -> bytes:
    """A stand-alone SVG file encoding ``text``."""
    buffer = io.BytesIO()
    _make(text).save(
        buffer, kind="svg", scale=8, border=QUIET_ZONE, light="#fff", title=_title(text)
    )
    return buffer.getvalue()


def qr_png(text: str) -> bytes:
    """A PNG encoding ``text``, large enough to print sharply at 3 cm."""
    buffer = io.BytesIO()
    _make(text).save(buffer, kind="png", scale=10, border=QUIET_ZONE)
    return buffer.getvalue()


def qr_svg_inline(text: str) -> str:
    """An <svg> element for embedding in HTML; sized by CSS through its viewBox."""
    return _make(text).svg_inline(
        scale=1, border=QUIET_ZONE, light="#fff", omitsize=True, svgclass="qr-code", lineclass=None,
        title=_title(text),
    )  # fmt: skip
