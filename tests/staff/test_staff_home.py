"""The staff home: my commitments, drafts to publish, planned work to confirm; only my area's."""
# ruff: noqa: F811 - the fixtures imported from home_fixtures are requested by name.

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from promises.models import Commitment, Promise
from staff.models import DigestSetting
from tests.staff.home_fixtures import TODAY, current, frozen_now, make_planned  # noqa: F401

HOME = "/personal/"


@pytest.fixture
def harryda_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_has_its_address_and_name():
    assert reverse("personal:home") == HOME


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "next=/personal/" in response["Location"]


def test_my_commitments_are_shown_and_another_areas_never(harryda_client, current):
    page = _page(harryda_client.get(HOME))
    assert "Fotpatrullering i Mölnlycke" in page
    assert "Trygghetsvandringar i Landvetter" in page
    assert "Kvarnbyns trygghet" not in page
    assert "Löftet i Mölndal" not in page


def test_commitments_without_activity_for_eight_weeks_come_first(harryda_client, current):
    page = _page(harryda_client.get(HOME))
    quiet = page.index("Trygghetsvandringar i Landvetter")
    busy = page.index("Fotpatrullering i Mölnlycke</h3>")
    assert quiet < busy
    assert page.count("Ingen aktivitet på 8 veckor") == 1
    # The flag sits with the quiet commitment, before the busy one.
    assert quiet < page.index("Ingen aktivitet på 8 veckor") < busy


def test_progress_and_the_pace_verdict_come_from_the_public_figures(harryda_client, current):
    page = _page(harryda_client.get(HOME))
    # 30 of 100 for 2026, by 30 June about half should be done: behind.
    assert "av minst" in page
    assert "Efter takten" in page


def test_ended_promises_are_not_among_my_commitments(
    harryda_client, current, make_promise, harryda
):
    ended = make_promise(
        [harryda], title="Förra löftet", start=date(2023, 1, 1), end=date(2024, 12, 31)
    )
    Commitment.objects.create(promise=ended, position=1, title="Ett gammalt åtagande")
    page = _page(harryda_client.get(HOME))
    assert "Ett gammalt åtagande" not in page


def test_drafts_of_my_area_are_listed_and_another_areas_never(
    harryda_client, current, activity_type
):
    for commitment, title in ((current["busy"], "Mitt utkast"), (current["other"], "Deras utkast")):
        Activity.objects.create(
            commitment=commitment,
            type=activity_type,
            date=TODAY,
            title=title,
            status=Activity.Status.DRAFT,
        )
    page = _page(harryda_client.get(HOME))
    assert "Mitt utkast" in page
    assert "Deras utkast" not in page
    assert "1 utkast att publicera" in page


def test_planned_activities_whose_time_has_come_are_listed_to_confirm(
    harryda_client, current, make_planned
):
    make_planned(current["busy"], TODAY - timedelta(days=4), title="Förra fredagens vandring")
    make_planned(current["busy"], TODAY + timedelta(days=3), title="Nästa fredags vandring")
    make_planned(current["other"], TODAY - timedelta(days=4), title="Mölndals vandring")
    page = _page(harryda_client.get(HOME))
    assert "Förra fredagens vandring" in page
    assert "kl. 21:00–02:00 (över midnatt)" in page
    assert "Nästa fredags vandring" not in page
    assert "Mölndals vandring" not in page
    assert "1 planerad aktivitet att bekräfta" in page


def test_confirming_done_counts_what_it_reached(
    harryda_client, harryda_staff, current, make_planned
):
    planned = make_planned(current["busy"], TODAY - timedelta(days=4))
    response = harryda_client.post(
        reverse("personal:activity-done", args=[planned.pk]),
        {"occasions": "2", "people_reached": "35"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/personal/#bekrafta"
    planned.refresh_from_db()
    assert planned.state == Activity.State.DONE
    assert (planned.occasions, planned.people_reached) == (2, 35)
    assert planned.updated_by == harryda_staff
    page = _page(harryda_client.get(HOME))
    assert "är markerad som genomförd" in page


def test_confirming_done_with_the_counts_left_as_they_are(harryda_client, current, make_planned):
    planned = make_planned(current["busy"], TODAY - timedelta(days=4), occasions=3)
    harryda_client.post(reverse("personal:activity-done", args=[planned.pk]), {})
    planned.refresh_from_db()
    assert planned.state == Activity.State.DONE
    assert (planned.occasions, planned.people_reached) == (3, None)


def test_a_negative_count_is_refused_with_a_message(harryda_client, current, make_planned):
    planned = make_planned(current["busy"], TODAY - timedelta(days=4))
    response = harryda_client.post(
        reverse("personal:activity-done", args=[planned.pk]), {"people_reached": "-5"}, follow=True
    )
    planned.refresh_from_db()
    assert planned.state == Activity.State.PLANNED
    assert "Antalet nådda personer kan inte vara negativt." in _page(response)


def test_future_work_cannot_be_confirmed_done(harryda_client, current, make_planned):
    planned = make_planned(current["busy"], TODAY + timedelta(days=2))
    response = harryda_client.post(
        reverse("personal:activity-done", args=[planned.pk]), {}, follow=True
    )
    planned.refresh_from_db()
    assert planned.state == Activity.State.PLANNED
    assert "har inte varit än" in _page(response)


def test_cancelling(harryda_client, current, make_planned):
    planned = make_planned(current["busy"], TODAY - timedelta(days=4))
    response = harryda_client.post(reverse("personal:activity-cancel", args=[planned.pk]))
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.state == Activity.State.CANCELLED


@pytest.mark.parametrize("action", ["activity-done", "activity-cancel", "activity-publish"])
def test_another_areas_activity_is_refused(harryda_client, current, make_planned, action):
    theirs = make_planned(current["other"], TODAY - timedelta(days=4), status=Activity.Status.DRAFT)
    response = harryda_client.post(reverse(f"personal:{action}", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.state, theirs.status) == (Activity.State.PLANNED, Activity.Status.DRAFT)


@pytest.mark.parametrize("action", ["activity-done", "activity-cancel", "activity-publish"])
def test_changes_are_posts_only(harryda_client, current, make_planned, action):
    planned = make_planned(current["busy"], TODAY - timedelta(days=4))
    assert harryda_client.get(reverse(f"personal:{action}", args=[planned.pk])).status_code == 405


def test_changes_need_the_csrf_token(harryda_staff, current, make_planned):
    planned = make_planned(current["busy"], TODAY - timedelta(days=4))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(harryda_staff)
    response = strict.post(reverse("personal:activity-done", args=[planned.pk]))
    assert response.status_code == 403
    planned.refresh_from_db()
    assert planned.state == Activity.State.PLANNED


def test_read_only_staff_see_the_home_but_cannot_confirm(
    client, make_staff, harryda_org, current, make_planned
):
    reader = make_staff("rapport.harryda", harryda_org, "Rapportläsare")
    client.force_login(reader)
    planned = make_planned(current["busy"], TODAY - timedelta(days=4))
    page = _page(client.get(HOME))
    assert planned.title in page
    assert reverse("personal:activity-done", args=[planned.pk]) not in page
    response = client.post(reverse("personal:activity-done", args=[planned.pk]))
    assert response.status_code == 403
    planned.refresh_from_db()
    assert planned.state == Activity.State.PLANNED


def test_publishing_a_draft(harryda_client, current, activity_type):
    draft = Activity.objects.create(
        commitment=current["busy"],
        type=activity_type,
        date=TODAY,
        title="Mitt utkast",
        status=Activity.Status.DRAFT,
    )
    response = harryda_client.post(reverse("personal:activity-publish", args=[draft.pk]))
    assert response["Location"] == "/personal/#utkast"
    draft.refresh_from_db()
    assert draft.status == Activity.Status.PUBLISHED
    assert draft.history.count() == 2


def test_the_weekly_letter_can_be_turned_off_and_on(harryda_client, harryda_staff, current):
    assert 'name="wants_digest" id="wants_digest" aria-describedby="wants_digest-hint" checked' in (
        _page(harryda_client.get(HOME))
    )
    harryda_client.post(reverse("personal:digest-choice"), {})
    assert not DigestSetting.wanted_by(harryda_staff)
    page = _page(harryda_client.get(HOME))
    assert 'aria-describedby="wants_digest-hint">' in page
    harryda_client.post(reverse("personal:digest-choice"), {"wants_digest": "on"})
    assert DigestSetting.wanted_by(harryda_staff)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_a_fixed_number_of_queries_whatever_the_number_of_commitments(
    harryda_client,
    current,
    make_planned,
    activity_type,
    make_promise,
    harryda,
    django_assert_max_num_queries,
):
    make_planned(current["busy"], TODAY - timedelta(days=4))
    few = _queries(harryda_client)

    # More commitments, in a second current promise, with activities, drafts and planned work.
    # A draft: two published promises may not overlap for the same municipality.
    second = make_promise(
        [harryda],
        title="Löftet för Härryda centrum",
        slug="harryda-centrum",
        start=date(2026, 3, 1),
        end=date(2027, 2, 28),
        status=Promise.Status.DRAFT,
    )
    for n in range(1, 7):
        commitment = Commitment.objects.create(
            promise=second,
            position=n,
            title=f"Åtagande {n}",
            target_value=n,
            target_unit="tillfällen",
        )
        Activity.objects.create(
            commitment=commitment, type=activity_type, date=TODAY, title=f"Gjort {n}"
        )
        Activity.objects.create(
            commitment=commitment,
            type=activity_type,
            date=TODAY,
            title=f"Utkast {n}",
            status=Activity.Status.DRAFT,
        )
        make_planned(commitment, TODAY - timedelta(days=n))
    many = _queries(harryda_client)

    assert "Åtagande 6" in _page(harryda_client.get(HOME))
    assert many == few, (few, many)
    with django_assert_max_num_queries(13):
        harryda_client.get(HOME)
