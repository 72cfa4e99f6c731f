"""Create the Author, Reviewer and Publisher groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from kratom_info.editorial.roles import sync_role_groups


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so the
    # groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        # Put back what was there: called with the real registry (as a test does), leaving
        # None would hide every app from later post_migrate signals.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    sync_role_groups(apps)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Author", "Reviewer", "Publisher"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0001_initial"),
        ("citations", "0001_initial"),
        ("editorial", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
