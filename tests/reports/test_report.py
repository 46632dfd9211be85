import csv
import io
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from activities.models import Activity
from activities.progress import progress_for
from promises.models import Assessment, Commitment, FollowUp
from reports import outputs
from reports.content import build_report, report_for_follow_up
from reports.models import FollowUpHighlight

DONE = Assessment.Verdict.DONE
PARTLY = Assessment.Verdict.PARTLY


@pytest.fixture
def data(promise, commitment, activity_type, make_activity, make_follow_up, police_org):
    """Two commitments, activities inside and outside 2023, and things never to show."""
    commitment.target_value = 24
    commitment.target_period = Commitment.TargetPeriod.YEAR
    commitment.target_activity_type = activity_type
    commitment.save()
    other = Commitment.objects.create(promise=promise, position=2, title="Trygghetsvandringar")
    other.parties.add(police_org)
    counted = [
        make_activity(date=date(2023, 1, 10), occasions=3),
        make_activity(date=date(2023, 6, 1), occasions=4, people_reached=40),
        make_activity(date=date(2023, 12, 31), occasions=2),
        make_activity(commitment=other, date=date(2023, 5, 5), occasions=1, people_reached=12),
    ]
    counted[0].organisations.add(police_org)
    make_activity(date=date(2022, 12, 31), occasions=100, title="Före perioden")
    make_activity(date=date(2024, 1, 1), occasions=100, title="Efter perioden")
    make_activity(
        date=date(2023, 4, 1), occasions=50, title="Hemligt utkast", status=Activity.Status.DRAFT
    )
    make_activity(
        date=date(2023, 4, 2),
        occasions=7,
        title="Med anteckning",
        internal_note="INTERN-ANTECKNING-XYZ",
    )
    follow_up = make_follow_up(
        promise,
        {commitment: (PARTLY, "Färre patruller i januari."), other: (DONE, "")},
        title="Uppföljning 2023",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        narrative="Berättelsen om året.",
    )
    return {"promise": promise, "commitment": commitment, "other": other, "follow_up": follow_up}


def _expected(data):
    """The figures the public pages show for the same period."""
    progress = progress_for(
        data["promise"], period=(date(2023, 1, 1), date(2023, 12, 31)), with_latest=False
    )
    return {p.commitment.title: p for p in progress.values()}


def test_period_limits_figures_and_target(data):
    expected = _expected(data)
    first = expected["Riktade insatser mot ungdomar"]
    assert first.counted == 3 + 4 + 2 + 7
    assert first.target == 24
    assert sum(bar.value for bar in first.months) == first.counted
    assert expected["Trygghetsvandringar"].counted == 1


def test_report_totals_add_up(data):
    report = report_for_follow_up(data["follow_up"])
    for section in report.sections:
        by_type = section.breakdown.by_type
        assert sum(r.activities for r in by_type) == section.progress.all_activities
        assert sum(r.counted for r in by_type) == section.progress.counted
    assert [label for label, n in report.summary if n] == ["Genomfört", "Delvis genomfört"]


def test_xlsx_totals_equal_database(data):
    report = report_for_follow_up(data["follow_up"])
    book = load_workbook(io.BytesIO(outputs.xlsx_bytes(report)))
    assert book.sheetnames == ["Sammanfattning", "Aktiviteter"]
    summary = list(book["Sammanfattning"].iter_rows(values_only=True))
    expected = _expected(data)
    done = {row[0]: row[3] for row in summary[1:]}
    assert done == {title: p.counted for title, p in expected.items()}
    assert summary[1][2] == 24 and summary[1][5] == "Delvis genomfört"
    activities = list(book["Aktiviteter"].iter_rows(values_only=True))[1:]
    per_commitment = {}
    for row in activities:
        per_commitment[row[1]] = per_commitment.get(row[1], 0) + row[8]
    assert per_commitment == done
    # Real dates and numbers, not text.
    assert isinstance(activities[0][0], datetime) and activities[0][0].date() == date(2023, 1, 10)
    assert isinstance(activities[0][6], int)
    assert book["Aktiviteter"].freeze_panes == "A2"
    assert book["Aktiviteter"].auto_filter.ref


def test_csv_opens_with_bom_and_semicolon_and_adds_up(data):
    report = report_for_follow_up(data["follow_up"])
    text = "".join(outputs.csv_chunks(report))
    assert text.startswith("\ufeffDatum;")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    expected = _expected(data)
    totals = {}
    for row in rows[1:]:
        totals[row[1]] = totals.get(row[1], 0) + int(row[8])
    assert totals == {title: p.counted for title, p in expected.items()}
    comma = "".join(outputs.csv_chunks(report, ","))
    assert comma.startswith("\ufeffDatum,Åtagande,")


def test_pdf_shows_the_same_figures(data):
    report = report_for_follow_up(data["follow_up"])
    reader = PdfReader(io.BytesIO(outputs.pdf_bytes(report)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "16 av 24" in text
    assert "Färre patruller i januari." in text
    assert "Sida 1 av" in text
    assert "Utkast" not in text
    assert reader.metadata.title.startswith("Uppföljning 2023")
    assert len(reader.outline) >= 4


def test_nothing_secret_in_any_format(data):
    report = report_for_follow_up(data["follow_up"])
    for fmt in outputs.FORMATS:
        data_bytes = outputs.render(report, fmt)
        if fmt == "pdf":
            reader = PdfReader(io.BytesIO(data_bytes))
            text = "\n".join(page.extract_text() for page in reader.pages)
        elif fmt == "xlsx":
            book = load_workbook(io.BytesIO(data_bytes))
            text = "\n".join(
                str(v) for s in book for row in s.iter_rows(values_only=True) for v in row
            )
        else:
            text = data_bytes.decode("utf-8")
        assert "INTERN-ANTECKNING-XYZ" not in text, fmt
        assert "Hemligt utkast" not in text, fmt
        assert "Före perioden" not in text, fmt


def test_draft_is_marked_on_every_page(data):
    follow_up = data["follow_up"]
    follow_up.status = FollowUp.Status.DRAFT
    follow_up.save()
    reader = PdfReader(io.BytesIO(outputs.pdf_bytes(report_for_follow_up(follow_up))))
    assert all("UTKAST" in page.extract_text() for page in reader.pages)


def test_highlights_only_own_published_activities(data, make_activity):
    from django.core.exceptions import ValidationError

    follow_up = data["follow_up"]
    draft = Activity.objects.get(title="Hemligt utkast")
    with pytest.raises(ValidationError):
        FollowUpHighlight(follow_up=follow_up, activity=draft).full_clean()
    chosen = Activity.objects.filter(date=date(2023, 6, 1)).get()
    FollowUpHighlight.objects.create(follow_up=follow_up, activity=chosen)
    report = report_for_follow_up(follow_up)
    assert report.sections[0].highlights == [chosen]


def test_command_writes_every_format(data, tmp_path):
    for fmt in outputs.FORMATS:
        target = tmp_path / f"rapport.{fmt}"
        call_command(
            "export_report",
            "harryda",
            "2023",
            "--format",
            fmt,
            "--output",
            str(target),
            stdout=io.StringIO(),
        )
        assert target.stat().st_size > 100
    rows = list(
        csv.reader(io.StringIO((tmp_path / "rapport.csv").read_text("utf-8-sig")), delimiter=";")
    )
    assert sum(int(r[8]) for r in rows[1:]) == sum(p.counted for p in _expected(data).values())


def test_command_without_follow_up_says_so(data, tmp_path):
    data["follow_up"].delete()
    target = tmp_path / "r.html"
    call_command(
        "export_report",
        "harryda",
        "2023",
        "--format",
        "html",
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    html = target.read_text()
    assert "Ingen bedömning publicerad" in html
    assert 'data-counted="16"' in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["okand", "2023"], "Det finns ingen kommun"),
        (["harryda", "2030"], "inget publicerat medborgarlöfte"),
        (["harryda", "2023", "--format", "docx"], "Okänt format"),
        (["harryda", "2023", "--follow-up", "999999"], "är inte en publicerad uppföljning"),
    ],
)
def test_command_errors(data, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_report", *args, "--output", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_command_several_promises_need_promise(data, make_promise, harryda, tmp_path):
    from promises.models import District

    north = District.objects.create(municipality=harryda, name="Norr", slug="norr")
    promise = data["promise"]
    promise.municipalities.set([])
    promise.districts.set([District.objects.create(municipality=harryda, name="Syd", slug="syd")])
    promise.municipalities.add(harryda)
    second = make_promise([harryda], districts=[north], title="Norr", slug="norr-lofte")
    with pytest.raises(CommandError, match="flera medborgarlöften"):
        call_command("export_report", "harryda", "2023", "--output", str(tmp_path / "x"))
    call_command(
        "export_report",
        "harryda",
        "2023",
        "--promise",
        second.slug,
        "--format",
        "csv",
        "--output",
        str(tmp_path / "x"),
        stdout=io.StringIO(),
    )
    assert (tmp_path / "x").read_text("utf-8-sig").startswith("Datum;")


def test_command_exits_non_zero_with_a_swedish_message(data, capsys):
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(
            ["manage.py", "export_report", "finns-inte", "2023", "--output", "-"]
        )
    assert exited.value.code == 1
    assert "Det finns ingen kommun med adressnamnet ”finns-inte”" in capsys.readouterr().err


def test_command_writes_to_stdout(data, capsysbinary):
    call_command("export_report", "harryda", "2023", "--format", "csv", "--output", "-")
    out = capsysbinary.readouterr().out
    assert out.startswith("\ufeffDatum;".encode())
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig")), delimiter=";"))
    assert sum(int(r[8]) for r in rows[1:]) == 17


def test_build_report_for_a_year_uses_no_follow_up(data):
    report = build_report(data["promise"], (date(2023, 1, 1), date(2023, 12, 31)))
    assert not report.has_assessment
    assert all(s.assessment is None for s in report.sections)


def test_people_reached_is_unknown_rather_than_zero_when_nobody_counted(data):
    html = outputs.render_html(report_for_follow_up(data["follow_up"]))
    # The first commitment: 40 people in one of its four activities; the
    # others did not say, so the report says so instead of adding 0.
    assert "(uppgift saknas för 3 aktiviteter)" in html
    report = report_for_follow_up(data["follow_up"])
    first = next(s for s in report.sections if s.progress.commitment == data["commitment"])
    assert (first.breakdown.people_reached, first.breakdown.people_known) == (40, 1)


def test_a_commitment_without_a_target_is_not_called_vid_behov(data):
    html = outputs.render_html(report_for_follow_up(data["follow_up"]))
    assert "Inget mål i siffror" in html  # Trygghetsvandringar has none
    assert "Vid behov" not in html
