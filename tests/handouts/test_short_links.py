from django.test import TestCase

from tests.factories import make_article, make_revision
from tests.handouts.helpers import make_published_article


class ShortLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_published_article("dose", versions=2, title="Dose ranges")
        cls.code = cls.article.short_code.code
        cls.draft = make_revision(cls.article, "Secret draft.\n")
        cls.other = make_published_article("tolerance", title="Tolerance")
        make_revision(make_article("draft-only", title="Draft only"))

    def test_live_link_redirects_temporarily_to_the_article(self):
        """/h/<code> is a 302 to the live article (the live version changes over time)."""
        with self.assertNumQueries(2):  # the page-cache generation; the code
            response = self.client.get(f"/h/{self.code}")
        self.assertRedirects(response, "/articles/dose/", status_code=302)

    def test_codes_are_case_insensitive_and_accept_a_trailing_slash(self):
        """A code typed in capitals, or with a trailing slash, still works."""
        for url in (f"/h/{self.code.upper()}", f"/h/{self.code}/", f"/h/{self.code.upper()}/"):
            self.assertRedirects(
                self.client.get(url), "/articles/dose/", status_code=302, msg_prefix=url
            )
        self.assertRedirects(
            self.client.get(f"/h/{self.code.upper()}/1/"), "/articles/dose/v1/", status_code=301
        )

    def test_pinned_link_redirects_permanently_to_the_version(self):
        """/h/<code>/<N> is a 301 to version N's permanent page, even after N is superseded."""
        with self.assertNumQueries(2):  # the page-cache generation; the version
            response = self.client.get(f"/h/{self.code}/1")
        self.assertRedirects(response, "/articles/dose/v1/", status_code=301)
        self.assertRedirects(
            self.client.get(f"/h/{self.code}/2"), "/articles/dose/v2/", status_code=301
        )

    def test_live_link_follows_a_new_version_but_pinned_link_does_not(self):
        """After version 3 is published, /h/<code> reaches it and /h/<code>/2 still shows v2."""
        make_revision(self.article, "Version three.\n", publish=True)
        response = self.client.get(f"/h/{self.code}", follow=True)
        self.assertContains(response, "Version three.")
        response = self.client.get(f"/h/{self.code}/2", follow=True)
        self.assertContains(response, "Body of version 2.")
        self.assertNotContains(response, "Version three.")

    def test_unknown_code_gets_a_helpful_404_listing_articles(self):
        """An unknown or malformed code is a 404 that lists every published article."""
        for url in ("/h/zzzz", "/h/zz0z/", "/h/ab-cd-ef-gh", "/h/zzzz/1", "/h/zzzz/qr.png"):
            response = self.client.get(url)
            self.assertContains(response, "We could not find that short link", status_code=404)
            self.assertContains(response, 'href="/articles/dose/"', status_code=404)
            self.assertContains(response, 'href="/articles/tolerance/"', status_code=404)
            self.assertNotContains(response, "Draft only", status_code=404)

    def test_unpublished_version_is_404_listing_the_articles_versions(self):
        """A draft or unknown version number is a 404 naming the article's published versions."""
        for number in (self.draft.number, 99):
            response = self.client.get(f"/h/{self.code}/{number}")
            self.assertContains(response, f"We could not find version {number} of", status_code=404)
            self.assertContains(response, 'href="/articles/dose/v1/"', status_code=404)
            self.assertContains(response, 'href="/articles/dose/v2/"', status_code=404)
            self.assertNotContains(
                response, f'href="/articles/dose/v{self.draft.number}/"', status_code=404
            )
