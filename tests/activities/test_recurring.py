"""Recurring activities: the planned occurrences, created at once, all or nothing."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities import workflow
from activities.models import MAX_OCCURRENCES, Activity, ActivitySeries
from activities.recurring import create_series, describe_dates
from promises.models import ActivityType

# Härryda's promise in the fixtures runs 31 May 2022 – 31 May 2024; "today" is inside it.
TODAY = date(2023, 6, 15)
FRIDAY = str(date(2023, 6, 2).weekday())


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    monkeypatch.setattr(
        timezone,
        "now",
        lambda: timezone.make_aware(datetime.combine(TODAY, time(12))),
    )
    return TODAY


@pytest.fixture
def officer(make_staff, police_org, harryda):
    return make_staff("kommunpolis.test", police_org, "Kommunpolis")


def _series(commitment, activity_type, **fields) -> ActivitySeries:
    fields.setdefault("title", "Nattvandring i Mölnlycke centrum")
    fields.setdefault("place", "Mölnlycke centrum")
    fields.setdefault("weekdays", FRIDAY)
    fields.setdefault("start_time", time(21))
    fields.setdefault("end_time", time(2))
    fields.setdefault("first_date", date(2023, 6, 1))
    fields.setdefault("last_date", date(2023, 6, 30))
    return ActivitySeries(commitment=commitment, type=activity_type, **fields)


def test_every_friday_in_june_creates_four_planned_occurrences(
    today, commitment, activity_type, officer, police_org
):
    created = create_series(
        _series(commitment, activity_type), user=officer, organisations=[police_org]
    )

    assert [a.date for a in created] == [
        date(2023, 6, 2),
        date(2023, 6, 9),
        date(2023, 6, 16),
        date(2023, 6, 23),
        date(2023, 6, 30),
    ]
    stored = Activity.objects.filter(series__isnull=False).order_by("date")
    assert stored.count() == 5
    assert {a.state for a in stored} == {Activity.State.PLANNED}
    assert {a.date.weekday() for a in stored} == {4}
    assert all(list(a.organisations.all()) == [police_org] for a in stored)
    assert {a.created_by for a in stored} == {officer}


def test_work_past_midnight_is_dated_the_day_it_starts(today, commitment, activity_type, officer):
    created = create_series(
        _series(
            commitment,
            activity_type,
            first_date=date(2023, 6, 9),
            last_date=date(2023, 6, 10),
        ),
        user=officer,
    )

    # Friday 21:00 to Saturday 02:00 is one occurrence, on the Friday, with no end date.
    assert len(created) == 1
    occurrence = Activity.objects.get()
    assert occurrence.date == date(2023, 6, 9)
    assert occurrence.end_date is None
    assert (occurrence.start_time, occurrence.end_time) == (time(21), time(2))
    assert occurrence.ends_next_day
    assert "över midnatt" in occurrence.time_label


def test_the_last_day_of_the_period_may_run_past_midnight(
    today, commitment, activity_type, officer
):
    last = commitment.promise.period_end  # 31 May 2024, a Friday
    created = create_series(
        _series(commitment, activity_type, first_date=date(2024, 5, 20), last_date=last),
        user=officer,
    )
    assert [a.date for a in created] == [date(2024, 5, 24), date(2024, 5, 31)]


def test_several_weekdays(today, commitment, activity_type, officer):
    created = create_series(
        _series(
            commitment,
            activity_type,
            weekdays="45",
            first_date=date(2023, 6, 1),
            last_date=date(2023, 6, 11),
        ),
        user=officer,
    )
    assert [a.date for a in created] == [
        date(2023, 6, 2),
        date(2023, 6, 3),
        date(2023, 6, 9),
        date(2023, 6, 10),
    ]


def test_dates_outside_the_promise_period_are_refused_with_nothing_written(
    today, commitment, activity_type, officer
):
    with pytest.raises(ValidationError) as error:
        create_series(
            _series(
                commitment, activity_type, first_date=date(2024, 5, 1), last_date=date(2024, 6, 30)
            ),
            user=officer,
        )

    assert "last_date" in error.value.message_dict
    assert "utanför medborgarlöftets period" in error.value.message_dict["last_date"][0]
    assert not ActivitySeries.objects.exists()
    assert not Activity.objects.exists()


def test_a_retired_type_is_refused_with_nothing_written(today, commitment, activity_type, officer):
    ActivityType.objects.filter(pk=activity_type.pk).update(is_active=False)
    activity_type.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        create_series(_series(commitment, activity_type), user=officer)

    assert "type" in error.value.message_dict

    assert not ActivitySeries.objects.exists()
    assert not Activity.objects.exists()


def test_a_failure_halfway_rolls_back_the_occurrences_already_saved(
    today, commitment, activity_type, officer, monkeypatch
):
    saved = []
    original = Activity.save

    def save_then_fail(self, *args, **kwargs):
        if len(saved) == 2:
            raise ValidationError("Databasen svarade inte.")
        original(self, *args, **kwargs)
        saved.append(self.pk)

    monkeypatch.setattr(Activity, "save", save_then_fail)

    with pytest.raises(ValidationError):
        create_series(_series(commitment, activity_type), user=officer)

    assert len(saved) == 2
    assert not Activity.objects.exists()
    assert not ActivitySeries.objects.exists()


def test_more_than_the_cap_is_refused(today, commitment, activity_type, officer):
    every_day = "0123456"
    with pytest.raises(ValidationError) as error:
        create_series(
            _series(
                commitment,
                activity_type,
                weekdays=every_day,
                first_date=date(2022, 6, 1),
                last_date=date(2023, 5, 31),
            ),
            user=officer,
        )
    assert f"fler än {MAX_OCCURRENCES} tillfällen" in " ".join(error.value.messages)
    assert not Activity.objects.exists()


def test_exactly_the_cap_is_allowed(today, commitment, activity_type, officer):
    start = date(2022, 6, 1)
    created = create_series(
        _series(
            commitment,
            activity_type,
            weekdays="0123456",
            first_date=start,
            last_date=date.fromordinal(start.toordinal() + MAX_OCCURRENCES - 1),
            start_time=None,
            end_time=None,
        ),
        user=officer,
    )
    assert len(created) == MAX_OCCURRENCES


def test_no_matching_weekday_is_refused(today, commitment, activity_type, officer):
    with pytest.raises(ValidationError) as error:
        create_series(
            _series(
                commitment, activity_type, first_date=date(2023, 6, 5), last_date=date(2023, 6, 8)
            ),
            user=officer,
        )
    assert "weekdays" in error.value.message_dict


def test_an_end_time_without_a_start_time_is_refused(today, commitment, activity_type, officer):
    with pytest.raises(ValidationError) as error:
        create_series(_series(commitment, activity_type, start_time=None), user=officer)
    assert "start_time" in error.value.message_dict


def test_another_areas_commitment_is_refused(
    today, activity_type, make_staff, molndal_org, commitment
):
    stranger = make_staff("samordnare.molndal", molndal_org, "Kommunens samordnare")
    with pytest.raises(PermissionDenied):
        create_series(_series(commitment, activity_type), user=stranger)
    assert not Activity.objects.exists()


def test_an_ended_promise_is_refused(commitment, activity_type, officer):
    # Without the patched today: the fixtures' promise ended in 2024.
    with pytest.raises(PermissionDenied):
        create_series(_series(commitment, activity_type), user=officer)


def test_occurrences_are_drafts_unless_the_user_may_publish_at_once(
    today, commitment, activity_type, officer, make_staff, harryda_org
):
    create_series(_series(commitment, activity_type, last_date=date(2023, 6, 2)), user=officer)
    coordinator = make_staff("samordnare.harryda", harryda_org, "Kommunens samordnare")
    create_series(
        _series(commitment, activity_type, first_date=date(2023, 6, 9), last_date=date(2023, 6, 9)),
        user=coordinator,
    )
    statuses = dict(Activity.objects.values_list("date", "status"))
    assert statuses == {
        date(2023, 6, 2): Activity.Status.DRAFT,
        date(2023, 6, 9): Activity.Status.PUBLISHED,
    }


def test_a_past_occurrence_is_confirmed_done_with_what_it_reached(
    today, commitment, activity_type, officer
):
    first, *_ = create_series(_series(commitment, activity_type), user=officer)

    workflow.confirm_done(first, user=officer, occasions=2, people_reached=40)

    first.refresh_from_db()
    assert first.state == Activity.State.DONE
    assert (first.occasions, first.people_reached) == (2, 40)
    assert first.updated_by == officer


def test_a_future_occurrence_cannot_be_confirmed_done(today, commitment, activity_type, officer):
    *_, last = create_series(_series(commitment, activity_type), user=officer)
    assert last.date > today

    with pytest.raises(ValidationError) as error:
        workflow.confirm_done(last, user=officer)

    assert "har inte varit än" in " ".join(error.value.messages)
    last.refresh_from_db()
    assert last.state == Activity.State.PLANNED


def test_an_occurrence_can_be_cancelled_once(today, commitment, activity_type, officer):
    first, *_ = create_series(_series(commitment, activity_type), user=officer)
    workflow.cancel(first, user=officer)
    first.refresh_from_db()
    assert first.state == Activity.State.CANCELLED
    with pytest.raises(ValidationError):
        workflow.confirm_done(first, user=officer)


def test_a_second_tap_on_a_stale_copy_settles_nothing_twice(
    today, commitment, activity_type, officer
):
    first, *_ = create_series(_series(commitment, activity_type), user=officer)
    # Two requests that loaded the same planned occurrence.
    tap_one = Activity.objects.get(pk=first.pk)
    tap_two = Activity.objects.get(pk=first.pk)
    records = first.history.count()

    workflow.confirm_done(tap_one, user=officer)
    with pytest.raises(ValidationError):
        workflow.cancel(tap_two, user=officer)

    first.refresh_from_db()
    assert first.state == Activity.State.DONE
    assert first.history.count() == records + 1
    assert first.history.first().history_change_reason == "bekräftad som genomförd"


def test_awaiting_confirmation_is_what_has_started(commitment, activity_type, make_activity):
    now = timezone.make_aware(datetime(2023, 6, 9, 18, 0))
    planned = {"state": Activity.State.PLANNED}
    yesterday = make_activity(date=date(2023, 6, 8), **planned)
    this_morning = make_activity(date=date(2023, 6, 9), start_time=time(9), **planned)
    tonight = make_activity(date=date(2023, 6, 9), start_time=time(21), **planned)
    today_no_time = make_activity(date=date(2023, 6, 9), **planned)
    tomorrow = make_activity(date=date(2023, 6, 10), **planned)
    make_activity(date=date(2023, 6, 1))  # done already

    found = list(Activity.objects.awaiting_confirmation(now))

    assert found == [yesterday, today_no_time, this_morning]
    assert tonight not in found and tomorrow not in found


def test_describe_dates_names_each_month_once():
    june = [date(2026, 6, d) for d in (5, 12, 19, 26)]
    assert describe_dates(june, date(2026, 5, 1)) == "5, 12, 19 och 26 juni"
    assert (
        describe_dates([date(2026, 6, 26), date(2026, 7, 3), date(2026, 7, 10)], date(2026, 1, 1))
        == "26 juni, 3 och 10 juli"
    )
    assert describe_dates([date(2027, 1, 1)], date(2026, 12, 1)) == "1 januari 2027"
