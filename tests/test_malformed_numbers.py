"""Numbers in addresses that no row can have (too large for the column, not a number at all)
are pages that do not exist: 404, never a 500, on SQLite and PostgreSQL alike."""

from django.contrib.auth import get_user_model
from django.test import TestCase

from tests.editorial.base import EditorialTestCase
from tests.factories import make_article, make_revision, make_translation

HUGE = "99999999999999999999"


class HugeVersionNumberTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        article = make_article("dose")
        make_revision(article, "Kratom is a plant.\n", publish=True)
        latest = make_revision(article, "Kratom is a tree.\n", publish=True)
        translation = make_translation(article)
        make_revision(translation, "El kratom es una planta.\n", publish=True, translates=latest)

    def test_reader_addresses_with_huge_numbers_are_404(self):
        """Diffs (both ways, both languages), versions, handouts and pinned short links."""
        paths = [
            f"/articles/dose/diff/1/{HUGE}/",
            f"/articles/dose/diff/{HUGE}/1/",
            f"/es/articles/dose/diff/1/{HUGE}/",
            f"/es/articles/dose/diff/{HUGE}/1/",
            f"/articles/dose/v{HUGE}/",
            f"/es/articles/dose/v{HUGE}/",
            f"/articles/dose/v{HUGE}/handout/",
            f"/h/abc/{HUGE}",
            f"/h/abc/{HUGE}/qr.svg",
        ]
        for path in paths:
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_largest_database_integer_still_answers(self):
        """The bound is the column's, not a guess: 2**31 - 1 is looked up (and not found)."""
        self.assertEqual(self.client.get(f"/articles/dose/diff/1/{2**31 - 1}/").status_code, 404)
        self.assertEqual(self.client.get("/articles/dose/diff/1/2/").status_code, 200)


class AdminMalformedIdTests(EditorialTestCase):
    def test_admin_change_pages_with_malformed_ids_are_404(self):
        """Revisions, source changes, people and sources: a non-numeric or huge id is a 404."""
        self.client.force_login(self.publisher)
        for model in ("articles/revision", "source_review/sourcechange", "editorial/person",
                      "citations/source"):  # fmt: skip
            for object_id in ("abc", HUGE, "-1", "1.5"):
                path = f"/admin/{model}/{object_id}/change/"
                with self.subTest(path=path):
                    self.assertEqual(self.client.get(path).status_code, 404)

    def test_review_schedule_pages_with_huge_ids_are_not_found(self):
        """A review date's key is its article's (one-to-one): twenty digits are "not found"
        (Django's redirect with a message), not an overflow."""
        self.client.force_login(get_user_model().objects.create_superuser("root", password="x"))
        for action in ("change", "history"):
            path = f"/admin/editorial/reviewschedule/{HUGE}/{action}/"
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 302)


class NulByteTests(EditorialTestCase):
    def test_nul_bytes_in_addresses_are_refused_with_400(self):
        """A NUL in the path or the query string (which PostgreSQL refuses in a query, so the
        admin's list filters and source pages failed there) is a 400 naming it."""
        self.client.force_login(get_user_model().objects.create_superuser("root", password="x"))
        for path in ("/sources/a%00b/", "/admin/articles/revision/?status__exact=%00",
                     "/admin/editorial/auditevent/?action=%00", "/search/?q=%00"):  # fmt: skip
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertIn(response.status_code, (400, 404))
                if "?" in path:
                    self.assertContains(response, "NUL character", status_code=400)
