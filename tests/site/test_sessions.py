"""Staff sessions across app servers: in the database, cached in Redis when there is one."""

import pytest
from django.urls import reverse

from tests.site.conftest import REDIS_TEST_URL, redis_cache
from tests.site.test_security import _production_settings


def test_sessions_are_in_the_database_and_cached_in_redis_when_shared():
    assert _production_settings()["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    shared = _production_settings(REDIS_URL="redis://127.0.0.1:6379/5")
    assert shared["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def _flush_test_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()


@pytest.fixture
def cached_db_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CACHES = redis_cache(REDIS_TEST_URL)
    _flush_test_redis()
    yield settings
    _flush_test_redis()


def _log_in(client, user):
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": "ett-langt-losenord-2024"}
    )
    assert response.status_code == 302


@pytest.mark.usefixtures("redis_server")
def test_a_redis_restart_logs_nobody_out(client, harryda_staff, cached_db_sessions):
    _log_in(client, harryda_staff)
    # What a restart without persistence leaves: an empty cache.
    _flush_test_redis()
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.usefixtures("redis_server")
def test_staff_pages_say_unavailable_while_redis_is_down(harryda_staff, cached_db_sessions):
    from django.test import Client

    client = Client(raise_request_exception=False)
    _log_in(client, harryda_staff)
    _flush_test_redis()
    cached_db_sessions.CACHES = redis_cache("redis://127.0.0.1:1/0")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
