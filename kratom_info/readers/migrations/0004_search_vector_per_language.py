from django.db import migrations

import kratom_info.readers.models
from kratom_info.readers import search_index


def create_language_indexes(apps, schema_editor):
    search_index.language_indexes_create(schema_editor)


def drop_language_indexes(apps, schema_editor):
    search_index.language_indexes_drop(schema_editor)


class Migration(migrations.Migration):
    """One partial GIN index per language in place of the index of every vector and the
    language's B-tree (PostgreSQL); the vector columns declared without django.contrib.postgres
    (the same tsvector columns: no change in the database)."""

    dependencies = [
        ("readers", "0003_searchdocument_rank_vector"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="searchdocument",
            name="readers_searchdoc_language",
        ),
        # The same tsvector columns, declared without django.contrib.postgres: nothing to do
        # in the database (SQLite would otherwise copy the table to "change" them).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchdocument",
                    name=name,
                    field=kratom_info.readers.models.TextSearchVectorField(
                        editable=False, null=True
                    ),
                )
                for name in ("rank_vector", "vector")
            ]
        ),
        migrations.RunPython(create_language_indexes, drop_language_indexes),
    ]
