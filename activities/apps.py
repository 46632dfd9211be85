from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Aktiviteter")

    def ready(self) -> None:
        from promises.models import PROMISE_PERIOD_CHECKS

        from . import summaries  # noqa: F401 - connects the receivers that keep the sums
        from .models import check_activities_inside_period

        if check_activities_inside_period not in PROMISE_PERIOD_CHECKS:
            PROMISE_PERIOD_CHECKS.append(check_activities_inside_period)
