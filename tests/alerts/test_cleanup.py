"""Unconfirmed addresses are deleted once their confirmation link has run out."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from alerts.digests import send_digests
from alerts.models import Subscription


@pytest.fixture
def waiting(harryda):
    now = timezone.now()

    def make(email, sent_days_ago, **fields):
        subscription = Subscription.objects.create(
            email=email,
            municipality=harryda,
            confirmation_sent_at=now - timedelta(days=sent_days_ago) if sent_days_ago else None,
            **fields,
        )
        return subscription

    old = make("gammal@example.se", 4)
    recent = make("ny@example.se", 2)
    never_mailed = make("aldrig@example.se", None)
    Subscription.objects.filter(pk=never_mailed.pk).update(created_at=now - timedelta(days=4))
    kept = make("bekraftad@example.se", 30, confirmed_at=now - timedelta(days=29))
    return {"old": old, "recent": recent, "never_mailed": never_mailed, "kept": kept}


def test_clean_subscriptions_deletes_unconfirmed_addresses_older_than_three_days(waiting):
    out = StringIO()

    call_command("clean_subscriptions", stdout=out)
    call_command("clean_subscriptions", stdout=out)

    assert set(Subscription.objects.values_list("email", flat=True)) == {
        "ny@example.se",
        "bekraftad@example.se",
    }
    assert "Deleted 2 unconfirmed subscriptions." in out.getvalue()
    assert "Deleted 0 unconfirmed subscriptions." in out.getvalue()


def test_send_digests_deletes_them_too(waiting):
    outcome = send_digests()

    assert outcome.removed == 2
    assert not Subscription.objects.filter(email__in=["gammal@example.se", "aldrig@example.se"])
    assert Subscription.objects.filter(email="ny@example.se").exists()
