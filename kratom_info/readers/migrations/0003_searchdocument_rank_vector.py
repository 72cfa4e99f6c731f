import django.contrib.postgres.search
from django.db import migrations

from kratom_info.readers import search_index


def create_rank_vector(apps, schema_editor):
    search_index.rank_vector_create(schema_editor, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("readers", "0002_search_index_and_report_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_rank_vector, migrations.RunPython.noop),
    ]
