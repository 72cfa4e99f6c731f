from django.core.exceptions import PermissionDenied

from kratom_info.articles.models import RevisionStatus
from kratom_info.editorial.models import ReviewDecision, ReviewerProfile, Verdict
from kratom_info.editorial.services import (
    FourEyesViolation,
    MissingPermission,
    PublishBlocked,
    claim_check_record,
    claim_checks_carry_over,
    default_next_review_due,
    revision_approve,
    revision_publish,
    revision_request_changes,
)
from tests.editorial.base import NOT_APPROVED, EditorialTestCase
from tests.factories import (
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
            claim_check_record(
                claim=revision.claims.get(), user=self.all_roles, verdict=Verdict.SUPPORTED
            )
        self.assertFalse(revision.claims.get().checks.exists())

    def test_author_cannot_carry_over_on_own_revision(self):
        """Carrying over verdicts is a review action too."""
        revision = make_submitted(self.article, author=self.all_roles)
        with self.assertRaises(FourEyesViolation):
            claim_checks_carry_over(revision=revision, user=self.all_roles)

    def test_author_cannot_approve_own_revision(self):
        """Nobody approves a revision they wrote, even with every role."""
        revision = make_submitted(self.article, author=self.all_roles)
        claim_check_record(claim=revision.claims.get(), user=self.reviewer, verdict="supported")
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
            claim_check_record(
                claim=revision.claims.get(), user=self.superuser, verdict="supported"
            )
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
        claim_check_record(claim=revision.claims.get(), user=self.reviewer, verdict="supported")
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
            claim_check_record(
                claim=revision.claims.get(), user=self.publisher, verdict="supported"
            )
        with self.assertRaises(MissingPermission):
            revision_approve(revision=revision, user=self.author)
        approved = make_approved(revision, reviewer=self.reviewer)
        with self.assertRaises(MissingPermission):
            revision_publish(
                revision=approved, user=self.reviewer, next_review_due=default_next_review_due()
            )
