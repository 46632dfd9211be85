"""Indexes for long lists of done work: the activities page and the feeds.

The activities page sorted the busiest promise's 12,448 public activities,
whole rows read from the table, for each page of 20 (27 ms at a million
activities); with the ids read from activity_public_list first, 3 ms. A big
municipality's feed sorted its 46,000 activities by their last change (67 ms);
from activity_done_by_change, 17 ms (docs/performance.md). Built
CONCURRENTLY on PostgreSQL, as 0011.
"""

from importlib import import_module

from django.db import migrations, models

AddIndexConcurrentlyOnPostgreSQL = import_module(
    "activities.migrations.0011_activity_published_progress"
).AddIndexConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("activities", "0012_monthly_and_organisation_sums"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="activity",
            index=models.Index(
                condition=models.Q(("state", "done"), ("status", "published")),
                fields=["commitment", "date", "id"],
                include=("type", "occasions", "people_reached", "is_example"),
                name="activity_public_list",
            ),
        ),
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="activity",
            index=models.Index(
                condition=models.Q(("state", "done"), ("status", "published")),
                fields=["commitment", "updated_at", "id"],
                name="activity_done_by_change",
            ),
        ),
    ]
