"""A kommunpolis logs an activity in the admin and residents see it on the public page."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity


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


def _officer(django_user_model, police_org):
    user = django_user_model.objects.create_user(
        "kommunpolis", password="ett-langt-losenord-2024", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=[
                "view_activity",
                "add_activity",
                "change_activity",
                "view_commitment",
                # Without it a new activity is a draft (tests/staff/test_admin_polish.py).
                "publish_at_once",
            ]
        )
    )
    police_org.members.add(user)
    return user


def test_officer_logs_activity_in_admin_and_it_is_public(
    client, django_user_model, police_org, commitment, activity_type
):
    officer = _officer(django_user_model, police_org)
    client.force_login(officer)
    add_url = reverse("admin:activities_activity_add")
    form = client.get(add_url)
    assert form.status_code == 200
    assert "Lägg till aktivitet" in form.content.decode()

    response = client.post(
        add_url,
        {
            "commitment": commitment.pk,
            "date": (timezone.localdate() - timedelta(days=5)).isoformat(),
            "title": "Fotpatrullering vid Mölnlycke station",
            "description": "Tolv pass under april.",
            "type": activity_type.pk,
            "organisations": [police_org.pk],
            "place": "Mölnlycke station",
            "occasions": "12",
            "people_reached": "",
            "internal_note": "Hemlig intern anteckning",
            "state": "done",
            "status": Activity.Status.PUBLISHED,
        },
        follow=True,
    )
    assert response.status_code == 200
    activity = Activity.objects.get(title="Fotpatrullering vid Mölnlycke station")
    assert activity.created_by == officer
    assert activity.updated_by == officer
    assert activity.occasions == 12
    assert list(activity.organisations.all()) == [police_org]

    client.logout()
    public = client.get(commitment.get_absolute_url())
    body = public.content.decode()
    assert "Fotpatrullering vid Mölnlycke station" in body
    assert "Hemlig intern anteckning" not in body


def test_admin_refuses_date_outside_period_with_swedish_message(
    client, django_user_model, police_org, commitment, activity_type
):
    client.force_login(_officer(django_user_model, police_org))
    response = client.post(
        reverse("admin:activities_activity_add"),
        {
            "commitment": commitment.pk,
            "date": "2000-01-01",
            "title": "För tidigt",
            "type": activity_type.pk,
            "occasions": "1",
            "state": "done",
            "status": Activity.Status.PUBLISHED,
        },
    )
    assert response.status_code == 200
    assert "ligger utanför medborgarlöftets period" in response.content.decode()
    assert not Activity.objects.filter(title="För tidigt").exists()
