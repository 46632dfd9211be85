"""E-mail alerts in a browser: subscribe, confirm and leave, without JavaScript, on a phone."""

import pytest
from django.core import mail
from playwright.sync_api import Page

from tests.alerts.conftest import link_after
from tests.browser.conftest import NARROW, axe_violations

pytestmark = pytest.mark.browser


def _subscribe_confirm_and_leave(page: Page, site, run_tasks, check) -> None:
    """The resident's whole way, from the promise page; `check(step)` at every page."""
    page.goto(site.url("promise-detail", **site.promise_kwargs()))
    page.get_by_role("link", name="Få e-post om nya aktiviteter").click()
    assert page.locator("h1").inner_text() == "Få e-post om nya aktiviteter"
    check("subscribe")

    # Sent empty: a summary at the top links to the field, which says what is wrong.
    page.get_by_role("button", name="Bevaka").click()
    summary = page.locator(".ml-error-summary")
    assert summary.is_visible()
    assert "Skriv din e-postadress." in summary.inner_text()
    assert page.title().startswith("Fel: ")
    assert page.get_by_label("Din e-postadress").get_attribute("aria-invalid") == "true"
    check("subscribe with errors")
    summary.get_by_role("link", name="Skriv din e-postadress.").click()
    assert page.url.endswith("#id_epost")

    page.get_by_label("Din e-postadress").fill("invanare@example.se")
    page.get_by_label("En gång i veckan").check()
    page.get_by_role("button", name="Bevaka").click()
    assert page.locator("h1").inner_text() == "Titta i din e-post"
    check("sent")

    run_tasks()
    message = mail.outbox[-1]
    page.goto(site.base + link_after(message, "Bekräfta genom att"))
    assert page.locator("h1").inner_text() == "Bekräfta bevakningen"
    check("confirm")
    page.get_by_role("button", name="Bekräfta").click()
    assert page.locator("h1").inner_text() == "Klart! Bevakningen är bekräftad"
    assert "en gång i veckan" in page.locator("main").inner_text()
    check("confirmed")

    page.goto(site.base + link_after(message, "Du kan också radera adressen direkt"))
    assert page.locator("h1").inner_text() == "Sluta bevaka"
    check("unsubscribe")
    page.get_by_role("button", name="Sluta bevaka").click()
    assert page.locator("h1").inner_text() == "Du bevakar inte längre"
    check("left")
    assert not page.context.cookies()


def test_a_resident_subscribes_confirms_and_leaves_without_javascript(site, new_page, run_tasks):
    page = new_page(viewport=NARROW, javascript=False)
    _subscribe_confirm_and_leave(page, site, run_tasks, check=lambda step: None)


def test_every_step_is_accessible_on_a_narrow_screen(site, new_page, run_tasks):
    page = new_page(viewport=NARROW)
    problems: list[str] = []

    def check(step: str) -> None:
        violations = axe_violations(page)
        if violations:
            problems.append(f"{step}: axe-core found violations:\n{violations}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            problems.append(f"{step}: the page is {width} px wide")
        if page.locator("h1").count() != 1:
            problems.append(f"{step}: not one h1")

    _subscribe_confirm_and_leave(page, site, run_tasks, check)
    assert not problems, "\n".join(problems)


def test_the_frequency_is_chosen_by_keyboard(site, page):
    page.goto(site.alerts_url("subscribe", query=f"kommun={site.municipality.slug}"))
    page.get_by_label("Din e-postadress").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_frekvens_0"
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("En gång i veckan").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Bevaka"
