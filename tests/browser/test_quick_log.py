"""The quick log in a real browser on a phone: axe, the keyboard, and no JavaScript at all."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from activities.models import Activity
from promises.models import ActivityType, Commitment
from tests.browser.conftest import HAS_FOCUS_RING_JS, axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}
PASSWORD = "ett-langt-losenord-2024"


@pytest.fixture
def field_site(live_server, make_promise, harryda, make_staff, harryda_org):
    """A current promise with two commitments, one with earlier work, and an officer."""
    # The live server's flush removes the types a data migration seeds: seed them again.
    import_module("activities.migrations.0003_seed_activity_types").seed(apps, None)
    today = timezone.localdate()
    promise = make_promise(
        [harryda],
        title="Medborgarlöfte Härryda",
        start=today - timedelta(days=100),
        end=today + timedelta(days=100),
    )
    first = Commitment.objects.create(promise=promise, position=1, title="Fotpatrullering")
    second = Commitment.objects.create(promise=promise, position=2, title="Trygghetsvandringar")
    Activity.objects.create(
        commitment=second,
        type=ActivityType.objects.get(slug="trygghetsvandring"),
        date=today - timedelta(days=20),
        title="Trygghetsvandring i Rävlanda",
        place="Rävlanda",
    )
    make_staff("kommunpolis.test", harryda_org, "Kommunpolis")
    return {"base": live_server.url, "first": first, "second": second, "today": today}


def _log_in(page: Page, base: str, path: str) -> None:
    page.goto(base + path)
    # Anonymous: the admin's login, which brings the user back.
    assert "/admin/login/" in page.url
    page.fill("#id_username", "kommunpolis.test")
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(f"**{path}")


def test_quick_log_on_a_phone_passes_axe_and_logs_an_activity(field_site, new_page):
    page = new_page(viewport=PHONE)
    # The strict Content-Security-Policy holds, htmx's swaps included.
    violations: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.log('CSP-VIOLATION ' + e.violatedDirective))"
    )
    page.on(
        "console",
        lambda m: violations.append(m.text) if "CSP-VIOLATION" in m.text else None,
    )
    _log_in(page, field_site["base"], reverse("personal:quick-log"))
    assert not axe_violations(page), axe_violations(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"

    # A date outside the period: refused before anything is saved, with a linked summary.
    page.get_by_label("Annat datum").check()
    too_early = field_site["first"].promise.period_start - timedelta(days=1)
    page.locator("#id_date").fill(too_early.isoformat())
    page.get_by_role("button", name="Spara aktiviteten").click()
    summary = page.locator(".ml-error-summary")
    assert "ligger utanför medborgarlöftets period" in summary.inner_text()
    assert not axe_violations(page), axe_violations(page)
    assert not Activity.objects.filter(created_by__username="kommunpolis.test").exists()

    # Another commitment: htmx brings its types and places without a page load.
    page.locator("#id_commitment").select_option(str(field_site["second"].pk))
    page.locator("#ml-places option[value='Rävlanda']").wait_for(state="attached")
    assert page.locator("#id_type option:checked").inner_text() == "Trygghetsvandring"
    page.get_by_label("I går").check()
    page.locator("#id_place").fill("Rävlanda")
    page.locator("#id_occasions").fill("1")
    page.locator("#id_people_reached").fill("25")
    page.get_by_role("button", name="Spara aktiviteten").click()

    assert "är sparad som utkast" in page.locator(".ml-messages").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Logga en till"
    assert not axe_violations(page), axe_violations(page)
    activity = Activity.objects.get(created_by__username="kommunpolis.test")
    assert activity.commitment == field_site["second"]
    assert activity.date == field_site["today"] - timedelta(days=1)
    assert activity.people_reached == 25
    assert activity.status == Activity.Status.DRAFT
    # ”Logga en till” keeps the commitment, the day and the place.
    assert page.locator("#id_commitment").input_value() == str(field_site["second"].pk)
    assert page.locator("#id_when_1").is_checked()
    assert page.locator("#id_place").input_value() == "Rävlanda"
    assert not violations, violations


def test_quick_log_works_without_javascript(field_site, new_page):
    page = new_page(viewport=PHONE, javascript=False)
    _log_in(page, field_site["base"], reverse("personal:quick-log"))
    page.locator("#id_description").fill("Kvällspromenad med föreningen.")
    # ”Välj” does what htmx does, by a round trip that keeps what was written.
    page.locator("#id_commitment").select_option(str(field_site["second"].pk))
    page.get_by_role("button", name="Välj").click()
    assert page.locator("#ml-places option[value='Rävlanda']").count() == 1
    assert page.locator("#id_description").input_value() == "Kvällspromenad med föreningen."
    assert not Activity.objects.filter(created_by__username="kommunpolis.test").exists()
    # The typed date shows once ”Annat datum” is chosen, by CSS alone.
    assert not page.locator("#id_date").is_visible()
    page.get_by_label("Annat datum").check()
    assert page.locator("#id_date").is_visible()
    day = field_site["today"] - timedelta(days=3)
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_place").fill("Hindås")
    page.get_by_role("button", name="Spara aktiviteten").click()
    assert "är sparad som utkast" in page.locator(".ml-messages").inner_text()
    activity = Activity.objects.get(created_by__username="kommunpolis.test")
    assert (activity.commitment, activity.date, activity.place) == (
        field_site["second"],
        day,
        "Hindås",
    )
    assert activity.description == "Kvällspromenad med föreningen."


def test_every_focus_stop_on_the_quick_log_is_visible(field_site, new_page):
    page = new_page(viewport=PHONE)
    _log_in(page, field_site["base"], reverse("personal:quick-log"))
    page.locator("#id_commitment").focus()
    hidden = []
    for _ in range(14):
        page.keyboard.press("Tab")
        if not page.evaluate(HAS_FOCUS_RING_JS):
            hidden.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
    assert not hidden, hidden


def test_week_log_on_a_phone_passes_axe_and_saves_all_rows_or_none(field_site, new_page):
    # (axe runs as a script in the page: it needs JavaScript, the page itself does not.)
    page = new_page(viewport=PHONE)
    _log_in(page, field_site["base"], reverse("personal:week-log"))
    assert not axe_violations(page), axe_violations(page)
    foot = ActivityType.objects.get(slug="fotpatrullering")
    for row, days_ago in ((0, 1), (1, 2)):
        page.locator(f"#id_form-{row}-commitment").select_option(str(field_site["first"].pk))
        page.locator(f"#id_form-{row}-type").select_option(str(foot.pk))
        day = field_site["today"] - timedelta(days=days_ago)
        page.locator(f"#id_form-{row}-date").fill(day.isoformat())
    # A third row in the future: nothing at all is saved, and the row is named.
    page.locator("#id_form-2-commitment").select_option(str(field_site["first"].pk))
    page.locator("#id_form-2-type").select_option(str(foot.pk))
    future = field_site["today"] + timedelta(days=2)
    page.locator("#id_form-2-date").fill(future.isoformat())
    page.get_by_role("button", name="Spara alla rader").click()
    assert "Rad 3" in page.locator(".ml-error-summary").inner_text()
    assert not axe_violations(page), axe_violations(page)
    assert not Activity.objects.filter(created_by__username="kommunpolis.test").exists()
    page.locator("#id_form-2-date").fill("")
    page.locator("#id_form-2-commitment").select_option("")
    page.locator("#id_form-2-type").select_option("")
    page.get_by_role("button", name="Spara alla rader").click()
    assert "2 aktiviteter är sparade" in page.locator(".ml-messages").inner_text()
    assert Activity.objects.filter(created_by__username="kommunpolis.test").count() == 2


def test_week_log_works_without_javascript(field_site, new_page):
    page = new_page(viewport=PHONE, javascript=False)
    _log_in(page, field_site["base"], reverse("personal:week-log"))
    foot = ActivityType.objects.get(slug="fotpatrullering")
    page.locator("#id_form-0-commitment").select_option(str(field_site["first"].pk))
    page.locator("#id_form-0-type").select_option(str(foot.pk))
    page.locator("#id_form-0-date").fill(field_site["today"].isoformat())
    page.locator("#id_form-0-place").fill("Mölnlycke centrum")
    page.get_by_role("button", name="Spara alla rader").click()
    assert "1 aktivitet är sparad" in page.locator(".ml-messages").inner_text()
    activity = Activity.objects.get(created_by__username="kommunpolis.test")
    assert activity.title == "Fotpatrullering och polisnärvaro i Mölnlycke centrum"
