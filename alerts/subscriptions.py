"""Subscribing, confirming and leaving: every path (views, worker, commands) goes through here."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import mail, targets
from .models import (
    CONFIRMATION_RESEND_AFTER,
    PENDING_PER_ADDRESS,
    Subscription,
)

logger = logging.getLogger(__name__)


def request(email: str, target: targets.Target, frequency: str) -> None:
    """Record the wish to follow `target` and queue the confirmation mail.

    The outcome looks the same whether the address is new, waiting for its
    confirmation or already confirmed, and takes about as long: the worker
    decides whether a mail goes (never to a confirmed subscription, at most
    one per CONFIRMATION_RESEND_AFTER), so the form's answer and its timing
    do not tell who follows what.
    """
    from .tasks import send_confirmation

    with transaction.atomic():
        subscription = Subscription.objects.filter(email=email, **target.fields).first()
        if subscription is None:
            if (
                Subscription.objects.unconfirmed().filter(email=email).count()
                >= PENDING_PER_ADDRESS
            ):
                logger.info("Subscription refused: too many unconfirmed for one address.")
                return
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        email=email, frequency=frequency, **target.fields
                    )
            except IntegrityError:
                # The same address and target, sent twice at once: the other
                # request made the subscription and queued its mail.
                return
        elif not subscription.is_confirmed and subscription.frequency != frequency:
            # Not yet confirmed: the latest choice counts. A confirmed
            # subscription is never changed from the open form.
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
        # In the database queue: the worker sees the task once this commits.
        send_confirmation.enqueue(subscription.pk)


def send_confirmation(subscription_id: int, now: datetime | None = None) -> bool:
    """Mail the confirmation link, unless it is confirmed or was mailed a moment ago."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = (
            # Only this row: the related ones are on the nullable side of a join.
            Subscription.objects.select_for_update(of=("self",))
            .select_related("municipality", "promise", "commitment__promise")
            .filter(pk=subscription_id)
            .first()
        )
        if subscription is None or subscription.is_confirmed:
            return False
        sent = subscription.confirmation_sent_at
        if sent is not None and sent > now - CONFIRMATION_RESEND_AFTER:
            return False
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["confirmation_sent_at"])
        # Sent inside the transaction: if the mail server refuses, nothing is
        # recorded and the next request for the address tries again.
        mail.confirmation_message(subscription).send()
    return True


def confirm(subscription: Subscription, now: datetime | None = None) -> None:
    """Start the subscription: only what is published from now on is sent to it."""
    now = now or timezone.now()
    # The digest's first day or week starts now: nothing is due before then.
    Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, checked_at=now
    )
    subscription.refresh_from_db(fields=["confirmed_at", "checked_at"])


def for_token(token: str) -> Subscription | None:
    return (
        Subscription.objects.select_related("municipality", "promise", "commitment__promise")
        .filter(token=token[:64])
        .first()
    )


def unsubscribe(token: str) -> targets.Target | None:
    """Delete the subscription and the record of what it was sent; what it followed, if it existed."""
    subscription = for_token(token)
    if subscription is None:
        return None
    target = targets.of(subscription)
    # Deleting the row deletes its deliveries: nothing about the address is kept.
    subscription.delete()
    return target


def remove_expired(now: datetime | None = None) -> int:
    """Delete unconfirmed subscriptions whose confirmation link has run out."""
    _total, by_model = Subscription.objects.expired(now).delete()
    return by_model.get(Subscription._meta.label, 0)
