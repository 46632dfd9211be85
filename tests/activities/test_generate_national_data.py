"""generate_national_data: bulk-written benchmark data that keeps every domain rule.

The command writes in bulk, past clean() and the signals, so these tests run
the model validation on what it wrote: a sample of every kind of object
through full_clean(), and the rules that span objects (one published promise
at a time per municipality or district, activities inside their promise's
period, nothing done in the future) on all of it.
"""

import io
import random
from collections import defaultdict
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, Q
from django.utils import timezone

from activities.management.commands.generate_national_data import (
    MARK,
    generated_promises,
)
from activities.models import Activity
from promises.models import (
    Assessment,
    Commitment,
    Contact,
    District,
    FollowUp,
    Municipality,
    Organisation,
    PoliceArea,
    PriorityArea,
    Promise,
    check_coverage,
)

ACTIVITIES = 2000


def _generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_national_data", activities=ACTIVITIES, force=True, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def national(db):
    _generate()


def _sample(queryset, n=60):
    rows = list(queryset.order_by("pk"))
    return random.Random(1).sample(rows, min(n, len(rows)))


def test_it_refuses_without_debug_unless_forced(db):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_national_data", activities=10, stdout=io.StringIO())
    assert not Promise.objects.exists()


def test_it_makes_a_national_shape(national):
    promises = generated_promises()
    assert Municipality.objects.count() == 290
    assert Activity.objects.count() == ACTIVITIES
    assert not Activity.objects.filter(is_example=False).exists()
    assert not promises.filter(is_example=False).exists()
    # Every municipality has promises: two finished and one current, at least.
    today = timezone.localdate()
    covered = Municipality.objects.filter(promises__in=promises).distinct()
    assert covered.count() == 290
    for municipality in _sample(Municipality.objects.exclude(code__in=["0180", "1480", "1280"])):
        own = promises.filter(municipalities=municipality, districts=None)
        assert own.filter(period_end__lt=today).count() >= 2, municipality
        assert own.filter(period_start__lte=today, period_end__gte=today).exists(), municipality
    # The big cities promise per district, several in force at once.
    for code in ("0180", "1480", "1280"):
        districts = District.objects.filter(municipality__code=code, name__endswith=MARK)
        assert districts.count() >= 3
        current = promises.published().current(today).filter(districts__in=districts)
        assert current.count() >= 3
    # Most activities done and published; some planned, cancelled, drafts.
    states = {s: Activity.objects.filter(state=s).count() for s in Activity.State.values}
    assert states["done"] > 0.85 * ACTIVITIES
    assert states["planned"] > 0 and states["cancelled"] > 0
    drafts = Activity.objects.filter(status=Activity.Status.DRAFT).count()
    assert 0 < drafts < 0.15 * ACTIVITIES
    assert promises.filter(status=Promise.Status.DRAFT).exists()
    # Commitments with targets of every kind, follow-ups with assessments.
    periods = set(Commitment.objects.values_list("target_period", flat=True))
    assert periods == set(Commitment.TargetPeriod.values)
    assert FollowUp.objects.published().exists()
    assert Assessment.objects.exclude(verdict="done").exists()


def test_a_sample_of_everything_passes_full_clean(national):
    for model in (
        PoliceArea,
        District,
        Organisation,
        Promise,
        Commitment,
        PriorityArea,
        Contact,
        FollowUp,
        Assessment,
        Activity,
    ):
        for obj in _sample(model.objects.all()):
            obj.full_clean()  # raises ValidationError on any broken rule


def test_no_two_published_promises_overlap_for_the_same_place(national):
    promises = list(
        Promise.objects.published().prefetch_related("municipalities", "districts__municipality")
    )
    # The rule itself, for every published promise.
    for promise in promises:
        check_coverage(promise)
    # And counted independently: the periods of each whole municipality and
    # each district, sorted, never overlap.
    periods = defaultdict(list)
    for promise in promises:
        narrowed = {d.municipality_id for d in promise.districts.all()}
        for municipality in promise.municipalities.all():
            if municipality.pk not in narrowed:
                periods[("m", municipality.pk)].append(promise)
        for district in promise.districts.all():
            periods[("d", district.pk)].append(promise)
    assert len(periods) > 290
    for place, chain in periods.items():
        chain.sort(key=lambda p: p.period_start)
        for earlier, later in zip(chain, chain[1:], strict=False):
            assert earlier.period_end < later.period_start, place


def test_activities_keep_to_their_period_and_nothing_is_done_in_the_future(national):
    today = timezone.localdate()
    outside = Activity.objects.filter(
        Q(date__lt=F("commitment__promise__period_start"))
        | Q(date__gt=F("commitment__promise__period_end"))
        | Q(end_date__gt=F("commitment__promise__period_end"))
        | Q(end_date__lt=F("date"))
    )
    assert not outside.exists()
    assert not Activity.objects.done().filter(date__gt=today).exists()
    assert Activity.objects.upcoming(today).exists()  # planned work ahead
    follow_ups = FollowUp.objects.filter(
        Q(period_start__lt=F("promise__period_start")) | Q(period_end__gt=F("promise__period_end"))
    )
    assert not follow_ups.exists()
    assert not FollowUp.objects.published().filter(period_end__gte=today).exists()


def test_a_second_run_refuses_and_replace_redoes_only_its_own(db, make_promise, harryda):
    # A promise that someone else made, for the whole of Härryda.
    mine = make_promise(
        [harryda], title="Härrydas eget", start=date(2020, 1, 1), end=date(2030, 1, 1)
    )
    _generate()

    def fingerprint():
        return sorted(Activity.objects.values_list("title", "date", "state", "status", "occasions"))

    first = fingerprint()
    # Ours never overlap it: Härryda gets no generated promise of its own.
    assert not generated_promises().filter(municipalities=harryda, districts=None).exists()
    with pytest.raises(CommandError, match="--replace"):
        _generate()
    assert fingerprint() == first

    _generate(replace=True)

    assert fingerprint() == first  # the same seed gives the same data
    assert Promise.objects.filter(pk=mine.pk).exists()
    assert PoliceArea.objects.filter(slug="storgoteborg-syd").exists()  # the fixture's
    assert Activity.objects.count() == ACTIVITIES
