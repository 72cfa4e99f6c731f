"""Pages that were still English under /es/: the editorial policy, the sources' kinds and
"cited by" lists, and the short-link 404. Each answers in Spanish; English is unchanged."""

from django.test import TestCase

from kratom_info.articles.models import Article
from tests.factories import make_article, make_revision, make_source, make_translation

POLICY_HEADINGS = {
    "en": ["Editorial policy", "How sources are chosen", "How claims are checked",
           "How corrections are handled and shown", "Funding and advertising"],
    "es": ["Política editorial", "Cómo elegimos las fuentes", "Cómo revisamos los datos",
           "Cómo hacemos y mostramos las correcciones", "Financiamiento y publicidad"],
}  # fmt: skip


class EditorialPolicyTests(TestCase):
    def test_spanish_policy(self):
        """/es/editorial-policy/ is Spanish, lang="es", with links to Spanish pages and its
        English twin; no English sentence is left."""
        response = self.client.get("/es/editorial-policy/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="es">')
        for heading in POLICY_HEADINGS["es"]:
            self.assertContains(response, heading)
        self.assertContains(response, "<em>Lo exige el programa:</em> nadie revisa ni aprueba")
        self.assertContains(response, "doce meses después de publicar")
        self.assertContains(response, 'href="/es/sources/">página de fuentes</a>')
        self.assertContains(response, 'href="/es/feed/">canal de cambios de todo el sitio</a>')
        self.assertContains(response, 'href="/es/articles/about/">Sobre este sitio</a>')
        self.assertContains(response, 'href="/editorial-policy/" hreflang="en" lang="en">')
        for english in POLICY_HEADINGS["en"] + ["Enforced", "twelve months", "We prefer"]:
            self.assertNotContains(response, english)
        self.assertEqual(dict(response.cookies), {})

    def test_english_policy_unchanged(self):
        """/editorial-policy/ keeps its English text and addresses."""
        response = self.client.get("/editorial-policy/")
        self.assertContains(response, '<html lang="en">')
        for heading in POLICY_HEADINGS["en"]:
            self.assertContains(response, heading)
        self.assertContains(response, "<em>Enforced:</em> nobody reviews or approves")
        self.assertContains(response, 'href="/sources/">sources page</a>')
        self.assertContains(response, 'href="/feed/">site-wide feed of changes</a>')

    def test_article_pages_link_the_policy_in_spanish(self):
        """The policy link under a Spanish article no longer says "(en inglés)"."""
        english = make_article("tolerance", title="Tolerance")
        original = make_revision(english, publish=True)
        make_revision(make_translation(english, title="Tolerancia"), publish=True,
                      translates=original)  # fmt: skip
        response = self.client.get("/es/articles/tolerance/")
        self.assertContains(
            response,
            '<a href="/es/editorial-policy/">Cómo elegimos las fuentes y revisamos los datos</a>',
        )
        self.assertNotContains(response, "(en inglés)")


class SpanishSourcesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.source = make_source("good2020", kind="review")
        english = make_article("tolerance", title="Tolerance")
        original = make_revision(english, "Tolerance is common [@good2020].\n", publish=True)
        make_revision(make_translation(english, title="Tolerancia"),
                      "La tolerancia es común [@good2020].\n", publish=True,
                      translates=original)  # fmt: skip

    def test_kind_in_the_page_language(self):
        """A source's kind is shown in Spanish under /es/ and in English at /sources/."""
        self.assertContains(self.client.get("/es/sources/"), "Revisión o metaanálisis")
        self.assertContains(self.client.get("/es/sources/good2020/"), "Revisión o metaanálisis")
        self.assertContains(self.client.get("/sources/"), "Review or meta-analysis")
        self.assertNotContains(self.client.get("/es/sources/"), "Review or meta-analysis")

    def test_cited_by_lists_the_page_language(self):
        """Under /es/ a source lists the Spanish versions that cite it (Spanish links); the
        English page lists the English ones."""
        spanish = self.client.get("/es/sources/good2020/")
        self.assertContains(spanish, 'href="/es/articles/tolerance/v1/">Tolerancia, versión 1</a>')
        self.assertNotContains(spanish, 'href="/articles/tolerance/v1/"')
        english = self.client.get("/sources/good2020/")
        self.assertContains(english, 'href="/articles/tolerance/v1/">Tolerance, version 1</a>')
        self.assertNotContains(english, "/es/articles/")
        self.assertContains(self.client.get("/es/sources/"), "Citada en 1 versión publicada")
        self.assertContains(self.client.get("/sources/"), "Cited in 1 published version")


class SpanishShortLinkNotFoundTests(TestCase):
    def test_unknown_code_in_spanish(self):
        response = self.client.get("/es/h/zzzzzz")
        self.assertContains(response, "No encontramos ese enlace corto", status_code=404)
        self.assertContains(response, '<html lang="es">', status_code=404)
        self.assertNotContains(response, "We could not find", status_code=404)

    def test_unknown_version_in_spanish(self):
        english = make_article("tolerance", title="Tolerance")
        make_revision(english, publish=True)
        code = Article.objects.get(pk=english.pk).short_code.code
        response = self.client.get(f"/es/h/{code}/9")
        self.assertContains(response, "No encontramos la versión 9 de “Tolerance”",
                            status_code=404)  # fmt: skip
        self.assertContains(response, "publicada el", status_code=404)
        english_page = self.client.get(f"/h/{code}/9")
        self.assertContains(english_page, "We could not find version 9 of", status_code=404)
