from django.db import connection
from django.test import TestCase

from kratom_info.readers.search import search
from tests.readers.helpers import make_small_site


class SearchTests(TestCase):
    """Runs on SQLite and, with --postgres, on PostgreSQL's full-text search."""

    @classmethod
    def setUpTestData(cls):
        cls.site = make_small_site()

    def slugs(self, query):
        return [hit.article.slug for hit in search(query).hits]

    def test_stem_finds_other_forms(self):
        """'withdraw' finds 'Withdrawal', and the hit links to that section's anchor."""
        results = search("withdraw")
        self.assertEqual([hit.article.slug for hit in results.hits], ["stopping"])
        self.assertEqual(results.hits[0].url, "/articles/stopping/#stopping")
        self.assertIn("<mark>Withdrawal</mark>", results.hits[0].excerpt)
        self.assertEqual(self.slugs("withdrawals"), ["stopping"])

    def test_common_misspellings_are_corrected(self):
        """kratum, withdrawl and tolerence find the right article, and say what was used."""
        results = search("withdrawl")
        self.assertEqual(results.corrections, {"withdrawl": "withdrawal"})
        self.assertEqual([hit.article.slug for hit in results.hits], ["stopping"])
        tolerance = search("tolerence")
        self.assertEqual(tolerance.hits[0].url, "/articles/stopping/#tolerance-over-time")
        kratom = search("kratum sleep")
        self.assertEqual(kratom.corrections, {"kratum": "kratom"})
        self.assertEqual(kratom.hits[0].article.slug, "sleep")

    def test_never_shows_unpublished_or_superseded_text(self):
        """Words only in a draft, a draft-only article or an old version find nothing."""
        self.assertEqual(self.slugs("zanzibarine"), [])
        self.assertEqual(self.slugs("quokkamancy"), [])
        self.assertEqual(self.slugs("slowly"), [])  # only in superseded version 1

    def test_all_words_first_then_any(self):
        """Every word must match; with no article matching all, any-word matches are shown."""
        results = search("sleep aches")
        self.assertTrue(results.matched_all_terms)
        self.assertEqual([hit.article.slug for hit in results.hits], ["stopping"])
        partial = search("sleep zanzibarine")
        self.assertFalse(partial.matched_all_terms)
        self.assertEqual({hit.article.slug for hit in partial.hits}, {"stopping", "sleep"})

    def test_excerpt_is_escaped(self):
        """Excerpts escape text; only <mark> is added."""
        results = search("kratom")
        for hit in results.hits:
            self.assertNotIn("<script", hit.excerpt)

    def test_search_page_without_javascript(self):
        """/search/?q= is a plain GET form and result list, cookie-free."""
        response = self.client.get("/search/", {"q": "withdrawl"})
        self.assertContains(response, 'href="/articles/stopping/#stopping"')
        self.assertContains(response, "so we searched for <strong>withdrawal</strong>")
        self.assertContains(response, '<form class="search-form" method="get"')
        self.assertEqual(response.cookies, {})
        empty = self.client.get("/search/")
        self.assertNotContains(empty, "found")

    def test_database_ranking_is_used_on_postgresql(self):
        """On PostgreSQL the order comes from the database's ranking; the title weighs most."""
        results = search("sleep")
        slugs = [hit.article.slug for hit in results.hits]
        self.assertEqual(set(slugs), {"stopping", "sleep"})
        if connection.vendor == "postgresql":
            self.assertEqual(slugs[0], "sleep")
