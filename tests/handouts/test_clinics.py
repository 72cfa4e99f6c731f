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
