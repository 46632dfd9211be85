"""Progress against a commitment: the one place where the public figures are computed.

Every page that shows "212 av minst 300 fotpatrulleringar" gets the numbers from
here, so that the promise page, the commitment page and the activities page
always agree, and a reader can reproduce them from the listed activities:

- only public activities that were carried out count
  (``Activity.objects.public().done()``): planned ones are upcoming, not done;
- if the commitment names a target activity type, only activities of that
  type count, otherwise every activity under the commitment does;
- the counted figure is the sum of the activities' occasions, or of the
  people they reached, as the commitment's ``target_measure`` says.

- a target is for the whole period, per year, per month or per week; the
  period's target is the sum of the targets of its calendar years, months or
  weeks, a part of one counted in proportion to its days and rounded up;
- "vid behov" commitments have no target and no pace;
- the pace line is what should be done by today if the work were spread evenly
  over the period (or over each year, month or week).

All figures come from a fixed number of aggregate queries, whatever the number
of commitments or activities.
"""

from __future__ import annotations

import calendar
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from promises.models import Assessment, Commitment, FollowUp, Promise, Translated

from .models import Activity, MonthlySum

# "No activity in the last 8 weeks" (issue 3).
QUIET_AFTER = timedelta(weeks=8)

# Chart geometry in SVG user units; the SVG scales to the width of its box.
BAR_WIDTH = 10
BAR_GAP = 2
CHART_HEIGHT = 60


class Status:
    """Keys of the status tag; the CSS modifier is ``ml-tag--<key>``."""

    DONE = "done"
    PARTLY = "partly"
    NOT_DONE = "not_done"
    ONGOING = "ongoing"
    NOT_APPLICABLE = "not_applicable"
    TARGET_REACHED = "reached"
    NOT_STARTED = "not_started"
    ENDED = "ended"
    AS_NEEDED = "as_needed"


DERIVED_LABELS = {
    Status.TARGET_REACHED: _("Målet nått"),
    Status.ONGOING: pgettext_lazy("status", "Pågår"),
    Status.NOT_STARTED: _("Ej påbörjat"),
    Status.ENDED: _("Avslutat"),
    Status.AS_NEEDED: _("Vid behov"),
}


class Pace:
    """Where the work stands against an even spread of the target over the period."""

    AHEAD = "ahead"
    ON_PACE = "on_pace"
    BEHIND = "behind"


PACE_LABELS = {
    Pace.AHEAD: _("Före takten"),
    Pace.ON_PACE: _("I takt"),
    Pace.BEHIND: _("Efter takten"),
}


def lower_first(name: str) -> str:
    """A name inside a sentence: "Fotpatrullering" → "fotpatrullering"; "SSPF-möte" stays."""
    if name[:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def _days(start: date, end: date) -> int:
    return (end - start).days + 1


def _year_spans(start: date, end: date) -> list[tuple[date, date]]:
    spans = []
    for year in range(start.year, end.year + 1):
        spans.append((max(start, date(year, 1, 1)), min(end, date(year, 12, 31))))
    return spans


def _month_spans(start: date, end: date) -> list[tuple[date, date]]:
    spans = []
    current = start.replace(day=1)
    while current <= end:
        last = current.replace(day=calendar.monthrange(current.year, current.month)[1])
        spans.append((max(start, current), min(end, last)))
        current = last + timedelta(days=1)
    return spans


def target_for(commitment: Commitment, start: date, end: date) -> int | None:
    """The commitment's target for the days from start to end, both included.

    A whole calendar year or month gets the stated figure, and so does each
    whole week (seven days counted from ``start``); a part of one gets its
    share by days, rounded up (``minst`` stays ``minst``). A target for the
    whole period is shared out by days the same way.
    """
    value = commitment.target_value
    if value is None or value < 1 or commitment.is_as_needed or end < start:
        return None
    unit = commitment.target_period
    Period = Commitment.TargetPeriod
    if unit == Period.PERIOD:
        promise = commitment.promise
        total = _days(promise.period_start, promise.period_end)
        span = _days(max(start, promise.period_start), min(end, promise.period_end))
        return value if span >= total else math.ceil(value * span / total)
    if unit == Period.WEEK:
        weeks, rest = divmod(_days(start, end), 7)
        return value * weeks + math.ceil(value * rest / 7)
    spans = _year_spans(start, end) if unit == Period.YEAR else _month_spans(start, end)
    total = 0
    for first, last in spans:
        whole = (
            _days(date(first.year, 1, 1), date(first.year, 12, 31))
            if unit == Period.YEAR
            else calendar.monthrange(first.year, first.month)[1]
        )
        total += math.ceil(value * _days(first, last) / whole)
    return total


@dataclass
class YearRow:
    """One calendar year of a promise: that year's target and what was done."""

    year: int
    start: date
    end: date
    target: int | None
    counted: int = 0

    @property
    def reached(self) -> bool:
        return self.target is not None and self.counted >= self.target

    @property
    def is_partial(self) -> bool:
        return (self.start, self.end) != (date(self.year, 1, 1), date(self.year, 12, 31))


def counts_q() -> Q:
    """Which of a commitment's activities count towards its figure (in a query on Activity)."""
    return Q(commitment__target_activity_type__isnull=True) | Q(
        type_id=F("commitment__target_activity_type_id")
    )


def activity_counts(commitment: Commitment, activity) -> bool:
    """Whether one activity counts towards its commitment's figure (as counts_q() and done())."""
    return activity.state == Activity.State.DONE and commitment.target_activity_type_id in (
        None,
        activity.type_id,
    )


def activity_value(commitment: Commitment, activity) -> int:
    """What one activity adds to its commitment's figure (as measure_expr())."""
    if commitment.target_measure == Commitment.Measure.PEOPLE_REACHED:
        return activity.people_reached or 0
    return activity.occasions


def measure_expr():
    """The value an activity adds: its occasions, or the people it reached."""
    return Case(
        When(
            commitment__target_measure=Commitment.Measure.PEOPLE_REACHED,
            then=Coalesce("people_reached", Value(0)),
        ),
        default="occasions",
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class PeopleReached:
    """People reached, summed over activities of which some may not have counted them.

    An activity whose ``people_reached`` is empty reached an unknown number of
    people, not none: when no activity counted, the sum is unknown ("uppgift
    saknas"); when some did, it is at least the sum of those that did.
    """

    total: int
    activities: int
    unknown: int

    @property
    def known(self) -> int:
        return self.activities - self.unknown

    @property
    def is_unknown(self) -> bool:
        return self.activities > 0 and self.known == 0

    @property
    def is_partial(self) -> bool:
        return self.unknown > 0 and self.known > 0

    @property
    def number(self) -> str:
        return number_format(self.total, force_grouping=True)

    @property
    def missing_note(self) -> str:
        """ "uppgift saknas för 12 aktiviteter", for a partly counted sum; else ""."""
        if not self.is_partial:
            return ""
        return ngettext(
            "uppgift saknas för %(n)s aktivitet",
            "uppgift saknas för %(n)s aktiviteter",
            self.unknown,
        ) % {"n": number_format(self.unknown, force_grouping=True)}

    def __str__(self) -> str:
        if self.is_unknown:
            return gettext("uppgift saknas")
        if self.is_partial:
            return gettext("minst %(n)s (%(missing)s)") % {
                "n": self.number,
                "missing": self.missing_note,
            }
        return self.number


def people_totals() -> dict:
    """Aggregates for people_reached_of(): the sum, and how many activities gave a number."""
    return {
        "people": Coalesce(Sum("people_reached"), Value(0)),
        "people_known": Count("people_reached"),
    }


def people_reached_of(row: dict, activities: int) -> PeopleReached:
    """PeopleReached from a row aggregated with people_totals() over ``activities`` activities."""
    return PeopleReached(row["people"], activities, activities - row["people_known"])


@dataclass
class MonthBar:
    month: date
    value: int
    x: int = 0
    y: int = 0
    height: int = 0

    @property
    def label(self) -> str:
        return _month_label(self.month, get_language())


@lru_cache(maxsize=1024)
def _month_label(month: date, language: str | None) -> str:
    # A promise page names the same 36 or so months under each of its
    # commitments (bars and table): formatted once per month and language.
    return date_format(month, "YEAR_MONTH_FORMAT")


@dataclass
class Progress:
    """The public figures for one commitment."""

    commitment: Commitment
    promise: Promise
    today: date
    counted: int = 0
    counted_activities: int = 0
    all_activities: int = 0
    example_activities: int = 0
    # Figures that were not counted: people reached was left empty.
    uncounted_people: int = 0
    latest_date: date | None = None
    # When a public activity under the commitment last changed.
    latest_change: datetime | None = None
    latest_activity: object | None = None
    months: list[MonthBar] = field(default_factory=list)
    years: list[YearRow] = field(default_factory=list)
    # The staff's assessment in the latest published follow-up, if any.
    assessment: Assessment | None = None
    # The part of the promise's period the figures are for (a follow-up's
    # period); None for the whole period.
    period: tuple[date, date] | None = None

    @property
    def period_start(self) -> date:
        return self.period[0] if self.period else self.promise.period_start

    @property
    def period_end(self) -> date:
        return self.period[1] if self.period else self.promise.period_end

    @cached_property
    def target(self) -> int | None:
        """The target for the period (the sum of its years, months or weeks).

        Worked out once: a page asks for it several times per commitment
        (reached, remaining, the status), and a monthly target over a
        three-year period sums 36 months.
        """
        return target_for(self.commitment, self.period_start, self.period_end)

    @property
    def has_target(self) -> bool:
        return self.target is not None

    @property
    def is_as_needed(self) -> bool:
        return self.commitment.is_as_needed

    @property
    def target_per(self) -> str:
        """How the target is stated, when it is not for the whole period (”per år”)."""
        period = self.commitment.target_period
        if period in (Commitment.TargetPeriod.PERIOD, Commitment.TargetPeriod.AS_NEEDED):
            return ""
        return self.commitment.get_target_period_display()

    @property
    def shows_years(self) -> bool:
        """Each year's sum against that year's target, for targets stated per year or shorter."""
        return self.has_target and bool(self.target_per) and len(self.years) > 1

    @property
    def measure_label(self) -> str:
        return self.commitment.get_target_measure_display()

    @property
    def counts_people(self) -> bool:
        return self.commitment.target_measure == Commitment.Measure.PEOPLE_REACHED

    @property
    def activity_type(self):
        return self.commitment.target_activity_type

    @property
    def unit_pattern(self) -> str:
        """What the figure counts, with ``%(type)s`` for the counted type's name, if any.

        Never a bare "tillfällen": "104 tillfällen fotpatrullering", or of
        every activity under the commitment when it counts all types.
        """
        if self.commitment.target_unit:
            return self.commitment.tr("target_unit").replace("%", "%%")
        if self.activity_type is None:
            if self.counts_people:
                return gettext("nådda personer i alla aktiviteter under åtagandet")
            return gettext("tillfällen, alla aktiviteter under åtagandet")
        if self.counts_people:
            return gettext("nådda personer vid %(type)s")
        return gettext("tillfällen %(type)s")

    @property
    def unit(self) -> str:
        """unit_pattern as plain text: "tillfällen fotpatrullering och polisnärvaro"."""
        name = self.activity_type.tr("name") if self.activity_type else ""
        return self.unit_pattern % {"type": lower_first(name)}

    @property
    def people(self) -> PeopleReached:
        """The counted figure as people reached, with the activities that did not count."""
        return PeopleReached(self.counted, self.counted_activities, self.uncounted_people)

    @property
    def is_unknown(self) -> bool:
        """A figure of people reached that no counted activity gave: unknown, not 0."""
        return self.counts_people and self.people.is_unknown

    @property
    def is_partial(self) -> bool:
        """A figure of people reached that some counted activities left out: "minst"."""
        return self.counts_people and self.people.is_partial

    @property
    def reached(self) -> bool:
        return self.has_target and self.counted >= self.target

    @property
    def remaining(self) -> int:
        return max(self.target - self.counted, 0) if self.has_target else 0

    @property
    def percent(self) -> int:
        """Share of the target done, rounded down, capped at 100 for the bar."""
        if not self.has_target:
            return 0
        return min(self.counted * 100 // self.target, 100)

    @property
    def percent_exact(self) -> int:
        """Share of the target done, rounded down, not capped (may exceed 100)."""
        if not self.has_target:
            return 0
        return self.counted * 100 // self.target

    @property
    def expected_by_today(self) -> int | None:
        """The pace line: what should be done by today if the work were spread evenly."""
        if not self.has_target:
            return None
        if self.period is not None:
            # A part of the promise's period: once it is over, the whole
            # target should have been done.
            if self.today < self.period_start:
                return None
            last = min(self.today, self.period_end)
            return target_for(self.commitment, self.period_start, last)
        if not self.promise.is_current(self.today):
            return None
        last = min(self.today, self.promise.period_end)
        return target_for(self.commitment, self.promise.period_start, last)

    @property
    def pace(self) -> str | None:
        """Ahead of, on or behind the pace line; None without a target or once it is met."""
        expected = self.expected_by_today
        if expected is None or self.reached or self.is_unknown:
            return None
        if self.counted > expected:
            return Pace.AHEAD
        if self.counted == expected:
            return Pace.ON_PACE
        return Pace.BEHIND

    @property
    def pace_label(self) -> str:
        return str(PACE_LABELS[self.pace]) if self.pace else ""

    @property
    def behind_by(self) -> int:
        expected = self.expected_by_today
        return max(expected - self.counted, 0) if expected is not None else 0

    @property
    def status(self) -> str:
        if self.assessment is not None:
            return self.assessment.verdict
        if self.reached:
            return Status.TARGET_REACHED
        if self.promise.has_ended(self.today):
            return Status.ENDED
        if self.is_as_needed:
            return Status.AS_NEEDED
        if self.all_activities == 0:
            return Status.NOT_STARTED
        return Status.ONGOING

    @property
    def status_label(self) -> str:
        if self.assessment is not None:
            return self.assessment.get_verdict_display()
        return DERIVED_LABELS[self.status]

    @property
    def is_assessed(self) -> bool:
        """Whether the tag is the staff's own assessment rather than derived."""
        return self.assessment is not None

    @property
    def quiet(self) -> bool:
        """No public activity in the last 8 weeks of a current promise.

        Not flagged in a promise's first 8 weeks, when silence says nothing
        yet, nor for work done only when residents ask for it.
        """
        if self.is_as_needed or not self.promise.is_current(self.today):
            return False
        since = self.today - QUIET_AFTER
        if self.promise.period_start > since:
            return False
        return self.latest_date is None or self.latest_date < since

    @property
    def chart_width(self) -> int:
        return max(len(self.months), 1) * (BAR_WIDTH + BAR_GAP)

    @property
    def chart_height(self) -> int:
        return CHART_HEIGHT

    @property
    def chart_max(self) -> int:
        return max((bar.value for bar in self.months), default=0)

    @property
    def chart_peak(self) -> MonthBar | None:
        peak = None
        for bar in self.months:
            if bar.value and (peak is None or bar.value > peak.value):
                peak = bar
        return peak

    @property
    def active_months(self) -> int:
        return sum(1 for bar in self.months if bar.value)


def _month_starts(first: date, last: date) -> list[date]:
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


# Passed as progress_for(follow_up=…) by a caller that already knows there is none.
NO_FOLLOW_UP = FollowUp()


def latest_published_follow_up(promise: Promise) -> FollowUp | None:
    """The follow-up that answers "was it kept?" on the public pages."""
    return (
        FollowUp.objects.published().filter(promise=promise).order_by("-period_end", "-pk").first()
    )


def latest_published_follow_ups(promises: Iterable[Promise]) -> dict[int, FollowUp]:
    """latest_published_follow_up() for several promises, in one query; keyed by promise id."""
    latest: dict[int, FollowUp] = {}
    for follow_up in (
        FollowUp.objects.published()
        .filter(promise__in=[p.pk for p in promises])
        .order_by("promise_id", "-period_end", "-pk")
    ):
        latest.setdefault(follow_up.promise_id, follow_up)
    return latest


def progress_for(
    promise: Promise,
    commitments: Iterable[Commitment] | None = None,
    *,
    today: date | None = None,
    with_months: bool = True,
    with_latest: bool = True,
    activities=None,
    follow_up: FollowUp | None = None,
    period: tuple[date, date] | None = None,
) -> dict[int, Progress]:
    """Progress for each of the promise's commitments, keyed by commitment id.

    A fixed number of queries (the sums per commitment and month, which give
    the totals and years too, the latest activity's id, the latest activities,
    the assessments) plus one for the commitments
    when they are not given, whatever the number of activities.
    ``activities`` replaces the public activities as the base, for a staff
    preview of a promise that is not published yet; ``follow_up`` names the
    follow-up whose assessments are shown (by default the latest published).
    ``period`` (start, end), both included, limits the figures to activities
    dated inside it and the targets to its days (a follow-up's period).
    """
    sums = None
    if period is not None:
        sums = period_sums(period, activities)
        base = Activity.objects.public() if activities is None else activities
        activities = base.filter(date__range=period)
    today = today or timezone.localdate()
    if commitments is None:
        commitments = promise.commitments.select_related("target_activity_type")
    result = {
        c.pk: Progress(commitment=c, promise=promise, today=today, period=period)
        for c in commitments
    }
    if not result:
        return result
    if follow_up is None:
        follow_up = latest_published_follow_up(promise)
    _compute(
        result,
        activities,
        sums=sums,
        today=today,
        with_months=with_months,
        with_latest=with_latest,
        follow_ups=[follow_up],
    )
    return result


def progress_for_promises(
    promises: Iterable[Promise],
    *,
    today: date | None = None,
    with_months: bool = True,
    with_latest: bool = True,
    with_years: bool = True,
    follow_ups: dict[int, FollowUp] | None = None,
) -> dict[int, list[Progress]]:
    """progress_for() for every commitment of several promises, for pages that show many.

    Keyed by promise id, each promise's commitments in their order. The same
    fixed number of queries as for one promise, plus one for the commitments
    and one for the latest published follow-ups, however many promises.
    ``follow_ups`` are those follow-ups, from ``latest_published_follow_ups``,
    when the page has them already.
    """
    promises = {p.pk: p for p in promises}
    commitments = list(
        Commitment.objects.filter(promise__in=list(promises))
        .select_related("target_activity_type")
        .order_by("promise_id", "position", "pk")
    )
    for commitment in commitments:
        commitment.promise = promises[commitment.promise_id]
    result = progress_for_commitments(
        commitments,
        today=today,
        with_months=with_months,
        with_latest=with_latest,
        with_years=with_years,
        follow_ups=follow_ups,
    )
    grouped: dict[int, list[Progress]] = {pk: [] for pk in promises}
    for commitment in commitments:
        grouped[commitment.promise_id].append(result[commitment.pk])
    return grouped


def progress_for_commitments(
    commitments: Iterable[Commitment],
    *,
    activities=None,
    unpublished_promises: bool = False,
    today: date | None = None,
    with_months: bool = False,
    with_latest: bool = False,
    with_years: bool = True,
    follow_ups: dict[int, FollowUp] | None = None,
) -> dict[int, Progress]:
    """The totals and pace of any set of commitments, e.g. one page of a staff list.

    Keyed by commitment id; the commitments' promises (and target types) should
    be fetched with them (``select_related``). A fixed number of queries however
    many commitments or promises; by default no month bars and no latest
    activity; ``with_years=False`` leaves out the rows per calendar year (one
    query less, for pages that show only the totals). ``unpublished_promises``
    counts the published work of promises not published yet too, as residents
    will see it (staff pages); ``activities`` replaces the public activities
    as the base. ``follow_ups``: the latest published follow-ups of their
    promises (``latest_published_follow_ups``), when the caller has them.
    """
    today = today or timezone.localdate()
    result = {c.pk: Progress(commitment=c, promise=c.promise, today=today) for c in commitments}
    if result:
        promises = {p.promise.pk: p.promise for p in result.values()}
        if activities is None and unpublished_promises:
            sums, activities = MonthlySum.objects.all(), Activity.objects.published()
        else:
            sums = None
        _compute(
            result,
            activities,
            sums=sums,
            today=today,
            with_months=with_months,
            with_latest=with_latest,
            with_years=with_years,
            follow_ups=(
                latest_published_follow_ups(promises.values()) if follow_ups is None else follow_ups
            ).values(),
        )
    return result


def _sums_per_commitment(result, activities, sums, *, with_months: bool):
    """The figures per commitment (and month), from the monthly ``sums`` or the ``activities``.

    The monthly sums are kept as activities are written (``summaries.py``): a
    few hundred rows for the busiest promise instead of its tens of thousands
    of activities. Another base (a preview's published work, a period's) is
    summed from the activities themselves. The two give the same figures
    (tests/activities/test_summaries.py).
    """
    counts = counts_q()
    grouping = ["commitment_id", "month"] if with_months else ["commitment_id"]
    if sums is not None:
        sums = sums.filter(commitment_id__in=result.keys()).order_by()
        return sums.values(*grouping).annotate(
            counted=Coalesce(Sum(measure_expr(), filter=counts), Value(0)),
            counted_activities=Coalesce(Sum("done", filter=counts), Value(0)),
            all_activities=Coalesce(Sum("done"), Value(0)),
            example_activities=Coalesce(Sum("examples"), Value(0)),
            uncounted_people=Coalesce(Sum("people_unknown", filter=counts), Value(0)),
            latest_date=Max("latest_done"),
            latest_change=Max("latest_change"),
        )
    # With months, one query grouped by commitment and month gives both the
    # monthly bars and (summed here) the totals: one pass over the promise's
    # activities instead of two (docs/performance.md).
    base = activities.filter(commitment_id__in=result.keys()).order_by()
    if with_months:
        base = base.annotate(month=TruncMonth("date"))
    return base.values(*grouping).annotate(
        counted=Coalesce(
            Sum(measure_expr(), filter=counts & Q(state=Activity.State.DONE)), Value(0)
        ),
        counted_activities=Count("pk", filter=counts & Q(state=Activity.State.DONE)),
        all_activities=Count("pk", filter=Q(state=Activity.State.DONE)),
        example_activities=Count("pk", filter=Q(is_example=True)),
        uncounted_people=Count(
            "pk",
            filter=counts & Q(state=Activity.State.DONE, people_reached__isnull=True),
        ),
        latest_date=Max("date", filter=Q(state=Activity.State.DONE)),
        latest_change=Max("updated_at"),
    )


def _compute(
    result, activities, *, sums=None, today, with_months, with_latest, follow_ups, with_years=True
) -> None:
    """Fill in the figures of every Progress in ``result`` (keyed by commitment id).

    ``activities`` None: the public work, its figures from the monthly sums.
    Otherwise the figures come from ``sums`` when given (the monthly sums that
    match ``activities``), else from ``activities`` themselves.
    """
    if activities is None:
        sums, activities = MonthlySum.objects.public(), Activity.objects.public()
    rows = list(_sums_per_commitment(result, activities, sums, with_months=with_months))
    per_month: dict[int, dict[date, int]] = defaultdict(dict)
    for row in rows:
        progress = result[row["commitment_id"]]
        progress.counted += row["counted"]
        progress.counted_activities += row["counted_activities"]
        progress.all_activities += row["all_activities"]
        progress.example_activities += row["example_activities"]
        if progress.counts_people:
            progress.uncounted_people += row["uncounted_people"]
        progress.latest_date = max(
            (d for d in (progress.latest_date, row["latest_date"]) if d is not None),
            default=None,
        )
        progress.latest_change = max(
            d for d in (progress.latest_change, row["latest_change"]) if d is not None
        )
        if with_months and row["counted_activities"]:
            month = row["month"]
            if hasattr(month, "date"):
                month = month.date()
            per_month[row["commitment_id"]][month] = row["counted"]

    if with_months:
        _add_months(result, per_month, today)
    if with_years:
        _add_years(
            result,
            sums if sums is not None else activities.done(),
            from_months=with_months,
        )

    if with_latest:
        latest_ids = [
            row["latest_id"]
            for row in Commitment.objects.filter(pk__in=result.keys())
            .annotate(
                latest_id=Subquery(
                    activities.done()
                    .filter(commitment_id=OuterRef("pk"))
                    .order_by("-date", "-pk")
                    .values("pk")[:1]
                )
            )
            .values("latest_id")
            if row["latest_id"]
        ]
        for activity in Activity.objects.filter(pk__in=latest_ids).select_related("type"):
            result[activity.commitment_id].latest_activity = activity

    chosen = [f.pk for f in follow_ups if f is not None and f.pk is not None]
    if chosen:
        for assessment in Assessment.objects.filter(
            follow_up__in=chosen, commitment_id__in=result.keys()
        ):
            result[assessment.commitment_id].assessment = assessment


def _by_promise(result: dict[int, Progress]) -> dict[int, dict[int, Progress]]:
    groups: dict[int, dict[int, Progress]] = defaultdict(dict)
    for commitment_id, progress in result.items():
        groups[progress.promise.pk][commitment_id] = progress
    return groups


def _add_years(result, done, *, from_months: bool) -> None:
    """The figures per calendar year; ``done`` is the done work or the monthly sums."""
    per_year: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    if from_months:
        # The months reach the latest activity, so they hold every year's sum.
        for commitment_id, progress in result.items():
            for bar in progress.months:
                per_year[commitment_id][bar.month.year] += bar.value
    else:
        day = "month" if done.model is MonthlySum else "date"
        rows = (
            done.filter(commitment_id__in=result.keys())
            .filter(counts_q())
            .order_by()
            .annotate(year=ExtractYear(day))
            .values("commitment_id", "year")
            .annotate(value=Coalesce(Sum(measure_expr()), Value(0)))
        )
        for row in rows:
            per_year[row["commitment_id"]][row["year"]] = row["value"]
    for commitment_id, progress in result.items():
        values = per_year.get(commitment_id, {})
        progress.years = [
            YearRow(
                year=first.year,
                start=first,
                end=last,
                target=target_for(progress.commitment, first, last),
                counted=values.get(first.year, 0),
            )
            for first, last in _year_spans(progress.period_start, progress.period_end)
        ]


def _add_months(result, per_month: dict[int, dict[date, int]], today) -> None:
    for group in _by_promise(result).values():
        # Up to today, or to the latest activity if one is dated later, so
        # that the months always add up to the counted figure; the same months
        # for every commitment of a promise.
        any_progress = next(iter(group.values()))
        start, end = any_progress.period_start, any_progress.period_end
        latest = max((p.latest_date for p in group.values() if p.latest_date), default=None)
        last = min(end, max(today, start))
        if latest and latest > last:
            last = latest
        month_starts = _month_starts(start, last)
        for commitment_id, progress in group.items():
            values = per_month.get(commitment_id, {})
            bars = [MonthBar(month=m, value=values.get(m, 0)) for m in month_starts]
            top = max((bar.value for bar in bars), default=0)
            for n, bar in enumerate(bars):
                bar.x = n * (BAR_WIDTH + BAR_GAP)
                # A month with any activity gets at least a sliver, so it is visible.
                bar.height = max(round(bar.value * CHART_HEIGHT / top), 1) if bar.value else 0
                bar.y = CHART_HEIGHT - bar.height
            progress.months = bars


def whole_months(period: tuple[date, date]) -> tuple[date, date] | None:
    """The first days of a period's first and last months, when it is made of whole months."""
    start, end = period
    if end < start or start.day != 1 or (end + timedelta(days=1)).day != 1:
        return None
    return start, end.replace(day=1)


def period_sums(period: tuple[date, date], activities=None):
    """The public monthly sums that hold a period's figures, or None when they cannot.

    A period of whole months (a follow-up's year or quarter) is read from
    the sums of its months, as a whole promise is. Any other period counts
    by day, and another base than the public work (a staff preview's) has
    no sums: both are summed from the activities.
    """
    months = whole_months(period)
    if activities is not None or months is None:
        return None
    return MonthlySum.objects.public().filter(month__range=months)


def period_activities(promise: Promise, period: tuple[date, date], activities=None):
    """The activities whose figures a period's report counts: public, done, dated inside it.

    The same base as progress_for(period=…), so that a list of these
    activities adds up to its figures.
    """
    if activities is None:
        activities = Activity.objects.public()
    return activities.for_promise(promise).done().filter(date__range=period)


@dataclass
class BreakdownRow(Translated):
    label: str
    activities: int = 0
    counted: int = 0
    people_reached: int = 0
    # The label in English, where it has one (an activity type's name).
    label_en: str = ""


@dataclass
class Breakdown:
    """One commitment's activities in a period by type and by organisation."""

    by_type: list[BreakdownRow] = field(default_factory=list)
    by_organisation: list[BreakdownRow] = field(default_factory=list)
    people_reached: int = 0
    # How many activities said how many people they reached: with none, the
    # number is unknown, not 0.
    people_known: int = 0
    activities: int = 0

    @property
    def people_unknown(self) -> int:
        return self.activities - self.people_known

    @property
    def people(self) -> PeopleReached:
        return PeopleReached(self.people_reached, self.activities, self.people_unknown)


def breakdowns_for(
    promise: Promise, period: tuple[date, date], *, activities=None
) -> dict[int, Breakdown]:
    """Each commitment's done activities in the period by type and organisation.

    By type, the rows add up to the commitment's figures in progress_for()
    (activities and counted); an activity carried out by several
    organisations is listed under each of them.
    """
    base = period_activities(promise, period, activities).order_by()
    result: dict[int, Breakdown] = defaultdict(Breakdown)
    counted = Coalesce(Sum(measure_expr(), filter=counts_q()), Value(0))
    people = Coalesce(Sum("people_reached"), Value(0))
    sums = period_sums(period, activities)
    if sums is not None:
        # The sums are kept per type; their people and occasions are over
        # the done work only.
        by_type = (
            sums.filter(commitment__promise=promise)
            .values("commitment_id", "type__name", "type__name_en")
            .annotate(
                n=Sum("done"),
                counted=counted,
                people=people,
                known=Sum(F("done") - F("people_unknown")),
            )
            .filter(n__gt=0)
        )
    else:
        by_type = base.values("commitment_id", "type__name", "type__name_en").annotate(
            n=Count("pk"),
            counted=counted,
            people=people,
            known=Count("pk", filter=Q(people_reached__isnull=False)),
        )
    for row in by_type.order_by("commitment_id", "-n", "type__name"):
        breakdown = result[row["commitment_id"]]
        breakdown.by_type.append(
            BreakdownRow(
                row["type__name"],
                row["n"],
                row["counted"],
                row["people"],
                label_en=row["type__name_en"],
            )
        )
        breakdown.people_reached += row["people"]
        breakdown.people_known += row["known"]
        breakdown.activities += row["n"]
    for row in (
        base.filter(organisations__isnull=False)
        .values("commitment_id", "organisations__name")
        .annotate(n=Count("pk"), counted=counted, people=people)
        .order_by("commitment_id", "-n", "organisations__name")
    ):
        result[row["commitment_id"]].by_organisation.append(
            BreakdownRow(row["organisations__name"], row["n"], row["counted"], row["people"])
        )
    return dict(result)
