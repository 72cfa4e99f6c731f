"""The public version number migration: every public URL that answered before answers the
same content after."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from kratom_info.articles.models import Revision
from tests.migrating import MigrationTestCase

BEFORE = [
    ("articles", "0002_article_withdrawal_and_review_statuses"),
    ("handouts", "0002_backfill_short_codes"),
]
AFTER = [
    ("articles", "0005_article_first_published_at"),
    ("handouts", "0002_backfill_short_codes"),
]  # the latest articles migration: the site's code reads every column
PUBLIC = ("published", "superseded", "unpublished")


class PublicNumberMigrationTests(MigrationTestCase):
    def _old_urls(self, apps) -> dict[str, tuple[int, int | None]]:
        """Every public URL under the old rule (a version's number is its revision number),
        with the revision pk it showed (and, for a diff, the second one)."""
        HRevision = apps.get_model("articles", "Revision")  # noqa: N806 (historical model)
        ShortCode = apps.get_model("handouts", "ShortCode")  # noqa: N806
        urls = {}
        by_article = {}
        for revision in HRevision.objects.filter(status__in=PUBLIC).order_by("number"):
            slug = revision.article.slug
            by_article.setdefault(slug, []).append(revision)
            urls[f"/articles/{slug}/v{revision.number}/"] = (revision.pk, None)
            urls[f"/articles/{slug}/v{revision.number}/handout/"] = (revision.pk, None)
            code = ShortCode.objects.filter(article_id=revision.article_id).first()
            if code:
                urls[f"/h/{code.code}/{revision.number}"] = (revision.pk, None)
        for slug, revisions in by_article.items():
            for old in revisions:
                for new in revisions:
                    if old.number < new.number:
                        urls[f"/articles/{slug}/diff/{old.number}/{new.number}/"] = (old.pk, new.pk)
        return urls

    def test_every_public_url_answers_the_same_content(self):
        """Articles with gaps in their history (a rejected and a withdrawn revision between
        published ones), a withdrawn article and short codes: each version page, handout,
        pinned short link and diff shows the same versions after the migration; the next
        publication takes the next public number."""
        apps = self.migrate(BEFORE)
        HArticle = apps.get_model("articles", "Article")  # noqa: N806
        HRevision = apps.get_model("articles", "Revision")  # noqa: N806
        ShortCode = apps.get_model("handouts", "ShortCode")  # noqa: N806
        now = timezone.now()

        def revision(article, number, status):
            return HRevision.objects.create(
                article=article, number=number, title=f"{article.title} {number}",
                summary="s", body=f"Text of revision {number}.",
                change_note=f"Change {number}",
                body_html=f"<p>Body of {article.slug} r{number}</p>",
                content_hash=f"h{number}", status=status,
                published_at=now if status in PUBLIC else None,
            )  # fmt: skip

        gappy = HArticle.objects.create(slug="gappy", title="Gappy")
        revision(gappy, 1, "superseded")
        revision(gappy, 2, "rejected")
        revision(gappy, 3, "superseded")
        revision(gappy, 4, "withdrawn")
        gappy.live_revision = revision(gappy, 5, "published")
        gappy.save()
        ShortCode.objects.create(article=gappy, code="gap7")
        offline = HArticle.objects.create(
            slug="offline", title="Offline", withdrawn_at=now, withdrawal_reason="it was wrong"
        )
        revision(offline, 1, "unpublished")
        ShortCode.objects.create(article=offline, code="wdr7")
        plain = HArticle.objects.create(slug="plain", title="Plain")
        revision(plain, 1, "superseded")
        plain.live_revision = revision(plain, 2, "published")
        plain.save()
        revision(plain, 3, "draft")
        before = self._old_urls(apps)

        # With the editorial app's latest too: pages read its records' every column.
        self.migrate(AFTER + MigrationExecutor(connection).loader.graph.leaf_nodes("editorial"))

        client = Client()
        self.assertEqual(len(before), 20)
        for url, (pk, second) in before.items():
            with self.subTest(url=url):
                response = client.get(url, follow=True)
                self.assertEqual(response.status_code, 200)
                shown = Revision.objects.get(pk=pk)
                if second is None:
                    if not url.endswith("/handout/"):  # a handout shows the key points
                        self.assertContains(response, f"<p>Body of {shown.article.slug} r")
                    self.assertContains(response, shown.title)
                    self.assertContains(response, f"ersion {shown.number}")
                else:
                    newer = Revision.objects.get(pk=second)
                    self.assertContains(response, f'href="{shown.get_absolute_url()}"')
                    self.assertContains(response, f'href="{newer.get_absolute_url()}"')
        for url in ("/articles/gappy/v2/", "/articles/gappy/v4/", "/articles/plain/v3/"):
            self.assertEqual(client.get(url).status_code, 404, url)
        # The next published version is v6 of the gappy article (after the highest number
        # already printed), so no old link ever names a different version.
        from kratom_info.articles.services import next_public_number

        self.assertEqual(next_public_number(Revision.objects.get(number=5).article), 6)
