"""The activities filter on a phone: folded behind "Filtrera", results first, at 360 px."""

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import DESKTOP, axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}


def _activities_url(site, lang: str = "sv", query: str = "") -> str:
    return site.url("activity-list", lang, query=query, **site.promise_kwargs())


def _top(page: Page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_filters_fold_at_360_px_with_the_results_first(site, new_page, lang):
    page = new_page(viewport=PHONE)
    page.goto(_activities_url(site, lang, "typ=fotpatrullering"))
    details = page.locator("details.ml-filter-panel")
    assert details.count() == 1
    assert details.evaluate("el => el.open") is False
    # Folded: none of the filter fields is shown, and the results follow the
    # one-line button directly.
    assert not page.locator("#id_q").is_visible()
    summary = page.locator("summary.ml-filter-panel__summary")
    assert summary.is_visible()
    assert "(1)" in summary.inner_text()
    box = summary.bounding_box()
    assert box["height"] < 80
    results = _top(page, "#ml-results-heading")
    assert 0 < results - (box["y"] + box["height"]) < 120
    assert _top(page, ".ml-activity") < _top(page, ".ml-footer")
    # No horizontal scrolling at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = axe_violations(page)
    assert not violations, f"folded filters at 360 px:\n{violations}"

    # Opened by keyboard: the fields are there, and the form still filters.
    summary.focus()
    page.keyboard.press("Enter")
    assert details.evaluate("el => el.open") is True
    assert page.locator("#id_q").is_visible()
    violations = axe_violations(page)
    assert not violations, f"opened filters at 360 px:\n{violations}"


def test_quick_link_sets_the_period_and_is_marked_current(site, new_page):
    page = new_page(viewport=PHONE, javascript=False)
    page.goto(_activities_url(site))
    page.get_by_role("link", name="I år").click()
    page.wait_for_url(lambda url: "fran=" in url and "till=" in url)
    current = page.locator("#ml-quick-dates [aria-current='true']")
    assert current.count() == 1 and current.inner_text() == "I år"
    assert "(1)" in page.locator("summary.ml-filter-panel__summary").inner_text()


def test_filters_stay_open_beside_the_results_on_a_wide_screen(site, new_page):
    page = new_page(viewport=DESKTOP)
    page.goto(_activities_url(site))
    assert page.locator("#id_q").is_visible()
    assert not page.locator("summary.ml-filter-panel__summary").is_visible()
    form = page.locator("form.ml-filters").bounding_box()
    results = page.locator("#ml-results-heading").bounding_box()
    assert form["x"] + form["width"] <= results["x"]  # beside, not above


def test_htmx_filtering_updates_the_count_in_the_summary(site, new_page):
    page = new_page(viewport=DESKTOP)
    page.goto(_activities_url(site))
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Fritext").fill("centrum")
    page.get_by_label("Fritext").press("Enter")
    page.wait_for_url(lambda url: "q=centrum" in url)
    page.wait_for_function(
        "document.getElementById('ml-filter-summary').textContent.includes('(1)')"
    )
    assert page.evaluate("window.__sameDocument === true")
