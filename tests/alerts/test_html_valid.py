"""Every state of the alert pages is valid HTML by the Nu HTML Checker (as the public pages are)."""

from django.core import mail

from alerts.models import Subscription
from tests.public.test_html_valid import html_errors

from .conftest import link_after


def test_every_state_of_the_alert_pages_has_no_html_errors(
    client, promise, commitment, subscribe, tmp_path
):
    pages = {
        "subscribe with errors": client.post(
            f"/bevaka/?atagande={commitment.pk}", {"epost": "nej", "frekvens": "varje timme"}
        ),
        "unknown target": client.get("/bevaka/?lofte=0"),
        "altered confirmation link": client.get("/bevaka/bekrafta/nej:nej:nej/"),
        "unknown unsubscribe link": client.get("/bevaka/avsluta/nej/"),
    }
    subscribe(f"atagande={commitment.pk}")
    message = mail.outbox[-1]
    confirm = link_after(message, "Bekräfta genom att")
    unsubscribe = link_after(message, "Du kan också radera adressen direkt")
    pages["confirm"] = client.get(confirm)
    pages["confirmed"] = client.post(confirm)
    pages["unsubscribe"] = client.get(unsubscribe)
    pages["left"] = client.post(unsubscribe)
    assert not Subscription.objects.exists()
    for name, response in pages.items():
        assert response.status_code in (200, 400, 404), name

    errors = html_errors({name: r.content for name, r in pages.items()}, tmp_path)

    assert errors == [], "\n".join(errors)
