"""Admin addresses from before a model moved to an app of its own (the app is in the address:
/admin/<app>/<model>/...), kept for bookmarks and links in old mail: each redirects
permanently to the same screen under the model's new app, query kept."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.encoding import iri_to_uri
from django.views.generic import RedirectView


class MovedAdminScreen(RedirectView):
    permanent = True
    changelist = ""  # the URL name of the model's list in its new app

    def get_redirect_url(self, *args, rest: str = "", **kwargs) -> str:
        # Built here, not through RedirectView's "%" formatting: the rest of the path may hold
        # "%" itself (bytes that were not UTF-8 stay percent-encoded).
        url = reverse(self.changelist) + iri_to_uri(rest)
        query = self.request.META.get("QUERY_STRING", "")
        return f"{url}?{query}" if query else url


def moved_admin_screens(old_app: str, new_app: str, model_name: str):
    """The URL pattern sending /admin/<old_app>/<model_name>/... to the same screen under
    /admin/<new_app>/<model_name>/...; list it before the admin site's own patterns."""
    view = MovedAdminScreen.as_view(changelist=f"admin:{new_app}_{model_name}_changelist")
    return path(
        f"admin/{old_app}/{model_name}/",
        include([path("", view), path("<path:rest>", view)]),
    )
