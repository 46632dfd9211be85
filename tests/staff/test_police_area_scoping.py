"""Two police areas in one city: each officer reaches only what their own area gives.

Göteborg is split over several police areas. Storgöteborg nordost gives the
promise for Angered, Storgöteborg Hisingen the one for Norra Hisingen. Every
title of Angered's data contains ”Lövgärdet” and every title of Norra
Hisingen's ”Skogome”; an officer of the other area must never see that word,
gets a 404 (or 403) on every direct address, and changes nothing. The city's
own staff reach both.
"""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from activities.models import Activity
from promises.models import (
    Commitment,
    Contact,
    District,
    FollowUp,
    Municipality,
    Organisation,
    PoliceArea,
    Promise,
)

SECRETS = {"angered": "Lövgärdet", "hisingen": "Skogome"}
OTHER = {"angered": "hisingen", "hisingen": "angered"}

ADMIN = {
    "promise": "promises_promise",
    "commitment": "promises_commitment",
    "contact": "promises_contact",
    "follow_up": "promises_followup",
    "activity": "activities_activity",
}

AUTOCOMPLETE = [
    ("activities", "activity", "commitment"),
    ("promises", "commitment", "promise"),
    ("promises", "contact", "promise"),
    ("promises", "followup", "promise"),
    ("promises", "promise", "renews"),
]


@pytest.fixture
def goteborg(db):
    return Municipality.objects.create(name="Göteborg", slug="goteborg", code="1480")


@pytest.fixture
def city_org(goteborg):
    return Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY, name="Göteborgs Stad", municipality=goteborg
    )


def _area_data(make_promise, goteborg, region, activity_type, *, key, area_name, district_name):
    secret = SECRETS[key]
    district = District.objects.create(
        municipality=goteborg, name=district_name, slug=district_name.lower().replace(" ", "-")
    )
    police_area = PoliceArea.objects.create(
        name=area_name, slug=area_name.lower().replace(" ", "-").replace("ö", "o"), region=region
    )
    police_area.districts.add(district)
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.POLICE_AREA, name=f"LPO {area_name}", police_area=police_area
    )
    promise = make_promise(
        [goteborg],
        title=f"Trygghet i {secret}",
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
        police_areas=[police_area],
        districts=[district],
        status=Promise.Status.DRAFT,
    )
    commitment = Commitment.objects.create(
        promise=promise, position=1, title=f"Fotpatrullering i {secret}"
    )
    contact = Contact.objects.create(promise=promise, name=f"Kommunpolisen i {secret}")
    follow_up = FollowUp.objects.create(
        promise=promise,
        title=f"Uppföljning {secret}",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
    )
    activity = Activity.objects.create(
        commitment=commitment,
        type=activity_type,
        date=date(2026, 3, 1),
        title=f"Trygghetsvandring i {secret}",
        place=secret,
    )
    activity.organisations.add(organisation)
    return {
        "area": police_area,
        "district": district,
        "organisation": organisation,
        "promise": promise,
        "commitment": commitment,
        "contact": contact,
        "follow_up": follow_up,
        "activity": activity,
    }


@pytest.fixture
def areas(make_promise, goteborg, area, activity_type):
    return {
        "angered": _area_data(
            make_promise,
            goteborg,
            area.region,
            activity_type,
            key="angered",
            area_name="Storgöteborg nordost",
            district_name="Angered",
        ),
        "hisingen": _area_data(
            make_promise,
            goteborg,
            area.region,
            activity_type,
            key="hisingen",
            area_name="Storgöteborg Hisingen",
            district_name="Norra Hisingen",
        ),
    }


@pytest.fixture
def officers(make_staff, areas):
    return {
        key: make_staff(f"kommunpolis.{key}", data["organisation"], "Kommunpolis")
        for key, data in areas.items()
    }


def _view_on_site(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def _direct_urls(data) -> list[str]:
    urls = []
    for key, prefix in ADMIN.items():
        obj = data[key]
        version = obj.history.latest().history_id
        urls += [
            reverse(f"admin:{prefix}_change", args=[obj.pk]),
            reverse(f"admin:{prefix}_delete", args=[obj.pk]),
            reverse(f"admin:{prefix}_history", args=[obj.pk]),
            reverse(f"admin:{prefix}_simple_history", args=[obj.pk, version]),
        ]
        if key != "contact" and key != "follow_up":
            urls.append(_view_on_site(obj))
    urls += [
        reverse("public:promise-preview", args=[data["promise"].pk]),
        reverse("public:activity-preview", args=[data["activity"].pk]),
        reverse("admin:promises_promise_preview", args=[data["promise"].pk]),
    ]
    return urls


def _snapshot() -> dict:
    tables = {}
    for model in (Promise, Commitment, Contact, FollowUp, Activity):
        for manager in (model.objects, model.history):
            tables[manager.model._meta.label] = list(manager.order_by("pk").values())
    for name in ("municipalities", "districts", "police_areas"):
        through = getattr(Promise, name).through
        tables[name] = list(through.objects.order_by("pk").values())
    return tables


@pytest.mark.parametrize("key", ["angered", "hisingen"])
def test_own_objects_open_on_every_admin_url(client, areas, officers, key):
    client.force_login(officers[key])
    for url in _direct_urls(areas[key]):
        if "/delete/" in url:
            continue  # Kommunpolis may not delete promises; their area is still theirs.
        response = client.get(url)
        assert response.status_code in (200, 302), url
        if response.status_code == 302:
            assert client.get(response["Location"]).status_code == 200, url


@pytest.mark.parametrize("key", ["angered", "hisingen"])
def test_the_other_areas_direct_urls_are_not_found(client, areas, officers, key):
    client.force_login(officers[key])
    secret = SECRETS[OTHER[key]]
    for url in _direct_urls(areas[OTHER[key]]):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert secret not in response.content.decode(), url
        assert secret not in response.get("Location", ""), url


@pytest.mark.parametrize("key", ["angered", "hisingen"])
def test_posting_to_the_other_areas_objects_changes_nothing(client, areas, officers, key):
    client.force_login(officers[key])
    other = areas[OTHER[key]]
    before = _snapshot()
    for url in _direct_urls(other):
        response = client.post(url, {"post": "yes", "title": "Ändrad", "name": "Ändrad"})
        # The previews and "view on site" answer GET only, or not at all.
        assert response.status_code in (403, 404, 405), url
    for prefix_key, action in [
        ("promise", "publish"),
        ("promise", "renew_for_next_period"),
        ("follow_up", "publish"),
        ("activity", "unpublish"),
        ("activity", "delete_selected"),
        ("contact", "delete_selected"),
    ]:
        client.post(
            reverse(f"admin:{ADMIN[prefix_key]}_changelist"),
            {
                "action": action,
                "_selected_action": [other[prefix_key].pk],
                "index": 0,
                "post": "yes",
            },
        )
    assert _snapshot() == before


@pytest.mark.parametrize("key", ["angered", "hisingen"])
def test_changelists_and_searches_show_only_the_own_area(client, areas, officers, key):
    client.force_login(officers[key])
    own, secret = SECRETS[key], SECRETS[OTHER[key]]
    for prefix in ADMIN.values():
        url = reverse(f"admin:{prefix}_changelist")
        # A search for part of the other area's word (the whole word would be echoed back).
        for query in ("", "?q=Trygghet", f"?q={secret[:4]}", "?q=Göteborg", "?q=Angered", "?all="):
            response = client.get(url + query)
            assert response.status_code == 200, url + query
            assert secret not in response.content.decode(), url + query
        response = client.get(url)
        assert response.context["cl"].full_result_count == 1, prefix
        assert own in response.content.decode(), prefix


@pytest.mark.parametrize("key", ["angered", "hisingen"])
@pytest.mark.parametrize(("app_label", "model_name", "field_name"), AUTOCOMPLETE)
def test_autocomplete_offers_only_the_own_area(
    client, areas, officers, key, app_label, model_name, field_name
):
    client.force_login(officers[key])
    secret = SECRETS[OTHER[key]]
    for term in ("", secret[:4], "Trygghet", "Fotpatrullering", "Uppföljning"):
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
            },
        )
        assert response.status_code == 200
        texts = [result["text"] for result in response.json()["results"]]
        assert not any(secret in text for text in texts), term
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name},
    )
    assert [SECRETS[key] in result["text"] for result in response.json()["results"]] == [True]


@pytest.mark.parametrize("key", ["angered", "hisingen"])
def test_querysets_give_each_officer_only_the_own_area(areas, officers, key):
    officer, own, other = officers[key], areas[key], areas[OTHER[key]]
    assert list(Promise.objects.for_user(officer)) == [own["promise"]]
    assert list(Commitment.objects.for_user(officer)) == [own["commitment"]]
    assert list(Contact.objects.for_user(officer)) == [own["contact"]]
    assert list(FollowUp.objects.for_user(officer)) == [own["follow_up"]]
    assert list(Activity.objects.for_user(officer)) == [own["activity"]]
    assert other["promise"] not in Promise.objects.for_user(officer)


def test_the_citys_own_staff_reach_both_areas_promises(client, make_staff, areas, city_org):
    coordinator = make_staff("samordnare.goteborg", city_org, "Kommunens samordnare")

    assert set(Promise.objects.for_user(coordinator)) == {
        areas["angered"]["promise"],
        areas["hisingen"]["promise"],
    }
    client.force_login(coordinator)
    listing = client.get(reverse("admin:promises_promise_changelist")).content.decode()
    assert SECRETS["angered"] in listing and SECRETS["hisingen"] in listing
    for data in areas.values():
        for key, prefix in ADMIN.items():
            url = reverse(f"admin:{prefix}_change", args=[data[key].pk])
            assert client.get(url).status_code == 200, url


def test_an_officer_reaches_a_promise_their_area_gives_elsewhere_too(
    client, make_promise, areas, officers, goteborg, harryda, area
):
    """A promise given together with another area, for places outside the officer's own."""
    angered = areas["angered"]
    shared = make_promise(
        [goteborg, harryda],
        title="Gemensamt löfte om trygga stråk",
        slug="trygga-straak",
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
        police_areas=[angered["area"], area],
        districts=[angered["district"]],
        status=Promise.Status.DRAFT,
    )

    assert shared in Promise.objects.for_user(officers["angered"])
    assert shared not in Promise.objects.for_user(officers["hisingen"])
    client.force_login(officers["angered"])
    url = reverse("admin:promises_promise_change", args=[shared.pk])
    response = client.get(url)
    assert response.status_code == 200
    # Härryda stays on the promise in the form, though it is outside the officer's area.
    field = response.context["adminform"].form.fields["municipalities"]
    assert harryda in field.queryset
    client.force_login(officers["hisingen"])
    assert client.get(url).status_code == 404
