"""Measure the weight and query count of the public pages on the demo data.

Usage: DEBUG=true .venv/bin/python bench/page_weight.py [--write docs/performance.md]

Page weight is HTML + CSS + JS as served, uncompressed, excluding htmx (the
target for a promise page is under 100 KB). Runs against the configured
database after `manage.py load_demo`.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from activities.models import Activity  # noqa: E402
from promises.models import Promise  # noqa: E402

ASSET = re.compile(r'(?:href|src)="(/static/[^"?#]+)')


def _asset_bytes(html: str) -> tuple[int, list[str]]:
    total, names = 0, []
    for url in sorted(set(ASSET.findall(html))):
        name = url.removeprefix(settings.STATIC_URL)
        if "htmx" in name or not name.endswith((".css", ".js")):
            continue
        path = finders.find(name)
        if path:
            total += Path(path).stat().st_size
            names.append(name)
    return total, names


def measure(client: Client, url: str, repeat: int = 5) -> dict:
    timings = []
    for _ in range(repeat):
        reset_queries()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    assets, names = _asset_bytes(html)
    return {
        "url": url,
        "html": len(response.content),
        "assets": assets,
        "asset_names": names,
        "queries": len(connection.queries),
        "ms": sorted(timings)[len(timings) // 2],
    }


START, END = "<!-- page_weight:start -->", "<!-- page_weight:end -->"


def write_section(path: Path, section: str) -> None:
    """Replace only this script's section (between its markers); keep the rest."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = f"{START}\n{section.rstrip()}\n{END}"
    if START in text and END in text:
        pattern = re.escape(START) + r".*?" + re.escape(END)
        text = re.sub(pattern, lambda _m: block, text, count=1, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", help="write the figures as Markdown to this file")
    args = parser.parse_args()

    promise = Promise.objects.published().filter(is_example=False).first()
    example = Promise.objects.published().filter(is_example=True).first()
    if promise is None:
        sys.exit("No published promise: run `manage.py load_demo` first.")
    activity = Activity.objects.public().filter(commitment__promise=promise).first()
    commitment = promise.commitments.first()
    pages = [
        ("Start page", "/"),
        ("Municipality page", promise.primary_municipality.get_absolute_url()),
        ("Promise page (Härryda, ended)", promise.get_absolute_url()),
        ("Commitment page", commitment.get_absolute_url()),
        ("Activities page", promise.get_absolute_url() + "aktiviteter/"),
        ("Activity detail", activity.get_absolute_url()),
    ]
    if example:
        pages.insert(3, ("Promise page (example, with targets)", example.get_absolute_url()))

    client = Client(HTTP_HOST="localhost")
    rows = []
    with override_settings(DEBUG=True):  # DEBUG records the queries
        for label, url in pages:
            rows.append((label, measure(client, url)))

    lines = [
        "| page | HTML (KB) | CSS + JS (KB, excl. htmx) | total (KB) | SQL queries | median time (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, m in rows:
        total = m["html"] + m["assets"]
        lines.append(
            f"| {label} `{m['url']}` | {m['html'] / 1024:.1f} | {m['assets'] / 1024:.1f} "
            f"| {total / 1024:.1f} | {m['queries']} | {m['ms']:.1f} |"
        )
    activities = Activity.objects.count()
    table = "\n".join(lines)
    print(table)
    print(f"\n{activities} activities in the database ({connection.vendor}).")
    if args.write:
        section = (
            "## Public page weight and queries\n\n"
            "Measured by `bench/page_weight.py` on the demo data "
            f"({activities} activities, {connection.vendor}, Django test client, "
            "median of 5 requests). Weight is uncompressed HTML + CSS + JS as served, "
            "excluding htmx. Target: a promise page under 100 KB.\n\n"
            f"{table}\n"
        )
        write_section(Path(args.write), section)
        print(f"Written to {args.write}")


if __name__ == "__main__":
    main()
