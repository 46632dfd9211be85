"""Send the weekly letter to staff. Safe to run any number of times in a week."""

from django.core.management.base import BaseCommand

from staff.digests import send_staff_digests


class Command(BaseCommand):
    help = (
        "Send each staff member who has not said no a weekly letter with their current "
        "commitments and pace, drafts waiting to be published and planned activities to "
        "confirm; at most one letter per person and ISO week (run from cron, e.g. every "
        "Monday morning, or every hour)."
    )

    def handle(self, *args, **options):
        outcome = send_staff_digests()
        self.stdout.write(
            f"Sent {outcome.sent} weekly staff letters; {outcome.already_sent} had this "
            f"week's letter already; {outcome.nothing_to_say} had nothing to report; "
            f"{outcome.failed} failed and will be tried again."
        )
        if outcome.failed:
            self.stderr.write(f"{outcome.failed} letters could not be sent; see the log.")
