"""A stored search document for the free-text search, with a GIN index (PostgreSQL).

The generated column holds exactly the document the expression index of 0004
was built on (title A, place B, description C, Swedish configuration), so that
index is replaced by one on the column: the search no longer recomputes a
document for each candidate row, and ANALYZE keeps statistics of the column's
words, so the planner knows how many rows a word matches. On SQLite the column
is a generated NULL and there is no index (the search uses substrings there).

Adding a stored generated column rewrites the table on PostgreSQL (about half
a minute per million activities, with the table locked).
"""

import django.contrib.postgres.search
from django.db import migrations, models

import activities.search

OLD_INDEX = "activity_search_swedish"
OLD_EXPRESSION = (
    "setweight(to_tsvector('swedish'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('swedish'::regconfig, COALESCE(place, '')), 'B')"
    " || setweight(to_tsvector('swedish'::regconfig, COALESCE(description, '')), 'C')"
)
INDEX = "activity_search_vector_gin"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON activities_activity USING gin (search_vector)"
        )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON activities_activity "
            f"USING gin (({OLD_EXPRESSION}))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_activity_type_content_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=activities.search.OnPostgreSQL(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.SearchVector(
                                "title", config="swedish", weight="A"
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                "place", config="swedish", weight="B"
                            ),
                            django.contrib.postgres.search.SearchConfig("swedish"),
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "description", config="swedish", weight="C"
                        ),
                        django.contrib.postgres.search.SearchConfig("swedish"),
                    )
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
