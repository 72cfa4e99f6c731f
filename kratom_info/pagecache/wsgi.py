"""Serve cached public pages before Django is entered.

Django's request cycle (request object, signals, a dozen middleware) costs more than sending a
stored page, so a hit is answered here, from the same cache entries the middleware writes and
with the same rules (generation, encoding, 304). A miss, any other method, or a host Django would
refuse goes to Django unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from kratom_info.pagecache.cache import page_get
from kratom_info.pagecache.generation import current_generation

MAX_REMEMBERED_HOSTS = 64
# Paths never answered from the cache, whatever it holds: the health app's probes
# (kratom_info.health.apps registers them; the cache sits below the apps and names none).
_DJANGO_ONLY_PATHS: set[str] = set()


def always_to_django(paths) -> None:
    """Hand ``paths`` (e.g. "/healthz") to Django every time, never from the cache."""
    _DJANGO_ONLY_PATHS.update(paths)


class PageCacheApplication:
    def __init__(self, application):
        self.application = application
        self._hosts: dict[str, bool] = {}

    def __call__(self, environ, start_response):
        if _is_django_only(environ):
            # /healthz and /readyz go straight to Django's first middleware: they must answer
            # whatever state the cache is in, and never from it.
            return self.application(environ, start_response)
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and self._may_serve(environ):
            generation = current_generation()
            if generation is not None:
                page = page_get(environ, generation)
                if page is not None:
                    status, headers, body = page.for_request(environ)
                    start_response(page.wsgi_status(status), headers)
                    return [body]
        return self.application(environ, start_response)

    def _may_serve(self, environ) -> bool:
        """What Django would check before any view: an allowed host, and HTTPS when
        SECURE_SSL_REDIRECT asks for it."""
        if settings.SECURE_SSL_REDIRECT and not _is_secure(environ):
            return False
        if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
            host = environ["HTTP_X_FORWARDED_HOST"]
        else:
            host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        allowed = self._hosts.get(host)
        if allowed is None:
            allowed_hosts = settings.ALLOWED_HOSTS
            if settings.DEBUG and not allowed_hosts:
                allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
            domain, _ = split_domain_port(host)
            allowed = bool(domain) and validate_host(domain, allowed_hosts)
            if len(self._hosts) < MAX_REMEMBERED_HOSTS:
                self._hosts[host] = allowed
        return allowed


def _is_django_only(environ) -> bool:
    return (environ.get("PATH_INFO", "").rstrip("/") or "/") in _DJANGO_ONLY_PATHS


def _is_secure(environ) -> bool:
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        if header in environ:
            return environ[header].split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"
