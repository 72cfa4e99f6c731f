"""Spanish pages write dates the Spanish way ("25 de noviembre de 2026"), never with an
English month name, on every kind of page that shows one."""

import re

from django.test import TestCase, override_settings
from django.utils import dateformat, translation

from kratom_info.articles.models import Article
from tests.factories import make_revision
from tests.readers.helpers import STOPPING_ES, make_spanish_site

ENGLISH_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b"
)


@override_settings(ALLOWED_HOSTS=["testserver"])
class SpanishDatesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = make_spanish_site()
        cls.es_v2 = make_revision(
            cls.site["stopping_es"], STOPPING_ES + "\nUna frase nueva [@alpha2020].\n",
            title="Dejar el kratom", translates=cls.site["v2"], publish=True,
        )  # fmt: skip
        code = Article.objects.get(slug="stopping", language="es").short_code.code
        cls.pages = [
            "/es/", "/es/articles/stopping/", "/es/articles/stopping/v1/",
            "/es/articles/stopping/history/", "/es/articles/stopping/diff/1/2/",
            "/es/articles/stopping/handout/", "/es/articles/stopping/v1/handout/",
            "/es/clinics/", "/es/sources/", "/es/sources/beta2021/",
            "/es/articles/stopping/report/", f"/es/h/{code}/9",
        ]  # fmt: skip

    def test_no_english_month_on_spanish_pages(self):
        """Each page that shows a date shows it in Spanish."""
        with translation.override("es"):
            spanish_date = dateformat.format(self.es_v2.published_at, r"j \d\e F \d\e Y")
        for url in self.pages:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertIn(response.status_code, (200, 404))
                text = response.content.decode()
                self.assertIsNone(ENGLISH_MONTHS.search(text), ENGLISH_MONTHS.search(text))
                if not url.startswith("/es/sources/") and url != "/es/":  # no dates there
                    self.assertIn(spanish_date, text)
