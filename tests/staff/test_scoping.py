"""The permission matrix: staff of one municipality try every admin URL on another's data.

Every title of Mölndal's data contains ”Kvarnbyn”; a Härryda user must never
see that word, get a 404 for direct addresses, and change nothing.
"""

import io

import pytest
from django.contrib import admin
from django.urls import resolve, reverse

from activities.models import Activity
from promises.models import Promise

SECRET = "Kvarnbyn"

MODELS = {
    # model key in molndal_data: admin url prefix
    "promise": "promises_promise",
    "commitment": "promises_commitment",
    "contact": "promises_contact",
    "activity": "activities_activity",
}


@pytest.fixture
def harryda_client(client, harryda_staff, molndal_data, commitment):
    client.force_login(harryda_staff)
    return client


def _direct_urls(molndal_data):
    urls = []
    for key, prefix in MODELS.items():
        obj = molndal_data[key]
        version = obj.history.latest().history_id
        urls += [
            reverse(f"admin:{prefix}_change", args=[obj.pk]),
            reverse(f"admin:{prefix}_delete", args=[obj.pk]),
            reverse(f"admin:{prefix}_history", args=[obj.pk]),
            reverse(f"admin:{prefix}_simple_history", args=[obj.pk, version]),
        ]
    urls += [
        reverse("public:promise-preview", args=[molndal_data["promise"].pk]),
        reverse("public:activity-preview", args=[molndal_data["activity"].pk]),
    ]
    return urls


def test_direct_urls_of_another_area_are_not_found(harryda_client, molndal_data):
    for url in _direct_urls(molndal_data):
        response = harryda_client.get(url)
        assert response.status_code in (403, 404), url
        assert SECRET not in response.content.decode(), url


def test_posting_to_another_areas_objects_changes_nothing(harryda_client, molndal_data):
    activity = molndal_data["activity"]
    for url in _direct_urls(molndal_data):
        response = harryda_client.post(url, {"post": "yes", "title": "Ändrad"})
        # The previews are public pages that answer GET only (405).
        assert response.status_code in (403, 404, 405), url
    activity.refresh_from_db()
    assert activity.title == "Fotpatrullering i Kvarnbyn"
    assert Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.parametrize("prefix", MODELS.values())
def test_changelists_hide_another_areas_titles_and_counts(harryda_client, prefix):
    for query in ("", "?q=Trygghet", "?q=Fotpatrullering", "?q=L%C3%B6ftet", "?all="):
        response = harryda_client.get(reverse(f"admin:{prefix}_changelist") + query)
        assert response.status_code == 200
        assert SECRET not in response.content.decode()


def test_changelist_counts_only_own_area(harryda_client, make_activity):
    make_activity()
    response = harryda_client.get(reverse("admin:activities_activity_changelist"))
    assert response.context["cl"].full_result_count == 1


def test_add_forms_offer_only_own_area(harryda_client):
    for prefix in MODELS.values():
        response = harryda_client.get(reverse(f"admin:{prefix}_add"))
        assert response.status_code == 200
        assert SECRET not in response.content.decode(), prefix
        assert "Mölndal" not in response.content.decode(), prefix


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("activities", "activity", "commitment"),
        ("promises", "commitment", "promise"),
        ("promises", "contact", "promise"),
    ],
)
def test_autocomplete_offers_only_own_area(harryda_client, app_label, model_name, field_name):
    for term in ("", "Kvarn", "Trygghet", "Löftet"):
        response = harryda_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
            },
        )
        assert response.status_code == 200
        assert SECRET not in response.content.decode()


def test_adding_an_activity_to_another_areas_commitment_is_refused(
    harryda_client, molndal_data, activity_type
):
    response = harryda_client.post(
        reverse("admin:activities_activity_add"),
        {
            "commitment": molndal_data["commitment"].pk,
            "type": activity_type.pk,
            "date": "2024-03-02",
            "title": "Smyg",
            "occasions": 1,
            "state": "done",
            "status": "published",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["commitment"]
    assert not Activity.objects.filter(title="Smyg").exists()


def test_export_leaves_out_another_areas_activities(harryda_client, make_activity, molndal_data):
    make_activity()
    url = reverse("admin:activities_activity_export")
    response = harryda_client.post(url, {"format": "0", "resource": "0"})
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    assert response.status_code == 200
    assert "Fotpatrullering i Mölnlycke centrum" in text
    assert SECRET not in text
    # Naming the other area's activity as a selected item does not help.
    response = harryda_client.post(
        url, {"format": "0", "resource": "0", "export_items": [molndal_data["activity"].pk]}
    )
    assert SECRET not in response.content.decode("utf-8-sig")


def test_import_rejects_rows_for_another_areas_data(harryda_client, molndal_data, run_tasks):
    commitment = molndal_data["commitment"]
    activity = molndal_data["activity"]
    csv = (
        "ID;Åtagande;Datum;Slutdatum;Rubrik;Beskrivning;Typ;Genomförd av;Plats;"
        "Antal tillfällen;Antal nådda personer;Status\n"
        f";{commitment.title};2024-03-05;;Ny;;Fotpatrullering;;Torget;1;;Publicerad\n"
        f"{activity.pk};{commitment.title};2024-03-05;;Överskriven;;Fotpatrullering;;;1;;Publicerad\n"
    )
    upload = io.BytesIO(csv.encode("utf-8"))
    upload.name = "aktiviteter.csv"
    uploaded = harryda_client.post(
        reverse("admin:activities_activity_import"), {"format": "csv", "import_file": upload}
    )
    run_tasks()
    response = harryda_client.get(uploaded["Location"])
    assert response.status_code == 200
    problems = response.context["result"]["problems"]
    assert {p["line"] for p in problems} == {2, 3}
    # Another area's commitment is not found, and never offered as a suggestion.
    assert "finns inte bland dina åtaganden" in problems[0]["message"]
    assert not any("Menade du" in p["message"] for p in problems)
    assert response.context["job"].status == "failed"
    # Nothing of the other area shows, beyond the title the file itself gave.
    assert SECRET not in response.content.decode().replace(commitment.title, "")
    activity.refresh_from_db()
    assert activity.title == "Fotpatrullering i Kvarnbyn"
    assert not Activity.objects.filter(title="Ny").exists()


@pytest.mark.parametrize(
    ("prefix", "key", "action"),
    [
        ("activities_activity", "activity", "unpublish"),
        ("activities_activity", "activity", "delete_selected"),
        ("promises_promise", "promise", "unpublish"),
    ],
)
def test_bulk_actions_ignore_another_areas_objects(
    harryda_client, molndal_data, prefix, key, action
):
    obj = molndal_data[key]
    response = harryda_client.post(
        reverse(f"admin:{prefix}_changelist"),
        {"action": action, "_selected_action": [obj.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert SECRET not in response.content.decode()
    obj.refresh_from_db()
    assert obj.status == "published"


def test_staff_without_organisation_see_nothing(client, make_staff, molndal_data, make_activity):
    make_activity()
    client.force_login(make_staff("ny.medarbetare"))
    for prefix in MODELS.values():
        response = client.get(reverse(f"admin:{prefix}_changelist"))
        assert response.context["cl"].full_result_count == 0


def test_superuser_sees_every_area(client, django_user_model, molndal_data, make_activity):
    make_activity()
    client.force_login(django_user_model.objects.create_superuser("root", "", "x" * 16))
    response = client.get(reverse("admin:activities_activity_changelist"))
    assert response.context["cl"].full_result_count == 2
    assert SECRET in response.content.decode()


def test_police_area_staff_see_all_its_municipalities(
    client, make_staff, police_org, molndal_data, promise
):
    client.force_login(make_staff("kommunpolis", police_org, "Kommunpolis"))
    response = client.get(reverse("admin:promises_promise_changelist"))
    assert set(response.context["cl"].result_list) == set(Promise.objects.all())


def test_a_shared_promise_keeps_its_other_municipalities_in_the_form(
    rf, molndal_staff, make_promise, harryda, molndal
):
    shared = make_promise([harryda, molndal], title="Gemensamt löfte", slug="gemensamt")
    model_admin = admin.site._registry[Promise]
    request = rf.get(reverse("admin:promises_promise_change", args=[shared.pk]))
    request.user = molndal_staff
    request.resolver_match = resolve(request.path)

    form = model_admin.get_form(request, shared)(instance=shared)

    assert set(form.fields["municipalities"].queryset) == {harryda, molndal}


def test_a_new_promise_offers_only_own_municipalities(harryda_client, harryda):
    response = harryda_client.get(reverse("admin:promises_promise_add"))
    field = response.context["adminform"].form.fields["municipalities"]
    assert list(field.queryset) == [harryda]


@pytest.mark.parametrize(
    "prefix",
    [
        "promises_organisation",
        "promises_municipality",
        "promises_policearea",
        "promises_policeregion",
    ],
)
def test_reference_data_is_for_superusers(harryda_client, prefix):
    assert harryda_client.get(reverse(f"admin:{prefix}_changelist")).status_code == 403


def test_own_change_pages_open_and_offer_only_own_area(
    harryda_client, promise, commitment, make_activity
):
    activity = make_activity()
    contact = promise.contacts.get()
    for prefix, obj in [
        ("promises_promise", promise),
        ("promises_commitment", commitment),
        ("promises_contact", contact),
        ("activities_activity", activity),
    ]:
        for name in ("change", "history"):
            response = harryda_client.get(reverse(f"admin:{prefix}_{name}", args=[obj.pk]))
            assert response.status_code == 200, (prefix, name)
            assert SECRET not in response.content.decode(), (prefix, name)
