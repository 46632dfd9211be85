"""Fixtures for the staff home, the recurring form and the weekly letter.

Two areas with a current promise each, a fixed "now" in the middle of them,
and the staff of each. Imported by the test modules that need them.
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from activities.models import Activity
from promises.models import Commitment

NOW = datetime(2026, 6, 30, 12, 0)
TODAY = NOW.date()


@pytest.fixture
def frozen_now(monkeypatch):
    """Tuesday 30 June 2026, noon: every timezone.now() and localdate() in the code sees it."""
    aware = timezone.make_aware(NOW)
    monkeypatch.setattr(timezone, "now", lambda: aware)
    return aware


@pytest.fixture
def current(frozen_now, make_promise, harryda, molndal, activity_type):
    """A current promise for Härryda and one for Mölndal, with commitments."""
    start, end = date(2026, 1, 1), date(2027, 12, 31)
    harryda_promise = make_promise([harryda], title="Löftet i Härryda", start=start, end=end)
    molndal_promise = make_promise([molndal], title="Löftet i Mölndal", start=start, end=end)
    busy = Commitment.objects.create(
        promise=harryda_promise,
        position=1,
        title="Fotpatrullering i Mölnlycke",
        target_value=100,
        target_unit="fotpatrulleringar",
        target_period=Commitment.TargetPeriod.YEAR,
    )
    quiet = Commitment.objects.create(
        promise=harryda_promise, position=2, title="Trygghetsvandringar i Landvetter"
    )
    other = Commitment.objects.create(
        promise=molndal_promise, position=1, title="Kvarnbyns trygghet"
    )
    Activity.objects.create(
        commitment=busy,
        type=activity_type,
        date=TODAY - timedelta(days=3),
        title="Fotpatrullering i Mölnlycke centrum",
        occasions=30,
    )
    Activity.objects.create(
        commitment=quiet,
        type=activity_type,
        date=TODAY - timedelta(weeks=12),
        title="Trygghetsvandring i Landvetter",
    )
    return {
        "harryda": harryda_promise,
        "molndal": molndal_promise,
        "busy": busy,
        "quiet": quiet,
        "other": other,
    }


@pytest.fixture
def make_planned(activity_type):
    def make(commitment, day, **fields):
        fields.setdefault("title", f"Nattvandring {day.isoformat()}")
        fields.setdefault("state", Activity.State.PLANNED)
        fields.setdefault("start_time", time(21))
        fields.setdefault("end_time", time(2))
        return Activity.objects.create(
            commitment=commitment, type=activity_type, date=day, **fields
        )

    return make
