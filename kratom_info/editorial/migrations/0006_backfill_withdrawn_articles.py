"""Articles taken offline before the withdrawal was stored on the article: read the date and
reason from their latest "unpublished" audit event, and mark the version taken offline
"unpublished". Revisions still in review behind a newer live version become "outdated"."""

from django.db import migrations


def backfill(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Revision = apps.get_model("articles", "Revision")
    AuditEvent = apps.get_model("editorial", "AuditEvent")
    for article in Article.objects.filter(live_revision__isnull=True, withdrawn_at__isnull=True):
        event = (
            AuditEvent.objects.filter(article=article, action="unpublished")
            .order_by("-created_at", "-pk")
            .first()
        )
        offline = Revision.objects.filter(article=article, status="published")
        if event is None or not offline.exists():
            continue
        offline.update(status="unpublished")
        article.withdrawn_at = event.created_at
        article.withdrawal_reason = event.detail
        article.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    for article in Article.objects.filter(live_revision__isnull=False).select_related(
        "live_revision"
    ):
        Revision.objects.filter(
            article=article,
            status__in=["submitted", "approved"],
            number__lt=article.live_revision.number,
        ).update(status="outdated")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_withdrawal_and_review_statuses"),
        ("editorial", "0005_audit_outdated_withdrawn"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
