"""Production's security settings: Django's deploy check, HTTPS and the headers."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]

# Only what any process needs from the tests' environment, which sets things
# production never would (SECURE_SSL_REDIRECT off, DJANGO_ALLOW_ASYNC_UNSAFE
# for the browser tests).
_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def _production_env(**extra: str) -> dict[str, str]:
    env = {key: os.environ[key] for key in _KEPT if key in os.environ}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="medborgarlofte.example.se",
        FEEDBACK_EMAIL="tillganglighet@example.se",
        SITE_URL="https://medborgarlofte.example.se",
        EMAIL_HOST="smtp.example.se",
        **extra,
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "extra",
    [
        {},
        # Behind a proxy that redirects to HTTPS by itself.
        {"SECURE_SSL_REDIRECT": "false"},
        {"SECURE_HSTS_PRELOAD": "true"},
        # Several app servers sharing Redis.
        {"REDIS_URL": "redis://127.0.0.1:6379/5"},
    ],
    ids=["defaults", "redirect-by-proxy", "hsts-preload", "redis"],
)
def test_deploy_check_finds_nothing_in_production(extra):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(**extra)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _production_settings(**extra: str) -> dict:
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({name: getattr(s, name) for name in ("
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_HSTS_PRELOAD', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SESSION_ENGINE', 'STORAGES', 'CACHES')}))"
    )
    env = _production_env(DJANGO_SETTINGS_MODULE="medborgarlofte.settings", **extra)
    result = _run(["-c", script], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_redirects_to_https_and_asks_for_it_for_a_year():
    production = _production_settings()
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is False
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    # Static files by WhiteNoise under hashed, compressed names.
    assert (
        production["STORAGES"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_the_redirect_and_preload_are_the_site_owners_choice():
    production = _production_settings(SECURE_SSL_REDIRECT="false", SECURE_HSTS_PRELOAD="true")
    assert production["SECURE_SSL_REDIRECT"] is False
    assert production["SECURE_HSTS_PRELOAD"] is True


def test_pages_send_the_security_headers(client, db):
    response = client.get(reverse("public:about"), secure=True)
    assert response.status_code == 200
    policy = {
        item.strip().partition("=")[0]: item.strip().partition("=")[2]
        for item in response["Permissions-Policy"].split(",")
    }
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert policy[feature] == "()"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("public:about"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/om-webbplatsen/"
    # No HSTS over plain HTTP: browsers ignore it there.
    assert "Strict-Transport-Security" not in response
