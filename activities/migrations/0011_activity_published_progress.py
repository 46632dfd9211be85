"""A covering index for a promise's figures: published work per commitment.

Measured on the national dataset (a million activities, docs/performance.md):
the promise page's two aggregates over the busiest promise's 14,000 public
activities (totals per commitment, sums per commitment and month) read them
from the index alone instead of from thousands of heap pages, 18–59 → 14–36 ms
and 15–67 → 10–23 ms on the shared benchmark machine. Building it took 1.9 s
there; on PostgreSQL it is built CONCURRENTLY, so activities can still be
saved meanwhile (hence a migration outside a transaction).
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgreSQL(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL; a plain CREATE INDEX on other databases."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(
                self, app_label, schema_editor, from_state, to_state
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(
                self, app_label, schema_editor, from_state, to_state
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("activities", "0010_activity_series_and_times"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="activity",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["commitment"],
                include=(
                    "state",
                    "type",
                    "date",
                    "occasions",
                    "people_reached",
                    "is_example",
                    "updated_at",
                ),
                name="activity_published_progress",
            ),
        ),
    ]
