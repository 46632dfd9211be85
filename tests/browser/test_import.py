"""The spreadsheet import as staff use it: the template, an error, the corrected file again."""

import openpyxl
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from activities.models import Activity
from staff.management.commands.load_demo import DEMO_PASSWORD

from .conftest import axe_violations

IMPORT = "admin:activities_activity_import"


def _log_in(site, page):
    page.goto(site.base + reverse("admin:login"))
    page.fill("#id_username", "kommunpolis.harryda")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")


def _settled(page, run_tasks):
    """Let the worker do its work, then show the job's page as it now is."""
    run_tasks()
    for _attempt in range(5):
        try:
            # The waiting page refreshes itself: a load may be cut off by it.
            page.goto(page.url)
        except PlaywrightError:
            continue
        if not page.locator("meta[http-equiv=refresh]").count():
            return
    raise AssertionError("The import job never finished")


def _upload(page, path, run_tasks):
    page.set_input_files("#id_import_file", str(path))
    with page.expect_navigation():
        page.click("input[type=submit][value='Förhandsgranska importen']")
    _settled(page, run_tasks)


def test_template_error_and_corrected_file_from_the_same_page(site, new_page, run_tasks, tmp_path):
    page = new_page()
    _log_in(site, page)
    page.goto(site.base + reverse(IMPORT))
    assert axe_violations(page) == ""
    with page.expect_download() as download:
        page.click("text=Excel (XLSX)")
    template = tmp_path / "mall.xlsx"
    download.value.save_as(template)

    book = openpyxl.load_workbook(template)
    assert "Listor" in book.sheetnames
    sheet = book["Aktiviteter"]
    example = [cell.value for cell in sheet[2]]
    row = [None, *example[1:]]
    row[6] = "Fotpatrulering"  # misspelt type
    row[5] = "Från webbläsartestet"
    sheet.append(row)
    wrong = tmp_path / "fel.xlsx"
    book.save(wrong)
    before = Activity.objects.count()

    _upload(page, wrong, run_tasks)

    assert page.get_by_role("heading", name="Filen kunde inte läsas in").is_visible()
    assert "Menade du ”Fotpatrullering och polisnärvaro”?" in page.content()
    assert axe_violations(page) == ""

    sheet.cell(row=3, column=7).value = example[6]
    right = tmp_path / "ratt.xlsx"
    book.save(right)
    _upload(page, right, run_tasks)  # from the error page itself

    assert page.get_by_role("heading", name="Förhandsgranskning").is_visible()
    assert axe_violations(page) == ""
    with page.expect_navigation():
        page.click("input[name=confirm]")
    _settled(page, run_tasks)
    assert page.get_by_role("heading", name="Importen är klar").is_visible()
    assert Activity.objects.count() == before + 1
    assert Activity.objects.filter(description="Från webbläsartestet").exists()


def test_import_errors_fit_a_phone(site, new_page, run_tasks, tmp_path):
    page = new_page(viewport={"width": 360, "height": 800})
    _log_in(site, page)
    page.goto(site.base + reverse(IMPORT))
    book = openpyxl.Workbook()
    book.active.append(
        ["ID", "Åtagande", "Datum", "Slutdatum", "Rubrik", "Beskrivning", "Typ"]
        + ["Genomförd av", "Plats", "Antal tillfällen", "Antal nådda personer", "Status"]
    )
    book.active.append(
        [None, "Inget sådant åtagande", "2025-03-01", None, None, "En lång beskrivning " * 5]
        + ["Fotpatrulering", "Härryda kommunn", None, 1, None, None]
    )
    path = tmp_path / "fel.xlsx"
    book.save(path)
    _upload(page, path, run_tasks)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert "Menade du" in page.content()
