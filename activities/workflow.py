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


def _locked(activity: Activity) -> Activity:
    # The row as it is now, held until the transaction ends: a second tap on the
    # same button waits, then finds the work already settled.
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _save(activity: Activity, user, reason: str) -> Activity:
    activity.updated_by = user
    activity.full_clean()
    activity._history_user = user
    activity._change_reason = reason
    activity.save()
    return activity


def _settle(activity: Activity, user, state: str, reason: str, **changes) -> Activity:
    activity = _locked(activity)
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
    return _save(activity, user, reason)


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
    return _settle(activity, user, Activity.State.DONE, _("bekräftad som genomförd"), **changes)


@transaction.atomic
def cancel(activity: Activity, *, user) -> Activity:
    """Mark a planned activity as called off (shown struck out, never counted)."""
    return _settle(activity, user, Activity.State.CANCELLED, _("markerad som inställd"))


@transaction.atomic
def publish(activity: Activity, *, user) -> Activity:
    """Make a draft public (once its promise is published)."""
    activity = _locked(activity)
    if activity.status == Activity.Status.PUBLISHED:
        return activity
    activity.status = Activity.Status.PUBLISHED
    return _save(activity, user, _("publicerad från översikten"))
