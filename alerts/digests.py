"""The digests: each confirmed subscription's new public items, at most once a day or a week.

`manage.py send_digests` runs this from cron; running it every hour is safe.
A daily subscription is due once per local calendar day, a weekly one once per
ISO week (from Monday); the digest goes at the first run in that day or week
when there is something new, so with an hourly cron it leaves just after
midnight, or on Monday night for weekly subscribers.

What is new: done activities (`Activity.objects.public().done()`, as in the
Atom feeds) and published follow-ups (`FollowUp.objects.published()`) in what
the subscription follows, which became public after it was confirmed (logged,
published or marked done since, and not public and done in any version the
history holds from before), and which it has not been sent.

Delivery is at most once. The items and the subscription's day or week are
recorded (`Delivery`, unique per subscription and item) in the transaction
that decides to send, committed before the mail leaves, and taken back if the
mail server refuses the mail. A crash in the moment between that commit and
the hand-over to the mail server loses that one digest; it never sends an item
twice. A second run at the same time skips subscriptions the first one has
locked (PostgreSQL), and the unique constraint stops it everywhere else.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone, translation

from activities.models import Activity
from promises.models import Assessment, FollowUp

from . import mail, targets
from .models import Delivery, Subscription
from .subscriptions import remove_expired

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    sent: int = 0
    items: int = 0
    nothing_new: int = 0
    failed: int = 0
    removed: int = 0


def new_activities(subscription: Subscription):
    """Public, done activities in what the subscription follows, new to it."""
    confirmed = subscription.confirmed_at
    history = Activity.history.model
    public_before = history.objects.filter(
        id=OuterRef("pk"),
        history_date__lt=confirmed,
        status=Activity.Status.PUBLISHED,
        state=Activity.State.DONE,
    )
    activities = Activity.objects.public().done()
    if subscription.municipality_id:
        activities = activities.for_municipality(subscription.municipality)
    elif subscription.promise_id:
        activities = activities.for_promise(subscription.promise)
    else:
        activities = activities.filter(commitment=subscription.commitment)
    sent = subscription.deliveries.filter(kind=Delivery.Kind.ACTIVITY).values("item_id")
    return (
        activities.filter(updated_at__gte=confirmed)
        .filter(~Exists(public_before))
        .exclude(pk__in=sent)
        .select_related("commitment__promise", "type")
        .order_by("-date", "-pk")
    )


def new_follow_ups(subscription: Subscription):
    """Published follow-ups in what the subscription follows, new to it.

    For a commitment: the follow-ups that assess it, with that assessment.
    """
    confirmed = subscription.confirmed_at
    history = FollowUp.history.model
    public_before = history.objects.filter(
        id=OuterRef("pk"), history_date__lt=confirmed, status=FollowUp.Status.PUBLISHED
    )
    follow_ups = FollowUp.objects.published()
    if subscription.municipality_id:
        follow_ups = follow_ups.filter(promise__municipalities=subscription.municipality)
    elif subscription.promise_id:
        follow_ups = follow_ups.filter(promise=subscription.promise)
    else:
        follow_ups = follow_ups.filter(assessments__commitment=subscription.commitment)
        follow_ups = follow_ups.prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.filter(commitment=subscription.commitment),
                to_attr="commitment_assessments",
            )
        )
    sent = subscription.deliveries.filter(kind=Delivery.Kind.FOLLOW_UP).values("item_id")
    return (
        follow_ups.filter(updated_at__gte=confirmed)
        .filter(~Exists(public_before))
        .exclude(pk__in=sent)
        .select_related("promise")
        .order_by("-period_end", "-pk")
    )


def _decide(subscription_id: int, now: datetime):
    """Lock the subscription if it is still due, record what it gets, and build the mail.

    Returns the mail, or None when another run has it or there is nothing new.
    """
    with transaction.atomic():
        subscription = (
            Subscription.objects.due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("municipality", "promise", "commitment__promise")
            .prefetch_related("promise__municipalities", "commitment__promise__municipalities")
            .filter(pk=subscription_id)
            .first()
        )
        if subscription is None:
            return None
        activities = list(new_activities(subscription))
        follow_ups = list(new_follow_ups(subscription))
        # Decided for this day or week, whether or not anything goes.
        subscription.checked_at = now
        subscription.save(update_fields=["checked_at"])
        if not activities and not follow_ups:
            return None
        Delivery.objects.bulk_create(
            [
                Delivery(subscription=subscription, kind=kind, item_id=item.pk, sent_at=now)
                for kind, items in (
                    (Delivery.Kind.ACTIVITY, activities),
                    (Delivery.Kind.FOLLOW_UP, follow_ups),
                )
                for item in items
            ]
        )
        message = mail.digest_message(
            subscription, targets.of(subscription), activities, follow_ups
        )
        return message, len(activities) + len(follow_ups)


def _take_back(subscription_id: int, now: datetime, previous: datetime | None) -> None:
    """The mail did not go: forget it was decided, so that the next run tries again."""
    with transaction.atomic():
        Delivery.objects.filter(subscription_id=subscription_id, sent_at=now).delete()
        Subscription.objects.filter(pk=subscription_id, checked_at=now).update(checked_at=previous)


def send_digests(now: datetime | None = None) -> Outcome:
    """Send every due digest, and delete unconfirmed addresses whose link has run out."""
    now = now or timezone.now()
    outcome = Outcome(removed=remove_expired(now))
    due = list(Subscription.objects.due(now).order_by("pk").values_list("pk", "checked_at"))
    connection = get_connection()
    try:
        with translation.override(settings.LANGUAGE_CODE):
            for subscription_id, previous in due:
                try:
                    decided = _decide(subscription_id, now)
                except IntegrityError:
                    # Another run recorded these items first: it sends them.
                    continue
                if decided is None:
                    outcome.nothing_new += 1
                    continue
                message, count = decided
                message.connection = connection
                try:
                    message.send()
                except Exception:
                    logger.exception("Digest for subscription %s not sent", subscription_id)
                    _take_back(subscription_id, now, previous)
                    # A broken connection is opened afresh for the next mail.
                    connection.close()
                    outcome.failed += 1
                    continue
                outcome.sent += 1
                outcome.items += count
    finally:
        connection.close()
    return outcome
