"""Subscribing: the form, its answers, what is stored and what is mailed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from alerts.models import PENDING_PER_ADDRESS, Subscription
from promises.models import Commitment, Municipality, Promise

from .conftest import links_in


def test_subscribing_stores_an_unconfirmed_subscription_and_mails_one_confirmation(
    client, promise, subscribe
):
    response = subscribe(f"lofte={promise.pk}", email="  Invanare@Example.SE ")

    assert response.status_code == 302
    assert response["Location"] == f"/bevaka/skickat/?lofte={promise.pk}"
    subscription = Subscription.objects.get()
    assert subscription.promise == promise
    assert subscription.municipality is None and subscription.commitment is None
    assert subscription.email == "invanare@example.se"
    assert subscription.frequency == Subscription.Frequency.DAILY
    assert subscription.confirmed_at is None
    assert subscription.confirmation_sent_at is not None

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["invanare@example.se"]
    assert message.subject == "Bekräfta att du vill få e-post från Medborgarlöften"
    assert "Medborgarlöfte Härryda kommun" in message.body
    assert "en gång om dagen" in message.body
    assert "Länken gäller i 3 dagar" in message.body
    assert message.body.count("https://medborgarlofte.example.se/bevaka/bekrafta/") == 1
    assert f"/bevaka/avsluta/{subscription.token}/" in links_in(message)

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Titta i din e-post" in page.content.decode()


def test_the_form_needs_no_cookie_and_no_page_sets_one(promise, commitment, harryda, run_tasks):
    # A browser without cookies: the form must work with CSRF checks on.
    client = Client(enforce_csrf_checks=True)
    for query in ("kommun=harryda", f"lofte={promise.pk}", f"atagande={commitment.pk}"):
        response = client.get(f"/bevaka/?{query}")
        assert response.status_code == 200, query
        assert not response.cookies, query
        body = response.content.decode()
        assert "csrfmiddlewaretoken" not in body
        assert 'method="post"' in body

    response = client.post(
        "/bevaka/?kommun=harryda", {"epost": "a@example.se", "frekvens": "weekly"}
    )
    assert response.status_code == 302
    assert not response.cookies
    invalid = client.post("/bevaka/?kommun=harryda", {"epost": "nej", "frekvens": "weekly"})
    assert invalid.status_code == 400
    assert not invalid.cookies
    for url in ("/bevaka/skickat/?kommun=harryda", "/bevaka/om/", "/en/bevaka/om/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
    assert Subscription.objects.get().frequency == Subscription.Frequency.WEEKLY


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"epost": "", "frekvens": "daily"}, "Skriv din e-postadress."),
        ({"epost": "inte-en-adress", "frekvens": "daily"}, "Skriv e-postadressen i formen"),
        ({"epost": "a@example.se\nBcc: b@example.se", "frekvens": "daily"}, "Skriv e-postadressen"),
        ({"epost": f"{'a' * 250}@example.se", "frekvens": "daily"}, "högst 254 tecken"),
        ({"epost": "a@example.se"}, "Välj hur ofta du vill få e-post."),
        ({"epost": "a@example.se", "frekvens": "varje timme"}, "Välj hur ofta du vill få e-post."),
    ],
)
def test_bad_input_gets_a_message_at_the_field_and_nothing_is_stored(
    client, harryda, run_tasks, data, message
):
    response = client.post("/bevaka/?kommun=harryda", data)
    run_tasks()

    assert response.status_code == 400
    body = response.content.decode()
    assert "Det finns ett problem" in body  # the error summary
    assert message in body
    assert "<title>Fel: " in body
    assert 'aria-invalid="true"' in body or "ml-form-group--error" in body
    assert not Subscription.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    "query",
    [
        "",
        "kommun=finns-inte",
        "lofte=999999",
        "lofte=abc",
        "lofte=-1",
        "lofte=123456789012345678901234567890",
        "atagande=1.5",
        "draft-promise",
        "draft-commitment",
    ],
)
def test_an_unknown_or_unpublished_target_is_refused_with_a_message(
    client, make_promise, molndal, query
):
    draft = make_promise([molndal], status=Promise.Status.DRAFT, title="Hemligt utkast")
    hidden = Commitment.objects.create(promise=draft, title="Dolt åtagande")
    query = {"draft-promise": f"lofte={draft.pk}", "draft-commitment": f"atagande={hidden.pk}"}.get(
        query, query
    )

    page = client.get(f"/bevaka/?{query}")
    posted = client.post(f"/bevaka/?{query}", {"epost": "a@example.se", "frekvens": "daily"})

    for response in (page, posted):
        assert response.status_code == 404
        body = response.content.decode()
        assert "Det går inte att bevaka det här" in body
        assert "Hemligt utkast" not in body and "Dolt åtagande" not in body
    assert not Subscription.objects.exists()


def test_the_answer_is_the_same_whether_or_not_the_address_already_follows(
    client, harryda, subscribe
):
    first = subscribe("kommun=harryda", frequency="daily")
    subscription = Subscription.objects.get()
    subscription.confirmed_at = timezone.now()
    subscription.save()
    mail.outbox.clear()

    again = subscribe("kommun=harryda", frequency="weekly")
    stranger = subscribe("kommun=harryda", email="ny@example.se", frequency="weekly")

    assert again.status_code == stranger.status_code == first.status_code == 302
    assert again["Location"] == stranger["Location"]
    assert client.get(again["Location"]).content == client.get(stranger["Location"]).content
    # Only the new address gets a mail; the confirmed one is left as it was.
    assert [m.to for m in mail.outbox] == [["ny@example.se"]]
    subscription.refresh_from_db()
    assert subscription.frequency == Subscription.Frequency.DAILY


def test_a_waiting_address_gets_at_most_one_confirmation_mail_in_ten_minutes(harryda, subscribe):
    subscribe("kommun=harryda")
    subscribe("kommun=harryda", email="INVANARE@example.se", frequency="weekly")
    subscribe("kommun=harryda")
    assert len(mail.outbox) == 1
    subscription = Subscription.objects.get()
    assert subscription.frequency == Subscription.Frequency.DAILY  # the latest choice

    Subscription.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=11))
    subscribe("kommun=harryda", frequency="weekly")
    assert len(mail.outbox) == 2
    subscription.refresh_from_db()
    assert subscription.frequency == Subscription.Frequency.WEEKLY


def test_one_address_can_have_only_a_few_unconfirmed_subscriptions(db, subscribe):
    municipalities = [
        Municipality.objects.create(name=f"Kommun {n}", slug=f"kommun-{n}", code=f"99{n:02d}")
        for n in range(PENDING_PER_ADDRESS + 2)
    ]
    for municipality in municipalities:
        response = subscribe(f"kommun={municipality.slug}", email="offer@example.se")
        assert response.status_code == 302  # the same answer throughout

    assert Subscription.objects.filter(email="offer@example.se").count() == PENDING_PER_ADDRESS
    assert len(mail.outbox) == PENDING_PER_ADDRESS


@override_settings(RATE_LIMIT_SUBSCRIBE="2/h")
def test_too_many_subscriptions_from_one_address_get_429_with_retry_after(client, harryda):
    data = {"epost": "a@example.se", "frekvens": "daily"}
    assert client.post("/bevaka/?kommun=harryda", data).status_code == 302
    assert client.post("/bevaka/?kommun=harryda", {"epost": "fel"}).status_code == 400

    response = client.post("/bevaka/?kommun=harryda", data)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "Försök igen om" in response.content.decode()
    # Reading the form is not counted.
    assert client.get("/bevaka/?kommun=harryda").status_code == 200


def test_the_subscribe_page_answers_in_a_few_queries(
    client, promise, commitment, django_assert_max_num_queries
):
    for query in ("kommun=harryda", f"lofte={promise.pk}", f"atagande={commitment.pk}"):
        with django_assert_max_num_queries(2):
            response = client.get(f"/bevaka/?{query}")
        assert response.status_code == 200
    with django_assert_max_num_queries(2):
        client.post(f"/bevaka/?atagande={commitment.pk}", {"epost": "fel", "frekvens": "daily"})


def test_the_form_is_labelled_and_names_what_is_followed(client, commitment):
    body = client.get(f"/bevaka/?atagande={commitment.pk}").content.decode()

    assert '<h1 class="ml-h1">Få e-post om nya aktiviteter</h1>' in body
    assert "åtagande 1, ”Riktade insatser mot ungdomar”" in body
    assert '<label class="ml-label" for="id_epost">Din e-postadress</label>' in body
    assert 'autocomplete="email"' in body
    assert '<legend class="ml-fieldset__legend">Hur ofta vill du få e-post?</legend>' in body
    assert body.count('type="radio"') == 2
    assert 'value="daily" id="id_frekvens_0" checked' in body
    assert f'action="/bevaka/?atagande={commitment.pk}"' in body
    assert 'href="/bevaka/om/"' in body
    # The breadcrumbs lead back to the commitment.
    assert f'href="/harryda/{commitment.promise.slug}/atagande/{commitment.slug}/"' in body


def test_the_pages_link_to_the_subscribe_page(client, promise, commitment, harryda):
    pages = {
        "/harryda/": "/bevaka/?kommun=harryda",
        f"/harryda/{promise.slug}/": f"/bevaka/?lofte={promise.pk}",
        f"/harryda/{promise.slug}/atagande/{commitment.slug}/": f"/bevaka/?atagande={commitment.pk}",
    }
    for page, link in pages.items():
        body = client.get(page).content.decode()
        assert f'<a href="{link}">Få e-post om nya aktiviteter</a>' in body, page
        # Beside the feeds, under "Följ arbetet".
        section = body.split('id="folj-arbetet"')[1]
        assert link in section and "flode.atom" in section, page
        assert client.get(link).status_code == 200


def test_the_english_subscribe_page_answers_under_en(client, harryda):
    response = client.get("/en/bevaka/?kommun=harryda")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    posted = client.post(
        "/en/bevaka/?kommun=harryda", {"epost": "a@example.se", "frekvens": "daily"}
    )
    assert posted["Location"] == "/en/bevaka/skickat/?kommun=harryda"


def test_no_municipality_can_take_the_subscribe_pages_address(db):
    from django.core.exceptions import ValidationError

    municipality = Municipality(name="Bevaka", slug="bevaka", code="9999")
    with pytest.raises(ValidationError):
        municipality.full_clean()


def test_the_privacy_page_says_what_is_stored_and_who_to_ask(client, db, settings):
    settings.SITE_OWNER = "Exempelkommunen"
    body = client.get("/bevaka/om/").content.decode()

    assert '<h1 class="ml-h1">Bevakning via e-post</h1>' in body
    assert "Vi sparar inte ditt namn eller din IP-adress" in body
    assert "Tills du slutar bevaka" in body
    assert "raderas efter 3 dagar" in body
    assert "samtycke" in body
    assert "Exempelkommunen" in body
    assert 'href="mailto:tillganglighet@example.se"' in body
    assert 'href="/bevaka/om/"' in client.get("/om-webbplatsen/").content.decode()
