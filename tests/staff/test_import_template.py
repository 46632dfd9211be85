"""Spreadsheets without friction: the template with lists, commitments by title or
number, what may be left empty, suggestions for misspelt values, and re-upload."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl.utils import column_index_from_string, get_column_letter

from activities.models import Activity
from promises.models import ActivityType, Commitment
from staff.models import ImportJob

IMPORT_URL = "admin:activities_activity_import"
TEMPLATE_URL = "admin:activities_activity_import_template"
COLUMNS = [
    "ID",
    "Åtagande",
    "Datum",
    "Slutdatum",
    "Rubrik",
    "Beskrivning",
    "Typ",
    "Genomförd av",
    "Plats",
    "Antal tillfällen",
    "Antal nådda personer",
    "Status",
]
PATROL = "Fotpatrullering och polisnärvaro"


@pytest.fixture
def staff_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


@pytest.fixture
def second_commitment(promise):
    return Commitment.objects.create(promise=promise, position=2, title="Trygga skolvägar")


def _template(client) -> openpyxl.Workbook:
    response = client.get(reverse(TEMPLATE_URL, args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="aktiviteter-mall.xlsx"'
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _xlsx(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _workbook(*rows: dict) -> bytes:
    """A hand-made workbook with the import's columns and the given cells."""
    book = openpyxl.Workbook()
    book.active.append(COLUMNS)
    for row in rows:
        book.active.append([row.get(column) for column in COLUMNS])
    return _xlsx(book)


def _row(**cells) -> dict:
    row = {"Datum": date(2023, 3, 14), "Typ": PATROL, "Antal tillfällen": 1}
    row.update({key.replace("_", " "): value for key, value in cells.items()})
    return row


def _preview(client, run_tasks, content: bytes, *, replaces=None, file_format="xlsx"):
    upload = io.BytesIO(content)
    upload.name = f"aktiviteter.{file_format or 'xlsx'}"
    data = {"format": file_format, "import_file": upload}
    if replaces is not None:
        data["replaces"] = str(replaces)
    response = client.post(reverse(IMPORT_URL), data)
    assert response.status_code == 302, response.content.decode()
    run_tasks()
    return client.get(response["Location"])


def _confirm(client, run_tasks, page):
    job = page.context["job"]
    assert job.status == ImportJob.Status.READY, job.result
    client.post(reverse("admin:activities_activity_process_import"), {"job": str(job.pk)})
    run_tasks()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    return job


def _validations(sheet) -> dict[str, list]:
    """The data validations of a sheet, by the header of the column they check."""
    headers = [cell.value for cell in sheet[1]]
    found: dict[str, list] = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            first_column = get_column_letter(cell_range.min_col)
            assert cell_range.min_row == 2
            header = headers[column_index_from_string(first_column) - 1]
            found.setdefault(header, []).append(validation)
    return found


def _list_values(book, formula: str) -> list:
    """The values a drop-down's formula points at on the "Listor" sheet."""
    sheet_name, cells = formula.split("!")
    assert sheet_name == "'Listor'"
    return [row[0].value for row in book["Listor"][cells.replace("$", "")]]


# The template.


def test_template_has_the_import_columns_an_example_row_and_a_lists_sheet(
    staff_client, commitment, second_commitment, harryda_org, molndal_data
):
    book = _template(staff_client)

    assert book.sheetnames == ["Aktiviteter", "Listor"]
    assert book.active.title == "Aktiviteter"
    sheet = book["Aktiviteter"]
    assert [cell.value for cell in sheet[1]] == COLUMNS
    example = dict(zip(COLUMNS, [cell.value for cell in sheet[2]], strict=True))
    assert example["ID"] == "Exempel"
    assert example["Åtagande"] == "1. Riktade insatser mot ungdomar"
    assert example["Genomförd av"] == "Härryda kommun"
    assert sheet.max_row == 2
    lists = list(book["Listor"].iter_rows(values_only=True))
    commitments = [row[0] for row in lists[1:] if row[0]]
    assert commitments == ["1. Riktade insatser mot ungdomar", "2. Trygga skolvägar"]
    # Numbered as the public pages number them, with their promise.
    assert lists[1][1:4] == (1, "Riktade insatser mot ungdomar", "Medborgarlöfte Härryda kommun")
    text = " ".join(str(value) for row in lists for value in row if value is not None)
    assert "Kvarnbyn" not in text  # another area's commitment
    assert "Mölndals stad" not in text  # another area's organisation


def test_template_offers_drop_downs_and_checks_dates_and_counts(
    staff_client, commitment, harryda_org
):
    inactive = ActivityType.objects.create(name="Avvecklad typ", slug="avvecklad", is_active=False)
    book = _template(staff_client)
    validations = _validations(book["Aktiviteter"])

    assert set(validations) == {
        "Åtagande",
        "Typ",
        "Genomförd av",
        "Status",
        "Datum",
        "Slutdatum",
        "Antal tillfällen",
        "Antal nådda personer",
    }
    by_column = {column: found[0] for column, found in validations.items()}
    assert {by_column[c].type for c in ("Åtagande", "Typ", "Genomförd av", "Status")} == {"list"}
    assert _list_values(book, by_column["Åtagande"].formula1) == [
        "1. Riktade insatser mot ungdomar"
    ]
    types = _list_values(book, by_column["Typ"].formula1)
    assert PATROL in types
    assert inactive.name not in types
    assert _list_values(book, by_column["Genomförd av"].formula1) == ["Härryda kommun"]
    assert _list_values(book, by_column["Status"].formula1) == ["Utkast", "Publicerad"]
    # Several organisations and a commitment's number may be typed: a warning, not a stop.
    assert by_column["Genomförd av"].errorStyle == "warning"
    assert by_column["Typ"].errorStyle == "stop"
    # Dates within the promise's period; counts whole and not negative.
    assert by_column["Datum"].type == "date"
    assert (by_column["Datum"].formula1, by_column["Datum"].formula2) == (
        "DATE(2022,5,31)",
        "DATE(2024,5,31)",
    )
    assert by_column["Antal tillfällen"].type == "whole"
    assert by_column["Antal nådda personer"].operator == "greaterThanOrEqual"
    # Each count's prompt says what an empty cell means, as the import reads it.
    assert by_column["Antal tillfällen"].prompt.endswith("Tomt räknas som 1.")
    assert by_column["Antal nådda personer"].prompt.endswith("Lämna tomt om det inte är känt.")


def test_template_puts_current_commitments_first(staff_client, commitment, make_promise, harryda):
    today = timezone.localdate()
    current = make_promise(
        [harryda],
        title="Medborgarlöfte Härryda nu",
        start=today - timedelta(days=100),
        end=today + timedelta(days=300),
    )
    Commitment.objects.create(promise=current, position=1, title="Trygg centrumkärna")

    book = _template(staff_client)

    commitments = [row[0] for row in book["Listor"].iter_rows(min_row=2, values_only=True)]
    assert commitments[:2] == ["1. Trygg centrumkärna", "1. Riktade insatser mot ungdomar"]
    example = book["Aktiviteter"]["B2"].value
    assert example == "1. Trygg centrumkärna"
    assert book["Aktiviteter"]["C2"].value.date() == today


def test_a_title_starting_with_equals_is_text_in_the_template(staff_client, promise):
    Commitment.objects.create(promise=promise, position=1, title='=HYPERLINK("http://x","Klicka")')
    book = _template(staff_client)
    cell = book["Listor"]["C2"]
    assert cell.value == '=HYPERLINK("http://x","Klicka")'
    assert cell.data_type == "s"


def test_template_query_count(staff_client, commitment, harryda_org, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = staff_client.get(reverse(TEMPLATE_URL, args=["xlsx"]))
    assert response.status_code == 200


def test_csv_template_has_the_header_and_the_example_row(staff_client, commitment):
    response = staff_client.get(reverse(TEMPLATE_URL, args=["csv"]))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(COLUMNS)
    assert lines[1].startswith("Exempel;1. Riktade insatser mot ungdomar;")


def test_filled_in_template_imports_and_leaves_the_example_row_out(
    staff_client, commitment, harryda_org, run_tasks
):
    book = _template(staff_client)
    sheet = book["Aktiviteter"]
    sheet.append(
        [
            None,
            "1. Riktade insatser mot ungdomar",  # as chosen from the drop-down
            date(2023, 4, 2),
            None,
            "Kvällspatrull",
            None,
            PATROL,
            "Härryda kommun",
            "Torget",
            3,
            None,
            "Publicerad",
        ]
    )
    # Saved with the lists showing: the rows are still read from "Aktiviteter".
    book.active = book.sheetnames.index("Listor")

    page = _preview(staff_client, run_tasks, _xlsx(book))

    result = page.context["result"]
    assert result["problems"] == []
    assert result["totals"]["new"] == 1
    assert [n["line"] for n in result["notices"]] == [2]
    assert "exempelrad" in page.content.decode()
    _confirm(staff_client, run_tasks, page)
    activity = Activity.objects.get()
    assert (activity.title, activity.commitment, activity.occasions) == (
        "Kvällspatrull",
        commitment,
        3,
    )


def test_template_with_only_its_example_row_imports_nothing_and_says_so(
    staff_client, commitment, harryda_org, run_tasks
):
    book = _template(staff_client)
    page = _preview(staff_client, run_tasks, _xlsx(book))
    assert page.context["job"].status == ImportJob.Status.FAILED
    assert "inga rader att importera" in page.context["result"]["message"]
    assert Activity.objects.count() == 0


# Commitments by title or number.


def test_commitments_given_by_title_import(staff_client, commitment, second_commitment, run_tasks):
    page = _preview(
        staff_client,
        run_tasks,
        _workbook(
            _row(Åtagande="Riktade insatser mot ungdomar", Rubrik="A"),
            _row(Åtagande="trygga  skolvägar", Rubrik="B"),  # case and spaces do not matter
            _row(Åtagande="Medborgarlöfte Härryda kommun: 2. Trygga skolvägar", Rubrik="C"),
        ),
    )
    _confirm(staff_client, run_tasks, page)
    by_title = {a.title: a.commitment for a in Activity.objects.all()}
    assert by_title == {"A": commitment, "B": second_commitment, "C": second_commitment}


def test_commitments_given_by_number_import(
    staff_client, commitment, second_commitment, harryda_org, run_tasks
):
    page = _preview(
        staff_client,
        run_tasks,
        _workbook(
            # An Excel number cell.
            _row(Åtagande=2, Rubrik="Talcell", **{"Genomförd av": "härryda kommun"}),
            _row(Åtagande="Åtagande 1", Rubrik="Text"),  # as the public page says
            _row(Åtagande="Medborgarlöfte Härryda kommun: 2", Rubrik="Med löftet"),
        ),
    )
    # The preview shows the commitments' titles.
    assert page.context["result"]["rows"][0]["values"][1] == "2. Trygga skolvägar"
    assert "2. Trygga skolvägar" in page.content.decode()
    # And the organisations the file gives, though a trial run saves no links.
    assert page.context["result"]["rows"][0]["values"][7] == "Härryda kommun"
    _confirm(staff_client, run_tasks, page)
    by_title = {a.title: a.commitment for a in Activity.objects.all()}
    assert by_title == {
        "Talcell": second_commitment,
        "Text": commitment,
        "Med löftet": second_commitment,
    }


@pytest.fixture
def two_current_promises(make_promise, harryda, molndal):
    """A police area's two municipalities, each with a promise of its own."""
    today = timezone.localdate()
    found = {}
    for title, municipality in (("Löfte Centrum", harryda), ("Löfte Landvetter", molndal)):
        promise = make_promise(
            [municipality],
            title=title,
            start=today - timedelta(days=60),
            end=today + timedelta(days=300),
        )
        found[title] = [
            Commitment.objects.create(promise=promise, position=n, title=f"{title}, punkt {n}")
            for n in (1, 2)
        ]
    return found


def test_a_number_alone_with_several_current_promises_is_a_clear_question(
    client, make_staff, police_org, two_current_promises, run_tasks
):
    client.force_login(make_staff("kommunpolis", police_org, "Kommunpolis"))
    yesterday = timezone.localdate() - timedelta(days=1)
    page = _preview(
        client,
        run_tasks,
        _workbook(
            _row(Åtagande="Löfte Centrum: 2", Datum=yesterday),
            _row(Åtagande=2, Datum=yesterday),
        ),
    )

    problems = page.context["result"]["problems"]
    assert [(p["line"], p["column"], p["value"]) for p in problems] == [(3, "Åtagande", 2)]
    assert problems[0]["message"] == (
        "”2”: ett nummer ensamt räcker inte när du har flera medborgarlöften. Skriv åtagandets "
        "rubrik, eller medborgarlöftet och numret, t.ex. ”Löfte Centrum: 2”. Menade du "
        "”2. Löfte Centrum, punkt 2” eller ”2. Löfte Landvetter, punkt 2”?"
    )
    assert Activity.objects.count() == 0


def test_a_number_alone_means_the_one_current_promise(
    staff_client, commitment, make_promise, harryda, run_tasks
):
    today = timezone.localdate()
    current = make_promise(
        [harryda], title="Nytt löfte", start=today - timedelta(days=60), end=today + timedelta(300)
    )
    Commitment.objects.create(promise=current, position=1, title="Trygg centrumkärna")
    page = _preview(
        staff_client, run_tasks, _workbook(_row(Åtagande=1, Datum=today - timedelta(days=1)))
    )
    _confirm(staff_client, run_tasks, page)
    assert Activity.objects.get().commitment.title == "Trygg centrumkärna"


def test_the_old_commitment_id_column_is_explained(staff_client, commitment, run_tasks):
    header = ";".join(COLUMNS).replace("Åtagande", "Åtagande-ID")
    text = f"{header}\n;{commitment.pk};2023-03-14;;Patrull;;{PATROL};;;1;;\n"
    page = _preview(staff_client, run_tasks, text.encode(), file_format="csv")
    problems = page.context["result"]["problems"]
    assert len(problems) == 1
    assert problems[0]["message"].startswith("Kolumnen ”Åtagande-ID” heter nu ”Åtagande”")
    assert Activity.objects.count() == 0


# Every error names row, column, value, reason and the closest valid choice.


def test_a_misspelt_type_is_answered_with_the_closest_type(staff_client, commitment, run_tasks):
    page = _preview(
        staff_client,
        run_tasks,
        _workbook(
            _row(Åtagande=1, Rubrik="Bra rad"),
            _row(Åtagande=1),
            _row(Åtagande=1),
            _row(Åtagande=1, Typ="Fotpatrulering"),
        ),
    )

    problems = page.context["result"]["problems"]
    assert problems == [
        {
            "line": 5,
            "column": "Typ",
            "value": "Fotpatrulering",
            "message": "”Fotpatrulering” finns inte bland typerna. "
            "Menade du ”Fotpatrullering och polisnärvaro”?",
        }
    ]
    content = page.content.decode()
    assert "Menade du ”Fotpatrullering och polisnärvaro”?" in content
    assert Activity.objects.count() == 0  # all or nothing: the good rows wait too


def test_a_misspelt_commitment_is_answered_only_from_the_users_own(
    staff_client, commitment, molndal_data, run_tasks
):
    page = _preview(
        staff_client,
        run_tasks,
        _workbook(
            _row(Åtagande="Riktade insatser mot ungdommar"),
            _row(Åtagande="Trygghet i Kvarnbyen", Datum=date(2024, 3, 1)),  # near Mölndal's
        ),
    )
    problems = page.context["result"]["problems"]
    assert [(p["line"], p["column"]) for p in problems] == [(2, "Åtagande"), (3, "Åtagande")]
    assert problems[0]["message"] == (
        "”Riktade insatser mot ungdommar” finns inte bland dina åtaganden. "
        "Menade du ”1. Riktade insatser mot ungdomar”?"
    )
    assert "Trygghet i Kvarnbyn" not in problems[1]["message"]
    assert "Menade du" not in problems[1]["message"]


def test_misspelt_organisation_and_status_are_answered_with_the_closest(
    staff_client, commitment, harryda_org, molndal_org, run_tasks
):
    page = _preview(
        staff_client,
        run_tasks,
        _workbook(_row(Åtagande=1, **{"Genomförd av": "Härryda komun", "Status": "Publicerd"})),
    )
    messages = {p["column"]: p["message"] for p in page.context["result"]["problems"]}
    assert messages["Genomförd av"].endswith("Menade du ”Härryda kommun”?")
    assert "Menade du ”Publicerad”?" in messages["Status"]


# What the admin form may leave empty, the import may leave empty.


def test_an_empty_title_takes_the_forms_title_from_type_and_place(
    staff_client, commitment, run_tasks
):
    page = _preview(
        staff_client,
        run_tasks,
        _workbook(_row(Åtagande=1, Plats="Mölnlycke centrum"), _row(Åtagande=1, Plats=None)),
    )
    _confirm(staff_client, run_tasks, page)
    titles = set(Activity.objects.values_list("title", flat=True))
    patrol = ActivityType.objects.get(name=PATROL)
    assert titles == {
        Activity.title_from(patrol, "Mölnlycke centrum"),
        Activity.title_from(patrol, ""),
    }
    assert titles == {f"{PATROL} i Mölnlycke centrum", PATROL}


def test_empty_counts_and_status_are_as_the_form_starts(
    client, make_staff, harryda_org, commitment, run_tasks
):
    officer = make_staff("kommunpolis", harryda_org, "Kommunpolis")
    client.force_login(officer)
    page = _preview(
        client,
        run_tasks,
        _workbook(_row(Åtagande=1, Rubrik="Utan antal", **{"Antal tillfällen": None})),
    )
    _confirm(client, run_tasks, page)

    activity = Activity.objects.get()
    assert activity.people_reached is None  # unknown, never 0
    assert activity.occasions == 1
    assert activity.status == Activity.initial_status_for(officer) == Activity.Status.DRAFT


def test_a_status_in_the_file_cannot_publish_for_an_officer_who_may_not(
    client, make_staff, harryda_org, commitment, run_tasks
):
    officer = make_staff("kommunpolis", harryda_org, "Kommunpolis")
    client.force_login(officer)
    page = _preview(client, run_tasks, _workbook(_row(Åtagande=1, Status="Publicerad")))
    _confirm(client, run_tasks, page)
    assert Activity.objects.get().status == Activity.Status.DRAFT


def test_empty_people_reached_stays_unknown_on_a_changed_row(
    staff_client, make_activity, run_tasks
):
    activity = make_activity(people_reached=None, occasions=4)
    page = _preview(
        staff_client,
        run_tasks,
        _workbook(
            _row(
                ID=activity.pk,
                Åtagande=1,
                Rubrik="Ny rubrik",
                **{"Antal tillfällen": None, "Status": None},
            )
        ),
    )
    _confirm(staff_client, run_tasks, page)
    activity.refresh_from_db()
    assert (activity.title, activity.people_reached, activity.occasions) == ("Ny rubrik", None, 4)
    assert activity.status == Activity.Status.PUBLISHED  # unchanged


# After an error: correct the file and upload it again from the same page.


def test_a_corrected_file_is_uploaded_again_from_the_error_page(
    staff_client, commitment, run_tasks
):
    failed = _preview(staff_client, run_tasks, _workbook(_row(Åtagande=1, Typ="Fotpatrulering")))
    job = failed.context["job"]
    assert job.status == ImportJob.Status.FAILED
    content = failed.content.decode()
    assert f'action="{reverse(IMPORT_URL)}"' in content
    assert 'enctype="multipart/form-data"' in content
    assert f'name="replaces" value="{job.pk}"' in content
    assert "Läs in den rättade filen" in content

    page = _preview(
        staff_client, run_tasks, _workbook(_row(Åtagande=1, Typ=PATROL)), replaces=job.pk
    )

    assert page.context["job"].pk != job.pk
    _confirm(staff_client, run_tasks, page)
    assert Activity.objects.count() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED


def test_a_file_uploaded_again_from_the_preview_replaces_it(staff_client, commitment, run_tasks):
    first = _preview(staff_client, run_tasks, _workbook(_row(Åtagande=1, Rubrik="Första")))
    job = first.context["job"]
    assert job.status == ImportJob.Status.READY
    assert f'name="replaces" value="{job.pk}"' in first.content.decode()

    second = _preview(
        staff_client, run_tasks, _workbook(_row(Åtagande=1, Rubrik="Andra")), replaces=job.pk
    )
    _confirm(staff_client, run_tasks, second)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED  # cannot be confirmed by mistake any more
    assert list(Activity.objects.values_list("title", flat=True)) == ["Andra"]


def test_a_job_of_another_session_is_not_replaced(
    staff_client, harryda_staff, commitment, run_tasks
):
    from django.test import Client

    first = _preview(staff_client, run_tasks, _workbook(_row(Åtagande=1)))
    job = first.context["job"]
    other_browser = Client()
    other_browser.force_login(harryda_staff)
    _preview(other_browser, run_tasks, _workbook(_row(Åtagande=1)), replaces=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY


def test_the_import_page_query_count(
    staff_client, commitment, second_commitment, harryda_org, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse(IMPORT_URL))
    assert "Trygga skolvägar" in response.content.decode()


def test_the_job_page_with_its_upload_form_query_count(
    staff_client, commitment, run_tasks, django_assert_max_num_queries
):
    failed = _preview(staff_client, run_tasks, _workbook(_row(Åtagande=1, Typ="x")))
    url = reverse("admin:activities_activity_import_job", args=[failed.context["job"].pk])
    with django_assert_max_num_queries(12):
        response = staff_client.get(url)
    assert response.status_code == 200


def test_the_format_is_taken_from_the_file_name_when_not_chosen(
    staff_client, commitment, run_tasks
):
    page = _preview(staff_client, run_tasks, _workbook(_row(Åtagande=1)), file_format="")
    assert page.context["job"].format == ImportJob.Format.XLSX
    assert page.context["job"].status == ImportJob.Status.READY

    upload = io.BytesIO(b"x")
    upload.name = "aktiviteter.ods"
    response = staff_client.post(reverse(IMPORT_URL), {"format": "", "import_file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["format"] == [
        "Välj format: filens namn slutar inte på .xlsx eller .csv."
    ]


def test_a_number_that_is_not_in_the_promise_names_the_numbers_there(
    staff_client, commitment, second_commitment, run_tasks
):
    page = _preview(staff_client, run_tasks, _workbook(_row(Åtagande=9)))
    assert page.context["result"]["problems"][0]["message"] == (
        "Det finns inget åtagande nummer 9 i ”Medborgarlöfte Härryda kommun”: där finns nummer 1–2."
    )


def test_the_same_title_in_two_promises_asks_which(
    client, make_staff, police_org, two_current_promises, run_tasks
):
    for commitments in two_current_promises.values():
        commitments[0].title = "Trygg skolväg"
        commitments[0].save()
    client.force_login(make_staff("kommunpolis", police_org, "Kommunpolis"))
    page = _preview(
        client,
        run_tasks,
        _workbook(
            _row(Åtagande="Trygg skolväg", Datum=timezone.localdate() - timedelta(days=1)),
            _row(
                Åtagande="Löfte Landvetter: Trygg skolväg",
                Datum=timezone.localdate() - timedelta(days=1),
            ),
        ),
    )
    problems = page.context["result"]["problems"]
    assert [p["line"] for p in problems] == [2]
    assert problems[0]["message"].startswith("”Trygg skolväg” kan betyda flera åtaganden: ")
    assert "”Löfte Centrum: 1. Trygg skolväg”" in problems[0]["message"]


# The indicator values' template.


def test_measurement_template_lists_the_users_indicators(client, harryda_staff, harryda, molndal):
    from promises.models import Indicator

    mine = Indicator.objects.create(name="Andel trygga", unit="procent")
    mine.municipalities.add(harryda)
    theirs = Indicator.objects.create(name="Andel trygga i Mölndal", unit="procent")
    theirs.municipalities.add(molndal)
    client.force_login(harryda_staff)
    response = client.get(reverse("admin:promises_measurement_import_template", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Mätvärden", "Listor"]
    validations = _validations(book["Mätvärden"])
    assert _list_values(book, validations["Indikator"][0].formula1) == ["Andel trygga"]
    assert _list_values(book, validations["Kommun"][0].formula1) == ["Härryda"]
    assert validations["Värde"][0].type == "decimal"


def test_names_with_extra_spaces_are_found_as_the_suggestions_compare_them(
    client, harryda_staff, harryda, run_tasks
):
    from promises.models import Indicator

    indicator = Indicator.objects.create(name="Andel som känner sig trygga", unit="procent")
    indicator.municipalities.add(harryda)
    client.force_login(harryda_staff)
    header = (
        "Indikator;Kommun;Stadsdel eller område;År;Datum;Värde;KI nedre;KI övre;"
        "Antal svarande;Kommentar"
    )
    upload = io.BytesIO(
        f"{header}\nAndel som  känner sig trygga ;  Härryda;;2023;;68;;;;\n".encode()
    )
    upload.name = "matvarden.csv"
    response = client.post(
        reverse("admin:promises_measurement_import"), {"format": "csv", "import_file": upload}
    )
    run_tasks()
    page = client.get(response["Location"])
    assert page.context["result"]["problems"] == []


def test_misspelt_indicator_and_municipality_are_answered_with_the_closest(
    client, harryda_staff, harryda, molndal, run_tasks
):
    from promises.models import Indicator

    indicator = Indicator.objects.create(name="Andel som känner sig trygga", unit="procent")
    indicator.municipalities.add(harryda)
    client.force_login(harryda_staff)
    header = (
        "Indikator;Kommun;Stadsdel eller område;År;Datum;Värde;KI nedre;KI övre;"
        "Antal svarande;Kommentar"
    )
    upload = io.BytesIO(
        f"{header}\nAndel som känner sig tryga;Härryda;;2023;;68;;;;\n"
        "Andel som känner sig trygga;Häryda;;2023;;68;;;;\n"
        "Andel som känner sig trygga;Mölndal;;2023;;68;;;;\n".encode()
    )
    upload.name = "matvarden.csv"
    response = client.post(
        reverse("admin:promises_measurement_import"), {"format": "csv", "import_file": upload}
    )
    run_tasks()
    page = client.get(response["Location"])
    messages = [(p["line"], p["message"]) for p in page.context["result"]["problems"]]
    assert messages == [
        (
            2,
            "”Andel som känner sig tryga” finns inte bland indikatorerna i ditt område. "
            "Menade du ”Andel som känner sig trygga”?",
        ),
        (3, "”Häryda” finns inte bland kommunerna i ditt område. Menade du ”Härryda”?"),
        # Another area's municipality is not suggested.
        (4, "”Mölndal” finns inte bland kommunerna i ditt område."),
    ]
