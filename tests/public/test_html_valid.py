"""Every public page type is valid HTML by the Nu HTML Checker (vnu.jar, with Java).

``make test`` installs the checker from package.json (npm); CI runs it too.
"""

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from activities.models import Activity
from promises.models import Commitment, FollowUp, Municipality, Promise

VNU = Path(settings.BASE_DIR, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")


def _public_urls() -> dict[str, str]:
    promise = Promise.objects.published().get(municipalities__slug="molndal")
    harryda = Promise.objects.published().get(municipalities__slug="harryda")
    city = Promise.objects.published().filter(districts__isnull=False).first()
    commitment = Commitment.objects.filter(promise=promise).order_by("position").first()
    activity = Activity.objects.public().filter(commitment__promise=promise).first()
    follow_up = FollowUp.objects.published().filter(promise=harryda).first()
    base = promise.get_absolute_url()
    urls = {
        "start": "/",
        "start-search": "/?q=M%C3%B6lndal",
        "municipality": "/molndal/",
        "municipality-archived": "/harryda/",
        "municipality-city": Municipality.objects.get(slug="goteborg").get_absolute_url(),
        "promise": base,
        "promise-indicators": harryda.get_absolute_url(),
        "promise-districts": city.get_absolute_url(),
        "commitment": commitment.get_absolute_url(),
        "activities": f"{base}aktiviteter/",
        "activities-filtered": f"{base}aktiviteter/?typ=fotpatrullering&ar=2025&q=M%C3%B6lndal",
        "activities-invalid": f"{base}aktiviteter/?ar=1999&typ=finns-inte&sida=x",
        "activities-period": f"{base}aktiviteter/?fran=2025-03-01&till=2025-03-31&q=x",
        "activities-bad-dates": f"{base}aktiviteter/?fran=2025-13-45&till=inte-ett-datum",
        "abbreviations": "/forkortningar/",
        "activity": activity.get_absolute_url(),
        "follow-up": f"{harryda.get_absolute_url()}uppfoljning/{follow_up.pk}/",
        "about": "/om-webbplatsen/",
        "accessibility": "/tillganglighetsredogorelse/",
        "open-data": "/oppna-data/",
        "subscribe": f"/bevaka/?lofte={promise.pk}",
        "subscribe-sent": f"/bevaka/skickat/?lofte={promise.pk}",
        "alerts-about": "/bevaka/om/",
        "not-found": "/finns-inte-alls/",
    }
    return {**urls, **{f"{name} (en)": f"/en{url}" for name, url in urls.items()}}


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, stdout=StringIO())


def html_errors(pages: dict[str, bytes], tmp_path: Path) -> list[str]:
    """The Nu HTML Checker's errors in these pages (name: content), named by page."""
    java = shutil.which("java")
    assert java, "The HTML check needs Java (Debian: default-jre-headless)."
    assert VNU.exists(), "vnu.jar is missing: `make test` installs it with npm (package.json)."
    files = {}
    for name, content in pages.items():
        path = tmp_path / f"{len(files):02d}.html"
        path.write_bytes(content)
        files[path.name] = name
    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *map(str, sorted(tmp_path.iterdir())),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)
    return [
        f"{files.get(Path(m.get('url', '')).name, m.get('url'))} line {m.get('lastLine')}: "
        f"{m['message']}"
        for m in report["messages"]
        if m["type"] == "error"
    ]


def test_every_public_page_type_has_no_html_errors(client, demo, tmp_path):
    pages = {}
    for name, url in _public_urls().items():
        response = client.get(url)
        assert response.status_code in (200, 404), f"{name}: {url} gave {response.status_code}"
        pages[f"{name} {url}"] = response.content
    errors = html_errors(pages, tmp_path)
    assert errors == [], "\n".join(errors)
    assert len(pages) == 48
