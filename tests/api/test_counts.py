"""A list's count: exact, counted once while nothing changes, afresh after every change."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from promises.models import Promise


def _count(client, **params) -> tuple[int, int]:
    """The list's count and the number of queries that answered it."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/api/v1/activities", {"limit": 1, **params}).json()
    counts = [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    return page["count"], len(counts)


def test_a_full_page_counts_once_while_nothing_changes(client, api_site):
    assert _count(client) == (4, 1)
    assert _count(client) == (4, 0)
    assert _count(client, offset=2) == (4, 0)
    # Another filter is another count.
    assert _count(client, municipality="harryda") == (3, 1)


def test_the_last_page_needs_no_count(client, api_site):
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/api/v1/activities", {"limit": 3, "offset": 2}).json()
    assert page["count"] == 4 and len(page["items"]) == 2 and page["next"] is None
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_committed_change_is_counted_at_once(
    client, api_site, make_activity, django_capture_on_commit_callbacks
):
    assert _count(client) == (4, 1)
    with django_capture_on_commit_callbacks(execute=True):
        added = make_activity(title="Ny patrull")
    assert _count(client) == (5, 1)
    with django_capture_on_commit_callbacks(execute=True):
        added.delete()
    assert _count(client) == (4, 1)
    # A change to what makes work public, here its promise's status, too.
    with django_capture_on_commit_callbacks(execute=True):
        promise = api_site["other"]
        promise.status = Promise.Status.DRAFT
        promise.save()
    assert _count(client) == (3, 1)


def test_counted_every_time_without_the_server_side_cache(client, api_site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert _count(client) == (4, 1)
    assert _count(client) == (4, 1)
