from django.urls import reverse

from kratom_info.articles.models import RevisionStatus
from kratom_info.editorial.models import AuditEvent
from kratom_info.profiles.models import ReviewerProfile
from tests.editorial.base import NEXT_YEAR, EditorialTestCase, draft
from tests.factories import (
    check_supported,
    make_approved,
    make_article,
    make_editor,
    make_reviewed_live,
    make_source,
    make_submitted,
)


def edit_url(article):
    return reverse("admin:articles_article_edit", args=[article.pk])


def review_url(revision):
    return reverse("admin:articles_revision_change", args=[revision.pk])


def action_url(revision, name):
    return reverse(f"admin:articles_revision_{name}", args=[revision.pk])


class EditorViewTests(EditorialTestCase):
    def form_data(self, based_on, body="New text [@k1].\n", note="Clarified."):
        return {
            "based_on": based_on,
            "title": "Dose",
            "summary": "Summary.",
            "main_message": "",
            "key_points": "One.\nTwo.",
            "body": body,
            "change_note": note,
        }

    def test_editor_starts_from_latest_revision_with_markdownx(self):
        """The edit form is prefilled from the latest revision and uses the protected preview."""
        draft(self.article, self.author, body="Latest words [@k1].\n")
        self.client.force_login(self.author)
        response = self.client.get(edit_url(self.article))
        self.assertContains(response, "Latest words [@k1].")
        self.assertContains(response, 'name="based_on" value="1"')
        self.assertContains(
            response, 'data-markdownx-urls-path="/editorial/markdownx/markdownify/"'
        )
        self.assertContains(response, "markdownx/js/markdownx")

    def test_save_creates_a_draft_and_redirects_to_it(self):
        """Saving creates a new draft revision and opens its page."""
        self.client.force_login(self.author)
        response = self.client.post(edit_url(self.article), self.form_data(0))
        revision = self.article.revisions.get()
        self.assertRedirects(response, review_url(revision))
        self.assertEqual(revision.key_points, ["One.", "Two."])
        self.assertEqual(revision.author, self.author)

    def test_change_note_required_in_form(self):
        """The form refuses a save without a change note and keeps the text."""
        self.client.force_login(self.author)
        response = self.client.post(edit_url(self.article), self.form_data(0, note=""))
        self.assertContains(response, "This field is required.")
        self.assertContains(response, "New text [@k1].")
        self.assertFalse(self.article.revisions.exists())

    def test_conflict_shows_message_link_and_keeps_text(self):
        """Saving over a newer revision fails with a clear message, a link to the newer revision,
        and the editor's text still in the form."""
        first = draft(self.article, self.author)
        newer = draft(self.article, make_editor("bob", "Author"), body="Bob's edit [@k1].\n")
        self.client.force_login(self.author)
        response = self.client.post(
            edit_url(self.article), self.form_data(first.number, body="Alice's edit [@k2].\n")
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Edit conflict")
        self.assertContains(response, f'href="{review_url(newer)}"')
        self.assertContains(response, "Alice&#x27;s edit [@k2].")
        self.assertContains(response, 'name="based_on" value="2"')
        self.assertEqual(self.article.revisions.count(), 2)

    def test_unknown_key_error_shown(self):
        """A body citing an unknown key is refused with the key named."""
        self.client.force_login(self.author)
        response = self.client.post(
            edit_url(self.article), self.form_data(0, body="Claim [@nope].\n")
        )
        self.assertContains(response, "unknown citation key &#x27;nope&#x27;")

    def test_reviewer_cannot_open_the_editor(self):
        """Users without the edit permission get 403."""
        self.client.force_login(self.reviewer)
        self.assertEqual(self.client.get(edit_url(self.article)).status_code, 403)


class ReviewScreenTests(EditorialTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_source(
            "pm1", doi="10.1000/xyz", pmid="12345", url="https://example.org/s", notes="Small n."
        )

    def test_review_screen_shows_diff_claims_and_full_sources(self):
        """The reviewer sees the diff against the live version first, then the new claims,
        marked, each with its full reference (DOI, PubMed and URL links) and the source's
        notes, then the unchanged ones with their carry-over."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        revision = make_submitted(
            self.article, "Kratom is a plant [@k1]. New study [@pm1].\n", author=self.author
        )
        self.client.force_login(self.reviewer)
        response = self.client.get(review_url(revision))
        self.assertContains(response, "Changes since published version 1")
        self.assertContains(response, "[added: </span>")
        self.assertContains(response, 'href="https://doi.org/10.1000/xyz"')
        self.assertContains(response, 'href="https://pubmed.ncbi.nlm.nih.gov/12345/"')
        self.assertContains(response, 'href="https://example.org/s"')
        self.assertContains(response, "Small n.")
        self.assertContains(response, "Unchanged since version 1, where it was checked")
        self.assertContains(response, "Carry over 1 earlier verdict(s)")
        html = response.content.decode()
        # The change comes first, then the new claim, then the unchanged one.
        self.assertLess(html.index('id="diff-heading"'), html.index('id="claims-heading"'))
        self.assertLess(html.index('id="claims-changed-heading"'), html.index('id="claim-2"'))
        self.assertLess(html.index('id="claim-2"'), html.index('id="claims-unchanged-heading"'))
        self.assertLess(html.index('id="claims-unchanged-heading"'), html.index('id="claim-1"'))
        self.assertIn("new or changed</strong>", html)

    def test_author_approve_attempt_refused_in_admin(self):
        """An author holding the reviewer role is refused when approving their own revision."""
        both = make_editor("olga", "Author", "Reviewer")
        revision = make_submitted(self.article, author=both)
        check_supported(revision.claims.get(), reviewer=self.reviewer)
        self.client.force_login(both)
        response = self.client.post(action_url(revision, "approve"), follow=True)
        self.assertContains(response, "four-eyes rule")
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.SUBMITTED)

    def test_reviewer_checks_claim_and_approves_through_admin(self):
        """The buttons call the services: claim verdict, then approval with a comment."""
        revision = make_submitted(self.article, author=self.author)
        self.client.force_login(self.reviewer)
        self.client.post(
            action_url(revision, "check"),
            {"claim": revision.claims.get().pk, "verdict": "supported", "locator-1": "table 1"},
        )
        response = self.client.post(
            action_url(revision, "approve"), {"comment": "Well sourced."}, follow=True
        )
        self.assertContains(response, "Approved")
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.APPROVED)
        self.assertEqual(revision.review_decision.comment, "Well sourced.")

    def test_not_supported_without_note_refused_in_admin(self):
        """A 'not supported' verdict without a note shows the error."""
        revision = make_submitted(self.article, author=self.author)
        self.client.force_login(self.reviewer)
        response = self.client.post(
            action_url(revision, "check"),
            {"claim": revision.claims.get().pk, "verdict": "not_supported", "note": ""},
            follow=True,
        )
        self.assertContains(response, "a note is required")

    def test_blocked_publish_lists_every_reason(self):
        """When publishing is blocked the admin lists every reason."""
        revision = make_approved(
            make_submitted(self.article, author=self.author), reviewer=self.reviewer
        )
        ReviewerProfile.objects.filter(user=self.reviewer).delete()
        self.client.force_login(self.publisher)
        response = self.client.post(
            action_url(revision, "publish"), {"next_review_due": "2000-01-01"}, follow=True
        )
        self.assertContains(response, "cannot be published")
        self.assertContains(response, "has no reviewer profile")
        self.assertContains(response, "must be due between tomorrow")
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.APPROVED)

    def test_publisher_publishes(self):
        """A publisher publishes an approved revision with a review date."""
        revision = make_approved(
            make_submitted(self.article, author=self.author), reviewer=self.reviewer
        )
        self.client.force_login(self.publisher)
        response = self.client.post(
            action_url(revision, "publish"), {"next_review_due": str(NEXT_YEAR)}, follow=True
        )
        self.assertContains(response, "Readers now see it")
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.PUBLISHED)

    def test_draft_page_names_uncited_numbers_and_submit_refusal(self):
        """A draft's page names each uncited number; submitting shows the blocking reason."""
        revision = draft(self.article, self.author, body="Take 3 g.\n")
        self.client.force_login(self.author)
        self.assertContains(
            self.client.get(review_url(revision)),
            "Line 1: states a number without a citation: &#x27;Take 3 g.&#x27;",
        )
        response = self.client.post(action_url(revision, "submit"), follow=True)
        self.assertContains(response, "Line 1: states a number without a citation")


class AuditAdminTests(EditorialTestCase):
    def test_audit_trail_shown_per_article_and_read_only(self):
        """The article page lists its audit events; events cannot be changed or deleted."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        admin_user = make_editor("root", is_superuser=True)
        self.client.force_login(admin_user)
        response = self.client.get(reverse("admin:articles_article_change", args=[self.article.pk]))
        self.assertContains(response, "Audit trail")
        self.assertContains(response, "Published")
        event = AuditEvent.objects.first()
        change = self.client.get(reverse("admin:editorial_auditevent_change", args=[event.pk]))
        self.assertNotContains(change, 'name="_save"')
        delete = self.client.post(reverse("admin:editorial_auditevent_delete", args=[event.pk]))
        self.assertEqual(delete.status_code, 403)
        self.assertTrue(AuditEvent.objects.filter(pk=event.pk).exists())
        add = self.client.get(reverse("admin:editorial_auditevent_add"))
        self.assertEqual(add.status_code, 403)


class SourceAdminTests(EditorialTestCase):
    def source_data(self, **overrides):
        data = {
            "key": "new2024",
            "kind": "journal_article",
            "authors": "Doe J",
            "year": "2024",
            "title": "A title",
            "doi": "10.1000/abc",
            "pmid": "",
            "url": "",
        }
        data.update(overrides)
        return data

    def test_author_adds_source_with_checked_identifiers(self):
        """DOIs and PMIDs are checked for form when a source is added."""
        self.client.force_login(self.author)
        url = reverse("admin:citations_source_add")
        bad = self.client.post(url, self.source_data(doi="doi.org/10.1", pmid="12a"))
        self.assertContains(bad, "should look like 10.1234/abc")
        self.assertContains(bad, "should be digits only")
        good = self.client.post(url, self.source_data())
        self.assertEqual(good.status_code, 302)


class DashboardTests(EditorialTestCase):
    def test_admin_index_lists_review_work_and_hides_empty_lists(self):
        """The admin index shows the lists that hold something (awaiting review) and leaves
        out the empty ones (overdue, due soon, sent back)."""
        make_submitted(self.article, author=self.author)
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Editorial dashboard")
        self.assertContains(response, "Awaiting review (1)")
        self.assertNotContains(response, "Overdue for review")
        self.assertNotContains(response, "Due within 30 days")
        self.assertNotContains(response, "Sent back for changes")

    def test_each_person_sees_their_own_work_first(self):
        """A reviewer sees what awaits their review, an author their drafts and what was sent
        back to them, a publisher what waits to be published: above everyone's lists. Nobody
        is asked to review their own text."""
        from kratom_info.editorial.services import revision_request_changes

        submitted = make_submitted(self.article, author=self.author)
        other = make_article("other")
        sent_back = make_submitted(other, author=self.author)
        revision_request_changes(revision=sent_back, user=self.reviewer, comment="Fix the dose.")
        third = make_article("third")
        draft(third, self.author)
        approved = make_approved(
            make_submitted(make_article("fourth"), author=self.author), reviewer=self.reviewer
        )

        self.client.force_login(self.reviewer)
        html = self.client.get(reverse("admin:index")).content.decode()
        self.assertLess(html.index('id="your-work"'), html.index('id="editorial-dashboard"'))
        self.assertIn("Awaiting your review (1)", html)
        self.assertIn(f'href="/admin/articles/revision/{submitted.pk}/change/"', html)
        self.assertNotIn("Your drafts", html)

        self.client.force_login(self.author)
        html = self.client.get(reverse("admin:index")).content.decode()
        self.assertIn("Your drafts (1)", html)
        self.assertIn("Sent back to you (1)", html)
        self.assertIn("Fix the dose.", html)
        self.assertNotIn("Awaiting your review", html)  # authors do not review

        self.client.force_login(self.publisher)
        html = self.client.get(reverse("admin:index")).content.decode()
        self.assertIn("Approved and waiting for you to publish (1)", html)
        self.assertIn(f'href="/admin/articles/revision/{approved.pk}/change/"', html)

    def test_admin_header_and_title_name_the_site(self):
        """The header and the page title say the site's name, not "Django administration"."""
        self.client.force_login(self.author)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Kratom Facts · editorial")
        self.assertContains(
            response, "<title>Your work and the site&#x27;s | Kratom Facts editorial</title>"
        )
        self.assertNotContains(response, "Django administration")
        self.assertNotContains(response, "Django site admin")


class ReviewerProfileAdminTests(EditorialTestCase):
    def test_reviewer_sees_and_edits_only_own_profile(self):
        """Each reviewer sees only their own profile."""
        other = make_editor("sam", "Reviewer", display_name="Dr Sam")
        self.client.force_login(self.reviewer)
        listing = self.client.get(reverse("admin:profiles_reviewerprofile_changelist"))
        self.assertContains(listing, "Dr Rita Reyes")
        self.assertNotContains(listing, "Dr Sam")
        own = self.reviewer.reviewer_profile
        response = self.client.post(
            reverse("admin:profiles_reviewerprofile_change", args=[own.pk]),
            {"declared_interests": "Speaker fees (2025)"},
        )
        self.assertEqual(response.status_code, 302)
        own.refresh_from_db()
        self.assertEqual(own.declared_interests, "Speaker fees (2025)")
        other_url = reverse(
            "admin:profiles_reviewerprofile_change", args=[other.reviewer_profile.pk]
        )
        self.assertEqual(self.client.get(other_url).status_code, 302)  # "does not exist" redirect


class PublisherAdminTests(EditorialTestCase):
    def test_unpublish_button_takes_article_offline(self):
        """The article page's Unpublish form calls the service and is audited."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        self.client.force_login(self.publisher)
        page = self.client.get(reverse("admin:articles_article_change", args=[self.article.pk]))
        self.assertContains(page, "Take this article offline")
        url = reverse("admin:articles_article_unpublish", args=[self.article.pk])
        response = self.client.post(url, {"reason": "Outdated."}, follow=True)
        self.assertContains(response, "is offline")
        self.article.refresh_from_db()
        self.assertIsNone(self.article.live_revision)
        self.assertTrue(
            AuditEvent.objects.filter(action="unpublished", detail="Outdated.").exists()
        )

    def test_publisher_moves_review_date_in_admin(self):
        """Editing the review date in the admin goes through the service (audited)."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        self.client.force_login(self.publisher)
        url = reverse("admin:editorial_reviewschedule_change", args=[self.article.pk])
        response = self.client.post(url, {"next_review_due": str(NEXT_YEAR)})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.article.review_schedule.next_review_due, NEXT_YEAR)
        self.assertTrue(AuditEvent.objects.filter(action="review_date_changed").exists())

    def test_carry_over_button_reports_count(self):
        """Carrying over from the review screen reports how many verdicts were carried."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        revision = make_submitted(self.article, author=self.author)
        self.client.force_login(make_editor("sam", "Reviewer"))
        response = self.client.post(action_url(revision, "carry_over"), follow=True)
        self.assertContains(response, "Carried over 1 earlier verdict(s).")
