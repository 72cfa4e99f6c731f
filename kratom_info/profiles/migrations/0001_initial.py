"""ReviewerProfile, moved from the editorial app (editorial 0001, 0008, 0010) with its rows:
only Django's record of which app owns it changes here. Its table keeps its name
(``db_table``), so nothing in the database is created, renamed or copied. The content type and
permissions follow in editorial 0014."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import kratom_info.profiles.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The table was created and last changed there; this migration takes it over as it is.
        ("editorial", "0013_source_changes_moved"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="ReviewerProfile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("display_name", models.CharField(help_text="Shown to readers, e.g. 'Dr Amira Hassan'.", max_length=200)),
                ("role", models.CharField(help_text="Shown to readers in brackets, e.g. 'Addiction medicine physician'.", max_length=200)),
                ("declared_interests", models.TextField(blank=True, help_text="Conflicts of interest readers should know of (funding, consulting, ties to industry or advocacy groups), in their words. Empty: pages say 'none declared'.", max_length=1000)),
                ("languages", models.JSONField(default=kratom_info.profiles.models.default_review_languages, error_messages={"blank": "List at least one language the reviewer reads, from: en, es."}, help_text='Language codes of the languages this person reads well enough to check claims against sources, e.g. ["en", "es"]. Reviewing a translation needs both its language and the original\'s (English).', validators=[kratom_info.profiles.models.validate_review_languages], verbose_name="languages reviewed in")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="reviewer_profile", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "db_table": "editorial_reviewerprofile",
                "ordering": ["display_name"],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
