"""The monthly sums: kept exact by every write, and the figures read from them."""

import random
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from activities import summaries
from activities.models import Activity, MonthlySum, OrganisationSum
from activities.progress import (
    breakdowns_for,
    progress_for,
    progress_for_commitments,
    whole_months,
)
from promises.models import ActivityType, Commitment, Promise


def _stored() -> set[tuple]:
    return {
        ("organisation", *row)
        for row in OrganisationSum.objects.values_list(
            "commitment_id", "organisation_id", *summaries.ORGANISATION_COLUMNS
        )
    } | set(MonthlySum.objects.values_list(*summaries.COLUMNS))


def _made_afresh() -> set[tuple]:
    """What the sums would be if made from the activities now (nothing is written)."""
    published = Activity.objects.published()
    return {
        (
            "organisation",
            row.commitment_id,
            row.organisation_id,
            *(getattr(row, name) for name in summaries.ORGANISATION_COLUMNS),
        )
        for row in summaries._organisation_rows(published)
    } | {
        tuple(getattr(row, name) for name in summaries.COLUMNS)
        for row in summaries._rows(published)
    }


def _figures(progress) -> tuple:
    return (
        progress.counted,
        progress.counted_activities,
        progress.all_activities,
        progress.example_activities,
        progress.uncounted_people,
        progress.latest_date,
        progress.latest_change,
        [(bar.month, bar.value) for bar in progress.months],
        [(row.year, row.counted) for row in progress.years],
    )


@pytest.fixture
def second_commitment(promise, activity_type):
    return Commitment.objects.create(
        promise=promise,
        position=2,
        title="Minst 300 fotpatrulleringar",
        target_value=300,
        target_activity_type=activity_type,
        target_measure=Commitment.Measure.PEOPLE_REACHED,
    )


def test_a_new_activity_is_in_its_month_at_once(make_activity, commitment, activity_type):
    make_activity(date=date(2023, 3, 14), occasions=3, people_reached=40)
    make_activity(date=date(2023, 3, 30), occasions=2, state=Activity.State.PLANNED)

    row = MonthlySum.objects.get()
    assert (row.commitment_id, row.month, row.type_id) == (
        commitment.pk,
        date(2023, 3, 1),
        activity_type.pk,
    )
    assert (row.done, row.occasions, row.people_reached, row.latest_done) == (
        1,
        3,
        40,
        date(2023, 3, 14),
    )


def test_drafts_are_not_summed_until_published(make_activity):
    activity = make_activity(status=Activity.Status.DRAFT, occasions=5)
    assert not MonthlySum.objects.exists()

    activity.status = Activity.Status.PUBLISHED
    activity.save()

    assert MonthlySum.objects.get().occasions == 5


def test_moving_an_activity_renews_the_month_it_left(make_activity, second_commitment):
    activity = make_activity(date=date(2023, 3, 14), occasions=3)
    activity.date = date(2023, 5, 2)
    activity.commitment = second_commitment
    activity.save()

    assert [(r.commitment_id, r.month) for r in MonthlySum.objects.all()] == [
        (second_commitment.pk, date(2023, 5, 1))
    ]


def test_deleting_many_at_once_leaves_no_sums_and_renews_each_month_once(
    commitment, make_activity, activity_type
):
    walk = ActivityType.objects.get(slug="trygghetsvandring")
    for n in range(30):
        make_activity(date=date(2023, 1 + n % 3, 1 + n % 28), type=walk if n % 2 else activity_type)
    assert MonthlySum.objects.count() == 6

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        Activity.objects.filter(commitment=commitment).delete()

    assert not MonthlySum.objects.exists()
    renewals = [
        q for q in queries if 'FROM "activities_monthlysum"' in q["sql"] and "DELETE" in q["sql"]
    ]
    # One renewal per month and type, not one per activity.
    assert len(renewals) == 6


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_sequence_of_writes_leaves_the_sums_as_if_made_afresh(
    seed, promise, commitment, second_commitment, activity_type, police_org, harryda_org
):
    rng = random.Random(seed)
    organisations = [police_org, harryda_org]
    types = [activity_type, ActivityType.objects.get(slug="trygghetsvandring")]
    commitments = [commitment, second_commitment]
    live: list[Activity] = []
    for _ in range(120):
        action = rng.random()
        if action < 0.45 or not live:
            live.append(
                Activity.objects.create(
                    commitment=rng.choice(commitments),
                    type=rng.choice(types),
                    date=date(2023, 1, 1) + timedelta(days=rng.randrange(120)),
                    title="Aktivitet",
                    occasions=rng.randrange(1, 5),
                    people_reached=rng.choice([None, rng.randrange(50)]),
                    state=rng.choice(list(Activity.State.values)),
                    status=rng.choice(list(Activity.Status.values)),
                    is_example=rng.random() < 0.2,
                )
            )
        elif action < 0.6:
            activity = rng.choice(live)
            change = rng.choice(["set", "add", "remove", "clear"])
            if change == "set":
                activity.organisations.set(rng.sample(organisations, rng.randrange(3)))
            elif change == "add":
                activity.organisations.add(rng.choice(organisations))
            elif change == "remove":
                activity.organisations.remove(rng.choice(organisations))
            else:
                activity.organisations.clear()
        elif action < 0.9:
            activity = rng.choice(live)
            field = rng.choice(["date", "type", "commitment", "state", "status", "people"])
            if field == "date":
                activity.date = date(2023, 1, 1) + timedelta(days=rng.randrange(120))
            elif field == "type":
                activity.type = rng.choice(types)
            elif field == "commitment":
                activity.commitment = rng.choice(commitments)
            elif field == "state":
                activity.state = rng.choice(list(Activity.State.values))
            elif field == "status":
                activity.status = rng.choice(list(Activity.Status.values))
            else:
                activity.people_reached = rng.choice([None, rng.randrange(50)])
            activity.save()
        else:
            live.pop(rng.randrange(len(live))).delete()
        assert _stored() == _made_afresh()

    kept = _stored()
    assert kept  # the sequence left published work to sum
    summaries.rebuild()
    assert _stored() == kept

    # The figures read from the sums are those summed from the activities.
    today = date(2023, 6, 1)
    from_sums = progress_for(promise, today=today)
    from_activities = progress_for(promise, today=today, activities=Activity.objects.public())
    for commitment_id, progress in from_sums.items():
        assert _figures(progress) == _figures(from_activities[commitment_id])
    by_year = progress_for_commitments([commitment, second_commitment], today=today)
    live_by_year = progress_for_commitments(
        [commitment, second_commitment], today=today, activities=Activity.objects.public()
    )
    for commitment_id, progress in by_year.items():
        assert _figures(progress) == _figures(live_by_year[commitment_id])
    staff = progress_for_commitments(
        [commitment, second_commitment], today=today, unpublished_promises=True
    )
    live_staff = progress_for_commitments(
        [commitment, second_commitment], today=today, activities=Activity.objects.published()
    )
    for commitment_id, progress in staff.items():
        assert _figures(progress) == _figures(live_staff[commitment_id])

    # A follow-up's period of whole months is read from the sums too, its
    # breakdown by type included; a period that cuts months from the activities.
    public = Activity.objects.public()
    for period in [
        (date(2023, 2, 1), date(2023, 3, 31)),
        (date(2023, 1, 1), date(2023, 12, 31)),
        (date(2023, 2, 10), date(2023, 3, 20)),
    ]:
        from_sums = progress_for(promise, today=today, period=period)
        from_activities = progress_for(promise, today=today, period=period, activities=public)
        for commitment_id, progress in from_sums.items():
            assert _figures(progress) == _figures(from_activities[commitment_id])
        assert breakdowns_for(promise, period) == breakdowns_for(promise, period, activities=public)


def test_a_period_of_whole_months_is_read_from_the_sums(promise, make_activity):
    make_activity(date=date(2023, 2, 14), occasions=3)
    make_activity(date=date(2023, 4, 2), occasions=5)
    year, cut = (date(2023, 1, 1), date(2023, 12, 31)), (date(2023, 2, 15), date(2023, 12, 31))
    assert whole_months(year) == (date(2023, 1, 1), date(2023, 12, 1))
    assert whole_months((date(2024, 2, 1), date(2024, 2, 29))) == (date(2024, 2, 1),) * 2
    assert whole_months(cut) is None
    assert whole_months((date(2023, 1, 1), date(2023, 12, 30))) is None

    def figures_from(period) -> tuple[list[str], list[int]]:
        """The tables the figures were summed from, and the figures."""
        with CaptureQueriesContext(connection) as queries:
            counted = [p.counted for p in progress_for(promise, period=period).values()]
            breakdown = breakdowns_for(promise, period)
        tables = [
            q["sql"].split(" FROM ", 1)[1].split()[0].strip('"')
            for q in queries.captured_queries
            if "GROUP BY" in q["sql"]
        ]
        return tables, counted + [row.activities for b in breakdown.values() for row in b.by_type]

    # The figures and the breakdown by type from the sums; by organisation
    # from the activities, as their sums are not kept by month.
    sums, activities = "activities_monthlysum", "activities_activity"
    assert figures_from(year) == ([sums, sums, activities], [8, 2])
    assert figures_from(cut) == ([activities, activities, activities], [5, 1])


def test_sums_of_a_draft_promise_are_not_public(make_promise, harryda, activity_type):
    draft = make_promise([harryda], title="Utkast", status=Promise.Status.DRAFT)
    hidden = Commitment.objects.create(promise=draft, position=1, title="Dolt")
    Activity.objects.create(
        commitment=hidden, type=activity_type, date=date(2023, 3, 1), title="Dold", occasions=9
    )

    assert MonthlySum.objects.filter(commitment=hidden).exists()
    assert not MonthlySum.objects.public().filter(commitment=hidden).exists()
    assert progress_for(draft, today=date(2023, 6, 1))[hidden.pk].counted == 0
    hidden.promise = draft
    staff = progress_for_commitments([hidden], today=date(2023, 6, 1), unpublished_promises=True)
    assert staff[hidden.pk].counted == 9


def test_deferred_renews_each_month_once_at_the_end(make_activity):
    with CaptureQueriesContext(connection) as queries, summaries.deferred():
        for day in range(1, 21):
            make_activity(date=date(2023, 3, day), occasions=1)
        assert not MonthlySum.objects.exists()  # not yet: at the end

    assert MonthlySum.objects.get().occasions == 20
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "activities_monthlysum"')]
    assert len(inserts) == 1


def test_deferred_forgets_what_a_failed_block_gathered(make_activity):
    with pytest.raises(RuntimeError), transaction.atomic(), summaries.deferred():
        make_activity(occasions=4)
        raise RuntimeError
    make_activity(date=date(2023, 4, 1), occasions=1)

    assert [(r.month, r.occasions) for r in MonthlySum.objects.all()] == [(date(2023, 4, 1), 1)]


def test_writes_around_the_signals_are_put_right_by_a_rebuild(make_activity):
    activity = make_activity(occasions=3)
    Activity.objects.filter(pk=activity.pk).update(occasions=30)
    assert MonthlySum.objects.get().occasions == 3

    assert summaries.rebuild() == 1
    assert MonthlySum.objects.get().occasions == 30


def test_rebuild_command_reports_the_rows(make_activity, capsys):
    from django.core.management import call_command

    make_activity(date=date(2023, 3, 1))
    make_activity(date=date(2023, 4, 1))
    MonthlySum.objects.all().delete()

    call_command("rebuild_monthly_sums")

    assert MonthlySum.objects.count() == 2
    assert "2" in capsys.readouterr().out


def test_the_activities_page_offers_the_organisations_of_public_work_only(
    client,
    promise,
    make_activity,
    police_org,
    harryda_org,
    molndal_org,
    django_capture_on_commit_callbacks,
):
    planned = make_activity(title="Planerad", state=Activity.State.PLANNED)
    planned.organisations.set([harryda_org])
    draft = make_activity(title="Utkast", status=Activity.Status.DRAFT)
    draft.organisations.set([molndal_org])
    done = make_activity(title="Klar")
    done.organisations.set([police_org])

    page = client.get(f"{promise.get_absolute_url()}aktiviteter/")
    offered = {name for _value, name in page.context["form"].fields["organisation"].choices}
    assert offered == {police_org.name}

    draft.status = Activity.Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):  # the page cache moves at commit
        draft.save()
    page = client.get(f"{promise.get_absolute_url()}aktiviteter/")
    offered = {name for _value, name in page.context["form"].fields["organisation"].choices}
    assert offered == {police_org.name, molndal_org.name}


def test_a_save_renews_its_month_in_a_fixed_number_of_queries(make_activity):
    for day in range(1, 21):
        make_activity(date=date(2023, 3, day))
    activity = make_activity(date=date(2023, 3, 21))

    with CaptureQueriesContext(connection) as queries:
        activity.occasions = 2
        activity.save()

    on_sums = [
        q["sql"] for q in queries if "_monthlysum" in q["sql"] or "_organisationsum" in q["sql"]
    ]
    # The month's row deleted and inserted, the organisations' rows deleted
    # (there are none to insert), straight: nothing reads the sums row by row
    # to signal their deletion (the summary tables have no listeners).
    assert [sql.split()[0] for sql in on_sums] == ["DELETE", "INSERT", "DELETE"], on_sums
