"""Send the due e-mail digests. Safe to run every hour, and twice at once."""

from django.core.management.base import BaseCommand

from alerts.digests import send_digests


class Command(BaseCommand):
    help = (
        "Send each confirmed subscriber the new public activities and follow-ups in what "
        "they follow, at most once a day or a week, and delete unconfirmed addresses whose "
        "confirmation link has run out (run from cron, e.g. every hour)."
    )

    def handle(self, *args, **options):
        outcome = send_digests()
        self.stdout.write(
            f"Sent {outcome.sent} digests with {outcome.items} items; "
            f"{outcome.nothing_new} due subscriptions had nothing new; "
            f"{outcome.failed} failed and will be tried again; "
            f"deleted {outcome.removed} unconfirmed subscriptions."
        )
        if outcome.failed:
            self.stderr.write(f"{outcome.failed} digests could not be sent; see the log.")
