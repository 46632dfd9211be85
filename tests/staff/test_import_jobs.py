"""Imports as background jobs: size, limits, tampered confirmations and leftover files."""

import io
import os
import time
import zipfile
from datetime import timedelta

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from staff.models import ImportJob

HEADER = (
    "ID;Åtagande;Datum;Slutdatum;Rubrik;Beskrivning;Typ;Genomförd av;Plats;"
    "Antal tillfällen;Antal nådda personer;Status"
)
IMPORT_URL = "admin:activities_activity_import"
CONFIRM_URL = "admin:activities_activity_process_import"


@pytest.fixture
def staff_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


def _file(content: bytes, name: str):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def _upload(client, content: bytes, name="aktiviteter.csv", file_format="csv"):
    return client.post(
        reverse(IMPORT_URL), {"format": file_format, "import_file": _file(content, name)}
    )


def _rows(commitment, count: int, bad_line: int | None = None) -> bytes:
    lines = [HEADER]
    for number in range(count):
        day = "2030-01-01" if number + 2 == bad_line else f"2023-03-{number % 28 + 1:02d}"
        lines.append(
            f";{commitment.position};{day};;Patrull {number};;Fotpatrullering och polisnärvaro;"
            f"Härryda kommun;Plats {number};1;;Publicerad"
        )
    return "\n".join(lines).encode("utf-8")


def _job_page(client, upload_response, run_tasks):
    assert upload_response.status_code == 302
    run_tasks()
    return client.get(upload_response["Location"])


def _confirm(client, job):
    return client.post(reverse(CONFIRM_URL), {"job": str(job.pk)})


# Large files: the whole import runs in the worker, all or nothing.


def test_ten_thousand_rows_import_through_the_admin(
    staff_client, commitment, harryda_org, harryda_staff, run_tasks
):
    page = _job_page(staff_client, _upload(staff_client, _rows(commitment, 10_000)), run_tasks)
    job = page.context["job"]
    assert job.status == ImportJob.Status.READY
    assert job.result["totals"]["new"] == 10_000
    assert len(job.result["rows"]) == 200  # the preview shows the first rows only
    assert "De första 200 av 10000 raderna" in page.content.decode().replace("\xa0", "")
    assert Activity.objects.count() == 0

    _confirm(staff_client, job)
    run_tasks()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Activity.objects.count() == 10_000
    last = Activity.objects.get(title="Patrull 9999")
    assert list(last.organisations.all()) == [harryda_org]
    assert Activity.history.count() == 10_000  # one record per new row
    assert set(Activity.history.values_list("history_user", flat=True)) == {harryda_staff.pk}
    assert not job.path


def test_one_bad_row_in_ten_thousand_writes_nothing(staff_client, commitment, run_tasks):
    content = _rows(commitment, 10_000, bad_line=7_502)
    page = _job_page(staff_client, _upload(staff_client, content), run_tasks)

    job = page.context["job"]
    assert job.status == ImportJob.Status.FAILED
    # The bad date is both outside the period and in the future: two reasons, one cell.
    assert {(p["line"], p["column"]) for p in job.result["problems"]} == {(7_502, "Datum")}
    assert Activity.objects.count() == 0
    assert "Bekräfta importen" not in page.content.decode()


def test_a_row_that_turns_bad_after_the_preview_writes_nothing(staff_client, commitment, run_tasks):
    page = _job_page(staff_client, _upload(staff_client, _rows(commitment, 50)), run_tasks)
    # Between preview and confirmation the promise's period shrinks.
    promise = commitment.promise
    promise.period_end = promise.period_start + timedelta(days=300)
    promise.save()

    _confirm(staff_client, page.context["job"])
    run_tasks()

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert "Ingenting importerades" in job.result["message"]
    assert Activity.objects.count() == 0


# Limits, checked before any work, with a message in Swedish.


def test_a_file_over_the_size_limit_is_refused_at_upload(staff_client, commitment, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = _upload(staff_client, _rows(commitment, 50))

    assert response.status_code == 200
    assert "En import får vara högst" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not settings.IMPORT_ROOT.exists() or not any(settings.IMPORT_ROOT.iterdir())


def test_a_body_announced_too_large_is_refused_before_it_is_read(
    staff_client, settings, commitment
):
    settings.IMPORT_MAX_BYTES = 1000
    response = staff_client.post(
        reverse(IMPORT_URL), data=b"x" * 10, content_type="text/plain", CONTENT_LENGTH="9999999"
    )
    assert response.status_code == 200
    assert "En import får vara högst" in response.content.decode()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_more_rows_than_the_limit_are_refused_before_the_import(
    staff_client, commitment, settings, run_tasks, file_format
):
    settings.IMPORT_MAX_ROWS = 20
    content = _rows(commitment, 21)
    if file_format == "xlsx":
        book = openpyxl.Workbook()
        for line in content.decode().splitlines():
            book.active.append(line.split(";"))
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    page = _job_page(
        staff_client, _upload(staff_client, content, f"stor.{file_format}", file_format), run_tasks
    )

    job = page.context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert job.result["message"] == "Filen har fler än 20 rader. Dela upp den i flera filer."
    assert Activity.objects.count() == 0
    assert not any(settings.IMPORT_ROOT.iterdir())


def test_exactly_the_row_limit_is_accepted(staff_client, commitment, settings, run_tasks):
    settings.IMPORT_MAX_ROWS = 20
    page = _job_page(staff_client, _upload(staff_client, _rows(commitment, 20)), run_tasks)
    assert page.context["job"].status == ImportJob.Status.READY


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_an_xlsx_that_unpacks_too_large_is_refused_at_upload(staff_client, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    # 2 MB of zeros packs to a few kB: refused from the zip's directory alone.
    bomb = _zip({"xl/worksheets/sheet1.xml": b"0" * (2 * 1024 * 1024)})
    response = _upload(staff_client, bomb, "bomb.xlsx", "xlsx")

    assert response.status_code == 200
    assert "packas upp till 2,0 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_xlsx_with_a_suspicious_compression_ratio_is_refused(staff_client):
    bomb = _zip({"xl/worksheets/sheet1.xml": b"0" * (500 * 1024)})  # ratio about 1000
    response = _upload(staff_client, bomb, "bomb.xlsx", "xlsx")
    assert "packas upp" in response.content.decode()
    assert not ImportJob.objects.exists()


# Tampering: every bad value is a message or a 404, never a 500 or another file.


@pytest.fixture
def ready_job(staff_client, commitment, run_tasks):
    page = _job_page(staff_client, _upload(staff_client, _rows(commitment, 3)), run_tasks)
    job = page.context["job"]
    assert job.status == ImportJob.Status.READY
    return job


def test_a_double_confirm_imports_once(staff_client, ready_job, run_tasks):
    first = _confirm(staff_client, ready_job)
    second = _confirm(staff_client, ready_job)
    run_tasks()

    assert first.status_code == second.status_code == 302
    page = staff_client.get(second["Location"])
    assert "redan bekräftad" in page.content.decode()
    assert Activity.objects.count() == 3
    # And once more after it is done.
    third = staff_client.get(_confirm(staff_client, ready_job)["Location"])
    assert "redan bekräftad" in third.content.decode()
    assert Activity.objects.count() == 3


@pytest.mark.parametrize(
    "job_value",
    ["", ".", "..", "../../etc/passwd", "00000000-0000-0000-0000-000000000000", "9", "x" * 5000],
)
def test_a_tampered_job_id_is_a_message_and_touches_nothing(
    staff_client, ready_job, settings, job_value
):
    other_file = settings.IMPORT_ROOT / "annan.csv"
    other_file.write_text("hemligt")

    response = staff_client.post(
        reverse(CONFIRM_URL),
        {"job": job_value, "import_file_name": "annan.csv", "format": "9", "resource": "7"},
    )

    assert response.status_code == 302
    page = staff_client.get(response["Location"])
    assert "Importen finns inte längre" in page.content.decode()
    assert other_file.read_text() == "hemligt"
    ready_job.refresh_from_db()
    assert ready_job.status == ImportJob.Status.READY
    assert ready_job.path.exists()


def test_the_old_file_name_field_is_ignored(staff_client, ready_job, settings, run_tasks):
    other_file = settings.IMPORT_ROOT / "annan.csv"
    other_file.write_text("hemligt")
    staff_client.post(
        reverse(CONFIRM_URL),
        {"job": str(ready_job.pk), "import_file_name": "annan.csv", "format": "9"},
    )
    run_tasks()
    assert other_file.read_text() == "hemligt"
    assert Activity.objects.count() == 3


def test_another_users_job_cannot_be_seen_confirmed_or_cancelled(
    client, ready_job, make_staff, harryda_org
):
    client.force_login(make_staff("kollega", harryda_org, "Kommunens samordnare"))
    assert (
        client.get(reverse("admin:activities_activity_import_job", args=[ready_job.pk])).status_code
        == 404
    )
    page = client.get(_confirm(client, ready_job)["Location"])
    assert "Importen finns inte längre" in page.content.decode()
    client.post(reverse("admin:activities_activity_import_cancel", args=[ready_job.pk]))
    ready_job.refresh_from_db()
    assert ready_job.status == ImportJob.Status.READY
    assert ready_job.path.exists()


def test_the_same_user_in_another_session_cannot_confirm(client, ready_job, harryda_staff):
    client.logout()
    client.force_login(harryda_staff)  # a new session
    page = client.get(_confirm(client, ready_job)["Location"])
    assert "Importen finns inte längre" in page.content.decode()
    ready_job.refresh_from_db()
    assert ready_job.status == ImportJob.Status.READY


@pytest.mark.parametrize("file_format", ["9", "../csv", "0"])
def test_a_tampered_format_is_a_form_error(staff_client, commitment, file_format):
    response = _upload(staff_client, _rows(commitment, 2), file_format=file_format)
    assert response.status_code == 200
    assert response.context["form"].errors["format"]
    assert not ImportJob.objects.exists()


def test_the_uploaded_name_is_kept_for_display_only(staff_client, commitment, settings):
    response = _upload(staff_client, _rows(commitment, 2), name="../../../etc/passwd")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.original_name == "passwd"
    assert job.path.parent == settings.IMPORT_ROOT
    assert job.path.name == f"{job.pk.hex}.csv"


def test_a_malformed_job_address_is_a_404(staff_client):
    response = staff_client.get(reverse(IMPORT_URL) + "00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


# Leftover files.


def test_cancel_deletes_the_file_and_the_job_cannot_be_confirmed(
    staff_client, ready_job, run_tasks
):
    path = ready_job.path
    staff_client.post(reverse("admin:activities_activity_import_cancel", args=[ready_job.pk]))
    ready_job.refresh_from_db()
    assert ready_job.status == ImportJob.Status.CANCELLED
    assert not path.exists()
    _confirm(staff_client, ready_job)
    run_tasks()
    assert Activity.objects.count() == 0


def test_the_file_is_deleted_after_the_import(staff_client, ready_job, run_tasks, settings):
    _confirm(staff_client, ready_job)
    run_tasks()
    assert not any(settings.IMPORT_ROOT.iterdir())


def test_clean_imports_removes_old_jobs_and_stray_files(ready_job, settings):
    stray = settings.IMPORT_ROOT / "gammal.csv"
    stray.write_text("kvar")
    fresh_stray = settings.IMPORT_ROOT / "ny.csv"
    fresh_stray.write_text("kvar")
    old = time.time() - 4 * 3600
    os.utime(stray, (old, old))
    ImportJob.objects.update(created_at=timezone.now() - timedelta(hours=4))
    path = ready_job.path

    out = io.StringIO()
    call_command("clean_imports", stdout=out)
    call_command("clean_imports", stdout=io.StringIO())  # safe to run twice

    assert "Removed 1 import jobs and 2 files" in out.getvalue()
    assert not ImportJob.objects.exists()
    assert not path.exists() and not stray.exists()
    assert fresh_stray.exists()


def test_a_recent_job_is_kept_by_clean_imports(ready_job):
    call_command("clean_imports", stdout=io.StringIO())
    assert ImportJob.objects.filter(pk=ready_job.pk).exists()
    assert ready_job.path.exists()
