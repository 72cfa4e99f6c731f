"""For the migrations that move a model from one app to another with its rows (the table keeps
its name): Django's content types and permissions follow the model in place.

A permission points at its model's content type, and a group's or a user's permissions point
at the permission. Renaming the content type's app, rather than letting Django create new
ones after the migration, keeps every permission row with its id, so whoever held
``old_app.<codename>`` holds ``new_app.<codename>`` afterwards; the admin's history of the
records stays attached too.
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions


def move_content_types(from_app: str, to_app: str, models: list[str]):
    """A RunPython function giving ``models``' content types (lower-case model names) of
    ``from_app`` to ``to_app``; one that ``to_app`` has already is left alone."""

    def move(apps, schema_editor):
        content_type_model = apps.get_model("contenttypes", "ContentType")
        taken = content_type_model.objects.filter(app_label=to_app, model__in=models)
        content_type_model.objects.filter(app_label=from_app, model__in=models).exclude(
            model__in=taken.values_list("model", flat=True)
        ).update(app_label=to_app)
        content_type_model.objects.clear_cache()

    return move


def create_app_permissions(apps, app_label: str) -> None:
    """The permissions of ``app_label``'s models, created now rather than after every migration
    (for a data migration that gives them to groups on a fresh database)."""
    app_config = apps.get_app_config(app_label)
    # A migration state's app config has no models module; put back whatever was there.
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
