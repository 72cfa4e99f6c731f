"""Give the roles the source-change permissions: Authors propose, Reviewers and Publishers
approve or reject; nobody edits Source rows directly any more."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from kratom_info.editorial.roles import sync_role_groups


def resync_role_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # As in 0002: put back whatever was there, so that calling this with the real registry
        # (as a test does) does not hide every app from post_migrate afterwards.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    sync_role_groups(apps, missing_ok=True)  # any later model's permissions sync later


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0003_source_changes"),
    ]

    operations = [migrations.RunPython(resync_role_groups, migrations.RunPython.noop)]
