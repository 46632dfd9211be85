"""Bad values in admin addresses and filters: a 404, a 400 or the admin's own message, never a 500.

The Django test client re-raises any exception a view lets through, so a
request that would be a 500 in production fails these tests with its traceback.
"""

from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.models import Activity


@pytest.fixture
def staff_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "", "x" * 16))
    return client


def _ok(response) -> None:
    assert response.status_code < 500, response.status_code


# Regressions from the security test of the admin.


def test_a_history_address_with_a_word_for_an_id_is_not_found(staff_client, make_activity):
    make_activity()
    for name in ("history", "change", "delete"):
        url = reverse(f"admin:activities_activity_{name}", args=["abc"])
        assert staff_client.get(url).status_code in (302, 404), name
    url = reverse("admin:activities_activity_simple_history", args=["abc", "1"])
    assert staff_client.get(url).status_code == 404
    activity = Activity.objects.get()
    url = reverse("admin:activities_activity_simple_history", args=[activity.pk, "abc"])
    assert staff_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"date__year": "99999999999"},
        {"date__year": "9999", "date__month": "12", "date__day": "31"},
        {"date__year": "9999"},
        {"date__year": "0"},
        {"date__year": "2023", "date__month": "13"},
        {"date__year": "-1"},
    ],
)
def test_impossible_dates_in_the_date_hierarchy_give_the_admins_message(
    staff_client, make_activity, query
):
    make_activity()
    url = reverse("admin:activities_activity_changelist") + "?" + urlencode(query)
    response = staff_client.get(url, follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"status__exact": "\x00"},
        {"q": "patrull\x00ering"},
        {"type__id__exact": "1\x00"},
        {"\x00": "1"},
    ],
)
def test_a_nul_character_in_a_filter_is_a_bad_request(staff_client, make_activity, query):
    make_activity()
    response = staff_client.get(reverse("admin:activities_activity_changelist"), query)
    assert response.status_code == 400
    assert "otillåtna tecken" in response.content.decode()


def test_a_nul_character_in_an_autocomplete_term_is_a_bad_request(staff_client, commitment):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "activities",
            "model_name": "activity",
            "field_name": "commitment",
            "term": "\x00",
        },
    )
    assert response.status_code == 400


def test_a_nul_character_in_a_posted_field_is_a_bad_request(staff_client, make_activity):
    activity = make_activity()
    response = staff_client.post(
        reverse("admin:activities_activity_changelist"),
        {"action": "unpublish", "_selected_action": [f"{activity.pk}\x00"]},
    )
    assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED


# Property-based: any text in any filter or object address of any model admin.

# Text as people and tools send it: anything printable or not, also long.
ANY_TEXT = st.text(max_size=40) | st.sampled_from(
    ["", "0", "-1", "1.5", "99999999999999999999", "abc", "..", "%", "'", "true", "2023-13-45"]
)


def _filter_parameters(client, changelist_url: str) -> list[str]:
    """The query parameters the change list's own filters use, plus the admin's own."""
    response = client.get(changelist_url)
    cl = response.context["cl"]
    names = ["q", "o", "p", "e", "all", "_to_field", "_popup", "_changelist_filters"]
    for spec in cl.filter_specs:
        names += spec.expected_parameters()
    if cl.date_hierarchy:
        names += [f"{cl.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return sorted(set(names))


def _model_admins():
    return [
        (model._meta.app_label, model._meta.model_name)
        for model in admin.site._registry
        if model._meta.app_label in {"promises", "activities"}
    ]


@pytest.fixture
def some_data(promise, make_activity, molndal_data):
    make_activity()


@pytest.mark.parametrize(("app_label", "model_name"), _model_admins())
@pytest.mark.parametrize("who", ["staff_client", "superuser_client"])
def test_any_filter_value_on_any_change_list(request, some_data, app_label, model_name, who):
    client = request.getfixturevalue(who)
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    if client.get(url).status_code == 403:
        return  # reference data is for superusers; the superuser run covers it
    parameters = _filter_parameters(client, url)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=st.dictionaries(st.sampled_from(parameters), ANY_TEXT, min_size=1, max_size=4))
    def check(query):
        _ok(client.get(url, query))

    check()


@pytest.mark.parametrize(("app_label", "model_name"), _model_admins())
def test_any_object_id_in_any_object_address(superuser_client, some_data, app_label, model_name):
    prefix = f"admin:{app_label}_{model_name}"

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(object_id=ANY_TEXT.filter(bool), version=ANY_TEXT.filter(bool))
    def check(object_id, version):
        base = reverse(f"{prefix}_changelist")
        quoted = quote(object_id, safe="")
        for view in ("change", "delete", "history", "forhandsgranska"):
            _ok(superuser_client.get(f"{base}{quoted}/{view}/"))
        _ok(superuser_client.get(f"{base}{quoted}/history/{quote(version, safe='')}/"))
        try:
            real = reverse(f"{prefix}_history", args=[1])
        except NoReverseMatch:
            return
        _ok(superuser_client.get(f"{real}{quote(version, safe='')}/"))

    check()


@given(term=ANY_TEXT)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_autocomplete_term(staff_client, commitment, term):
    for app_label, model_name, field_name in [
        ("activities", "activity", "commitment"),
        ("promises", "commitment", "promise"),
        ("promises", "contact", "promise"),
    ]:
        _ok(
            staff_client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": app_label,
                    "model_name": model_name,
                    "field_name": field_name,
                    "term": term,
                },
            )
        )


@pytest.mark.parametrize("to_field", ["measurements", "activities", "nonexistent"])
def test_a_reverse_relation_as_to_field_is_refused_not_a_crash(superuser_client, to_field):
    # Found by the property test below: a reverse relation has no primary_key.
    url = reverse("admin:promises_district_changelist")
    response = superuser_client.get(url, {"_to_field": to_field})
    assert response.status_code == 400
