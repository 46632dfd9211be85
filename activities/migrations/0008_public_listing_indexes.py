"""Partial indexes for what the public pages read: published, done activities.

Measured on the national dataset (a million activities, docs/performance.md):
the feeds sorted every activity of a municipality by the time of change (a
big city's feed 125 ms, now 22 ms), and the activities page read the heap of
every activity of the promise to count them and to list its types.
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
                condition=models.Q(("state", "done"), ("status", "published")),
                fields=["-updated_at", "-id"],
                name="activity_public_by_change",
            ),
        ),
    ]
