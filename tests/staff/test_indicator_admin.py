"""Indicators in the admin: scoped like everything else, values typed in or imported."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from promises.models import Indicator, Measurement
from staff.models import ImportJob

HEADER = "Indikator;Kommun;Stadsdel eller område;År;Datum;Värde;KI nedre;KI övre;Antal svarande;Kommentar"


@pytest.fixture
def staff_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


@pytest.fixture
def indicator(harryda):
    indicator = Indicator.objects.create(
        name="Andel som känner sig trygga",
        unit="procent",
        source_name="Trygghetsmätningen",
        status=Indicator.Status.PUBLISHED,
    )
    indicator.municipalities.add(harryda)
    return indicator


def _upload(client, text: str):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "matvarden.csv"
    return client.post(
        reverse("admin:promises_measurement_import"), {"format": "csv", "import_file": upload}
    )


def _preview(client, text, run_tasks):
    response = _upload(client, text)
    assert response.status_code == 302, response.content.decode()[:500]
    run_tasks()
    return client.get(response["Location"])


def _import(client, text, run_tasks):
    page = _preview(client, text, run_tasks)
    job = page.context["job"]
    assert job.status == ImportJob.Status.READY, job.result
    client.post(reverse("admin:promises_measurement_process_import"), {"job": str(job.pk)})
    run_tasks()
    job.refresh_from_db()
    return job


def test_an_indicator_needs_a_promise_or_a_municipality(staff_client):
    response = staff_client.post(
        reverse("admin:promises_indicator_add"),
        {
            "name": "Trygghet",
            "unit": "procent",
            "direction": "up",
            "status": "draft",
            "position": 1,
            "source_name": "Enkät",
            "measurements-TOTAL_FORMS": 0,
            "measurements-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Välj ett medborgarlöfte eller minst en kommun" in response.content.decode()
    assert not Indicator.objects.exists()


def test_staff_add_an_indicator_with_values_in_one_form(staff_client, harryda):
    response = staff_client.post(
        reverse("admin:promises_indicator_add"),
        {
            "name": "Trygghet",
            "unit": "procent",
            "direction": "up",
            "status": "published",
            "position": 1,
            "source_name": "Enkät",
            "source_url": "example.se/trygghet",
            "municipalities": [harryda.pk],
            "measurements-TOTAL_FORMS": 1,
            "measurements-INITIAL_FORMS": 0,
            "measurements-0-municipality": harryda.pk,
            "measurements-0-year": 2023,
            "measurements-0-value": "72.4",
            "measurements-0-ci_low": "70",
            "measurements-0-ci_high": "75",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    indicator = Indicator.objects.get()
    assert indicator.source_url == "https://example.se/trygghet"
    assert indicator.measurements.get().value == Decimal("72.4")


def test_another_municipalitys_staff_cannot_reach_the_indicator(client, molndal_staff, indicator):
    client.force_login(molndal_staff)
    listing = client.get(reverse("admin:promises_indicator_changelist"))
    assert indicator.name not in listing.content.decode()
    change = client.get(reverse("admin:promises_indicator_change", args=[indicator.pk]))
    assert change.status_code in (302, 404)


def test_values_import_from_a_spreadsheet_and_a_second_import_changes_them(
    staff_client, indicator, harryda, run_tasks
):
    text = "\n".join(
        [
            HEADER,
            "Andel som känner sig trygga;Härryda;;2022;;68,5;65,4;71,6;812;",
            "andel som känner sig trygga;1401;;;2023-09-01;70;;;;ny fråga",
        ]
    )
    job = _import(staff_client, text, run_tasks)
    assert job.status == ImportJob.Status.DONE
    values = {(m.year, m.date): m for m in Measurement.objects.all()}
    assert values[(2022, None)].value == Decimal("68.5")
    assert values[(2022, None)].ci_low == Decimal("65.4")
    # The year is taken from the date; the kommunkod and any case find the same things.
    assert values[(2023, date(2023, 9, 1))].note == "ny fråga"

    again = _import(
        staff_client,
        "\n".join([HEADER, "Andel som känner sig trygga;Härryda;;2022;;69;66;72;812;"]),
        run_tasks,
    )
    assert again.result["totals"]["update"] == 1
    assert Measurement.objects.count() == 2
    assert Measurement.objects.get(year=2022).value == 69


def test_a_bad_row_names_line_column_and_value_and_writes_nothing(
    staff_client, indicator, harryda, molndal, run_tasks
):
    text = "\n".join(
        [
            HEADER,
            "Andel som känner sig trygga;Härryda;;2022;;68,5;;;;",
            "Andel som känner sig trygga;Härryda;;2023;;sjuttio;;;;",
            "Okänd indikator;Härryda;;2023;;1;;;;",
            "Andel som känner sig trygga;Mölndal;;2023;;1;;;;",
        ]
    )
    page = _preview(staff_client, text, run_tasks)
    job = page.context["job"]
    assert job.status == ImportJob.Status.FAILED
    problems = {(p["line"], p["column"], str(p["value"])) for p in job.result["problems"]}
    assert (3, "Värde", "sjuttio") in problems
    assert (4, "Indikator", "Okänd indikator") in problems
    # Mölndal is outside this user's area.
    assert (5, "Kommun", "Mölndal") in problems
    assert not Measurement.objects.exists()
    assert "sjuttio" in page.content.decode()


def test_the_template_file_has_the_import_columns(staff_client, indicator):
    response = staff_client.get(reverse("admin:promises_measurement_import_template", args=["csv"]))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").strip() == HEADER
