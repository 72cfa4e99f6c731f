from django.apps import AppConfig


class ReadersConfig(AppConfig):
    """Trust and discovery for readers: structured data, sitemap, feeds, search, the editorial
    policy page and error reports. Sits above articles, citations and editorial."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "kratom_info.readers"
    verbose_name = "Readers: search, feeds and error reports"
