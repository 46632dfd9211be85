"""Delete import jobs and uploaded files older than IMPORT_FILE_MAX_AGE_HOURS. Safe to run twice."""

from django.conf import settings
from django.core.management.base import BaseCommand

from staff.imports import remove_expired


class Command(BaseCommand):
    help = (
        "Delete spreadsheet import jobs, and their uploaded files, older than "
        "IMPORT_FILE_MAX_AGE_HOURS (run from cron, e.g. every hour)."
    )

    def handle(self, *args, **options):
        jobs, files = remove_expired()
        self.stdout.write(
            f"Removed {jobs} import jobs and {files} files older than "
            f"{settings.IMPORT_FILE_MAX_AGE_HOURS} hours."
        )
