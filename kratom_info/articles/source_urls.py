from django.urls import path, register_converter

from kratom_info.articles import source_views as views
from kratom_info.citations.models import KEY_PATTERN

# The namespace stays "citations" (citations:source_list, citations:source_detail): the names
# templates and Source.get_absolute_url use.
app_name = "citations"


class SourceKeyConverter:
    """A citation key as keys are written (KEY_PATTERN): anything else, a NUL byte included
    (which PostgreSQL refuses in a query), is no source, a 404."""

    regex = KEY_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SourceKeyConverter, "sourcekey")

urlpatterns = [
    path("", views.source_list, name="source_list"),
    path("<sourcekey:key>/", views.source_detail, name="source_detail"),
]
