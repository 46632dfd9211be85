from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from activities.models import Activity
from promises.indicators import indicators_for_promise
from promises.models import (
    Commitment,
    Contact,
    Indicator,
    Measurement,
    Municipality,
    Organisation,
    Promise,
)


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Municipality,
            Organisation,
            Promise,
            Commitment,
            Contact,
            Activity,
            Indicator,
            Measurement,
        )
    }


def test_load_demo_loads_harryda_and_is_idempotent(db):
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)
    first = _counts()
    call_command("load_demo", force=True, stdout=StringIO())
    assert _counts() == first

    harryda = Municipality.objects.get(slug="harryda")
    assert harryda.code == "1401"
    area = harryda.police_areas.get()
    assert area.name == "Storgöteborg syd"
    assert area.region.name == "Väst"
    assert harryda.county.name == "Västra Götalands län"
    promise = Promise.objects.published().get(municipalities=harryda)
    assert str(promise.period_start) == "2022-05-31"
    assert str(promise.period_end) == "2024-05-31"
    assert promise.focus == "ungdomar i riskzon"
    assert promise.commitments.count() == 5
    assert promise.contacts.get().name == "Linda Bergvall"
    generated = Activity.objects.filter(commitment__promise=promise, is_example=True)
    assert 140 <= generated.count() <= 150
    assert generated.values("type").distinct().count() >= 8
    assert "demo-medborgarlofte" in out.getvalue()
    # Two example indicators over several years: a survey with intervals, and a register.
    series = indicators_for_promise(promise)
    assert len(series) == 2
    assert all(s.indicator.is_example and len(s.measurements) >= 5 for s in series)
    assert series[0].has_intervals and not series[1].has_intervals


def test_partille_is_not_put_in_storgoteborg_syd(db):
    call_command("load_demo", force=True, stdout=StringIO())
    assert not Municipality.objects.filter(code="1402", police_areas__slug="storgoteborg-syd")


def test_load_demo_refuses_to_run_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="känt lösenord"):
        call_command("load_demo", stdout=StringIO())
    assert not Promise.objects.exists()


def test_demo_does_not_invent_a_signing_date_for_harryda(db):
    call_command("load_demo", force=True, stdout=StringIO())
    assert Promise.objects.get(municipalities__slug="harryda").signed_on is None
