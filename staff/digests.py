"""The weekly e-mail to staff: the staff home's overview, sent by ``send_staff_digests``.

Sent outside any request, so every link is absolute (SITE_URL). At most one
letter per person and ISO week: the week is claimed (``DigestSetting.
last_sent_week``) in the same statement that checks it, before the mail
leaves, and given back if the mail server refuses it, so that two runs in one
week, or at once, send one letter. Staff who said no (on the staff home or
through the link in the letter) get none.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.core.signing import BadSignature, Signer
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import DigestSetting
from .overview import Overview, overview_for

log = logging.getLogger(__name__)

_UNSUBSCRIBE_SALT = "staff.digest.unsubscribe"


def unsubscribe_token(user) -> str:
    # Signed, never expiring: the link in any letter ever sent keeps working.
    return Signer(salt=_UNSUBSCRIBE_SALT).sign(str(user.pk))


def read_unsubscribe_token(token: str):
    """The user a token names; BadSignature for a token altered or made up, or a user gone."""
    pk = Signer(salt=_UNSUBSCRIBE_SALT).unsign(token)
    user = get_user_model().objects.filter(pk=pk, is_active=True).first() if pk.isdigit() else None
    if user is None:
        raise BadSignature("no such user")
    return user


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def week_of(day: date) -> date:
    """The Monday of the day's ISO week."""
    return day - timedelta(days=day.weekday())


def recipients():
    """Active staff with an address who did not say no to the letter."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .exclude(digest_setting__in=DigestSetting.objects.opted_out())
        .order_by("pk")
    )


def _body(template: str, context: dict) -> str:
    text = render_to_string(template, context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def digest_message(user, overview: Overview) -> EmailMultiAlternatives:
    """The letter: plain text and HTML with the same content, in Swedish."""
    with translation.override(settings.LANGUAGE_CODE):
        unsubscribe = _absolute(
            reverse("personal:digest-unsubscribe", args=[unsubscribe_token(user)])
        )
        context = {
            "overview": overview,
            "person": user,
            "home_url": _absolute(reverse("personal:home")),
            "admin_url": _absolute(reverse("admin:activities_activity_changelist")),
            "unsubscribe_url": unsubscribe,
            "site_url": settings.SITE_URL,
            "week": overview.today.isocalendar().week,
        }
        text = _body("personal/email/digest.txt", context)
        html = render_to_string("personal/email/digest.html", context)
        subject = _("Veckobrev vecka %(week)s: dina åtaganden i medborgarlöftet") % {
            "week": context["week"]
        }
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[user.email],
            headers={
                "Auto-Submitted": "auto-generated",
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(html, "text/html")
        return message


@dataclass
class Outcome:
    sent: int = 0
    already_sent: int = 0
    nothing_to_say: int = 0
    failed: int = 0


_TAKEN = object()


def _claim(user, week: date):
    """Take this week's letter for the user; _TAKEN if it is already taken.

    Returns the week it last went (None if never), to give back on failure.
    """
    with transaction.atomic():
        setting, _created = DigestSetting.objects.get_or_create(user=user)
        previous = setting.last_sent_week
        # One statement decides: a second run (or one running at once) finds
        # the week taken and updates nothing.
        claimed = (
            DigestSetting.objects.filter(pk=setting.pk, wants_digest=True)
            .exclude(last_sent_week=week)
            .update(last_sent_week=week)
        )
    return previous if claimed else _TAKEN


def send_staff_digests(now: datetime | None = None) -> Outcome:
    now = timezone.localtime(now)
    week = week_of(now.date())
    outcome = Outcome()
    sent = set(DigestSetting.objects.filter(last_sent_week=week).values_list("user_id", flat=True))
    for user in recipients():
        if user.pk in sent:
            outcome.already_sent += 1
            continue
        overview = overview_for(user, now)
        if not overview.has_news:
            outcome.nothing_to_say += 1
            continue
        previous = _claim(user, week)
        if previous is _TAKEN:
            outcome.already_sent += 1
            continue
        try:
            digest_message(user, overview).send()
        except Exception:
            log.exception("The weekly staff letter to user %s could not be sent", user.pk)
            DigestSetting.objects.filter(user=user, last_sent_week=week).update(
                last_sent_week=previous
            )
            outcome.failed += 1
            continue
        outcome.sent += 1
    return outcome
