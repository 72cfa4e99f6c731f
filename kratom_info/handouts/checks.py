"""System checks for the public site address that printed QR codes and short links carry."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_site_url(app_configs=None, **kwargs) -> list[Error]:
    """With DEBUG off, SITE_URL must be an absolute https address without a path: it is printed
    on paper (QR codes, short links) and cannot be corrected afterwards."""
    if settings.DEBUG:
        return []
    value = getattr(settings, "SITE_URL", "")
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        return [
            Error(
                f"SITE_URL {value!r} is not an absolute https address.",
                hint="Set DJANGO_SITE_URL to the public address, e.g. https://kratom.example.org",
                id="handouts.E001",
            )
        ]
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return [
            Error(
                f"SITE_URL {value!r} must be only scheme and host, without a path or query.",
                hint="Short links are built as SITE_URL + /h/<code>; drop the rest.",
                id="handouts.E002",
            )
        ]
    return []
