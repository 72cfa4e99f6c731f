"""robots.txt, the favicon and absolute canonical links."""

from pathlib import Path
from urllib.robotparser import RobotFileParser

from django.contrib.staticfiles import finders
from django.test import TestCase, override_settings

from tests.factories import make_article, make_revision, make_translation


@override_settings(SITE_URL="https://kratom.example.org")
class RobotsTxtTests(TestCase):
    def test_public_pages_allowed_private_screens_not(self):
        """Admin and editorial are disallowed; print views are not (their noindex must be
        fetched to be seen, in both languages); the sitemap is absolute."""
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        rules = [line for line in lines if line and not line.startswith("#")]
        self.assertEqual(
            rules,
            [
                "User-agent: *",
                "Disallow: /admin/",
                "Disallow: /editorial/",
                "Allow: /",
                "Sitemap: https://kratom.example.org/sitemap.xml",
            ],
        )

    def test_print_views_may_be_fetched_and_say_noindex(self):
        """A plain robots.txt parser lets crawlers fetch both languages' handouts, and the
        handout itself says noindex: one signal, which a crawler can read."""
        original = make_article("dose")
        english = make_revision(original, publish=True)
        make_revision(make_translation(original), publish=True, translates=english)
        parser = RobotFileParser()
        parser.parse(self.client.get("/robots.txt").content.decode().splitlines())
        for url in ["/articles/dose/handout/", "/es/articles/dose/handout/"]:
            with self.subTest(url=url):
                self.assertTrue(parser.can_fetch("AnyBot", f"https://kratom.example.org{url}"))
                self.assertContains(self.client.get(url), '<meta name="robots" content="noindex">')
        self.assertFalse(parser.can_fetch("AnyBot", "https://kratom.example.org/admin/"))


class FaviconTests(TestCase):
    def test_favicon_ico_redirects_to_the_svg_icon(self):
        """/favicon.ico (asked for by clients that ignore the page's link) finds the icon."""
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/static/favicon.svg")
        icon = finders.find("favicon.svg")  # collected and served by WhiteNoise in production
        self.assertTrue(Path(icon).read_text().startswith("<svg"))

    def test_pages_link_the_svg_icon(self):
        """Every page names its icon, so browsers do not ask for /favicon.ico at all."""
        response = self.client.get("/sources/")
        self.assertContains(
            response, '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
        )


@override_settings(SITE_URL="https://kratom.example.org")
class CanonicalLinkTests(TestCase):
    def test_canonical_links_are_absolute(self):
        """Canonical links carry DJANGO_SITE_URL: the page itself, or an article's live page for
        its versions and handouts."""
        make_revision(make_article("dose"), publish=True)
        expected = "https://kratom.example.org/articles/dose/"
        for url in ["/articles/dose/", "/articles/dose/v1/"]:
            self.assertContains(self.client.get(url), f'<link rel="canonical" href="{expected}">')
        self.assertContains(
            self.client.get("/sources/"),
            '<link rel="canonical" href="https://kratom.example.org/sources/">',
        )
        self.assertContains(
            self.client.get("/articles/dose/handout/"),
            '<link rel="canonical" href="https://kratom.example.org/articles/dose/v1/">',
        )

    def test_not_found_page_has_no_canonical_link(self):
        """A 404 names no canonical address."""
        response = self.client.get("/no-such-page/")
        self.assertNotContains(response, 'rel="canonical"', status_code=404)
