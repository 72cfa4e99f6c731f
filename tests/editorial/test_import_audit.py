"""Imports from content/ start every article's audit trail: who ran the command, which
versions it created and which it published."""

import getpass
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from kratom_info.articles.importing import import_content
from kratom_info.articles.models import Article
from kratom_info.editorial.models import AuditAction, AuditEvent
from tests.articles.test_importing import ContentFolder
from tests.editorial.base import EditorialTestCase


class RevisionImportAuditTests(EditorialTestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.content = ContentFolder(self.tmp / "content")
        self.content.article("one")

    def trail(self, slug):
        return list(
            AuditEvent.objects.filter(article__slug=slug)
            .order_by("pk")
            .values_list("action", "revision__number", "user", "detail")
        )

    def test_created_and_published_versions_are_audited_with_who_ran_it(self):
        """A published import records 'imported' then 'published without review', naming
        the OS user who ran it; the trail starts at v1."""
        import_content(self.content.root, publish=True, run_by="deploy")
        trail = self.trail("one")
        self.assertEqual(
            [(action, number, user) for action, number, user, _ in trail],
            [(AuditAction.IMPORTED, 1, None), (AuditAction.PUBLISHED_UNREVIEWED, 1, None)],
        )
        self.assertIn("run by OS user 'deploy' created v1", trail[0][3])
        self.assertIn("published v1 as public version 1, without review", trail[1][3])

    def test_unchanged_import_adds_nothing(self):
        """Importing the same files again writes no audit event."""
        import_content(self.content.root, run_by="deploy")
        before = AuditEvent.objects.count()
        import_content(self.content.root, run_by="deploy")
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_the_command_records_the_os_user(self):
        """manage.py import_content names getpass.getuser() in the trail."""
        call_command("import_content", str(self.content.root), stdout=StringIO())
        event = AuditEvent.objects.get(article=Article.objects.get(slug="one"))
        self.assertEqual(event.action, AuditAction.IMPORTED)
        self.assertIn(f"OS user {getpass.getuser()!r}", event.detail)
