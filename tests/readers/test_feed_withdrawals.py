"""A withdrawal reaches feed readers: /feed/ and the article's own feed gain an entry that says
the article was withdrawn and why, in the words of its pages; the older entries still lead
to pages that show the notice."""

import datetime
import xml.etree.ElementTree as ET

from django.test import override_settings

from kratom_info.articles.models import Article, Revision
from kratom_info.editorial.services import article_unpublish
from tests.editorial.base import EditorialTestCase
from tests.factories import make_reviewed_live, make_translation

SITE = "https://kratom.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
WITHDRAWN_AT = datetime.datetime(2026, 3, 3, 15, tzinfo=datetime.UTC)
PUBLISHED_AT = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)  # before the withdrawal


@override_settings(SITE_URL=SITE)
class WithdrawalFeedTests(EditorialTestCase):
    reviewer_languages = ["en", "es"]

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        live = {"author": cls.author, "reviewer": cls.reviewer, "publisher": cls.publisher}
        make_reviewed_live(cls.article, **live)
        english = make_reviewed_live(cls.article, "Kratom is a tree [@k2].\n", **live)
        cls.spanish = make_translation(cls.article, title="La dosis")
        make_reviewed_live(
            cls.spanish, "El kratom es una planta [@k1].\n", translates=english.public_number,
            title="La dosis", **live,
        )  # fmt: skip
        for article, reason in ((cls.article, "a cited study was retracted"),
                                (cls.spanish, "se retractó un estudio citado")):  # fmt: skip
            article_unpublish(article=article, user=cls.publisher, reason=reason)
            Article.objects.filter(pk=article.pk).update(withdrawn_at=WITHDRAWN_AT)
            article.refresh_from_db()
        for number, revision in enumerate(Revision.objects.order_by("pk")):
            Revision.objects.filter(pk=revision.pk).update(
                published_at=PUBLISHED_AT + datetime.timedelta(hours=number)
            )

    def entries(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        root = ET.fromstring(response.content)  # noqa: S314 (our own response)
        return [
            {
                "title": entry.findtext(f"{ATOM}title"),
                "link": entry.find(f"{ATOM}link").get("href"),
                "summary": entry.findtext(f"{ATOM}summary"),
                "id": entry.findtext(f"{ATOM}id"),
                "updated": entry.findtext(f"{ATOM}updated"),
            }
            for entry in root.iter(f"{ATOM}entry")
        ]

    def test_site_feed_has_a_withdrawal_entry_in_the_pages_words(self):
        """The newest entry of /feed/ says the article was withdrawn, when and why, with the
        sentence the article's pages show, and links to the article's address (the notice)."""
        first = self.entries("/feed/")[0]
        self.assertEqual(first["title"], "Dose: withdrawn")
        self.assertEqual(first["summary"], self.article.withdrawal_notice)
        self.assertEqual(
            first["summary"],
            "This article was withdrawn on 3 March 2026 because a cited study was retracted.",
        )
        self.assertEqual(first["link"], f"{SITE}/articles/dose/")
        self.assertTrue(first["updated"].startswith("2026-03-03T15:00:00"))
        page = self.client.get("/articles/dose/")
        self.assertContains(page, self.article.withdrawal_notice, status_code=410)

    def test_withdrawal_entry_has_an_id_of_its_own(self):
        """The entry's id differs from every version's, so feed readers show it as new."""
        ids = [entry["id"] for entry in self.entries("/feed/")]
        self.assertEqual(len(ids), len(set(ids)))

    def test_older_entries_lead_to_pages_that_show_the_notice(self):
        """Every version entry still links to a page (diff or version) carrying the notice."""
        for entry in self.entries("/feed/")[1:]:
            path = entry["link"].removeprefix(SITE)
            self.assertContains(self.client.get(path), self.article.withdrawal_notice)

    def test_the_articles_own_feed_answers_with_the_withdrawal(self):
        """The per-article feed of a withdrawn article is not a 404: it starts with the
        withdrawal, then the versions."""
        entries = self.entries("/feed/articles/dose/")
        self.assertEqual(entries[0]["summary"], self.article.withdrawal_notice)
        self.assertEqual(len(entries), 3)

    def test_spanish_feeds_say_it_in_spanish(self):
        """The Spanish translation's withdrawal, in the Spanish feeds, in its page's words."""
        for url in ("/es/feed/", "/es/feed/articles/dose/"):
            with self.subTest(url=url):
                first = self.entries(url)[0]
                self.assertEqual(first["title"], "La dosis: retirado")
                self.assertEqual(
                    first["summary"],
                    "Este artículo se retiró el 3 de marzo de 2026 porque se retractó un "
                    "estudio citado.",
                )
                self.assertEqual(first["link"], f"{SITE}/es/articles/dose/")

    def test_republished_article_has_no_withdrawal_entry(self):
        """Publishing again clears the withdrawal, and its entry with it."""
        make_reviewed_live(
            self.article, "Kratom is a tree [@k1].\n", author=self.author,
            reviewer=self.reviewer, publisher=self.publisher,
        )  # fmt: skip
        titles = [entry["title"] for entry in self.entries("/feed/")]
        self.assertNotIn("Dose: withdrawn", titles)
