"""The page cache is bounded: a page is keyed only on what its view reads, and a miss costs one
read of the shared cache."""

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory, TestCase, override_settings

from kratom_info.pagecache.cache import page_key, page_query
from kratom_info.pagecache.generation import Generation, current_generation
from kratom_info.pagecache.wsgi import PageCacheApplication
from kratom_info.wsgi import django_application
from tests.factories import make_article, make_revision
from tests.pagecache.test_wsgi import call, keep_connection_through_requests


class CountingLocMemCache(LocMemCache):
    """Django's local-memory cache, counting the reads it is asked for."""

    reads = 0

    def get(self, key, default=None, version=None):
        CountingLocMemCache.reads += 1
        return super().get(key, default, version)


def entries() -> int:
    return len(caches["default"]._cache)


class QueryKeyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_revision(make_article("dose"), "Words about doses.\n", publish=True)

    def meta(self, path):
        return RequestFactory().get(path).META

    def test_parameters_the_view_does_not_read_make_no_new_entry(self):
        """500 campaign tags on an article are one cached page (the issue measured 504 keys)."""
        clean = self.client.get("/articles/dose/").content
        before = entries()
        for n in range(500):
            response = self.client.get(f"/articles/dose/?utm_source=x{n}&fbclid={n}")
            self.assertEqual(response.content, clean)
        self.assertEqual(entries(), before)

    def test_search_is_keyed_on_its_words_and_page_only(self):
        """search reads q and page: each pair is its own page, in any order, with any tags."""
        generation = Generation("t", current_generation().changed_at)
        key = lambda path: page_key(self.meta(path), generation)  # noqa: E731
        self.assertNotEqual(key("/search/?q=dose"), key("/search/?q=tolerance"))
        self.assertNotEqual(key("/search/?q=dose"), key("/search/?q=dose&page=2"))
        self.assertEqual(key("/search/?page=2&q=dose"), key("/search/?q=dose&page=2&utm=a"))
        self.assertEqual(key("/es/search/?q=dosis&ref=x"), key("/es/search/?q=dosis"))
        self.assertEqual(page_query(self.meta("/articles/dose/?q=x")), "")
        self.assertEqual(page_query(self.meta("/sitemap.xml?p=2&x=1")), "p=2")

    def test_home_and_sitemap_files_are_keyed_on_their_page_number(self):
        """The home page reads ?page=N and the sitemap files ?p=N: each page is its own entry."""
        generation = Generation("t", current_generation().changed_at)
        key = lambda path: page_key(self.meta(path), generation)  # noqa: E731
        self.assertNotEqual(key("/"), key("/?page=2"))
        self.assertEqual(key("/?page=2"), key("/?page=2&utm_source=x"))
        self.assertEqual(page_query(self.meta("/sitemap-articles.xml?p=3&x=1")), "p=3")

    def test_unknown_paths_keep_no_parameters(self):
        self.assertEqual(page_query(self.meta("/no/such/page/?a=1")), "")


@override_settings(CACHES={"default": {"BACKEND": "tests.pagecache.test_keys.CountingLocMemCache"}})
class OneReadPerMissTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_revision(make_article("dose"), "Words about doses.\n", publish=True)

    def setUp(self):
        keep_connection_through_requests(self)

    def test_a_miss_reads_the_shared_cache_once(self):
        """The fast path before Django and the middleware inside it share one lookup."""
        app = PageCacheApplication(django_application)
        current_generation()  # the generation's own record is read once per change, not here
        CountingLocMemCache.reads = 0
        environ = RequestFactory().get("/sources/").environ
        status, _, _ = call(app, environ)
        self.assertEqual((status, CountingLocMemCache.reads), ("200 OK", 1))
