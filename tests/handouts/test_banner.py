from django.test import TestCase

from tests.factories import make_revision
from tests.handouts.helpers import make_published_article


class UpdatedSinceNoticeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_published_article("dose", versions=3)
        cls.v1, cls.v2, cls.v3 = cls.article.revisions.order_by("number")
        cls.draft = make_revision(cls.article, "Draft.\n", change_note="Secret draft note.")

    def test_newer_public_revisions_lists_later_published_versions_only(self):
        """Newer versions are the later published ones, oldest first, never drafts."""
        self.assertEqual(list(self.v1.newer_public_revisions()), [self.v2, self.v3])
        self.assertEqual(list(self.v3.newer_public_revisions()), [])

    def test_superseded_version_shows_every_newer_version(self):
        """An old permanent link says it was updated since the handout was printed, with the
        date and change note of every newer version, in a fixed number of queries."""
        with self.assertNumQueries(3):
            response = self.client.get("/articles/dose/v1/")
        self.assertContains(response, "this page has been updated since your handout was printed")
        self.assertContains(response, "Body of version 1.")
        for revision in (self.v2, self.v3):
            self.assertContains(response, f'href="/articles/dose/v{revision.number}/"')
            self.assertContains(response, revision.change_note)
            self.assertContains(response, f"published {revision.published_at:%-d %B %Y}")
        self.assertNotContains(response, "Change 1.")
        self.assertNotContains(response, "Secret draft note.")

    def test_notice_links_to_current_version_and_diff(self):
        """The notice links to the current version and to the diff from this version to it."""
        response = self.client.get("/articles/dose/v2/")
        self.assertContains(response, 'href="/articles/dose/diff/2/3/"')
        self.assertContains(response, '<a href="/articles/dose/">Read the current version</a>')
        self.assertNotContains(response, 'href="/articles/dose/v1/"')

    def test_query_count_does_not_grow_with_versions(self):
        """More newer versions cost no extra queries."""
        for _ in range(3):
            make_revision(self.article, "More.\n", publish=True)
        with self.assertNumQueries(3):
            self.client.get("/articles/dose/v1/")

    def test_live_version_has_no_notice(self):
        """The live version, at either address, shows no notice."""
        for url in ("/articles/dose/", "/articles/dose/v3/"):
            self.assertNotContains(self.client.get(url), "updated since your handout was printed")
