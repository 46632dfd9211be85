"""The promise page stays light on a phone: HTML + CSS + JS under 100 KB, htmx excluded."""

from io import StringIO
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import translation

from promises.models import Promise

LIMIT = 100 * 1024


def test_promise_pages_with_the_demo_data_weigh_under_100_kb(client, db):
    call_command("load_demo", force=True, stdout=StringIO())
    css = Path(finders.find("css/site.css")).stat().st_size
    for promise in Promise.objects.published():
        with translation.override("sv"):
            url = promise.get_absolute_url()
        for prefix in ("", "/en"):
            response = client.get(prefix + url)
            assert response.status_code == 200
            body = response.content.decode()
            # The promise page loads no script at all; htmx is only on the activities page.
            assert "<script" not in body
            assert len(response.content) + css < LIMIT, promise
