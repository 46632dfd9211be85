"""A week's activities in one go at /personal/logga/vecka/: every row or none."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from promises.models import Commitment

URL = reverse("personal:week-log")
ROWS = 7


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def current_commitment(make_promise, harryda, today):
    promise = make_promise(
        [harryda],
        title="Medborgarlöfte Härryda 2026",
        start=today - timedelta(days=200),
        end=today + timedelta(days=200),
    )
    return Commitment.objects.create(promise=promise, position=1, title="Trygg i centrum")


@pytest.fixture
def officer(make_staff, harryda_org):
    return make_staff("kommunpolis.harryda", harryda_org, "Kommunpolis")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _management(total=ROWS):
    return {
        "form-TOTAL_FORMS": str(total),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
    }


def _rows(*rows, total=ROWS):
    """Posted data: the given rows filled, the rest as an untouched form sends them."""
    data = _management(total)
    for n in range(total):
        data[f"form-{n}-occasions"] = "1"
    for n, row in enumerate(rows):
        for name, value in row.items():
            data[f"form-{n}-{name}"] = value
    return data


def _row(commitment, activity_type, day, **fields):
    return {
        "commitment": str(commitment.pk),
        "type": str(activity_type.pk),
        "date": day.isoformat(),
        "place": "Mölnlycke centrum",
        "occasions": "2",
        **fields,
    }


def test_the_page_shows_seven_empty_rows_for_staff_only(officer_client, client, current_commitment):
    response = officer_client.get(URL)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == ROWS
    assert "Rad 7" in response.content.decode()
    client.logout()
    assert client.get(URL)["Location"] == f"{reverse('admin:login')}?next={URL}"


def test_filled_rows_are_saved_and_empty_rows_ignored(
    officer, officer_client, current_commitment, activity_type, harryda_org, today
):
    rows = [
        _row(
            current_commitment,
            activity_type,
            today - timedelta(days=n),
            place=f"Plats {n}",
            description="Samtal med handlare." if n == 1 else "",
        )
        for n in range(3)
    ]
    response = officer_client.post(URL, _rows(*rows))
    assert response.status_code == 302
    saved = Activity.objects.order_by("-date")
    assert [a.place for a in saved] == ["Plats 0", "Plats 1", "Plats 2"]
    assert {a.status for a in saved} == {Activity.Status.DRAFT}
    assert {a.created_by for a in saved} == {officer}
    assert saved[0].title == "Fotpatrullering och polisnärvaro i Plats 0"
    assert saved[1].description == "Samtal med handlare."
    assert list(saved[0].organisations.all()) == [harryda_org]
    page = officer_client.get(response["Location"]).content.decode()
    assert "3 aktiviteter är sparade (utkast)" in page


def test_one_bad_row_saves_nothing_and_is_named(
    officer_client, current_commitment, activity_type, today
):
    before = current_commitment.promise.period_start - timedelta(days=1)
    rows = [
        _row(current_commitment, activity_type, today),
        _row(current_commitment, activity_type, today),
        _row(current_commitment, activity_type, before),
    ]
    response = officer_client.post(URL, _rows(*rows))
    page = response.content.decode()
    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert "Rad 3: Datum: Datumet" in page
    assert "ligger utanför medborgarlöftets period" in page
    assert 'href="#id_form-2-date"' in page
    # What was written is still there to correct.
    assert page.count('value="Mölnlycke centrum"') == 3


def test_a_failure_while_saving_leaves_nothing_half_written(
    officer_client, current_commitment, activity_type, today, monkeypatch
):
    from staff.forms import WeekRowForm

    original = WeekRowForm.save
    calls = []

    def save_then_fail(self, commit=True):
        calls.append(self)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return original(self, commit)

    monkeypatch.setattr(WeekRowForm, "save", save_then_fail)
    rows = [_row(current_commitment, activity_type, today) for _ in range(2)]
    officer_client.raise_request_exception = False
    response = officer_client.post(URL, _rows(*rows))
    assert response.status_code == 500
    assert not Activity.objects.exists()


def test_another_areas_commitment_is_refused_in_a_row(
    officer_client, current_commitment, molndal_data, activity_type, today
):
    other = molndal_data["commitment"]
    count = Activity.objects.count()
    rows = [
        _row(current_commitment, activity_type, today),
        _row(other, activity_type, today),
    ]
    page = officer_client.post(URL, _rows(*rows)).content.decode()
    assert Activity.objects.count() == count
    assert "Rad 2: Åtagande: Välj ett av dina egna pågående åtaganden" in page


def test_all_empty_rows_save_nothing_and_say_so(officer_client, current_commitment):
    page = officer_client.post(URL, _rows()).content.decode()
    assert not Activity.objects.exists()
    assert "alla rader var tomma" in page


def test_too_many_rows_are_refused(officer_client, current_commitment, activity_type, today):
    rows = [_row(current_commitment, activity_type, today)]
    response = officer_client.post(URL, _rows(*rows, total=31))
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_a_coordinators_rows_are_published(
    client, harryda_staff, current_commitment, activity_type, today
):
    client.force_login(harryda_staff)
    client.post(URL, _rows(_row(current_commitment, activity_type, today)))
    assert Activity.objects.get().status == Activity.Status.PUBLISHED


def test_the_week_page_asks_few_queries(
    officer_client, current_commitment, activity_type, today, django_assert_max_num_queries
):
    for n in range(4):
        Commitment.objects.create(promise=current_commitment.promise, position=n + 2, title="X")
    with django_assert_max_num_queries(12):
        assert officer_client.get(URL).status_code == 200
    rows = [_row(current_commitment, activity_type, today) for _ in range(ROWS)]
    # A fixed number per saved row (checks of its commitment and type, the row, its
    # organisations and their history), none per empty row.
    with django_assert_max_num_queries(12 + 14 * ROWS):
        assert officer_client.post(URL, _rows(*rows)).status_code == 302
    assert Activity.objects.count() == ROWS


def test_a_tampered_form_is_refused_with_a_message(officer_client, current_commitment):
    response = officer_client.post(URL, {"form-TOTAL_FORMS": "x", "form-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert 'class="ml-error-summary"' in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize(("asked", "shown"), [("14", 14), ("500", 30), ("x", ROWS), ("0", 1)])
def test_more_rows_can_be_asked_for(officer_client, current_commitment, asked, shown):
    response = officer_client.get(URL, {"rader": asked})
    assert len(response.context["formset"].forms) == shown


def test_the_page_offers_more_rows(officer_client, current_commitment):
    assert f'href="{URL}?rader=14"' in officer_client.get(URL).content.decode()
