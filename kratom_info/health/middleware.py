"""Liveness and readiness probes: ``/healthz`` and ``/readyz``.

Answered here, first in MIDDLEWARE, rather than through the URLconf: load balancers, Docker's
HEALTHCHECK and orchestrators probe over plain http using the container's own address as the
Host, so these two paths must not be redirected to https nor refused by ALLOWED_HOSTS, and the
liveness probe must not touch the database, sessions or templates.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

from kratom_info.health.readiness import readiness


def healthz() -> HttpResponse:
    """The process is up and answering; nothing else is checked."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def readyz() -> HttpResponse:
    """200 when this server can serve readers (kratom_info/health/readiness.py), 503 when it
    cannot; the JSON body names each component's state either way."""
    state = readiness()
    body = {"status": state.status, "database": state.database, "cache": state.cache}
    if state.problem:
        body["reason"] = state.problem
    return JsonResponse(body, status=200 if state.ready else 503)


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = probe()
        add_never_cache_headers(response)
        return response
