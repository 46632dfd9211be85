"""Draft and published; staff previews; the internal note never leaves the admin."""

import pytest
from django.urls import reverse

from activities.models import Activity
from promises.models import Promise

NOTE = "Intern: ring fältgruppen"


@pytest.fixture
def staff_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


def _public_urls(promise, activity):
    municipality = promise.primary_municipality
    return [
        "/",
        municipality.get_absolute_url(),
        promise.get_absolute_url(),
        activity.commitment.get_absolute_url(),
        reverse(
            "public:activity-list",
            kwargs={"municipality": municipality.slug, "promise": promise.slug},
        ),
        activity.get_absolute_url(),
    ]


def test_internal_note_is_absent_from_every_public_page(client, promise, make_activity):
    activity = make_activity(internal_note=NOTE)
    assert Activity.objects.public().filter(pk=activity.pk).exists()
    for url in _public_urls(promise, activity):
        response = client.get(url)
        assert response.status_code == 200, url
        assert NOTE not in response.content.decode(), url


def test_unpublishing_removes_an_activity_from_public_pages(
    staff_client, client, promise, make_activity, django_capture_on_commit_callbacks
):
    activity = make_activity(title="Snart avpublicerad")
    url = activity.get_absolute_url()
    assert client.get(url).status_code == 200
    # Committed, as the request's transaction would be: the cached pages go.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:activities_activity_changelist"),
            {"action": "unpublish", "_selected_action": [activity.pk]},
        )
    client.logout()
    assert client.get(url).status_code == 404
    assert "Snart avpublicerad" not in client.get(promise.get_absolute_url()).content.decode()


def test_publish_action_reports_rule_violations(staff_client, make_promise, harryda, promise):
    overlapping = make_promise(
        [harryda], title="Överlappar", slug="annan", status=Promise.Status.DRAFT
    )
    response = staff_client.post(
        reverse("admin:promises_promise_changelist"),
        {"action": "publish", "_selected_action": [overlapping.pk]},
        follow=True,
    )
    overlapping.refresh_from_db()
    assert overlapping.status == Promise.Status.DRAFT
    assert "överlappar" in response.content.decode().lower()


def test_staff_preview_shows_a_draft_as_the_public_would(staff_client, make_activity):
    activity = make_activity(
        title="Utkast om trygghetsvandring", status=Activity.Status.DRAFT, internal_note=NOTE
    )
    response = staff_client.get(reverse("public:activity-preview", args=[activity.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Utkast om trygghetsvandring" in page
    assert "Förhandsgranskning för personal" in page
    assert "inte publicerat" in page
    assert NOTE not in page
    assert "no-store" in response["Cache-Control"]


def test_staff_preview_of_a_draft_promise(staff_client, promise, make_activity):
    promise.status = Promise.Status.DRAFT
    promise.save()
    make_activity(title="Syns i förhandsgranskningen")
    make_activity(title="Utkastaktivitet", status=Activity.Status.DRAFT)
    response = staff_client.get(reverse("public:promise-preview", args=[promise.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert promise.title in page
    assert "Syns i förhandsgranskningen" in page
    assert "Utkastaktivitet" not in page


def test_preview_needs_a_staff_login(client, make_activity):
    activity = make_activity(status=Activity.Status.DRAFT)
    response = client.get(reverse("public:activity-preview", args=[activity.pk]))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_internal_note_is_editable_in_the_admin(staff_client, make_activity):
    activity = make_activity(internal_note=NOTE)
    page = staff_client.get(reverse("admin:activities_activity_change", args=[activity.pk]))
    assert NOTE in page.content.decode()
