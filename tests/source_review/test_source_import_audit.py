import shutil
import tempfile
from pathlib import Path

from kratom_info.articles.importing import import_content
from kratom_info.citations.importing import ContentError
from kratom_info.citations.models import Source
from kratom_info.citations.signals import source_public_changed
from kratom_info.editorial.models import AuditAction, AuditEvent
from tests.articles.test_importing import SOURCES, ContentFolder
from tests.editorial.base import EditorialTestCase
from tests.factories import make_proposed_source


class SourceImportAuditTests(EditorialTestCase):
    """import_content is the operator's bulk path around the admin: it may create and change
    sources directly, but every created or changed source is in the audit trail."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.content = ContentFolder(self.tmp / "content")
        self.content.article("one")

    def imported_events(self):
        return AuditEvent.objects.filter(action=AuditAction.SOURCE_IMPORTED).order_by("pk")

    def test_each_created_source_is_audited_and_public(self):
        """A first import records one event per new source; the sources are public."""
        import_content(self.content.root)
        events = self.imported_events()
        self.assertEqual(
            [(e.source.key, e.user, e.article) for e in events],
            [("alpha2020", None, None), ("gamma2021", None, None)],
        )
        self.assertIn("Created alpha2020 from content/sources.yaml", events[0].detail)
        self.assertTrue(Source.objects.get(key="alpha2020").approved)
        self.assertEqual(self.client.get("/sources/alpha2020/").status_code, 200)

    def test_changed_source_is_audited_with_old_and_new_values(self):
        """A re-import that changes a source records what changed; unchanged ones record
        nothing."""
        import_content(self.content.root)
        (self.content.root / "sources.yaml").write_text(
            SOURCES.replace("A first study", "A renamed study")
        )
        before = self.imported_events().count()
        import_content(self.content.root)
        events = list(self.imported_events()[before:])
        self.assertEqual([e.source.key for e in events], ["alpha2020"])
        self.assertIn("title: 'A first study' → 'A renamed study'", events[0].detail)
        import_content(self.content.root)
        self.assertEqual(self.imported_events().count(), before + 1)

    def test_import_approves_a_proposed_source_it_lists(self):
        """A source proposed in the admin and listed in the file is approved by the import,
        and that is audited."""
        make_proposed_source(
            "alpha2020",
            proposer=self.author,
            authors="Alpha A, Beta B",
            title="A first study",
            container="Journal One",
            doi="10.1000/alpha",
            volume_pages="",
        )
        import_content(self.content.root)
        event = self.imported_events().get(source__key="alpha2020")
        self.assertIn("Approved alpha2020", event.detail)
        self.assertTrue(Source.objects.get(key="alpha2020").approved)

    def test_article_file_cannot_cite_an_unapproved_source(self):
        """An imported article citing a source that is only proposed stops the import."""
        make_proposed_source("pending2024", proposer=self.author)
        self.content.article("two", **{"[@alpha2020]": "[@pending2024]"})
        with self.assertRaisesMessage(ContentError, "unknown citation key 'pending2024'"):
            import_content(self.content.root)

    def test_import_announces_public_changes_after_commit(self):
        """Page caches hear about every source the import created or changed."""
        seen = []

        def receiver(sender, source, **kwargs):
            seen.append(source.key)

        source_public_changed.connect(receiver)
        self.addCleanup(source_public_changed.disconnect, receiver)
        with self.captureOnCommitCallbacks(execute=True):
            import_content(self.content.root)
        self.assertEqual(sorted(seen), ["alpha2020", "gamma2021"])
