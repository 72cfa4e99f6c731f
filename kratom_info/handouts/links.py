"""Absolute URLs on the configured public address (settings.SITE_URL).

Anything that leaves the site (QR codes now; feeds and metadata later) builds its URL here,
never from the request's Host header, so that a printed code names the real public site.
"""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (starting with /) on the public site address."""
    if not path.startswith("/"):
        raise ValueError(f"expected a path starting with '/', got {path!r}")
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def without_scheme(url: str) -> str:
    """How an address is printed for typing: browsers add https:// themselves."""
    return url.split("://", 1)[-1]
