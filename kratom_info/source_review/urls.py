"""The source-change screens' addresses from before they had an app of their own
(/admin/editorial/sourcechange/...), kept for bookmarks and links in old mail: each redirects
permanently to the same screen under /admin/source_review/sourcechange/."""

from django.urls import path, reverse
from django.views.generic import RedirectView


class MovedSourceChangeScreen(RedirectView):
    permanent = True
    query_string = True

    def get_redirect_url(self, *args, rest: str = "", **kwargs) -> str:
        self.url = reverse("admin:source_review_sourcechange_changelist") + rest
        return super().get_redirect_url()


urlpatterns = [
    path("", MovedSourceChangeScreen.as_view()),
    path("<path:rest>", MovedSourceChangeScreen.as_view()),
]
