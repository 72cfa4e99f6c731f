"""ReviewerProfile now belongs to kratom_info.profiles (its 0001): forget it here without
touching its table, and give its content type to that app in place, so that every group and
user holding ``view_reviewerprofile`` or ``change_reviewerprofile`` still holds it, now named
``profiles.<codename>`` (see :mod:`kratom_info.moved_models`)."""

from django.db import migrations

from kratom_info.editorial.roles import resync_after_move
from kratom_info.moved_models import move_content_types

MODELS = ["reviewerprofile"]


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("editorial", "0013_source_changes_moved"),
        ("profiles", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReviewerProfile")]
        ),
        migrations.RunPython(
            move_content_types("editorial", "profiles", MODELS),
            move_content_types("profiles", "editorial", MODELS),
        ),
        # The roles hold the moved permissions under their new names (on a fresh database
        # they were left out until now).
        migrations.RunPython(resync_after_move("profiles"), migrations.RunPython.noop),
    ]
