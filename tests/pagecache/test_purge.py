"""Publishing purges the pages it changed from the shared caches in front of the site, after the
commit and without waiting for them; pages carry the tags a CDN purges by."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import TestCase, override_settings

from kratom_info.editorial.services import article_unpublish
from kratom_info.pagecache.purge import affected_paths, purger
from tests.factories import make_article, make_editor, make_revision, make_source


class RecordingCache(BaseHTTPRequestHandler):
    """A stand-in for Varnish's purge endpoint over real HTTP: records what it is sent."""

    received: list[tuple[str, str, str]] = []

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        RecordingCache.received.append((self.command, self.path, self.headers["Host"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class PurgeTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), RecordingCache)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.cache_url = f"http://127.0.0.1:{cls.server.server_port}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    def setUp(self):
        RecordingCache.received = []

    def publish(self, slug="dose"):
        make_source("k1")
        with self.captureOnCommitCallbacks(execute=True):
            return make_revision(make_article(slug), "Words [@k1].\n", publish=True)

    def test_a_publish_purges_the_article_and_the_lists_with_the_site_host(self):
        with override_settings(PURGE_URLS=[self.cache_url], SITE_URL="https://kratom.example.org"):
            self.publish()
            self.assertTrue(purger.wait(10))
        paths = {path for _, path, _ in RecordingCache.received}
        self.assertLessEqual(
            {"/articles/dose/", "/articles/dose/history/", "/", "/es/", "/sitemap.xml"}, paths
        )
        self.assertEqual({host for _, _, host in RecordingCache.received}, {"kratom.example.org"})

    def test_a_withdrawal_purges_the_article(self):
        revision = self.publish()
        with override_settings(PURGE_URLS=[self.cache_url]):
            with self.captureOnCommitCallbacks(execute=True):
                article_unpublish(
                    article=revision.article, user=make_editor("ed", "Publisher"), reason="Wrong."
                )
            self.assertTrue(purger.wait(10))
        self.assertIn("/articles/dose/", {path for _, path, _ in RecordingCache.received})

    def test_a_source_change_purges_its_pages_and_the_articles_citing_it(self):
        revision = self.publish()
        paths = affected_paths(sources=[revision.sources.get()])
        self.assertIn("/sources/k1/", paths)
        self.assertIn("/es/sources/k1/", paths)
        self.assertIn("/articles/dose/", paths)

    def test_an_unreachable_cache_is_logged_and_retried_without_holding_up_the_publish(self):
        closed = ThreadingHTTPServer(("127.0.0.1", 0), RecordingCache)
        port = closed.server_port
        closed.server_close()
        with (
            override_settings(PURGE_URLS=[f"http://127.0.0.1:{port}"]),
            self.assertLogs("kratom_info.pagecache.purge", "WARNING") as logs,
        ):
            self.publish()  # returns although nothing answers
            self.assertFalse(purger.wait(0.9))  # the retry is still due
        # (The retry, once due, finds no cache configured any more and ends.)
        self.assertIn("retrying in 1 s", logs.output[0])

    def test_pages_carry_cache_tags(self):
        self.publish()
        response = self.client.get("/articles/dose/")
        self.assertEqual(response["Surrogate-Key"], "kratom-site lang-en article-en-dose")
        self.assertEqual(response["Cache-Tag"], "kratom-site,lang-en,article-en-dose")
        self.assertEqual(self.client.get("/es/")["Surrogate-Key"], "kratom-site lang-es")
