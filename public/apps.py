from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public site residents read: pages, previews of drafts for staff."""

    name = "public"
    verbose_name = _("Webbplatsen")

    def ready(self) -> None:
        from . import signals

        signals.connect()
