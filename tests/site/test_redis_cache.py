"""The Redis cache backend: Django's, keeping one Redis client per process."""

import pytest
import redis
from django.core.cache import caches

from tests.site.conftest import REDIS_BACKEND, REDIS_TEST_URL, redis_cache
from tests.site.test_security import _production_settings

pytestmark = pytest.mark.usefixtures("redis_server")


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = redis_cache(REDIS_TEST_URL)
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_production_with_redis_uses_this_backend():
    production = _production_settings(REDIS_URL="redis://127.0.0.1:6379/5")
    assert production["CACHES"]["default"]["BACKEND"] == REDIS_BACKEND


def test_every_operation_uses_the_same_client(shared_cache):
    client = shared_cache._cache.get_client()
    assert shared_cache._cache.get_client(write=True) is client
    assert shared_cache._cache.get_client("some-key") is client
    shared_cache.set("a", 1)
    assert shared_cache.get_many(["a", "b"]) == {"a": 1}
    assert shared_cache._cache.get_client() is client


def test_answers_are_parsed_by_hiredis(shared_cache):
    # The C parser: a cached page's 50 kB are one copy, not a loop in Python.
    connection = shared_cache._cache.get_client().connection_pool.make_connection()
    assert type(connection._parser).__name__ == "_HiredisParser"


def test_the_kept_client_connects_again_after_redis_drops_it(shared_cache):
    shared_cache.set("page", b"x" * 60_000)
    assert len(shared_cache.get("page")) == 60_000
    # As a Redis restart does: every connection of this process is closed.
    killed = redis.Redis.from_url(REDIS_TEST_URL).client_kill_filter(_type="normal", skipme=True)
    assert killed >= 1
    shared_cache.set("after", 2)
    assert shared_cache.get_many(["after", "page"]) == {"after": 2, "page": b"x" * 60_000}
