import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

from kratom_info.editorial.services import article_unpublish
from tests.editorial.base import EditorialTestCase
from tests.factories import make_reviewed_live, make_revision

DUE = timezone.localdate() + datetime.timedelta(days=200)


def long_date(day) -> str:
    return date_format(day, "j F Y")


class ReviewedPageTests(EditorialTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.imported = make_revision(cls.article, publish=True)
        cls.reviewed = make_reviewed_live(
            cls.article,
            author=cls.author,
            reviewer=cls.reviewer,
            publisher=cls.publisher,
            next_review_due=DUE,
        )

    def test_live_page_names_reviewer_and_next_review(self):
        """A revision published through the gate shows who reviewed it, when, and the next
        review date."""
        response = self.client.get(self.article.get_absolute_url())
        today = long_date(timezone.localdate())
        self.assertContains(response, f"Reviewed by Dr Rita Reyes (Pharmacist) on {today}.")
        self.assertContains(response, f"Next review due {long_date(DUE)}.")
        self.assertNotContains(response, "has not been reviewed")

    def test_reviewed_page_query_count(self):
        """The reviewed article page needs two queries: the page-cache generation, then the
        article with its live revision, publication record and review schedule."""
        url = self.article.get_absolute_url()
        with self.assertNumQueries(2):
            self.client.get(url)

    def test_reviewed_permalink_query_count(self):
        """A reviewed version's permanent link stays within the public-page query budget."""
        url = self.reviewed.get_absolute_url()
        with self.assertNumQueries(2):
            self.client.get(url)

    def test_imported_version_keeps_honest_not_reviewed_text(self):
        """An imported, unreviewed version never claims a review."""
        response = self.client.get(self.imported.get_absolute_url())
        self.assertContains(response, "has not been reviewed by a named reviewer")
        self.assertNotContains(response, "Reviewed by")
        self.assertContains(response, "A newer version of this page exists")

    def test_old_reviewed_version_shows_its_reviewer_without_review_date(self):
        """A superseded reviewed version still names its reviewer but no next review date."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        response = self.client.get(self.reviewed.get_absolute_url())
        self.assertContains(response, "Reviewed by Dr Rita Reyes (Pharmacist)")
        self.assertNotContains(response, "Next review due")
        self.assertContains(response, "A newer version of this page exists")


class UnpublishedPageTests(EditorialTestCase):
    def test_withdrawn_article_live_url_gone_permalink_kept(self):
        """After unpublishing, the live URL is 410 and the version link says it is withdrawn."""
        live = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        article_unpublish(article=self.article, user=self.publisher, reason="Outdated.")
        gone = self.client.get(self.article.get_absolute_url())
        self.assertContains(gone, "This article was withdrawn on", status_code=410)
        self.assertContains(gone, live.get_absolute_url(), status_code=410)
        response = self.client.get(live.get_absolute_url())
        self.assertContains(response, "This article was withdrawn on")
        self.assertContains(response, "because Outdated.")
        self.assertNotContains(response, "Next review due")


class DeclaredInterestsTests(EditorialTestCase):
    def test_page_shows_declared_interests_as_they_were_when_published(self):
        """Reader sees who wrote and who reviewed the version, with each one's declared
        conflicts of interest (or that none was declared), frozen at publication."""
        from kratom_info.profiles.models import ReviewerProfile

        ReviewerProfile.objects.filter(user=self.reviewer).update(
            declared_interests="Paid speaker for a pain-medicine maker (2024)."
        )
        ReviewerProfile.objects.create(
            user=self.author, display_name="Sam Writer", role="Health writer"
        )
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        url = self.article.get_absolute_url()
        response = self.client.get(url)
        self.assertContains(
            response,
            "Reviewer's declared interests: Paid speaker for a pain-medicine maker (2024).",
        )
        self.assertContains(response, "Written by Sam Writer (Health writer).")
        self.assertContains(response, "The author declared no conflict of interest.")
        # A later change to a profile does not rewrite what a published version says.
        ReviewerProfile.objects.filter(user=self.reviewer).update(declared_interests="")
        from kratom_info.pagecache.generation import public_content_changed

        public_content_changed()
        self.assertContains(self.client.get(url), "Paid speaker for a pain-medicine maker")

    def test_no_declaration_says_so(self):
        """A reviewer who declared nothing is shown as having declared no conflict."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        response = self.client.get(self.article.get_absolute_url())
        self.assertContains(response, "The reviewer declared no conflict of interest.")
