"""What a follow-up's report says: built once, written out as HTML, PDF, XLSX or CSV.

Every figure comes from activities/progress.py (progress_for with the
report's period, and breakdowns_for on the same base), so a report's totals
are those of the public pages for the same period.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Prefetch
from django.utils import timezone

from activities.models import Activity
from activities.progress import (
    NO_FOLLOW_UP,
    Breakdown,
    Progress,
    activity_counts,
    activity_value,
    breakdowns_for,
    period_activities,
    progress_for,
)
from promises.indicators import indicators_for_promise
from promises.models import Assessment, Commitment, FollowUp, Promise

from .models import FollowUpHighlight

# The verdicts the summary counts, in this order.
SUMMARY_VERDICTS = [
    Assessment.Verdict.DONE,
    Assessment.Verdict.PARTLY,
    Assessment.Verdict.NOT_DONE,
    Assessment.Verdict.ONGOING,
]


@dataclass
class CommitmentSection:
    commitment: Commitment
    parties: list
    progress: Progress
    breakdown: Breakdown
    highlights: list[Activity] = field(default_factory=list)

    @property
    def assessment(self) -> Assessment | None:
        return self.progress.assessment

    @property
    def party_names(self) -> str:
        return ", ".join(p.name for p in self.parties)


@dataclass
class Report:
    promise: Promise
    follow_up: FollowUp | None
    period: tuple[date, date]
    sections: list[CommitmentSection]
    contacts: list
    created_on: date
    activities: object = None
    # Outcome indicators over the years, for context: not limited to the period.
    indicators: list = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.follow_up is not None and not self.follow_up.is_published

    @property
    def has_assessment(self) -> bool:
        return self.follow_up is not None

    @property
    def title(self) -> str:
        if self.follow_up is not None:
            return self.follow_up.title
        return f"{self.promise.title} {self.period[0].year}"

    @property
    def where(self) -> str:
        names = [m.name for m in self.promise.municipalities.all()]
        names += [d.name for d in self.promise.districts.all()]
        return ", ".join(names)

    @property
    def givers(self) -> str:
        return ", ".join(self.promise.givers)

    @property
    def summary(self) -> list[tuple[str, int]]:
        verdicts = [s.assessment.verdict for s in self.sections if s.assessment is not None]
        labels = dict(Assessment.Verdict.choices)
        return [(labels[v], verdicts.count(v)) for v in SUMMARY_VERDICTS]

    @property
    def total_activities(self) -> int:
        return sum(s.progress.all_activities for s in self.sections)

    def activity_rows(self) -> Iterator[Activity]:
        """The report's activities, oldest first, each with ``counted`` set; streamed."""
        commitments = {s.commitment.pk: s.commitment for s in self.sections}
        rows = (
            period_activities(self.promise, self.period, self.activities)
            .select_related("type")
            .prefetch_related("organisations")
            .order_by("date", "pk")
        )
        for activity in rows.iterator(chunk_size=2000):
            commitment = commitments[activity.commitment_id]
            activity.commitment = commitment
            activity.counted = (
                activity_value(commitment, activity) if activity_counts(commitment, activity) else 0
            )
            yield activity


def build_report(
    promise: Promise,
    period: tuple[date, date],
    *,
    follow_up: FollowUp | None = None,
    activities=None,
    today: date | None = None,
) -> Report:
    """The report for the period; ``follow_up`` gives the assessments, highlights and texts.

    ``activities`` replaces the public activities as the base, for a staff
    preview of a promise that is not published yet.
    """
    today = today or timezone.localdate()
    commitments = list(
        promise.commitments.select_related("target_activity_type", "priority_area")
        .prefetch_related("parties")
        .order_by(F("priority_area__position").asc(nulls_first=True), "position", "pk")
    )
    progress = progress_for(
        promise,
        commitments,
        today=today,
        with_latest=False,
        activities=activities,
        follow_up=follow_up or NO_FOLLOW_UP,
        period=period,
    )
    breakdowns = breakdowns_for(promise, period, activities=activities)
    highlights: dict[int, list[Activity]] = {}
    if follow_up is not None:
        chosen = (
            FollowUpHighlight.objects.filter(
                follow_up=follow_up,
                activity__in=period_activities(promise, period, activities),
            )
            .select_related("activity__type")
            .prefetch_related(Prefetch("activity__organisations"))
        )
        for highlight in chosen:
            highlights.setdefault(highlight.activity.commitment_id, []).append(highlight.activity)
    sections = [
        CommitmentSection(
            commitment=c,
            parties=list(c.parties.all()),
            progress=progress[c.pk],
            breakdown=breakdowns.get(c.pk, Breakdown()),
            highlights=highlights.get(c.pk, []),
        )
        for c in commitments
    ]
    return Report(
        promise=promise,
        follow_up=follow_up,
        period=period,
        sections=sections,
        contacts=list(promise.contacts.all()),
        created_on=today,
        activities=activities,
        # As for activities: a draft promise's report (a staff preview) shows
        # its published indicators.
        indicators=indicators_for_promise(promise, public=promise.is_published),
    )


def report_for_follow_up(follow_up: FollowUp, *, activities=None) -> Report:
    return build_report(
        follow_up.promise,
        (follow_up.period_start, follow_up.period_end),
        follow_up=follow_up,
        activities=activities,
    )


def year_period(promise: Promise, year: int) -> tuple[date, date] | None:
    """The calendar year inside the promise's period, or None when they do not meet."""
    start = max(date(year, 1, 1), promise.period_start)
    end = min(date(year, 12, 31), promise.period_end)
    return (start, end) if start <= end else None
