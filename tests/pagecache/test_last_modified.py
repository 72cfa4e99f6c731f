"""Per-page Last-Modified: each page says when what it shows last changed, so a publish
elsewhere on the site leaves its If-Modified-Since answered 304."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from kratom_info.articles.models import Revision
from tests.factories import make_article, make_revision, make_translation

HOUR = timedelta(hours=1)


def _backdate(revision: Revision, when) -> None:
    Revision.objects.filter(pk=revision.pk).update(published_at=when)


class PerPageLastModifiedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now().replace(microsecond=0)
        cls.dose = make_article("dose")
        cls.dose_v1 = make_revision(cls.dose, "First words.\n", publish=True)
        cls.dose_v2 = make_revision(cls.dose, "Second words.\n", publish=True)
        _backdate(cls.dose_v1, now - 5 * HOUR)
        _backdate(cls.dose_v2, now - 4 * HOUR)
        cls.tolerance = make_article("tolerance")
        cls.tolerance_v1 = make_revision(cls.tolerance, publish=True)
        _backdate(cls.tolerance_v1, now - 3 * HOUR)
        cls.now = now

    def last_modified(self, url: str) -> int:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return parse_http_date(response["Last-Modified"])

    def test_each_page_dates_what_it_shows(self):
        """Live page, version pages, history, diff and handouts name their own dates: a
        superseded version is as new as the version that superseded it (its banner)."""
        v2 = int((self.now - 4 * HOUR).timestamp())
        for url in ["/articles/dose/", "/articles/dose/v1/", "/articles/dose/v2/",
                    "/articles/dose/history/", "/articles/dose/diff/1/2/",
                    "/articles/dose/handout/", "/articles/dose/v1/handout/"]:  # fmt: skip
            with self.subTest(url=url):
                self.assertEqual(self.last_modified(url), v2)
        self.assertEqual(
            self.last_modified("/articles/tolerance/"), int((self.now - 3 * HOUR).timestamp())
        )

    def test_a_publish_elsewhere_keeps_a_page_not_modified(self):
        """Publishing another article changes neither this page's Last-Modified nor its 304
        to If-Modified-Since; publishing this one does."""
        before = self.last_modified("/articles/dose/")
        make_revision(self.tolerance, "New words.\n", publish=True)
        self.assertEqual(self.last_modified("/articles/dose/"), before)
        answer = self.client.get(
            "/articles/dose/", headers={"if-modified-since": http_date(before)}
        )
        self.assertEqual(answer.status_code, 304)
        make_revision(self.dose, "Third words.\n", publish=True)
        answer = self.client.get(
            "/articles/dose/", headers={"if-modified-since": http_date(before)}
        )
        self.assertEqual(answer.status_code, 200)
        self.assertGreater(parse_http_date(answer["Last-Modified"]), before)

    def test_a_translation_is_as_new_as_the_english_it_is_compared_with(self):
        """A translation's page tells readers when the English moved on, so a newer English
        version dates it too."""
        spanish = make_translation(self.tolerance)
        translated = make_revision(spanish, publish=True, translates=self.tolerance_v1)
        _backdate(translated, self.now - 2 * HOUR)
        self.assertEqual(
            self.last_modified("/es/articles/tolerance/"), int((self.now - 2 * HOUR).timestamp())
        )
        newer = make_revision(self.tolerance, "Newer English.\n", publish=True)
        newer.refresh_from_db()
        self.assertEqual(
            self.last_modified("/es/articles/tolerance/"), int(newer.published_at.timestamp())
        )
