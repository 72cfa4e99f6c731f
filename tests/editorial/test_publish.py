import datetime

from django.db import IntegrityError
from django.utils import timezone

from kratom_info.articles.models import Article, Revision, RevisionStatus
from kratom_info.citations.models import Source
from kratom_info.editorial.models import (
    AuditAction,
    AuditEvent,
    ClaimCheck,
    Publication,
    ReviewDecision,
    ReviewSchedule,
)
from kratom_info.editorial.services import (
    ApprovalBlocked,
    EditorialError,
    MissingPermission,
    PublishBlocked,
    article_unpublish,
    default_next_review_due,
    publish_blockers,
    review_schedule_set,
    revision_approve,
    revision_publish,
)
from kratom_info.profiles.models import ReviewerProfile
from tests.editorial.base import NOT_APPROVED, EditorialTestCase
from tests.factories import (
    check_supported,
    make_approved,
    make_editor,
    make_reviewed_live,
    make_revision,
    make_submitted,
)

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)


class PublishGateTests(EditorialTestCase):
    def approved(self, body="Kratom is a plant [@k1].\n"):
        return make_approved(
            make_submitted(self.article, body, author=self.author), reviewer=self.reviewer
        )

    def test_gate_open_for_a_fully_reviewed_revision(self):
        """An approved revision with every claim supported and a review date passes."""
        self.assertEqual(publish_blockers(self.approved(), next_review_due=NEXT_YEAR), [])

    def test_gate_lists_every_reason_at_once(self):
        """A draft with no date fails several conditions, all listed."""
        revision = make_submitted(self.article, "A [@k1]. B [@k2].\n", author=self.author)
        reasons = publish_blockers(revision, next_review_due=None)
        self.assertEqual(len(reasons), 5, reasons)
        self.assertIn("only approved revisions are published", reasons[0])
        self.assertEqual(reasons[1], NOT_APPROVED)
        self.assertIn("Claim 1", reasons[2])
        self.assertIn("Claim 2", reasons[3])
        self.assertEqual(reasons[4], "Set a next-review-due date.")

    def test_review_date_must_be_in_the_future(self):
        """A past or today's next-review date blocks publishing."""
        today = timezone.localdate()
        reasons = publish_blockers(self.approved(), next_review_due=today)
        self.assertEqual(len(reasons), 1)
        self.assertIn("must be due between tomorrow", reasons[0])
        self.assertIn(f"{today:%Y-%m-%d} is outside that range", reasons[0])

    def test_unresolved_citation_blocks(self):
        """A citation whose source record is gone blocks publishing."""
        revision = self.approved("Claim [@k2].\n")
        revision.sources.clear()
        Source.objects.filter(key="k2").delete()
        reasons = publish_blockers(revision, next_review_due=NEXT_YEAR)
        self.assertIn("Citation key 'k2' on line 1 has no source.", reasons)

    def test_claim_not_supported_blocks(self):
        """A claim whose latest verdict is 'not supported' blocks publishing."""
        revision = self.approved()
        # Simulates a verdict changed after approval (the services refuse that).
        ClaimCheck.objects.create(
            claim=revision.claims.get(),
            verdict="not_supported",
            note="Wrong.",
            checked_by=self.reviewer,
        )
        reasons = publish_blockers(revision, next_review_due=NEXT_YEAR)
        self.assertEqual(len(reasons), 1)
        self.assertIn("is marked not supported: Wrong.", reasons[0])

    def test_claim_checked_by_author_blocks(self):
        """A claim whose verdict came from the author does not count as reviewed."""
        revision = self.approved()
        ClaimCheck.objects.create(
            claim=revision.claims.get(), verdict="supported", checked_by=self.author
        )
        reasons = publish_blockers(revision, next_review_due=NEXT_YEAR)
        self.assertIn("was checked by someone who wrote text in this revision", reasons[0])

    def test_reviewer_without_profile_is_refused_at_approval(self):
        """A reviewer with no profile cannot approve; the refusal says what to do."""
        anonymous_reviewer = make_editor("nora", "Reviewer", display_name=None)
        revision = make_submitted(self.article, author=self.author)
        check_supported(revision.claims.get(), reviewer=anonymous_reviewer)
        with self.assertRaises(ApprovalBlocked) as caught:
            revision_approve(revision=revision, user=anonymous_reviewer)
        self.assertIn("you have no reviewer profile", str(caught.exception))
        self.assertIn("Reviewer profiles → Add", str(caught.exception))
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.SUBMITTED)
        self.assertFalse(ReviewDecision.objects.filter(revision=revision).exists())

    def test_reviewer_profile_removed_after_approval_blocks(self):
        """Readers must see a name and role: the approving reviewer still needs a profile."""
        revision = make_approved(
            make_submitted(self.article, author=self.author), reviewer=self.reviewer
        )
        ReviewerProfile.objects.filter(user=self.reviewer).delete()
        reasons = publish_blockers(revision, next_review_due=NEXT_YEAR)
        self.assertEqual(len(reasons), 1)
        self.assertIn("has no reviewer profile", reasons[0])

    def test_blocked_publish_raises_with_reasons_and_writes_nothing(self):
        """revision_publish refuses with every reason and changes nothing."""
        revision = make_submitted(self.article, author=self.author)
        with self.assertRaises(PublishBlocked) as caught:
            revision_publish(revision=revision, user=self.publisher, next_review_due=None)
        self.assertGreaterEqual(len(caught.exception.reasons), 3)
        self.assertFalse(Publication.objects.exists())
        self.assertIsNone(Article.objects.get(pk=self.article.pk).live_revision)

    def test_publisher_role_required(self):
        """Only publishers publish."""
        with self.assertRaises(MissingPermission):
            revision_publish(revision=self.approved(), user=self.author, next_review_due=NEXT_YEAR)


class PublishTests(EditorialTestCase):
    def test_publish_moves_live_pointer_records_reviewer_and_schedule(self):
        """Publishing makes the revision live, supersedes the old one, stores who reviewed it
        and sets the next review date, with an audit event."""
        old = make_revision(self.article, publish=True)
        revision = make_reviewed_live(
            self.article,
            author=self.author,
            reviewer=self.reviewer,
            publisher=self.publisher,
            next_review_due=NEXT_YEAR,
        )
        old.refresh_from_db()
        self.assertEqual(Article.objects.get(pk=self.article.pk).live_revision, revision)
        self.assertEqual(old.status, RevisionStatus.SUPERSEDED)
        publication = revision.publication
        self.assertEqual(
            (publication.reviewer_name, publication.reviewer_role, publication.published_by),
            ("Dr Rita Reyes", "Pharmacist", self.publisher),
        )
        self.assertEqual(publication.reviewed_on, timezone.localdate())
        self.assertEqual(
            ReviewSchedule.objects.get(article=self.article).next_review_due, NEXT_YEAR
        )
        event = AuditEvent.objects.get(action=AuditAction.PUBLISHED)
        self.assertEqual((event.user, event.revision), (self.publisher, revision))

    def test_publish_is_atomic(self):
        """If any write fails, readers keep the old version and nothing is half-published."""
        old = make_revision(self.article, publish=True)
        revision = make_approved(
            make_submitted(self.article, author=self.author), reviewer=self.reviewer
        )
        # A Publication row already exists, so the publish's own insert fails at the database.
        Publication.objects.create(
            revision=revision,
            published_by=self.publisher,
            reviewer=self.reviewer,
            reviewer_name="x",
            reviewer_role="y",
            reviewed_on=timezone.localdate(),
            next_review_due=NEXT_YEAR,
        )
        with self.assertRaises(IntegrityError):
            revision_publish(revision=revision, user=self.publisher, next_review_due=NEXT_YEAR)
        old.refresh_from_db()
        revision.refresh_from_db()
        self.assertEqual(Article.objects.get(pk=self.article.pk).live_revision, old)
        self.assertEqual(old.status, RevisionStatus.PUBLISHED)
        self.assertEqual(revision.status, RevisionStatus.APPROVED)
        self.assertIsNone(revision.published_at)
        self.assertFalse(AuditEvent.objects.filter(action=AuditAction.PUBLISHED).exists())
        self.assertFalse(ReviewSchedule.objects.exists())

    def test_default_review_date_is_twelve_months_later(self):
        """The default next review is a year after publication; 29 February maps to the 28th."""
        self.assertEqual(
            default_next_review_due(datetime.date(2025, 3, 1)), datetime.date(2026, 3, 1)
        )
        self.assertEqual(
            default_next_review_due(datetime.date(2024, 2, 29)), datetime.date(2025, 2, 28)
        )

    def test_profile_change_later_does_not_rewrite_a_published_review(self):
        """A published version keeps the reviewer's name and role as they were."""
        revision = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        ReviewerProfile.objects.filter(user=self.reviewer).update(role="Retired")
        revision.publication.refresh_from_db()
        self.assertEqual(revision.publication.reviewer_role, "Pharmacist")

    def test_source_edit_never_changes_a_published_revision(self):
        """A published revision keeps its stored reference list when a source is edited."""
        revision = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        before = revision.references_html
        source = Source.objects.get(key="k1")
        source.title = "A completely different title"
        source.save()
        self.assertEqual(Revision.objects.get(pk=revision.pk).references_html, before)
        self.assertNotIn("completely different", before)


class ReviewScheduleTests(EditorialTestCase):
    def test_publisher_moves_review_date_with_audit(self):
        """The next review date is editable by publishers, and the change is audited."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        later = NEXT_YEAR + datetime.timedelta(days=30)
        review_schedule_set(article=self.article, user=self.publisher, next_review_due=later)
        self.assertEqual(ReviewSchedule.objects.get(article=self.article).next_review_due, later)
        self.assertEqual(
            AuditEvent.objects.filter(action=AuditAction.REVIEW_DATE_CHANGED).count(), 1
        )
        with self.assertRaises(MissingPermission):
            review_schedule_set(article=self.article, user=self.author, next_review_due=later)


class UnpublishTests(EditorialTestCase):
    def test_unpublish_clears_live_pointer_and_keeps_history(self):
        """Unpublishing takes the article offline; the revision stays frozen; an event is kept."""
        live = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        article_unpublish(article=self.article, user=self.publisher, reason="Outdated advice.")
        article = Article.objects.get(pk=self.article.pk)
        live.refresh_from_db()
        self.assertIsNone(article.live_revision)
        self.assertEqual(live.status, RevisionStatus.UNPUBLISHED)
        self.assertEqual(article.withdrawal_reason, "Outdated advice.")
        self.assertIsNotNone(article.withdrawn_at)
        self.assertTrue(article.is_withdrawn)
        self.assertFalse(Article.objects.published().filter(pk=article.pk).exists())
        event = AuditEvent.objects.get(action=AuditAction.UNPUBLISHED)
        self.assertEqual((event.revision, event.detail), (live, "Outdated advice."))

    def test_unpublish_needs_reason_permission_and_a_live_version(self):
        """Unpublishing needs the publisher role, a reason and a published article."""
        make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        with self.assertRaises(MissingPermission):
            article_unpublish(article=self.article, user=self.author, reason="x")
        with self.assertRaises(EditorialError):
            article_unpublish(article=self.article, user=self.publisher, reason="")
        article_unpublish(article=self.article, user=self.publisher, reason="x")
        with self.assertRaises(EditorialError):
            article_unpublish(article=self.article, user=self.publisher, reason="x")

    def test_publishing_again_supersedes_the_withdrawn_version(self):
        """After a withdrawal, the next published revision is the only 'published' one."""
        first = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        article_unpublish(article=self.article, user=self.publisher, reason="Pause.")
        second = make_reviewed_live(
            self.article, author=self.author, reviewer=self.reviewer, publisher=self.publisher
        )
        first.refresh_from_db()
        self.assertEqual(first.status, RevisionStatus.SUPERSEDED)
        self.assertEqual(Article.objects.get(pk=self.article.pk).live_revision, second)
        self.assertEqual(
            list(self.article.revisions.filter(status=RevisionStatus.PUBLISHED)), [second]
        )
