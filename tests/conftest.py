import os

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """Browser tests are marked automatically by folder."""
    for item in items:
        if f"{os.sep}browser{os.sep}" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page, a page cache in good health, and reads the
    generation afresh (the database is rolled back between tests, so generations can
    repeat)."""
    from django.core.cache import caches

    from kratom_info.pagecache.breaker import cache_breaker, forget_cache_state
    from kratom_info.pagecache.cache import forget_recent_pages
    from kratom_info.pagecache.generation import forget_generation

    for cache in caches.all():
        cache_breaker.call(cache.clear)  # a test may point the cache at nothing
    forget_cache_state()
    forget_recent_pages()
    forget_generation()
    yield
