from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Bevakning via e-post")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
