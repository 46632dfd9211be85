"""”Logga aktivitet”: a short form with sensible defaults, saved in one step."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from promises.models import ActivityType

ADD_URL = "admin:activities_activity_add"


@pytest.fixture
def promise(make_promise, harryda):
    """A current promise: new activities are logged on current promises only."""
    today = timezone.localdate()
    return make_promise(
        [harryda],
        title="Medborgarlöfte Härryda kommun",
        start=today - timedelta(days=400),
        end=today + timedelta(days=300),
    )


# A day inside the promise's period, before today.
DAY = timezone.localdate() - timedelta(days=10)


@pytest.fixture
def staff_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


def _post(client, commitment, activity_type, **fields):
    data = {
        "commitment": commitment.pk,
        "type": activity_type.pk,
        "date": DAY.isoformat(),
        "place": "Mölnlycke centrum",
        "occasions": "3",
        "title": "",
        "state": "done",
        "status": "published",
        **fields,
    }
    return client.post(reverse(ADD_URL), data)


def test_commitment_pages_link_to_logging_an_activity(staff_client, commitment):
    link = f"{reverse(ADD_URL)}?commitment={commitment.pk}"
    changelist = staff_client.get(reverse("admin:promises_commitment_changelist"))
    change = staff_client.get(reverse("admin:promises_commitment_change", args=[commitment.pk]))
    assert link in changelist.content.decode()
    assert link in change.content.decode()
    assert "Logga aktivitet" in change.content.decode()


def test_log_activity_form_has_sensible_defaults(staff_client, commitment, harryda_org):
    response = staff_client.get(reverse(ADD_URL), {"commitment": commitment.pk})
    form = response.context["adminform"].form
    assert form.initial["date"] == timezone.localdate()
    assert form.initial["organisations"] == [harryda_org.pk]
    assert str(form.initial["commitment"]) == str(commitment.pk)
    assert "Spara och logga en till" in response.content.decode()


def test_type_choices_are_the_active_types(staff_client, commitment):
    ActivityType.objects.filter(slug="hastighetsdisplay").update(is_active=False)
    response = staff_client.get(reverse(ADD_URL), {"commitment": commitment.pk})
    choices = response.context["adminform"].form.fields["type"].queryset
    assert not choices.filter(slug="hastighetsdisplay").exists()
    assert choices.filter(slug="fotpatrullering").exists()


def test_log_activity_saves_in_one_step_with_a_title_from_type_and_place(
    staff_client, commitment, activity_type, harryda_staff
):
    response = _post(staff_client, commitment, activity_type)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.title == "Fotpatrullering och polisnärvaro i Mölnlycke centrum"
    assert activity.created_by == harryda_staff
    assert activity.updated_by == harryda_staff


def test_save_and_log_another_keeps_commitment_and_type(staff_client, commitment, activity_type):
    response = _post(staff_client, commitment, activity_type, _addanother="1")
    assert response.status_code == 302
    assert response["Location"].startswith(
        f"{reverse(ADD_URL)}?commitment={commitment.pk}&type={activity_type.pk}"
    )
    form = staff_client.get(response["Location"]).context["adminform"].form
    assert str(form.initial["commitment"]) == str(commitment.pk)
    assert str(form.initial["type"]) == str(activity_type.pk)


def test_likely_duplicate_needs_confirmation(
    staff_client, commitment, activity_type, make_activity
):
    make_activity(date=DAY, place="Mölnlycke centrum", title="Första")

    response = _post(staff_client, commitment, activity_type, place="mölnlycke centrum ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Det finns redan en aktivitet med samma åtagande, typ, datum och plats" in page
    assert 'type="checkbox" name="confirm_duplicate"' in page
    assert Activity.objects.count() == 1

    response = _post(staff_client, commitment, activity_type, confirm_duplicate="on")
    assert response.status_code == 302
    assert Activity.objects.count() == 2


def test_a_different_place_is_no_duplicate(staff_client, commitment, activity_type, make_activity):
    make_activity(date=DAY, place="Landvetter")
    assert _post(staff_client, commitment, activity_type).status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "2030-01-01"}, "ligger utanför medborgarlöftets period"),
        ({"occasions": "-2"}, "0"),
        ({"date": DAY.isoformat(), "end_date": "2023-03-01"}, "Slutdatumet kan inte vara före"),
    ],
)
def test_model_rules_show_in_the_form(staff_client, commitment, activity_type, fields, message):
    response = _post(staff_client, commitment, activity_type, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_report_readers_are_not_offered_logging(client, make_staff, harryda_org, commitment):
    client.force_login(make_staff("lasare", harryda_org, "Rapportläsare"))
    changelist = client.get(reverse("admin:promises_commitment_changelist"))
    assert changelist.status_code == 200
    assert "Logga aktivitet" not in changelist.content.decode()
    assert client.get(reverse(ADD_URL), {"commitment": commitment.pk}).status_code == 403


def test_save_and_log_another_is_offered_only_when_adding(staff_client, make_activity):
    assert "Spara och logga en till" in staff_client.get(reverse(ADD_URL)).content.decode()
    activity = make_activity()
    change = staff_client.get(reverse("admin:activities_activity_change", args=[activity.pk]))
    assert change.status_code == 200
    assert "Spara och logga en till" not in change.content.decode()
    assert 'name="_save"' in change.content.decode()
