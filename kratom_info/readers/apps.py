from django.apps import AppConfig


class ReadersConfig(AppConfig):
    """Trust and discovery for readers: structured data, sitemap, feeds, search, the editorial
    policy page and error reports. Sits above articles, citations and editorial."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "kratom_info.readers"
    verbose_name = "Readers: search, feeds and error reports"

    def ready(self):
        from kratom_info.articles.signals import live_revision_changed
        from kratom_info.readers.search_index import search_index_update

        def update_search_index(sender, article_id, **kwargs):
            search_index_update(article_id=article_id)

        live_revision_changed.connect(
            update_search_index, dispatch_uid="readers.search_index", weak=False
        )
