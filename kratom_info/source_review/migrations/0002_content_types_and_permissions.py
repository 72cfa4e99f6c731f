"""Move the two models' content types from the editorial app to this one, in place.

A permission points at its model's content type, and a group's permissions point at the
permission: renaming the content type's app (instead of letting Django create new ones) keeps
every permission row, with its id, so every group and user that held ``propose_source_change``
or ``decide_source_change`` (the roles, and any group an operator made) still holds it, now
named ``source_review.<codename>``. The admin's history of these records stays attached too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from kratom_info.editorial.roles import sync_role_groups

MODELS = ["sourcechange", "sourcechangedecision"]


def move_content_types(from_app: str, to_app: str):
    def move(apps, schema_editor):
        content_type_model = apps.get_model("contenttypes", "ContentType")
        taken = set(
            content_type_model.objects.filter(app_label=to_app, model__in=MODELS).values_list(
                "model", flat=True
            )
        )
        content_type_model.objects.filter(app_label=from_app, model__in=MODELS).exclude(
            model__in=taken
        ).update(app_label=to_app)
        content_type_model.objects.clear_cache()

    return move


def create_missing_and_resync(apps, schema_editor):
    # A fresh database has the permissions already (editorial 0004 created them); this covers
    # one whose content types were never created, then gives the roles theirs back.
    app_config = apps.get_app_config("source_review")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    sync_role_groups(apps, missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("source_review", "0001_initial"),
        ("editorial", "0013_source_changes_moved"),
    ]

    operations = [
        migrations.RunPython(
            move_content_types("editorial", "source_review"),
            move_content_types("source_review", "editorial"),
        ),
        migrations.RunPython(create_missing_and_resync, migrations.RunPython.noop),
    ]
