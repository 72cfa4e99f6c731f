"""HTTP caching on public pages (validators, 304, Cache-Control, Vary, no cookies), compression,
and private, no-store everywhere else."""

import gzip

import brotli
from django.test import RequestFactory, TestCase
from django.utils.http import http_date, parse_http_date

from kratom_info.pagecache.decorators import public_page
from kratom_info.pagecache.middleware import PageCacheMiddleware
from tests.factories import make_article, make_editor, make_revision, make_source


def directives(response) -> dict[str, str]:
    parts = (part.strip().partition("=") for part in response["Cache-Control"].split(","))
    return {name: value for name, _, value in parts}


class PublicHeadersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        cls.article = make_article("dose")
        make_revision(cls.article, "Words [@k1].\n" * 60, publish=True)
        make_revision(cls.article, "Other words [@k1].\n" * 60, publish=True)
        cls.code = cls.article.short_code.code
        cls.pages = [
            "/",
            "/articles/dose/",
            "/articles/dose/v1/",
            "/articles/dose/history/",
            "/articles/dose/diff/1/2/",
            "/articles/dose/handout/",
            "/articles/dose/v1/handout/",
            "/sources/",
            "/sources/k1/",
            "/clinics/",
        ]

    def test_public_pages_carry_validators_and_shared_cache_directives(self):
        """Every public page: ETag, Last-Modified, Cache-Control public with max-age, a longer
        s-maxage, stale-while-revalidate and stale-if-error; Vary: Accept-Encoding only."""
        for url in self.pages:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertRegex(response["ETag"], r'^W/"[0-9a-f]{32}"$', url)
            parse_http_date(response["Last-Modified"])
            cache_control = directives(response)
            self.assertIn("public", cache_control, url)
            self.assertGreater(int(cache_control["s-maxage"]), int(cache_control["max-age"]), url)
            self.assertIn("stale-while-revalidate", cache_control, url)
            self.assertIn("stale-if-error", cache_control, url)
            self.assertNotIn("private", cache_control, url)
            self.assertEqual(response["Vary"], "Accept-Encoding", url)

    def test_public_pages_set_no_cookie_even_for_a_logged_in_editor(self):
        """No Set-Cookie and no Vary: Cookie on public pages, for readers and editors alike."""
        editor = make_editor("alice", "Author")
        for logged_in in (False, True):
            if logged_in:
                self.client.force_login(editor)
            for url in self.pages:
                response = self.client.get(url)
                self.assertFalse(response.cookies, f"{url} logged_in={logged_in}")
                self.assertNotIn("Cookie", response["Vary"], url)

    def test_if_none_match_gives_304_without_body(self):
        """A matching If-None-Match (weak or strong form, or *) is a 304 with no body, whether
        the page was cached or not; a stale tag gets the page."""
        for url in self.pages:
            etag = self.client.get(url)["ETag"]
            for tag in (etag, etag.removeprefix("W/"), f'"other", {etag}', "*"):
                self.client.get("/")  # whatever else is cached, the answer is the same
                response = self.client.get(url, headers={"if-none-match": tag})
                self.assertEqual(response.status_code, 304, f"{url} {tag}")
                self.assertEqual(response.content, b"", url)
                self.assertEqual(response["ETag"], etag, url)
                self.assertIn("public", response["Cache-Control"], url)
            response = self.client.get(url, headers={"if-none-match": '"stale"'})
            self.assertEqual(response.status_code, 200, url)

    def test_304_on_the_first_uncached_request(self):
        """The validators are checked on a page just rendered, not only on a cached one."""
        etag = self.client.get("/articles/dose/")["ETag"]
        from django.core.cache import cache

        from kratom_info.pagecache.cache import forget_recent_pages

        cache.clear()
        forget_recent_pages()
        response = self.client.get("/articles/dose/", headers={"if-none-match": etag})
        self.assertEqual(response.status_code, 304)

    def test_if_modified_since(self):
        """If-Modified-Since at or after Last-Modified is a 304; before it, the page; and
        If-None-Match wins when both are sent."""
        response = self.client.get("/articles/dose/")
        modified = parse_http_date(response["Last-Modified"])
        for since, status in ((modified, 304), (modified + 60, 304), (modified - 1, 200)):
            answer = self.client.get(
                "/articles/dose/", headers={"if-modified-since": http_date(since)}
            )
            self.assertEqual(answer.status_code, status, since)
        answer = self.client.get(
            "/articles/dose/",
            headers={"if-modified-since": http_date(modified), "if-none-match": '"stale"'},
        )
        self.assertEqual(answer.status_code, 200)

    def test_compressed_pages_decode_to_the_same_page(self):
        """gzip and brotli answers are smaller, decode to the plain page, and are cached per
        encoding (a cached br answer is br)."""
        for url in self.pages:
            plain = self.client.get(url).content
            for _ in range(2):  # rendered, then cached
                zipped = self.client.get(url, headers={"accept-encoding": "gzip"})
                self.assertEqual(zipped["Content-Encoding"], "gzip", url)
                self.assertEqual(gzip.decompress(zipped.content), plain, url)
                squeezed = self.client.get(url, headers={"accept-encoding": "gzip, br"})
                self.assertEqual(squeezed["Content-Encoding"], "br", url)
                self.assertEqual(brotli.decompress(squeezed.content), plain, url)
                self.assertLess(len(squeezed.content), len(plain), url)
            plain_again = self.client.get(url, headers={"accept-encoding": "identity"})
            self.assertFalse(plain_again.has_header("Content-Encoding"), url)

    def test_short_links(self):
        """The pinned short link is a permanent redirect cached for a year; the live one is a
        temporary redirect with the short public policy."""
        pinned = self.client.get(f"/h/{self.code}/1")
        self.assertEqual(pinned.status_code, 301)
        self.assertEqual(directives(pinned), {"public": "", "max-age": "31536000", "immutable": ""})
        live = self.client.get(f"/h/{self.code}")
        self.assertEqual(live.status_code, 302)
        self.assertIn("public", directives(live))
        self.assertEqual(directives(live)["max-age"], "60")
        self.assertIn("s-maxage", directives(live))

    def test_head_gets_headers_without_body(self):
        """HEAD of a cached page has the page's headers and no body."""
        get = self.client.get("/articles/dose/")
        head = self.client.head("/articles/dose/")
        self.assertEqual(head.status_code, 200)
        self.assertEqual(head.content, b"")
        self.assertEqual(head["ETag"], get["ETag"])


class PrivateHeadersTests(TestCase):
    def test_admin_and_editorial_responses_are_private_no_store(self):
        """The admin, its login page and the editorial endpoints are never cached."""
        editor = make_editor("alice", "Author")
        for url in ("/admin/login/",):
            cache_control = directives(self.client.get(url))
            self.assertIn("private", cache_control, url)
            self.assertIn("no-store", cache_control, url)
        self.client.force_login(editor)
        for url in ("/admin/", "/admin/articles/article/"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn("private", directives(response), url)
            self.assertIn("no-store", directives(response), url)
        response = self.client.post("/editorial/markdownx/markdownify/", {"content": "Hi."})
        self.assertIn("no-store", directives(response))
        self.assertIn("private", directives(response))

    def test_unknown_page_404_is_not_stored(self):
        """A 404 is private, so no shared cache keeps it past a publish."""
        response = self.client.get("/articles/not-yet/")
        self.assertEqual(response.status_code, 404)
        self.assertIn("no-store", directives(response))

    def test_a_public_page_that_touches_the_session_is_not_cached(self):
        """If a public view ever reads the session or sets a cookie, the page is made private
        and is not stored, rather than leaking one reader's cookie to everyone."""
        calls = []

        @public_page
        def view(request):
            calls.append(1)
            from django.http import HttpResponse

            response = HttpResponse("x" * 600)
            response.set_cookie("seen", "1")
            return response

        middleware = PageCacheMiddleware(view)
        factory = RequestFactory()
        with self.assertLogs("kratom_info.pagecache.middleware", "ERROR"):
            first = middleware(factory.get("/cookie/"))
            second = middleware(factory.get("/cookie/"))
        self.assertEqual(len(calls), 2)
        for response in (first, second):
            self.assertIn("private", directives(response))
            self.assertIn("no-store", directives(response))
            self.assertNotIn("public", directives(response))
            self.assertNotIn("s-maxage", directives(response))
