"""In production, reviewing and publishing need a sign-in verified by a second factor; the
services enforce it whatever the caller (admin, command, test)."""

from django.test import override_settings
from django.urls import reverse

from kratom_info.articles.models import RevisionStatus
from kratom_info.editorial.models import AuditAction, Publication
from kratom_info.editorial.services import (
    SecondFactorRequired,
    article_unpublish,
    default_next_review_due,
    revision_approve,
    revision_publish,
    revision_request_changes,
    revision_submit,
)
from tests.editorial.base import EditorialTestCase, draft
from tests.factories import (
    check_supported,
    make_approved,
    make_second_factor,
    make_submitted,
    verified,
)


@override_settings(EDITORIAL_REQUIRE_2FA=True)
class SecondFactorInServicesTests(EditorialTestCase):
    def approved(self):
        # Approved while the rule is off, as a verified reviewer would have done.
        with override_settings(EDITORIAL_REQUIRE_2FA=False):
            return make_approved(
                make_submitted(self.article, author=self.author), reviewer=self.reviewer
            )

    def test_publisher_without_second_factor_cannot_publish(self):
        """A Publisher who has not signed in with a second factor is refused, with a message
        saying how to enrol, and nothing is published or recorded."""
        revision = self.approved()
        with self.assertRaisesMessage(SecondFactorRequired, "Two-factor sign-in"):
            revision_publish(
                revision=revision, user=self.publisher, next_review_due=default_next_review_due()
            )
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.APPROVED)
        self.assertIsNone(self.article.live_revision)
        self.assertFalse(Publication.objects.exists())
        self.assertNotIn(AuditAction.PUBLISHED, self.actions(revision))

    def test_enrolled_but_unverified_publisher_cannot_publish(self):
        """Having a device is not enough: this sign-in must have been verified with it."""
        make_second_factor(self.publisher)
        with self.assertRaises(SecondFactorRequired):
            revision_publish(
                revision=self.approved(),
                user=self.publisher,
                next_review_due=default_next_review_due(),
            )

    def test_verified_publisher_publishes(self):
        """The same Publisher, verified by their authenticator app, publishes."""
        device, _ = make_second_factor(self.publisher)
        revision = revision_publish(
            revision=self.approved(),
            user=verified(self.publisher, device),
            next_review_due=default_next_review_due(),
        )
        self.assertEqual(revision.status, RevisionStatus.PUBLISHED)

    def test_reviewer_without_second_factor_cannot_review(self):
        """Checking claims, approving and requesting changes all need the second factor."""
        revision = make_submitted(self.article, author=self.author)
        claim = revision.claims.get()
        calls = [
            lambda user: check_supported(claim, reviewer=user),
            lambda user: revision_approve(revision=revision, user=user),
            lambda user: revision_request_changes(revision=revision, user=user, comment="Fix."),
        ]
        for call in calls:
            with self.assertRaises(SecondFactorRequired):
                call(self.reviewer)
        self.assertFalse(claim.checks.exists())
        device, _ = make_second_factor(self.reviewer)
        reviewer = verified(self.reviewer, device)
        calls[0](reviewer)
        revision_approve(revision=revision, user=reviewer)

    def test_unpublishing_needs_it_too(self):
        """Taking an article offline is a Publisher's power, so it needs the second factor."""
        device, _ = make_second_factor(self.publisher)
        live = revision_publish(
            revision=self.approved(),
            user=verified(self.publisher, device),
            next_review_due=default_next_review_due(),
        )
        with self.assertRaises(SecondFactorRequired):
            article_unpublish(article=live.article, user=self.publisher, reason="Outdated.")

    def test_authors_work_without_it(self):
        """Drafting and submitting are not affected."""
        revision = revision_submit(revision=draft(self.article, self.author), user=self.author)
        self.assertEqual(revision.status, RevisionStatus.SUBMITTED)

    @override_settings(EDITORIAL_REQUIRE_2FA=False)
    def test_not_required_in_development(self):
        """With the setting off (development), an unverified Publisher publishes."""
        revision = revision_publish(
            revision=self.approved(),
            user=self.publisher,
            next_review_due=default_next_review_due(),
        )
        self.assertEqual(revision.status, RevisionStatus.PUBLISHED)


@override_settings(EDITORIAL_REQUIRE_2FA=True)
class SecondFactorInAdminTests(EditorialTestCase):
    def test_publish_button_after_the_second_step(self):
        """Through the admin: the Publisher enters a code, then the Publish button works."""
        with override_settings(EDITORIAL_REQUIRE_2FA=False):
            revision = make_approved(
                make_submitted(self.article, author=self.author), reviewer=self.reviewer
            )
        _, codes = make_second_factor(self.publisher)
        self.client.force_login(self.publisher)
        publish = reverse("admin:articles_revision_publish", args=[revision.pk])
        due = {"next_review_due": default_next_review_due().isoformat()}
        self.client.post(publish, due)
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.APPROVED)
        self.client.post(reverse("admin:second_factor_verify"), {"code": codes[0]})
        response = self.client.post(publish, due, follow=True)
        self.assertContains(response, "Readers now see it")
        revision.refresh_from_db()
        self.assertEqual(revision.status, RevisionStatus.PUBLISHED)


@override_settings(EDITORIAL_REQUIRE_2FA=True)
class SecondFactorForSourceDecisionsTests(EditorialTestCase):
    def test_approving_a_source_change_needs_it(self):
        """A source change reaches readers when approved, so approving needs the second
        factor too; proposing (an Author's work) does not."""
        from kratom_info.citations.models import Source
        from kratom_info.source_review.services import source_change_approve
        from tests.factories import make_proposed_source

        change = make_proposed_source("new2024", proposer=self.author)
        with self.assertRaises(SecondFactorRequired):
            source_change_approve(change=change, user=self.reviewer)
        self.assertFalse(Source.objects.get(key="new2024").approved)
        device, _ = make_second_factor(self.reviewer)
        source_change_approve(change=change, user=verified(self.reviewer, device))
        self.assertTrue(Source.objects.get(key="new2024").approved)
