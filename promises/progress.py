"""Progress against a commitment: the one place where the public figures are computed.

Every page that shows "212 av minst 300 fotpatrulleringar" gets the numbers from
here, so that the promise page, the commitment page and the activities page
always agree, and a reader can reproduce them from the listed activities:

- only public activities count (``Activity.objects.public()``);
- if the commitment names a target activity type, only activities of that
  type count, otherwise every activity under the commitment does;
- the counted figure is the sum of the activities' occasions, or of the
  people they reached, as the commitment's ``target_measure`` says.

All figures come from a fixed number of aggregate queries, whatever the number
of commitments or activities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

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
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Commitment, Promise

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
    TARGET_REACHED = "reached"
    NOT_STARTED = "not_started"
    ENDED = "ended"


DERIVED_LABELS = {
    Status.TARGET_REACHED: _("Målet nått"),
    Status.ONGOING: pgettext_lazy("status", "Pågår"),
    Status.NOT_STARTED: _("Ej påbörjat"),
    Status.ENDED: _("Avslutat"),
}


def counts_q() -> Q:
    """Which of a commitment's activities count towards its figure (in a query on Activity)."""
    return Q(commitment__target_activity_type__isnull=True) | Q(
        type_id=F("commitment__target_activity_type_id")
    )


def activity_counts(commitment: Commitment, activity) -> bool:
    """Whether one activity counts towards its commitment's figure (as counts_q())."""
    return commitment.target_activity_type_id in (None, activity.type_id)


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


@dataclass
class MonthBar:
    month: date
    value: int
    x: int = 0
    y: int = 0
    height: int = 0

    @property
    def label(self) -> str:
        return date_format(self.month, "YEAR_MONTH_FORMAT")


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
    latest_date: date | None = None
    # When a public activity under the commitment last changed.
    latest_change: datetime | None = None
    latest_activity: object | None = None
    months: list[MonthBar] = field(default_factory=list)

    @property
    def target(self) -> int | None:
        """The target figure; a target below 1 is no target (nothing to divide by)."""
        value = self.commitment.target_value
        return value if value is not None and value > 0 else None

    @property
    def has_target(self) -> bool:
        return self.target is not None

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
    def status(self) -> str:
        outcome = self.commitment.outcome
        if outcome:
            return outcome
        if self.reached:
            return Status.TARGET_REACHED
        if self.promise.has_ended(self.today):
            return Status.ENDED
        if self.all_activities == 0:
            return Status.NOT_STARTED
        return Status.ONGOING

    @property
    def status_label(self) -> str:
        outcome = self.commitment.outcome
        if outcome:
            return self.commitment.get_outcome_display()
        return DERIVED_LABELS[self.status]

    @property
    def is_assessed(self) -> bool:
        """Whether the tag is the staff's own assessment rather than derived."""
        return bool(self.commitment.outcome)

    @property
    def quiet(self) -> bool:
        """No public activity in the last 8 weeks of a current promise.

        Not flagged in a promise's first 8 weeks, when silence says nothing yet.
        """
        if not self.promise.is_current(self.today):
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


def progress_for(
    promise: Promise,
    commitments: Iterable[Commitment] | None = None,
    *,
    today: date | None = None,
    with_months: bool = True,
    with_latest: bool = True,
    activities=None,
) -> dict[int, Progress]:
    """Progress for each of the promise's commitments, keyed by commitment id.

    Four queries at most (totals, months, the latest activity's id, the latest
    activities) plus one for the commitments when they are not given, whatever
    the number of activities. ``activities`` replaces the public activities as
    the base, for a staff preview of a promise that is not published yet.
    """
    from activities.models import Activity

    if activities is None:
        activities = Activity.objects.public()
    today = today or timezone.localdate()
    if commitments is None:
        commitments = promise.commitments.select_related("target_activity_type")
    commitments = list(commitments)
    result = {c.pk: Progress(commitment=c, promise=promise, today=today) for c in commitments}
    if not result:
        return result

    public = activities.filter(commitment_id__in=result.keys())
    counts = counts_q()
    totals = (
        public.order_by()
        .values("commitment_id")
        .annotate(
            counted=Coalesce(Sum(measure_expr(), filter=counts), Value(0)),
            counted_activities=Count("pk", filter=counts),
            all_activities=Count("pk"),
            example_activities=Count("pk", filter=Q(is_example=True)),
            latest_date=Max("date"),
            latest_change=Max("updated_at"),
        )
    )
    for row in totals:
        progress = result[row["commitment_id"]]
        progress.counted = row["counted"]
        progress.counted_activities = row["counted_activities"]
        progress.all_activities = row["all_activities"]
        progress.example_activities = row["example_activities"]
        progress.latest_date = row["latest_date"]
        progress.latest_change = row["latest_change"]

    if with_months:
        _add_months(promise, result, public, counts, today)

    if with_latest:
        latest_ids = [
            row["latest_id"]
            for row in Commitment.objects.filter(pk__in=result.keys())
            .annotate(
                latest_id=Subquery(
                    activities.filter(commitment_id=OuterRef("pk"))
                    .order_by("-date", "-pk")
                    .values("pk")[:1]
                )
            )
            .values("latest_id")
            if row["latest_id"]
        ]
        for activity in Activity.objects.filter(pk__in=latest_ids).select_related("type"):
            result[activity.commitment_id].latest_activity = activity
    return result


def _add_months(promise, result, public, counts, today) -> None:
    # Up to today, or to the latest activity if one is dated later, so that
    # the months always add up to the counted figure.
    latest = max((p.latest_date for p in result.values() if p.latest_date), default=None)
    last = min(promise.period_end, max(today, promise.period_start))
    if latest and latest > last:
        last = latest
    month_starts = _month_starts(promise.period_start, last)
    per_month: dict[int, dict[date, int]] = defaultdict(dict)
    rows = (
        public.filter(counts)
        .order_by()
        .annotate(month=TruncMonth("date"))
        .values("commitment_id", "month")
        .annotate(value=Coalesce(Sum(measure_expr()), Value(0)))
    )
    for row in rows:
        month = row["month"]
        if hasattr(month, "date"):
            month = month.date()
        per_month[row["commitment_id"]][month] = row["value"]
    for commitment_id, progress in result.items():
        values = per_month.get(commitment_id, {})
        bars = [MonthBar(month=m, value=values.get(m, 0)) for m in month_starts]
        top = max((bar.value for bar in bars), default=0)
        for n, bar in enumerate(bars):
            bar.x = n * (BAR_WIDTH + BAR_GAP)
            # A month with any activity gets at least a sliver, so it is visible.
            bar.height = max(round(bar.value * CHART_HEIGHT / top), 1) if bar.value else 0
            bar.y = CHART_HEIGHT - bar.height
        progress.months = bars
