"""Cached pages answered before Django: same bytes and rules as the middleware, and nothing
Django itself would refuse."""

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory, TestCase, override_settings

from kratom_info.pagecache.wsgi import PageCacheApplication
from kratom_info.wsgi import django_application
from tests.factories import make_article, make_revision, make_source


class CountingApp:
    def __init__(self, application=django_application):
        self.application = application
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.application(environ, start_response)


def keep_connection_through_requests(test) -> None:
    """As Django's test client does: the request signals would close the test's connection
    (it is inside the test's transaction) on PostgreSQL."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
        test.addCleanup(signal.connect, close_old_connections)


def call(app, environ):
    answer = {}

    def start_response(status, headers):
        answer["status"] = status
        answer["headers"] = dict(headers)

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


class FastPathTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        make_revision(make_article("dose"), "Words [@k1].\n" * 50, publish=True)

    def setUp(self):
        keep_connection_through_requests(self)
        self.inner = CountingApp()
        self.app = PageCacheApplication(self.inner)
        self.factory = RequestFactory()

    def environ(self, path="/articles/dose/", method="GET", **headers):
        return self.factory.generic(method, path, headers=headers).environ

    def test_a_hit_is_served_without_entering_django(self):
        """The first request renders through Django; the next identical one does not."""
        status, headers, body = call(self.app, self.environ(accept_encoding="gzip"))
        self.assertEqual((status, self.inner.calls), ("200 OK", 1))
        status2, headers2, body2 = call(self.app, self.environ(accept_encoding="gzip"))
        self.assertEqual((status2, self.inner.calls), ("200 OK", 1))
        self.assertEqual(body2, body)
        self.assertEqual(headers2, headers)
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertIn("Content-Security-Policy", headers2)  # every middleware's headers kept

    def test_encodings_are_separate_entries(self):
        """A client without gzip never gets the gzip bytes."""
        call(self.app, self.environ(accept_encoding="gzip"))
        status, headers, body = call(self.app, self.environ())
        self.assertNotIn("Content-Encoding", headers)
        self.assertIn(b"Words", body)
        self.assertEqual(self.inner.calls, 2)

    def test_conditional_and_head(self):
        """304 with no body on a matching tag; HEAD has headers and no body."""
        _, headers, _ = call(self.app, self.environ())
        status, not_modified, body = call(self.app, self.environ(if_none_match=headers["ETag"]))
        self.assertEqual((status, body), ("304 Not Modified", b""))
        self.assertEqual(not_modified["ETag"], headers["ETag"])
        self.assertNotIn("Content-Length", not_modified)
        status, head_headers, body = call(self.app, self.environ(method="HEAD"))
        self.assertEqual((status, body), ("200 OK", b""))
        self.assertEqual(head_headers["Content-Length"], headers["Content-Length"])
        self.assertEqual(self.inner.calls, 1)

    def test_other_methods_and_refused_hosts_go_to_django(self):
        """POST, and a Host that ALLOWED_HOSTS refuses, always reach Django."""
        call(self.app, self.environ())
        call(self.app, self.environ(method="POST"))
        self.assertEqual(self.inner.calls, 2)
        evil = self.environ()
        evil["HTTP_HOST"] = "evil.example.com"
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            status, _, _ = call(PageCacheApplication(self.inner), evil)
        self.assertEqual(status, "400 Bad Request")
        self.assertEqual(self.inner.calls, 3)

    def test_https_redirect_is_left_to_django(self):
        """With SECURE_SSL_REDIRECT on, a plain-HTTP request is never answered from the cache
        (neither here nor in the middleware), but an HTTPS one is."""
        with override_settings(SECURE_SSL_REDIRECT=True):
            inner = CountingApp(WSGIHandler())  # middleware built with the setting on
            app = PageCacheApplication(inner)
            secure = self.environ()
            secure["wsgi.url_scheme"] = "https"
            call(app, secure)
            call(app, secure)
            self.assertEqual(inner.calls, 1)
            for _ in range(2):
                status, _, _ = call(app, self.environ())
                self.assertEqual(status, "301 Moved Permanently")
            self.assertEqual(inner.calls, 3)

    def test_publish_is_seen_by_the_fast_path(self):
        """After a publish, the fast path misses and Django renders the new version."""
        from kratom_info.articles.models import Article

        call(self.app, self.environ())
        make_revision(Article.objects.get(slug="dose"), "New words [@k1].\n", publish=True)
        _, _, body = call(self.app, self.environ())
        self.assertIn(b"New words", body)
        self.assertEqual(self.inner.calls, 2)

    def test_middleware_refuses_a_bad_host_even_for_a_cached_page(self):
        """Inside Django too, a cached page is never an answer to a Host it refuses."""
        call(self.app, self.environ())
        evil = self.environ()
        evil["HTTP_HOST"] = "evil.example.com"
        status, _, _ = call(django_application, evil)
        self.assertEqual(status, "400 Bad Request")


class RecentPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_revision(make_article("dose"), "Words.\n" * 50, publish=True)

    def test_recent_pages_are_bounded_and_follow_the_generation(self):
        """The per-process dict of recent pages never grows past its limit, and a new
        generation empties it."""
        from django.conf import settings

        from kratom_info.pagecache import cache
        from kratom_info.pagecache.generation import current_generation, public_content_changed

        for n in range(settings.PAGE_CACHE_RECENT_PAGES + 5):
            self.client.get(f"/articles/dose/?n={n}")
            self.assertLessEqual(len(cache._recent.pages), settings.PAGE_CACHE_RECENT_PAGES)
        self.assertEqual(cache._recent.token, current_generation().token)
        public_content_changed()
        self.client.get("/articles/dose/")
        self.assertEqual(len(cache._recent.pages), 1)
        self.assertEqual(cache._recent.token, current_generation().token)

    def test_recent_pages_are_forgotten_when_the_shared_cache_comes_back(self):
        """A page this process remembered while the shared cache failed may never have reached
        it: once the cache answers again, the next request goes to the shared cache (and stores
        the page there), instead of being served from this process's memory for good."""
        from django.test import RequestFactory

        from kratom_info.pagecache import cache
        from kratom_info.pagecache.breaker import DOWN, OK, cache_breaker
        from kratom_info.pagecache.generation import current_generation

        self.client.get("/articles/dose/")
        meta = RequestFactory().get("/articles/dose/").META
        self.assertIsNotNone(cache._recent.get(meta, current_generation()))

        def refused():
            raise ConnectionError("cache down")

        cache_breaker.call(refused)
        self.assertEqual(cache_breaker.state, DOWN)
        self.assertIsNotNone(cache._recent.get(meta, current_generation()))  # still down
        cache_breaker.retry_at = 0.0  # its time is up
        cache_breaker.call(lambda: None)
        self.assertEqual(cache_breaker.state, OK)
        self.assertIsNone(cache._recent.get(meta, current_generation()))
