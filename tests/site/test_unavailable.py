"""Error pages: 503 with Retry-After while the database is unreachable, and a
500 that never shows a stack trace or a setting."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.site.conftest import redis_cache

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.site.urls"


@pytest.fixture
def quiet_client():
    # As a browser sees it: the error page, not the exception.
    return Client(raise_request_exception=False)


class ReadsUserMiddleware:
    """Looks the user up before the view, as a middleware reading request.user does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user.is_authenticated  # noqa: B018 - the lookup is the point
        return self.get_response(request)


def _assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert "Webbplatsen är tillfälligt otillgänglig" in page
    assert 'href="#main"' in page and '<main id="main"' in page
    for leak in ("Traceback", "OperationalError", "onnection refused"):
        assert leak not in page


def test_a_failing_view_gets_the_500_page_without_a_trace(quiet_client, failing_urls):
    assert not django_settings.DEBUG
    response = quiet_client.get("/test-fel/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Något gick fel" in page
    for leak in ("Traceback", "RuntimeError", "hemlig detalj", "SECRET_KEY", "settings"):
        assert leak not in page


def test_a_database_error_in_a_view_gets_the_503_page(quiet_client, failing_urls):
    _assert_unavailable_page(quiet_client.get("/test-databasfel/"))


def test_an_unreachable_redis_gets_the_503_page(quiet_client, failing_urls, settings):
    # Nothing listens on port 1: the connection is refused at once.
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")
    _assert_unavailable_page(quiet_client.get("/test-cache/"))


def test_public_page_while_the_database_is_down(quiet_client, molndal, database_down):
    _assert_unavailable_page(quiet_client.get(reverse("public:home")))


def test_an_outage_logs_its_cause_in_a_line_not_a_trace_per_request(
    quiet_client, molndal, database_down, caplog
):
    # Hundreds of requests a second may fail while the database restarts.
    quiet_client.get(reverse("public:home"))
    assert caplog.records
    assert not [r for r in caplog.records if r.exc_info]
    causes = [r.getMessage() for r in caplog.records if r.name == "medborgarlofte.unavailable"]
    assert causes == ["Service unavailable for /: OperationalError: connection refused (test)"]


def test_the_site_answers_again_as_soon_as_the_database_does(
    quiet_client, molndal, database_outage
):
    with database_outage():
        assert quiet_client.get(reverse("public:home")).status_code == 503
    response = quiet_client.get(reverse("public:home"))
    assert response.status_code == 200
    assert "Mölndal" in response.content.decode()


def test_pages_in_the_page_cache_are_still_served_while_the_database_is_down(
    quiet_client, molndal, harryda, database_outage, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    first = quiet_client.get(reverse("public:home"))
    assert first.status_code == 200
    with database_outage():
        again = quiet_client.get(reverse("public:home"))
        assert again.status_code == 200
        assert again.content == first.content
        # A page nobody has asked for yet needs the database.
        _assert_unavailable_page(quiet_client.get(harryda.get_absolute_url()))


def test_staff_page_while_the_database_is_down(quiet_client, harryda_staff, database_outage):
    quiet_client.force_login(harryda_staff)
    with database_outage():
        # The session and the user are looked up inside the admin's view.
        _assert_unavailable_page(quiet_client.get(reverse("admin:index")))
    assert quiet_client.get(reverse("admin:index")).status_code == 200


def test_a_lookup_in_a_middleware_before_the_view_gets_the_503_page(
    quiet_client, harryda_staff, database_outage, settings
):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.site.test_unavailable.ReadsUserMiddleware",
    ]
    quiet_client.force_login(harryda_staff)
    with database_outage():
        _assert_unavailable_page(quiet_client.get(reverse("public:about")))


def test_an_unreachable_postgresql_server_gets_the_503_page(tmp_path):
    """For real: a server that refuses the connection, in a fresh process."""
    pytest.importorskip("psycopg")
    script = textwrap.dedent(
        """
        from django.conf import settings
        # The page's stylesheet link without a collectstatic manifest.
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        import django
        django.setup()
        from django.test import Client
        response = Client(raise_request_exception=False).get("/")
        print(response.status_code, response["Retry-After"])
        print(response.content.decode())
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "medborgarlofte.settings",
        "DEBUG": "false",
        # Nothing listens on port 1.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/medborgarlofte_nowhere",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, _, page = result.stdout.partition("\n")
    assert status == "503 30", result.stderr
    assert "Webbplatsen är tillfälligt otillgänglig" in page
    assert "Traceback" not in page and "127.0.0.1" not in page
