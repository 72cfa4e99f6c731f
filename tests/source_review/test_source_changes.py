import datetime

from django.urls import reverse

from kratom_info.articles.models import Revision
from kratom_info.citations.models import Source
from kratom_info.citations.signals import source_public_changed
from kratom_info.editorial.models import AppendOnlyError, AuditAction, AuditEvent
from kratom_info.editorial.services import (
    EditorialError,
    FourEyesViolation,
    MissingPermission,
    PublishBlocked,
    SubmissionBlocked,
    default_next_review_due,
    publish_blockers,
    revision_publish,
    revision_submit,
)
from kratom_info.source_review.models import SourceChange, SourceChangeStatus
from kratom_info.source_review.services import (
    InvalidSourceChange,
    source_change_approve,
    source_change_propose,
    source_change_reject,
)
from tests.editorial.base import EditorialTestCase, draft
from tests.factories import (
    make_approved,
    make_editor,
    make_proposed_source,
    make_reviewed_live,
    make_submitted,
)


class SourceChangeTestCase(EditorialTestCase):
    def propose_title(self, title="A corrected title", *, user=None, key="k1"):
        return source_change_propose(
            user=user or self.author,
            source=Source.objects.get(key=key),
            values={"title": title},
            note="The journal page has this title.",
        )

    def source_actions(self, key="k1"):
        return list(
            AuditEvent.objects.filter(source__key=key)
            .order_by("created_at", "pk")
            .values_list("action", flat=True)
        )


class ProposeTests(SourceChangeTestCase):
    def test_proposal_changes_nothing_readers_see(self):
        """A proposed change is stored, audited, and leaves the source and its page alone."""
        change = self.propose_title()
        source = Source.objects.get(key="k1")
        self.assertEqual(source.title, "A study called k1")
        self.assertEqual(change.status, SourceChangeStatus.PROPOSED)
        self.assertEqual(change.values["title"], "A corrected title")
        self.assertEqual(change.based_on["title"], "A study called k1")
        page = self.client.get(source.get_absolute_url())
        self.assertContains(page, "A study called k1")
        self.assertNotContains(page, "A corrected title")
        self.assertNotContains(self.client.get(reverse("citations:source_list")), "corrected")
        self.assertEqual(self.source_actions(), [AuditAction.SOURCE_PROPOSED])
        event = AuditEvent.objects.get(source=source)
        self.assertEqual(event.user, self.author)
        self.assertIsNone(event.article)
        self.assertIn("title: 'A study called k1' → 'A corrected title'", event.detail)

    def test_only_authors_propose(self):
        """Proposing needs the Author role; reviewers and publishers cannot."""
        for user in (self.reviewer, self.publisher, make_editor("nobody")):
            with self.subTest(user=user.username), self.assertRaises(MissingPermission):
                self.propose_title(user=user)
        self.assertFalse(SourceChange.objects.exists())

    def test_invalid_values_are_refused_with_every_reason(self):
        """Bad values are named field by field and nothing is stored."""
        with self.assertRaises(InvalidSourceChange) as caught:
            source_change_propose(
                user=self.author,
                source=Source.objects.get(key="k1"),
                values={"doi": "doi.org/10.1", "pmid": "12a"},
            )
        text = " ".join(caught.exception.reasons)
        self.assertIn("doi: DOI 'doi.org/10.1' should look like 10.1234/abc", text)
        self.assertIn("pmid: PMID '12a' should be digits only", text)
        self.assertFalse(SourceChange.objects.exists())
        self.assertFalse(AuditEvent.objects.exists())

    def test_unknown_field_key_change_and_no_change_are_refused(self):
        """A proposal may not set unknown fields or the key, and must change something."""
        source = Source.objects.get(key="k1")
        with self.assertRaisesMessage(InvalidSourceChange, "approved"):
            source_change_propose(user=self.author, source=source, values={"approved": True})
        with self.assertRaisesMessage(InvalidSourceChange, "key never changes"):
            source_change_propose(
                user=self.author, source=source, key="other", values={"title": "T"}
            )
        with self.assertRaisesMessage(InvalidSourceChange, "changes nothing in k1"):
            source_change_propose(user=self.author, source=source, values={"title": source.title})
        self.assertFalse(SourceChange.objects.exists())

    def test_proposals_are_append_only(self):
        """A proposal, once made, is never edited or deleted."""
        change = self.propose_title()
        change.note = "rewritten"
        with self.assertRaises(AppendOnlyError):
            change.save()
        with self.assertRaises(AppendOnlyError):
            change.delete()
        with self.assertRaises(AppendOnlyError):
            SourceChange.objects.all().delete()


class ApproveTests(SourceChangeTestCase):
    def test_reviewer_approval_applies_values_and_audits(self):
        """Approval by someone else writes the values to the source, records the decision and
        an audit event, and the public pages show the change."""
        change = self.propose_title()
        decision = source_change_approve(change=change, user=self.reviewer, note="Checked.")
        source = Source.objects.get(key="k1")
        self.assertEqual(source.title, "A corrected title")
        self.assertEqual(decision.decided_by, self.reviewer)
        self.assertEqual(SourceChange.objects.get(pk=change.pk).status, "approved")
        self.assertEqual(
            self.source_actions(), [AuditAction.SOURCE_PROPOSED, AuditAction.SOURCE_APPROVED]
        )
        approved = AuditEvent.objects.get(action=AuditAction.SOURCE_APPROVED)
        self.assertEqual(approved.user, self.reviewer)
        self.assertIn(f"Change #{change.pk} by alice", approved.detail)
        self.assertIn("'A corrected title'", approved.detail)
        self.assertContains(self.client.get(source.get_absolute_url()), "A corrected title")

    def test_publishers_may_approve_too(self):
        """Publishers hold the approval permission as well as reviewers."""
        source_change_approve(change=self.propose_title(), user=self.publisher)
        self.assertEqual(Source.objects.get(key="k1").title, "A corrected title")

    def test_proposer_never_approves_own_change_even_as_superuser(self):
        """Four-eyes: the proposer's approval is refused, superusers included."""
        boss = make_editor("boss", "Author", is_superuser=True)
        change = self.propose_title(user=boss)
        with self.assertRaises(FourEyesViolation):
            source_change_approve(change=change, user=boss)
        self.assertEqual(Source.objects.get(key="k1").title, "A study called k1")
        self.assertEqual(SourceChange.objects.get(pk=change.pk).status, "proposed")
        self.assertEqual(self.source_actions(), [AuditAction.SOURCE_PROPOSED])

    def test_authors_cannot_approve(self):
        """Approving needs the Reviewer or Publisher role."""
        change = self.propose_title()
        other_author = make_editor("bob", "Author")
        with self.assertRaises(MissingPermission):
            source_change_approve(change=change, user=other_author)
        self.assertEqual(Source.objects.get(key="k1").title, "A study called k1")

    def test_a_decided_change_is_not_decided_again(self):
        """A change is approved or rejected once."""
        change = self.propose_title()
        source_change_approve(change=change, user=self.reviewer)
        with self.assertRaisesMessage(EditorialError, "already decided"):
            source_change_approve(change=change, user=self.publisher)
        with self.assertRaisesMessage(EditorialError, "already decided"):
            source_change_reject(change=change, user=self.publisher, note="No.")

    def test_stale_proposal_cannot_be_approved(self):
        """After another change to the same source is approved, an older proposal made from
        the previous values is refused instead of silently undoing it."""
        first = self.propose_title("First title")
        second = source_change_propose(
            user=make_editor("bob", "Author"),
            source=Source.objects.get(key="k1"),
            values={"url": "https://example.org/paper"},
        )
        source_change_approve(change=first, user=self.reviewer)
        with self.assertRaisesMessage(EditorialError, "has changed since it was proposed"):
            source_change_approve(change=second, user=self.reviewer)
        source = Source.objects.get(key="k1")
        self.assertEqual((source.title, source.url), ("First title", ""))

    def test_approval_announces_the_public_change_after_commit(self):
        """Approval (and only approval, not a proposal) tells page caches, once committed."""
        seen = []

        def receiver(sender, source, **kwargs):
            seen.append(source.key)

        source_public_changed.connect(receiver)
        self.addCleanup(source_public_changed.disconnect, receiver)
        with self.captureOnCommitCallbacks(execute=True):
            change = self.propose_title()
        self.assertEqual(seen, [])
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            source_change_approve(change=change, user=self.reviewer)
        self.assertEqual(seen, [])  # not before the commit
        for callback in callbacks:
            callback()
        self.assertEqual(seen, ["k1"])

    def test_approval_makes_cached_source_pages_fresh(self):
        """An approved change bumps the page-cache generation in the same transaction, so the
        public source page shows it at once."""
        url = "/sources/k1/"
        self.assertNotContains(self.client.get(url), "A corrected title")
        self.assertNotContains(self.client.get(url), "A corrected title")  # now from the cache
        change = self.propose_title()
        source_change_approve(change=change, user=self.reviewer)
        self.assertContains(self.client.get(url), "A corrected title")


class RejectTests(SourceChangeTestCase):
    def test_rejection_needs_a_note_and_keeps_the_source(self):
        """A rejection says why, is audited, and changes nothing readers see."""
        change = self.propose_title()
        with self.assertRaisesMessage(EditorialError, "a note is required"):
            source_change_reject(change=change, user=self.reviewer, note="  ")
        decision = source_change_reject(
            change=change, user=self.reviewer, note="The journal says otherwise."
        )
        self.assertEqual(decision.decision, "rejected")
        self.assertEqual(Source.objects.get(key="k1").title, "A study called k1")
        self.assertEqual(
            self.source_actions(), [AuditAction.SOURCE_PROPOSED, AuditAction.SOURCE_REJECTED]
        )

    def test_authors_cannot_reject(self):
        """Rejecting needs the Reviewer or Publisher role."""
        with self.assertRaises(MissingPermission):
            source_change_reject(
                change=self.propose_title(), user=make_editor("bob", "Author"), note="No."
            )


class NewSourceTests(SourceChangeTestCase):
    def test_new_source_is_invisible_until_approved(self):
        """A proposed new source is on no public page until someone else approves it."""
        change = make_proposed_source("fresh2024", proposer=self.author)
        source = change.source
        self.assertFalse(source.approved)
        self.assertTrue(change.creates_source)
        self.assertEqual(self.client.get(source.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("citations:source_list")), "fresh2024")
        source_change_approve(change=change, user=self.reviewer)
        source.refresh_from_db()
        self.assertTrue(source.approved)
        self.assertContains(self.client.get(source.get_absolute_url()), "A study called fresh2024")
        self.assertContains(self.client.get(reverse("citations:source_list")), "fresh2024")
        self.assertEqual(
            self.source_actions("fresh2024"),
            [AuditAction.SOURCE_PROPOSED, AuditAction.SOURCE_APPROVED],
        )
        self.assertIn("now public", AuditEvent.objects.latest("pk").detail)

    def test_duplicate_or_malformed_key_is_refused(self):
        """A new source needs a key that is unused and well formed."""
        with self.assertRaisesMessage(InvalidSourceChange, "not valid") as caught:
            make_proposed_source("k1", proposer=self.author)
        self.assertIn("already exists", " ".join(caught.exception.reasons))
        with self.assertRaises(InvalidSourceChange):
            make_proposed_source("bad key!", proposer=self.author)
        self.assertEqual(Source.objects.count(), 2)

    def test_rejected_new_source_stays_hidden(self):
        """A rejected new source never reaches the public pages."""
        change = make_proposed_source("fresh2024", proposer=self.author)
        source_change_reject(change=change, user=self.reviewer, note="Predatory journal.")
        self.assertEqual(self.client.get("/sources/fresh2024/").status_code, 404)

    def test_creator_cannot_launder_a_new_source_through_someone_elses_fix(self):
        """Whoever proposed a not-yet-approved source cannot approve a small fix to it by
        someone else: approving would publish their own unchecked values."""
        boss = make_editor("boss", "Author", "Reviewer", display_name="Dr Boss")
        created = make_proposed_source("fresh2024", proposer=boss)
        fix = source_change_propose(user=self.author, source=created.source, values={"year": 2021})
        with self.assertRaises(FourEyesViolation):
            source_change_approve(change=fix, user=boss)
        self.assertFalse(Source.objects.get(key="fresh2024").approved)
        source_change_approve(change=fix, user=self.reviewer)
        source = Source.objects.get(key="fresh2024")
        self.assertEqual((source.approved, source.year), (True, 2021))

    def test_draft_may_cite_it_but_submission_is_blocked(self):
        """A draft can cite a proposed source; submitting it is blocked with a clear reason
        until the source is approved."""
        change = make_proposed_source("fresh2024", proposer=self.author)
        revision = draft(self.article, self.author, body="A claim [@fresh2024].\n")
        self.assertIn("A study called fresh2024", revision.references_html)
        with self.assertRaises(SubmissionBlocked) as caught:
            revision_submit(revision=revision, user=self.author)
        self.assertIn(
            "Source 'fresh2024' is a proposed new source that nobody has approved yet",
            " ".join(caught.exception.reasons),
        )
        source_change_approve(change=change, user=self.reviewer)
        submitted = revision_submit(revision=revision, user=self.author)
        self.assertEqual(submitted.status, "submitted")

    def test_publish_gate_refuses_an_unapproved_source(self):
        """Publishing is blocked too if a cited source is not approved (defence in depth:
        here the flag is cleared behind the services' back)."""
        revision = make_approved(
            make_submitted(self.article, author=self.author), reviewer=self.reviewer
        )
        Source.objects.filter(key="k1").update(approved=False)
        due = default_next_review_due()
        self.assertIn(
            "Source 'k1' is a proposed new source that nobody has approved yet: a reviewer or "
            "publisher must approve it (admin → Source changes) first.",
            publish_blockers(revision, next_review_due=due),
        )
        with self.assertRaises(PublishBlocked):
            revision_publish(revision=revision, user=self.publisher, next_review_due=due)


class PublishedReferencesTests(SourceChangeTestCase):
    def test_approved_change_never_reaches_a_published_version(self):
        """After an approved source change, the published version keeps the reference list it
        was reviewed with; the source page shows the new values."""
        live = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        before = live.references_html
        source_change_approve(change=self.propose_title("Renamed study"), user=self.reviewer)
        self.assertEqual(Revision.objects.get(pk=live.pk).references_html, before)
        page = self.client.get(live.get_absolute_url())
        self.assertContains(page, "A study called k1")
        self.assertNotContains(page, "Renamed study")
        self.assertContains(self.client.get("/sources/k1/"), "Renamed study")

    def test_dates_and_numbers_round_trip(self):
        """Dates and years are stored in the proposal and applied as the right types."""
        change = source_change_propose(
            user=self.author,
            source=Source.objects.get(key="k2"),
            values={"accessed": datetime.date(2024, 5, 1), "year": 1999},
        )
        change = SourceChange.objects.get(pk=change.pk)
        self.assertEqual(change.values["accessed"], "2024-05-01")
        source_change_approve(change=change, user=self.reviewer)
        source = Source.objects.get(key="k2")
        self.assertEqual((source.accessed, source.year), (datetime.date(2024, 5, 1), 1999))
