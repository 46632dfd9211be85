"""Spreadsheet imports as background jobs: limits, the stored file, preview, import, cleanup.

The web request only checks the upload against the limits and stores it; the
preview (a dry run) and the import itself run in the task worker
(``manage.py db_worker``), so that no import can hit a request timeout or keep
a web worker busy. The row logic is the job kind's resource (``RESOURCES``),
the same for every path.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from pathlib import Path

import tablib
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import ImportJob
from .resources import (
    PREVIEW_ROWS,
    ActivityResource,
    MeasurementResource,
    ScopedResource,
    SpreadsheetCSVImport,
    SpreadsheetXLSX,
    decode_csv,
)
from .workbook import data_sheet

logger = logging.getLogger(__name__)

FORMATS = {
    ImportJob.Format.CSV: SpreadsheetCSVImport,
    ImportJob.Format.XLSX: SpreadsheetXLSX,
}
# An XLSX holds a few dozen parts; thousands are a zip bomb or not a workbook.
MAX_ZIP_ENTRIES = 500
# What each kind of import reads its rows with.
RESOURCES: dict[str, type[ScopedResource]] = {
    ImportJob.Kind.ACTIVITIES: ActivityResource,
    ImportJob.Kind.MEASUREMENTS: MeasurementResource,
}
# Text and XML pack about 5–20 times; far more than that is made to explode.
MAX_COMPRESSION_RATIO = 100


class ImportRefused(Exception):
    """A file refused before any work, with the message to show (in Swedish)."""


def _megabytes(size: int) -> str:
    return number_format(size / (1024 * 1024), decimal_pos=1)


def read_error_message(error: Exception) -> str:
    if isinstance(error, UnicodeError):
        return _(
            "Filen kunde inte läsas som text. Spara den i Excel som ”CSV UTF-8” "
            "eller som Excel-arbetsbok (.xlsx) och försök igen."
        )
    return _(
        "Filen kunde inte läsas. Kontrollera att den är en CSV-fil eller en "
        "Excel-arbetsbok (.xlsx), att du valt rätt format och att filen inte är skadad."
    )


def check_size(size: int | None) -> None:
    if size is not None and size > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("Filen är %(size)s MB. En import får vara högst %(max)s MB: dela upp den.")
            % {"size": _megabytes(size), "max": _megabytes(settings.IMPORT_MAX_BYTES)}
        )


def check_workbook(stream) -> None:
    """Refuse an XLSX that unpacks too large, from the zip's directory, before it is opened."""
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportRefused(read_error_message(error)) from None
    unpacked = sum(entry.file_size for entry in entries)
    suspicious = len(entries) > MAX_ZIP_ENTRIES or any(
        entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1024)
        for entry in entries
    )
    if suspicious or unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise ImportRefused(
            _(
                "Excel-filen packas upp till %(size)s MB, mer än de %(max)s MB som en import "
                "får vara. Dela upp den, eller spara den som CSV."
            )
            % {"size": _megabytes(unpacked), "max": _megabytes(settings.IMPORT_MAX_UNPACKED_BYTES)}
        )


def check_upload(upload, file_format: str) -> None:
    """Every limit that can be checked without reading the rows, cheapest first."""
    check_size(upload.size)
    if file_format == ImportJob.Format.XLSX:
        upload.seek(0)
        check_workbook(upload)
        upload.seek(0)


def start(
    upload, file_format: str, user, session_key: str, kind: str = ImportJob.Kind.ACTIVITIES
) -> ImportJob:
    """Store an upload under a name of the server's choosing and queue its preview."""
    from .tasks import preview_import

    job = ImportJob(
        kind=kind,
        user=user,
        session_key=session_key,
        original_name=Path(upload.name or "").name[:255],
        format=file_format,
    )
    job.stored_name = f"{job.pk.hex}.{file_format}"
    root = Path(settings.IMPORT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    upload.seek(0)
    with open(job.path, "xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job.path.chmod(0o600)
    job.save()
    preview_import.enqueue(str(job.pk))
    return job


def _count_rows(job: ImportJob) -> int:
    """Data rows in the file, counting no further than one past the limit."""
    limit = settings.IMPORT_MAX_ROWS
    if job.format == ImportJob.Format.XLSX:
        import openpyxl

        book = openpyxl.load_workbook(job.path, read_only=True, data_only=True)
        try:
            count = -1  # the header
            for row in data_sheet(book).iter_rows(values_only=True):
                if any(value not in (None, "") for value in row):
                    count += 1
                if count > limit:
                    break
            return max(count, 0)
        finally:
            book.close()
    text, delimiter = decode_csv(job.path.read_bytes())
    count = -1
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        if any(cell.strip() for cell in row):
            count += 1
        if count > limit:
            break
    return max(count, 0)


def _read(job: ImportJob) -> tablib.Dataset:
    try:
        count = _count_rows(job)
    except Exception as error:  # any parser's error: the file is not what it claims
        raise ImportRefused(read_error_message(error)) from None
    if count > settings.IMPORT_MAX_ROWS:
        raise ImportRefused(
            _("Filen har fler än %(max)s rader. Dela upp den i flera filer.")
            % {"max": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True)}
        )
    input_format = FORMATS[job.format]()
    try:
        return input_format.create_dataset(job.path.read_bytes())
    except Exception as error:  # any parser's error: the file is not what it claims
        raise ImportRefused(read_error_message(error)) from None


def _plain(value) -> str | int:
    """A cell as plain data for the stored (JSON) result: text, or a whole number."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _summary(resource: ScopedResource, result) -> dict:
    """The outcome as plain data: totals, the first rows, every problem and warning."""
    headers = list(result.diff_headers)
    rows = []
    for row in result.valid_rows()[:PREVIEW_ROWS]:
        rows.append(
            {
                "type": row.import_type,
                "label": getattr(row, "label", ""),
                "values": [_plain(v) for v in row.diff or []],
            }
        )
    totals = {key: result.totals.get(key, 0) for key in ("new", "update", "skip")}
    return {
        "totals": totals,
        "rows_total": sum(totals.values()),
        "headers": headers,
        "rows": rows,
        "problems": [{k: _plain(v) for k, v in p.items()} for p in result.problems],
        "warnings": [{k: _plain(v) for k, v in w.items()} for w in result.warnings],
        "notices": [{k: _plain(v) for k, v in n.items()} for n in result.notices],
    }


def _claim(job_id: str, before: str, after: str) -> ImportJob | None:
    """Move a job from one status to the next in one conditional UPDATE; None if it had moved on."""
    if not ImportJob.objects.filter(pk=job_id, status=before).update(status=after):
        return None
    return ImportJob.objects.select_related("user").get(pk=job_id)


def _fail(job: ImportJob, message: str, result: dict | None = None) -> None:
    job.status = ImportJob.Status.FAILED
    job.result = {**(result or {}), "message": message}
    job.save(update_fields=["status", "result", "updated_at"])
    job.delete_file()


def run_preview(job_id: str) -> None:
    """A dry run of the whole file: nothing is written, the outcome is stored on the job."""
    job = _claim(job_id, ImportJob.Status.QUEUED, ImportJob.Status.PREVIEWING)
    if job is None:
        return
    try:
        dataset = _read(job)
        resource = RESOURCES[job.kind](user=job.user)
        result = resource.import_data(dataset, dry_run=True, use_transactions=True)
        summary = _summary(resource, result)
    except ImportRefused as refused:
        _fail(job, str(refused))
        return
    except Exception:
        logger.exception("Import preview %s failed", job.pk)
        _fail(job, _("Förhandsgranskningen misslyckades. Försök igen, eller kontakta support."))
        return
    if summary["problems"] or result.has_errors() or result.has_validation_errors():
        _fail(job, _("Filen innehåller fel – ingenting har importerats."), summary)
        return
    if not summary["rows_total"]:
        _fail(
            job,
            _("Filen har inga rader att importera. Mallens exempelrad läses aldrig in."),
            summary,
        )
        return
    job.result = summary
    job.status = ImportJob.Status.READY
    job.save(update_fields=["status", "result", "updated_at"])


def confirm(job: ImportJob) -> bool:
    """Queue the import of a previewed file; False if it was already confirmed or is not ready."""
    from .tasks import run_import

    if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.CONFIRMED
    ):
        return False
    run_import.enqueue(str(job.pk))
    return True


def cancel(job: ImportJob) -> bool:
    """Cancel a job that has not been confirmed, and delete its file."""
    cancelled = ImportJob.objects.filter(
        pk=job.pk,
        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.READY, ImportJob.Status.FAILED],
    ).update(status=ImportJob.Status.CANCELLED)
    if cancelled:
        job.refresh_from_db()
        job.delete_file()
    return bool(cancelled)


def run_import(job_id: str) -> None:
    """The confirmed import, in one transaction: every row is written, or none."""
    job = _claim(job_id, ImportJob.Status.CONFIRMED, ImportJob.Status.IMPORTING)
    if job is None:
        return
    try:
        dataset = _read(job)
        resource = RESOURCES[job.kind](user=job.user)
        with transaction.atomic():
            result = resource.import_data(dataset, dry_run=False, use_transactions=True)
            summary = _summary(resource, result)
            failed = bool(summary["problems"]) or result.has_errors()
            failed = failed or result.has_validation_errors()
            if failed:
                transaction.set_rollback(True)
    except ImportRefused as refused:
        _fail(job, str(refused))
        return
    except Exception:
        logger.exception("Import %s failed", job.pk)
        _fail(job, _("Importen misslyckades och ingenting sparades. Försök igen."))
        return
    if failed:
        # Something changed between preview and confirmation.
        _fail(job, _("Ingenting importerades: filen innehåller fel. Läs in den igen."), summary)
        return
    job.result = summary
    job.status = ImportJob.Status.DONE
    job.save(update_fields=["status", "result", "updated_at"])
    job.delete_file()


def remove_expired() -> tuple[int, int]:
    """Delete jobs older than IMPORT_FILE_MAX_AGE_HOURS, their files, and stray files.

    Returns (jobs, files) removed. Safe to run at any time and twice.
    """
    files = 0
    # A job still running after hours belongs to a worker that died: it goes too.
    expired = ImportJob.objects.expired()
    for job in expired:
        if job.path is not None and job.path.exists():
            files += 1
        job.delete_file()
    jobs, _deleted = expired.delete()
    root = Path(settings.IMPORT_ROOT)
    if root.is_dir():
        known = set(ImportJob.objects.exclude(stored_name="").values_list("stored_name", flat=True))
        cutoff = timezone.now().timestamp() - settings.IMPORT_FILE_MAX_AGE_HOURS * 3600
        for path in root.iterdir():
            if path.is_file() and path.name not in known and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                files += 1
    return jobs, files
