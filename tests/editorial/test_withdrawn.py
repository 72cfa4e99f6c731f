"""A withdrawn article (taken offline by a publisher) keeps every promised URL answering."""

from html.parser import HTMLParser

from django.utils import timezone
from django.utils.dateformat import format as date_format

from kratom_info.articles.models import Article, RevisionStatus
from kratom_info.editorial.services import article_unpublish
from tests.editorial.base import EditorialTestCase
from tests.factories import make_reviewed_live

REASON = "a cited study was retracted"


class _Links(HTMLParser):
    """The href of every link inside <main> (or the whole page when it has none)."""

    def __init__(self, *, inside: str | None):
        super().__init__()
        self.inside, self.depth, self.hrefs = inside, 0 if inside else 1, []

    def handle_starttag(self, tag, attrs):
        if tag == self.inside:
            self.depth += 1
        if tag == "a" and self.depth:
            self.hrefs.append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        if tag == self.inside:
            self.depth -= 1


def links(response, inside: str | None = "main") -> list[str]:
    parser = _Links(inside=inside)
    parser.feed(response.content.decode())
    return parser.hrefs


class WithdrawnArticleTests(EditorialTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.v1 = make_reviewed_live(
            cls.article, author=cls.author, reviewer=cls.reviewer, publisher=cls.publisher
        )
        cls.v2 = make_reviewed_live(
            cls.article,
            "Kratom is a plant [@k1]. It is also a tree [@k2].\n",
            author=cls.author,
            reviewer=cls.reviewer,
            publisher=cls.publisher,
        )
        article_unpublish(article=cls.article, user=cls.publisher, reason=REASON)
        cls.article.refresh_from_db()
        cls.code = cls.article.short_code.code
        cls.notice = (
            "This article was withdrawn on "
            f"{date_format(timezone.localtime(cls.article.withdrawn_at), 'j F Y')} "
            f"because {REASON}."
        )

    def assert_links_work(self, response, inside="main"):
        hrefs = [href for href in links(response, inside) if href.startswith("/")]
        self.assertTrue(hrefs)
        for href in hrefs:
            self.assertEqual(self.client.get(href).status_code, 200, href)
        # No "current version" link: there is none, and that URL answers 410.
        self.assertNotIn(self.article.get_absolute_url(), hrefs)
        self.assertNotIn("/articles/dose/handout/", hrefs)

    def test_withdrawal_is_stored_on_the_article(self):
        """The service stores the date and reason; the live version becomes 'unpublished'."""
        self.assertTrue(self.article.is_withdrawn)
        self.assertEqual(self.article.withdrawal_reason, REASON)
        self.v2.refresh_from_db()
        self.assertEqual(self.v2.status, RevisionStatus.UNPUBLISHED)
        self.assertFalse(self.v2.is_live)
        self.assertEqual(self.article.withdrawal_notice, self.notice)

    def test_every_version_answers_200_with_the_notice(self):
        """v1 (superseded before the withdrawal) and v2 (live until then) answer 200 and say
        when and why the article was withdrawn; every link on them works."""
        for revision in (self.v1, self.v2):
            response = self.client.get(revision.get_absolute_url())
            self.assertContains(response, self.notice, msg_prefix=str(revision))
            self.assertNotContains(response, "A newer version of this page exists")
            self.assert_links_work(response)
        older = self.client.get(self.v1.get_absolute_url())
        self.assertContains(older, "/articles/dose/diff/1/2/")

    def test_pinned_short_links_reach_the_versions(self):
        """The printed /h/<code>/N still leads to version N, which answers 200."""
        for number in (1, 2):
            response = self.client.get(f"/h/{self.code}/{number}", follow=True)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, self.notice)

    def test_live_short_link_leads_to_the_notice(self):
        """/h/<code> (the always-current link) leads to the 410 page with the notice."""
        response = self.client.get(f"/h/{self.code}", follow=True)
        self.assertContains(response, self.notice, status_code=410)

    def test_history_and_diff_answer_with_the_notice(self):
        """History lists the versions without a 'current' tag; the diff still works."""
        history = self.client.get("/articles/dose/history/")
        self.assertContains(history, self.notice)
        self.assertNotContains(history, ">current<")
        self.assert_links_work(history)
        diff = self.client.get("/articles/dose/diff/1/2/")
        self.assertContains(diff, self.notice)
        self.assert_links_work(diff)

    def test_handouts_say_withdrawn_and_link_nowhere_dead(self):
        """A version's handout says it was withdrawn (on paper too) and offers no live one."""
        for revision in (self.v1, self.v2):
            response = self.client.get(f"/articles/dose/v{revision.number}/handout/")
            self.assertContains(response, self.notice, count=2)
            self.assertContains(response, "Do not print or hand out this page.")
            self.assert_links_work(response, inside=None)

    def test_live_url_is_gone_with_the_notice(self):
        """/articles/<slug>/ answers 410 with the notice and links to every version."""
        response = self.client.get(self.article.get_absolute_url())
        self.assertContains(response, self.notice, status_code=410)
        self.assertContains(response, self.v1.get_absolute_url(), status_code=410)
        self.assertContains(response, self.v2.get_absolute_url(), status_code=410)

    def test_source_page_calls_no_version_current(self):
        """/sources/<key>/ lists both versions, neither as '(current)'."""
        response = self.client.get("/sources/k1/")
        self.assertContains(response, "version 1")
        self.assertContains(response, "version 2")
        self.assertNotContains(response, "(current)")

    def test_publishing_again_clears_the_withdrawal(self):
        """A new published version ends the withdrawal; the old versions are superseded."""
        v3 = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        article = Article.objects.get(pk=self.article.pk)
        self.assertFalse(article.is_withdrawn)
        self.assertIsNone(article.withdrawn_at)
        self.assertEqual(article.withdrawal_reason, "")
        self.v2.refresh_from_db()
        self.assertEqual(self.v2.status, RevisionStatus.SUPERSEDED)
        response = self.client.get(self.v1.get_absolute_url())
        self.assertNotContains(response, "withdrawn")
        self.assertContains(response, "A newer version of this page exists")
        self.assertContains(response, f"/articles/dose/diff/1/{v3.number}/")
        self.assertContains(self.client.get("/articles/dose/"), "Kratom is a plant")
