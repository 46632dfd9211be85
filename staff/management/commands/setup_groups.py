"""Create the staff groups with their default permissions. Safe to run any number of times."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

EDITOR = [
    "promises.view_promise",
    "promises.add_promise",
    "promises.change_promise",
    "promises.view_commitment",
    "promises.add_commitment",
    "promises.change_commitment",
    "promises.view_priorityarea",
    "promises.add_priorityarea",
    "promises.change_priorityarea",
    "promises.delete_priorityarea",
    "promises.view_followup",
    "promises.add_followup",
    "promises.change_followup",
    "promises.view_assessment",
    "promises.add_assessment",
    "promises.change_assessment",
    "promises.delete_assessment",
    "promises.view_district",
    "promises.add_district",
    "promises.change_district",
    "promises.view_contact",
    "promises.add_contact",
    "promises.change_contact",
    "promises.delete_contact",
    "promises.view_activitytype",
    "promises.view_indicator",
    "promises.add_indicator",
    "promises.change_indicator",
    "promises.view_measurement",
    "promises.add_measurement",
    "promises.change_measurement",
    "promises.delete_measurement",
    "activities.view_activity",
    "activities.add_activity",
    "activities.change_activity",
    "activities.delete_activity",
    "reports.view_followuphighlight",
    "reports.add_followuphighlight",
    "reports.change_followuphighlight",
    "reports.delete_followuphighlight",
]

READER = [
    "promises.view_promise",
    "promises.view_commitment",
    "promises.view_priorityarea",
    "promises.view_followup",
    "promises.view_assessment",
    "promises.view_district",
    "promises.view_contact",
    "promises.view_activitytype",
    "promises.view_indicator",
    "promises.view_measurement",
    # Viewing activities also allows exporting them (see ActivityAdmin).
    "activities.view_activity",
    "reports.view_followuphighlight",
]

# Which organisation's data a member reaches is decided by the organisations
# they belong to, not by the group: the groups only say what they may do.
# The coordinator reviews and publishes: their new activities are public at
# once, while the officers' start as drafts (Activity.initial_status_for).
COORDINATOR = [*EDITOR, "activities.publish_at_once"]

GROUPS = {
    "Kommunpolis": EDITOR,
    "Kommunens samordnare": COORDINATOR,
    "Rapportläsare": READER,
}


class Command(BaseCommand):
    help = _(
        "Skapar personalgrupperna Kommunpolis, Kommunens samordnare och Rapportläsare med "
        "sina standardbehörigheter. Kan köras flera gånger; behörigheterna återställs."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        for name, perms in GROUPS.items():
            group, created = Group.objects.get_or_create(name=name)
            group.permissions.set(_permissions(perms))
            message = (
                gettext("Grupp %(name)s skapad med %(count)d behörigheter.")
                if created
                else gettext("Grupp %(name)s uppdaterad med %(count)d behörigheter.")
            )
            self.stdout.write(message % {"name": name, "count": len(perms)})


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found
