"""History: every change recorded with its user, shown as a diff, restorable."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from promises.models import Commitment, Promise


@pytest.fixture
def staff_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


def _change_activity(client, activity, **fields):
    data = {
        "commitment": activity.commitment_id,
        "type": activity.type_id,
        "date": activity.date.isoformat(),
        "title": activity.title,
        "occasions": activity.occasions,
        "state": "done",
        "status": activity.status,
        "place": activity.place,
        **fields,
    }
    return client.post(reverse("admin:activities_activity_change", args=[activity.pk]), data)


def test_admin_change_is_recorded_with_the_user_and_shown_as_a_diff(
    staff_client, make_activity, harryda_staff
):
    activity = make_activity(title="Före", updated_by=harryda_staff)
    assert _change_activity(staff_client, activity, title="Efter").status_code == 302

    latest = activity.history.latest()
    assert latest.history_user == harryda_staff
    assert latest.history_type == "~"
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["title"]
    page = staff_client.get(reverse("admin:activities_activity_history", args=[activity.pk]))
    assert "Före" in page.content.decode()
    assert "Efter" in page.content.decode()
    assert harryda_staff.username in page.content.decode()


def test_an_earlier_version_can_be_restored(staff_client, make_activity, harryda_staff):
    activity = make_activity(title="Original")
    _change_activity(staff_client, activity, title="Felaktig ändring")
    original = activity.history.earliest()
    url = reverse("admin:activities_activity_simple_history", args=[activity.pk, original.pk])

    form_page = staff_client.get(url)
    assert form_page.status_code == 200
    data = {
        "commitment": original.commitment_id,
        "type": original.type_id,
        "date": original.date.isoformat(),
        "title": original.title,
        "occasions": original.occasions,
        "state": "done",
        "status": original.status,
    }
    assert staff_client.post(url, data).status_code == 302

    activity.refresh_from_db()
    assert activity.title == "Original"
    assert activity.history.count() == 3
    assert activity.history.latest().history_user == harryda_staff


def test_bulk_actions_and_deletes_are_recorded_with_the_user(
    staff_client, make_activity, harryda_staff
):
    activity = make_activity()
    changelist = reverse("admin:activities_activity_changelist")
    staff_client.post(changelist, {"action": "unpublish", "_selected_action": [activity.pk]})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DRAFT
    assert activity.history.latest().history_user == harryda_staff
    assert activity.updated_by == harryda_staff

    staff_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [activity.pk], "post": "yes"}
    )
    deleted = Activity.history.filter(id=activity.pk).latest()
    assert deleted.history_type == "-"
    assert deleted.history_user == harryda_staff


def test_commitment_and_promise_changes_are_recorded(staff_client, commitment, harryda_staff):
    url = reverse("admin:promises_commitment_change", args=[commitment.pk])
    data = {
        "promise": commitment.promise_id,
        "position": 1,
        "title": "Ny rubrik",
        "target_measure": "occasions",
        "target_period": "period",
        "slug": commitment.slug,
    }
    assert staff_client.post(url, data).status_code == 302
    assert Commitment.history.filter(id=commitment.pk).latest().history_user == harryda_staff

    promise = commitment.promise
    staff_client.post(
        reverse("admin:promises_promise_changelist"),
        {"action": "unpublish", "_selected_action": [promise.pk]},
    )
    latest = promise.history.latest()
    assert (latest.status, latest.history_user) == ("draft", harryda_staff)


def test_version_list_shows_readable_changes(staff_client, make_activity, harryda_org):
    activity = make_activity(status=Activity.Status.DRAFT)
    _change_activity(
        staff_client,
        activity,
        status="published",
        date="2023-03-15",
        organisations=[harryda_org.pk],
    )
    page = staff_client.get(
        reverse("admin:activities_activity_history", args=[activity.pk])
    ).content.decode()
    assert "Utkast&nbsp;&rarr;&nbsp;Publicerad" in page
    assert "14 mars 2023&nbsp;&rarr;&nbsp;15 mars 2023" in page
    assert "–&nbsp;&rarr;&nbsp;Härryda kommun" in page


def test_version_page_is_in_swedish_and_bookkeeping_is_not_a_change(staff_client, make_activity):
    activity = make_activity(place="Torget")
    _change_activity(staff_client, activity, place="Torget norra")
    history = staff_client.get(
        reverse("admin:activities_activity_history", args=[activity.pk])
    ).content.decode()
    assert "Ändrad av" not in history
    assert "pk=None" not in history
    version = activity.history.earliest()
    page = staff_client.get(
        reverse("admin:activities_activity_simple_history", args=[activity.pk, version.pk])
    ).content.decode()
    assert "Historical" not in page
    assert "Återställ en tidigare version" in page


def test_adding_an_activity_with_organisations_writes_one_version(
    staff_client, commitment, activity_type, harryda_org, harryda_staff
):
    # New activities are logged on current promises only.
    today = timezone.localdate()
    Promise.objects.filter(pk=commitment.promise_id).update(
        period_start=today - timedelta(days=400), period_end=today + timedelta(days=300)
    )
    response = staff_client.post(
        reverse("admin:activities_activity_add"),
        {
            "commitment": commitment.pk,
            "type": activity_type.pk,
            "date": (today - timedelta(days=3)).isoformat(),
            "title": "Ny med organisation",
            "occasions": 1,
            "organisations": [harryda_org.pk],
            "state": "done",
            "status": "published",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Ny med organisation")
    versions = list(activity.history.all())
    assert len(versions) == 1
    assert versions[0].history_type == "+"
    assert versions[0].history_user == harryda_staff
    # The one version holds the organisations as saved.
    assert [o.organisation_id for o in versions[0].organisations.all()] == [harryda_org.pk]


def test_changing_only_relations_later_is_its_own_version(make_activity, harryda_org):
    activity = make_activity()
    before = activity.history.count()
    # A new request, a new object: not part of the version that created it.
    Activity.objects.get(pk=activity.pk).organisations.add(harryda_org)
    assert activity.history.count() == before + 1
    assert activity.history.latest().history_type == "~"


def test_a_promise_saved_with_its_relations_in_the_admin_is_one_version(
    client, django_user_model, promise, molndal
):
    client.force_login(django_user_model.objects.create_superuser("root", "", "x" * 16))
    url = reverse("admin:promises_promise_change", args=[promise.pk])
    from tests.staff.test_read_only_writes import form_data

    data = form_data(client.get(url))
    data["municipalities"] = [*data["municipalities"], str(molndal.pk)]
    data["title"] = "Nytt namn"
    before = promise.history.count()
    assert client.post(url, data).status_code == 302
    assert promise.history.count() == before + 1
    latest = promise.history.latest()
    assert latest.title == "Nytt namn"
    assert {m.municipality_id for m in latest.municipalities.all()} == {
        m.pk for m in promise.municipalities.all()
    }
