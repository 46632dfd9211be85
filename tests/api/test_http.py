"""What every API answer gets: caching, conditional GET, CORS, the rate limit; and few queries."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from activities.models import Activity
from api.v1 import RESOURCES

LIST_URLS = [f"/api/v1/{resource.path}" for resource in RESOURCES]


def test_answers_are_cacheable_with_an_etag_and_304_when_unchanged(client, api_site):
    url = "/api/v1/activities?municipality=harryda"
    first = client.get(url)
    assert first.status_code == 200
    assert not first.cookies
    assert first["Cache-Control"] == "public, max-age=60"
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=60"

    detail = f"/api/v1/activities/{api_site['patrol'].pk}"
    detail_etag = client.get(detail)["ETag"]
    assert client.get(detail, HTTP_IF_NONE_MATCH=detail_etag).status_code == 304
    assert client.get(detail, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200

    Activity.objects.filter(pk=api_site["patrol"].pk).update(occasions=13)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_errors_are_not_cached(client, api_site):
    response = client.get("/api/v1/activities", {"limit": "x"})
    assert response.status_code == 422
    assert "ETag" not in response and "Cache-Control" not in response
    assert client.get("/api/v1/activities/999999").status_code == 404


def test_head_answers_like_get_without_a_body(client, api_site):
    get = client.get("/api/v1/promises")
    head = client.head("/api/v1/promises")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == "application/json; charset=utf-8"
    assert client.head("/api/v1/promises", HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304
    assert client.head("/api/v1/activities.csv").status_code == 200


def test_only_reading_is_allowed(client, api_site):
    for method in (client.post, client.put, client.delete):
        assert method("/api/v1/activities").status_code == 405


def test_downloads_are_cacheable_but_streamed_without_an_etag(client, api_site):
    response = client.get("/api/v1/activities.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    assert "ETag" not in response


ORIGIN = "https://example.org"


@pytest.mark.parametrize(
    "url", ["/api/v1/activities", "/api/v1/openapi.json", "/api/v1/activities.csv"]
)
def test_any_site_may_read_the_api(client, api_site, url):
    response = client.get(url, HTTP_ORIGIN=ORIGIN)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_preflight_allows_reading_only(client, api_site):
    response = client.options(
        "/api/v1/activities",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("url", ["/", "/harryda/", "/oppna-data/", "/en/oppna-data/", "/admin/"])
def test_the_rest_of_the_site_gives_no_cors_headers(client, api_site, url):
    response = client.get(url, HTTP_ORIGIN=ORIGIN)
    assert not [h for h in response.headers if h.lower().startswith("access-control-")], url


@override_settings(RATE_LIMIT_API="2/m")
def test_too_many_requests_get_429_with_retry_after(client, api_site):
    cache.clear()
    assert client.get("/api/v1/promises").status_code == 200
    assert client.get("/api/v1/activities.csv").status_code == 200
    response = client.get("/api/v1/promises/1", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "För många förfrågningar från din adress" in response.content.decode()
    # A script on another site can read the answer and how long to wait.
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in response["Access-Control-Expose-Headers"]
    # Another address has a count of its own; the pages are not counted.
    assert client.get("/api/v1/promises", REMOTE_ADDR="192.0.2.9").status_code == 200
    assert client.get("/harryda/").status_code == 200


def test_openapi_document_declares_the_429(client, db):
    document = client.get("/api/v1/openapi.json").json()
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) == 3 * len(RESOURCES)
    for operation in operations:
        limited = operation["responses"]["429"]
        assert limited["headers"]["Retry-After"]["required"] is True
        assert "422" in operation["responses"]


def _query_counts(client):
    counts = {}
    for url in LIST_URLS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"limit": 500}).status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_lists_take_a_fixed_number_of_queries(
    client, api_site, make_activity, make_follow_up, django_assert_max_num_queries
):
    before = _query_counts(client)
    for n in range(25):
        activity = make_activity(title=f"Fler patrulleringar {n}", date=date(2023, 4, 1))
        activity.organisations.add(*api_site["patrol"].organisations.all())
    make_follow_up(api_site["promise"], {api_site["commitment"]: ("done", "")}, title="Delrapport")
    assert _query_counts(client) == before
    for url in LIST_URLS:
        # A count, the page, and a query per related list the items show.
        with django_assert_max_num_queries(7):
            client.get(url, {"limit": 500})
    # Filters cost a lookup each, whatever the length of the list.
    with django_assert_max_num_queries(10):
        client.get(
            "/api/v1/activities",
            {
                "municipality": "harryda",
                "promise": api_site["promise"].pk,
                "commitment": api_site["commitment"].pk,
                "type": "fotpatrullering",
                "from": "2023-01-01",
                "to": "2023-12-31",
                "updated_since": "2020-01-01",
            },
        )


def test_a_counted_list_looks_its_filters_up_once(client, api_site, make_activity):
    # A page that is not the last is counted too: with the same checked
    # filters, not by looking the municipality and the type up again.
    for n in range(3):
        make_activity(title=f"Patrull {n}", date=date(2023, 4, 1))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(
            "/api/v1/activities",
            {
                "municipality": "harryda",
                "type": "fotpatrullering",
                "from": "2023-01-01",
                "limit": 1,
            },
        ).json()
    assert page["count"] > 1 and page["next"]
    sql = [q["sql"] for q in queries.captured_queries]
    # The lookups themselves (the lists' queries join the type's slug too).
    assert len([q for q in sql if 'FROM "promises_municipality" WHERE' in q]) == 1
    assert len([q for q in sql if 'FROM "promises_activitytype" WHERE' in q]) == 1


def test_csv_downloads_take_a_fixed_number_of_queries_per_chunk(
    client, api_site, make_activity, django_assert_max_num_queries
):
    for n in range(30):
        make_activity(title=f"Patrull {n}")
    for resource in RESOURCES:
        with django_assert_max_num_queries(6):
            response = client.get(f"/api/v1/{resource.path}.csv")
            b"".join(response.streaming_content)
