"""A failing cache is a miss, asked again only after the breaker's time, and logged once per
change of state."""

import socket

from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings
from redis.exceptions import OutOfMemoryError

from kratom_info.pagecache.breaker import DEGRADED, DOWN, OK, CacheBreaker, cache_breaker
from kratom_info.pagecache.wsgi import PageCacheApplication
from kratom_info.wsgi import django_application
from tests.factories import make_article, make_revision
from tests.pagecache.test_wsgi import call, keep_connection_through_requests


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def refused():
    raise ConnectionRefusedError(111, "Connection refused")


def out_of_memory():
    raise OutOfMemoryError("command not allowed when used memory > 'maxmemory'.")


@override_settings(PAGE_CACHE_BREAKER_SECONDS=60)
class CacheBreakerTests(SimpleTestCase):
    def test_an_unanswered_call_is_the_default_and_opens_the_breaker(self):
        """The call fails once; the next ones are not even tried until the time is up."""
        breaker, calls = CacheBreaker(), []

        def counted():
            calls.append(1)
            refused()

        with self.assertLogs("kratom_info.pagecache.breaker", "WARNING") as logs:
            self.assertEqual(breaker.call(counted, default="miss"), "miss")
            for _ in range(5):
                self.assertEqual(breaker.call(counted, default="miss"), "miss")
        self.assertEqual((breaker.state, len(calls), len(logs.output)), (DOWN, 1, 1))
        self.assertIn("unreachable", logs.output[0])

    def test_the_first_call_after_the_time_tries_again_and_recovers(self):
        breaker = CacheBreaker()
        with self.assertLogs("kratom_info.pagecache.breaker", "WARNING") as logs:
            breaker.call(refused)
            breaker.retry_at = 0  # the breaker's time is up
            breaker.call(refused)  # still down: no new line
            breaker.retry_at = 0
            self.assertEqual(breaker.call(lambda: "page"), "page")
        self.assertEqual(breaker.state, OK)
        self.assertEqual(len(logs.output), 2)
        self.assertIn("back to normal", logs.output[1])

    def test_a_refused_write_degrades_without_stopping_reads(self):
        """A full Redis answers OOM: writes are dropped, reads go on, one line is logged."""
        breaker = CacheBreaker()
        with self.assertLogs("kratom_info.pagecache.breaker", "WARNING") as logs:
            for _ in range(5):
                breaker.call(out_of_memory, write=True)
            self.assertEqual(breaker.call(lambda: "page"), "page")
        self.assertEqual(breaker.state, DEGRADED)
        self.assertFalse(breaker.is_open())
        self.assertEqual(len(logs.output), 1)
        self.assertIn("refusing writes", logs.output[0])


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    },
    PAGE_CACHE_BREAKER_SECONDS=60,
)
class DeadCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_revision(make_article("dose"), "Words.\n", publish=True)

    def test_pages_are_rendered_when_the_cache_refuses_connections(self):
        """Every page answers 200 from the database; the outage is logged once."""
        with self.assertLogs("kratom_info.pagecache.breaker", "WARNING") as logs:
            for path in ("/articles/dose/", "/", "/articles/dose/", "/sources/"):
                self.assertEqual(self.client.get(path).status_code, 200)
        self.assertEqual(len(logs.output), 1)
        self.assertEqual(cache_breaker.state, DOWN)

    def setUp(self):
        keep_connection_through_requests(self)

    def test_probes_are_answered_before_the_page_cache(self):
        """With the site's own Host, /healthz never reaches the cache, even before Django."""
        app = PageCacheApplication(django_application)
        environ = RequestFactory().get("/healthz", headers={"host": "testserver"}).environ
        status, _, body = call(app, environ)
        self.assertEqual((status, body), ("200 OK", b"ok\n"))
        self.assertEqual(cache_breaker.state, OK)  # not even asked

    def test_probes_answer_with_the_cache_down(self):
        """/healthz and /readyz say what is wrong instead of failing with the cache."""
        self.assertEqual(self.client.get("/healthz").status_code, 200)
        ready = self.client.get("/readyz")
        self.assertEqual(ready.status_code, 200)
        self.assertEqual(ready.json(), {"status": "degraded", "database": "ok", "cache": "down"})
