"""Measure the spreadsheet import: rows per second for the preview and the import, and memory.

Usage: DEBUG=true .venv/bin/python bench/import_speed.py [--rows 1000 10000] [--write docs/performance.md]

Runs the worker's own functions (staff.imports.run_preview and
run_import, what `manage.py db_worker` runs) on generated CSV files of new
rows, against the configured database after `manage.py load_demo`. Everything
is rolled back afterwards. Memory is the process's peak resident size so far
(ru_maxrss), so read the figure of the largest file as the peak.
"""

import argparse
import os
import re
import resource
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from activities.models import Activity  # noqa: E402
from promises.models import Commitment, Organisation  # noqa: E402
from staff import imports  # noqa: E402
from staff.models import ImportJob  # noqa: E402

HEADER = (
    "ID;Åtagande-ID;Datum;Slutdatum;Rubrik;Beskrivning;Typ;Genomförd av;Plats;"
    "Antal tillfällen;Antal nådda personer;Status"
)


def write_section(path: Path, section: str, start: str, end: str) -> None:
    """Replace only this script's section (between its markers); keep the rest."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = f"{start}\n{section.rstrip()}\n{end}"
    if start in text and end in text:
        pattern = re.escape(start) + r".*?" + re.escape(end)
        text = re.sub(pattern, lambda _m: block, text, count=1, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def _csv(commitment, organisation, count: int) -> bytes:
    start = commitment.promise.period_start + timedelta(days=31)
    lines = [HEADER]
    for number in range(count):
        day = start + timedelta(days=number % 28)
        lines.append(
            f";{commitment.pk};{day.isoformat()};;Mätrad {number};Beskrivning {number};"
            f"Fotpatrullering och polisnärvaro;{organisation.name};Plats {number};1;;Publicerad"
        )
    return "\n".join(lines).encode("utf-8")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(user, commitment, organisation, count: int) -> dict:
    upload = SimpleUploadedFile("bench.csv", _csv(commitment, organisation, count))
    with transaction.atomic():
        job = imports.start(upload, ImportJob.Format.CSV, user, "bench")
        started = time.perf_counter()
        imports.run_preview(str(job.pk))
        preview = time.perf_counter() - started
        job.refresh_from_db()
        assert job.status == ImportJob.Status.READY, job.result.get("message")
        imports.confirm(job)
        started = time.perf_counter()
        imports.run_import(str(job.pk))
        confirm = time.perf_counter() - started
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE, job.result.get("message")
        assert Activity.objects.filter(title__startswith="Mätrad ").count() == count
        transaction.set_rollback(True)
    return {
        "rows": count,
        "preview_s": preview,
        "confirm_s": confirm,
        "peak_mb": _peak_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--write", help="write the figures as Markdown to this file")
    args = parser.parse_args()

    user = get_user_model().objects.filter(username="kommunpolis.harryda").first()
    if user is None:
        sys.exit("No demo staff: run `manage.py load_demo` first.")
    commitment = (
        Commitment.objects.for_user(user)
        .filter(promise__municipalities__slug="harryda")
        .select_related("promise")
        .first()
    )
    organisation = Organisation.objects.staff_of(user).first()

    results = [measure(user, commitment, organisation, count) for count in args.rows]
    lines = [
        "| rows | preview (s) | preview rows/s | import (s) | import rows/s | peak memory (MB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['rows']} | {r['preview_s']:.1f} | {r['rows'] / r['preview_s']:.0f} "
            f"| {r['confirm_s']:.1f} | {r['rows'] / r['confirm_s']:.0f} | {r['peak_mb']:.0f} |"
        )
    table = "\n".join(lines)
    vendor = connection.vendor
    print(table)
    if args.write:
        section = (
            f"## Spreadsheet import speed ({vendor})\n\n"
            "Measured by `bench/import_speed.py`: new rows with one organisation each, "
            "CSV, in the worker's functions (the preview is a dry run; the import writes "
            "each activity, its organisation and one history record, in one transaction). "
            "Peak memory is the whole process's resident peak.\n\n"
            f"{table}\n"
        )
        start, end = f"<!-- import_speed:{vendor}:start -->", f"<!-- import_speed:{vendor}:end -->"
        write_section(Path(args.write), section, start=start, end=end)
        print(f"Written to {args.write}")


if __name__ == "__main__":
    main()
