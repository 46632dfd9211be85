"""The weekly letter to staff: its content, the opt-out, once a week, the unsubscribe link."""
# ruff: noqa: F811 - the fixtures imported from home_fixtures are requested by name.

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from activities.models import Activity
from staff.models import DigestSetting
from tests.staff.home_fixtures import TODAY, current, frozen_now, make_planned  # noqa: F401


@pytest.fixture
def harryda_person(harryda_staff):
    harryda_staff.email = "samordnare@harryda.example.se"
    harryda_staff.first_name = "Sara"
    harryda_staff.save()
    return harryda_staff


@pytest.fixture
def molndal_person(molndal_staff):
    molndal_staff.email = "samordnare@molndal.example.se"
    molndal_staff.save()
    return molndal_staff


@pytest.fixture
def harryda_work(current, make_planned, activity_type):
    make_planned(current["busy"], TODAY - timedelta(days=4), title="Fredagens nattvandring")
    make_planned(current["other"], TODAY - timedelta(days=4), title="Mölndals nattvandring")
    Activity.objects.create(
        commitment=current["busy"],
        type=activity_type,
        date=TODAY,
        title="Härrydas utkast",
        status=Activity.Status.DRAFT,
    )
    return current


def _send() -> str:
    out = io.StringIO()
    call_command("send_staff_digests", stdout=out)
    return out.getvalue()


def _letter_to(address: str) -> EmailMultiAlternatives:
    letters = [m for m in mail.outbox if m.to == [address]]
    assert len(letters) == 1, [m.to for m in mail.outbox]
    return letters[0]


def test_the_letter_holds_my_overview_and_nothing_of_another_area(
    harryda_person, molndal_person, harryda_work
):
    _send()
    letter = _letter_to(harryda_person.email)
    text = letter.body
    html = dict((mime, body) for body, mime in letter.alternatives)["text/html"]

    assert letter.subject.startswith("Veckobrev vecka 27")
    assert "Hej Sara!" in text
    for body in (text, html):
        assert "Fredagens nattvandring" in body
        assert "Härrydas utkast" in body
        assert "Fotpatrullering i Mölnlycke" in body
        assert "Trygghetsvandringar i Landvetter" in body
        assert "Ingen aktivitet på 8 veckor" in body
        assert "Efter takten" in body
        assert "Mölndals nattvandring" not in body
        assert "Kvarnbyns trygghet" not in body
        # Absolute links: the letter is read outside the site.
        assert "https://medborgarlofte.example.se/personal/" in body
    # The quiet commitment comes first, as on the staff home.
    assert text.index("Trygghetsvandringar i Landvetter") < text.index(
        "Fotpatrullering i Mölnlycke ("
    )
    assert "<" not in text
    assert "   1 tillfälle.\n" in text
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Mölndal's staff get their own letter, with their own commitment.
    theirs = _letter_to(molndal_person.email).body
    assert "Kvarnbyns trygghet" in theirs
    assert "Fredagens nattvandring" not in theirs


def test_the_opt_out_is_honoured(harryda_person, molndal_person, harryda_work):
    DigestSetting.choose(harryda_person, False)
    _send()
    assert [m.to for m in mail.outbox] == [[molndal_person.email]]


def test_running_twice_in_a_week_sends_once(harryda_person, harryda_work, monkeypatch):
    first = _send()
    second = _send()
    assert len(mail.outbox) == 1
    assert "Sent 1 weekly staff letters" in first
    assert "Sent 0 weekly staff letters; 1 had this week's letter already" in second

    # Next Monday a new week begins.
    next_week = timezone.now() + timedelta(days=6)
    monkeypatch.setattr(timezone, "now", lambda: next_week)
    _send()
    assert len(mail.outbox) == 2


def test_a_refused_letter_is_tried_again_next_run(harryda_person, harryda_work, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("the mail server is down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", refuse)
        output = _send()
    assert "1 failed" in output
    assert DigestSetting.objects.get(user=harryda_person).last_sent_week is None

    _send()
    assert len(mail.outbox) == 1


def test_no_letter_without_an_address_or_anything_to_say(harryda_staff, molndal_person, db):
    # No current promise at all: nothing to say. Härryda's staff have no address.
    output = _send()
    assert mail.outbox == []
    assert "1 had nothing to report" in output


def _unsubscribe_path(letter) -> str:
    match = re.search(
        r"https://medborgarlofte\.example\.se(/personal/veckobrev/avsluta/\S+/)", letter.body
    )
    assert match, letter.body
    return match.group(1)


def test_the_unsubscribe_link_works_without_a_login(client, harryda_person, harryda_work):
    _send()
    path = _unsubscribe_path(_letter_to(harryda_person.email))
    assert _letter_to(harryda_person.email).extra_headers["List-Unsubscribe"] == (
        f"<https://medborgarlofte.example.se{path}>"
    )

    # Opening the link only asks: mail scanners open links too.
    page = client.get(path)
    assert page.status_code == 200
    assert "Sluta få veckobrevet" in page.content.decode()
    assert DigestSetting.wanted_by(harryda_person)

    # The button (or the mail program's one-click POST) turns it off; no CSRF token needed.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Du får inte fler veckobrev" in response.content.decode()
    assert not DigestSetting.wanted_by(harryda_person)

    mail.outbox.clear()
    DigestSetting.objects.update(last_sent_week=None)
    _send()
    assert [m.to for m in mail.outbox if m.to == [harryda_person.email]] == []


def test_an_altered_unsubscribe_link_does_nothing(client, harryda_person, harryda_work):
    _send()
    path = _unsubscribe_path(_letter_to(harryda_person.email))
    altered = path.replace(f"/{harryda_person.pk}:", f"/{harryda_person.pk + 1}:")
    assert altered != path
    response = client.post(altered)
    assert response.status_code == 404
    assert DigestSetting.wanted_by(harryda_person)


def test_the_unsubscribe_page_queries(
    client, harryda_person, harryda_work, django_assert_max_num_queries
):
    _send()
    path = _unsubscribe_path(_letter_to(harryda_person.email))
    with django_assert_max_num_queries(2):
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.post(path).status_code == 200
