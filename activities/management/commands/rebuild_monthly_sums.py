"""Make the monthly sums of published work again from the activities.

Not needed in daily use: every save and delete keeps them. Run it after
writing activities around Django's signals (SQL, COPY, ``bulk_create``,
``QuerySet.update``) or to check nothing has drifted.
"""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from activities.summaries import rebuild


class Command(BaseCommand):
    help = _("Räknar om månadssummorna av publicerat arbete från aktiviteterna.")

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = rebuild()
        self.stdout.write(
            _("%(rows)d månadssummor på %(seconds).1f s.")
            % {"rows": rows, "seconds": time.monotonic() - started}
        )
