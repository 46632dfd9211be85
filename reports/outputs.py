"""A report written out as HTML, PDF, XLSX or CSV; all from the same Report."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from .content import Report

FORMATS = ("pdf", "xlsx", "csv", "html")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
CSV_DELIMITERS = {";": ";", ",": ","}


def _activity_header() -> list[str]:
    return [
        _("Datum"),
        _("Åtagande"),
        _("Aktivitetstyp"),
        _("Rubrik"),
        _("Plats"),
        _("Organisationer"),
        _("Tillfällen"),
        _("Nådda personer"),
        _("Räknas mot målet"),
    ]


def _activity_values(activity) -> list:
    return [
        activity.date,
        activity.commitment.title,
        activity.type.name,
        activity.title,
        activity.place,
        ", ".join(o.name for o in activity.organisations.all()),
        activity.occasions,
        activity.people_reached,
        activity.counted,
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(report: Report, delimiter: str = ";") -> Iterator[str]:
    """The report's activities as CSV, UTF-8 with a BOM for Excel, one line at a time."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff" + writer.writerow(_activity_header())
    for activity in report.activity_rows():
        values = _activity_values(activity)
        values[0] = values[0].isoformat()
        yield writer.writerow(["" if v is None else v for v in values])


def write_xlsx(report: Report, out) -> None:
    """Sheets "Sammanfattning" (one row per commitment), "Indikatorer" and "Aktiviteter".

    Write-only, so that memory and time grow with the rows, not faster.
    """
    book = Workbook(write_only=True)
    summary = book.create_sheet("Sammanfattning")
    _prepare_sheet(summary, [50, 35, 16, 10, 12, 22, 60])
    summary.append(
        [
            _("Åtagande"),
            _("Vem lovar"),
            _("Mål för perioden"),
            _("Gjort"),
            _("Aktiviteter"),
            _("Bedömning"),
            _("Förklaring"),
        ]
    )
    for section in report.sections:
        progress = section.progress
        assessment = section.assessment
        summary.append(
            [
                section.commitment.title,
                section.party_names,
                progress.target,
                # Empty, not 0, where no activity counted the people it reached.
                None if progress.is_unknown else progress.counted,
                progress.all_activities,
                assessment.get_verdict_display() if assessment else _("Ingen bedömning publicerad"),
                assessment.explanation if assessment else "",
            ]
        )
    summary.auto_filter.ref = f"A1:G{len(report.sections) + 1}"

    if report.indicators:
        indicators = book.create_sheet("Indikatorer")
        _prepare_sheet(indicators, [50, 20, 12, 12, 12, 12, 12, 30, 35, 40])
        indicators.append(
            [
                _("Indikator"),
                _("Plats"),
                _("När"),
                _("Värde"),
                _("KI nedre"),
                _("KI övre"),
                _("Antal svarande"),
                _("Enhet"),
                _("Källa"),
                _("Kommentar"),
            ]
        )
        count = 0
        for series in report.indicators:
            for m in series.measurements:
                indicators.append(
                    [
                        series.indicator.name,
                        series.place,
                        m.date or m.year,
                        m.value,
                        m.ci_low,
                        m.ci_high,
                        m.sample_size,
                        series.indicator.unit,
                        series.indicator.source_name,
                        m.note,
                    ]
                )
                count += 1
        indicators.auto_filter.ref = f"A1:J{count + 1}"

    sheet = book.create_sheet("Aktiviteter")
    widths = [12, 40, 22, 45, 25, 40, 11, 15, 17]
    _prepare_sheet(sheet, widths)
    sheet.append(_activity_header())
    rows = 1
    for activity in report.activity_rows():
        values = _activity_values(activity)
        day = WriteOnlyCell(sheet, value=values[0])
        day.number_format = "yyyy-mm-dd"
        sheet.append([day, *values[1:]])
        rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{rows}"
    book.save(out)


def _prepare_sheet(sheet, widths: list[int]) -> None:
    # A write-only sheet takes its panes and widths before the first row.
    sheet.freeze_panes = "A2"
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width


def xlsx_bytes(report: Report) -> bytes:
    out = io.BytesIO()
    write_xlsx(report, out)
    return out.getvalue()


def render_html(report: Report, *, template: str = "reports/report_document.html") -> str:
    return render_to_string(template, {"report": report})


def pdf_bytes(report: Report) -> bytes:
    """The report as an A4 PDF in Swedish (WeasyPrint)."""
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_html(report, template="reports/report_pdf.html")
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render(report: Report, fmt: str, *, delimiter: str = ";") -> bytes:
    """The whole report in one format, as bytes (for files and the command)."""
    if fmt == "pdf":
        return pdf_bytes(report)
    if fmt == "xlsx":
        return xlsx_bytes(report)
    if fmt == "csv":
        return "".join(csv_chunks(report, delimiter)).encode("utf-8")
    if fmt == "html":
        return render_html(report).encode("utf-8")
    raise ValueError(fmt)
