"""Moving ReviewerProfile from the editorial app to profiles keeps a database's rows, the
permissions' ids and every group's hold on them (on SQLite and, with --postgres, on
PostgreSQL); the reviewer profile admin's old addresses redirect."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from kratom_info.editorial.roles import REVIEWER
from kratom_info.profiles.models import ReviewerProfile
from tests.editorial.base import EditorialTestCase
from tests.migrating import MigrationTestCase

# Before the move: the model belonged to the editorial app.
BEFORE = [("editorial", "0013_source_changes_moved"), ("profiles", None)]
AFTER = [("editorial", "0014_reviewer_profiles_moved")]


class ReviewerProfileMoveTests(MigrationTestCase):
    def fill_before(self):
        apps = self.migrate(BEFORE)
        HUser = apps.get_model("auth", "User")  # noqa: N806 (historical models)
        HGroup = apps.get_model("auth", "Group")  # noqa: N806
        HPermission = apps.get_model("auth", "Permission")  # noqa: N806
        HProfile = apps.get_model("editorial", "ReviewerProfile")  # noqa: N806
        rita = HUser.objects.create(username="rita")
        profile = HProfile.objects.create(
            user=rita, display_name="Dr Rita Reyes", role="Pharmacist", languages=["en", "es"]
        )
        change = HPermission.objects.get(
            content_type__app_label="editorial", codename="change_reviewerprofile"
        )
        # A group an operator made, holding the permission outside the three roles.
        HGroup.objects.create(name="Profile editors").permissions.add(change)
        HUser.objects.create(username="ed").groups.add(HGroup.objects.get(name="Profile editors"))
        return profile.pk, change.pk

    def test_rows_permissions_and_groups_survive_the_move(self):
        profile_pk, change_pk = self.fill_before()

        self.migrate(AFTER)
        ContentType.objects.clear_cache()

        profile = ReviewerProfile.objects.get(pk=profile_pk)
        self.assertEqual(profile.display_name, "Dr Rita Reyes")
        self.assertEqual(profile.languages, ["en", "es"])
        self.assertEqual(get_user_model().objects.get(username="rita").reviewer_profile, profile)
        change = Permission.objects.get(pk=change_pk)  # the same row, under the new app
        self.assertEqual(change.content_type, ContentType.objects.get_for_model(ReviewerProfile))
        self.assertEqual(change.content_type.app_label, "profiles")
        self.assertFalse(ContentType.objects.filter(app_label="editorial", model="reviewerprofile"))
        self.assertEqual(Permission.objects.filter(codename="change_reviewerprofile").count(), 1)
        self.assertTrue(
            get_user_model().objects.get(username="ed").has_perm("profiles.change_reviewerprofile")
        )
        self.assertTrue(Group.objects.get(name=REVIEWER).permissions.filter(pk=change_pk))

    def test_moving_back_gives_the_editorial_app_its_content_type_again(self):
        _, change_pk = self.fill_before()
        self.migrate(AFTER)
        apps = self.migrate(BEFORE)
        permission = apps.get_model("auth", "Permission").objects.get(pk=change_pk)
        self.assertEqual(permission.content_type.app_label, "editorial")
        group = apps.get_model("auth", "Group").objects.get(name="Profile editors")
        self.assertTrue(group.permissions.filter(pk=change_pk))


class MovedAddressTests(EditorialTestCase):
    def test_addresses_from_the_editorial_app_redirect_permanently(self):
        """/admin/editorial/reviewerprofile/... redirects to /admin/profiles/reviewerprofile/."""
        profile = self.reviewer.reviewer_profile
        self.client.force_login(self.reviewer)
        new = reverse("admin:profiles_reviewerprofile_change", args=[profile.pk])
        old = f"/admin/editorial/reviewerprofile/{profile.pk}/change/"
        self.assertRedirects(self.client.get(old), new, status_code=301)
        self.assertRedirects(
            self.client.get("/admin/editorial/reviewerprofile/?q=Rita"),
            reverse("admin:profiles_reviewerprofile_changelist") + "?q=Rita",
            status_code=301,
        )
        self.assertContains(self.client.get(new), profile.display_name)
