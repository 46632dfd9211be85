"""Residents who follow a municipality, a promise or a commitment by e-mail, and what they got.

Only the address and the choices are stored: no name, no IP address, no
language or browser. An address that is not confirmed within
CONFIRMATION_VALID is deleted, and leaving deletes the subscription together
with the record of what was sent to it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promises.models import Commitment, Municipality, Promise

# How long a confirmation link works; an address still unconfirmed after that
# (counted from the latest confirmation mail) is deleted.
CONFIRMATION_VALID = timedelta(days=3)
# At most one confirmation mail per subscription this often, however many
# times the form is sent for the address.
CONFIRMATION_RESEND_AFTER = timedelta(minutes=10)
# Unconfirmed subscriptions one address may have at once: someone who types a
# stranger's address into the form cannot send them more confirmation mails.
PENDING_PER_ADDRESS = 5


def new_token() -> str:
    """The subscription's secret: in its confirmation and unsubscribe links, nowhere else."""
    return secrets.token_urlsafe(32)


def normalize_email(address: str) -> str:
    """One spelling per address, so that the same person cannot subscribe twice by case."""
    return address.strip().lower()


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self) -> SubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=True)

    def expired(self, now: datetime | None = None) -> SubscriptionQuerySet:
        """Unconfirmed subscriptions whose latest confirmation link has run out."""
        cutoff = (now or timezone.now()) - CONFIRMATION_VALID
        return self.unconfirmed().filter(
            Q(confirmation_sent_at__lt=cutoff)
            # The worker never got to send the mail: counted from the request.
            | Q(confirmation_sent_at__isnull=True, created_at__lt=cutoff)
        )

    def due(self, now: datetime | None = None) -> SubscriptionQuerySet:
        """Confirmed subscriptions whose digest has not been decided yet in this day or week."""
        now = now or timezone.now()
        return self.confirmed().filter(
            Q(checked_at__isnull=True)
            | Q(
                frequency=Subscription.Frequency.DAILY,
                checked_at__lt=period_start(Subscription.Frequency.DAILY, now),
            )
            | Q(
                frequency=Subscription.Frequency.WEEKLY,
                checked_at__lt=period_start(Subscription.Frequency.WEEKLY, now),
            )
        )


class Subscription(models.Model):
    """One address following one municipality, promise or commitment."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("En gång om dagen")
        WEEKLY = "weekly", _("En gång i veckan")

    email = models.EmailField(_("e-postadress"), max_length=254)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommun"),
    )
    promise = models.ForeignKey(
        Promise,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medborgarlöfte"),
    )
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("åtagande"),
    )
    frequency = models.CharField(
        _("hur ofta"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("bekräftelse skickad"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)
    # When this day's or week's digest was last decided, whether or not there
    # was anything to send: a digest goes at most once per day or week.
    checked_at = models.DateTimeField(_("senaste utskicksomgång"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("bevakning")
        verbose_name_plural = _("bevakningar")
        constraints = [
            models.CheckConstraint(
                name="subscription_one_target",
                condition=Q(
                    municipality__isnull=False, promise__isnull=True, commitment__isnull=True
                )
                | Q(municipality__isnull=True, promise__isnull=False, commitment__isnull=True)
                | Q(municipality__isnull=True, promise__isnull=True, commitment__isnull=False),
                violation_error_message=_(
                    "En bevakning gäller en kommun, ett medborgarlöfte eller ett åtagande."
                ),
            ),
            models.UniqueConstraint(
                fields=["email", "municipality"],
                condition=Q(municipality__isnull=False),
                name="subscription_unique_municipality",
            ),
            models.UniqueConstraint(
                fields=["email", "promise"],
                condition=Q(promise__isnull=False),
                name="subscription_unique_promise",
            ),
            models.UniqueConstraint(
                fields=["email", "commitment"],
                condition=Q(commitment__isnull=False),
                name="subscription_unique_commitment",
            ),
        ]
        indexes = [models.Index(fields=["confirmed_at", "checked_at"])]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()}: {self.target}"

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def target(self) -> Municipality | Promise | Commitment:
        return self.municipality or self.promise or self.commitment

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


def period_start(frequency: str, now: datetime) -> datetime:
    """The start of the local day (daily) or ISO week, from Monday (weekly), that `now` is in."""
    day = timezone.localdate(now)
    if frequency == Subscription.Frequency.WEEKLY:
        day -= timedelta(days=day.weekday())
    return timezone.make_aware(datetime.combine(day, time.min))


class Delivery(models.Model):
    """One item the subscription has been sent: it is never sent to it again."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("aktivitet")
        FOLLOW_UP = "follow_up", _("uppföljning")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    item_id = models.PositiveBigIntegerField()
    # Written in the transaction that decides to send, before the mail leaves.
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("skickad post")
        verbose_name_plural = _("skickade poster")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "kind", "item_id"], name="delivery_once_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_id}"
