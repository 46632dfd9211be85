"""How the public pages behave with many activities (PostgreSQL).

Usage (on a scratch database, it adds N activities):

    createdb -h 127.0.0.1 -U postgres scale
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale \\
        .venv/bin/python bench/scale.py --activities 200000 [--write docs/performance.md]
    dropdb -h 127.0.0.1 -U postgres scale

Migrates, runs `load_demo`, bulk-inserts N extra activities spread over the
demo's commitments, types and each promise's period (fixed random seed), runs
ANALYZE, then requests each public page with the Django test client: median
time, query count and the plan node types of the slowest query (EXPLAIN
ANALYZE), flagging a Seq Scan on activities_activity. With --write it
replaces only its own section of the file (between the scale markers).
"""

import argparse
import json
import os
import random
import re
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from activities.models import Activity  # noqa: E402
from promises.models import ActivityType, Commitment, Promise  # noqa: E402

START, END = "<!-- scale:start -->", "<!-- scale:end -->"
SEED = 20261124
BATCH = 5000
WORDS = {
    "title": [
        "Trygghetsvandring",
        "Patrullering",
        "Föräldravandring",
        "Dialogmöte",
        "Skolbesök",
        "Informationsträff",
        "Fotpatrullering",
        "Medborgardialog",
    ],
    "place": [
        "Mölnlycke centrum",
        "Landvetter",
        "Hindås",
        "Rävlanda",
        "Mölndals bro",
        "Kållered",
        "Lindome",
        "Råda",
    ],
    "desc": [
        "kvällstid",
        "tillsammans med fältassistenter",
        "i samverkan med skolan",
        "fokus på ungdomar",
        "trafiksäkerhet",
        "belysning i gångtunnlar",
        "nattvandrare deltog",
        "samtal med näringsidkare",
    ],
}


def populate(extra: int) -> int:
    """Add `extra` published activities; returns how many were added."""
    rng = random.Random(SEED)
    commitments = list(
        Commitment.objects.select_related("promise").filter(
            promise__status=Promise.Status.PUBLISHED
        )
    )
    types = list(ActivityType.objects.values_list("pk", flat=True))
    if not commitments or not types:
        sys.exit("No published commitments or activity types: did load_demo run?")
    added = 0
    while added < extra:
        batch = []
        for _ in range(min(BATCH, extra - added)):
            commitment = rng.choice(commitments)
            promise = commitment.promise
            span = (promise.period_end - promise.period_start).days
            title = rng.choice(WORDS["title"])
            place = rng.choice(WORDS["place"])
            batch.append(
                Activity(
                    commitment=commitment,
                    date=promise.period_start + timedelta(days=rng.randint(0, span)),
                    type_id=rng.choice(types),
                    status=Activity.Status.PUBLISHED
                    if rng.random() < 0.95
                    else Activity.Status.DRAFT,
                    title=f"{title} {place}",
                    place=place,
                    description=" och ".join(rng.sample(WORDS["desc"], 2)).capitalize() + ".",
                    occasions=rng.randint(1, 12),
                    people_reached=rng.choice([None, rng.randint(5, 400)]),
                    is_example=True,
                )
            )
        Activity.objects.bulk_create(batch)
        added += len(batch)
    return added


def _plan_nodes(node: dict, found: list) -> None:
    found.append((node["Node Type"], node.get("Relation Name")))
    for child in node.get("Plans", []):
        _plan_nodes(child, found)


def explain(sql: str) -> tuple[list, float]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    nodes: list = []
    _plan_nodes(plan[0]["Plan"], nodes)
    return nodes, plan[0]["Execution Time"]


def measure(client: Client, url: str, repeat: int) -> dict:
    timings = []
    queries: list = []
    for _ in range(repeat):
        reset_queries()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = list(connection.queries)
    slowest = max(queries, key=lambda q: float(q["time"]))
    nodes, exec_ms = explain(slowest["sql"])
    seq = any(t == "Seq Scan" and rel == "activities_activity" for t, rel in nodes)
    kinds = []
    for t, rel in nodes:
        label = f"{t} ({rel})" if rel else t
        if label not in kinds:
            kinds.append(label)
    return {
        "url": url,
        "ms": sorted(timings)[len(timings) // 2],
        "queries": len(queries),
        "slowest_ms": float(slowest["time"]) * 1000,
        "explain_ms": exec_ms,
        "nodes": kinds,
        "seq_scan": seq,
    }


def write_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = f"{START}\n{section.rstrip()}\n{END}"
    if START in text and END in text:
        text = re.sub(
            re.escape(START) + r".*?" + re.escape(END), lambda _m: block, text, flags=re.S
        )
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=200_000, help="extra activities")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page")
    parser.add_argument("--write", help="write the figures into this Markdown file")
    parser.add_argument("--note", default="", help="a line to add below the table")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL=postgres://…).")

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Promise.objects.exists():  # a fresh database; a re-run reuses the data
        call_command("load_demo", verbosity=0)
        populate(args.activities)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Activity.objects.count()
    setup_s = time.perf_counter() - t0
    print(f"{total} activities ({setup_s:.0f} s to set up)")

    promise = (
        Promise.objects.published().filter(is_example=False).order_by("-period_start").first()
        or Promise.objects.published().first()
    )
    base = promise.get_absolute_url()
    commitment = promise.commitments.first()
    public = Activity.objects.public().filter(commitment__promise=promise)
    activity = public.order_by("pk").first()
    year = public.order_by("-date").values_list("date", flat=True).first().year
    type_slug = (
        ActivityType.objects.filter(activities__in=public).values_list("slug", flat=True).first()
    )
    pages = [
        ("Promise page", base),
        ("Commitment page", commitment.get_absolute_url()),
        ("Activities, unfiltered", base + "aktiviteter/"),
        ("Activities, type + year", f"{base}aktiviteter/?typ={type_slug}&ar={year}"),
        ("Activities, free text", f"{base}aktiviteter/?q=trygghetsvandringar"),
        ("Activities, page 50", f"{base}aktiviteter/?sida=50"),
        ("Activity detail", activity.get_absolute_url()),
    ]

    client = Client(HTTP_HOST="localhost")
    rows = []
    with override_settings(DEBUG=True):  # DEBUG records the queries
        for label, url in pages:
            client.get(url)  # warm caches
            m = measure(client, url, args.repeat)
            rows.append((label, m))
            flag = "  SEQ SCAN on activities_activity" if m["seq_scan"] else ""
            print(f"{label:26} {m['ms']:8.1f} ms {m['queries']:3} q  {m['url']}{flag}")

    in_promise = public.count()
    lines = [
        "| page | median (ms) | SQL queries | slowest query (ms) | its plan | Seq Scan on activities? |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for label, m in rows:
        lines.append(
            f"| {label} `{m['url']}` | {m['ms']:.0f} | {m['queries']} | {m['slowest_ms']:.1f} "
            f"| {', '.join(m['nodes'])} | {'**yes**' if m['seq_scan'] else 'no'} |"
        )
    table = "\n".join(lines)
    section = (
        "## Public pages at scale\n\n"
        f"Measured by `bench/scale.py --activities {args.activities}`: {total} activities in "
        f"PostgreSQL {connection.pg_version // 10000} ({in_promise} public in the measured "
        f"promise), 2 cores, Django test client, median of {args.repeat} requests after one "
        "warm-up. The plan is that of each page's slowest query, from EXPLAIN ANALYZE.\n\n"
        f"{table}\n"
    )
    if args.note:
        section += f"\n{args.note}\n"
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")
    if args.write:
        write_section(Path(args.write), section)
        print(f"Written to {args.write}")


if __name__ == "__main__":
    main()
