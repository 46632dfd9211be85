"""Moving one activity along: a planned one confirmed as done or cancelled, a draft published.

Every path (staff home, admin, shell) calls these, so the model's rules
(``Activity.clean``: work cannot be done in the future, dates inside the
period) are checked on each change and the history records who made it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Activity


def _settle(activity: Activity, user, state: str, **changes) -> Activity:
    if activity.state != Activity.State.PLANNED:
        raise ValidationError(
            _("”%(title)s” den %(date)s är redan markerad som %(state)s.")
            % {
                "title": activity.title,
                "date": date_format(activity.date),
                "state": activity.get_state_display().lower(),
            },
            code="not_planned",
        )
    activity.state = state
    for field, value in changes.items():
        setattr(activity, field, value)
    activity.updated_by = user
    activity.full_clean()
    activity._history_user = user
    activity.save()
    return activity


@transaction.atomic
def confirm_done(
    activity: Activity, *, user, occasions: int | None = None, people_reached: int | None = None
) -> Activity:
    """Mark a planned activity as carried out, with what it reached if known.

    The model refuses work dated in the future (ValidationError).
    """
    changes = {}
    if occasions is not None:
        changes["occasions"] = occasions
    if people_reached is not None:
        changes["people_reached"] = people_reached
    return _settle(activity, user, Activity.State.DONE, **changes)


@transaction.atomic
def cancel(activity: Activity, *, user) -> Activity:
    """Mark a planned activity as called off (shown struck out, never counted)."""
    return _settle(activity, user, Activity.State.CANCELLED)


@transaction.atomic
def publish(activity: Activity, *, user) -> Activity:
    """Make a draft public (once its promise is published)."""
    if activity.status == Activity.Status.PUBLISHED:
        return activity
    activity.status = Activity.Status.PUBLISHED
    activity.updated_by = user
    activity.full_clean()
    activity._history_user = user
    activity.save()
    return activity
