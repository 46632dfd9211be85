"""System checks for mail: in production, mail must really leave the server."""

from django.conf import settings
from django.core.checks import Warning, register

# Backends that keep the mail on this machine: right for development and tests.
_LOCAL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@register("alerts", deploy=True)
def check_mail_is_sent(app_configs, **kwargs):
    if settings.EMAIL_BACKEND in _LOCAL_BACKENDS:
        return [
            Warning(
                "E-mail is not sent anywhere: confirmation links and digests only reach the "
                f"log ({settings.EMAIL_BACKEND}).",
                hint="Set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) for SMTP.",
                id="alerts.W001",
            )
        ]
    return []
