"""Fixtures for the e-mail alerts: subscribing through the form, and confirmed subscribers."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from alerts.models import Subscription, period_start

URL = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limit counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def links_in(message) -> list[str]:
    """The paths of the site's links in a mail's body, in order."""
    return [urlsplit(url).path for url in URL.findall(message.body)]


def link_after(message, text: str) -> str:
    """The path of the first link that follows `text` in the mail's body."""
    rest = message.body.split(text, 1)[1]
    return urlsplit(URL.search(rest).group()).path


@pytest.fixture
def subscribe(client, run_tasks):
    """Send the subscribe form for a target (its query string), then let the worker mail."""

    def send(query: str, email: str = "invanare@example.se", frequency: str = "daily"):
        response = client.post(f"/bevaka/?{query}", {"epost": email, "frekvens": frequency})
        run_tasks()
        return response

    return send


@pytest.fixture
def confirmed(db):
    """A subscription confirmed at `at` (now by default), as the confirm page leaves it."""

    def make(
        frequency=Subscription.Frequency.DAILY, at=None, email="invanare@example.se", **target
    ):
        at = at or timezone.now()
        return Subscription.objects.create(
            email=email,
            frequency=frequency,
            confirmation_sent_at=at - timedelta(minutes=5),
            confirmed_at=at,
            checked_at=at,
            **target,
        )

    return make


@pytest.fixture
def tomorrow():
    """An hour into the next local day: every daily subscription confirmed today is due."""
    return period_start(Subscription.Frequency.DAILY, timezone.now()) + timedelta(days=1, hours=1)


def digests_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to and "Bekräfta" not in m.subject]
