"""The staff home and the recurring-activity form in a real browser: 360 px, axe, no JavaScript."""

import re
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from activities.models import Activity, ActivitySeries
from promises.models import Commitment
from staff.management.commands.load_demo import DEMO_PASSWORD
from tests.browser.conftest import axe_violations
from tests.browser.test_csp import _watch

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
OFFICER = "kommunpolis.harryda"


def _log_in(page: Page, site, username: str = OFFICER, next_path: str = "/personal/") -> None:
    page.goto(f"{site.base}{next_path}")
    # Not logged in: the admin's login, which comes back here afterwards.
    assert "/admin/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site.base}{next_path}")


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _commitment(site) -> Commitment:
    """A commitment of the demo's current Mölndal promise, which the officer reaches."""
    return site.promise.commitments.order_by("position").first()


def _planned(site, **fields) -> Activity:
    commitment = _commitment(site)
    fields.setdefault("date", timezone.localdate() - timedelta(days=3))
    return Activity.objects.create(
        commitment=commitment,
        type=commitment.activities.first().type,
        title="Nattvandring att bekräfta",
        state=Activity.State.PLANNED,
        start_time=time(21),
        end_time=time(2),
        **fields,
    )


def test_staff_home_at_360_px_passes_axe_and_confirms_with_one_tap(site, new_page):
    planned = _planned(site)
    page = new_page(viewport=PHONE)
    seen = _watch(page)
    _log_in(page, site)

    assert page.get_by_role("heading", name="Min översikt").is_visible()
    assert page.get_by_role("heading", name="Nattvandring att bekräfta").is_visible()
    violations = axe_violations(page)
    assert not violations, violations
    _no_horizontal_scroll(page)

    # The optional counts open, and are labelled.
    page.get_by_text("Ange antal (valfritt)").first.click()
    page.get_by_label("Nådda personer").first.fill("25")
    violations = axe_violations(page)
    assert not violations, violations
    page.get_by_role("button", name=re.compile(rf"^Genomförd\W+{planned.title}")).click()

    assert page.get_by_text("är markerad som genomförd").is_visible()
    planned.refresh_from_db()
    assert planned.state == Activity.State.DONE
    assert planned.people_reached == 25
    assert not seen, seen


def test_staff_home_without_javascript(site, new_page):
    planned = _planned(site)
    page = new_page(viewport=PHONE, javascript=False)
    _log_in(page, site)
    page.get_by_role("button", name=re.compile(rf"^Inställd\W+{planned.title}")).click()
    assert page.get_by_text("är markerad som inställd").is_visible()
    planned.refresh_from_db()
    assert planned.state == Activity.State.CANCELLED

    page.get_by_label("Få veckobrev").uncheck()
    page.get_by_role("button", name="Spara valet").click()
    assert page.get_by_text("Du får inte längre veckobrevet").is_visible()
    assert not page.get_by_label("Få veckobrev").is_checked()


def _fridays(first: date, last: date) -> list[date]:
    return [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).weekday() == 4
    ]


def _fill_recurring(page: Page, site, first: date, last: date) -> None:
    commitment = _commitment(site)
    page.get_by_label("Åtagande").select_option(str(commitment.pk))
    page.get_by_label("Typ av aktivitet").select_option(str(commitment.activities.first().type_id))
    page.get_by_label("Rubrik").fill("Nattvandring i Kvarnbyn")
    page.get_by_label("Plats").fill("Kvarnbyn")
    page.get_by_label("fredag").check()
    page.get_by_label("Starttid").fill("21:00")
    page.get_by_label("Sluttid").fill("02:00")
    page.get_by_label("Första dag").fill(first.isoformat())
    page.get_by_label("Sista dag").fill(last.isoformat())


def _dates(site) -> tuple[date, date]:
    # Four weeks from today, inside the current promise.
    first = max(timezone.localdate(), site.promise.period_start)
    return first, min(first + timedelta(days=27), site.promise.period_end)


def test_recurring_form_at_360_px_without_javascript(site, new_page):
    page = new_page(viewport=PHONE, javascript=False)
    _log_in(page, site, next_path=reverse("personal:recurring"))

    first, last = _dates(site)
    expected = len(_fridays(first, last))
    _fill_recurring(page, site, first, last)
    page.get_by_role("button", name="Förhandsgranska").click()
    assert page.get_by_text(f"Skapar {expected} planerade tillfällen").is_visible()
    assert not ActivitySeries.objects.exists()

    page.get_by_role("button", name="Skapa planerade tillfällen").click()
    assert page.get_by_text(f"Skapade {expected} planerade tillfällen").is_visible()
    series = ActivitySeries.objects.get()
    assert sorted(a.date for a in series.activities.all()) == _fridays(first, last)


def test_recurring_form_at_360_px_passes_axe_and_previews_as_it_changes(site, new_page):
    page = new_page(viewport=PHONE)
    seen = _watch(page)
    _log_in(page, site, next_path=reverse("personal:recurring"))
    violations = axe_violations(page)
    assert not violations, violations
    _no_horizontal_scroll(page)

    # Sent empty: the error summary links to each field.
    page.get_by_role("button", name="Skapa planerade tillfällen").click()
    assert page.get_by_role("heading", name="Det finns ett problem").is_visible()
    violations = axe_violations(page)
    assert not violations, violations
    _no_horizontal_scroll(page)
    page.get_by_role("link", name="Välj minst en veckodag.").click()
    assert page.evaluate("document.activeElement.id") == "id_weekdays_0"

    first, last = _dates(site)
    _fill_recurring(page, site, first, last)
    # No button pressed: htmx asks for the preview as the form changes.
    preview = page.locator("#forhandsvisning")
    preview.get_by_text(f"Skapar {len(_fridays(first, last))} planerade tillfällen").wait_for()
    assert "över midnatt" in preview.inner_text()
    violations = axe_violations(page)
    assert not violations, violations
    assert not ActivitySeries.objects.exists()
    assert not seen, seen
