"""The admin screens around the integrity rules: frozen references, bad input, review dates,
reviewer profiles, outdated revisions and edit conflicts."""

import datetime

from django.urls import reverse
from django.utils import timezone

from kratom_info.articles.models import RevisionStatus
from kratom_info.citations.models import Source
from kratom_info.editorial.models import AuditAction, AuditEvent, ClaimCheck, ReviewSchedule
from kratom_info.editorial.services import (
    EditorialPermissionDenied,
    revision_submit,
    revision_withdraw,
)
from tests.editorial.base import EditorialTestCase, draft
from tests.editorial.test_admin import action_url, edit_url, review_url
from tests.factories import make_approved, make_editor, make_reviewed_live, make_submitted


class FrozenReferencesTests(EditorialTestCase):
    def test_submit_renders_from_the_sources_as_they_are_then(self):
        """A Source edited between saving the draft and submitting it: the frozen reference
        list is rendered at submission, so it shows the edit."""
        revision = draft(self.article, self.author)
        Source.objects.filter(key="k1").update(title="Title corrected before submission")
        revision_submit(revision=revision, user=self.author)
        revision.refresh_from_db()
        self.assertIn("Title corrected before submission", revision.references_html)

    def test_review_screen_shows_the_frozen_reference_not_the_live_record(self):
        """After submission the reviewer sees exactly the frozen reference list, never a
        Source record edited since."""
        revision = make_submitted(self.article, author=self.author)
        frozen_title = Source.objects.get(key="k1").title
        Source.objects.filter(key="k1").update(title="Changed after submission")
        self.client.force_login(self.reviewer)
        response = self.client.get(review_url(revision))
        # Once above the claims citing it, once in the reference list readers get.
        self.assertContains(response, frozen_title, count=2)
        self.assertContains(response, "Reference 1 <span")
        self.assertNotContains(response, "Changed after submission")


class ClaimCheckInputTests(EditorialTestCase):
    def test_malformed_claim_is_a_400_not_a_500(self):
        """claim=abc (or no claim) in the claim-check POST answers 400 and records nothing."""
        revision = make_submitted(self.article, author=self.author)
        self.client.force_login(self.reviewer)
        for data in ({"claim": "abc", "verdict": "supported"}, {"verdict": "supported"}):
            response = self.client.post(action_url(revision, "check"), data)
            self.assertEqual(response.status_code, 400, data)
            self.assertIn(b"claim", response.content)
        self.assertFalse(ClaimCheck.objects.exists())


class ReviewDateBoundsTests(EditorialTestCase):
    def test_review_schedule_admin_refuses_out_of_range_dates_with_a_form_error(self):
        """9999-12-31, a past date and today are refused with the allowed range named."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        before = ReviewSchedule.objects.get().next_review_due
        self.client.force_login(self.publisher)
        url = reverse("admin:editorial_reviewschedule_change", args=[self.article.pk])
        today = timezone.localdate()
        for bad in ("9999-12-31", "2000-01-01", str(today)):
            response = self.client.post(url, {"next_review_due": bad})
            self.assertContains(response, "must be due between tomorrow", msg_prefix=bad)
            self.assertContains(response, "3 years ahead", msg_prefix=bad)
        self.assertEqual(ReviewSchedule.objects.get().next_review_due, before)

    def test_publish_form_names_the_range(self):
        """The publish form's date field is bounded and says so."""
        revision = make_approved(
            make_submitted(self.article, author=self.author), reviewer=self.reviewer
        )
        self.client.force_login(self.publisher)
        response = self.client.get(review_url(revision))
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        self.assertContains(response, f'min="{tomorrow:%Y-%m-%d}"')
        self.assertContains(response, "Between tomorrow and three years ahead.")
        refused = self.client.post(
            action_url(revision, "publish"), {"next_review_due": "9999-12-31"}, follow=True
        )
        self.assertContains(refused, "9999-12-31 is outside that range")


class ReviewerProfileAdminTests(EditorialTestCase):
    def test_approval_without_profile_is_refused_with_what_to_do(self):
        """A reviewer without a profile is told at approval how to get one."""
        nameless = make_editor("nora", "Reviewer", display_name=None)
        revision = make_submitted(self.article, author=self.author)
        self.client.force_login(nameless)
        self.client.post(
            action_url(revision, "check"),
            {"claim": revision.claims.get().pk, "verdict": "supported"},
        )
        response = self.client.post(action_url(revision, "approve"), follow=True)
        self.assertContains(response, "you have no reviewer profile")
        self.assertContains(response, "Reviewer profiles → Add")
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.SUBMITTED)


class OutdatedRevisionTests(EditorialTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = make_editor("bert", "Author")
        cls.older = make_submitted(cls.article, author=cls.author)
        cls.newer = make_reviewed_live(
            cls.article,
            "Kratom is a plant [@k2].\n",
            author=cls.other,
            reviewer=cls.reviewer,
            publisher=cls.publisher,
        )
        cls.older.refresh_from_db()

    def test_older_submission_becomes_outdated_when_a_newer_one_goes_live(self):
        """Publishing v2 marks the still-submitted v1 outdated, with an audit event."""
        self.assertEqual(self.older.status, RevisionStatus.OUTDATED)
        event = AuditEvent.objects.get(revision=self.older, action=AuditAction.OUTDATED)
        self.assertIn("v2 went live first", event.detail)

    def test_dashboard_lists_it_as_outdated_not_awaiting_review(self):
        """The admin dashboard shows it under 'Outdated', no longer under 'Awaiting review'."""
        self.client.force_login(self.author)
        response = self.client.get(reverse("admin:index"))
        html = response.content.decode()
        outdated = html[html.index('id="dashboard-outdated"') :]
        self.assertIn("dose v1", outdated[: outdated.index("</ul>")])
        self.assertNotIn('id="dashboard-awaiting-review"', html)  # empty lists are left out

    def test_only_its_author_can_withdraw_it(self):
        """The author withdraws it from the review screen; nobody else can."""
        with self.assertRaises(EditorialPermissionDenied):
            revision_withdraw(revision=self.older, user=self.other)
        self.client.force_login(self.author)
        page = self.client.get(review_url(self.older))
        self.assertContains(page, "Withdraw from review")
        self.assertContains(page, "can no longer be published")
        response = self.client.post(action_url(self.older, "withdraw"), follow=True)
        self.assertContains(response, "Withdrew dose v1 from review")
        self.older.refresh_from_db()
        self.assertEqual(self.older.status, RevisionStatus.WITHDRAWN)
        self.assertTrue(
            AuditEvent.objects.filter(revision=self.older, action=AuditAction.WITHDRAWN).exists()
        )


class EditConflictConfirmationTests(EditorialTestCase):
    def form_data(self, based_on, body, **extra):
        return {
            "based_on": based_on,
            "title": "Dose",
            "summary": "Summary.",
            "main_message": "",
            "key_points": "One.\nTwo.\nThree.",
            "body": body,
            "change_note": "Edited.",
            **extra,
        }

    def test_second_save_after_a_conflict_needs_the_merge_confirmation(self):
        """After an edit conflict, saving again without ticking 'I have merged the other
        changes' is refused again (nothing saved); with it, the draft is saved."""
        first = draft(self.article, self.author)
        draft(self.article, make_editor("bob", "Author"), body="Bob's edit [@k1].\n")
        self.client.force_login(self.author)
        conflict = self.client.post(
            edit_url(self.article), self.form_data(first.number, "Alice's edit [@k2].\n")
        )
        self.assertContains(conflict, "Edit conflict")
        self.assertContains(conflict, "I have merged the other changes")
        self.assertContains(conflict, 'name="conflict_with" value="2"')

        again = self.client.post(
            edit_url(self.article),
            self.form_data(2, "Alice's edit [@k2].\n", conflict_with="2"),
        )
        self.assertEqual(again.status_code, 200)
        self.assertContains(again, "Not saved: version 2 was created while you were editing")
        self.assertContains(again, "Bob&#x27;s edit [@k1].")  # the version to merge, shown again
        self.assertEqual(self.article.revisions.count(), 2)

        merged = self.client.post(
            edit_url(self.article),
            self.form_data(
                2, "Bob's edit [@k1]. Alice's edit [@k2].\n", conflict_with="2", merged="on"
            ),
        )
        self.assertEqual(self.article.revisions.count(), 3)
        self.assertRedirects(merged, review_url(self.article.revisions.get(number=3)))

    def test_ordinary_save_has_no_confirmation_box(self):
        """Without a conflict the confirmation is neither shown nor needed."""
        self.client.force_login(self.author)
        page = self.client.get(edit_url(self.article))
        self.assertNotContains(page, "I have merged the other changes")
        response = self.client.post(edit_url(self.article), self.form_data(0, "Text [@k1].\n"))
        self.assertEqual(response.status_code, 302)
