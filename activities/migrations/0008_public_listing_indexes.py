"""Partial indexes for what the public pages and the open-data API read: published activities.

Measured on the national dataset (a million activities, docs/performance.md):
the feeds sorted every activity of a municipality by the time of change (a
big city's feed query 136 ms, now 10 ms); the activities page read every
activity of the promise from the table to count them and to list their
types; the API's updated_since and from read the whole table (from now asks
for work that starts on or after the day, or started before and ends on it or
later: both ranges on an index).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0007_activity_search_vector"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=models.Q(("state", "done"), ("status", "published")),
                fields=["commitment", "type", "date"],
                name="activity_public_by_type",
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["-updated_at", "-id"],
                name="activity_published_by_change",
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=models.Q(("end_date__isnull", False)),
                fields=["end_date"],
                name="activity_multi_day_end",
            ),
        ),
    ]
