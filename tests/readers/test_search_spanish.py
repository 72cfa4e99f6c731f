"""Search under /es/: the Spanish live articles, with the Spanish stemmer and stop words, "did
you mean" from Spanish words, accents typed or not. Runs on SQLite and, with --postgres, on
PostgreSQL's 'spanish' text search configuration."""

from django.db import connection
from django.test import TestCase

from kratom_info.readers.models import SearchDocument
from kratom_info.readers.search import _postgres_page, fold, search
from tests.readers.helpers import make_spanish_site


class SpanishSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = make_spanish_site()

    def urls(self, query, language="es"):
        return [hit.url for hit in search(query, language).hits]

    def test_spanish_stems_match_other_forms(self):
        """Spanish Snowball stems: "retirar" finds "retirada", "consumir" finds "consumo",
        "dependencias" finds "dependencia" (the English stemmer keeps the first two apart);
        hits link to the Spanish page's section."""
        self.assertEqual(self.urls("retirar"), ["/es/articles/stopping/#dejar-el-kratom"])
        self.assertEqual(self.urls("consumir"), ["/es/articles/stopping/#dependencia"])
        results = search("dependencias", "es")
        self.assertEqual(results.corrections, {})
        self.assertEqual(results.hits[0].url, "/es/articles/stopping/#dependencia")
        self.assertIn("<mark>dependencia</mark>", results.hits[0].excerpt)

    def test_accents_typed_or_not_find_the_same(self):
        """'naloxona', 'nalóxona' (a wrong accent) and 'NALOXONA' are one word; 'sueno'
        without its tilde is not 'sueño', and is corrected to it."""
        for query in ("naloxona", "nalóxona", "NALOXONA", "sobredosis opióides"):
            with self.subTest(query=query):
                results = search(query, "es")
                self.assertEqual(results.corrections, {})
                self.assertEqual(
                    [hit.url for hit in results.hits], ["/es/articles/stopping/#dependencia"]
                )
        sueno = search("sueno", "es")
        self.assertEqual(sueno.corrections, {"sueno": "sueño"})
        self.assertEqual(sueno.hits[0].article.slug, "sleep")
        self.assertEqual(fold("Adicción pingüino año"), "adiccion pinguino año")

    def test_did_you_mean_uses_spanish_words(self):
        """A misspelt Spanish word is replaced by the closest word the Spanish articles use,
        accents restored: 'abstinensia' -> 'abstinencia', 'sudoracion' stays unknown."""
        results = search("abstinensia", "es")
        self.assertEqual(results.corrections, {"abstinensia": "abstinencia"})
        self.assertEqual(self.urls("abstinensia"), ["/es/articles/stopping/#dejar-el-kratom"])
        llevadera = search("yebadera lenta", "es")
        self.assertEqual(llevadera.corrections, {})  # too far from any word: kept as typed
        self.assertFalse(llevadera.matched_all_terms)

    def test_spanish_stop_words_are_left_out(self):
        """'de', 'la', 'el', 'que'... are not searched for; 'té' (tea) is not a stop word."""
        self.assertEqual(search("de la que el", "es").terms, [])
        self.assertEqual(search("la dependencia de", "es").terms, ["dependencia"])
        self.assertEqual(search("té de kratom", "es").terms, ["té", "kratom"])

    def test_each_language_searches_its_own_articles(self):
        """/es/ finds only Spanish articles, English only English; English is unchanged."""
        self.assertEqual(self.urls("abstinencia", "en"), [])
        self.assertEqual(self.urls("withdrawal"), [])
        self.assertEqual(self.urls("withdraw", "en"), ["/articles/stopping/#stopping"])
        self.assertEqual(self.urls("zarzamoral"), [])  # only in a Spanish draft
        with self.assertRaisesMessage(ValueError, "No search for language 'fr'"):
            search("kratom", "fr")

    def test_words_postgresql_leaves_out_still_find(self):
        """'mucho' is a stop word of PostgreSQL's Spanish configuration but not ours: it finds
        its article on both databases."""
        self.assertEqual(self.urls("mucho"), ["/es/articles/stopping/#dejar-el-kratom"])

    def test_postgresql_uses_its_spanish_configuration(self):
        """On PostgreSQL the database matches Spanish forms and accents itself ('retirar' and
        'retirada', 'nalóxona') in the Spanish documents only, and ranks a title match first."""
        if connection.vendor != "postgresql":
            return  # the same stems in SQLite's FTS5 table are tested above
        stopping = SearchDocument.objects.get(article=self.site["stopping_es"]).pk
        sleep = SearchDocument.objects.get(article=self.site["sleep_es"]).pk

        def ids(terms, match_all=True, language="es"):
            return _postgres_page(terms, language, match_all=match_all, offset=0)[0]

        self.assertEqual(ids(["retirar"]), [stopping])
        self.assertEqual(ids(["nalóxona"]), [stopping])
        self.assertEqual(ids(["retirar"], language="en"), [])
        self.assertEqual(ids(["sueño", "kratom"], match_all=False)[0], sleep)

    def test_spanish_search_page(self):
        """/es/search/ answers in Spanish, links Spanish pages and names the correction."""
        response = self.client.get("/es/search/", {"q": "abstinensia"})
        self.assertContains(response, '<html lang="es">')
        self.assertContains(response, 'href="/es/articles/stopping/#dejar-el-kratom"')
        self.assertContains(response, "así que buscamos <strong>abstinencia</strong>")
        self.assertContains(response, "1 artículo encontrado")
        self.assertEqual(response.cookies, {})
