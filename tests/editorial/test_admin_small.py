"""Small things on the editorial screens: adding an article leads to the editor; opening an
action's address shows a designed page."""

from django.urls import reverse

from kratom_info.articles.models import Article
from tests.editorial.base import EditorialTestCase, draft
from tests.editorial.test_admin import action_url, review_url
from tests.factories import make_editor


class AddArticleTests(EditorialTestCase):
    def test_add_article_leads_to_the_editor(self):
        """'Save' on Add article opens the editor of the new article, with a message."""
        admin = make_editor("ada", "Author", is_superuser=True)
        self.client.force_login(admin)
        response = self.client.post(
            reverse("admin:articles_article_add"),
            {"slug": "new-one", "title": "New one", "order": 5, "audit_events-TOTAL_FORMS": 0,
             "audit_events-INITIAL_FORMS": 0},
            follow=True,
        )  # fmt: skip
        article = Article.objects.get(slug="new-one")
        self.assertRedirects(response, reverse("admin:articles_article_edit", args=[article.pk]))
        self.assertContains(response, "Write its first version below")


class WrongMethodTests(EditorialTestCase):
    def test_opening_an_action_url_shows_a_designed_405(self):
        """GET on an action URL: 405 with Allow: POST, a plain explanation, a link back to
        the record, and nothing changed."""
        revision = draft(self.article, self.author)
        self.client.force_login(self.author)
        for name in ("submit", "check", "approve", "publish"):
            with self.subTest(name=name):
                response = self.client.get(action_url(revision, name))
                self.assertEqual(response.status_code, 405)
                self.assertEqual(response["Allow"], "POST")
                self.assertContains(response, "nothing was changed", status_code=405)
                self.assertContains(
                    response, f'href="{review_url(revision)}" id="back-to-record"', status_code=405
                )
        revision.refresh_from_db()
        self.assertEqual(revision.status, "draft")
