"""Which database a query reads from: the replica only for residents' reads of public pages."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from medborgarlofte import db
from promises.models import Promise


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(db, "replica_configured", lambda: True)


def _read_database(method: str, path: str) -> str:
    seen = {}

    def view(request):
        seen["db"] = db.ReplicaRouter().db_for_read(Promise)
        return HttpResponse()

    request = RequestFactory().generic(method, path)
    db.ReplicaMiddleware(view)(request)
    return seen["db"]


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/harryda/2022-2024/", "replica"),
        ("HEAD", "/en/harryda/", "replica"),
        ("GET", "/api/v1/activities", "replica"),
        ("POST", "/bevaka/", "default"),
        ("GET", "/admin/promises/promise/", "default"),
        ("GET", "/forhandsgranska/medborgarlofte/1/", "default"),
        ("GET", "/en/forhandsgranska/aktivitet/1/", "default"),
        ("GET", "/personal/logga/", "default"),
    ],
)
def test_only_public_reads_go_to_the_replica(with_replica, method, path, expected):
    assert _read_database(method, path) == expected


def test_outside_a_request_everything_reads_the_primary(with_replica):
    # The task worker and management commands: reports, digests, imports.
    assert db.ReplicaRouter().db_for_read(Promise) == "default"


def test_a_view_marked_use_primary_reads_the_primary_on_a_get(with_replica):
    seen = {}

    @db.use_primary
    def confirm(request):
        seen["db"] = db.ReplicaRouter().db_for_read(Promise)
        return HttpResponse()

    db.ReplicaMiddleware(confirm)(RequestFactory().get("/bevaka/bekrafta/x/"))
    assert seen["db"] == "default"


def test_without_a_replica_everything_reads_the_primary():
    assert _read_database("GET", "/harryda/") == "default"


def test_writes_and_migrations_stay_on_the_primary():
    router = db.ReplicaRouter()
    assert router.db_for_write(Promise) == "default"
    assert router.allow_migrate("replica", "promises") is False
    assert router.allow_migrate("default", "promises") is True
