"""A GIN index for the public free-text search (PostgreSQL only).

The expression is exactly the one `ActivityQuerySet.search` builds, so that
the planner uses the index. SQLite (development) has no full-text index and
skips this migration's SQL.
"""

from django.db import migrations

INDEX = "activity_search_swedish"
EXPRESSION = (
    "setweight(to_tsvector('swedish'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('swedish'::regconfig, COALESCE(place, '')), 'B')"
    " || setweight(to_tsvector('swedish'::regconfig, COALESCE(description, '')), 'C')"
)


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON activities_activity USING gin (({EXPRESSION}))"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("activities", "0003_seed_activity_types")]

    operations = [migrations.RunPython(create, drop)]
