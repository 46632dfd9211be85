"""The read-only group ("Rapportläsare") tries every admin address that writes.

Each request is first sent by an editor of the same area, to show that it does
write; the same request from a report reader must be refused and leave every
table, history included, exactly as it was.
"""

from datetime import date

import pytest
from django.urls import reverse

from activities.models import Activity
from promises.models import Commitment, Contact, Promise

MODELS = [Promise, Commitment, Contact, Activity]

ADMIN = {
    "promise": "promises_promise",
    "commitment": "promises_commitment",
    "contact": "promises_contact",
    "activity": "activities_activity",
}


def _snapshot() -> dict:
    """Every row of the staff-editable tables and of their history."""
    tables = {}
    for model in MODELS:
        for manager in (model.objects, model.history):
            tables[manager.model._meta.label] = list(manager.order_by("pk").values())
    tables["activity organisations"] = list(
        Activity.organisations.through.objects.order_by("pk").values()
    )
    tables["promise municipalities"] = list(
        Promise.municipalities.through.objects.order_by("pk").values()
    )
    return tables


def _value(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    return str(getattr(value, "pk", value))


def _form_fields(form, data: dict) -> None:
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if field.widget.input_type == "checkbox" if hasattr(field.widget, "input_type") else False:
            if value:
                data[key] = "on"
            continue
        if field.__class__.__name__ == "FileField" or hasattr(value, "url"):
            continue
        if hasattr(value, "__iter__") and not isinstance(value, str):
            data[key] = [_value(v) for v in value]
        else:
            data[key] = _value(value)


def form_data(response) -> dict:
    """The POST data of an admin form page as the browser would send it unchanged."""
    data: dict = {}
    _form_fields(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _form_fields(formset.management_form, data)
        for form in formset.forms:
            _form_fields(form, data)
    return data


@pytest.fixture
def own_area(make_promise, harryda, harryda_org, activity_type):
    """A draft promise of the readers' own area, with one of everything."""
    draft = make_promise(
        [harryda],
        title="Utkast till löfte",
        slug="utkast",
        start=date(2024, 6, 1),
        end=date(2026, 5, 31),
        status=Promise.Status.DRAFT,
    )
    commitment = Commitment.objects.create(promise=draft, position=1, title="Utkastets åtagande")
    contact = Contact.objects.create(promise=draft, name="Kommunpolisen")
    activity = Activity.objects.create(
        commitment=commitment,
        type=activity_type,
        date=date(2024, 7, 1),
        title="Utkastets aktivitet",
        status=Activity.Status.DRAFT,
    )
    activity.organisations.add(harryda_org)
    # A second version of each, so that there is an earlier one to restore.
    for obj in (draft, commitment, contact, activity):
        obj.save()
    return {"promise": draft, "commitment": commitment, "contact": contact, "activity": activity}


@pytest.fixture
def reader(make_staff, harryda_org):
    return make_staff("rapport.harryda", harryda_org, "Rapportläsare")


@pytest.fixture
def editor(harryda_staff):
    return harryda_staff


def _as(client, user):
    client.force_login(user)
    return client


def _changed_title(data: dict, key: str) -> dict:
    field = "name" if key == "contact" else "title"
    changed = {**data, field: "Ändrad av läsaren"}
    if "status" in data:
        changed["status"] = "published"
    return changed


def _refused(client, url, data) -> None:
    before = _snapshot()
    response = client.post(url, data)
    # 403, or the list again (200, or a redirect to it) when no action applies.
    assert response.status_code in (200, 302, 403), (url, response.status_code)
    assert _snapshot() == before, url


def _written(client, url, data) -> None:
    before = _snapshot()
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.status_code)
    assert _snapshot() != before, url


@pytest.mark.parametrize("key", ADMIN)
def test_reader_cannot_save_a_change_form(client, own_area, reader, editor, key):
    obj, prefix = own_area[key], ADMIN[key]
    url = reverse(f"admin:{prefix}_change", args=[obj.pk])
    data = _changed_title(form_data(_as(client, editor).get(url)), key)

    _refused(_as(client, reader), url, data)
    _written(_as(client, editor), url, data)


@pytest.mark.parametrize("key", ADMIN)
def test_reader_cannot_restore_or_edit_through_the_history_page(
    client, own_area, reader, editor, key
):
    obj, prefix = own_area[key], ADMIN[key]
    version = obj.history.earliest()
    url = reverse(f"admin:{prefix}_simple_history", args=[obj.pk, version.history_id])
    data = _changed_title(form_data(_as(client, editor).get(url)), key)

    reader_client = _as(client, reader)
    page = reader_client.get(url)
    assert page.status_code == 200
    assert "Återställ den här versionen" not in page.content.decode()
    before = _snapshot()
    assert reader_client.post(url, data).status_code == 403
    assert reader_client.post(url, {**data, "_change_history": "1"}).status_code == 403
    assert _snapshot() == before

    _written(_as(client, editor), url, data)


@pytest.mark.parametrize("key", ADMIN)
def test_reader_cannot_add(client, own_area, reader, editor, key):
    prefix = ADMIN[key]
    url = reverse(f"admin:{prefix}_add")
    assert _as(client, reader).get(url).status_code == 403
    change_url = reverse(f"admin:{prefix}_change", args=[own_area[key].pk])
    data = _changed_title(form_data(_as(client, editor).get(change_url)), key)
    data = {k: v for k, v in data.items() if k not in ("slug", "id")}

    _refused(_as(client, reader), url, data)


@pytest.mark.parametrize("key", ADMIN)
def test_reader_cannot_delete(client, own_area, reader, key):
    obj, prefix = own_area[key], ADMIN[key]
    url = reverse(f"admin:{prefix}_delete", args=[obj.pk])
    assert _as(client, reader).get(url).status_code == 403
    _refused(client, url, {"post": "yes"})


@pytest.mark.parametrize(
    ("key", "action", "editor_may"),
    [
        ("promise", "publish", True),
        ("promise", "unpublish", True),
        ("promise", "delete_selected", False),
        ("commitment", "delete_selected", False),
        ("contact", "delete_selected", True),
        ("activity", "publish", True),
        ("activity", "unpublish", True),
        ("activity", "delete_selected", True),
    ],
)
def test_reader_cannot_use_bulk_actions(client, own_area, reader, editor, key, action, editor_may):
    obj, prefix = own_area[key], ADMIN[key]
    if action == "unpublish":
        type(obj).objects.filter(pk=obj.pk).update(status="published")
    url = reverse(f"admin:{prefix}_changelist")
    data = {"action": action, "_selected_action": [obj.pk], "post": "yes", "index": 0}

    _refused(_as(client, reader), url, data)
    if editor_may:
        _written(_as(client, editor), url, data)


def test_reader_cannot_change_inlines_through_the_promise(client, own_area, reader, editor):
    promise = own_area["promise"]
    url = reverse("admin:promises_promise_change", args=[promise.pk])
    data = form_data(_as(client, editor).get(url))
    data["commitments-0-title"] = "Ändrat i raden"
    data["contacts-0-name"] = "Ändrad kontakt"

    _refused(_as(client, reader), url, data)
    _written(_as(client, editor), url, data)


def test_reader_cannot_import(client, own_area, reader):
    url = reverse("admin:activities_activity_import")
    reader_client = _as(client, reader)
    assert reader_client.get(url).status_code == 403
    _refused(reader_client, url, {"format": "0", "resource": "0"})
