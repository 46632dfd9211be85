"""The digests: new public items only, each once, at most once a day or a week."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone

from activities.models import Activity
from alerts.digests import send_digests
from alerts.models import Delivery, Subscription, period_start
from promises.models import Assessment, Commitment, FollowUp, Promise

from .conftest import digests_to, links_in

SECRET = "HEMLIG-INTERN-ANTECKNING"
DAILY = Subscription.Frequency.DAILY
WEEKLY = Subscription.Frequency.WEEKLY


def test_each_item_is_sent_once_and_a_later_item_once_more(
    harryda, promise, confirmed, make_activity, tomorrow
):
    subscription = confirmed(municipality=harryda)
    first = make_activity(title="Fotpatrullering i Mölnlycke centrum")

    outcome = send_digests(tomorrow)
    assert (outcome.sent, outcome.items) == (1, 1)
    again = send_digests(tomorrow)
    assert (again.sent, again.nothing_new) == (0, 0)  # not due again today
    assert send_digests(tomorrow + timedelta(days=1)).sent == 0  # due, nothing new

    later = make_activity(title="Trygghetsvandring i Landvetter", date=date(2023, 4, 2))
    assert send_digests(tomorrow + timedelta(days=2)).sent == 1
    assert send_digests(tomorrow + timedelta(days=3)).sent == 0

    sent = digests_to("invanare@example.se")
    assert len(sent) == 2
    assert "Fotpatrullering i Mölnlycke centrum" in sent[0].body
    assert "Trygghetsvandring i Landvetter" in sent[1].body
    assert "Fotpatrullering i Mölnlycke centrum" not in sent[1].body
    assert sorted(subscription.deliveries.values_list("item_id", flat=True)) == sorted(
        [first.pk, later.pk]
    )


def test_only_what_the_public_pages_show_is_sent(
    harryda, promise, commitment, confirmed, make_activity, make_promise, make_follow_up, tomorrow
):
    confirmed(municipality=harryda)
    public = make_activity(title="Offentlig aktivitet", internal_note=SECRET)
    make_activity(title="Opublicerad aktivitet", status=Activity.Status.DRAFT)
    make_activity(
        title="Planerad aktivitet", state=Activity.State.PLANNED, date=timezone.localdate()
    )
    draft = make_promise(
        [harryda], start=date(2019, 1, 1), end=date(2020, 12, 31), status=Promise.Status.DRAFT
    )
    hidden = Commitment.objects.create(promise=draft, title="Dolt åtagande")
    make_activity(commitment=hidden, date=date(2020, 3, 1), title="Aktivitet i ett utkast")
    published = make_follow_up(promise, {}, title="Uppföljning 2023")
    make_follow_up(promise, {}, title="Uppföljning i utkast", status=FollowUp.Status.DRAFT)
    make_follow_up(draft, {}, title="Uppföljning av ett opublicerat löfte")

    send_digests(tomorrow)

    [message] = digests_to("invanare@example.se")
    assert "Offentlig aktivitet" in message.body
    assert "Uppföljning 2023" in message.body
    for hidden_text in (
        SECRET,
        "Opublicerad aktivitet",
        "Planerad aktivitet",
        "Aktivitet i ett utkast",
        "Dolt åtagande",
        "Uppföljning i utkast",
        "Uppföljning av ett opublicerat löfte",
    ):
        assert hidden_text not in message.body
        assert hidden_text not in message.subject
    assert set(Delivery.objects.values_list("kind", "item_id")) == {
        (Delivery.Kind.ACTIVITY, public.pk),
        (Delivery.Kind.FOLLOW_UP, published.pk),
    }


def test_only_what_became_public_after_confirming_is_sent(
    harryda, promise, confirmed, make_activity, tomorrow
):
    before = make_activity(title="Gjord innan du bekräftade")
    draft_before = make_activity(title="Publicerad efter att du bekräftade", status="draft")
    planned_before = make_activity(
        title="Genomförd efter att du bekräftade", state=Activity.State.PLANNED
    )
    confirmed(municipality=harryda)
    # An old activity corrected, a draft published and planned work done after confirming.
    before.description = "Rättat stavfel."
    before.save()
    draft_before.status = Activity.Status.PUBLISHED
    draft_before.save()
    planned_before.state = Activity.State.DONE
    planned_before.save()

    send_digests(tomorrow)

    [message] = digests_to("invanare@example.se")
    assert "Gjord innan du bekräftade" not in message.body
    assert "Publicerad efter att du bekräftade" in message.body
    assert "Genomförd efter att du bekräftade" in message.body


def test_nothing_is_sent_to_an_address_that_has_not_confirmed(
    harryda, promise, subscribe, make_activity, tomorrow
):
    subscribe("kommun=harryda")
    make_activity(title="Fotpatrullering i Mölnlycke centrum")

    outcome = send_digests(tomorrow)

    assert outcome.sent == 0
    assert len(mail.outbox) == 1  # the confirmation only
    assert not Delivery.objects.exists()


def test_daily_subscribers_get_at_most_one_digest_a_day(
    harryda, promise, confirmed, make_activity, tomorrow
):
    confirmed(municipality=harryda, frequency=DAILY)
    make_activity(title="Första")
    assert send_digests(tomorrow).sent == 1

    # Every hour through the rest of that day: new work waits for the next day.
    make_activity(title="Andra")
    for hours in range(1, 23):
        assert send_digests(tomorrow + timedelta(hours=hours)).sent == 0
    assert send_digests(tomorrow + timedelta(days=1)).sent == 1
    assert "Andra" in digests_to("invanare@example.se")[-1].body


def test_weekly_subscribers_get_at_most_one_digest_a_week(
    harryda, promise, confirmed, make_activity
):
    confirmed(municipality=harryda, frequency=WEEKLY)
    make_activity(title="Första")
    next_monday = period_start(WEEKLY, timezone.now()) + timedelta(days=7, hours=1)

    # Nothing before the week is over, then Monday night.
    assert send_digests(next_monday - timedelta(hours=2)).sent == 0
    assert send_digests(next_monday).sent == 1
    make_activity(title="Andra")
    for days in range(1, 7):
        assert send_digests(next_monday + timedelta(days=days)).sent == 0
    assert send_digests(next_monday + timedelta(days=7)).sent == 1
    assert "Andra" in digests_to("invanare@example.se")[-1].body


def test_follow_ups_are_sent_with_their_page_and_for_a_commitment_its_verdict(
    promise, commitment, confirmed, make_follow_up, tomorrow
):
    other = Commitment.objects.create(promise=promise, position=2, title="Annat åtagande")
    confirmed(promise=promise, email="lofte@example.se")
    confirmed(commitment=commitment, email="atagande@example.se")
    confirmed(commitment=other, email="annat@example.se")
    follow_up = make_follow_up(
        promise,
        {commitment: (Assessment.Verdict.PARTLY, "Färre kvällar än planerat.")},
        title="Uppföljning 2023",
    )

    send_digests(tomorrow)

    path = f"/harryda/{promise.slug}/uppfoljning/{follow_up.pk}/"
    [to_promise] = digests_to("lofte@example.se")
    assert "Uppföljning 2023" in to_promise.body
    assert path in links_in(to_promise)
    assert to_promise.subject == "Medborgarlöfte Härryda kommun: 1 ny uppföljning"
    [to_commitment] = digests_to("atagande@example.se")
    assert "Bedömning av åtagandet: Delvis genomfört" in to_commitment.body
    assert path in links_in(to_commitment)
    # A follow-up that does not assess a commitment says nothing about it.
    assert not digests_to("annat@example.se")


def test_each_subscription_gets_only_what_it_follows(
    harryda, molndal, promise, commitment, confirmed, make_activity, make_promise, tomorrow
):
    other_commitment = Commitment.objects.create(promise=promise, position=2, title="Annat")
    molndal_promise = make_promise([molndal], title="Löftet i Mölndal")
    molndal_commitment = Commitment.objects.create(promise=molndal_promise, title="I Mölndal")
    confirmed(municipality=harryda, email="kommun@example.se")
    confirmed(commitment=commitment, email="atagande@example.se")
    make_activity(title="Under åtagandet")
    make_activity(commitment=other_commitment, title="Under ett annat åtagande")
    make_activity(commitment=molndal_commitment, title="I en annan kommun")

    send_digests(tomorrow)

    [municipality] = digests_to("kommun@example.se")
    assert "Under åtagandet" in municipality.body
    assert "Under ett annat åtagande" in municipality.body
    assert "I en annan kommun" not in municipality.body
    [only_commitment] = digests_to("atagande@example.se")
    assert "Under åtagandet" in only_commitment.body
    assert "Under ett annat åtagande" not in only_commitment.body


def test_the_digest_links_to_public_pages_and_carries_one_click_unsubscribe(
    harryda, promise, confirmed, make_activity, tomorrow
):
    subscription = confirmed(municipality=harryda)
    activity = make_activity(title="Fotpatrullering i Mölnlycke centrum", place="Mölnlycke")

    send_digests(tomorrow)

    [message] = digests_to("invanare@example.se")
    unsubscribe = f"https://medborgarlofte.example.se/bevaka/avsluta/{subscription.token}/"
    assert message.subject == "Härryda: 1 ny aktivitet"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "14 mars 2023: Fotpatrullering i Mölnlycke centrum" in message.body
    assert "Fotpatrullering och polisnärvaro, Mölnlycke, 1 tillfälle" in message.body
    assert (
        f"https://medborgarlofte.example.se/harryda/{promise.slug}/aktiviteter/{activity.pk}/"
        in message.body
    )
    assert unsubscribe in message.body
    assert "https://medborgarlofte.example.se/bevaka/om/" in message.body
    assert message.message().get_content_type() == "text/plain"


def test_a_digest_the_mail_server_refuses_is_sent_at_the_next_run(
    harryda, promise, confirmed, make_activity, tomorrow, monkeypatch
):
    subscription = confirmed(municipality=harryda)
    make_activity(title="Fotpatrullering i Mölnlycke centrum")

    def refuse(self, fail_silently=False):
        raise OSError("the mail server is down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", refuse)
        outcome = send_digests(tomorrow)

    assert (outcome.sent, outcome.failed) == (0, 1)
    assert not Delivery.objects.exists()
    subscription.refresh_from_db()
    assert subscription.checked_at < tomorrow
    assert send_digests(tomorrow + timedelta(hours=1)).sent == 1
    assert len(digests_to("invanare@example.se")) == 1


def test_a_long_digest_lists_the_newest_and_counts_the_rest(
    harryda, promise, confirmed, make_activity, tomorrow, monkeypatch
):
    monkeypatch.setattr("alerts.mail.LISTED_PER_KIND", 3)
    subscription = confirmed(municipality=harryda)
    for day in range(1, 6):
        make_activity(title=f"Aktivitet {day}", date=date(2023, 3, day))

    send_digests(tomorrow)

    [message] = digests_to("invanare@example.se")
    assert message.subject == "Härryda: 5 nya aktiviteter"
    assert "Aktivitet 5" in message.body and "Aktivitet 3" in message.body
    assert "Aktivitet 2" not in message.body
    assert "… och 2 aktiviteter till:" in message.body
    assert subscription.deliveries.count() == 5  # told about, so not sent again


def test_the_command_sends_and_reports(harryda, promise, confirmed, make_activity):
    yesterday = timezone.now() - timedelta(days=1)
    confirmed(municipality=harryda, at=yesterday)
    activity = make_activity(title="Fotpatrullering i Mölnlycke centrum")
    assert activity.updated_at > yesterday
    out = StringIO()

    call_command("send_digests", stdout=out)
    call_command("send_digests", stdout=out)

    assert len(digests_to("invanare@example.se")) == 1
    assert "Sent 1 digests with 1 items" in out.getvalue()
    assert "Sent 0 digests" in out.getvalue()


@pytest.mark.parametrize("kind", ["municipality", "promise", "commitment"])
def test_the_digest_takes_a_few_queries_per_subscriber(
    harryda,
    promise,
    commitment,
    confirmed,
    make_activity,
    make_follow_up,
    tomorrow,
    kind,
    django_assert_max_num_queries,
):
    target = {"municipality": harryda, "promise": promise, "commitment": commitment}[kind]
    for n in range(3):
        confirmed(email=f"person{n}@example.se", **{kind: target})
    for day in range(1, 11):
        make_activity(title=f"Aktivitet {day}", date=date(2023, 3, day))
    make_follow_up(promise, {commitment: (Assessment.Verdict.DONE, "")})

    # Per subscriber: lock, activities, follow-ups (and their assessment), the
    # decision and what was sent, whatever the number of items.
    with django_assert_max_num_queries(4 + 3 * 9):
        assert send_digests(tomorrow).sent == 3
