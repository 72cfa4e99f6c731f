"""The mirror folder kept current after each public change (settings.MIRROR_DIR): the export
runs once the publish commits, in the background, and a failing export never fails it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import TransactionTestCase, override_settings

from kratom_info.citations.importing import sync_sources
from kratom_info.mirror.updates import updater
from tests.factories import make_article, make_revision

ROOT = Path(__file__).resolve().parents[2]

SITE = {
    "ALLOWED_HOSTS": ["127.0.0.1"],
    "SITE_URL": "https://kratom.example.org",
    "EDITORIAL_REQUIRE_2FA": False,
}


class MirrorUpdateTests(TransactionTestCase):
    """Commits for real (the export's thread reads the database on its own connection)."""

    def setUp(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="kratom-mirror-update-"))
        self.addCleanup(shutil.rmtree, self.workdir, True)
        static = override_settings(STATIC_ROOT=self.workdir / "static", **SITE)
        static.enable()
        self.addCleanup(static.disable)
        call_command("collectstatic", "--noinput", verbosity=0)
        sync_sources(ROOT / "content" / "sources.yaml")  # the tools' pages cite them

    def test_a_publish_updates_the_mirror_folder_after_it_commits(self):
        mirror = self.workdir / "mirror"
        with override_settings(MIRROR_DIR=str(mirror)):
            revision = make_revision(make_article("dose"), "Words.\n", publish=True)
            self.assertTrue(updater.wait(120))
            self.assertTrue((mirror / "articles/dose/v1/index.html").is_file())
            make_revision(revision.article, "Other words.\n", publish=True)
            self.assertTrue(updater.wait(120))
        self.assertIn(b"Other words.", (mirror / "articles/dose/v2/index.html").read_bytes())
        self.assertIn(b"Other words.", (mirror / "articles/dose/index.html").read_bytes())

    def test_a_failing_export_is_logged_and_the_publish_stands(self):
        not_a_folder = self.workdir / "file"
        not_a_folder.write_text("")
        with (
            override_settings(MIRROR_DIR=str(not_a_folder)),
            self.assertLogs("kratom_info.mirror.updates", "ERROR") as logs,
        ):
            revision = make_revision(make_article("dose"), "Words.\n", publish=True)
            self.assertTrue(updater.wait(120))
        self.assertEqual(revision.article.live_revision_id, revision.pk)
        self.assertIn("was not updated", logs.output[0])
        self.assertIn("is not a folder", logs.output[0])

    def test_without_a_folder_nothing_runs(self):
        make_revision(make_article("dose"), "Words.\n", publish=True)
        self.assertIsNone(updater.thread)
