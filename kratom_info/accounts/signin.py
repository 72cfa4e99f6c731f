"""Sign-in helpers: the client's address that django-axes counts failed sign-ins by. (Who must
sign in with a second factor is editorial's rule: :mod:`kratom_info.editorial.second_factor`.)
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address for django-axes: the connection's, or, behind
    ``settings.TRUSTED_PROXY_COUNT`` proxies, the one the outermost trusted proxy saw (each
    proxy appends the address it received from to X-Forwarded-For; entries further left can
    be forged by the client)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
