"""The kept counts of public versions citing each source: the same numbers as counting every
citing version, in each language, through publishes, re-publishes and withdrawals."""

from importlib import import_module

from django.apps import apps
from django.db.models import Count, Q
from django.test import TestCase

from kratom_info.articles.models import RevisionStatus
from kratom_info.articles.services import revision_make_live
from kratom_info.citations.models import Source, SourceCitingCount
from kratom_info.editorial.roles import PUBLISHER
from kratom_info.editorial.services import article_unpublish
from tests.factories import make_article, make_editor, make_revision, make_source, make_translation

counts_migration = import_module("kratom_info.citations.migrations.0005_citing_counts")


def kept(language: str) -> dict[str, int]:
    sources = Source.objects.approved().with_citing_versions(language)
    return dict(sources.values_list("key", "citing_versions"))


def counted(language: str) -> dict[str, int]:
    """Counting every citing public version, as the sources list did before."""
    citing = Q(revisions__status__in=RevisionStatus.public_values())
    citing &= Q(revisions__article__language=language)
    sources = Source.objects.approved().annotate(n=Count("revisions", filter=citing))
    return dict(sources.values_list("key", "n"))


class CitingCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_source("alpha2020")
        make_source("beta2021")
        make_source("unused2019")
        cls.article = make_article("stopping")
        cls.v1 = make_revision(cls.article, "A [@alpha2020].\n", publish=True)
        v2 = make_revision(cls.article, "A [@alpha2020]. B [@beta2021].\n", publish=True)
        make_revision(cls.article, "A draft [@beta2021].\n")  # never published: not counted
        spanish = make_translation(cls.article)
        make_revision(spanish, "Una [@beta2021].\n", translates=v2, publish=True)

    def test_counts_follow_publishes_in_each_language(self):
        self.assertEqual(kept("en"), {"alpha2020": 2, "beta2021": 1, "unused2019": 0})
        self.assertEqual(kept("es"), {"alpha2020": 0, "beta2021": 1, "unused2019": 0})
        self.assertEqual(kept("en"), counted("en"))
        self.assertEqual(kept("es"), counted("es"))

    def test_a_version_published_again_or_taken_offline_counts_once(self):
        """Taken offline, a version is still public (a permanent record); publishing the live
        version again counts nothing new."""
        live = self.article.revisions.get(status=RevisionStatus.PUBLISHED)
        revision_make_live(revision=live)
        article_unpublish(article=self.article, user=make_editor("pub", PUBLISHER), reason="Old.")
        self.assertEqual(kept("en"), {"alpha2020": 2, "beta2021": 1, "unused2019": 0})
        self.assertEqual(kept("en"), counted("en"))

    def test_the_sources_list_reads_the_counts_in_one_query(self):
        """One query for the list (and the page cache's generation, read first)."""
        with self.assertNumQueries(2):
            response = self.client.get("/sources/")
        self.assertContains(response, "Cited in 2 published versions")
        self.assertContains(response, "Cited in 0 published versions")

    def test_migration_counts_the_versions_published_before(self):
        SourceCitingCount.objects.all().delete()
        counts_migration.count_citing_versions(apps, None)
        self.assertEqual(kept("en"), counted("en"))
        self.assertEqual(kept("es"), counted("es"))
