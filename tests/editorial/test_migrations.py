from django.utils import timezone

from kratom_info.articles.models import Article, Revision, RevisionStatus
from tests.migrating import MigrationTestCase

# Revisions as they were then: without the public version number (articles 0003).
ARTICLES_THEN = ("articles", "0002_article_withdrawal_and_review_statuses")
BEFORE = [("editorial", "0005_audit_outdated_withdrawn"), ARTICLES_THEN]
AFTER = [
    ("editorial", "0006_backfill_withdrawn_articles"),
    ("articles", "0003_revision_public_number"),
    # Later columns (translations, first publication) too: the assertions below use today's
    # models.
    ("articles", "0005_article_first_published_at"),
]


class WithdrawalBackfillTests(MigrationTestCase):
    def test_articles_taken_offline_earlier_get_their_date_reason_and_status(self):
        """An article unpublished before the withdrawal was stored gets the date and reason of
        its latest 'unpublished' audit event; its version becomes 'unpublished'; a revision
        still in review behind the live version becomes 'outdated'."""
        apps = self.migrate(BEFORE)
        HArticle = apps.get_model("articles", "Article")  # noqa: N806 (historical model)
        HRevision = apps.get_model("articles", "Revision")  # noqa: N806
        AuditEvent = apps.get_model("editorial", "AuditEvent")  # noqa: N806

        def revision(article, number, status):
            return HRevision.objects.create(
                article=article, number=number, title="T", summary="s", body="b",
                change_note="c", body_html="<p>b</p>", content_hash="x", status=status,
                published_at=timezone.now() if status == "published" else None,
            )  # fmt: skip

        offline = HArticle.objects.create(slug="offline", title="Offline")
        withdrawn = revision(offline, 1, "published")
        AuditEvent.objects.create(
            article=offline, revision=withdrawn, action="unpublished", detail="Source retracted"
        )
        live = HArticle.objects.create(slug="live", title="Live")
        behind = revision(live, 1, "submitted")
        live.live_revision = revision(live, 2, "published")
        live.save()

        self.migrate(AFTER)

        article = Article.objects.get(slug="offline")
        self.assertTrue(article.is_withdrawn)
        self.assertEqual(article.withdrawal_reason, "Source retracted")
        self.assertEqual(Revision.objects.get(pk=withdrawn.pk).status, RevisionStatus.UNPUBLISHED)
        self.assertEqual(Revision.objects.get(pk=behind.pk).status, RevisionStatus.OUTDATED)
        self.assertFalse(Article.objects.get(slug="live").is_withdrawn)


class ClaimLocatorBackfillTests(MigrationTestCase):
    BEFORE = [("editorial", "0011_audit_profile_changed")]
    AFTER = [("editorial", "0012_review_locators")]

    def test_claims_in_review_get_their_authors_locators(self):
        """Claims extracted before locators were stored get them from their own text; older
        verdicts name no place (so they are never carried over)."""
        apps = self.migrate(self.BEFORE)
        article = apps.get_model("articles", "Article").objects.create(slug="old", title="Old")
        revision = apps.get_model("articles", "Revision").objects.create(
            article=article, number=1, title="T", summary="s", body="b", change_note="c",
            body_html="<p>b</p>", content_hash="x", status="submitted",
        )  # fmt: skip
        HClaim = apps.get_model("editorial", "Claim")  # noqa: N806 (historical model)
        located = HClaim.objects.create(
            revision=revision, position=1, line=1, text="Doses vary [@a, table 2; @b].",
            keys=["a", "b"], text_hash="h1",
        )  # fmt: skip
        plain = HClaim.objects.create(
            revision=revision, position=2, line=2, text="It is a plant [@a].", keys=["a"],
            text_hash="h2",
        )  # fmt: skip
        user = apps.get_model("auth", "User").objects.create(username="old-reviewer")
        apps.get_model("editorial", "ClaimCheck").objects.create(
            claim=plain, verdict="supported", checked_by=user
        )

        apps = self.migrate(self.AFTER)
        HClaim = apps.get_model("editorial", "Claim")  # noqa: N806
        self.assertEqual(HClaim.objects.get(pk=located.pk).locators, {"a": "table 2"})
        self.assertEqual(HClaim.objects.get(pk=plain.pk).locators, {})
        check = apps.get_model("editorial", "ClaimCheck").objects.get(claim_id=plain.pk)
        self.assertEqual(check.locators, {})
