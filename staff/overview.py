"""What a staff member has to look at: the staff home and the weekly e-mail show the same.

My current commitments with their progress and pace (``activities/progress.py``),
those without activity for eight weeks first; drafts waiting to be published;
planned work whose time has come, to confirm as done or cancelled. A fixed
number of queries, however many commitments or activities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from activities.models import Activity
from activities.progress import Progress, progress_for_commitments
from promises.models import Commitment

# Items of each list shown; the rest are counted, with a link to the admin.
LISTED = 25


@dataclass
class Overview:
    today: date
    commitments: list[Progress] = field(default_factory=list)
    drafts: list[Activity] = field(default_factory=list)
    drafts_total: int = 0
    to_confirm: list[Activity] = field(default_factory=list)
    to_confirm_total: int = 0

    @property
    def quiet(self) -> list[Progress]:
        return [p for p in self.commitments if p.quiet]

    @property
    def more_drafts(self) -> int:
        return self.drafts_total - len(self.drafts)

    @property
    def more_to_confirm(self) -> int:
        return self.to_confirm_total - len(self.to_confirm)

    @property
    def has_news(self) -> bool:
        """Whether there is anything to tell at all (the weekly e-mail is not sent otherwise)."""
        return bool(self.commitments or self.drafts_total or self.to_confirm_total)


def _sort_key(progress: Progress):
    # Quiet first; then as on the promise page: promise by promise, in order.
    return (
        not progress.quiet,
        progress.promise.period_start,
        progress.promise.pk,
        progress.commitment.position,
        progress.commitment.pk,
    )


def overview_for(user, now: datetime | None = None) -> Overview:
    now = timezone.localtime(now)
    today = now.date()
    overview = Overview(today=today)

    mine = (
        Commitment.objects.for_user(user)
        .current(today)
        .select_related("promise", "target_activity_type")
    )
    # Staff see the figures as residents will once the promise is public:
    # published activities, drafts listed apart until someone publishes them.
    progress = progress_for_commitments(mine, today=today, unpublished_promises=True)
    overview.commitments = sorted(progress.values(), key=_sort_key)

    scoped = Activity.objects.for_user(user).select_related("commitment__promise", "type")
    drafts = scoped.filter(status=Activity.Status.DRAFT).order_by("-date", "-pk")
    overview.drafts = list(drafts[:LISTED])
    overview.drafts_total = (
        len(overview.drafts) if len(overview.drafts) < LISTED else drafts.count()
    )
    waiting = scoped.awaiting_confirmation(now)
    overview.to_confirm = list(waiting[:LISTED])
    overview.to_confirm_total = (
        len(overview.to_confirm) if len(overview.to_confirm) < LISTED else waiting.count()
    )
    return overview
