"""Site-wide files that crawlers and browsers ask for at fixed addresses."""

from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request):
    """robots.txt: public pages allowed, admin and editorial not (print views say noindex)."""
    response = TemplateResponse(
        request,
        "robots.txt",
        {"site_url": settings.SITE_URL},
        content_type="text/plain; charset=utf-8",
    )
    patch_cache_control(response, public=True, max_age=86400)
    return response


@require_safe
def favicon_ico(request):
    """Browsers and feed readers that ignore the page's icon link ask for /favicon.ico."""
    response = redirect(static("favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response
