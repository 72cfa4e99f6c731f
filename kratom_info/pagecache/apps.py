from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.models.signals import post_migrate


class PageCacheConfig(AppConfig):
    name = "kratom_info.pagecache"
    verbose_name = "Page cache"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_new_release, sender=self)
        setting_changed.connect(_settings_changed)


def _new_release(using, **kwargs) -> None:
    """``migrate`` is the release step: a new release may render every page differently
    (templates, code), so no page cached by the previous one is served again, even from a
    shared cache that outlives the deploy."""
    from django.db import connections

    from kratom_info.pagecache.generation import public_content_changed
    from kratom_info.pagecache.models import PublicContentGeneration

    # Not after "migrate pagecache zero", which removes the table.
    if PublicContentGeneration._meta.db_table in connections[using].introspection.table_names():
        public_content_changed(using=using)


def _settings_changed(**kwargs) -> None:
    """Only tests change settings while running: forget pages rendered with the old ones."""
    from kratom_info.pagecache.breaker import cache_breaker, forget_cache_state
    from kratom_info.pagecache.cache import forget_recent_pages, page_cache
    from kratom_info.pagecache.generation import forget_generation

    cache_breaker.call(lambda: page_cache().clear())
    forget_cache_state()  # whatever the old cache did, the new one starts in good health
    forget_recent_pages()
    forget_generation()
