"""The shared page cache holds two generations' pages at most: the current one and the one
before it (the last copies, for a database outage). Older pages are deleted when a newer
generation is first seen. Against a real Redis and a real memcached (Debian's packages)."""

import pytest
from django.core.cache import caches

from kratom_info.pagecache.cache import index_key
from kratom_info.pagecache.generation import current_generation, public_content_changed
from kratom_info.settings import cache_from_url
from tests.factories import make_article, make_revision
from tests.load.daemons import memcached_server, redis_server

PAGES = ("/articles/dose/", "/", "/sources/")
ENCODINGS = ({}, {"accept-encoding": "gzip"})


@pytest.fixture(params=["redis", "memcached"])
def shared_cache(request, tmp_path, settings):
    start = redis_server if request.param == "redis" else memcached_server
    with start(tmp_path) as daemon:
        settings.CACHES = {"default": cache_from_url(daemon.url)}
        yield caches["default"]


def serve_every_page(client) -> str:
    """Request each page in each encoding (rendered and stored); the generation's token."""
    for path in PAGES:
        for headers in ENCODINGS:
            assert client.get(path, headers=headers).status_code == 200
    return current_generation().token


def stored_pages(cache, token: str) -> dict:
    """The pages the generation's index names that are still in the cache, by key."""
    counter = index_key(token)
    count = cache.get(counter) or 0
    keys = cache.get_many([f"{counter}:{n}" for n in range(1, count + 1)]).values()
    return cache.get_many(list(keys))


@pytest.mark.django_db
def test_pages_two_generations_old_are_deleted(shared_cache, client):
    make_revision(make_article("dose"), "Words.\n", publish=True)
    first = serve_every_page(client)
    assert len(stored_pages(shared_cache, first)) == len(PAGES) * len(ENCODINGS)

    public_content_changed()
    second = serve_every_page(client)
    # The one before the current generation is kept: its copies serve a database outage.
    assert len(stored_pages(shared_cache, first)) == len(PAGES) * len(ENCODINGS)
    assert len(stored_pages(shared_cache, second)) == len(PAGES) * len(ENCODINGS)
    first_keys = [shared_cache.get(f"{index_key(first)}:{n}") for n in range(1, len(PAGES) * 2 + 1)]

    public_content_changed()
    third = serve_every_page(client)
    assert len({first, second, third}) == 3
    assert shared_cache.get_many(first_keys) == {}, "pages two generations old are deleted"
    assert shared_cache.get(index_key(first)) is None, "and so is their index"
    assert len(stored_pages(shared_cache, second)) == len(PAGES) * len(ENCODINGS)
    assert len(stored_pages(shared_cache, third)) == len(PAGES) * len(ENCODINGS)


@pytest.mark.django_db
def test_a_repeated_page_is_indexed_once_per_store(shared_cache, client):
    """A hit stores nothing: the index grows with the misses only."""
    make_revision(make_article("dose"), "Words.\n", publish=True)
    for _ in range(3):
        assert client.get("/articles/dose/").status_code == 200
    assert shared_cache.get(index_key(current_generation().token)) == 1
