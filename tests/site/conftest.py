"""Fixtures for the site-wide tests: a database that stops answering, and Redis."""

import contextlib
import os
import socket
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.db import connections

# A database number of its own, so that flushing it touches nobody else's data.
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/5")

# The backend production uses when REDIS_URL is set (medborgarlofte/settings.py).
REDIS_BACKEND = "medborgarlofte.redis_cache.RedisCache"


def redis_cache(location: str = REDIS_TEST_URL) -> dict:
    """CACHES with production's Redis backend at ``location``, under the tests' own key prefix."""
    return {
        "default": {
            "BACKEND": REDIS_BACKEND,
            "LOCATION": location,
            "KEY_PREFIX": "medborgarlofte-test",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


def redis_reachable() -> bool:
    address = urlsplit(REDIS_TEST_URL)
    try:
        with socket.create_connection((address.hostname, address.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_server() -> None:
    """Tests that need a real Redis fail, not skip, without one: a skipped test checks nothing."""
    assert redis_reachable(), (
        f"No Redis at {REDIS_TEST_URL}: install and start Debian's redis-server "
        "(or set REDIS_TEST_URL)."
    )


@contextlib.contextmanager
def _outage():
    connection = connections["default"]

    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused (test)")

    with mock.patch.object(connection, "create_cursor", refuse):
        yield


@pytest.fixture
def database_outage(db):
    """A context manager: inside it every new query fails as when the server is
    down, with the driver's own OperationalError wrapped by Django as usual."""
    # Depends on `db`, so an outage always ends before the test's transaction
    # is rolled back.
    return _outage


@pytest.fixture
def database_down(database_outage):
    """The database is down for the whole test."""
    with database_outage():
        yield
