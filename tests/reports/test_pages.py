import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from activities.models import Activity
from promises.models import ActivityType, Assessment, FollowUp, Organisation, PoliceArea
from reports.models import ReportFile

DONE = Assessment.Verdict.DONE


@pytest.fixture
def follow_up(promise, commitment, make_activity, make_follow_up):
    make_activity(date=date(2023, 3, 1), occasions=5)
    make_activity(date=date(2023, 3, 2), occasions=9, internal_note="INTERN-XYZ")
    make_activity(date=date(2023, 3, 3), occasions=50, status=Activity.Status.DRAFT)
    return make_follow_up(
        promise,
        {commitment: (DONE, "")},
        title="Uppföljning 2023",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
    )


def _url(follow_up, fmt=None):
    args = ["harryda", follow_up.promise.slug, follow_up.pk]
    if fmt is None:
        return reverse("public:follow-up-detail", args=args)
    return reverse("public:follow-up-report", args=[*args, fmt])


def test_public_page_shows_the_report(client, follow_up, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = client.get(_url(follow_up))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-counted="14"' in html
    assert "INTERN-XYZ" not in html
    assert not response.cookies
    # Printable: the report's stylesheet (with its print rules) is linked, not inline.
    assert 'href="/static/css/report.css"' in html


def test_english_page_shows_the_english_texts_and_marks_the_swedish(
    client, follow_up, commitment, activity_type, make_activity, police_org
):
    commitment.title_en = "Targeted work with young people"
    commitment.target_value = 20
    commitment.target_unit = "fotpatrulleringar"
    commitment.save()
    activity_type.name_en = "Foot patrol"
    activity_type.save()
    walk = ActivityType.objects.create(name="Grannsamverkansträff", slug="grannsamverkanstraff")
    make_activity(date=date(2023, 4, 1), type=walk).organisations.add(police_org)
    with translation.override("en"):
        html = client.get(_url(follow_up)).content.decode()
    # English where there is a version in English, and no lang attribute for it ...
    assert "<h2>Targeted work with young people</h2>" in html
    assert "<td>Foot patrol</td>" in html
    # ... and the Swedish text, marked as Swedish for a screen reader, where there is none.
    assert '<h1 class="rp-title" lang="sv">Medborgarlöfte Härryda kommun</h1>' in html
    assert '<p class="rp-subtitle" lang="sv">Uppföljning 2023</p>' in html
    assert '<td lang="sv">Grannsamverkansträff</td>' in html
    assert '<span lang="sv">fotpatrulleringar</span>' in html
    assert '<td lang="sv">LPO Storgöteborg syd</td>' in html
    # In Swedish nothing is marked.
    html = client.get(_url(follow_up)).content.decode()
    assert "<h2>Riktade insatser mot ungdomar</h2>" in html
    assert "<td>Grannsamverkansträff</td>" in html and 'lang="sv"' not in html.split("<main", 1)[1]


def test_wide_tables_scroll_in_a_named_box_of_their_own(client, follow_up):
    """At 320 px a report table can be wider than the screen (WCAG 1.4.10): its box scrolls."""
    html = client.get(_url(follow_up)).content.decode()
    boxes = re.findall(
        r'<div class="rp-scroll" role="region" tabindex="0" aria-labelledby="([^"]+)">\s*<table',
        html,
    )
    assert len(boxes) == html.count('<table class="rp-table">') > 0
    for label in boxes:
        assert f'<caption id="{label}">' in html


def test_promise_page_links_to_the_report(client, follow_up):
    response = client.get(follow_up.promise.get_absolute_url())
    assert _url(follow_up).encode() in response.content


def test_pdf_is_built_by_the_worker_then_served(client, follow_up, run_tasks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get(_url(follow_up, "pdf"))
    assert response.status_code == 202
    assert "förbereds" in response.content.decode()
    run_tasks()
    response = client.get(_url(follow_up, "pdf"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    stored = ReportFile.objects.get(follow_up=follow_up)
    assert stored.pdf.name.startswith("reports/") and len(stored.pdf.name) > 40
    response = client.get(_url(follow_up, "xlsx"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert list(book["Sammanfattning"].iter_rows(values_only=True))[1][3] == 14
    # A change makes the files out of date until the worker has built them again.
    follow_up.narrative = "Ny text"
    follow_up.save()
    assert client.get(_url(follow_up, "pdf")).status_code == 202


def test_public_csv_is_streamed_with_bom(client, follow_up):
    response = client.get(_url(follow_up, "csv"))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffDatum;")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert sum(int(r[8]) for r in rows[1:]) == 14
    comma = b"".join(client.get(_url(follow_up, "csv") + "?avgransare=,").streaming_content)
    assert comma.decode("utf-8").startswith("\ufeffDatum,")


@pytest.mark.parametrize("fmt", [None, "pdf", "xlsx", "csv"])
def test_draft_follow_up_is_not_public(client, follow_up, fmt):
    follow_up.status = FollowUp.Status.DRAFT
    follow_up.save()
    assert client.get(_url(follow_up, fmt)).status_code == 404


def test_staff_can_preview_and_download_a_draft(client, follow_up, harryda_staff):
    follow_up.status = FollowUp.Status.DRAFT
    follow_up.save()
    client.force_login(harryda_staff)
    preview = client.get(reverse("public:follow-up-preview", args=[follow_up.pk]))
    assert preview.status_code == 200
    assert "Utkast" in preview.content.decode()
    url = reverse("admin:promises_followup_report", args=[follow_up.pk, "csv"])
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    change = client.get(reverse("admin:promises_followup_change", args=[follow_up.pk]))
    assert url.encode() in change.content
    assert "Utvalda aktiviteter i rapporten (högst fem)" in change.content.decode()


def test_other_police_area_cannot_download(client, follow_up, make_staff, area):
    other_area = PoliceArea.objects.create(name="Nordost", slug="nordost", region=area.region)
    org = Organisation.objects.create(
        kind=Organisation.Kind.POLICE_AREA, name="LPO Nordost", police_area=other_area
    )
    stranger = make_staff("kommunpolis.nordost", org)
    client.force_login(stranger)
    for fmt in ("pdf", "xlsx", "csv"):
        url = reverse("admin:promises_followup_report", args=[follow_up.pk, fmt])
        assert client.get(url).status_code == 404
    preview = reverse("public:follow-up-preview", args=[follow_up.pk])
    assert client.get(preview).status_code == 404


def test_an_activity_change_rebuilds_the_files_once(
    client,
    follow_up,
    make_activity,
    run_tasks,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    from django_tasks_db.models import DBTaskResult

    settings.MEDIA_ROOT = tmp_path
    client.get(_url(follow_up, "pdf"))
    run_tasks()
    assert client.get(_url(follow_up, "pdf")).status_code == 200
    queued = DBTaskResult.objects.count()
    # Both saved in one transaction (as an import is): marked once at its commit.
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(date=date(2023, 5, 1), occasions=3)
        make_activity(date=date(2023, 5, 2), occasions=3)
    assert DBTaskResult.objects.count() == queued + 1
    assert client.get(_url(follow_up, "pdf")).status_code == 202
    run_tasks()
    response = client.get(_url(follow_up, "xlsx"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert list(book["Sammanfattning"].iter_rows(values_only=True))[1][3] == 14 + 6


def test_page_asks_for_files_a_follow_up_never_had(
    client, follow_up, run_tasks, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    ReportFile.objects.all().delete()
    assert "förbereds" in client.get(_url(follow_up)).content.decode()
    # The worker commits its build, which renews the page (the test's commit is simulated).
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    assert f'href="{_url(follow_up, "pdf")}"' in client.get(_url(follow_up)).content.decode()


@pytest.mark.parametrize("change", ["promise", "commitment", "contact"])
def test_changing_what_the_report_quotes_makes_its_files_out_of_date(
    client, follow_up, run_tasks, settings, tmp_path, change
):
    settings.MEDIA_ROOT = tmp_path
    client.get(_url(follow_up, "pdf"))
    run_tasks()
    assert client.get(_url(follow_up, "pdf")).status_code == 200
    promise = follow_up.promise
    if change == "promise":
        promise.goal = "Ett nytt mål."
        promise.save()
    elif change == "commitment":
        commitment = promise.commitments.first()
        commitment.title = "Ny rubrik"
        commitment.save()
    else:
        promise.contacts.update_or_create(name="Ny kontakt")
    assert client.get(_url(follow_up, "pdf")).status_code == 202
    run_tasks()
    assert client.get(_url(follow_up, "pdf")).status_code == 200


def test_a_stalled_build_is_asked_for_again(client, follow_up, run_tasks, settings, tmp_path):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.MEDIA_ROOT = tmp_path
    client.get(_url(follow_up, "pdf"))
    DBTaskResult.objects.all().delete()  # the worker died with the task
    ReportFile.objects.filter(follow_up=follow_up).update(
        requested_at=timezone.now() - timedelta(hours=1)
    )
    assert client.get(_url(follow_up, "pdf")).status_code == 202
    assert DBTaskResult.objects.count() == 1  # asked for again
    run_tasks()
    assert client.get(_url(follow_up, "pdf")).status_code == 200
