"""The activity type moved to the promises app: its content type follows it.

Renaming the existing content type keeps the permissions the staff groups have
on activity types; on a new database there is nothing to rename.
"""

from django.db import migrations


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="promises", model="activitytype").exists():
        ContentType.objects.filter(app_label="activities", model="activitytype").update(
            app_label="promises"
        )


def backward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="activities", model="activitytype").exists():
        ContentType.objects.filter(app_label="promises", model="activitytype").update(
            app_label="activities"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_coverage_follow_ups"),
        ("promises", "0006_district_history"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
