"""The progress arithmetic: what counts, how it is summed, and the status it leads to."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity
from activities.progress import Status, progress_for, progress_for_promises
from promises.models import ActivityType, Commitment


@pytest.fixture
def walk_type(db):
    return ActivityType.objects.get(slug="trygghetsvandring")


@pytest.fixture
def patrols(promise, activity_type):
    return Commitment.objects.create(
        promise=promise,
        position=2,
        title="Minst 300 fotpatrulleringar",
        target_value=300,
        target_unit="fotpatrulleringar",
        target_activity_type=activity_type,
    )


def _progress(promise, commitment, today=date(2023, 6, 1)):
    return progress_for(promise, today=today)[commitment.pk]


def test_counted_is_the_sum_of_occasions_of_public_activities_of_the_target_type(
    promise, patrols, make_activity, walk_type
):
    make_activity(commitment=patrols, occasions=200)
    make_activity(commitment=patrols, occasions=12, date=date(2023, 4, 2))
    make_activity(commitment=patrols, occasions=50, type=walk_type)  # another type
    make_activity(commitment=patrols, occasions=99, status=Activity.Status.DRAFT)

    progress = _progress(promise, patrols)

    assert progress.counted == 212
    assert progress.counted_activities == 2
    assert progress.all_activities == 3
    assert progress.target == 300
    assert progress.remaining == 88
    assert progress.percent_exact == 70
    assert not progress.reached


def test_without_a_target_type_every_activity_counts(promise, commitment, make_activity, walk_type):
    make_activity(occasions=3)
    make_activity(occasions=4, type=walk_type)

    assert _progress(promise, commitment).counted == 7


def test_people_reached_measure_sums_people_and_treats_missing_as_zero(
    promise, make_activity, walk_type
):
    parents = Commitment.objects.create(
        promise=promise,
        position=3,
        title="Nå 400 föräldrar",
        target_value=400,
        target_unit="föräldrar",
        target_measure=Commitment.Measure.PEOPLE_REACHED,
    )
    make_activity(commitment=parents, occasions=5, people_reached=40)
    make_activity(commitment=parents, occasions=5, people_reached=None)
    make_activity(commitment=parents, occasions=5, people_reached=25, type=walk_type)

    progress = _progress(promise, parents)

    assert progress.counted == 65
    assert progress.counts_people


def test_activities_of_a_draft_promise_never_count(make_promise, molndal, activity_type):
    draft = make_promise([molndal], status="draft", start=date(2025, 1, 1), end=date(2026, 1, 1))
    commitment = Commitment.objects.create(promise=draft, title="Åtagande")
    Activity.objects.create(
        commitment=commitment, type=activity_type, date=date(2025, 3, 1), title="A", occasions=9
    )

    assert progress_for(draft, today=date(2025, 6, 1))[commitment.pk].counted == 0


def test_months_add_up_to_the_counted_figure(promise, patrols, make_activity):
    make_activity(commitment=patrols, occasions=3, date=date(2022, 6, 3))
    make_activity(commitment=patrols, occasions=4, date=date(2022, 6, 30))
    make_activity(commitment=patrols, occasions=5, date=date(2023, 1, 15))

    progress = _progress(promise, patrols)
    by_month = {bar.month: bar.value for bar in progress.months}

    assert sum(by_month.values()) == progress.counted == 12
    assert by_month[date(2022, 6, 1)] == 7
    assert by_month[date(2023, 1, 1)] == 5
    assert progress.months[0].month == date(2022, 5, 1)
    assert progress.months[-1].month == date(2023, 6, 1)
    assert progress.chart_peak.month == date(2022, 6, 1)


def test_status_is_the_latest_published_follow_ups_assessment(promise, patrols, make_follow_up):
    make_follow_up(promise, {patrols: ("partly", "Sjukdom.")}, period_end=date(2022, 12, 31))
    make_follow_up(promise, {patrols: ("done", "")}, status="draft")

    progress = _progress(promise, patrols)

    assert progress.status == "partly"
    assert str(progress.status_label) == "Delvis genomfört"
    assert progress.assessment.explanation == "Sjukdom."


@pytest.mark.parametrize(
    ("occasions", "today", "status", "label"),
    [
        (None, date(2023, 6, 1), Status.NOT_STARTED, "Ej påbörjat"),
        (10, date(2023, 6, 1), Status.ONGOING, "Pågår"),
        (300, date(2023, 6, 1), Status.TARGET_REACHED, "Målet nått"),
        (10, date(2024, 6, 1), Status.ENDED, "Avslutat"),
        (None, date(2024, 6, 1), Status.ENDED, "Avslutat"),
        (301, date(2024, 6, 1), Status.TARGET_REACHED, "Målet nått"),
    ],
)
def test_status_is_derived_when_not_assessed(
    promise, patrols, make_activity, occasions, today, status, label
):
    if occasions is not None:
        make_activity(commitment=patrols, occasions=occasions)

    progress = _progress(promise, patrols, today=today)

    assert progress.status == status
    assert str(progress.status_label) == label


@pytest.mark.parametrize(
    ("last_activity_days_ago", "quiet"),
    [(None, True), (57, True), (56, False), (3, False)],
)
def test_quiet_flag_after_eight_weeks_without_activity(
    promise, commitment, make_activity, last_activity_days_ago, quiet
):
    today = date(2023, 9, 1)
    if last_activity_days_ago is not None:
        make_activity(date=today - timedelta(days=last_activity_days_ago))

    assert _progress(promise, commitment, today=today).quiet is quiet


def test_quiet_flag_only_for_a_current_promise_past_its_first_eight_weeks(promise, commitment):
    assert _progress(promise, commitment, today=date(2024, 7, 1)).quiet is False  # ended
    assert _progress(promise, commitment, today=date(2022, 6, 20)).quiet is False  # new


def test_latest_activity_is_the_latest_public_one(promise, commitment, make_activity):
    make_activity(title="Äldre", date=date(2023, 1, 1))
    newest = make_activity(title="Nyast", date=date(2023, 2, 1))
    make_activity(title="Utkast", date=date(2023, 3, 1), status=Activity.Status.DRAFT)

    progress = _progress(promise, commitment)

    assert progress.latest_activity == newest
    assert progress.latest_date == date(2023, 2, 1)


def test_query_count_does_not_grow_with_commitments_or_activities(
    promise, make_activity, activity_type, django_assert_num_queries
):
    for n in range(6):
        commitment = Commitment.objects.create(promise=promise, position=n, title=f"Åtagande {n}")
        for day in range(1, 5):
            make_activity(commitment=commitment, date=date(2023, n + 1, day))

    # Commitments, the sums per commitment and month (which give the totals
    # and the years too), latest ids, latest activities and the latest
    # published follow-up.
    with django_assert_num_queries(5):
        progress_for(promise, today=date(2023, 9, 1))


def test_single_activity_rules_agree_with_the_aggregate(promise, patrols, make_activity, walk_type):
    from activities.progress import activity_counts, activity_value

    activities = [
        make_activity(commitment=patrols, occasions=5),
        make_activity(commitment=patrols, occasions=7, type=walk_type),
    ]
    by_hand = sum(activity_value(patrols, a) for a in activities if activity_counts(patrols, a))

    assert by_hand == _progress(promise, patrols).counted == 5


@pytest.mark.parametrize("target", [0, None])
def test_a_target_below_one_or_missing_is_no_target(promise, commitment, make_activity, target):
    # The model asks for at least 1, but an old or imported row must not give
    # "Målet är nått: 104 av 0 är 0 %".
    Commitment.objects.filter(pk=commitment.pk).update(target_value=target)
    make_activity(occasions=104)

    progress = _progress(promise, Commitment.objects.get(pk=commitment.pk))

    assert progress.counted == 104
    assert not progress.has_target
    assert progress.target is None
    assert not progress.reached
    assert progress.status != Status.TARGET_REACHED
    assert progress.percent == 0
    assert progress.percent_exact == 0
    assert progress.remaining == 0


def test_a_target_of_zero_shows_no_percent_on_the_page(client, promise, commitment, make_activity):
    Commitment.objects.filter(pk=commitment.pk).update(target_value=0)
    make_activity(occasions=104)

    html = client.get(promise.get_absolute_url()).content.decode()

    assert "Målet är nått" not in html
    assert "av 0" not in html
    assert "Åtagandet har inget mål i siffror." in html


def test_the_brief_without_years_has_the_same_figures_in_one_query_less(
    promise, patrols, make_activity
):
    make_activity(date=date(2023, 2, 3), occasions=2)
    today = date(2023, 6, 1)
    full = progress_for_promises([promise], today=today, with_months=False, with_latest=False)
    with CaptureQueriesContext(connection) as with_years:
        progress_for_promises([promise], today=today, with_months=False, with_latest=False)
    with CaptureQueriesContext(connection) as without:
        brief = progress_for_promises(
            [promise], today=today, with_months=False, with_latest=False, with_years=False
        )
    assert len(without) == len(with_years) - 1
    for whole, short in zip(full[promise.pk], brief[promise.pk], strict=True):
        assert whole.years and not short.years
        assert (short.counted, short.target, short.status, short.all_activities) == (
            whole.counted,
            whole.target,
            whole.status,
            whole.all_activities,
        )
