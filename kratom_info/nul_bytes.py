"""Addresses with a NUL byte are refused before any view reads them.

No page of the site has a NUL (``%00``) in its path or query string; PostgreSQL refuses the
character in any text it is asked to compare (a DataError, so a 500 from a query the view did
not expect to fail: the admin's list filters, for one). A 400 names the problem instead.
"""

from __future__ import annotations

from urllib.parse import unquote

from django.http import HttpResponseBadRequest


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if "\x00" in request.path_info or "\x00" in query:
            return HttpResponseBadRequest(
                "The address holds a NUL character (%00), which no page of this site has.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
