"""A list's count: exact, counted once while nothing changes, afresh after every change."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Activity
from promises.models import Promise

# A period is finer than the monthly sums: lists with one are counted row by
# row, through the cache of counts (api/counts.py). Every activity here is later.
ROW_BY_ROW = {"from": "2000-01-01"}


def _count(client, **params) -> tuple[int, int]:
    """The list's count and the number of queries that answered it."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/api/v1/activities", {"limit": 1, **ROW_BY_ROW, **params}).json()
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


def _pages(client, params: dict) -> list[dict]:
    items, offset = [], 0
    while True:
        page = client.get("/api/v1/activities", {**params, "limit": 2, "offset": offset}).json()
        items += page["items"]
        if page["next"] is None:
            return items
        offset += 2


def test_counts_from_the_monthly_sums_are_the_lists_own(client, api_site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    commitment = api_site["commitment"]
    cases = [
        {},
        {"municipality": "harryda"},
        {"municipality": "1401"},
        {"municipality": "molndal"},
        {"promise": commitment.promise_id},
        {"commitment": commitment.pk},
        {"type": "trygghetsvandring"},
        {"state": "planned"},
        {"state": "done"},
        {"state": "cancelled"},
        {"state": "done", "municipality": "harryda", "type": "fotpatrullering"},
    ]
    for params in cases:
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/api/v1/activities", {**params, "limit": 1}).json()
        # Read before the next request, which empties the log of queries.
        sql = [q["sql"] for q in queries.captured_queries]
        assert page["count"] == len(_pages(client, params)), params
        if page["count"] > 1:
            # Counted from the sums, never from the activities themselves.
            (summed,) = [q for q in sql if "SUM(" in q]
            assert "activities_monthlysum" in summed
            assert not [q for q in sql if "COUNT(" in q.upper()]
    assert len(_pages(client, {})) > 2


def test_counts_from_the_sums_follow_every_change(client, api_site, make_activity, settings):
    settings.PAGE_CACHE_SECONDS = 0

    def count(**params) -> int:
        return client.get("/api/v1/activities", {**params, "limit": 1}).json()["count"]

    before, planned = count(), count(state="planned")
    added = make_activity(title="Ny patrull", state=Activity.State.PLANNED)
    assert (count(), count(state="planned")) == (before + 1, planned + 1)
    added.state = Activity.State.CANCELLED
    added.save()
    assert (count(), count(state="planned")) == (before + 1, planned)
    added.status = Activity.Status.DRAFT
    added.save()
    assert count() == before
    added.delete()
    promise = api_site["other"]
    promise.status = Promise.Status.DRAFT
    promise.save()
    assert count() == len(_pages(client, {})) < before


def test_lists_finer_than_a_month_are_counted_row_by_row(client, api_site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    week_ago = timezone.now() - timedelta(days=7)
    Activity.objects.filter(pk=api_site["walk"].pk).update(updated_at=week_ago)
    Activity.objects.filter(pk=api_site["patrol"].pk).update(date=date(2023, 1, 10))
    everything = client.get("/api/v1/activities", {"limit": 1}).json()["count"]
    for params in (
        {"updated_since": (week_ago + timedelta(days=1)).isoformat()},
        {"from": "2023-02-01"},
        {"to": "2023-01-31"},
    ):
        page = client.get("/api/v1/activities", {**params, "limit": 1}).json()
        assert page["count"] == len(_pages(client, params)) < everything, params


def test_a_period_start_is_counted_half_by_half_as_the_list_holds(
    client, api_site, make_activity, settings
):
    # api.filters.count: what starts on the day or later, and apart from it
    # what started earlier and still goes on. Around 1 June 2023: work that
    # ends the day before, on the day, after it; starts on it; and work that
    # is not public, which neither half may count.
    settings.PAGE_CACHE_SECONDS = 0
    for title, start, end, extra in [
        ("Slutar dagen före", date(2023, 5, 20), date(2023, 5, 31), {}),
        ("Slutar på dagen", date(2023, 5, 25), date(2023, 6, 1), {}),
        ("Pågår över dagen", date(2023, 5, 30), date(2023, 6, 10), {}),
        ("Börjar på dagen", date(2023, 6, 1), date(2023, 6, 2), {}),
        ("En dag på dagen", date(2023, 6, 1), None, {}),
        (
            "Inställd över dagen",
            date(2023, 5, 28),
            date(2023, 6, 3),
            {"state": Activity.State.CANCELLED},
        ),
        (
            "Utkast över dagen",
            date(2023, 5, 28),
            date(2023, 6, 3),
            {"status": Activity.Status.DRAFT},
        ),
    ]:
        make_activity(title=title, date=start, end_date=end, **extra)
    cases = [
        {"from": "2023-06-01"},
        {"from": "2023-06-02"},
        {"from": "2023-05-31"},
        {"from": "2023-06-01", "to": "2023-06-01"},
        {"from": "2023-06-01", "to": "2023-09-05"},
        {"from": "2023-06-01", "state": "done"},
        {"from": "2023-06-01", "state": "cancelled"},
        {"from": "2023-06-01", "municipality": "harryda"},
        {"from": "2023-06-01", "type": "fotpatrullering"},
        {"from": "2030-01-01"},
    ]
    for params in cases:
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/api/v1/activities", {**params, "limit": 1}).json()
        counted = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        listed = _pages(client, params)
        assert page["count"] == len(listed), params
        if len(listed) > 1:
            (sql,) = counted
            assert "UNION ALL" in sql.upper(), params
    titles = {item["title"] for item in _pages(client, {"from": "2023-06-01"})}
    assert {"Slutar på dagen", "Pågår över dagen", "Börjar på dagen", "En dag på dagen"} <= titles
    assert not {"Slutar dagen före", "Utkast över dagen"} & titles


def test_a_count_from_the_sums_is_kept_in_the_cache_until_a_change(
    client, api_site, make_activity, django_capture_on_commit_callbacks
):
    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/api/v1/activities", {"limit": 1}).json()
        return page["count"], len([q for q in queries.captured_queries if "SUM(" in q["sql"]])

    first, summed = count()
    assert summed == 1
    assert count() == (first, 0)
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(title="Ny patrull")
    assert count() == (first + 1, 1)
