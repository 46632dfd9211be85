"""Confirming: the link in the mail, and links that ran out, were altered or lead nowhere."""

import time

import pytest
from django.core import mail, signing
from django.test import Client

from alerts.models import Subscription
from medborgarlofte import db

from .conftest import link_after


@pytest.fixture
def waiting(harryda, subscribe):
    """An address that has asked to follow Härryda, and its confirmation mail."""
    subscribe("kommun=harryda", frequency="weekly")
    return Subscription.objects.get(), mail.outbox[-1]


def test_the_link_in_the_mail_asks_and_the_button_confirms(waiting):
    subscription, message = waiting
    link = link_after(message, "Bekräfta genom att")
    # A browser without cookies, with CSRF checks on, as a resident's would be.
    client = Client(enforce_csrf_checks=True)

    page = client.get(link)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Bekräfta bevakningen" in body
    assert f'<form method="post" action="{link}">' in body
    assert "medborgarlöftena i Härryda" in body and "en gång i veckan" in body
    assert '<meta name="robots" content="noindex">' in body
    assert "no-store" in page["Cache-Control"]
    assert not page.cookies
    subscription.refresh_from_db()
    # Opening the link (as a mail scanner does) confirms nothing.
    assert subscription.confirmed_at is None

    done = client.post(link)
    assert done.status_code == 200
    assert "Klart! Bevakningen är bekräftad" in done.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert subscription.checked_at == subscription.confirmed_at

    again = client.post(link)
    assert again.status_code == 200
    assert "Bevakningen är redan bekräftad" in again.content.decode()
    subscription.refresh_from_db()
    assert subscription.checked_at == subscription.confirmed_at


def test_a_link_that_ran_out_is_refused_with_a_way_to_start_again(
    client, harryda, subscribe, monkeypatch
):
    # The confirmation mail was written more than three days ago.
    four_days_ago = int(time.time()) - 4 * 24 * 3600
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(four_days_ago)
    )
    subscribe("kommun=harryda")
    monkeypatch.undo()
    link = link_after(mail.outbox[-1], "Bekräfta genom att")

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410
        body = response.content.decode()
        assert "Länken har gått ut" in body
        assert 'href="/bevaka/?kommun=harryda"' in body  # Anmäl dig igen
    assert Subscription.objects.get().confirmed_at is None


@pytest.mark.parametrize("change", ["signature", "token", "garbage", "empty-parts"])
def test_an_altered_link_is_refused_with_a_message(client, waiting, change):
    subscription, message = waiting
    link = link_after(message, "Bekräfta genom att")
    code = link.split("/")[-2]
    token, stamp, signature = code.split(":")
    code = {
        "signature": f"{token}:{stamp}:{signature[:-2]}xx",
        "token": f"{'B' if token[0] == 'A' else 'A'}{token[1:]}:{stamp}:{signature}",
        "garbage": "inte-en-riktig-kod",
        "empty-parts": "::",
    }[change]

    for response in (
        client.get(f"/bevaka/bekrafta/{code}/"),
        client.post(f"/bevaka/bekrafta/{code}/"),
    ):
        assert response.status_code == 400
        assert "Länken fungerar inte" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_a_link_to_a_deleted_subscription_says_it_is_gone(client, waiting):
    subscription, message = waiting
    link = link_after(message, "Bekräfta genom att")
    subscription.delete()

    response = client.post(link)

    assert response.status_code == 404
    assert "Bevakningen finns inte" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_personal_links_read_the_primary_database_even_on_a_get(client, waiting, monkeypatch):
    # With a replica configured, public GETs read it; it may not have a
    # subscription made a moment ago. (There is no replica connection here, so
    # a read from it would fail.)
    monkeypatch.setattr(db, "replica_configured", lambda: True)
    subscription, message = waiting

    assert client.get(link_after(message, "Bekräfta genom att")).status_code == 200
    assert client.get(link_after(message, "Du kan också radera adressen direkt")).status_code == 200
    assert client.get(f"/bevaka/avsluta/{subscription.token}/").status_code == 200
