"""The stored search index follows publishing and withdrawal, on SQLite (FTS5) and, with
--postgres, PostgreSQL (tsvector + GIN)."""

from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase

from kratom_info.editorial.roles import PUBLISHER
from kratom_info.editorial.services import article_unpublish
from kratom_info.readers.models import SearchDocument, SearchSection, SearchWord
from kratom_info.readers.search import search
from tests.factories import make_article, make_editor, make_revision
from tests.readers.helpers import make_small_site, make_spanish_site


def vocabulary(language="en"):
    return dict(SearchWord.objects.filter(language=language).values_list("word", "articles"))


class SearchIndexTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = make_small_site()

    def test_only_live_versions_are_indexed(self):
        """One document per live article, for its live version; drafts and hidden articles
        have none."""
        documents = SearchDocument.objects.order_by("article__slug")
        self.assertEqual(
            [(d.article.slug, d.revision_id) for d in documents],
            [("sleep", self.site["sleep"].latest_revision().pk), ("stopping", self.site["v2"].pk)],
        )
        words = vocabulary()
        self.assertEqual(words["kratom"], 2)
        self.assertEqual(words["tolerance"], 1)
        self.assertNotIn("slowly", words)  # only in the superseded version
        self.assertNotIn("zanzibarine", words)  # only in a draft
        self.assertNotIn("is", words)  # shorter than three letters

    def test_sections_keep_each_words_stem(self):
        """Each section stores one stem per word, so no article is stemmed per search."""
        section = SearchSection.objects.get(anchor="stopping")
        self.assertEqual(section.heading_stems, "stop")
        self.assertEqual(len(section.text_stems.split()), len(section.text.split()))
        self.assertIn("withdraw", section.text_stems.split())

    def test_publish_replaces_the_old_version(self):
        """A new live version replaces the document; words it dropped leave the vocabulary
        and its new words are found at once."""
        make_revision(self.site["sleep"], "Kratom may change dreams [@beta2021].\n",
                      title="Sleep", publish=True)  # fmt: skip
        self.assertEqual(SearchDocument.objects.filter(article=self.site["sleep"]).count(), 1)
        self.assertEqual([hit.article.slug for hit in search("dreams").hits], ["sleep"])
        words = vocabulary()
        self.assertEqual(words["dreams"], 1)
        self.assertEqual(words["sleep"], 2)  # the title and the other article still use it
        self.assertEqual(words["kratom"], 2)

    def test_ranking_reads_a_small_vector_of_the_title_and_top_of_page(self):
        """PostgreSQL: rank_vector holds the title and the top of the page, not the body, and
        is rewritten with each publish (what the ranking reads instead of the whole vector)."""
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's tsvector columns (the --postgres pass)")
        body = "Kratom may change sleep [@beta2021].\n\n## Nights\n\nSome dream more.\n"
        make_revision(self.site["sleep"], body, title="Sleep and rest", publish=True)
        ranked = SearchDocument.objects.filter(article=self.site["sleep"]).values_list(
            "rank_vector", flat=True
        )
        self.assertIn("'rest':3A", ranked.get())  # the title, weight A
        self.assertIn("'chang':", ranked.get())  # the top of the page
        self.assertNotIn("'dream'", ranked.get())  # the body is searched, not ranked
        self.assertEqual([hit.article.slug for hit in search("dreams").hits], ["sleep"])

    def test_withdrawal_removes_the_article(self):
        """Taking an article offline removes it from results and its words from the
        vocabulary (no correction offers them)."""
        publisher = make_editor("pub", PUBLISHER)
        article_unpublish(article=self.site["stopping"], user=publisher, reason="Outdated.")
        self.assertEqual(search("withdrawal").hits, [])
        self.assertEqual(search("withdrawl").corrections, {})
        self.assertNotIn("withdrawal", vocabulary())
        self.assertEqual(vocabulary()["kratom"], 1)
        self.assertFalse(SearchDocument.objects.filter(article=self.site["stopping"]).exists())
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM readers_search_fts")
                self.assertEqual(cursor.fetchone()[0], 1)

    def test_rebuild_gives_the_same_index(self):
        """manage.py search_index_rebuild writes what publishing wrote."""
        before = (vocabulary(), [hit.url for hit in search("kratom").hits])
        out = StringIO()
        call_command("search_index_rebuild", stdout=out)
        self.assertEqual(out.getvalue().strip(), "Indexed 2 published articles.")
        self.assertEqual((vocabulary(), [hit.url for hit in search("kratom").hits]), before)


class SearchPagingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for n in range(23):
            article = make_article(f"topic-{n}", title=f"Topic {chr(65 + n)}", order=n)
            make_revision(article, f"Kratom note {'word ' * n}here.\n", title=article.title,
                          publish=True)  # fmt: skip

    def test_results_come_ten_a_page(self):
        """23 matches: pages of 10, 10 and 3; a page past the end shows the last one."""
        first = search("kratom")
        self.assertEqual((first.total, first.pages, len(first.hits)), (23, 3, 10))
        self.assertEqual((first.previous_page, first.next_page), (None, 2))
        third = search("kratom", page=3)
        self.assertEqual((third.page, len(third.hits), third.first_number), (3, 3, 21))
        seen = {hit.article.pk for page in (1, 2, 3) for hit in search("kratom", page=page).hits}
        self.assertEqual(len(seen), 23)
        past = search("kratom", page=99)
        self.assertEqual((past.page, len(past.hits)), (3, 3))

    def test_queries_do_not_grow_with_the_matches(self):
        """A page of results costs a fixed number of queries, however many articles match
        (vocabulary, the ranked page, the count of matches when the page is full, its
        sections' stems, the chosen sections' text, the articles; one more for a correction).
        On PostgreSQL the ranked page and the count run with sequential scans off, set and
        reset in a transaction (here a savepoint) of their own."""
        planner = 4 if connection.vendor == "postgresql" else 0
        with self.assertNumQueries(6 + planner):
            search("kratom")
        with self.assertNumQueries(7 + planner):
            search("kratum")

    def test_search_page_links_the_next_and_previous_pages(self):
        """/search/?q=kratom&page=2 lists 11-20 and links pages 1 and 3; a bad page number is
        the first page."""
        response = self.client.get("/search/", {"q": "kratom", "page": "2"})
        self.assertContains(response, "23 articles found")
        self.assertContains(response, "(page 2 of 3)")
        self.assertContains(
            response, '<ol class="search-results" aria-labelledby="results-heading" start="11">'
        )
        self.assertContains(response, 'rel="prev" href="?q=kratom"')
        self.assertContains(response, 'rel="next" href="?q=kratom&amp;page=3"')
        self.assertEqual(response.content.decode().count("<li>\n      <h3>"), 10)
        bad = self.client.get("/search/", {"q": "kratom", "page": "x"})
        self.assertContains(bad, "(page 1 of 3)")

    def test_query_length_is_bounded(self):
        """At most 8 words are searched, and the page says so; a query is cut at 200
        characters."""
        long_query = " ".join(f"kratom{n}" for n in range(12))
        results = search(long_query)
        self.assertEqual(len(results.terms), 8)
        self.assertEqual(len(results.ignored_words), 4)
        self.assertEqual(len(search("k" * 5000).query), 200)
        response = self.client.get("/search/", {"q": long_query})
        self.assertContains(response, "Only the first 8 words were searched.")


class SearchIndexPerLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = make_spanish_site()

    def test_each_language_is_searched_through_its_own_index(self):
        """PostgreSQL: one partial GIN index per language (readers' migration 0004), and the
        search's ranked query reads the index of the language searched: with one index of all
        vectors beside a B-tree of the language, the planner tested every document's whole
        vector instead (about 100 ms at 5,000 articles)."""
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's indexes (the --postgres pass)")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename = 'readers_searchdocument'"
            )
            indexes = dict(cursor.fetchall())
        for code in ("en", "es"):
            definition = indexes[f"readers_searchdoc_vector_{code}"]
            self.assertIn("USING gin (vector)", definition)
            self.assertIn(f"WHERE ((language)::text = '{code}'::text)", definition)
        self.assertNotIn("readers_searchdoc_vector", indexes)
        self.assertNotIn("readers_searchdoc_language", indexes)
        for code, query in (("en", "sleep"), ("es", "sueño")):
            ranked = []

            def keep(execute, sql, params, many, context, ranked=ranked):
                if sql.startswith("WITH ranked"):
                    ranked.append((sql, params))
                return execute(sql, params, many, context)

            with connection.execute_wrapper(keep):
                search(query, code)
            sql, params = ranked[0]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            self.assertIn(f"readers_searchdoc_vector_{code}", plan)
