"""Short links, QR codes, handouts and the clinics page.

Mounted at the site root before the articles URLs. Every one of these addresses may be printed
on paper: never change what they mean.
"""

from django.urls import path, register_converter

import kratom_info.converters  # noqa: F401 (registers <number:...>)
from kratom_info.handouts import views

app_name = "handouts"


class TypedCodeConverter:
    """Anything in one path segment: the view normalises it (case, spaces, dashes) and answers an
    unknown code with a helpful 404 instead of the generic one."""

    regex = r"[^/]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class QrFormatConverter:
    regex = r"svg|png"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TypedCodeConverter, "shortcode")
register_converter(QrFormatConverter, "qrformat")

urlpatterns = [
    # People type these from paper, with or without a trailing slash.
    path("h/<shortcode:code>", views.short_link_live, name="live"),
    path("h/<shortcode:code>/", views.short_link_live),
    path("h/<shortcode:code>/qr.<qrformat:fmt>", views.qr_live, name="live_qr"),
    path("h/<shortcode:code>/<number:number>", views.short_link_pinned, name="pinned"),
    path("h/<shortcode:code>/<number:number>/", views.short_link_pinned),
    path("h/<shortcode:code>/<number:number>/qr.<qrformat:fmt>", views.qr_pinned, name="pinned_qr"),
    path("articles/<slug:slug>/handout/", views.handout_live, name="handout"),
    path(
        "articles/<slug:slug>/v<number:number>/handout/",
        views.handout_version,
        name="handout_version",
    ),
    path("clinics/", views.clinics, name="clinics"),
    path("clinics/print/", views.clinics_print, name="clinics_print"),
]
