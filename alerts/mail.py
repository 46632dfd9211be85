"""The two mails: the confirmation, and the digest of what is new. Plain text, in Swedish.

Every link is absolute (SITE_URL) and goes to a public page; a digest says
nothing that its public pages do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import Activity
from promises.models import Commitment, FollowUp, Municipality

from . import links, targets
from .models import CONFIRMATION_VALID, Subscription

# Entries of each kind written out in one digest; the rest are counted, with
# a link to the page that lists them.
LISTED_PER_KIND = 50


@dataclass
class Entry:
    heading: str
    facts: list[str]
    url: str


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


def _short_name(obj) -> str:
    return obj.name if isinstance(obj, Municipality) else obj.tr("title")


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


def _activity_entry(activity: Activity, target: targets.Target) -> Entry:
    facts = [activity.type.tr("name")]
    if activity.place:
        facts.append(activity.place)
    facts.append(
        ngettext("%(n)s tillfälle", "%(n)s tillfällen", activity.occasions)
        % {"n": activity.occasions}
    )
    lines = [", ".join(facts)]
    if not isinstance(target.obj, Commitment):
        commitment = activity.commitment
        lines.append(
            _("Åtagande %(n)s: %(title)s")
            % {"n": commitment.position, "title": commitment.tr("title")}
        )
    if activity.is_example or activity.commitment.promise.is_example:
        lines.append(_("Exempeldata"))
    return Entry(
        heading=f"{date_format(activity.date)}: {activity.title}",
        facts=lines,
        url=links.absolute(activity.get_absolute_url(target.municipality)),
    )


def _follow_up_entry(follow_up: FollowUp, target: targets.Target) -> Entry:
    lines = [_("Följer upp %(period)s") % {"period": follow_up.period_label}]
    for assessment in getattr(follow_up, "commitment_assessments", []):
        lines.append(
            _("Bedömning av åtagandet: %(verdict)s") % {"verdict": assessment.get_verdict_display()}
        )
    if follow_up.promise.is_example:
        lines.append(_("Exempeldata"))
    path = reverse(
        "public:follow-up-detail",
        args=[target.municipality.slug, follow_up.promise.slug, follow_up.pk],
    )
    return Entry(
        heading=f"{follow_up.tr('title')}: {follow_up.promise.tr('title')}",
        facts=lines,
        url=links.absolute(path),
    )


def digest_message(
    subscription: Subscription,
    target: targets.Target,
    activities: list[Activity],
    follow_ups: list[FollowUp],
) -> EmailMessage:
    """The digest of these new items; the newest of each kind listed, the rest counted."""
    with translation.override(settings.LANGUAGE_CODE):
        news = []
        if activities:
            news.append(
                ngettext("%(n)s ny aktivitet", "%(n)s nya aktiviteter", len(activities))
                % {"n": len(activities)}
            )
        if follow_ups:
            news.append(
                ngettext("%(n)s ny uppföljning", "%(n)s nya uppföljningar", len(follow_ups))
                % {"n": len(follow_ups)}
            )
        unsubscribe = links.unsubscribe_url(subscription)
        body = _body(
            "alerts/email/digest.txt",
            {
                "label": target.label,
                "frequency": subscription.get_frequency_display().lower(),
                "activities": [_activity_entry(a, target) for a in activities[:LISTED_PER_KIND]],
                "more_activities": max(0, len(activities) - LISTED_PER_KIND),
                "follow_ups": [_follow_up_entry(f, target) for f in follow_ups[:LISTED_PER_KIND]],
                "more_follow_ups": max(0, len(follow_ups) - LISTED_PER_KIND),
                "target_url": links.absolute(target.path),
                "unsubscribe_url": unsubscribe,
                "about_url": links.about_url(),
                "site_url": settings.SITE_URL,
            },
        )
        if len(news) == 2:
            news = [_("%(first)s och %(second)s") % {"first": news[0], "second": news[1]}]
        subject = _("%(what)s: %(news)s") % {"what": _short_name(target.obj), "news": news[0]}
        return _message(
            subject,
            body,
            subscription.email,
            {
                # One click from the mail program's own button (RFC 2369, RFC 8058):
                # it POSTs "List-Unsubscribe=One-Click" to the personal link.
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
