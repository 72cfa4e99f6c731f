"""A withdrawn Spanish translation says so in Spanish on every page: when (a Spanish date) and
why (the reason the publisher wrote in Spanish when taking the translation offline)."""

import datetime

from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from kratom_info.articles.models import Article
from kratom_info.editorial.services import article_unpublish
from tests.editorial.base import EditorialTestCase
from tests.editorial.test_withdrawn import links
from tests.factories import make_reviewed_live, make_translation

REASON_ES = "se retractó un estudio citado"
NOTICE_ES = f"Este artículo se retiró el 3 de marzo de 2026 porque {REASON_ES}."
WITHDRAWN_AT = datetime.datetime(2026, 3, 3, 15, tzinfo=datetime.UTC)
ENGLISH_WORDS = ("withdrawn", "Withdrawn", "published", "Version", "record", "March")


class WithdrawnTranslationTests(EditorialTestCase):
    reviewer_languages = ["en", "es"]  # reviews the Spanish translations too

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        english = make_reviewed_live(
            cls.article, author=cls.author, reviewer=cls.reviewer, publisher=cls.publisher
        )
        cls.spanish = make_translation(cls.article, title="La dosis")
        cls.es_v1, cls.es_v2 = (
            make_reviewed_live(
                cls.spanish, body, author=cls.author, reviewer=cls.reviewer,
                publisher=cls.publisher, translates=english.public_number, title="La dosis",
            )
            for body in ("El kratom es una planta [@k1].\n",
                         "El kratom es una planta [@k1]. También es un árbol [@k2].\n")
        )  # fmt: skip
        article_unpublish(article=cls.spanish, user=cls.publisher, reason=f"  {REASON_ES}.  ")
        # A known date, to check how it is written in Spanish.
        Article.objects.filter(pk=cls.spanish.pk).update(withdrawn_at=WITHDRAWN_AT)
        cls.spanish.refresh_from_db()

    def assert_spanish(self, response, status_code=200):
        self.assertEqual(response.status_code, status_code)
        self.assertContains(response, NOTICE_ES, status_code=status_code)
        self.assertContains(response, "Este artículo se retiró</h2>", status_code=status_code)
        # The notice's visible text has no English left in it.
        html = response.content.decode()
        notice = html[html.index('<aside class="banner banner--withdrawn"') :]
        notice = strip_tags(notice[: notice.index("</aside>")])
        for word in ENGLISH_WORDS:
            self.assertNotIn(word, notice)

    def test_notice_is_in_the_articles_language_whatever_is_active(self):
        """The translation's own reason, in a Spanish sentence with a Spanish date, even where
        English is active (the admin); the English article keeps its English notice."""
        self.assertEqual(self.spanish.withdrawal_reason, REASON_ES + ".")
        for language in ("en", "es"):
            with translation.override(language):
                self.assertEqual(self.spanish.withdrawal_notice, NOTICE_ES)
        self.assertEqual(self.article.withdrawal_notice, "")  # English is still live

    def test_live_address_answers_410_in_spanish(self):
        """/es/articles/<slug>/ answers 410 with the Spanish notice and the Spanish list of
        versions, each with a Spanish date; English stays live."""
        response = self.client.get("/es/articles/dose/")
        self.assert_spanish(response, status_code=410)
        self.assertContains(response, "Versiones publicadas, conservadas como registro",
                            status_code=410)  # fmt: skip
        published = self.es_v1.published_at
        self.assertContains(
            response,
            f'<a href="/es/articles/dose/v1/">Versión 1</a>, publicada el {published.day} de ',
            status_code=410,
        )
        self.assertEqual(self.client.get("/articles/dose/").status_code, 200)

    def test_version_pages_history_and_diff_in_spanish(self):
        """Every permanent Spanish page says it in Spanish, and its links work."""
        older = self.client.get("/es/articles/dose/v1/")
        self.assert_spanish(older)
        self.assertContains(older, "Abajo está la versión 1, publicada el ")
        self.assertContains(older, "Publicadas después de la versión 1, antes de retirarlo")
        self.assertContains(
            older, 'href="/es/articles/dose/diff/1/2/">Ver qué cambió desde la versión 1'
        )
        for url in ("/es/articles/dose/v2/", "/es/articles/dose/history/",
                    "/es/articles/dose/diff/1/2/"):  # fmt: skip
            with self.subTest(url=url):
                self.assert_spanish(self.client.get(url))
        for href in links(older):
            if href.startswith("/"):
                self.assertEqual(self.client.get(href).status_code, 200, href)

    def test_handout_says_it_in_spanish_on_screen_and_paper(self):
        """The Spanish handout of a withdrawn translation warns in Spanish, twice."""
        response = self.client.get("/es/articles/dose/v2/handout/")
        self.assertContains(response, NOTICE_ES, count=2)
        self.assertContains(response, "No imprima ni reparta esta página.")
        self.assertContains(response, "<strong>Retirado.</strong>")
        self.assertNotContains(response, "Do not print")

    def test_report_page_of_a_withdrawn_translation(self):
        """The report form of a withdrawn Spanish article shows the Spanish notice."""
        self.assert_spanish(self.client.get("/es/articles/dose/report/"))

    def test_admin_asks_a_translation_for_its_reason_in_its_language(self):
        """Taking a translation offline asks for the reason in Spanish; the English article's
        form says its translations stay live."""
        self.client.force_login(self.publisher)
        spanish = make_translation(make_reviewed_live(
            author=self.author, reviewer=self.reviewer, publisher=self.publisher
        ).article)  # fmt: skip
        make_reviewed_live(
            spanish, "El kratom es una planta [@k1].\n", author=self.author,
            reviewer=self.reviewer, publisher=self.publisher, translates=1,
        )  # fmt: skip
        form = self.client.get(reverse("admin:articles_article_change", args=[spanish.pk]))
        self.assertContains(form, "Reason, written in <strong>Español</strong>")
        self.assertContains(form, "Este artículo se retiró el FECHA porque")
        english = self.client.get(
            reverse("admin:articles_article_change", args=[spanish.original_id])
        )
        self.assertContains(english, "Its translations stay live until each is taken offline")
