"""The addresses in the mails: absolute, from SITE_URL, since mail is sent outside a request.

A confirmation link carries the subscription's token signed with a timestamp,
so that it runs out after CONFIRMATION_VALID and cannot be altered; an
unsubscribe link carries the token itself and works as long as the
subscription exists (from any mail ever sent).
"""

from __future__ import annotations

from django.conf import settings
from django.core.signing import SignatureExpired, TimestampSigner
from django.urls import reverse
from django.utils import translation

from .models import CONFIRMATION_VALID, Subscription

_CONFIRM_SALT = "alerts.confirm"


def confirmation_code(subscription: Subscription) -> str:
    return TimestampSigner(salt=_CONFIRM_SALT).sign(subscription.token)


def read_confirmation_code(code: str) -> tuple[str, bool]:
    """The token in a confirmation code, and whether the code has run out.

    Raises BadSignature for a code that was altered or made up.
    """
    signer = TimestampSigner(salt=_CONFIRM_SALT)
    try:
        return signer.unsign(code, max_age=CONFIRMATION_VALID), False
    except SignatureExpired:
        return signer.unsign(code), True


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _reverse(name: str, *args) -> str:
    # The mails are in Swedish, and so are the pages they link to.
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def confirm_url(subscription: Subscription) -> str:
    return absolute(_reverse("alerts:confirm", confirmation_code(subscription)))


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(_reverse("alerts:unsubscribe", subscription.token))


def about_url() -> str:
    return absolute(_reverse("alerts:about"))
