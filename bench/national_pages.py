"""Time every public page on the national dataset, and look at each page's query plans.

Usage, on a database filled by `manage.py generate_national_data` (see
bench/generate_national.sh, which runs this script too):

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/medborgarlofte_national_bench \\
        .venv/bin/python bench/national_pages.py [--requests 30] [--json after.json] \\
        [--before before.json]

Picks the pages from the data (the busiest current promise, a typical one, a
finished one with a follow-up, the busiest and a small municipality, ...),
requests each one `--requests` times with the Django test client after one
warm-up and reports the median (p50) and the 99th percentile (with 30
requests, in effect the slowest), the number of SQL queries, and from
EXPLAIN (ANALYZE, BUFFERS) of every query that reads activities_activity:
their summed execution time, the buffers (8 kB pages) they touched, which
unlike the times does not depend on what else the machine is doing, and
whether any plan reads the table with a Seq Scan. With --before, the table
puts an earlier run's figures beside this one's.
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from activities.models import Activity  # noqa: E402
from promises.models import Commitment, FollowUp, Organisation, Promise  # noqa: E402

TABLE = "activities_activity"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _walk(node: dict, found: list) -> None:
    found.append((node["Node Type"], node.get("Relation Name"), node.get("Index Name")))
    for child in node.get("Plans", []):
        _walk(child, found)


def explain(sql: str) -> tuple[float, int, list]:
    """Execution time (ms), buffers touched and the plan's nodes of one query."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    top = plan[0]["Plan"]
    nodes: list = []
    _walk(top, nodes)
    buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    return plan[0]["Execution Time"], buffers, nodes


def pages() -> list[tuple[str, str]]:
    """The pages to time, chosen from the generated data."""
    today = timezone.localdate()
    public = Activity.objects.public()
    sizes = dict(
        public.order_by()
        .values_list("commitment__promise_id")
        .annotate(n=Count("pk"))
        .values_list("commitment__promise_id", "n")
    )
    current = sorted(
        Promise.objects.published().current(today), key=lambda p: (-sizes.get(p.pk, 0), p.pk)
    )
    busiest = current[0]
    typical = current[len(current) // 2]
    finished = (
        Promise.objects.published()
        .filter(period_end__lt=today, follow_ups__in=FollowUp.objects.published())
        .order_by("-period_end", "pk")
        .first()
    )
    follow_up = FollowUp.objects.published().filter(promise=finished).order_by("-period_end")[0]
    big = busiest.primary_municipality
    small = typical.primary_municipality
    in_force = Counter(
        m
        for p in Promise.objects.published().current(today).prefetch_related("municipalities")
        for m in p.municipalities.all()
    )
    city = in_force.most_common(1)[0][0]
    base = busiest.get_absolute_url()
    commitment = (
        Commitment.objects.filter(promise=busiest)
        .annotate(n=Count("activities"))
        .order_by("-n", "pk")
        .first()
    )
    in_promise = public.done().for_promise(busiest)
    activity = in_promise.order_by("pk").first()
    organisation = (
        Organisation.objects.filter(activities__in=in_promise)
        .annotate(n=Count("pk"))
        .order_by("-n", "pk")
        .first()
    )
    type_slug = (
        in_promise.values("type__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("type__slug", flat=True)[0]
    )
    year = busiest.period_start.year
    week_ago = timezone.now() - timedelta(days=7)
    last_page = max(1, in_promise.count() // 20)
    return [
        ("Start", "/"),
        ("Start, search", "/?q=sk%C3%A5ne"),
        ("Municipality, busiest", big.get_absolute_url()),
        ("Municipality, typical", small.get_absolute_url()),
        ("Municipality, most promises in force", city.get_absolute_url()),
        ("Promise, busiest current", base),
        ("Promise, typical current", typical.get_absolute_url()),
        ("Promise, finished", finished.get_absolute_url()),
        ("Commitment, busiest", commitment.get_absolute_url()),
        ("Activities", f"{base}aktiviteter/"),
        ("Activities, commitment", f"{base}aktiviteter/?atagande={commitment.slug}"),
        ("Activities, type", f"{base}aktiviteter/?typ={type_slug}"),
        ("Activities, organisation", f"{base}aktiviteter/?organisation={organisation.pk}"),
        ("Activities, year", f"{base}aktiviteter/?ar={year}"),
        ("Activities, year + month", f"{base}aktiviteter/?ar={year}&manad=3"),
        ("Activities, text (common)", f"{base}aktiviteter/?q=fotpatrullering"),
        ("Activities, text (rare)", f"{base}aktiviteter/?q=g%C3%A5ngtunneln"),
        ("Activities, oldest first", f"{base}aktiviteter/?sortering=aldst"),
        ("Activities, last page", f"{base}aktiviteter/?sida={last_page}"),
        ("Activity", activity.get_absolute_url()),
        ("Follow-up", f"{finished.get_absolute_url()}uppfoljning/{follow_up.pk}/"),
        ("Feed, municipality", f"{big.get_absolute_url()}flode.atom"),
        ("Feed, municipality with most in force", f"{city.get_absolute_url()}flode.atom"),
        ("Feed, promise", f"{base}flode.atom"),
        ("Feed, commitment", f"{commitment.get_absolute_url()}flode.atom"),
        ("Follow-ups feed, municipality", f"{big.get_absolute_url()}uppfoljningar.atom"),
        ("Calendar, municipality", f"{big.get_absolute_url()}kalender.ics"),
        ("Calendar, promise", f"{base}kalender.ics"),
        # The open-data API's activities (where the code has it).
        ("API, all activities", "/api/v1/activities"),
        ("API, municipality", f"/api/v1/activities?municipality={city.slug}"),
        ("API, updated since", f"/api/v1/activities?updated_since={week_ago:%Y-%m-%dT%H:%M:%SZ}"),
        ("API, from", f"/api/v1/activities?from={today - timedelta(days=30)}"),
        ("API, from and to", f"/api/v1/activities?from={year}-03-01&to={year}-03-07"),
    ]


def measure(client: Client, url: str, requests: int) -> dict | None:
    if client.get(url).status_code == 404:  # warm-up; an address the code does not have
        return None
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    slowest, seq_scan, plan, buffers, sql_ms = 0.0, False, [], 0, 0.0
    for query in captured.captured_queries:
        sql = query["sql"]
        if TABLE not in sql or not sql.lstrip().upper().startswith("SELECT"):
            continue
        ms, touched, nodes = explain(sql)
        buffers += touched
        sql_ms += ms
        seq_scan |= any(kind == "Seq Scan" and rel == TABLE for kind, rel, _i in nodes)
        if ms > slowest:
            slowest, plan = ms, nodes
    kinds = []
    for kind, rel, index in plan:
        label = kind + (f" {index or rel}" if (index or rel) else "")
        if label not in kinds:
            kinds.append(label)
    return {
        "url": url,
        "p50": statistics.median(timings),
        "p99": _percentile(timings, 0.99),
        "queries": len(captured.captured_queries),
        "slowest_ms": slowest,
        "sql_ms": sql_ms,
        "buffers": buffers,
        "seq_scan": seq_scan,
        "plan": kinds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--json", help="save the figures here")
    parser.add_argument("--before", help="an earlier run's --json, shown beside this one")
    parser.add_argument("--only", help="only pages whose label contains this")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL=postgres://…).")
    before = json.loads(Path(args.before).read_text()) if args.before else {}
    activities = Activity.objects.count()
    print(f"{activities} activities, PostgreSQL {connection.pg_version // 10000}")
    client = Client(HTTP_HOST="localhost")
    results = {}
    for label, url in pages():
        if args.only and args.only.lower() not in label.lower():
            continue
        result = measure(client, url, args.requests)
        if result is None:
            continue
        results[label] = result
        flag = "  SEQ SCAN" if result["seq_scan"] else ""
        print(
            f"{label:32} p50 {result['p50']:7.1f} ms  p99 {result['p99']:7.1f} ms  "
            f"{result['queries']:3} q  slowest {result['slowest_ms']:6.1f} ms  "
            f"{result['buffers']:7} buffers{flag}  {url}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    header = (
        "| page | p50 (ms) | p99 (ms) | queries | activity SQL (ms) | buffers "
        "| slowest plan | Seq Scan |"
    )
    rule = "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    if before:
        header = (
            "| page | p50 before → after (ms) | p99 after (ms) | queries before → after "
            "| activity SQL before → after (ms) | buffers before → after | Seq Scan |"
        )
        rule = "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
    lines = [header, rule]
    for label, r in results.items():
        seq = "yes" if r["seq_scan"] else "no"
        b = before.get(label)
        if b:
            lines.append(
                f"| {label} | {b['p50']:.0f} → {r['p50']:.0f} | {r['p99']:.0f} "
                f"| {b['queries']} → {r['queries']} | {b['sql_ms']:.1f} → {r['sql_ms']:.1f} "
                f"| {b['buffers']} → {r['buffers']} | {'yes' if b['seq_scan'] else 'no'} → {seq} |"
            )
        elif before:
            lines.append(
                f"| {label} | – → {r['p50']:.0f} | {r['p99']:.0f} | – → {r['queries']} "
                f"| – → {r['sql_ms']:.1f} | – → {r['buffers']} | – → {seq} |"
            )
        else:
            lines.append(
                f"| {label} | {r['p50']:.0f} | {r['p99']:.0f} | {r['queries']} "
                f"| {r['sql_ms']:.1f} | {r['buffers']} | {', '.join(r['plan'][:4])} | {seq} |"
            )
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
