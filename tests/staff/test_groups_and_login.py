"""Staff groups, and the login's protection against guessing."""

import io

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse


def _snapshot():
    return {
        group.name: sorted(p.codename for p in group.permissions.all())
        for group in Group.objects.all()
    }


def test_setup_groups_is_idempotent(db):
    call_command("setup_groups", stdout=io.StringIO())
    first = _snapshot()
    call_command("setup_groups", stdout=io.StringIO())
    assert _snapshot() == first
    assert set(first) == {"Kommunpolis", "Kommunens samordnare", "Rapportläsare"}


def test_report_readers_may_only_view(db):
    call_command("setup_groups", stdout=io.StringIO())
    codenames = _snapshot()["Rapportläsare"]
    assert codenames and all(c.startswith("view_") for c in codenames)
    assert "add_activity" in _snapshot()["Kommunpolis"]


def test_setup_groups_restores_removed_permissions(db):
    call_command("setup_groups", stdout=io.StringIO())
    Group.objects.get(name="Kommunpolis").permissions.clear()
    call_command("setup_groups", stdout=io.StringIO())
    assert "change_activity" in _snapshot()["Kommunpolis"]


def test_login_is_locked_after_repeated_failures(client, harryda_staff, settings):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": harryda_staff.username, "password": "fel"})
        assert response.status_code == 200
    response = client.post(url, {"username": harryda_staff.username, "password": "fel"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Inloggningen är tillfälligt spärrad" in page
    assert "Försök igen om 30 minuter" in page

    # Even the right password is refused while locked.
    response = client.post(
        url, {"username": harryda_staff.username, "password": "ett-langt-losenord-2024"}
    )
    assert response.status_code == 429


def test_admin_speaks_swedish(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert "Medborgarlöften – personal" in page
    assert "Logga in" in page
