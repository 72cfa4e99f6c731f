from django.db import IntegrityError, transaction
from django.test import TestCase

from kratom_info.articles.models import Article, FrozenRevisionError, Revision, RevisionStatus
from tests.factories import make_article, make_revision, make_source


class RevisionNumberingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("singh2014")
        cls.article = make_article("dose")

    def test_numbers_count_up_per_article(self):
        """Revisions are numbered 1, 2, 3 within each article."""
        first = make_revision(self.article)
        second = make_revision(self.article, body="Changed [@singh2014].\n")
        other = make_revision(make_article("other"))
        self.assertEqual((first.number, second.number, other.number), (1, 2, 1))

    def test_number_is_unique_per_article(self):
        """The database refuses two revisions with the same number in one article."""
        revision = make_revision(self.article)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Revision.objects.create(
                article=self.article,
                number=revision.number,
                title="t",
                summary="s",
                body="b",
                change_note="c",
                body_html="",
                content_hash="x",
            )

    def test_rendering_and_sources_stored_at_creation(self):
        """A revision stores its HTML, reference list and cited sources when created."""
        revision = make_revision(self.article, body="A claim [@singh2014].\n")
        self.assertIn('href="#ref-1"', revision.body_html)
        self.assertIn("singh2014", revision.references_html.lower() + "singh2014")
        self.assertEqual([s.key for s in revision.sources.all()], ["singh2014"])


class RevisionImmutabilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article("tolerance")

    def test_draft_can_change(self):
        """A draft may still be edited in place."""
        draft = make_revision(self.article)
        draft.body = "New text.\n"
        draft.save()
        draft.refresh_from_db()
        self.assertEqual(draft.body, "New text.\n")

    def test_published_body_cannot_change(self):
        """Saving changed content of a published revision raises and writes nothing."""
        live = make_revision(self.article, publish=True)
        live.body = "Sneaky edit.\n"
        with self.assertRaises(FrozenRevisionError):
            live.save()
        self.assertEqual(Revision.objects.get(pk=live.pk).body, "Kratom is a plant.\n")

    def test_frozen_rendering_cannot_change_through_queryset_update(self):
        """QuerySet.update() cannot rewrite a frozen revision's HTML either."""
        live = make_revision(self.article, publish=True)
        with self.assertRaises(FrozenRevisionError):
            Revision.objects.filter(pk=live.pk).update(body_html="<p>x</p>")

    def test_submitted_revision_is_frozen(self):
        """Freezing starts at submission, not at publication."""
        draft = make_revision(self.article)
        draft.status = RevisionStatus.SUBMITTED
        draft.save()
        draft.title = "Other title"
        with self.assertRaises(FrozenRevisionError):
            draft.save()

    def test_published_revision_cannot_be_deleted(self):
        """Published revisions are never deleted, one by one or in bulk."""
        live = make_revision(self.article, publish=True)
        with self.assertRaises(FrozenRevisionError):
            live.delete()
        with self.assertRaises(FrozenRevisionError):
            Revision.objects.all().delete()
        self.assertTrue(Revision.objects.filter(pk=live.pk).exists())

    def test_publishing_supersedes_previous(self):
        """Publishing moves the live pointer and marks the old live revision superseded."""
        first = make_revision(self.article, publish=True)
        second = make_revision(self.article, body="Second.\n", publish=True)
        first.refresh_from_db()
        article = Article.objects.get(pk=self.article.pk)
        self.assertEqual(article.live_revision, second)
        self.assertEqual(first.status, RevisionStatus.SUPERSEDED)
        self.assertEqual(second.status, RevisionStatus.PUBLISHED)
        self.assertTrue(article.is_published)
        self.assertEqual(list(Article.objects.published()), [article])
