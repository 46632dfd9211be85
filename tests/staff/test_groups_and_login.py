"""Staff groups, and the login's protection against guessing."""

import io

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
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


def test_staff_session_ends_with_the_browser_and_within_a_working_day(client, harryda_staff):
    response = client.post(
        reverse("admin:login"),
        {"username": harryda_staff.username, "password": "ett-langt-losenord-2024"},
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]
    assert client.session.get_expiry_age() <= 8 * 60 * 60


def test_weak_passwords_are_refused_in_swedish(harryda_staff):
    with pytest.raises(ValidationError) as error:
        validate_password("abc123", user=harryda_staff)
    assert any("för kort" in message for message in error.value.messages)


@pytest.mark.parametrize(
    ("proxy_count", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_lockout_address_comes_from_x_forwarded_for_only_behind_configured_proxies(
    rf, settings, proxy_count, forwarded, expected
):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = proxy_count
    request = rf.post(
        reverse("admin:login"), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert get_client_ip_address(request) == expected


def test_behind_a_proxy_failures_lock_the_username_out_only_for_their_own_address(
    client, harryda_staff, settings
):
    """An attacker who knows a username cannot lock its owner out from everywhere."""
    from django.test import Client

    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("admin:login")
    proxy = "10.0.0.5"
    wrong = {"username": harryda_staff.username, "password": "fel"}
    right = {"username": harryda_staff.username, "password": "ett-langt-losenord-2024"}
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # The attacker makes up the left part of X-Forwarded-For; the proxy
        # appends the address it really saw.
        forwarded = f"192.0.2.{attempt}, 203.0.113.66"
        client.post(url, wrong, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)
    response = client.post(url, right, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert response.status_code == 429

    # The owner, through the same proxy from another address, still gets in.
    owner = Client()
    response = owner.post(url, right, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert response.status_code == 302
    assert owner.get(reverse("admin:index")).status_code == 200


def test_setup_groups_speaks_through_gettext(db, monkeypatch):
    from django.utils.functional import Promise

    from staff.management.commands import setup_groups

    assert isinstance(setup_groups.Command.help, Promise)
    monkeypatch.setattr(setup_groups, "gettext", lambda text: f"«{text}»")
    out = io.StringIO()
    call_command("setup_groups", stdout=out)
    assert "«Grupp Kommunpolis skapad med 40 behörigheter.»" in out.getvalue()
    out = io.StringIO()
    call_command("setup_groups", stdout=out)
    assert "«Grupp Kommunpolis uppdaterad med 40 behörigheter.»" in out.getvalue()
