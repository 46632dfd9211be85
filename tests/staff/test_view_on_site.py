""" "View on site" (/admin/r/<content type>/<id>/): only one's own area, drafts to the preview."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from activities.models import Activity
from promises.models import Commitment, Promise


def _view_on_site(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.fixture
def harryda_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


@pytest.mark.parametrize("key", ["promise", "commitment", "activity"])
def test_another_areas_draft_is_not_found(harryda_client, molndal_data, key):
    molndal_data["promise"].status = Promise.Status.DRAFT
    molndal_data["promise"].save()
    response = harryda_client.get(_view_on_site(molndal_data[key]))
    assert response.status_code == 404
    assert molndal_data["promise"].slug not in response.get("Location", "")
    assert "Kvarnbyn" not in response.content.decode()


@pytest.mark.parametrize("key", ["promise", "commitment", "activity"])
def test_another_areas_published_object_is_not_found_either(harryda_client, molndal_data, key):
    assert harryda_client.get(_view_on_site(molndal_data[key])).status_code == 404


def test_own_published_objects_go_to_their_public_pages(harryda_client, promise, make_activity):
    activity = make_activity()
    commitment = activity.commitment
    for obj in (promise, commitment, activity):
        response = harryda_client.get(_view_on_site(obj))
        assert response.status_code == 302
        assert response["Location"] == obj.get_absolute_url()
        assert harryda_client.get(response["Location"]).status_code == 200


def test_own_drafts_go_to_the_staff_preview(harryda_client, promise, make_activity):
    draft_activity = make_activity(status=Activity.Status.DRAFT)
    response = harryda_client.get(_view_on_site(draft_activity))
    assert response["Location"] == reverse("public:activity-preview", args=[draft_activity.pk])
    assert harryda_client.get(response["Location"]).status_code == 200

    promise.status = Promise.Status.DRAFT
    promise.save()
    preview = reverse("public:promise-preview", args=[promise.pk])
    commitment = Commitment.objects.get(pk=draft_activity.commitment_id)
    for obj in (promise, commitment):
        assert harryda_client.get(_view_on_site(obj))["Location"] == preview


def test_a_municipality_always_has_its_public_page(client, django_user_model, promise):
    client.force_login(django_user_model.objects.create_superuser("root", "", "x" * 16))
    municipality = promise.municipalities.get()
    assert client.get(_view_on_site(municipality))["Location"] == municipality.get_absolute_url()
    # With no published promise the page says so plainly.
    promise.status = Promise.Status.DRAFT
    promise.save()
    assert client.get(_view_on_site(municipality))["Location"] == municipality.get_absolute_url()


@pytest.mark.parametrize("object_id", ["abc", "0", "99999999999999999999", "1.5", "%2E%2E"])
def test_bad_addresses_are_not_found(harryda_client, promise, object_id):
    content_type = ContentType.objects.get_for_model(promise)
    assert harryda_client.get(f"/admin/r/{content_type.pk}/{object_id}/").status_code == 404
    assert harryda_client.get(f"/admin/r/x/{promise.pk}/").status_code == 404
    assert harryda_client.get(f"/admin/r/999999/{promise.pk}/").status_code == 404
