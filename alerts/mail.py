"""The confirmation mail. Plain text, in Swedish, with absolute links (SITE_URL)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from . import links, targets
from .models import CONFIRMATION_VALID, Subscription


def _one_line(text: str, limit: int = 150) -> str:
    """A header-safe line: no line breaks, not too long."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _body(template: str, context: dict) -> str:
    # Template tags leave blank lines where they stood: at most one in a row.
    text = render_to_string(template, context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _message(subject: str, body: str, to: str, headers: dict[str, str]) -> EmailMessage:
    return EmailMessage(
        subject=_one_line(subject),
        body=body,
        to=[to],
        # Tells autoresponders not to answer (RFC 3834).
        headers={"Auto-Submitted": "auto-generated", **headers},
    )


def confirmation_message(subscription: Subscription) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        target = targets.of(subscription)
        body = _body(
            "alerts/email/confirmation.txt",
            {
                "label": target.label,
                "frequency": subscription.get_frequency_display().lower(),
                "confirm_url": links.confirm_url(subscription),
                "unsubscribe_url": links.unsubscribe_url(subscription),
                "about_url": links.about_url(),
                "site_url": settings.SITE_URL,
                "days": CONFIRMATION_VALID.days,
            },
        )
        return _message(
            _("Bekräfta att du vill få e-post från Medborgarlöften"), body, subscription.email, {}
        )
