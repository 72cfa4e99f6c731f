from kratom_info.articles.models import RevisionStatus
from kratom_info.editorial.models import AuditAction, AuditEvent, Decision, Verdict
from kratom_info.editorial.services import (
    ApprovalBlocked,
    EditConflict,
    EditorialError,
    InvalidDraft,
    MissingPermission,
    SubmissionBlocked,
    claim_check_record,
    claim_checks_carry_over,
    revision_approve,
    revision_request_changes,
    revision_submit,
)
from tests.editorial.base import EditorialTestCase, draft
from tests.factories import (
    check_supported,
    make_approved,
    make_editor,
    make_reviewed_live,
    make_submitted,
)


class DraftTests(EditorialTestCase):
    def test_draft_created_with_author_and_audit_event(self):
        """Saving an edit creates a new draft revision by the editor and records it."""
        revision = draft(self.article, self.author)
        self.assertEqual((revision.number, revision.status), (1, RevisionStatus.DRAFT))
        self.assertEqual(revision.author, self.author)
        event = AuditEvent.objects.get(revision=revision)
        self.assertEqual((event.action, event.user), (AuditAction.CREATED, self.author))

    def test_change_note_required(self):
        """A draft without a change note is refused."""
        with self.assertRaises(InvalidDraft):
            draft(self.article, self.author, change_note="  ")
        self.assertFalse(self.article.revisions.exists())

    def test_unknown_key_refused_without_writing(self):
        """A draft citing an unknown source key is refused, naming the key."""
        with self.assertRaisesMessage(InvalidDraft, "nosuchkey"):
            draft(self.article, self.author, body="Claim [@nosuchkey].\n")
        self.assertFalse(AuditEvent.objects.exists())

    def test_user_without_permission_cannot_create_drafts(self):
        """Only users whose role allows editing create drafts."""
        with self.assertRaises(MissingPermission):
            draft(self.article, self.reviewer)


class EditConflictTests(EditorialTestCase):
    def test_saving_from_an_older_revision_conflicts(self):
        """If someone created a newer revision after the editor opened v1, saving fails."""
        first = draft(self.article, self.author)
        other = make_editor("bob", "Author")
        second = draft(self.article, other, body="Bob's text [@k1].\n", based_on=first.number)
        with self.assertRaises(EditConflict) as caught:
            draft(self.article, self.author, body="Alice's text [@k1].\n", based_on=first.number)
        self.assertEqual(caught.exception.newer, second)
        self.assertIn("version 2", str(caught.exception))
        self.assertEqual(self.article.revisions.count(), 2)

    def test_saving_from_someone_elses_latest_draft_creates_the_next_number(self):
        """Basing an edit on another person's latest draft creates the next number."""
        first = draft(self.article, self.author)
        other = make_editor("bob", "Author")
        self.assertEqual(draft(self.article, other, based_on=first.number).number, 2)


class SubmitTests(EditorialTestCase):
    def test_submit_freezes_and_extracts_claims(self):
        """Submission extracts each cited sentence with its keys and hash, and is audited."""
        body = (
            "Kratom is a plant [@k1]. It has many alkaloids [@k1; @k2].\n\n- A cited point [@k2].\n"
        )
        revision = revision_submit(
            revision=draft(self.article, self.author, body), user=self.author
        )
        self.assertEqual(revision.status, RevisionStatus.SUBMITTED)
        self.assertIsNotNone(revision.submitted_at)
        self.assertEqual(
            [(c.position, c.keys) for c in revision.claims.all()],
            [(1, ["k1"]), (2, ["k1", "k2"]), (3, ["k2"])],
        )
        self.assertEqual(len(revision.claims.first().text_hash), 64)
        self.assertEqual(self.actions(revision), [AuditAction.CREATED, AuditAction.SUBMITTED])

    def test_uncited_number_blocks_submission_naming_it(self):
        """A sentence stating a number without a citation blocks submission, named with its line."""
        body = "Kratom is a plant [@k1].\n\nMost people take 2 to 4 grams.\n"
        revision = draft(self.article, self.author, body)
        with self.assertRaises(SubmissionBlocked) as caught:
            revision_submit(revision=revision, user=self.author)
        self.assertEqual(
            caught.exception.reasons,
            ["Line 3: states a number without a citation: 'Most people take 2 to 4 grams.'"],
        )
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.DRAFT)
        self.assertFalse(revision.claims.exists())

    def test_number_in_key_point_or_main_message_blocks_submission(self):
        """Plain-text fields cannot cite, so a number in them blocks submission, named."""
        revision = draft(
            self.article,
            self.author,
            main_message="Most people take 3 grams.",
            key_points=["Start low.", "Go slow.", "Wait 30 minutes."],
        )
        with self.assertRaises(SubmissionBlocked) as caught:
            revision_submit(revision=revision, user=self.author)
        reasons = caught.exception.reasons
        self.assertEqual(len(reasons), 2, reasons)
        self.assertIn("Main message states a number", reasons[0])
        self.assertIn("'Wait 30 minutes.'", reasons[1])

    def test_only_drafts_are_submitted(self):
        """A submitted revision cannot be submitted again."""
        revision = make_submitted(self.article, author=self.author)
        with self.assertRaises(EditorialError):
            revision_submit(revision=revision, user=self.author)

    def test_older_draft_cannot_be_submitted(self):
        """When a newer revision exists, the older draft is not submitted."""
        old = draft(self.article, self.author)
        draft(self.article, make_editor("bob", "Author"))
        with self.assertRaisesMessage(SubmissionBlocked, "cannot be submitted"):
            revision_submit(revision=old, user=self.author)

    def test_reviewer_cannot_submit(self):
        """Submitting needs the Author role's permission."""
        revision = draft(self.article, self.author)
        with self.assertRaises(MissingPermission):
            revision_submit(revision=revision, user=self.reviewer)


class ClaimCheckTests(EditorialTestCase):
    def test_verdict_recorded_and_audited(self):
        """A reviewer's verdict is stored with who and when, and audited."""
        revision = make_submitted(self.article, author=self.author)
        claim = revision.claims.get()
        check = check_supported(claim, reviewer=self.reviewer)
        self.assertEqual((check.checked_by, claim.current_check()), (self.reviewer, check))
        self.assertEqual(self.actions(revision)[-1], AuditAction.CLAIM_CHECKED)

    def test_not_supported_needs_a_note(self):
        """'Not supported' without a note is refused."""
        claim = make_submitted(self.article, author=self.author).claims.get()
        with self.assertRaises(EditorialError):
            claim_check_record(claim=claim, user=self.reviewer, verdict=Verdict.NOT_SUPPORTED)
        check = claim_check_record(
            claim=claim, user=self.reviewer, verdict=Verdict.NOT_SUPPORTED, note="Wrong dose."
        )
        self.assertEqual(check.note, "Wrong dose.")

    def test_latest_verdict_counts_and_history_kept(self):
        """A later verdict replaces the earlier one; both stay on record."""
        claim = make_submitted(self.article, author=self.author).claims.get()
        claim_check_record(claim=claim, user=self.reviewer, verdict=Verdict.NOT_SUPPORTED, note="x")
        check_supported(claim, reviewer=self.reviewer)
        self.assertEqual(claim.checks.count(), 2)
        self.assertEqual(claim.current_check().verdict, Verdict.SUPPORTED)

    def test_checks_only_while_submitted(self):
        """Claims are checked only while the revision is under review."""
        revision = make_approved(
            make_submitted(self.article, author=self.author), reviewer=self.reviewer
        )
        with self.assertRaises(EditorialError):
            check_supported(revision.claims.get(), reviewer=self.reviewer)


class CarryOverTests(EditorialTestCase):
    def test_unchanged_supported_claims_carry_over_in_one_action(self):
        """Claims with the same text hash and keys as a supported claim on the live version
        take over its verdict; changed claims do not."""
        live = make_reviewed_live(
            self.article,
            "Kratom is a plant [@k1]. Doses vary [@k2].\n",
            author=self.author,
            reviewer=self.reviewer,
            publisher=self.publisher,
        )
        new = make_submitted(
            self.article,
            "Kratom  is a PLANT [@k1]. Doses vary a lot [@k2]. New claim [@k1].\n",
            author=self.author,
        )
        second_reviewer = make_editor("sam", "Reviewer")
        created = claim_checks_carry_over(revision=new, user=second_reviewer)
        self.assertEqual([c.claim.position for c in created], [1])
        self.assertEqual(created[0].carried_over_from, live.claims.get(position=1).current_check())
        self.assertEqual(created[0].checked_by, second_reviewer)
        self.assertIsNone(new.claims.get(position=2).current_check())
        self.assertEqual(self.actions(new)[-1], AuditAction.CLAIMS_CARRIED_OVER)

    def test_keys_must_match(self):
        """Same text with different sources is a different claim: no carry-over."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        new = make_submitted(self.article, "Kratom is a plant [@k2].\n", author=self.author)
        self.assertEqual(claim_checks_carry_over(revision=new, user=self.reviewer), [])

    def test_verdict_given_by_this_author_is_not_carried_over(self):
        """A verdict the new revision's own author gave earlier must be checked afresh."""
        both = make_editor("rob", "Author", "Reviewer")
        make_reviewed_live(
            self.article, author=self.author, reviewer=both, publisher=self.publisher
        )
        new = make_submitted(self.article, author=both)
        self.assertEqual(claim_checks_carry_over(revision=new, user=self.reviewer), [])


class DecisionTests(EditorialTestCase):
    def test_approve_requires_every_claim_supported(self):
        """Approval is refused, listing each claim, while claims are unchecked or unsupported."""
        revision = make_submitted(self.article, "A [@k1]. B [@k2].\n", author=self.author)
        first = revision.claims.get(position=1)
        claim_check_record(
            claim=first, user=self.reviewer, verdict=Verdict.NOT_SUPPORTED, note="No"
        )
        with self.assertRaises(ApprovalBlocked) as caught:
            revision_approve(revision=revision, user=self.reviewer)
        self.assertEqual(len(caught.exception.reasons), 2)
        self.assertIn("not supported: No", caught.exception.reasons[0])
        self.assertIn("has not been checked", caught.exception.reasons[1])

    def test_approve_moves_status_and_audits(self):
        """Approving records the decision and comment and marks the revision approved."""
        revision = make_approved(
            make_submitted(self.article, author=self.author), reviewer=self.reviewer
        )
        self.assertEqual(revision.status, RevisionStatus.APPROVED)
        self.assertEqual(revision.review_decision.decision, Decision.APPROVED)
        self.assertEqual(self.actions(revision)[-1], AuditAction.APPROVED)

    def test_request_changes_with_comment_the_author_sees(self):
        """Requesting changes needs a comment, sends the revision back and is audited."""
        revision = make_submitted(self.article, author=self.author)
        with self.assertRaises(EditorialError):
            revision_request_changes(revision=revision, user=self.reviewer, comment=" ")
        decision = revision_request_changes(
            revision=revision, user=self.reviewer, comment="Cite the dose survey."
        )
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.REJECTED)
        self.assertEqual(decision.comment, "Cite the dose survey.")
        self.assertEqual(self.actions(revision)[-1], AuditAction.CHANGES_REQUESTED)

    def test_author_continues_in_a_new_draft_after_changes_requested(self):
        """After changes are requested the author starts a new draft from the rejected one."""
        rejected = make_submitted(self.article, author=self.author)
        revision_request_changes(revision=rejected, user=self.reviewer, comment="Fix it.")
        new = draft(self.article, self.author, based_on=rejected.number)
        self.assertEqual((new.number, new.status), (2, RevisionStatus.DRAFT))

    def test_decision_only_once(self):
        """A revision gets one decision; an approved revision cannot be sent back."""
        revision = make_approved(
            make_submitted(self.article, author=self.author), reviewer=self.reviewer
        )
        with self.assertRaises(EditorialError):
            revision_request_changes(revision=revision, user=self.reviewer, comment="Late.")
