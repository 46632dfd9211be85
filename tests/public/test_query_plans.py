"""No public page reads the whole activity table: every filter and sort has an index (PostgreSQL).

Loads a modest national dataset (``generate_national_data``, 20,000
activities), runs ANALYZE, disables sequential scans for the test's
transaction and requests every kind of public page, explaining (and running)
each captured query that reads ``activities_activity``. With small tables
PostgreSQL often prefers a Seq Scan even where a good index exists; with
``enable_seqscan`` off it uses an index wherever one fits, and otherwise
falls back to a Seq Scan, or to walking a whole index without a condition
(as good as a Seq Scan, and just as slow at a million rows). Either means a
filter or sort without a usable index, and fails the test.

The open-data API's activity lists are covered too, with every filter that
narrows them.

Runs in the PostgreSQL pass of the suite only (the ``postgresql_only`` marker
deselects it on SQLite).
"""

import io
import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Activity
from promises.models import Commitment, FollowUp, Organisation, Promise

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db]

TABLE = "activities_activity"
MORE = {"HX-Request": "true", "HX-Target": "ml-activity-items"}
RESULTS = {"HX-Request": "true", "HX-Target": "ml-results"}


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _whole_table_reads(sql: str, table_rows: int) -> list[str]:
    """The plan's reads of activities_activity that see the whole table, described.

    A Seq Scan, or any scan that goes through more than half of the rows (a
    full index scan is what the planner falls back to when sequential scans
    are off and no index condition fits). Run with ANALYZE: an index walked
    in order under a LIMIT stops early and reads few rows.
    """
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    found = []
    for node in _nodes(plan[0]["Plan"]):
        if node.get("Relation Name") != TABLE:
            continue
        read = (
            node.get("Actual Rows", 0)
            + node.get("Rows Removed by Filter", 0)
            + node.get("Rows Removed by Index Recheck", 0)
        ) * node.get("Actual Loops", 1)
        if node["Node Type"] == "Seq Scan" or read > table_rows / 2:
            found.append(f"{node['Node Type']} {node.get('Index Name', '')} read {read} rows")
    return found


def _pages() -> list[tuple[str, str, dict]]:
    """Every kind of public page, on the busiest current promise and others."""
    today = timezone.localdate()
    public = Activity.objects.public()
    sizes = dict(
        public.order_by()
        .values("commitment__promise_id")
        .annotate(n=Count("pk"))
        .values_list("commitment__promise_id", "n")
    )
    current = sorted(
        Promise.objects.published().current(today), key=lambda p: (-sizes.get(p.pk, 0), p.pk)
    )
    promise = current[0]
    finished = (
        Promise.objects.published()
        .filter(period_end__lt=today, follow_ups__in=FollowUp.objects.published())
        .distinct()
        .order_by("-period_end", "pk")
        .first()
    )
    follow_up = FollowUp.objects.published().filter(promise=finished).first()
    municipality = promise.primary_municipality
    city = (
        Promise.objects.published()
        .current(today)
        .filter(districts__isnull=False)
        .first()
        .primary_municipality
    )
    base = promise.get_absolute_url()
    commitment = Commitment.objects.filter(promise=promise).order_by("position").first()
    done = public.done().for_promise(promise)
    activity = done.first()
    planned = public.for_promise(promise).upcoming(today).first()
    organisation = Organisation.objects.filter(activities__in=done).first()
    type_slug = done.values_list("type__slug", flat=True).first()
    year = done.values_list("date", flat=True).first().year
    word = quote(activity.title.split()[0])
    activities = f"{base}aktiviteter/"
    pages = [
        ("start", "/", {}),
        ("start, search", "/?q=g%C3%B6", {}),
        ("municipality", municipality.get_absolute_url(), {}),
        ("municipality with districts", city.get_absolute_url(), {}),
        ("promise, current", base, {}),
        ("promise, finished", finished.get_absolute_url(), {}),
        ("promise, English", f"/en{base}", {}),
        ("commitment", commitment.get_absolute_url(), {}),
        ("activities", activities, {}),
        ("activities, commitment", f"{activities}?atagande={commitment.slug}", {}),
        ("activities, type", f"{activities}?typ={type_slug}", {}),
        ("activities, organisation", f"{activities}?organisation={organisation.pk}", {}),
        ("activities, year", f"{activities}?ar={year}", {}),
        ("activities, year and month", f"{activities}?ar={year}&manad=3", {}),
        ("activities, month", f"{activities}?manad=3", {}),
        ("activities, free text", f"{activities}?q={word}", {}),
        ("activities, free text, two words", f"{activities}?q={word}+centrum", {}),
        ("activities, newest first", f"{activities}?sortering=nyast", {}),
        ("activities, oldest first", f"{activities}?sortering=aldst", {}),
        ("activities, page 2", f"{activities}?sida=2", {}),
        ("activities, htmx results", f"{activities}?typ={type_slug}&ar={year}", RESULTS),
        ("activities, htmx more", f"{activities}?sida=2", MORE),
        ("activity, done", activity.get_absolute_url(), {}),
        ("activity, planned", planned.get_absolute_url(), {}),
        ("follow-up", f"{finished.get_absolute_url()}uppfoljning/{follow_up.pk}/", {}),
        ("feed, municipality", f"{municipality.get_absolute_url()}flode.atom", {}),
        ("feed, promise", f"{base}flode.atom", {}),
        ("feed, commitment", f"{commitment.get_absolute_url()}flode.atom", {}),
        (
            "follow-ups feed, municipality",
            f"{municipality.get_absolute_url()}uppfoljningar.atom",
            {},
        ),
        ("follow-ups feed, promise", f"{base}uppfoljningar.atom", {}),
        ("calendar, municipality", f"{municipality.get_absolute_url()}kalender.ics", {}),
        ("calendar, promise", f"{base}kalender.ics", {}),
    ]
    # The open-data API's activities, with each filter that narrows them. (The
    # whole list unfiltered counts every public activity, by design.)
    api = "/api/v1/activities"
    recently = timezone.now() - timedelta(days=7)
    pages += [
        ("API, municipality", f"{api}?municipality={municipality.slug}", {}),
        ("API, city", f"{api}?municipality={city.slug}", {}),
        ("API, promise", f"{api}?promise={promise.pk}", {}),
        ("API, commitment", f"{api}?commitment={commitment.pk}", {}),
        ("API, updated since", f"{api}?updated_since={recently:%Y-%m-%dT%H:%M:%SZ}", {}),
        ("API, from", f"{api}?from={today - timedelta(days=30)}", {}),
        # A month: enough work to fill a page nationwide, as a week is at a
        # million activities (a window with less than a page of work walks
        # back through older work, see docs/performance.md).
        ("API, from and to", f"{api}?from={year}-03-01&to={year}-03-31", {}),
        ("API, municipality and from", f"{api}?municipality={city.slug}&from={today}", {}),
        ("API, promise and type", f"{api}?promise={promise.pk}&type={type_slug}", {}),
        ("API, promise and state", f"{api}?promise={promise.pk}&state=planned", {}),
        ("API, one activity", f"{api}/{activity.pk}", {}),
        ("API, CSV of a promise", f"{api}.csv?promise={promise.pk}", {}),
    ]
    return pages


def test_no_public_page_scans_the_whole_activity_table(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # every page rendered, not taken from the page cache
    call_command("generate_national_data", activities=20_000, force=True, stdout=io.StringIO())
    pages = _pages()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")

    table_rows = Activity.objects.count()
    problems, explained = [], 0
    for label, url, headers in pages:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, (label, url, response.status_code)
        for query in captured.captured_queries:
            sql = query["sql"]
            if TABLE not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            explained += 1
            for read in _whole_table_reads(sql, table_rows):
                problems.append(f"{label} ({url}): {read}\n    {sql[:300]}")

    assert explained > 60  # the pages did read activities, and each read was checked
    assert not problems, "Whole-table reads of activities_activity:\n" + "\n".join(problems)
