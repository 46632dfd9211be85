"""Leaving: from the link in any mail, or the mail program's one-click button."""

from django.core import mail
from django.test import Client

from alerts.digests import send_digests
from alerts.models import Delivery, Subscription

from .conftest import digests_to, link_after


def _digest(confirmed, make_activity, harryda, tomorrow):
    confirmed(municipality=harryda)
    make_activity(title="Fotpatrullering i Mölnlycke centrum")
    send_digests(tomorrow)
    [message] = digests_to("invanare@example.se")
    return message


def test_the_link_in_the_digest_asks_and_the_button_unsubscribes(
    harryda, promise, confirmed, make_activity, tomorrow
):
    message = _digest(confirmed, make_activity, harryda, tomorrow)
    link = link_after(message, "Sluta bevaka")
    client = Client(enforce_csrf_checks=True)

    page = client.get(link)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Vill du sluta få e-post om medborgarlöftena i Härryda?" in body
    assert f'<form method="post" action="{link}">' in body
    assert "no-store" in page["Cache-Control"]
    assert not page.cookies
    # Opening the link, as a mail scanner does, ends nothing.
    assert Subscription.objects.exists()

    left = client.post(link)
    body = left.content.decode()
    assert left.status_code == 200
    assert "Du bevakar inte längre" in body
    assert "Vi har raderat din e-postadress" in body
    assert 'href="/bevaka/?kommun=harryda"' in body  # Bevaka igen
    assert not left.cookies
    assert not Subscription.objects.exists()
    assert not Delivery.objects.exists()

    # Gone for good: a second click says so, and no more mail is sent.
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 200
    assert send_digests(tomorrow.replace(year=tomorrow.year + 1)).sent == 0


def test_the_one_click_post_from_the_list_unsubscribe_header_unsubscribes(
    harryda, promise, confirmed, make_activity, tomorrow
):
    message = _digest(confirmed, make_activity, harryda, tomorrow)
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header.strip("<>")
    assert url.startswith("https://medborgarlofte.example.se/bevaka/avsluta/")
    path = url.removeprefix("https://medborgarlofte.example.se")

    # As a mail program sends it (RFC 8058): no cookie, no token, this body.
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_the_confirmation_mail_can_delete_the_address_at_once(client, harryda, subscribe):
    subscribe("kommun=harryda")
    link = link_after(mail.outbox[-1], "Du kan också radera adressen direkt")

    client.post(link)

    assert not Subscription.objects.exists()


def test_an_unknown_unsubscribe_link_says_there_is_nothing_to_end(client, db):
    response = client.get("/bevaka/avsluta/finns-inte/")
    assert response.status_code == 404
    assert "Bevakningen finns inte" in response.content.decode()
