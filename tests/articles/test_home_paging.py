"""The home page lists the published articles HOME_PAGE_SIZE a page, at a cost that does not
grow with the site."""

from unittest import mock

from django.test import TestCase

from kratom_info.articles import views
from tests.factories import make_article, make_revision


class HomePagingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for n in range(5):
            article = make_article(f"topic-{n}", title=f"Topic {chr(65 + n)}", order=n)
            make_revision(article, "Kratom note.\\n", title=article.title, publish=True)

    def setUp(self):
        patch = mock.patch.object(views, "HOME_PAGE_SIZE", 2)
        patch.start()
        self.addCleanup(patch.stop)
        views._listed_articles.cache_clear()
        self.addCleanup(views._listed_articles.cache_clear)

    def titles(self, response):
        return [t for t in ("Topic A", "Topic B", "Topic C", "Topic D", "Topic E")
                if f">{t}</a>" in response.content.decode()]  # fmt: skip

    def test_pages_follow_the_display_order(self):
        """2 a page: A B, then C D, then E; each links its neighbours; numbering continues."""
        first = self.client.get("/")
        self.assertEqual(self.titles(first), ["Topic A", "Topic B"])
        self.assertContains(first, 'rel="next" href="?page=2"')
        self.assertNotContains(first, 'rel="prev"')
        second = self.client.get("/", {"page": "2"})
        self.assertEqual(self.titles(second), ["Topic C", "Topic D"])
        self.assertContains(second, '<ol class="article-list article-list--cards" start="3">')
        self.assertContains(second, 'rel="prev" href="/"')
        last = self.client.get("/", {"page": "3"})
        self.assertEqual(self.titles(last), ["Topic E"])
        self.assertNotContains(last, 'rel="next"')

    def test_a_page_past_the_end_is_not_found_and_a_bad_number_is_the_first(self):
        """?page=9 is a 404; ?page=x is the home page."""
        self.assertEqual(self.client.get("/", {"page": "9"}).status_code, 404)
        self.assertEqual(self.titles(self.client.get("/", {"page": "x"})), ["Topic A", "Topic B"])

    def test_one_query_a_page(self):
        """Each page is one query (besides the page-cache generation, read per request in
        tests), however many articles are published."""
        for page in ("1", "2"):
            with self.assertNumQueries(2):
                self.client.get("/", {"page": page})
