import datetime
import xml.etree.ElementTree as ET
from unittest import mock

from django.test import TestCase, override_settings
from django.utils.http import http_date

from kratom_info.articles.models import Article, Revision
from kratom_info.readers.sitemaps import ArticleSitemap
from tests.factories import make_revision, make_translation
from tests.readers.helpers import make_small_site

SITE = "https://kratom.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@override_settings(SITE_URL=SITE)
class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = make_small_site()

    def test_sitemap_lists_live_pages_with_live_version_date(self):
        """sitemap.xml parses; it lists each live article page (no version pages, no drafts)
        with lastmod = the live version's date, on DJANGO_SITE_URL."""
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response["Content-Type"], "application/xml")
        root = ET.fromstring(response.content)  # noqa: S314 (our own response)
        sleep = Article.objects.get(slug="sleep").live_revision
        entries = {
            url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
            for url in root.iter(f"{SITEMAP}url")
        }
        self.assertEqual(
            entries,
            {
                f"{SITE}/articles/stopping/": f"{self.site['v2'].published_at:%Y-%m-%d}",
                f"{SITE}/articles/sleep/": f"{sleep.published_at:%Y-%m-%d}",
            },
        )


@override_settings(SITE_URL=SITE)
class LargeSitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_small_site()

    def test_past_one_file_the_sitemap_is_an_index_of_files(self):
        """With more pages than one file holds, /sitemap.xml is a sitemap index of
        /sitemap-articles.xml?p=N files that together list every live page once."""
        with mock.patch.object(ArticleSitemap, "limit", 1):
            root = ET.fromstring(self.client.get("/sitemap.xml").content)  # noqa: S314
            self.assertEqual(root.tag, f"{SITEMAP}sitemapindex")
            files = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
            self.assertEqual(
                files,
                ["http://testserver/sitemap-articles.xml",
                 "http://testserver/sitemap-articles.xml?p=2"],
            )  # fmt: skip
            pages = []
            for number in (1, 2):
                response = self.client.get("/sitemap-articles.xml", {"p": number})
                part = ET.fromstring(response.content)  # noqa: S314
                pages += [loc.text for loc in part.iter(f"{SITEMAP}loc")]
        self.assertEqual(sorted(pages), [f"{SITE}/articles/sleep/", f"{SITE}/articles/stopping/"])
        self.assertEqual(self.client.get("/sitemap-other.xml").status_code, 404)


@override_settings(SITE_URL=SITE, SITE_NAME="Kratom Facts")
class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = make_small_site()

    def entries(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/atom+xml"))
        root = ET.fromstring(response.content)  # noqa: S314 (our own response)
        return root, [
            (
                entry.findtext(f"{ATOM}title"),
                entry.find(f"{ATOM}link").get("href"),
                entry.findtext(f"{ATOM}summary"),
            )
            for entry in root.iter(f"{ATOM}entry")
        ]

    def test_site_feed_lists_every_published_version_with_note_and_diff(self):
        """/feed/ is Atom: each published version with its change note, linking to the diff
        (a first version links to itself); drafts never appear."""
        root, entries = self.entries("/feed/")
        self.assertEqual(root.findtext(f"{ATOM}title"), "Kratom Facts: what changed")
        self.assertIn(
            ("Stopping kratom: version 2", f"{SITE}/articles/stopping/diff/1/2/",
             "Added a section on tolerance."),
            entries,
        )  # fmt: skip
        self.assertIn(
            ("Stopping kratom: version 1", f"{SITE}/articles/stopping/v1/", "First version."),
            entries,
        )
        self.assertEqual(len(entries), 3)  # stopping v1, v2 and sleep v1; no drafts

    def test_article_feed_lists_that_article_only(self):
        """/feed/articles/<slug>/ lists that article's versions; unknown or unpublished 404."""
        _, entries = self.entries("/feed/articles/stopping/")
        self.assertEqual([title for title, _, _ in entries],
                         ["Stopping kratom: version 2", "Stopping kratom: version 1"])  # fmt: skip
        self.assertEqual(self.client.get("/feed/articles/hidden/").status_code, 404)

    def test_feeds_name_the_site_as_their_author(self):
        """RFC 4287: an atom:author on the feed (the site, with its address) covers every
        entry, in the site-wide and the per-article feed."""
        for url in ["/feed/", "/feed/articles/stopping/"]:
            with self.subTest(url=url):
                root, _ = self.entries(url)
                author = root.find(f"{ATOM}author")
                self.assertEqual(author.findtext(f"{ATOM}name"), "Kratom Facts")
                self.assertEqual(author.findtext(f"{ATOM}uri"), f"{SITE}/")

    def test_pages_advertise_their_feeds(self):
        """Every page links the site feed; an article page links its own."""
        response = self.client.get("/articles/stopping/")
        self.assertContains(response, 'type="application/atom+xml"', count=2)
        self.assertContains(response, 'href="/feed/articles/stopping/"')


@override_settings(SITE_URL=SITE, SITE_NAME="Kratom Facts")
class SpanishSitemapAndFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = make_small_site()
        stopping = cls.site["stopping"]
        spanish = make_translation(stopping, title="Dejar el kratom")
        cls.es_v1 = make_revision(
            spanish, "El kratom es un árbol [@alpha2020].\n", title="Dejar el kratom",
            translates=cls.site["v2"], change_note="Primera traducción.", publish=True,
        )  # fmt: skip
        # Each language's live version has its own date (they never coincide in practice).
        cls.english_date = datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)
        cls.spanish_date = datetime.datetime(2026, 3, 5, 9, tzinfo=datetime.UTC)
        Revision.objects.filter(pk=cls.site["v2"].pk).update(published_at=cls.english_date)
        Revision.objects.filter(pk=cls.es_v1.pk).update(published_at=cls.spanish_date)
        Revision.objects.filter(article__slug="sleep").update(
            published_at=datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC)
        )

    def test_spanish_page_carries_its_own_date(self):
        """/es/articles/<slug>/ has lastmod = the Spanish live version's date, not the
        English one; both pages name each other (and only live pages) as alternates."""
        response = self.client.get("/sitemap.xml")
        root = ET.fromstring(response.content)  # noqa: S314 (our own response)
        xhtml = "{http://www.w3.org/1999/xhtml}"
        entries = {
            url.findtext(f"{SITEMAP}loc"): (
                url.findtext(f"{SITEMAP}lastmod"),
                {(link.get("hreflang"), link.get("href")) for link in url.iter(f"{xhtml}link")},
            )
            for url in root.iter(f"{SITEMAP}url")
        }
        both = {("en", f"{SITE}/articles/stopping/"), ("es", f"{SITE}/es/articles/stopping/")}
        self.assertEqual(entries[f"{SITE}/articles/stopping/"], ("2026-01-10", both))
        self.assertEqual(entries[f"{SITE}/es/articles/stopping/"], ("2026-03-05", both))
        # No translation: the page names only itself.
        self.assertEqual(entries[f"{SITE}/articles/sleep/"][1], {("en", f"{SITE}/articles/sleep/")})
        self.assertNotIn(f"{SITE}/es/articles/sleep/", entries)
        self.assertEqual(len(entries), 3)
        # The newest page in either language (here the Spanish one) dates the whole sitemap.
        self.assertEqual(response["Last-Modified"], http_date(self.spanish_date.timestamp()))

    def test_spanish_feed_is_in_spanish(self):
        """/es/feed/ says xml:lang="es", lists the Spanish versions with Spanish titles and
        their own dates, linking Spanish pages."""
        response = self.client.get("/es/feed/")
        root = ET.fromstring(response.content)  # noqa: S314 (our own response)
        self.assertEqual(root.get("{http://www.w3.org/XML/1998/namespace}lang"), "es")
        self.assertEqual(root.findtext(f"{ATOM}title"), "Kratom Facts: qué cambió")
        (entry,) = root.iter(f"{ATOM}entry")
        self.assertEqual(entry.findtext(f"{ATOM}title"), "Dejar el kratom: versión 1")
        self.assertEqual(entry.find(f"{ATOM}link").get("href"), f"{SITE}/es/articles/stopping/v1/")
        self.assertEqual(entry.findtext(f"{ATOM}updated"), "2026-03-05T09:00:00+00:00")
