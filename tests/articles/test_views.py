from django.test import TestCase, override_settings
from django.urls import reverse

from kratom_info.articles.models import RevisionStatus
from tests.factories import make_article, make_revision, make_source

BODY_V1 = "## Effects\n\nLow doses feel stimulating [@low2012].\n\nHigh doses sedate [@high2020].\n"
BODY_V2 = (
    "## Effects\n\nLow doses may feel stimulating [@low2012].\n\nHigh doses sedate [@high2020].\n"
)


class PublicPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.low = make_source("low2012", title="Low dose study", authors="Low L")
        make_source("high2020", title="High dose study", authors="High H")
        cls.article = make_article("dose", title="Dose ranges")
        cls.v1 = make_revision(
            cls.article, BODY_V1, title="Dose ranges", change_note="First version.", publish=True
        )
        cls.v2 = make_revision(
            cls.article, BODY_V2, title="Dose ranges", change_note="Softer wording.", publish=True
        )
        cls.draft = make_revision(cls.article, "Secret draft text.\n", title="Dose ranges")
        cls.unpublished = make_article("unpublished", title="Unpublished")
        make_revision(cls.unpublished, "Draft only.\n")

    def test_home_lists_published_articles_only(self):
        """The home page lists live articles with summaries, never draft-only ones."""
        response = self.client.get("/")
        self.assertContains(response, "Dose ranges")
        self.assertContains(response, 'href="/articles/dose/"')
        self.assertNotContains(response, "Unpublished")

    def test_article_page_shows_live_revision(self):
        """/articles/<slug>/ shows the live revision with meta, references and honest status."""
        # The page-cache generation; the article with its live revision and review record.
        with self.assertNumQueries(2):
            response = self.client.get("/articles/dose/")
        self.assertContains(response, "Low doses may feel stimulating")
        self.assertContains(response, "Version 2, published")
        self.assertContains(response, 'id="ref-1"')
        self.assertContains(response, "Low dose study")
        self.assertContains(response, "has not been reviewed by a named reviewer")
        self.assertContains(response, 'href="/articles/dose/history/"')
        self.assertContains(response, "<h1>", count=1)
        self.assertNotContains(response, "Secret draft text")
        self.assertNotContains(response, "A newer version of this page exists")

    def test_help_lines_and_disclaimer_on_every_page(self):
        """The footer with help lines (naloxone included) and the not-medical-advice line is on
        every page."""
        for url in ("/", "/articles/dose/", "/articles/dose/v1/", "/sources/", "/nope/"):
            response = self.client.get(url)
            self.assertContains(response, "988", status_code=response.status_code)
            self.assertContains(response, "1-800-662-4357", status_code=response.status_code)
            self.assertContains(response, "1-800-222-1222", status_code=response.status_code)
            self.assertContains(
                response, "give naloxone (Narcan) right away", status_code=response.status_code
            )
            self.assertContains(response, "838255", status_code=response.status_code)
            self.assertContains(
                response, "information, not medical advice", status_code=response.status_code
            )

    @override_settings(SITE_URL="https://kratom.example.org")
    def test_permalink_shows_old_version_with_banner(self):
        """/v1/ shows version 1 exactly, with a banner linking to current and to the diff."""
        # The page-cache generation; the version with its review record; every newer version.
        with self.assertNumQueries(3):
            response = self.client.get("/articles/dose/v1/")
        self.assertContains(response, "Low doses feel stimulating")
        self.assertNotContains(response, "Low doses may feel")
        self.assertContains(response, "A newer version of this page exists")
        self.assertContains(response, 'href="/articles/dose/diff/1/2/"')
        self.assertContains(
            response, 'rel="canonical" href="https://kratom.example.org/articles/dose/"'
        )

    def test_permalink_of_live_version_has_no_banner(self):
        """The live version's own permanent link shows no newer-version banner."""
        response = self.client.get("/articles/dose/v2/")
        self.assertContains(response, "Version 2")
        self.assertNotContains(response, "A newer version of this page exists")

    def test_permalink_unchanged_by_later_source_edit(self):
        """Editing a source later never changes what a published version shows."""
        before = self.client.get("/articles/dose/v1/").content
        self.low.title = "A completely different title"
        self.low.save()
        after = self.client.get("/articles/dose/v1/").content
        self.assertEqual(before, after)
        self.assertNotIn(b"A completely different title", after)

    def test_permalink_unchanged_by_later_versions(self):
        """Publishing version 3 leaves version 1's body and references exactly as they were."""
        before = self.v1.body_html + self.v1.references_html
        make_revision(
            self.article, "Brand new text [@high2020].\n", title="Dose ranges", publish=True
        )
        response = self.client.get("/articles/dose/v1/")
        self.assertContains(response, self.v1.body_html, html=False)
        self.v1.refresh_from_db()
        self.assertEqual(before, self.v1.body_html + self.v1.references_html)

    def test_drafts_and_unknown_versions_are_404(self):
        """Unpublished versions, unknown slugs and numbers get the site's 404 page."""
        for url in (
            f"/articles/dose/v{self.draft.number}/",
            "/articles/dose/v99/",
            "/articles/unpublished/",
            "/articles/unpublished/v1/",
            "/articles/unpublished/history/",
            "/articles/nosuch/",
            f"/articles/dose/diff/1/{self.draft.number}/",
            "/articles/dose/diff/1/1/",
            "/sources/nosuch/",
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertContains(response, "We could not find that page", status_code=404)

    def test_history_lists_published_versions_with_notes(self):
        """History lists every published version, newest first, with date, note and diff link."""
        response = self.client.get("/articles/dose/history/")
        content = response.content.decode()
        self.assertLess(content.index("Version 2"), content.index("Version 1"))
        self.assertContains(response, "Softer wording.")
        self.assertContains(response, "First version.")
        self.assertContains(response, 'href="/articles/dose/diff/1/2/"')
        self.assertNotContains(response, f"Version {self.draft.number}<")

    def test_diff_marks_words_with_ins_and_del_and_labels(self):
        """The diff marks added and removed words with <ins>/<del> and text labels."""
        response = self.client.get("/articles/dose/diff/1/2/")
        self.assertContains(response, '<ins><span class="diff-label">[added: </span>may ')
        self.assertContains(response, "1 word added")
        self.assertContains(response, "Softer wording.")

    def test_sources_pages_list_citing_versions(self):
        """/sources/ lists sources; /sources/<key>/ lists the published versions citing it."""
        response = self.client.get("/sources/")
        self.assertContains(response, "Low dose study")
        self.assertContains(response, reverse("citations:source_detail", args=["low2012"]))
        with self.assertNumQueries(3):  # the page-cache generation, the source, its citers
            response = self.client.get("/sources/low2012/")
        self.assertContains(response, 'href="/articles/dose/v1/"')
        self.assertContains(response, 'href="/articles/dose/v2/"')
        self.assertNotContains(response, f"/articles/dose/v{self.draft.number}/")

    def test_superseded_status_is_public(self):
        """Superseded versions remain readable: their status is public."""
        self.v1.refresh_from_db()
        self.assertEqual(self.v1.status, RevisionStatus.SUPERSEDED)
        self.assertTrue(self.v1.is_public)


class ContactAddressTests(TestCase):
    def test_footer_shows_contact_address_only_when_configured(self):
        """The report-an-error line appears only when DJANGO_CONTACT_EMAIL is set."""
        with self.settings(CONTACT_EMAIL=""):
            self.assertNotContains(self.client.get("/"), "Found a mistake?")
        with self.settings(CONTACT_EMAIL="fix@example.org"):
            self.assertContains(self.client.get("/"), 'href="mailto:fix@example.org"')
