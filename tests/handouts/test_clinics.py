from django.test import TestCase, override_settings

from tests.factories import make_article, make_revision
from tests.handouts.helpers import make_published_article


@override_settings(SITE_URL="https://kratom.example.org")
class ClinicsPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.dose = make_published_article("dose", versions=2, title="Dose ranges")
        cls.tolerance = make_published_article("tolerance", title="Tolerance")
        make_revision(make_article("draft-only", title="Draft only article"))

    def test_lists_every_article_with_version_links_and_qr_downloads(self):
        """/clinics/ lists each published article's current version, short links, handout
        and QR downloads, in one query (after the page-cache generation)."""
        with self.assertNumQueries(2):
            response = self.client.get("/clinics/")
        self.assertContains(response, "How to use the handouts")
        for article, number in ((self.dose, 2), (self.tolerance, 1)):
            code = article.short_code.code
            self.assertContains(response, f'href="/articles/{article.slug}/handout/"')
            self.assertContains(response, f"Current version {number}, published")
            self.assertContains(response, f"<code>kratom.example.org/h/{code}/{number}</code>")
            self.assertContains(response, f"<code>kratom.example.org/h/{code}</code>")
            for fmt in ("svg", "png"):
                self.assertContains(response, f'href="/h/{code}/{number}/qr.{fmt}"')
                self.assertContains(response, f'href="/h/{code}/qr.{fmt}"')

    def test_drafts_are_not_listed(self):
        """Articles that were never published do not appear."""
        self.assertNotContains(self.client.get("/clinics/"), "Draft only article")

    def test_site_navigation_links_to_clinics(self):
        """Every page's navigation leads to /clinics/."""
        self.assertContains(self.client.get("/"), 'href="/clinics/"')


@override_settings(SITE_URL="https://kratom.example.org")
class ClinicsBothLanguagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from tests.factories import make_translation

        cls.dose = make_published_article("dose", title="Dose ranges")
        spanish = make_translation(cls.dose, title="Dosis")
        make_revision(
            spanish, "Texto.\n", title="Dosis", publish=True, translates=cls.dose.live_revision
        )
        cls.spanish = spanish
        cls.tolerance = make_published_article("tolerance", title="Tolerance")

    def test_each_article_shows_both_languages_side_by_side_with_qr_codes(self):
        """One query for both languages; the page's language first, each with its handout,
        its QR code shown and its own short links."""
        with self.assertNumQueries(2):
            html = self.client.get("/clinics/").content.decode()
        english, spanish = (
            html.index('<section class="clinic-language" lang="en"'),
            html.index('<section class="clinic-language" lang="es"'),
        )
        self.assertLess(english, spanish)
        self.assertLess(spanish, html.index("<h3>Tolerance</h3>"))
        self.assertIn('href="/es/articles/dose/handout/"', html)
        es_code = self.spanish.short_code.code
        self.assertIn(f'<img class="qr-code" src="/es/h/{es_code}/1/qr.svg"', html)
        self.assertIn(f'src="/h/{self.dose.short_code.code}/1/qr.svg"', html)
        spanish_page = self.client.get("/es/clinics/").content.decode()
        self.assertLess(
            spanish_page.index('lang="es" aria-label'), spanish_page.index('lang="en" aria-label')
        )

    def test_print_all_puts_every_handout_on_its_own_sheet(self):
        """/clinics/print/ holds every live handout of the page's language, each with its
        own pinned QR code and unique ids, in one query after the generation."""
        with self.assertNumQueries(2):
            response = self.client.get("/clinics/print/")
        html = response.content.decode()
        self.assertEqual(html.count('<article class="handout">'), 2)
        self.assertEqual(html.count('class="qr-code"'), 2)
        self.assertIn('id="handout-help1"', html)
        self.assertIn('id="handout-help2"', html)
        self.assertIn('<meta name="robots" content="noindex">', html)
        self.assertIn("Dose ranges", html)
        self.assertNotIn("Dosis", html)
        self.assertEqual(self.client.get("/es/clinics/print/").content.decode().count(
            '<article class="handout">'), 1)  # fmt: skip
        self.assertContains(self.client.get("/clinics/"), 'href="/clinics/print/"')
