"""A promise shared by two municipalities: one area's staff never takes away the other's data."""

import io
from datetime import date

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import resolve, reverse

from activities.models import Activity
from promises.models import Commitment, Promise


@pytest.fixture
def shared_activity(make_promise, harryda, molndal, harryda_org, molndal_org, activity_type):
    promise = make_promise([harryda, molndal], title="Gemensamt löfte", slug="gemensamt")
    commitment = Commitment.objects.create(promise=promise, position=1, title="Trygga skolvägar")
    activity = Activity.objects.create(
        commitment=commitment,
        type=activity_type,
        date=date(2023, 3, 14),
        title="Gemensam trygghetsvandring",
        place="Gränsen",
    )
    activity.organisations.set([harryda_org, molndal_org])
    return activity


@pytest.fixture
def molndal_client(client, molndal_staff):
    client.force_login(molndal_staff)
    return client


def test_editing_a_shared_activity_keeps_the_other_areas_organisation(
    molndal_client, shared_activity, harryda_org, molndal_org
):
    url = reverse("admin:activities_activity_change", args=[shared_activity.pk])
    form = molndal_client.get(url).context["adminform"].form
    assert harryda_org in form.fields["organisations"].queryset

    response = molndal_client.post(
        url,
        {
            "commitment": shared_activity.commitment_id,
            "type": shared_activity.type_id,
            "date": "2023-03-14",
            "title": "Ny rubrik",
            "occasions": "1",
            "state": "done",
            "status": "published",
            "place": "Gränsen",
            "organisations": [harryda_org.pk, molndal_org.pk],
        },
    )

    assert response.status_code == 302
    shared_activity.refresh_from_db()
    assert shared_activity.title == "Ny rubrik"
    assert set(shared_activity.organisations.all()) == {harryda_org, molndal_org}


def test_a_shared_activity_exported_by_one_area_imports_back(
    molndal_client, shared_activity, harryda_org, molndal_org, run_tasks
):
    exported = molndal_client.post(
        reverse("admin:activities_activity_export"), {"format": "0", "resource": "0"}
    ).content
    text = exported.decode("utf-8-sig").replace("Gemensam trygghetsvandring", "Ändrad rubrik")
    upload = io.BytesIO(text.encode("utf-8-sig"))
    upload.name = "export.csv"
    uploaded = molndal_client.post(
        reverse("admin:activities_activity_import"), {"format": "csv", "import_file": upload}
    )
    run_tasks()
    preview = molndal_client.get(uploaded["Location"])
    assert not preview.context["result"]["problems"]
    molndal_client.post(
        reverse("admin:activities_activity_process_import"),
        {"job": str(preview.context["job"].pk)},
    )
    run_tasks()

    shared_activity.refresh_from_db()
    assert shared_activity.title == "Ändrad rubrik"
    assert set(shared_activity.organisations.all()) == {harryda_org, molndal_org}


def test_another_areas_organisation_is_still_refused_on_a_new_row(
    molndal_client, shared_activity, harryda_org, run_tasks
):
    csv = (
        "ID;Åtagande;Datum;Slutdatum;Rubrik;Beskrivning;Typ;Genomförd av;Plats;"
        "Antal tillfällen;Antal nådda personer;Status\n"
        f";{shared_activity.commitment.title};2023-04-01;;Ny;;Fotpatrullering och polisnärvaro;Härryda kommun;"
        "Torget;1;;Publicerad\n"
    )
    upload = io.BytesIO(csv.encode("utf-8"))
    upload.name = "ny.csv"
    uploaded = molndal_client.post(
        reverse("admin:activities_activity_import"), {"format": "csv", "import_file": upload}
    )
    run_tasks()
    response = molndal_client.get(uploaded["Location"])
    assert [p["column"] for p in response.context["result"]["problems"]] == ["Genomförd av"]


def _promise_form(rf, user, promise, municipalities):
    model_admin = admin.site._registry[Promise]
    request = rf.post(reverse("admin:promises_promise_change", args=[promise.pk]))
    request.user = user
    request.resolver_match = resolve(request.path)
    data = {k: v for k, v in model_to_dict(promise).items() if v is not None}
    data["municipalities"] = [m.pk for m in municipalities]
    return model_admin.get_form(request, promise)(data=data, instance=promise)


def test_another_areas_municipality_cannot_be_removed_from_a_shared_promise(
    rf, molndal_staff, shared_activity, molndal
):
    promise = shared_activity.commitment.promise
    form = _promise_form(rf, molndal_staff, promise, [molndal])
    assert not form.is_valid()
    assert "utanför ditt område" in " ".join(form.errors["municipalities"])


def test_own_municipality_can_be_removed_from_a_shared_promise(
    rf, molndal_staff, shared_activity, harryda
):
    promise = shared_activity.commitment.promise
    form = _promise_form(rf, molndal_staff, promise, [harryda])
    assert "municipalities" not in form.errors
