from django.db import migrations, models
from django.db.models import OuterRef, Subquery

PUBLIC_STATUSES = ["published", "superseded", "unpublished"]


def backfill(apps, schema_editor):
    """The first published version's date, for articles published before the field existed."""
    Article = apps.get_model("articles", "Article")
    Revision = apps.get_model("articles", "Revision")
    first = (
        Revision.objects.filter(article_id=OuterRef("pk"), status__in=PUBLIC_STATUSES)
        .order_by("number")
        .values("published_at")[:1]
    )
    Article.objects.update(first_published_at=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_article_language_and_translations"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="first_published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When its first version was published (pages' datePublished); set once.",
                null=True,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
