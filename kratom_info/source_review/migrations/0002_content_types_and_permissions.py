"""Move the two models' content types from the editorial app to this one, in place, so that
every group and user that held ``propose_source_change`` or ``decide_source_change`` (the
roles, and any group an operator made) still holds it, now named ``source_review.<codename>``
(see :mod:`kratom_info.moved_models`)."""

from django.db import migrations

from kratom_info.editorial.roles import resync_after_move
from kratom_info.moved_models import move_content_types

MODELS = ["sourcechange", "sourcechangedecision"]


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("source_review", "0001_initial"),
        ("editorial", "0013_source_changes_moved"),
    ]

    operations = [
        migrations.RunPython(
            move_content_types("editorial", "source_review", MODELS),
            move_content_types("source_review", "editorial", MODELS),
        ),
        # The roles hold the moved permissions under their new names (on a fresh database
        # they were left out until now).
        migrations.RunPython(resync_after_move("source_review"), migrations.RunPython.noop),
    ]
