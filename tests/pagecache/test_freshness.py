"""Publishing, unpublishing and review-date changes make every affected cached page fresh at
once; drafts are never cached; a cached page costs no query beyond the generation."""

import datetime

from django.test import TestCase
from django.utils import timezone

from kratom_info.editorial.services import article_unpublish, review_schedule_set
from tests.factories import (
    make_article,
    make_editor,
    make_reviewed_live,
    make_revision,
    make_source,
)


class PublishFreshnessTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        cls.article = make_article("dose", title="Dose")
        make_revision(cls.article, "First words [@k1].\n", title="Dose one", publish=True)
        cls.v2 = make_revision(cls.article, "Second words [@k1].\n", title="Dose", publish=True)
        cls.code = cls.article.short_code.code

    PAGES = (
        "/",
        "/articles/dose/",
        "/articles/dose/v1/",
        "/articles/dose/v2/",
        "/articles/dose/history/",
        "/articles/dose/handout/",
        "/sources/",
        "/sources/k1/",
        "/clinics/",
    )

    def warm(self):
        for url in self.PAGES:
            self.assertEqual(self.client.get(url).status_code, 200, url)
            with self.assertNumQueries(1, msg=url):  # the generation only: a cache hit
                self.client.get(url)

    def test_cached_page_costs_only_the_generation_query(self):
        """The second request for a public page is served from the cache, same bytes."""
        for url in self.PAGES:
            first = self.client.get(url)
            with self.assertNumQueries(1):
                second = self.client.get(url)
            self.assertEqual(first.content, second.content, url)
            self.assertEqual(first["ETag"], second["ETag"], url)

    def test_publish_makes_every_page_fresh_at_once(self):
        """After a publish, the live page, both /vN/ banners, home, history, handout, sources
        and clinics show version 3 on the very next request."""
        self.warm()
        make_revision(
            self.article,
            "Third words [@k1].\n",
            title="Dose three",
            change_note="Third change.",
            publish=True,
        )
        expectations = {
            "/": "Dose three",
            "/articles/dose/": "Third words",
            "/articles/dose/v1/": 'href="/articles/dose/v3/"',
            "/articles/dose/v2/": "Third change.",
            "/articles/dose/history/": "Version 3",
            "/articles/dose/handout/": "Dose three",
            "/sources/": "Cited in 3 published versions",
            "/sources/k1/": 'href="/articles/dose/v3/"',
            "/clinics/": "Current version 3",
        }
        for url, text in expectations.items():
            self.assertContains(self.client.get(url), text, msg_prefix=url)

    def test_version_page_tag_changes_when_a_newer_version_appears(self):
        """/v2/ gets a new ETag (its banner) once v3 is published; its body is unchanged."""
        before = self.client.get("/articles/dose/v2/")
        self.assertNotContains(before, "A newer version of this page exists")
        make_revision(self.article, "Third words [@k1].\n", publish=True)
        after = self.client.get("/articles/dose/v2/")
        self.assertContains(after, "A newer version of this page exists")
        self.assertNotEqual(before["ETag"], after["ETag"])
        self.assertContains(after, "Second words")

    def test_drafts_are_never_cached_or_shown(self):
        """A draft's version URL is a 404 that no cache keeps; once published it shows."""
        draft = make_revision(self.article, "Draft words [@k1].\n")
        url = f"/articles/dose/v{draft.number}/"
        for _ in range(2):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 404)
            self.assertIn("no-store", response["Cache-Control"])
        self.assertNotContains(self.client.get("/articles/dose/"), "Draft words")
        self.assertNotContains(self.client.get("/articles/dose/"), "Draft words")
        from kratom_info.articles.services import revision_publish_unreviewed

        revision_publish_unreviewed(revision=draft)
        self.assertContains(self.client.get(url), "Draft words")
        self.assertContains(self.client.get("/articles/dose/"), "Draft words")

    def test_a_rolled_back_publish_changes_nothing(self):
        """A publish that fails inside its transaction leaves the cached pages in place."""
        from django.db import transaction

        from kratom_info.pagecache.models import PublicContentGeneration

        self.warm()
        before = PublicContentGeneration.objects.get().token
        revision = make_revision(self.article, "Never shown [@k1].\n")
        try:
            with transaction.atomic():
                from kratom_info.articles.services import revision_publish_unreviewed

                revision_publish_unreviewed(revision=revision)
                raise RuntimeError("the publish fails after the move")
        except RuntimeError:
            pass
        self.assertEqual(PublicContentGeneration.objects.get().token, before)
        self.assertNotContains(self.client.get("/articles/dose/"), "Never shown")


class EditorialFreshnessTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        cls.author = make_editor("alice", "Author")
        cls.reviewer = make_editor("rita", "Reviewer", display_name="Dr Rita Reyes")
        cls.publisher = make_editor("paul", "Publisher")
        cls.article = make_article("dose", title="Dose")
        make_reviewed_live(
            cls.article, author=cls.author, reviewer=cls.reviewer, publisher=cls.publisher
        )

    def test_unpublish_removes_the_article_everywhere_at_once(self):
        """After unpublishing, the live URL is 410 Gone and home no longer lists it."""
        self.assertContains(self.client.get("/"), 'href="/articles/dose/"')
        self.assertEqual(self.client.get("/articles/dose/").status_code, 200)
        article_unpublish(article=self.article, user=self.publisher, reason="Out of date.")
        self.assertEqual(self.client.get("/articles/dose/").status_code, 410)
        self.assertNotContains(self.client.get("/"), 'href="/articles/dose/"')
        self.assertContains(self.client.get("/articles/dose/v1/"), "This article was withdrawn on")

    def test_new_review_date_shows_at_once(self):
        """Moving the next-review date changes the cached live page."""
        self.client.get("/articles/dose/")
        due = timezone.localdate() + datetime.timedelta(days=40)
        review_schedule_set(article=self.article, user=self.publisher, next_review_due=due)
        self.assertContains(self.client.get("/articles/dose/"), f"Next review due {due:%-d %B %Y}")
