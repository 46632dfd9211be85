"""Delete unconfirmed subscriptions whose confirmation link has run out. Safe to run twice."""

from django.core.management.base import BaseCommand

from alerts.models import CONFIRMATION_VALID
from alerts.subscriptions import remove_expired


class Command(BaseCommand):
    help = (
        "Delete e-mail subscriptions that were not confirmed within "
        f"{CONFIRMATION_VALID.days} days of their latest confirmation mail "
        "(send_digests does this too)."
    )

    def handle(self, *args, **options):
        removed = remove_expired()
        self.stdout.write(f"Deleted {removed} unconfirmed subscriptions.")
