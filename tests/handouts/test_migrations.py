from django.utils import timezone

from kratom_info.handouts.codes import is_valid_code
from kratom_info.handouts.models import ShortCode
from tests.migrating import MigrationTestCase

# Revisions as they were then: without the public version number (articles 0003).
ARTICLES_THEN = ("articles", "0002_article_withdrawal_and_review_statuses")
BEFORE = [("handouts", "0001_initial"), ARTICLES_THEN]
AFTER = [("handouts", "0002_backfill_short_codes"), ARTICLES_THEN]


class ShortCodeBackfillTests(MigrationTestCase):
    def test_backfill_gives_published_articles_codes(self):
        """The migration gives every published article without a code one, and no draft one."""
        apps = self.migrate(BEFORE)
        Article = apps.get_model("articles", "Article")  # noqa: N806 (historical model)
        Revision = apps.get_model("articles", "Revision")  # noqa: N806
        published = [Article.objects.create(slug=f"live-{n}", title="Live") for n in range(3)]
        for article in published:
            revision = Revision.objects.create(
                article=article, number=1, title="Live", summary="s", body="b", change_note="c",
                body_html="<p>b</p>", content_hash="x", status="published",
                published_at=timezone.now(),
            )  # fmt: skip
            article.live_revision = revision
            article.save()
        draft_only = Article.objects.create(slug="draft-only", title="Draft")

        self.migrate(AFTER)

        codes = dict(ShortCode.objects.values_list("article__slug", "code"))
        self.assertEqual(set(codes), {"live-0", "live-1", "live-2"})
        self.assertEqual(len(set(codes.values())), 3)
        self.assertTrue(all(is_valid_code(code) for code in codes.values()))
        self.assertNotIn(draft_only.slug, codes)
