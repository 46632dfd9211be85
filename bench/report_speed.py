"""Measure the follow-up report over many activities: XLSX and PDF time, CSV memory.

Usage: DEBUG=true .venv/bin/python bench/report_speed.py [--activities 20000] [--write docs/performance.md]

Adds generated public activities inside the period of Härryda's published
follow-up (after `manage.py load_demo`), builds the report the way the task
worker and the CSV download do (reports.content and reports.outputs), and
rolls everything back. CSV memory is the peak Python allocation (tracemalloc)
while streaming, for half of the activities and for all of them: flat
means the two are about the same (rows are read 2,000 at a time).
"""

import argparse
import os
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from activities.models import Activity  # noqa: E402
from bench.import_speed import write_section  # noqa: E402
from promises.models import ActivityType, FollowUp, Organisation  # noqa: E402
from reports import outputs  # noqa: E402
from reports.content import report_for_follow_up  # noqa: E402


def _add_activities(follow_up: FollowUp, count: int) -> None:
    commitments = list(follow_up.promise.commitments.all())
    types = list(ActivityType.objects.all()[:5])
    organisation = Organisation.objects.filter(kind="kommun").first()
    days = (follow_up.period_end - follow_up.period_start).days + 1
    batch = [
        Activity(
            commitment=commitments[n % len(commitments)],
            type=types[n % len(types)],
            date=follow_up.period_start + timedelta(days=n % days),
            title=f"Mätaktivitet {n}",
            place=f"Plats {n % 50}",
            occasions=1 + n % 3,
            people_reached=n % 40 or None,
        )
        for n in range(count)
    ]
    created = Activity.objects.bulk_create(batch, batch_size=2000)
    if organisation is not None:
        through = Activity.organisations.through
        through.objects.bulk_create(
            [through(activity_id=a.pk, organisation_id=organisation.pk) for a in created],
            batch_size=2000,
        )


def _csv_peak_mb(follow_up: FollowUp) -> float:
    report = report_for_follow_up(follow_up)
    tracemalloc.start()
    for _chunk in outputs.csv_chunks(report):
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def measure(follow_up: FollowUp, count: int) -> dict:
    with transaction.atomic():
        _add_activities(follow_up, count // 2)
        small_csv = _csv_peak_mb(follow_up)
        _add_activities(follow_up, count - count // 2)
        started = time.perf_counter()
        xlsx = outputs.xlsx_bytes(report_for_follow_up(follow_up))
        xlsx_s = time.perf_counter() - started
        started = time.perf_counter()
        pdf = outputs.pdf_bytes(report_for_follow_up(follow_up))
        pdf_s = time.perf_counter() - started
        started = time.perf_counter()
        big_csv = _csv_peak_mb(follow_up)
        csv_s = time.perf_counter() - started
        total = report_for_follow_up(follow_up).total_activities
        transaction.set_rollback(True)
    return {
        "activities": total,
        "xlsx_s": xlsx_s,
        "xlsx_mb": len(xlsx) / 1024 / 1024,
        "pdf_s": pdf_s,
        "pdf_kb": len(pdf) / 1024,
        "csv_s": csv_s,
        "csv_small_mb": small_csv,
        "csv_big_mb": big_csv,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=20000)
    parser.add_argument("--write", help="write the figures as Markdown to this file")
    args = parser.parse_args()
    follow_up = FollowUp.objects.published().filter(promise__municipalities__slug="harryda").first()
    if follow_up is None:
        sys.exit("No published follow-up for Härryda: run `manage.py load_demo` first.")
    r = measure(follow_up, args.activities)
    table = "\n".join(
        [
            "| activities in the period | XLSX (s) | XLSX (MB) | PDF (s) | PDF (kB) "
            "| CSV (s) | CSV peak, half (MB) | CSV peak, all (MB) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {r['activities']} | {r['xlsx_s']:.1f} | {r['xlsx_mb']:.1f} | {r['pdf_s']:.1f} "
            f"| {r['pdf_kb']:.0f} | {r['csv_s']:.1f} | {r['csv_small_mb']:.1f} "
            f"| {r['csv_big_mb']:.1f} |",
        ]
    )
    print(table)
    if args.write:
        vendor = connection.vendor
        section = (
            f"## Follow-up report speed ({vendor})\n\n"
            "Measured by `bench/report_speed.py`: one follow-up with generated public "
            "activities, built as the worker builds the stored files (XLSX, PDF) and as the "
            "CSV download streams it. Targets: XLSX under 10 s, PDF under 30 s, CSV memory "
            "flat (peak Python allocation while streaming half of the activities and all "
            "of them; rows are read 2,000 at a time).\n\n"
            f"{table}\n"
        )
        start, end = f"<!-- report_speed:{vendor}:start -->", f"<!-- report_speed:{vendor}:end -->"
        write_section(Path(args.write), section, start=start, end=end)
        print(f"Written to {args.write}")


if __name__ == "__main__":
    main()
