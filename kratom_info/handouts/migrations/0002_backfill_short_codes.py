"""Give every article published before this app existed its short code.

Uses the historical model and the same generator as the service; assigns only to articles that
have none, so it is safe to run on any database, and never removes a code when reversed.
"""

from django.db import migrations

from kratom_info.handouts.codes import LENGTH, generate_code


def assign_missing_codes(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ShortCode = apps.get_model("handouts", "ShortCode")
    taken = set(ShortCode.objects.values_list("code", flat=True))
    missing = Article.objects.filter(live_revision__isnull=False, short_code__isnull=True)
    for article in missing.order_by("pk"):
        code = generate_code(LENGTH)
        while code in taken:
            code = generate_code(LENGTH)
        taken.add(code)
        ShortCode.objects.create(article=article, code=code)


class Migration(migrations.Migration):
    dependencies = [("handouts", "0001_initial")]

    operations = [migrations.RunPython(assign_missing_codes, migrations.RunPython.noop)]
