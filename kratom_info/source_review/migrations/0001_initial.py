"""SourceChange and SourceChangeDecision, moved from the editorial app (editorial 0003) with
their rows: only Django's record of which app owns them changes here. Their tables keep their
names (``db_table``), so nothing in the database is created, renamed or copied."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables were created there; this migration takes them over as they are.
        ("editorial", "0012_review_locators"),
        ("citations", "0003_source_approval"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="SourceChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("creates_source", models.BooleanField(default=False, help_text="This proposal adds the source (it is not public until approved).")),
                ("values", models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder, help_text="The proposed value of every reviewable field.")),
                ("based_on", models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder, help_text="The source's values when this was proposed. Approval is refused if they have changed since (another change was approved or imported first).")),
                ("note", models.TextField(blank=True, help_text="Why: shown to the reviewer.")),
                ("proposed_at", models.DateTimeField(auto_now_add=True)),
                ("proposed_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="source_changes", to=settings.AUTH_USER_MODEL)),
                ("source", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="changes", to="citations.source")),
            ],
            options={
                "db_table": "editorial_sourcechange",
                "ordering": ["-proposed_at", "-pk"],
                "permissions": [("propose_source_change", "Can propose new sources and changes to sources"), ("decide_source_change", "Can approve or reject proposed source changes")],
            },
        ),
        migrations.CreateModel(
            name="SourceChangeDecision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("decision", models.CharField(choices=[("approved", "Approved"), ("rejected", "Rejected")], max_length=20)),
                ("note", models.TextField(blank=True, help_text="Required when rejecting; shown to the proposer.")),
                ("decided_at", models.DateTimeField(auto_now_add=True)),
                ("change", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="decision", to="source_review.sourcechange")),
                ("decided_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "db_table": "editorial_sourcechangedecision",
                "ordering": ["-decided_at"],
                "constraints": [models.CheckConstraint(condition=models.Q(("decision", "approved"), models.Q(("note", ""), _negated=True), _connector="OR"), name="sourcechange_rejection_has_note")],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
