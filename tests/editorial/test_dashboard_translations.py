"""The dashboard's "never reviewed" list covers translations too, marked by language, with
links that open the right admin page and the right public page."""

import io
import re

from django.core.management import call_command
from django.urls import reverse

from tests.editorial.base import EditorialTestCase
from tests.factories import make_article, make_reviewed_live, make_revision, make_translation


class NeverReviewedTranslationsTests(EditorialTestCase):
    reviewer_languages = ["en", "es"]  # reviews the Spanish translations too

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # "dose": reviewed in English, its Spanish translation imported without review.
        cls.reviewed = make_reviewed_live(
            cls.article, author=cls.author, reviewer=cls.reviewer, publisher=cls.publisher
        )
        cls.dose_es = make_translation(cls.article, title="La dosis")
        make_revision(cls.dose_es, "El kratom es una planta [@k1].\n", title="La dosis",
                      translates=cls.reviewed, publish=True)  # fmt: skip
        # "sleep": imported without review in both languages.
        cls.sleep = make_article("sleep", title="Sleep")
        sleep_v1 = make_revision(cls.sleep, "Kratom may change sleep [@k1].\n", publish=True)
        cls.sleep_es = make_translation(cls.sleep, title="El sueño")
        make_revision(cls.sleep_es, "El kratom puede cambiar el sueño [@k1].\n",
                      title="El sueño", translates=sleep_v1, publish=True)  # fmt: skip
        # "tea": a translation reviewed through the workflow is not listed.
        tea = make_article("tea", title="Tea")
        tea_v1 = make_reviewed_live(
            tea, author=cls.author, reviewer=cls.reviewer, publisher=cls.publisher
        )
        make_reviewed_live(
            make_translation(tea, title="El té"), "El kratom es una planta [@k1].\n",
            author=cls.author, reviewer=cls.reviewer, publisher=cls.publisher,
            translates=tea_v1.public_number,
        )  # fmt: skip

    def test_dashboard_lists_unreviewed_translations_marked_by_language(self):
        """Both unreviewed Spanish articles and the unreviewed English one are listed; each
        translation says its language; every link in the list opens."""
        self.client.force_login(self.reviewer)
        html = self.client.get(reverse("admin:index")).content.decode()
        listing = re.search(r'<ul id="dashboard-never-reviewed">(.*?)</ul>', html, re.S).group(1)
        self.assertIn("Live but never reviewed through this workflow (3)", html)
        items = re.findall(r"<li>(.*?)</li>", listing, re.S)
        self.assertEqual(len(items), 3)
        self.assertIn(
            f'<a href="{reverse("admin:articles_article_change", args=[self.dose_es.pk])}" '
            'lang="es">La dosis</a>, translation into <span lang="es">Español</span> '
            '(<a href="/es/articles/dose/">v1 on the site</a>, imported)',
            listing,
        )
        self.assertIn('lang="es">El sueño</a>, translation into', listing)
        self.assertIn('">Sleep</a> (<a href="/articles/sleep/">v1 on the site</a>', listing)
        self.assertNotIn("El té", listing)
        self.assertNotIn(">Dose<", listing)
        for href in re.findall(r'href="([^"]+)"', listing):
            with self.subTest(href=href):
                self.assertEqual(self.client.get(href).status_code, 200)

    def test_review_due_command_lists_them_with_their_language(self):
        """The cron report names translations by slug and language."""
        out = io.StringIO()
        call_command("review_due", stdout=out)
        output = out.getvalue()
        self.assertIn("Live but never reviewed through the workflow (3)", output)
        self.assertIn("  - dose (es) (v1, imported)", output)
        self.assertIn("  - sleep (v1, imported)", output)
        self.assertIn("  - sleep (es) (v1, imported)", output)
