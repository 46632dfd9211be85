"""A new app server process is made ready before its first request (medborgarlofte/warmup.py)."""

import gc
import logging

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.template import engines

from medborgarlofte import warmup

# WSGIHandler, not get_wsgi_application(): that sets Django up again, and its
# logging configuration would take caplog's handler away.


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    # As Django's test client does: a request through the WSGI handler would
    # close the connection that holds the test's transaction (PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _cached_names() -> set[str]:
    # template_partials' loader wraps Django's cached loader.
    (partials,) = engines["django"].engine.template_loaders
    (cached,) = partials.loaders
    return set(cached.get_template_cache)


@pytest.mark.django_db
def test_every_project_template_is_compiled_and_the_start_page_served(settings, promise):
    settings.ALLOWED_HOSTS = ["medborgarlofte.example.se"]
    engines["django"].engine.template_loaders[0].reset()
    assert "public/promise_detail.html" not in _cached_names()

    result = warmup.warm_up(WSGIHandler())

    assert result.start_page_status == 200
    assert result.failed == []
    names = _cached_names()
    for name in (
        "base.html",
        "public/promise_detail.html",
        "public/activity_list.html",
        "components/activity_item.html",
    ):
        assert name in names, name
    assert result.templates == len(
        [p for d in warmup.template_dirs() for p in d.rglob("*") if p.suffix in (".html", ".txt")]
    )
    # Not third parties' (the admin's hundreds are compiled when staff use them).
    assert not [d for d in warmup.template_dirs() if "site-packages" in d.parts]


@pytest.mark.django_db
def test_the_start_page_is_asked_for_over_https_when_the_site_redirects(settings):
    settings.ALLOWED_HOSTS = [".example.se"]
    settings.SECURE_SSL_REDIRECT = True
    assert warmup.request_start_page(WSGIHandler()) == 200


@pytest.mark.django_db
def test_a_failure_is_logged_and_never_stops_the_worker(monkeypatch, caplog):
    def broken(application):
        raise RuntimeError("database gone")

    monkeypatch.setattr(warmup, "request_start_page", broken)
    with caplog.at_level(logging.INFO, logger="medborgarlofte.warmup"):
        result = warmup.warm_up(WSGIHandler())
    assert result.start_page_status is None
    assert result.templates > 0
    assert "warm-up stopped early" in caplog.text
    assert "database gone" in caplog.text


def test_the_startup_objects_are_frozen_and_collection_waits_for_big_requests():
    threshold = gc.get_threshold()
    try:
        warmup.freeze_startup_objects()
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == warmup.GC_THRESHOLD
        assert gc.isenabled()  # still a bound inside one long request

        class Cycle:
            pass

        before = gc.get_count()[0]
        for _ in range(1000):
            a, b = Cycle(), Cycle()
            a.other, b.other = b, a
        assert gc.get_count()[0] >= before + 2000  # no automatic collection yet
        warmup.collect_between_requests()
        assert gc.get_count()[0] < 100
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
