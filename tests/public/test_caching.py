"""Public pages from the cache: served without the database, dropped by every change."""

from datetime import date
from hashlib import md5
from unittest import mock

import pytest
from django.urls import reverse

from public import signals


@pytest.fixture
def activity(make_activity):
    return make_activity(title="Fotpatrullering vid stationen", place="Stationen")


def _get(client, url, **headers):
    return client.get(url, headers=headers)


def test_a_page_seen_once_is_served_without_the_database(
    client, promise, activity, django_assert_num_queries
):
    url = promise.get_absolute_url()
    first = _get(client, url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = _get(client, url)
    assert again.content == first.content
    assert set(again["Cache-Control"].split(", ")) == {"public", "max-age=60"}
    assert "HX-Request" in again["Vary"]


def test_a_saved_activity_shows_at_once(
    client, promise, activity, make_activity, django_capture_on_commit_callbacks
):
    url = f"{promise.get_absolute_url()}aktiviteter/"
    assert "Trygghetsvandring i parken" not in _get(client, url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(title="Trygghetsvandring i parken", date=date(2023, 4, 2))
    assert "Trygghetsvandring i parken" in _get(client, url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        activity.title = "Fotpatrullering vid torget"
        activity.save()
    html = _get(client, url).content.decode()
    assert "Fotpatrullering vid torget" in html and "vid stationen" not in html

    with django_capture_on_commit_callbacks(execute=True):
        activity.delete()
    assert "Fotpatrullering vid torget" not in _get(client, url).content.decode()


def test_a_change_is_shown_only_once_it_is_committed(
    client, promise, activity, django_capture_on_commit_callbacks
):
    url = activity.get_absolute_url()
    _get(client, url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        activity.title = "Ändrad men inte sparad ännu"
        activity.save()
    # Not committed yet: the page may still be the stored one.
    assert "Ändrad men inte sparad ännu" not in _get(client, url).content.decode()
    for callback in callbacks:
        callback()
    assert "Ändrad men inte sparad ännu" in _get(client, url).content.decode()


def test_another_municipalitys_change_leaves_this_page_in_the_cache(
    client,
    promise,
    activity,
    molndal_data,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    url = promise.get_absolute_url()
    # The fixtures' own changes were never committed (each test is rolled back).
    signals.discard_pending()
    _get(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        other = molndal_data["activity"]
        other.title = "Ny rubrik i Mölndal"
        other.save()
    with django_assert_num_queries(0):
        _get(client, url)
    assert (
        "Ny rubrik i Mölndal"
        in _get(client, f"/molndal/{molndal_data['promise'].slug}/aktiviteter/").content.decode()
    )


def test_a_promise_change_renews_every_page(
    client, promise, activity, django_capture_on_commit_callbacks
):
    _get(client, "/")
    _get(client, "/harryda/")
    with django_capture_on_commit_callbacks(execute=True):
        promise.title = "Nytt namn på löftet"
        promise.save()
    assert "Nytt namn på löftet" in _get(client, "/harryda/").content.decode()


def test_an_indicator_value_renews_the_promise_page(
    client, promise, harryda, django_capture_on_commit_callbacks
):
    from promises.models import Indicator, Measurement

    url = promise.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        indicator = Indicator.objects.create(
            name="Trygghetsindikatorn", unit="procent", source_name="Enkät", status="published"
        )
        indicator.municipalities.add(harryda)
    assert "Trygghetsindikatorn" in _get(client, url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Measurement.objects.create(indicator=indicator, municipality=harryda, year=2023, value=71)
    assert "71" in _get(client, url).content.decode().split('id="utfall"')[1]


def test_an_htmx_fragment_and_the_full_page_are_stored_apart(client, promise, activity):
    url = f"{promise.get_absolute_url()}aktiviteter/"
    full = _get(client, url)
    fragment = _get(client, url, **{"HX-Request": "true", "HX-Target": "ml-results"})
    assert b"<html" in full.content
    assert b"<html" not in fragment.content
    assert b"<html" in _get(client, url).content


def test_an_unchanged_page_answers_304_to_its_etag(client, promise, activity):
    url = promise.get_absolute_url()
    etag = _get(client, url)["ETag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_a_stored_page_keeps_its_etag(client, promise, activity):
    # Made once when the page is stored, not by hashing its content on every
    # request; the same ETag Django's middleware gives (an MD5 of the content).
    url = promise.get_absolute_url()
    first = _get(client, url)
    with mock.patch("django.utils.cache.md5", side_effect=AssertionError("hashed again")):
        again = _get(client, url)
    assert again["ETag"] == first["ETag"] == f'"{md5(first.content).hexdigest()}"'
    with mock.patch("django.utils.cache.md5", side_effect=AssertionError("hashed again")):
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_staff_previews_are_never_stored(client, make_promise, harryda, harryda_staff):
    draft = make_promise([harryda], title="Utkastlöftet", status="draft")
    client.force_login(harryda_staff)
    response = client.get(reverse("public:promise-preview", args=[draft.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_stored_page_is_served_after_one_round_trip_to_the_cache(
    client, promise, activity, monkeypatch
):
    from public import caching

    url = promise.get_absolute_url()
    _get(client, url)
    calls = []
    real_cache = caching.cache

    class Spy:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(real_cache, name)

    monkeypatch.setattr(caching, "cache", Spy())
    assert _get(client, url).status_code == 200
    # The page and the versions it must have been rendered under, together.
    assert calls == ["get_many"]


def test_a_page_rendered_while_a_change_commits_is_not_served_after_it(
    client, promise, activity, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from public import caching

    real_cache = caching.cache

    class ChangeCommitsWhileRendering:
        """The change's versions move after the page read them and before it is stored."""

        def __getattr__(self, name):
            return getattr(real_cache, name)

        def set(self, key, value, timeout):
            caching.bump([caching.municipality_scope("harryda")])
            real_cache.set(key, value, timeout)

    url = promise.get_absolute_url()
    monkeypatch.setattr(caching, "cache", ChangeCommitsWhileRendering())
    _get(client, url)
    monkeypatch.setattr(caching, "cache", real_cache)
    with CaptureQueriesContext(connection) as rendered:
        _get(client, url)
    assert len(rendered) > 0, "the page from before the change was served"


def test_tracking_parameters_share_one_stored_page(
    client, promise, activity, django_assert_num_queries
):
    url = promise.get_absolute_url()
    first = _get(client, f"{url}?fbclid=IwAR0abc&utm_source=lokaltidningen")
    assert first.status_code == 200
    assert "fbclid" not in first.content.decode()  # not even in the language link
    with django_assert_num_queries(0):
        again = _get(client, f"{url}?fbclid=IwAR0xyz")
    assert again.content == first.content
    with django_assert_num_queries(0):
        _get(client, url)


def test_the_activities_page_is_stored_by_its_filters(client, promise, make_activity):
    make_activity(title="Fotpatrullering vid stationen", place="Stationen")
    make_activity(title="Trygghetsvandring i parken", place="Parken", date=date(2023, 4, 2))
    url = f"{promise.get_absolute_url()}aktiviteter/"
    assert "Trygghetsvandring i parken" in _get(client, url).content.decode()
    filtered = _get(client, f"{url}?q=stationen").content.decode()
    assert "Fotpatrullering vid stationen" in filtered
    assert "Trygghetsvandring i parken" not in filtered


def test_the_language_comes_from_the_address_and_is_stored_apart(client, promise, activity):
    url = promise.get_absolute_url()
    swedish = client.get(url, headers={"Accept-Language": "en"})
    assert swedish["Content-Language"] == "sv"
    assert '<html lang="sv"' in swedish.content.decode()
    english = client.get(f"/en{url}", headers={"Accept-Language": "sv"})
    assert english["Content-Language"] == "en"
    assert '<html lang="en"' in english.content.decode()
    # Each from its own stored page, whichever came first.
    assert client.get(url)["Content-Language"] == "sv"
    assert '<html lang="sv"' in client.get(url).content.decode()


def _vary(response) -> set[str]:
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value}


def test_public_pages_vary_on_htmx_but_not_on_the_browsers_language(client, promise, activity):
    url = promise.get_absolute_url()
    for response in (
        client.get(url, headers={"Accept-Language": "en"}),
        client.get(url),  # from the page cache
        client.get(f"/en{url}"),
        client.get(f"{url}aktiviteter/", headers={"HX-Request": "true"}),
    ):
        assert response.status_code == 200
        assert {"hx-request", "hx-target", "hx-history-restore-request"} <= _vary(response)
        assert "accept-language" not in _vary(response)


def test_staff_pages_and_the_api_are_swedish_whatever_the_browser_asks(client, db):
    # Without a language prefix every address is Swedish (i18n_patterns with no
    # prefix for Swedish), so no answer varies on the browser's language.
    for url in (reverse("admin:login"), "/api/v1/promises"):
        response = client.get(
            url, headers={"Accept-Language": "en"}, HTTP_COOKIE="django_language=en"
        )
        assert response["Content-Language"] == "sv"
        assert "accept-language" not in _vary(response)
