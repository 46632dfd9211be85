"""The staff admin fits a laptop's window: lists and forms, nothing clipped or scrolled sideways."""

import pytest
from django.urls import reverse

from promises.models import Indicator
from staff.management.commands.load_demo import DEMO_PASSWORD
from tests.browser.conftest import DESKTOP, axe_violations

pytestmark = pytest.mark.browser

# Whether any part of the change list is wider than the box that shows it.
OVERFLOW_JS = """() => {
    const boxes = [document.documentElement, ...document.querySelectorAll('.results, #changelist')];
    return boxes.filter(el => el.scrollWidth > el.clientWidth + 1)
                .map(el => (el.id || el.className || el.tagName) + ' ' + el.scrollWidth + '>' + el.clientWidth);
}"""


def _log_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}{reverse('admin:index')}")


@pytest.mark.parametrize("username", ["samordnare.molndal", "kommunpolis.harryda"])
def test_the_commitment_list_fits_1280_px_and_shows_progress(site, new_page, username):
    page = new_page(viewport=DESKTOP)
    _log_in(page, site.base, username)
    page.goto(site.base + reverse("admin:promises_commitment_changelist"))
    assert page.evaluate(OVERFLOW_JS) == []
    # Every row says how it goes, and the last column (logging) is in view.
    rows = page.locator("#result_list tbody tr")
    assert rows.count() > 0
    assert page.locator("#result_list tbody td.field-progress_label").count() == rows.count()
    last = page.locator("#result_list thead th").last.bounding_box()
    assert last["x"] + last["width"] <= DESKTOP["width"]


def test_the_activity_form_passes_axe(site, new_page):
    page = new_page(viewport=DESKTOP)
    _log_in(page, site.base, "samordnare.molndal")
    commitment = site.activity.commitment
    page.goto(f"{site.base}{reverse('admin:activities_activity_add')}?commitment={commitment.pk}")
    # The type list and the place suggestions are there without any script.
    assert page.locator("#id_type optgroup").count() == 2
    assert page.locator("#id_place_forslag option").count() > 0
    violations = axe_violations(page)
    assert violations == "", violations


def test_change_forms_with_tabular_inlines_fit_1280_px(site, new_page):
    """A promise's contacts and an indicator's values: the page never scrolls sideways."""
    indicator = Indicator.objects.filter(municipalities__slug="harryda").first()
    assert indicator is not None and indicator.measurements.exists()
    page = new_page(viewport=DESKTOP)
    _log_in(page, site.base, "kommunpolis.harryda")
    promise = reverse("admin:promises_promise_change", args=[site.archived_promise.pk])
    for path in [
        promise,
        reverse("admin:promises_indicator_change", args=[indicator.pk]),
        reverse("admin:promises_indicator_add"),
    ]:
        page.goto(site.base + path)
        assert page.locator(".inline-group .tabular").count() > 0, path
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= DESKTOP["width"], f"{path} is {wide} px wide"
    # A contact's six fields are all in view, none pushed off to the right.
    page.goto(site.base + promise)
    fields = page.locator("#contacts-group tbody tr.form-row:not(.empty-form) input:visible")
    assert fields.count() >= 6
    for field in fields.all():
        box = field.bounding_box()
        assert box["x"] + box["width"] <= DESKTOP["width"]
