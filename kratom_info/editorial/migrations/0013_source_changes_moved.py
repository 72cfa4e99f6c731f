"""SourceChange and SourceChangeDecision now belong to kratom_info.source_review (its 0001):
forget them here without touching their tables, which that app keeps using as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0012_review_locators"),
        ("source_review", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SourceChangeDecision"),
                migrations.DeleteModel(name="SourceChange"),
            ]
        )
    ]
