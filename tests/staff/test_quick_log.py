"""The quick log at /personal/logga/: one activity from a phone, in the user's own area."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from promises.models import ActivityType, Commitment

URL = reverse("personal:quick-log")


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
    """Kommunpolis: may log, but not publish at once."""
    return make_staff("kommunpolis.harryda", harryda_org, "Kommunpolis")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def coordinator_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


def _data(commitment, activity_type, **fields):
    return {
        "commitment": commitment.pk,
        "type": activity_type.pk,
        "when": "i-dag",
        "date": "",
        "place": "Mölnlycke centrum",
        "occasions": "2",
        "people_reached": "",
        "description": "Samtal med handlare.",
        "internal_note": "Ring tillbaka till vaktbolaget.",
        "title": "",
        **fields,
    }


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={URL}"


def test_htmx_after_the_session_ended_sends_the_whole_page_to_the_login(client):
    response = client.get(URL, {"commitment": "1"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == f"{reverse('admin:login')}?next={URL}"


def test_staff_who_may_not_log_are_refused(client, make_staff, harryda_org):
    client.force_login(make_staff("rapport.harryda", harryda_org, "Rapportläsare"))
    assert client.get(URL).status_code == 403


def test_users_who_are_not_staff_cannot_reach_it(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("invanare", password="x" * 20))
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_form_posts_with_a_csrf_token(officer, current_commitment, activity_type):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(URL, _data(current_commitment, activity_type)).status_code == 403
    assert not Activity.objects.exists()
    page = client.get(URL).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_only_the_users_own_current_commitments_are_offered(
    officer_client, current_commitment, commitment, molndal_data
):
    # commitment: Härryda's ended promise; molndal_data: another area's.
    form = officer_client.get(URL).context["form"]
    offered = [c for c, _label in form.fields["commitment"].choices if c]
    assert offered == [str(current_commitment.pk)]


def test_another_areas_commitment_is_refused_and_nothing_saved(
    officer_client, current_commitment, molndal_data, activity_type, today
):
    other = molndal_data["commitment"]
    other.promise.period_start = today - timedelta(days=10)
    other.promise.period_end = today + timedelta(days=10)
    other.promise.save()
    count = Activity.objects.count()
    response = officer_client.post(URL, _data(other, activity_type))
    assert response.status_code == 200
    assert Activity.objects.count() == count
    assert "Välj ett av dina egna pågående åtaganden" in response.content.decode()
    assert 'href="#id_commitment"' in response.content.decode()


def test_an_ended_promises_commitment_is_refused(officer_client, current_commitment, commitment):
    response = officer_client.post(URL, _data(commitment, ActivityType.objects.first()))
    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert "Välj ett av dina egna pågående åtaganden" in response.content.decode()


def test_hints_and_errors_are_tied_to_their_fields(officer_client, current_commitment):
    page = officer_client.get(URL).content.decode()
    assert 'aria-describedby="id_commitment_helptext"' in page
    assert 'id="id_commitment_helptext"' in page
    response = officer_client.post(URL, {"commitment": "", "when": "i-dag", "occasions": "1"})
    page = response.content.decode()
    assert 'aria-describedby="id_type_error"' in page
    assert 'id="id_type_error"' in page
    assert 'aria-invalid="true"' in page


def test_the_last_used_commitment_comes_first_and_is_chosen(
    officer, officer_client, current_commitment, activity_type
):
    second = Commitment.objects.create(
        promise=current_commitment.promise, position=2, title="Nattvandring"
    )
    Activity.objects.create(
        commitment=second,
        type=activity_type,
        date=timezone.localdate(),
        title="Nattvandring",
        created_by=officer,
    )
    form = officer_client.get(URL).context["form"]
    offered = [c for c, _label in form.fields["commitment"].choices if c]
    assert offered == [str(second.pk), str(current_commitment.pk)]
    assert form.initial["commitment"] == second.pk


def test_types_used_for_the_commitment_come_first_and_others_one_tap_away(
    officer_client, current_commitment, today
):
    used = ActivityType.objects.get(slug="trygghetsvandring")
    Activity.objects.create(commitment=current_commitment, type=used, date=today, title="T")
    page = officer_client.get(URL).content.decode()
    first_group = page.index('label="Används för åtagandet"')
    others = page.index('label="Andra typer"')
    assert first_group < page.index(f'value="{used.pk}"', first_group) < others
    foot = ActivityType.objects.get(slug="fotpatrullering")
    assert page.index(f'<option value="{foot.pk}">', first_group) > others
    assert f'<option value="{used.pk}" selected>' in page


def test_place_suggestions_come_from_the_commitments_earlier_places(
    officer_client, current_commitment, molndal_data, activity_type, today
):
    Activity.objects.create(
        commitment=current_commitment, type=activity_type, date=today, title="A", place="Landvetter"
    )
    page = officer_client.get(URL).content.decode()
    assert '<option value="Landvetter">' in page
    assert "Kvarnbyn" not in page


def test_the_period_is_said_and_bounds_the_date_before_sending(
    officer_client, current_commitment, today
):
    page = officer_client.get(URL).content.decode()
    promise = current_commitment.promise
    assert f"Medborgarlöftets period: {promise.period_label}" in page
    assert f'min="{promise.period_start.isoformat()}"' in page
    assert f'max="{today.isoformat()}"' in page


def test_an_officers_activity_is_saved_as_a_draft_in_one_step(
    officer, officer_client, current_commitment, activity_type, harryda_org, today
):
    page = officer_client.get(URL).content.decode()
    assert "sparas som utkast" in page
    response = officer_client.post(
        URL, {**_data(current_commitment, activity_type), "organisations": [harryda_org.pk]}
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.status == Activity.Status.DRAFT
    assert activity.state == Activity.State.DONE
    assert activity.date == today
    assert activity.title == "Fotpatrullering och polisnärvaro i Mölnlycke centrum"
    assert activity.internal_note == "Ring tillbaka till vaktbolaget."
    assert activity.created_by == officer
    assert list(activity.organisations.all()) == [harryda_org]


def test_a_coordinators_activity_is_published_at_once(
    coordinator_client, current_commitment, activity_type
):
    page = coordinator_client.get(URL).content.decode()
    assert "publiceras på webbplatsen direkt" in page
    coordinator_client.post(URL, _data(current_commitment, activity_type))
    assert Activity.objects.get().status == Activity.Status.PUBLISHED


def test_yesterday_and_another_date(officer_client, current_commitment, activity_type, today):
    officer_client.post(URL, _data(current_commitment, activity_type, when="i-gar"))
    other = today - timedelta(days=5)
    officer_client.post(
        URL, _data(current_commitment, activity_type, when="annat", date=other.isoformat())
    )
    assert sorted(Activity.objects.values_list("date", flat=True)) == [
        other,
        today - timedelta(days=1),
    ]


def test_a_date_outside_the_period_is_refused_in_swedish(
    officer_client, current_commitment, activity_type
):
    before = current_commitment.promise.period_start - timedelta(days=1)
    response = officer_client.post(
        URL, _data(current_commitment, activity_type, when="annat", date=before.isoformat())
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert "ligger utanför medborgarlöftets period" in page
    assert 'class="ml-error-summary"' in page
    assert 'href="#id_date"' in page


def test_other_date_needs_a_date(officer_client, current_commitment, activity_type):
    response = officer_client.post(URL, _data(current_commitment, activity_type, when="annat"))
    assert "Skriv datumet, eller välj ”I dag” eller ”I går”." in response.content.decode()
    assert not Activity.objects.exists()


def test_a_negative_count_is_refused_with_a_message(
    officer_client, current_commitment, activity_type
):
    response = officer_client.post(URL, _data(current_commitment, activity_type, occasions="-1"))
    assert not Activity.objects.exists()
    assert 'href="#id_occasions">Antalet tillfällen kan inte vara negativt.' in (
        response.content.decode()
    )


def test_log_another_keeps_commitment_type_date_place_and_organisations(
    officer_client, current_commitment, activity_type, harryda_org, police_org, today
):
    earlier = today - timedelta(days=3)
    response = officer_client.post(
        URL,
        {
            **_data(current_commitment, activity_type, when="annat", date=earlier.isoformat()),
            "organisations": [police_org.pk],
        },
        follow=True,
    )
    activity = Activity.objects.get()
    location = response.redirect_chain[-1][0]
    assert parse_qs(urlsplit(location).query)["place"] == ["Mölnlycke centrum"]
    page = response.content.decode()
    assert "är sparad som utkast" in page
    assert reverse("admin:activities_activity_change", args=[activity.pk]) in page
    assert "Logga en till" in page
    form = response.context["form"]
    assert str(form.initial["commitment"]) == str(current_commitment.pk)
    assert str(form.initial["type"]) == str(activity_type.pk)
    assert form.initial["date"] == earlier
    assert form.initial["when"] == "annat"
    assert form.initial["place"] == "Mölnlycke centrum"
    assert form.initial["organisations"] == [str(police_org.pk)]
    assert f'value="{police_org.pk}" id="id_organisations_' in page
    assert not form.initial.get("description")


def test_choose_without_javascript_keeps_what_was_typed_and_saves_nothing(
    officer_client, current_commitment, activity_type
):
    second = Commitment.objects.create(
        promise=current_commitment.promise, position=2, title="Nattvandring"
    )
    walk = ActivityType.objects.get(slug="nattvandring")
    Activity.objects.create(
        commitment=second, type=walk, date=timezone.localdate(), title="Nattvandring"
    )
    response = officer_client.post(
        URL, {**_data(second, activity_type), "description": "Halvskrivet", "valj": "1"}
    )
    assert response.status_code == 200
    assert Activity.objects.count() == 1
    form = response.context["form"]
    assert form.chosen == second
    assert not form.errors
    # The type follows the commitment: the one most used for it.
    assert form.initial["type"] == walk.pk
    assert "Halvskrivet" in response.content.decode()


def test_htmx_asks_for_the_fields_that_depend_on_the_commitment(
    officer_client, current_commitment, activity_type, today
):
    Activity.objects.create(
        commitment=current_commitment, type=activity_type, date=today, title="A", place="Rävlanda"
    )
    response = officer_client.get(
        URL,
        {"commitment": current_commitment.pk, "when": "i-gar", "place": "Hindås"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="ml-commitment-fields"')
    assert "<html" not in page
    assert '<option value="Rävlanda">' in page
    assert 'value="Hindås"' in page
    assert 'value="i-gar" id="id_when_1" checked' in page
    assert "HX-Request" in response["Vary"]


def test_without_a_current_commitment_there_is_a_message_and_no_form(officer_client, commitment):
    page = officer_client.get(URL).content.decode()
    assert "Du har inga pågående åtaganden" in page
    assert '<form class="ml-form' not in page


def test_the_admin_links_to_the_quick_log(officer_client):
    page = officer_client.get(reverse("admin:index")).content.decode()
    assert f'href="{URL}">Snabblogga</a>' in page


def test_the_page_asks_few_queries(
    officer_client, current_commitment, activity_type, django_assert_max_num_queries
):
    for n in range(3):
        Commitment.objects.create(promise=current_commitment.promise, position=n + 2, title="X")
    with django_assert_max_num_queries(14):
        assert officer_client.get(URL).status_code == 200
    with django_assert_max_num_queries(30):
        response = officer_client.post(URL, _data(current_commitment, activity_type))
    assert response.status_code == 302


def test_a_link_with_a_commitment_preselects_it_without_saying_another(
    officer_client, current_commitment
):
    second = Commitment.objects.create(
        promise=current_commitment.promise, position=2, title="Nattvandring"
    )
    response = officer_client.get(URL, {"commitment": second.pk})
    assert response.context["form"].chosen == second
    assert "Logga en aktivitet" in response.content.decode()
    assert "Logga en till" not in response.content.decode()


def test_yesterday_before_the_period_is_refused_at_the_date_choice(
    officer_client, make_promise, harryda, activity_type, today
):
    promise = make_promise([harryda], start=today, end=today + timedelta(days=300))
    starts_today = Commitment.objects.create(promise=promise, position=1, title="Ny")
    response = officer_client.post(URL, _data(starts_today, activity_type, when="i-gar"))
    page = response.content.decode()
    assert not Activity.objects.exists()
    assert "ligger utanför medborgarlöftets period" in page
    # The typed date is hidden unless ”Annat datum” is chosen: the summary links to the choice.
    assert 'href="#id_when_0"' in page


@pytest.mark.parametrize(
    "query",
    [
        {"commitment": "abc", "type": "x", "date": "2026-13-45", "when": "sometime"},
        {"commitment": "99999", "organisations": ["a", "1"], "place": "x" * 5000},
        {"date": "\u0661\u0662"},
    ],
)
def test_odd_addresses_show_the_form_not_an_error(officer_client, current_commitment, query):
    response = officer_client.get(URL, query)
    assert response.status_code == 200
    assert response.context["form"].chosen == current_commitment


def test_odd_posts_are_refused_with_messages(officer_client, current_commitment, activity_type):
    data = _data(current_commitment, activity_type, when="annat", date="31/02", occasions="x")
    page = officer_client.post(URL, data).content.decode()
    assert not Activity.objects.exists()
    assert "Skriv datumet som åååå-mm-dd" in page
    assert "Skriv antalet tillfällen som en siffra" in page


def test_the_staff_pages_are_valid_html(
    officer_client, current_commitment, activity_type, tmp_path
):
    from tests.public.test_html_valid import html_errors

    week = reverse("personal:week-log")
    bad_week = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-commitment": str(current_commitment.pk),
        "form-0-date": "1999-01-01",
        "form-0-occasions": "1",
        "form-1-occasions": "1",
    }
    pages = {
        "quick log": officer_client.get(URL).content,
        "quick log, errors": officer_client.post(
            URL, _data(current_commitment, activity_type, when="annat", occasions="-1")
        ).content,
        "quick log, htmx": officer_client.get(
            URL, {"commitment": current_commitment.pk}, headers={"HX-Request": "true"}
        ).content,
        "week": officer_client.get(week).content,
        "week, errors": officer_client.post(week, bad_week).content,
    }
    # The fragment is checked inside a page of its own.
    pages["quick log, htmx"] = (
        b"<!doctype html><html lang=sv><title>x</title>" + pages["quick log, htmx"]
    )
    assert html_errors(pages, tmp_path) == []
