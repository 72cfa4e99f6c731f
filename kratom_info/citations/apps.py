from django.apps import AppConfig


class CitationsConfig(AppConfig):
    name = "kratom_info.citations"
    verbose_name = "Citations and sources"

    def ready(self):
        from kratom_info.citations.signals import source_public_changed
        from kratom_info.pagecache.purge import purge_source_pages

        # Shared caches in front of the site drop a source's pages once its change committed.
        source_public_changed.connect(purge_source_pages, dispatch_uid="pagecache_purge_source")
