from django.core.exceptions import PermissionDenied

from kratom_info.articles.models import RevisionStatus
from kratom_info.editorial.models import ClaimCheck, ReviewDecision, Verdict
from kratom_info.editorial.selectors import chain_authors
from kratom_info.editorial.services import (
    FourEyesViolation,
    MissingPermission,
    PublishBlocked,
    claim_checks_carry_over,
    default_next_review_due,
    publish_blockers,
    revision_approve,
    revision_publish,
    revision_request_changes,
    revision_submit,
)
from kratom_info.profiles.models import ReviewerProfile
from tests.editorial.base import NOT_APPROVED, EditorialTestCase, draft
from tests.factories import (
    check_supported,
    make_approved,
    make_editor,
    make_reviewed_live,
    make_submitted,
    make_user,
)


class FourEyesTests(EditorialTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Holds every role: only the four-eyes rule can stop them.
        cls.all_roles = make_editor("olga", "Author", "Reviewer", "Publisher")
        cls.superuser = make_user("root", is_staff=True, is_superuser=True)

    def test_refusal_is_a_permission_denied(self):
        """Four-eyes refusals are PermissionDenied, so views answer 403."""
        self.assertTrue(issubclass(FourEyesViolation, PermissionDenied))
        self.assertTrue(issubclass(MissingPermission, PermissionDenied))

    def test_author_cannot_check_own_claims(self):
        """Nobody records a verdict on a claim of a revision they wrote."""
        revision = make_submitted(self.article, author=self.all_roles)
        with self.assertRaises(FourEyesViolation):
            check_supported(revision.claims.get(), reviewer=self.all_roles)
        self.assertFalse(revision.claims.get().checks.exists())

    def test_author_cannot_carry_over_on_own_revision(self):
        """Carrying over verdicts is a review action too."""
        revision = make_submitted(self.article, author=self.all_roles)
        with self.assertRaises(FourEyesViolation):
            claim_checks_carry_over(revision=revision, user=self.all_roles)

    def test_author_cannot_approve_own_revision(self):
        """Nobody approves a revision they wrote, even with every role."""
        revision = make_submitted(self.article, author=self.all_roles)
        check_supported(revision.claims.get(), reviewer=self.reviewer)
        with self.assertRaises(FourEyesViolation):
            revision_approve(revision=revision, user=self.all_roles)
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.SUBMITTED)

    def test_author_cannot_request_changes_to_own_revision(self):
        """Nobody sends back their own revision as its reviewer."""
        revision = make_submitted(self.article, author=self.all_roles)
        with self.assertRaises(FourEyesViolation):
            revision_request_changes(revision=revision, user=self.all_roles, comment="Hmm")

    def test_superuser_bound_too(self):
        """A superuser may do everything except review their own revision."""
        revision = make_submitted(self.article, author=self.superuser)
        with self.assertRaises(FourEyesViolation):
            check_supported(revision.claims.get(), reviewer=self.superuser)
        with self.assertRaises(FourEyesViolation):
            revision_approve(revision=revision, user=self.superuser)

    def test_superuser_reviews_someone_elses_revision(self):
        """Superusers hold every permission for other people's revisions."""
        ReviewerProfile.objects.create(user=self.superuser, display_name="Root", role="Admin")
        revision = make_approved(
            make_submitted(self.article, author=self.author), reviewer=self.superuser
        )
        self.assertEqual(revision.status, RevisionStatus.APPROVED)

    def test_author_cannot_publish_unapproved_own_revision(self):
        """Publishing one's own revision needs another reviewer's approval first."""
        revision = make_submitted(self.article, author=self.all_roles)
        with self.assertRaises(PublishBlocked) as caught:
            revision_publish(
                revision=revision,
                user=self.all_roles,
                next_review_due=default_next_review_due(),
            )
        self.assertIn(NOT_APPROVED, caught.exception.reasons)

    def test_approval_by_the_author_never_counts(self):
        """Even an approval row written by the author (bypassing services) fails the gate."""
        revision = make_submitted(self.article, author=self.all_roles)
        check_supported(revision.claims.get(), reviewer=self.reviewer)
        ReviewDecision.objects.create(
            revision=revision, reviewer=self.all_roles, decision="approved"
        )
        revision.status = RevisionStatus.APPROVED
        revision.save(update_fields=["status"])
        with self.assertRaises(PublishBlocked) as caught:
            revision_publish(
                revision=revision, user=self.publisher, next_review_due=default_next_review_due()
            )
        self.assertIn(NOT_APPROVED, caught.exception.reasons)

    def test_author_may_publish_after_another_reviewer_approved(self):
        """With another reviewer's approval, the author is not publishing alone."""
        live = make_reviewed_live(
            self.article, author=self.all_roles, reviewer=self.reviewer, publisher=self.all_roles
        )
        self.assertEqual(live.status, RevisionStatus.PUBLISHED)

    def test_roles_are_required(self):
        """Without the role's permission, review and publish actions are refused."""
        revision = make_submitted(self.article, author=self.author)
        with self.assertRaises(MissingPermission):
            check_supported(revision.claims.get(), reviewer=self.publisher)
        with self.assertRaises(MissingPermission):
            revision_approve(revision=revision, user=self.author)
        approved = make_approved(revision, reviewer=self.reviewer)
        with self.assertRaises(MissingPermission):
            revision_publish(
                revision=approved, user=self.reviewer, next_review_due=default_next_review_due()
            )


class LaunderingTests(EditorialTestCase):
    """A writes; B changes one character and submits; A must still not review it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.writer = make_editor("anna", "Author", "Reviewer", display_name="Dr Anna")
        cls.editor = make_editor("bert", "Author")
        cls.body = "Kratom is a plant from Southeast Asia [@k1].\n"

    def launder(self, article=None) -> tuple:
        article = article or self.article
        first = draft(article, self.writer, body=self.body)
        second = draft(article, self.editor, body=self.body.replace("plant", "plant "))
        return first, revision_submit(revision=second, user=self.editor)

    def test_earlier_draft_author_cannot_check_approve_or_send_back(self):
        """Whoever wrote any unpublished revision the submitted one builds on is refused."""
        first, revision = self.launder()
        claim = revision.claims.get()
        with self.assertRaises(FourEyesViolation) as caught:
            check_supported(claim, reviewer=self.writer)
        self.assertIn(
            f"You wrote v{first.number}, which {revision} builds on", str(caught.exception)
        )
        with self.assertRaises(FourEyesViolation):
            claim_checks_carry_over(revision=revision, user=self.writer)
        with self.assertRaises(FourEyesViolation):
            revision_request_changes(revision=revision, user=self.writer, comment="Fine.")
        check_supported(claim, reviewer=self.reviewer)
        with self.assertRaises(FourEyesViolation):
            revision_approve(revision=revision, user=self.writer)
        self.assertFalse(ReviewDecision.objects.filter(revision=revision).exists())
        self.assertEqual(chain_authors(revision), {self.writer.pk: [1], self.editor.pk: [2]})

    def test_a_reviewer_who_wrote_nothing_may_approve(self):
        """Someone outside the chain reviews and approves as usual."""
        _, revision = self.launder()
        approved = make_approved(revision, reviewer=self.reviewer)
        self.assertEqual(approved.status, RevisionStatus.APPROVED)

    def test_chain_author_approval_or_checks_never_pass_the_gate(self):
        """Rows written around the services by a chain author still block publishing."""
        _, revision = self.launder()
        ClaimCheck.objects.create(
            claim=revision.claims.get(), verdict=Verdict.SUPPORTED, checked_by=self.writer
        )
        ReviewDecision.objects.create(revision=revision, reviewer=self.writer, decision="approved")
        revision.status = RevisionStatus.APPROVED
        revision.save(update_fields=["status"])
        reasons = publish_blockers(revision, next_review_due=default_next_review_due())
        self.assertIn(NOT_APPROVED, reasons)
        self.assertTrue(any("was checked by someone who wrote text" in r for r in reasons))

    def test_text_already_published_does_not_bind(self):
        """The chain starts after the live version: its reviewed author may review later edits."""
        make_reviewed_live(
            self.article,
            self.body,
            author=self.writer,
            reviewer=self.reviewer,
            publisher=self.publisher,
        )
        revision = make_submitted(self.article, self.body + "More [@k2].\n", author=self.editor)
        self.assertEqual(chain_authors(revision), {self.editor.pk: [2]})
        approved = make_approved(revision, reviewer=self.writer)
        self.assertEqual(approved.status, RevisionStatus.APPROVED)

    def test_carry_over_skips_verdicts_by_chain_authors(self):
        """A verdict the writer gave on the live version is not carried into text they wrote."""
        make_reviewed_live(
            self.article,
            self.body,
            author=self.author,
            reviewer=self.writer,
            publisher=self.publisher,
        )
        draft(self.article, self.writer, body=self.body + "New.\n")
        revision = make_submitted(self.article, self.body + "New!\n", author=self.editor)
        self.assertEqual(claim_checks_carry_over(revision=revision, user=self.reviewer), [])
        self.assertIsNone(revision.claims.get().current_check())
