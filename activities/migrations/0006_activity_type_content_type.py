"""The activity type moved to the promises app: its content type follows it.

Renaming the existing content type keeps the permissions the staff groups have
on activity types; on a new database there is nothing to rename.
"""

from django.db import migrations


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old = ContentType.objects.filter(app_label="activities", model="activitytype").first()
    if old is None:
        return
    new = ContentType.objects.filter(app_label="promises", model="activitytype").first()
    if new is None:
        old.app_label = "promises"
        old.save()
        return
    # Both exist (post_migrate made the new one first): move whoever held a
    # permission on the old type to the same permission on the new one.
    for permission in Permission.objects.filter(content_type=old):
        target = Permission.objects.filter(content_type=new, codename=permission.codename).first()
        if target is None:
            permission.content_type = new
            permission.save()
            continue
        for group in permission.group_set.all():
            group.permissions.add(target)
        for user in permission.user_set.all():
            user.user_permissions.add(target)
        permission.delete()
    old.delete()


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
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forward, backward)]
