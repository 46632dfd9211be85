"""Spreadsheet round-trip: export, edit, import back; all or nothing, errors in Swedish."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from activities.models import Activity
from staff.models import ImportJob
from staff.resources import ActivityResource

HEADER = (
    "ID;Åtagande;Datum;Slutdatum;Rubrik;Beskrivning;Typ;Genomförd av;Plats;"
    "Antal tillfällen;Antal nådda personer;Status"
)
IMPORT_URL = "admin:activities_activity_import"


@pytest.fixture
def staff_client(client, harryda_staff):
    client.force_login(harryda_staff)
    return client


def _upload(content: bytes, name: str):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def _upload_file(client, content: bytes, name: str, file_format: str):
    return client.post(
        reverse(IMPORT_URL), {"format": file_format, "import_file": _upload(content, name)}
    )


def _preview(client, run_tasks, content: bytes, name: str, file_format: str):
    """Upload, let the worker prepare the preview, and return the job's page."""
    response = _upload_file(client, content, name, file_format)
    if response.status_code != 302:
        return response  # refused at upload, with the form and its message
    run_tasks()
    return client.get(response["Location"])


def _confirm(client, run_tasks, preview):
    response = client.post(
        reverse("admin:activities_activity_process_import"), {"job": str(preview.context["job"].pk)}
    )
    assert response.status_code == 302
    run_tasks()
    return client.get(response["Location"])


def _csv(commitment, *rows: str, delimiter=";") -> str:
    lines = [HEADER, *rows]
    return "\n".join(line.replace(";", delimiter) for line in lines).replace(
        "{c}", commitment.title
    )


def test_semicolon_csv_with_bom_from_swedish_excel_imports(
    staff_client, commitment, harryda_staff, harryda_org, run_tasks
):
    text = _csv(
        commitment,
        ";{c};2023-03-14;;Fotpatrullering i Mölnlycke;;Fotpatrullering och polisnärvaro;Härryda kommun;"
        "Mölnlycke centrum;12;;Publicerad",
        ";{c};2023-04-02;;Trygghetsvandring, Landvetter;Med boende;Trygghetsvandring;;"
        "Landvetter;1;25;Utkast",
    )
    preview = _preview(
        staff_client, run_tasks, ("\ufeff" + text).encode("utf-8"), "excel.csv", "csv"
    )
    assert preview.status_code == 200
    assert not preview.context["result"]["problems"]
    assert Activity.objects.count() == 0  # nothing written before confirmation

    response = _confirm(staff_client, run_tasks, preview)

    assert response.context["job"].status == ImportJob.Status.DONE
    assert "2 nya, 0 ändrade och 0 oförändrade rader" in response.content.decode()
    patrol = Activity.objects.get(title="Fotpatrullering i Mölnlycke")
    assert patrol.occasions == 12
    assert patrol.date == date(2023, 3, 14)
    assert list(patrol.organisations.all()) == [harryda_org]
    assert patrol.created_by == harryda_staff
    assert patrol.history.latest().history_user == harryda_staff
    walk = Activity.objects.get(title="Trygghetsvandring, Landvetter")
    assert walk.status == Activity.Status.DRAFT
    assert walk.people_reached == 25


def test_comma_csv_without_bom_imports(staff_client, commitment, run_tasks):
    text = _csv(
        commitment,
        ";{c};2023-03-14;;Patrull;;Fotpatrullering och polisnärvaro;;Torget;2;;Publicerad",
        delimiter=",",
    )
    preview = _preview(staff_client, run_tasks, text.encode("utf-8"), "komma.csv", "csv")
    assert not preview.context["result"]["problems"]
    _confirm(staff_client, run_tasks, preview)
    assert Activity.objects.get().title == "Patrull"


def test_one_bad_row_writes_nothing_and_is_listed_with_its_line(
    staff_client, commitment, run_tasks
):
    text = _csv(
        commitment,
        ";{c};2023-03-14;;Bra rad;;Fotpatrullering och polisnärvaro;;;1;;Publicerad",
        ";{c};2030-01-01;;Fel datum;;Fotpatrullering och polisnärvaro;;;1;;Publicerad",
        ";{c};2023-03-16;;Också bra;;Fotpatrullering och polisnärvaro;;;-3;;Publicerad",
    )
    response = _preview(staff_client, run_tasks, text.encode("utf-8"), "fel.csv", "csv")

    problems = response.context["result"]["problems"]
    assert [(p["line"], p["column"], p["value"]) for p in problems] == [
        # Outside the promise's period, and in the future for work that is done.
        (3, "Datum", "2030-01-01"),
        (3, "Datum", "2030-01-01"),
        (4, "Antal tillfällen", "-3"),
    ]
    assert "utanför medborgarlöftets period" in problems[0]["message"]
    assert "inte varit än" in problems[1]["message"]
    assert "negativt" in problems[2]["message"]
    assert response.context["job"].status == ImportJob.Status.FAILED
    page = response.content.decode()
    assert "ingenting har importerats" in page
    assert "utanför medborgarlöftets period" in page
    assert Activity.objects.count() == 0


def test_import_is_all_or_nothing_even_without_the_preview(commitment, harryda_staff):
    text = _csv(
        commitment,
        ";{c};2023-03-14;;Bra rad;;Fotpatrullering och polisnärvaro;;;1;;Publicerad",
        ";{c};2023-03-15;;Okänd typ;;Finns inte;;;1;;Publicerad",
    )
    from staff.resources import SpreadsheetCSV

    dataset = SpreadsheetCSV(encoding="utf-8-sig").create_dataset(text.encode("utf-8"))
    result = ActivityResource(user=harryda_staff).import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert "Finns inte" in result.problems[0]["message"]
    assert Activity.objects.count() == 0


def test_unknown_values_are_explained_in_swedish(staff_client, commitment, run_tasks):
    text = _csv(
        commitment,
        ";{c};14/3 2023;;Rad;;Fotpatrullering och polisnärvaro;Okänd förening;;tolv;;Kanske",
    )
    response = _preview(staff_client, run_tasks, text.encode("utf-8"), "fel.csv", "csv")
    messages = {p["column"]: p["message"] for p in response.context["result"]["problems"]}
    assert "är inte ett datum" in messages["Datum"]
    assert "finns inte bland organisationerna i ditt område" in messages["Genomförd av"]
    assert "är inte ett heltal" in messages["Antal tillfällen"]
    assert "Okänd status" in messages["Status"]


def _export(client, file_format: str) -> bytes:
    response = client.post(
        reverse("admin:activities_activity_export"), {"format": file_format, "resource": "0"}
    )
    assert response.status_code == 200
    return response.content


def test_xlsx_round_trip_changes_nothing(staff_client, make_activity, harryda_org, run_tasks):
    for day in (1, 2, 3):
        activity = make_activity(date=date(2023, 3, day), place="Torget", people_reached=day)
        activity.organisations.add(harryda_org)
    make_activity(date=date(2023, 3, 4), status=Activity.Status.DRAFT)
    before = list(Activity.objects.order_by("pk").values())

    exported = _export(staff_client, "1")
    preview = _preview(staff_client, run_tasks, exported, "export.xlsx", "xlsx")

    totals = preview.context["result"]["totals"]
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 0, 4)
    _confirm(staff_client, run_tasks, preview)
    assert list(Activity.objects.order_by("pk").values()) == before


def test_edited_xlsx_updates_the_changed_row(staff_client, make_activity, run_tasks):
    activity = make_activity()
    make_activity(date=date(2023, 3, 20))
    book = openpyxl.load_workbook(io.BytesIO(_export(staff_client, "1")))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("ID")].value == activity.pk:
            row[headers.index("Rubrik")].value = "Ny rubrik"
            row[headers.index("Antal tillfällen")].value = 7
    edited = io.BytesIO()
    book.save(edited)

    preview = _preview(staff_client, run_tasks, edited.getvalue(), "redigerad.xlsx", "xlsx")
    assert preview.context["result"]["totals"]["update"] == 1
    _confirm(staff_client, run_tasks, preview)

    activity.refresh_from_db()
    assert (activity.title, activity.occasions) == ("Ny rubrik", 7)
    assert Activity.objects.count() == 2


def test_csv_export_opens_in_swedish_excel_and_imports_back(staff_client, make_activity, run_tasks):
    make_activity(title="Fotpatrullering; kväll", description="Två rader\noch ett ”citat”")
    exported = _export(staff_client, "0")
    assert exported.startswith("\ufeff".encode())
    assert exported.decode("utf-8-sig").splitlines()[0].startswith("ID;Åtagande;Datum;")
    preview = _preview(staff_client, run_tasks, exported, "export.csv", "csv")
    assert preview.context["result"]["totals"]["skip"] == 1


def test_export_never_contains_the_internal_note(staff_client, make_activity):
    make_activity(internal_note="Hemlig uppgift om fältgruppen")
    for file_format in ("0", "1"):
        content = _export(staff_client, file_format)
        if file_format == "1":
            book = openpyxl.load_workbook(io.BytesIO(content))
            content = "\n".join(
                str(cell.value) for row in book.active.iter_rows() for cell in row
            ).encode()
        assert "Hemlig uppgift" not in content.decode("utf-8-sig")
        assert "intern" not in content.decode("utf-8-sig").lower()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_import_page_offers_a_template_file(staff_client, file_format):
    page = staff_client.get(reverse(IMPORT_URL))
    url = reverse("admin:activities_activity_import_template", args=[file_format])
    assert url in page.content.decode()
    response = staff_client.get(url)
    assert response.status_code == 200
    if file_format == "csv":
        header = response.content.decode("utf-8-sig").splitlines()[0]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header = ";".join(cell.value for cell in sheet[1])
    assert header.startswith("ID;Åtagande;Datum")


def test_report_readers_export_but_do_not_import(client, make_staff, harryda_org, make_activity):
    make_activity()
    client.force_login(make_staff("lasare", harryda_org, "Rapportläsare"))
    assert b"Fotpatrullering" in _export(client, "0")
    assert client.get(reverse(IMPORT_URL)).status_code == 403


def test_export_of_one_promise_follows_the_changelist_filter(
    client, make_staff, police_org, make_activity, molndal_data
):
    make_activity(title="Härrydas aktivitet")
    client.force_login(make_staff("kommunpolis", police_org, "Kommunpolis"))
    promise = molndal_data["promise"]
    changelist = client.get(
        reverse("admin:activities_activity_changelist"),
        {"commitment__promise__id__exact": promise.pk},
    )
    export_url = reverse("admin:activities_activity_export")
    assert (
        f"{export_url}?commitment__promise__id__exact={promise.pk}" in changelist.content.decode()
    )

    response = client.post(
        f"{export_url}?commitment__promise__id__exact={promise.pk}",
        {"format": "0", "resource": "0"},
    )
    text = response.content.decode("utf-8-sig")
    assert "Fotpatrullering i Kvarnbyn" in text
    assert "Härrydas aktivitet" not in text


def test_importing_the_same_new_rows_twice_warns_before_confirmation(
    staff_client, commitment, run_tasks
):
    text = _csv(
        commitment,
        ";{c};2023-03-14;;Patrull;;Fotpatrullering och polisnärvaro;;Torget;2;;Publicerad",
    ).encode("utf-8")
    first = _preview(staff_client, run_tasks, text, "ny.csv", "csv")
    assert first.context["result"]["warnings"] == []
    _confirm(staff_client, run_tasks, first)

    second = _preview(staff_client, run_tasks, text, "ny.csv", "csv")

    warnings = second.context["result"]["warnings"]
    assert [w["line"] for w in warnings] == [2]
    assert "Möjliga dubbletter" in second.content.decode()
    assert second.context["job"].status == ImportJob.Status.READY  # a warning, not an error
    assert Activity.objects.count() == 1


def test_xlsx_typed_by_hand_with_excel_cell_types_imports(staff_client, commitment, run_tasks):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(
        [
            None,
            float(commitment.position),  # the number, as an Excel number cell
            date(2023, 5, 2),
            None,
            "Handskriven",
            None,
            "trygghetsvandring",
            None,
            "Benareby",
            1.0,
            None,
            "publicerad",
        ]
    )
    content = io.BytesIO()
    book.save(content)
    preview = _preview(staff_client, run_tasks, content.getvalue(), "hand.xlsx", "xlsx")
    assert preview.context["result"]["problems"] == []
    _confirm(staff_client, run_tasks, preview)
    activity = Activity.objects.get()
    assert (activity.date, activity.type.slug, activity.occasions) == (
        date(2023, 5, 2),
        "trygghetsvandring",
        1,
    )


def test_missing_columns_are_one_swedish_message(staff_client, commitment, run_tasks):
    text = "Datum;Rubrik\n2023-03-14;Patrull\n2023-03-15;Vandring\n"
    response = _preview(staff_client, run_tasks, text.encode("utf-8"), "kort.csv", "csv")

    problems = response.context["result"]["problems"]
    assert len(problems) == 1
    message = problems[0]["message"]
    assert message.startswith("Filen saknar kolumnerna ”ID”, ”Åtagande”")
    assert "”Datum”" not in message
    page = response.content.decode()
    assert "not found" not in page
    assert "['" not in message
    assert Activity.objects.count() == 0


def test_a_file_that_is_not_a_spreadsheet_is_explained_in_swedish(
    staff_client, commitment, run_tasks
):
    response = _preview(staff_client, run_tasks, b"inte en arbetsbok", "falsk.xlsx", "xlsx")

    errors = response.context["form"].errors["import_file"]
    assert errors == [
        "Filen kunde inte läsas. Kontrollera att den är en CSV-fil eller en Excel-arbetsbok "
        "(.xlsx), att du valt rätt format och att filen inte är skadad."
    ]
    assert "encountered" not in response.content.decode()
    assert Activity.objects.count() == 0


def test_csv_from_swedish_excel_in_windows_1252_imports(staff_client, commitment, run_tasks):
    text = _csv(
        commitment,
        ";{c};2023-03-14;;Fotpatrullering på torget;Möte med åldringar;"
        "Fotpatrullering och polisnärvaro;Härryda kommun;Råda säteri;2;;Publicerad",
    )
    preview = _preview(staff_client, run_tasks, text.encode("cp1252"), "excel.csv", "csv")
    assert not preview.context["result"]["problems"]
    _confirm(staff_client, run_tasks, preview)

    activity = Activity.objects.get()
    assert (activity.title, activity.description, activity.place) == (
        "Fotpatrullering på torget",
        "Möte med åldringar",
        "Råda säteri",
    )


def test_undecodable_csv_is_explained_in_swedish_and_writes_nothing(
    staff_client, commitment, run_tasks
):
    content = HEADER.encode("utf-8") + b"\n\x81\x8d\x90"
    response = _preview(staff_client, run_tasks, content, "x.csv", "csv")
    assert "kunde inte läsas som text" in response.context["result"]["message"]
    assert Activity.objects.count() == 0


def test_inactive_type_is_refused_for_new_rows_only(
    staff_client, commitment, make_activity, run_tasks
):
    from promises.models import ActivityType

    old_type = ActivityType.objects.create(name="Gammal typ", slug="gammal-typ", is_active=False)
    existing = make_activity(type=old_type, title="Gammal")
    text = _csv(
        commitment,
        f"{existing.pk};{{c}};2023-03-14;;Gammal, ändrad;;Gammal typ;;Torget;1;;Publicerad",
        ";{c};2023-03-15;;Ny;;Gammal typ;;Torget;1;;Publicerad",
    )
    response = _preview(staff_client, run_tasks, text.encode("utf-8"), "typ.csv", "csv")

    problems = response.context["result"]["problems"]
    assert [(p["line"], p["column"]) for p in problems] == [(3, "Typ")]
    assert "används inte längre" in problems[0]["message"]
    assert Activity.objects.count() == 1


def test_an_imported_row_has_one_history_record(
    staff_client, commitment, harryda_org, harryda_staff, run_tasks
):
    text = _csv(
        commitment,
        ";{c};2023-03-14;;Patrull;;Fotpatrullering och polisnärvaro;Härryda kommun;Torget;1;;"
        "Publicerad",
    )
    _confirm(
        staff_client,
        run_tasks,
        _preview(staff_client, run_tasks, text.encode("utf-8"), "ny.csv", "csv"),
    )

    activity = Activity.objects.get()
    records = list(activity.history.all())
    assert [r.history_type for r in records] == ["+"]
    assert records[0].history_user == harryda_staff
    assert [o.organisation for o in records[0].organisations.all()] == [harryda_org]
