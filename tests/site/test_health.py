"""The load balancer's probes: /healthz (the process) and /readyz (databases and caches)."""

import pytest
from django.core.cache import caches

from tests.site.conftest import REDIS_TEST_URL, redis_cache


def test_healthz_answers_without_the_database_or_a_cookie(client):
    # No `db` fixture: any query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_probes_are_answered_for_any_host_and_without_https(client, settings):
    # Balancers probe by address over plain HTTP, behind the TLS they terminate.
    settings.ALLOWED_HOSTS = ["medborgarlofte.example.se"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    # Every other address keeps the Host check and the redirect.
    assert client.get("/om-webbplatsen/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    response = client.get("/om-webbplatsen/", HTTP_HOST="medborgarlofte.example.se")
    assert response.status_code == 301
    assert response["Location"] == "https://medborgarlofte.example.se/om-webbplatsen/"


def test_probes_live_outside_the_language_prefix(client, db):
    assert client.get("/en/healthz/").status_code == 404


def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


def test_readyz_checks_the_database_and_the_cache(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_readyz_names_an_unreachable_database(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content.decode() == "database default: unavailable\n"


def test_readyz_names_an_unreachable_cache(client, db, settings):
    # Nothing listens on port 1: the connection is refused at once.
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content.decode() == "cache default: unavailable\n"


@pytest.mark.usefixtures("redis_server")
def test_readyz_with_redis_as_production_configures_it(client, db, settings):
    settings.CACHES = redis_cache(REDIS_TEST_URL)
    response = client.get("/readyz")
    assert response.status_code == 200
    # The probe leaves nothing behind in the shared cache.
    assert not caches["default"]._cache.get_client().keys("medborgarlofte-test:*")
