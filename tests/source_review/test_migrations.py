"""Moving the source-change models from the editorial app to source_review keeps a database's
rows, its permissions' ids and every group's hold on them (on SQLite and, with --postgres, on
PostgreSQL)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from kratom_info.citations.models import Source
from kratom_info.editorial.roles import AUTHOR, REVIEWER
from kratom_info.source_review.models import SourceChange
from tests.migrating import MigrationTestCase

# Before the move: the models belonged to the editorial app.
BEFORE = [("editorial", "0012_review_locators"), ("source_review", None)]
AFTER = [("source_review", "0002_content_types_and_permissions")]


class SourceReviewMoveTests(MigrationTestCase):
    def fill_before(self):
        apps = self.migrate(BEFORE)
        HUser = apps.get_model("auth", "User")  # noqa: N806 (historical models)
        HGroup = apps.get_model("auth", "Group")  # noqa: N806
        HPermission = apps.get_model("auth", "Permission")  # noqa: N806
        HSource = apps.get_model("citations", "Source")  # noqa: N806
        HChange = apps.get_model("editorial", "SourceChange")  # noqa: N806
        HDecision = apps.get_model("editorial", "SourceChangeDecision")  # noqa: N806
        proposer = HUser.objects.create(username="proposer")
        checker = HUser.objects.create(username="checker")
        # Citations stays migrated to today (only the two apps move back): today's model
        # writes the row, the historical one reads it.
        source = HSource.objects.get(
            pk=Source.objects.create(
                key="smith2020", title="A study", url="https://example.org/s", approved=True
            ).pk
        )
        values = {"title": "A better title"}
        change = HChange.objects.create(
            source=source, values=values, based_on={"title": "A study"}, proposed_by=proposer
        )
        HDecision.objects.create(change=change, decision="approved", decided_by=checker)
        decide = HPermission.objects.get(
            content_type__app_label="editorial", codename="decide_source_change"
        )
        # A group an operator made, holding the permission outside the three roles.
        fact_checkers = HGroup.objects.create(name="Fact checkers")
        fact_checkers.permissions.add(decide)
        checker.groups.add(fact_checkers)
        # A user given the permission directly.
        proposer.user_permissions.add(
            HPermission.objects.get(
                content_type__app_label="editorial", codename="propose_source_change"
            )
        )
        return change.pk, decide.pk

    def test_rows_permissions_and_groups_survive_the_move(self):
        change_pk, decide_pk = self.fill_before()

        self.migrate(AFTER)
        ContentType.objects.clear_cache()

        change = SourceChange.objects.select_related("decision").get(pk=change_pk)
        self.assertEqual(change.source.key, "smith2020")
        self.assertEqual(change.values, {"title": "A better title"})
        self.assertEqual(change.status, "approved")
        # The same permission row, now named after the new app: nothing was recreated.
        decide = Permission.objects.get(pk=decide_pk)
        self.assertEqual(decide.content_type, ContentType.objects.get_for_model(SourceChange))
        self.assertEqual(decide.content_type.app_label, "source_review")
        self.assertFalse(ContentType.objects.filter(app_label="editorial", model="sourcechange"))
        self.assertEqual(Permission.objects.filter(codename="decide_source_change").count(), 1)
        self.assertIn(decide, Group.objects.get(name="Fact checkers").permissions.all())
        users = get_user_model().objects
        self.assertTrue(
            users.get(username="checker").has_perm("source_review.decide_source_change")
        )
        self.assertTrue(
            users.get(username="proposer").has_perm("source_review.propose_source_change")
        )
        # The roles hold theirs under the new names.
        self.assertTrue(
            Group.objects.get(name=AUTHOR).permissions.filter(
                content_type__app_label="source_review", codename="propose_source_change"
            )
        )
        self.assertTrue(Group.objects.get(name=REVIEWER).permissions.filter(pk=decide_pk).exists())

    def test_moving_back_gives_the_editorial_app_its_content_types_again(self):
        """The migration reverses: back to the editorial app, the same permission rows."""
        _, decide_pk = self.fill_before()
        self.migrate(AFTER)
        apps = self.migrate(BEFORE)
        permission = apps.get_model("auth", "Permission").objects.get(pk=decide_pk)
        self.assertEqual(permission.content_type.app_label, "editorial")
        self.assertTrue(
            apps.get_model("auth", "Group")
            .objects.get(name="Fact checkers")
            .permissions.filter(pk=decide_pk)
        )
