"""The file to fill in for an import: a real workbook, with lists to choose from.

The first sheet has the import's columns in Swedish and one example row (marked
in its first column and never imported); the sheet "Listor" holds what the user
may choose from in their own area (commitments, types, organisations …), and the
columns that take those values offer them as drop-down lists. Dates and counts
are checked by Excel as they are typed. A CSV template has the same columns and
example row, without the lists.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

LISTS_SHEET = "Listor"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
EXAMPLE_FONT = Font(italic=True, color="595959")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")
DATE_FORMAT = "yyyy-mm-dd"


@dataclass
class ChoiceList:
    """A list on the "Listor" sheet, offered as a drop-down in one import column.

    ``rows`` start with the value to choose; further cells explain it (the
    commitment's promise and period, …) under ``headers``. ``strict`` lists
    refuse anything else as it is typed; the others warn, for columns that also
    take other forms (a commitment's number, several organisations).
    """

    column: str
    headers: list[str]
    rows: list[list]
    strict: bool = True
    prompt: str = ""


@dataclass
class Template:
    """What a resource puts in its template file."""

    sheet: str
    columns: list[str]
    lists: list[ChoiceList] = field(default_factory=list)
    example: dict[str, object] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    date_columns: list[str] = field(default_factory=list)
    date_range: tuple[datetime.date, datetime.date] | None = None
    # Whole-number columns, each with what an empty cell means.
    whole_number_columns: dict[str, str] = field(default_factory=dict)
    decimal_columns: list[str] = field(default_factory=list)


def _put(sheet, row: int, column: int, value):
    """Write a cell; text is always text, so a title starting with "=" is never a formula."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def data_sheet(book):
    """The sheet an import reads: the active one, unless the user left "Listor" active."""
    sheet = book.active
    if sheet is not None and sheet.title == LISTS_SHEET:
        others = [s for s in book.worksheets if s.title != LISTS_SHEET]
        if others:
            return others[0]
    return sheet


def _validation(kind: str, *, title: str, prompt: str, error: str, **kwargs) -> DataValidation:
    return DataValidation(
        type=kind,
        allow_blank=True,
        showInputMessage=bool(prompt),
        promptTitle=title[:32],
        prompt=prompt[:255],
        showErrorMessage=True,
        errorTitle=title[:32],
        error=error[:255],
        **kwargs,
    )


def build_xlsx(template: Template) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = template.sheet
    lists = book.create_sheet(LISTS_SHEET)

    for index, name in enumerate(template.columns, 1):
        cell = _put(sheet, 1, index, name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        if name in template.notes:
            cell.comment = Comment(template.notes[name], _("Mall"), width=300, height=120)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, min(len(name) + 4, 40))
        if name in template.date_columns:
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"

    if template.example:
        for index, name in enumerate(template.columns, 1):
            cell = _put(sheet, 2, index, template.example.get(name))
            cell.font, cell.fill = EXAMPLE_FONT, EXAMPLE_FILL
            if name in template.date_columns:
                cell.number_format = DATE_FORMAT

    last_row = settings.IMPORT_MAX_ROWS + 1
    column_of = {name: get_column_letter(i) for i, name in enumerate(template.columns, 1)}

    def cells(name: str) -> str:
        return f"{column_of[name]}2:{column_of[name]}{last_row}"

    # The lists, side by side on "Listor" with an empty column between them.
    first = 1
    for choice in template.lists:
        for offset, header in enumerate(choice.headers):
            cell = _put(lists, 1, first + offset, header)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            width = max([len(str(header))] + [len(str(row[offset])) for row in choice.rows])
            lists.column_dimensions[get_column_letter(first + offset)].width = min(width + 2, 80)
        for number, row in enumerate(choice.rows, 2):
            for offset, value in enumerate(row):
                _put(lists, number, first + offset, value)
        if choice.rows and choice.column in column_of:
            letter = get_column_letter(first)
            validation = _validation(
                "list",
                title=choice.column,
                prompt=choice.prompt,
                error=(
                    _("Välj ett värde i listan (bladet ”Listor”).")
                    if choice.strict
                    else _("Värdet finns inte i listan (bladet ”Listor”). Spara ändå?")
                ),
                formula1=(
                    f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(choice.rows) + 1}"
                ),
                errorStyle="stop" if choice.strict else "warning",
            )
            validation.add(cells(choice.column))
            sheet.add_data_validation(validation)
        first += len(choice.headers) + 1
    lists.freeze_panes = "A2"

    for name in template.date_columns:
        if name not in column_of:
            continue
        if template.date_range:
            start, end = template.date_range
            validation = _validation(
                "date",
                title=name,
                prompt=_("Ett datum, ÅÅÅÅ-MM-DD, mellan %(start)s och %(end)s.")
                % {"start": start.isoformat(), "end": end.isoformat()},
                error=_("Skriv ett datum ÅÅÅÅ-MM-DD mellan %(start)s och %(end)s.")
                % {"start": start.isoformat(), "end": end.isoformat()},
                operator="between",
                formula1=f"DATE({start.year},{start.month},{start.day})",
                formula2=f"DATE({end.year},{end.month},{end.day})",
            )
        else:
            validation = _validation(
                "date",
                title=name,
                prompt=_("Ett datum, ÅÅÅÅ-MM-DD."),
                error=_("Skriv ett datum ÅÅÅÅ-MM-DD, t.ex. 2025-03-14."),
                operator="greaterThan",
                formula1="DATE(1990,1,1)",
            )
        validation.add(cells(name))
        sheet.add_data_validation(validation)
    for name, empty_means in template.whole_number_columns.items():
        if name not in column_of:
            continue
        validation = _validation(
            "whole",
            title=name,
            prompt=_("Ett heltal, 0 eller mer.") + " " + empty_means,
            error=_("Skriv ett heltal, 0 eller mer."),
            operator="greaterThanOrEqual",
            formula1="0",
        )
        validation.add(cells(name))
        sheet.add_data_validation(validation)
    for name in template.decimal_columns:
        if name not in column_of:
            continue
        validation = _validation(
            "decimal",
            title=name,
            prompt=_("Ett tal, t.ex. 72,4."),
            error=_("Skriv ett tal, t.ex. 72,4."),
            operator="between",
            formula1="-1000000000",
            formula2="1000000000",
        )
        validation.add(cells(name))
        sheet.add_data_validation(validation)
    for row in sheet.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top")

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_rows(template: Template) -> list[list]:
    """The header and the example row, for a CSV template."""
    rows = [list(template.columns)]
    if template.example:
        rows.append(
            [
                value.isoformat()
                if isinstance(value, datetime.date)
                else ("" if value is None else value)
                for value in (template.example.get(name) for name in template.columns)
            ]
        )
    return rows
