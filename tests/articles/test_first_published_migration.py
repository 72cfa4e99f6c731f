"""The first-publication date migration: articles published before it get the date of their
first published version (what their pages' datePublished said before), others none."""

import datetime

from tests.migrating import MigrationTestCase

BEFORE = [("articles", "0004_article_language_and_translations")]
AFTER = [("articles", "0005_article_first_published_at")]


class FirstPublishedMigrationTests(MigrationTestCase):
    def test_backfill_takes_the_first_published_version(self):
        """The earliest public version's date, whatever became of later versions; none for an
        article never published."""
        apps = self.migrate(BEFORE)
        HArticle = apps.get_model("articles", "Article")  # noqa: N806 (historical model)
        HRevision = apps.get_model("articles", "Revision")  # noqa: N806
        day = datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC)

        def revision(article, number, status, published_at=None, public_number=None):
            return HRevision.objects.create(
                article=article, number=number, public_number=public_number,
                title="T", summary="s", body="b", change_note="c", body_html="<p>b</p>",
                content_hash=f"h{number}", status=status, published_at=published_at,
            )  # fmt: skip

        published = HArticle.objects.create(slug="published", title="P")
        revision(published, 1, "rejected")
        revision(published, 2, "superseded", day, 1)
        live = revision(published, 3, "published", day + datetime.timedelta(days=9), 2)
        published.live_revision = live
        published.save()
        draft_only = HArticle.objects.create(slug="draft-only", title="D")
        revision(draft_only, 1, "draft")

        apps = self.migrate(AFTER)
        HArticle = apps.get_model("articles", "Article")  # noqa: N806
        self.assertEqual(HArticle.objects.get(slug="published").first_published_at, day)
        self.assertIsNone(HArticle.objects.get(slug="draft-only").first_published_at)
