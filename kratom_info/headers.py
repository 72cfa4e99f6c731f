"""Response headers Django's SecurityMiddleware does not set."""

from __future__ import annotations

from django.conf import settings


class CrossOriginResourcePolicyMiddleware:
    """``Cross-Origin-Resource-Policy`` (``settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY``) on
    every response, static files and cached pages included: another site's page cannot load
    ours as an image, script or frame resource (a QR code, a handout) in its readers'
    browsers. Links, feeds read by feed readers and search engines are unaffected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY
        if policy and "Cross-Origin-Resource-Policy" not in response:
            response["Cross-Origin-Resource-Policy"] = policy
        return response
