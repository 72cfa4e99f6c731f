"""The content rules run once per text, not at every opening of a draft's review page."""

from unittest import mock

from kratom_info.articles import content_checks
from kratom_info.editorial.services import drafts
from tests.editorial.base import EditorialTestCase, draft
from tests.editorial.test_admin import review_url
from tests.factories import make_source

UNCITED = "Kratom is a plant.\n\nMost people take 5 grams.\n"


class SubmissionProblemsOnceTests(EditorialTestCase):
    def open_review_page(self, revision):
        response = self.client.get(review_url(revision))
        self.assertEqual(response.status_code, 200)
        return response

    def test_review_page_checks_a_draft_once(self):
        """Three openings of a draft's review page run the rules once and show the same
        problems each time."""
        revision = draft(self.article, self.author, body=UNCITED)
        self.client.force_login(self.author)
        with mock.patch.object(drafts, "check_text", wraps=content_checks.check_text) as check_text:
            pages = [self.open_review_page(revision) for _ in range(3)]
        self.assertEqual(check_text.call_count, 1)
        for page in pages:
            self.assertContains(page, "Line 3:")

    def test_an_edit_or_a_new_source_is_checked_afresh(self):
        """Saving the draft again, or a source being added, gives the rules a new look; the
        edited text's problems are its own."""
        revision = draft(self.article, self.author, body=UNCITED)
        with mock.patch.object(drafts, "check_text", wraps=content_checks.check_text) as check_text:
            self.assertTrue(any("Line 3" in p for p in drafts.submission_problems(revision)))
            make_source("k9")
            drafts.submission_problems(revision)
            self.assertEqual(check_text.call_count, 2)
            revision = draft(self.article, self.author, body="Kratom is a plant [@k1].\n")
            self.assertFalse(any("Line 3" in p for p in drafts.submission_problems(revision)))
            self.assertEqual(check_text.call_count, 3)
