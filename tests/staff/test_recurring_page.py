"""The recurring-activity form at /personal/aterkommande/: preview, save, scoping, bad input."""
# ruff: noqa: F811 - the fixtures imported from home_fixtures are requested by name.

from datetime import date

import pytest
from django.urls import reverse

from activities.models import Activity, ActivitySeries
from tests.staff.home_fixtures import current, frozen_now  # noqa: F401

URL = "/personal/aterkommande/"


@pytest.fixture
def harryda_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


def _data(current, police_org=None, **changes) -> dict:
    data = {
        "commitment": str(current["busy"].pk),
        "type": str(current["busy"].activities.first().type_id),
        "title": "Nattvandring i Mölnlycke centrum",
        "place": "Mölnlycke centrum",
        "weekdays": ["4"],
        "start_time": "21:00",
        "end_time": "02:00",
        "first_date": "2026-06-01",
        "last_date": "2026-06-30",
        "description": "",
        "action": "save",
    }
    data.update(changes)
    return data


def test_the_page_has_its_address():
    assert reverse("personal:recurring") == URL


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "next=/personal/aterkommande/" in response["Location"]


def test_read_only_staff_may_not_log(client, make_staff, harryda_org, current):
    client.force_login(make_staff("rapport.harryda", harryda_org, "Rapportläsare"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _data(current)).status_code == 403
    assert not ActivitySeries.objects.exists()


def test_only_my_current_commitments_are_offered(harryda_client, current):
    page = harryda_client.get(URL).content.decode()
    assert "Fotpatrullering i Mölnlycke" in page
    assert "Kvarnbyns trygghet" not in page
    # The date pickers keep inside the promise's period.
    assert 'min="2026-01-01"' in page and 'max="2027-12-31"' in page


def test_the_preview_names_the_days_and_saves_nothing(harryda_client, current):
    response = harryda_client.post(URL, _data(current, action="preview"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skapar 4 planerade tillfällen:" in page
    assert "5, 12, 19 och 26 juni, kl. 21:00–02:00 (över midnatt)" in page
    assert not ActivitySeries.objects.exists()


def test_the_live_preview_answers_htmx_with_the_preview_alone(harryda_client, current):
    response = harryda_client.post(URL, _data(current, action="preview"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Skapar 4 planerade tillfällen:" in page
    assert "<form" not in page and "<html" not in page
    assert not ActivitySeries.objects.exists()


def test_saving_creates_the_planned_occurrences(harryda_client, harryda_staff, current):
    response = harryda_client.post(URL, _data(current))
    assert response.status_code == 302
    assert response["Location"] == URL
    series = ActivitySeries.objects.get()
    dates = list(series.activities.order_by("date").values_list("date", flat=True))
    assert dates == [date(2026, 6, d) for d in (5, 12, 19, 26)]
    assert set(series.activities.values_list("state", flat=True)) == {Activity.State.PLANNED}
    assert series.created_by == harryda_staff
    page = harryda_client.get(URL).content.decode()
    assert "Skapade 4 planerade tillfällen: 5, 12, 19 och 26 juni." in page


def test_another_areas_commitment_cannot_be_posted(harryda_client, current):
    response = harryda_client.post(URL, _data(current, commitment=str(current["other"].pk)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Det finns ett problem" in page
    assert 'href="#id_commitment"' in page
    assert not Activity.objects.filter(series__isnull=False).exists()


def test_dates_outside_the_period_get_a_message_at_the_field(harryda_client, current):
    response = harryda_client.post(URL, _data(current, last_date="2028-01-31"))
    page = response.content.decode()
    assert "ligger utanför medborgarlöftets period" in page
    assert 'href="#id_last_date"' in page
    assert 'aria-invalid="true"' in page
    assert not ActivitySeries.objects.exists()
    # What was typed is kept.
    assert 'value="Nattvandring i Mölnlycke centrum"' in page


def test_no_weekday_chosen(harryda_client, current):
    response = harryda_client.post(URL, _data(current, weekdays=[]))
    page = response.content.decode()
    assert "Välj minst en veckodag." in page
    assert 'href="#id_weekdays_0"' in page


def test_too_many_occurrences(harryda_client, current):
    response = harryda_client.post(
        URL,
        _data(
            current,
            weekdays=[str(d) for d in range(7)],
            first_date="2026-01-01",
            last_date="2026-12-31",
        ),
    )
    assert "fler än 200 tillfällen" in response.content.decode()
    assert not Activity.objects.filter(series__isnull=False).exists()


def test_a_bad_date_is_refused_in_swedish(harryda_client, current):
    response = harryda_client.post(URL, _data(current, first_date="5 juni"))
    assert "Skriv datumet som år-månad-dag" in response.content.decode()


def test_queries(harryda_client, current, django_assert_max_num_queries):
    data = _data(current, action="preview")
    with django_assert_max_num_queries(11):
        assert harryda_client.get(URL).status_code == 200
    with django_assert_max_num_queries(16):
        assert harryda_client.post(URL, data).status_code == 200


def test_the_live_preview_after_the_session_ran_out_sends_the_page_to_the_login(client):
    # Not the login page swapped into the preview region.
    response = client.post(URL, {"action": "preview"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == f"{reverse('admin:login')}?next={URL}"
    assert "no-cache" in response["Cache-Control"]
