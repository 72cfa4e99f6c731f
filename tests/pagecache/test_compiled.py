"""CompiledQuery: a queryset's SQL compiled once, run with new values, giving the objects the
queryset itself gives."""

from django.db import connection, connections
from django.db.models import Exists, OuterRef
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from kratom_info.articles.models import Article
from kratom_info.pagecache.compiled import CompiledQuery, placeholder
from tests.factories import make_article, make_revision, make_source, make_translation


def page_queryset():
    return (
        Article.objects.readable()
        .filter(language="en")
        .select_related("live_revision__author", "live_revision__publication", "review_schedule")
        .annotate(
            counterpart_published=Exists(
                Article.objects.filter(original_id=OuterRef("pk"), live_revision__isnull=False)
            )
        )
    )


class CompiledQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("k1")
        cls.dose = make_article("dose")
        make_revision(cls.dose, "Dose words [@k1].", publish=True)
        cls.risks = make_article("risks")
        english = make_revision(cls.risks, "Risk words [@k1].", publish=True)
        make_revision(
            make_translation(cls.risks), "Palabras [@k1].", publish=True, translates=english
        )

    def test_gives_the_objects_the_queryset_gives_for_each_value(self):
        compiled = CompiledQuery(page_queryset().filter(slug=placeholder("slug"))[:2], "slug")
        for slug in ("dose", "risks"):
            expected = page_queryset().get(slug=slug)
            with CaptureQueriesContext(connection) as queries:
                found = compiled.get(slug=slug)
                # Everything the page reads was loaded by the one query.
                self.assertEqual(found.live_revision.body_html, expected.live_revision.body_html)
                self.assertEqual(found.live_revision.author, expected.live_revision.author)
                self.assertEqual(
                    getattr(found.live_revision, "publication", None),
                    getattr(expected.live_revision, "publication", None),
                )
            self.assertEqual(len(queries), 1, slug)
            self.assertEqual(found.pk, expected.pk)
            # Converted as the ORM converts them (SQLite stores dates as text).
            self.assertEqual(found.live_revision.published_at, expected.live_revision.published_at)
            self.assertEqual(found.first_published_at, expected.first_published_at)
            self.assertEqual(found.counterpart_published, expected.counterpart_published)
        self.assertTrue(compiled.get(slug="risks").counterpart_published)
        self.assertFalse(compiled.get(slug="dose").counterpart_published)

    def test_compiles_once_per_connection(self):
        compiled = CompiledQuery(page_queryset().filter(slug=placeholder("slug"))[:2], "slug")
        compiled.get(slug="dose")
        first = compiled._compiled[connections["default"]]
        compiled.get(slug="risks")
        self.assertEqual(len(compiled._compiled), 1)
        self.assertIs(compiled._compiled[connections["default"]], first)

    def test_no_match_raises_does_not_exist(self):
        compiled = CompiledQuery(page_queryset().filter(slug=placeholder("slug"))[:2], "slug")
        with self.assertRaises(Article.DoesNotExist):
            compiled.get(slug="nothing-here")

    def test_a_list_without_placeholders(self):
        compiled = CompiledQuery(Article.objects.listed("en"))
        self.assertEqual(
            [a.slug for a in compiled.fetch()], [a.slug for a in Article.objects.listed("en")]
        )

    def test_bad_use_is_refused_clearly(self):
        with self.assertRaisesMessage(ValueError, "placeholders not found"):
            CompiledQuery(page_queryset(), "slug").fetch(slug="dose")
        with self.assertRaisesMessage(ValueError, "plain model queryset"):
            CompiledQuery(Article.objects.values("slug"))
        compiled = CompiledQuery(page_queryset().filter(slug=placeholder("slug")), "slug")
        with self.assertRaisesMessage(TypeError, "expected values for ['slug']"):
            compiled.fetch(title="x")
