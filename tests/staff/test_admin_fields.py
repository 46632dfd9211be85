"""Every public field is editable in the admin.

For every model of the promises and activities apps that staff edit in the
admin (registered, or edited through another admin's inline), every editable
model field is in a fieldset of the add or change form, or is listed below as
deliberately left out, with the reason. The list cannot go stale: a listed
field must exist and must really not be editable in the admin.
"""

from collections import defaultdict

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.test import RequestFactory
from django.urls import resolve, reverse

APPS = {"promises", "activities"}

# "app_label.Model": {"field": "why it is not edited in the admin"}. A field shown
# on the public site does not belong here: staff must be able to correct it.
DELIBERATELY_LEFT_OUT: dict[str, dict[str, str]] = {
    "activities.Activity": {
        "created_by": "Bookkeeping: set to the user who logs the activity (ActivityAdmin."
        "save_model, or the import); shown read-only under ”Ändringar”, never public.",
        "updated_by": "Bookkeeping: set to the user who last changed the activity; shown "
        "read-only under ”Ändringar”, never public.",
        "series": "Set when a recurring activity creates its planned occurrences "
        "(activities.recurring.create_series); never public, never changed by hand.",
    },
    "activities.ActivitySeries": {
        name: "Read only: a recurring activity is made with its planned occurrences on "
        "the staff page /personal/aterkommande/ (activities.recurring.create_series), and "
        "each occurrence is an activity edited on its own; changing the series would change "
        "none of them."
        for name in [
            "commitment",
            "type",
            "title",
            "description",
            "place",
            "weekdays",
            "start_time",
            "end_time",
            "first_date",
            "last_date",
            "organisations",
            "created_by",
        ]
    },
    "promises.FollowUp": {
        "published_on": "Bookkeeping: set by FollowUp.save() the first time the follow-up "
        "is published; shown read-only under ”Ändringar” and not on the public site.",
    },
}


def _request(superuser, url):
    request = RequestFactory().get(url)
    request.user = superuser
    request.resolver_match = resolve(url)
    return request


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _editable(admin_obj, request, obj, fieldsets) -> set[str]:
    readonly = set(admin_obj.get_readonly_fields(request, obj))
    return set(flatten_fieldsets(fieldsets)) - readonly


def _model_fields(model) -> set[str]:
    """The fields a form can edit: concrete editable fields and many-to-many fields."""
    names = set()
    for field in model._meta.get_fields():
        if field.auto_created or not (field.concrete or field.many_to_many):
            continue  # reverse relations and the automatic primary key
        if not field.editable:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        names.add(field.name)
    return names


def _shown_in_admin(superuser) -> dict[str, set[str]]:
    """Per model, the fields that the admin's add and change forms let staff edit."""
    shown = defaultdict(set)
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        views = [
            (reverse("admin:{}_{}_add".format(*info)), None),
            (reverse("admin:{}_{}_change".format(*info), args=[1]), model(pk=1)),
        ]
        for url, obj in views:
            request = _request(superuser, url)
            if model._meta.app_label in APPS:
                fieldsets = model_admin.get_fieldsets(request, obj)
                shown[_label(model)] |= _editable(model_admin, request, obj, fieldsets)
            for inline in model_admin.get_inline_instances(request, obj):
                if inline.model._meta.app_label not in APPS:
                    continue
                fieldsets = inline.get_fieldsets(request, obj)
                fields = _editable(inline, request, obj, fieldsets)
                # The key to the parent is set by the inline itself.
                fk = inline.fk_name or next(
                    f.name
                    for f in inline.model._meta.fields
                    if f.is_relation and f.related_model is model
                )
                shown[_label(inline.model)] |= fields | {fk}
    return shown


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="ett-langt-losenord-2024")


@pytest.fixture
def shown(superuser):
    return _shown_in_admin(superuser)


def _edited_models(shown):
    return [apps.get_model(label) for label in shown]


@pytest.mark.django_db
def test_every_field_is_in_a_fieldset_or_deliberately_left_out(shown):
    missing = {}
    for model in _edited_models(shown):
        label = _label(model)
        left_out = set(DELIBERATELY_LEFT_OUT.get(label, {}))
        not_shown = _model_fields(model) - shown[label] - left_out
        if not_shown:
            missing[label] = sorted(not_shown)
    assert missing == {}, "Fields neither in a fieldset nor deliberately left out"


@pytest.mark.django_db
def test_the_list_of_left_out_fields_is_not_stale(shown):
    stale = {}
    for label, fields in DELIBERATELY_LEFT_OUT.items():
        assert label in shown, f"{label} is not edited in the admin at all"
        model = apps.get_model(label)
        for name, reason in fields.items():
            assert reason.strip(), f"{label}.{name}: give the reason"
            if name not in _model_fields(model):
                stale[f"{label}.{name}"] = "no such editable field"
            elif name in shown[label]:
                stale[f"{label}.{name}"] = "is editable in the admin after all"
    assert stale == {}


@pytest.mark.django_db
def test_every_model_of_the_apps_is_edited_in_the_admin(shown):
    models = {
        _label(model)
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        # Summary tables are made from the activities, never edited.
        and not getattr(model, "DERIVED", False)
    }
    assert models - set(shown) == set()
