"""Leaving: from the link in any mail, or the mail program's one-click button."""

from django.core import mail

from alerts.models import Subscription

from .conftest import link_after


def test_the_confirmation_mail_can_delete_the_address_at_once(client, harryda, subscribe):
    subscribe("kommun=harryda")
    link = link_after(mail.outbox[-1], "Du kan också radera adressen direkt")

    client.post(link)

    assert not Subscription.objects.exists()


def test_an_unknown_unsubscribe_link_says_there_is_nothing_to_end(client, db):
    response = client.get("/bevaka/avsluta/finns-inte/")
    assert response.status_code == 404
    assert "Bevakningen finns inte" in response.content.decode()
