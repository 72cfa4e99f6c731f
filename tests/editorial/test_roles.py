from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group
from django.test import TestCase

from kratom_info.editorial.roles import ROLE_PERMISSIONS

role_migration = import_module("kratom_info.editorial.migrations.0002_role_groups")


class RoleGroupTests(TestCase):
    def test_migration_creates_the_three_groups_with_their_permissions(self):
        """The data migration creates Author, Reviewer and Publisher with exactly their rights."""
        Group.objects.all().delete()
        role_migration.create_role_groups(apps, None)
        for role, names in ROLE_PERMISSIONS.items():
            group = Group.objects.get(name=role)
            granted = {
                f"{app}.{code}"
                for app, code in group.permissions.values_list(
                    "content_type__app_label", "codename"
                )
            }
            self.assertEqual(granted, set(names), role)

    def test_only_publishers_publish_and_only_reviewers_review(self):
        """Each workflow permission belongs to exactly one role."""
        for permission, role in [
            ("editorial.submit_revision", "Author"),
            ("editorial.review_revision", "Reviewer"),
            ("editorial.publish_revision", "Publisher"),
        ]:
            holders = [name for name, perms in ROLE_PERMISSIONS.items() if permission in perms]
            self.assertEqual(holders, [role])

    def test_authors_propose_source_changes_and_others_decide(self):
        """Nobody edits Source rows directly: Authors propose, Reviewers and Publishers
        approve or reject."""
        holders = {
            permission: sorted(
                name for name, perms in ROLE_PERMISSIONS.items() if permission in perms
            )
            for permission in (
                "source_review.propose_source_change",
                "source_review.decide_source_change",
                "citations.add_source",
                "citations.change_source",
            )
        }
        self.assertEqual(
            holders,
            {
                "source_review.propose_source_change": ["Author"],
                "source_review.decide_source_change": ["Publisher", "Reviewer"],
                "citations.add_source": [],
                "citations.change_source": [],
            },
        )

    def test_source_change_migration_resyncs_the_groups(self):
        """The source-change migration gives existing groups the new permissions."""
        migration = import_module("kratom_info.editorial.migrations.0004_source_change_roles")
        Group.objects.all().delete()
        migration.resync_role_groups(apps, None)
        author = Group.objects.get(name="Author")
        self.assertTrue(author.permissions.filter(codename="propose_source_change").exists())
        self.assertFalse(author.permissions.filter(codename="change_source").exists())
