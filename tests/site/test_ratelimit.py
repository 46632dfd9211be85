"""The shared rate limit: 429 with Retry-After, counted per client address."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from medborgarlofte.ratelimit import rate_limited


@rate_limited("test", "RATE_LIMIT_TEST", methods=("POST",))
def view(request):
    return HttpResponse("ok")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@override_settings(RATE_LIMIT_TEST="2/m")
def test_third_post_in_a_minute_gets_429_with_retry_after():
    rf = RequestFactory()
    assert view(rf.post("/", REMOTE_ADDR="192.0.2.1")).status_code == 200
    assert view(rf.post("/", REMOTE_ADDR="192.0.2.1")).status_code == 200
    response = view(rf.post("/", REMOTE_ADDR="192.0.2.1"))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Försök igen om" in response.content.decode()
    # Another address has its own count; GET is not counted at all.
    assert view(rf.post("/", REMOTE_ADDR="192.0.2.2")).status_code == 200
    assert view(rf.get("/", REMOTE_ADDR="192.0.2.1")).status_code == 200


@override_settings(RATE_LIMIT_TEST="1/m", TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_client_counts_by_its_own_address():
    rf = RequestFactory()
    proxy = "10.0.0.5"
    first = rf.post("/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    second = rf.post("/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert view(first).status_code == 200
    assert view(second).status_code == 200
    again = rf.post("/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert view(again).status_code == 429
