"""Recurring work and its planned occurrences: created at once, each confirmed later.

``create_series`` is the one way a recurring activity is made, whatever the
form: it checks the series (``ActivitySeries.clean``: dates inside the
promise's period, at most MAX_OCCURRENCES) and every occurrence
(``Activity.clean``), and writes all of them or none. Each occurrence is
settled later by ``workflow.confirm_done`` or ``workflow.cancel``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import groupby

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from promises.models import Commitment, Organisation

from . import summaries
from .models import Activity, ActivitySeries

# Dates written out in a summary; the rest are counted.
LISTED_DATES = 12


def may_log_on(user, commitment: Commitment) -> bool:
    """Whether the user may log new work on the commitment: their own, of a current promise."""
    return Commitment.objects.for_user(user).current().filter(pk=commitment.pk).exists()


@transaction.atomic
def create_series(
    series: ActivitySeries, *, user, organisations: Iterable[Organisation] = ()
) -> list[Activity]:
    """Save a new recurring activity and its planned occurrences, all or nothing.

    Raises ValidationError (Swedish messages, keyed by field) when the series
    or any occurrence breaks a rule, and PermissionDenied when the commitment
    is not one the user may log on; nothing is written then.
    """
    if series.commitment_id and not may_log_on(user, series.commitment):
        raise PermissionDenied
    series.created_by = user
    series.full_clean()
    series.save()
    organisations = list(organisations)
    series.organisations.set(organisations)
    status = Activity.initial_status_for(user)
    created = []
    with summaries.deferred():  # each month's sums renewed once, not per occurrence
        _create_occurrences(series, user, organisations, status, created)
    return created


def _create_occurrences(series, user, organisations, status, created) -> None:
    for day in series.dates():
        activity = Activity(
            commitment=series.commitment,
            type=series.type,
            title=series.title,
            description=series.description,
            place=series.place,
            date=day,
            start_time=series.start_time,
            end_time=series.end_time,
            state=Activity.State.PLANNED,
            status=status,
            series=series,
            created_by=user,
            updated_by=user,
        )
        try:
            activity.full_clean()
        except ValidationError as error:
            # Name the occurrence: the form shows the series' fields, not this one's.
            raise ValidationError(
                _("Tillfället %(date)s kan inte sparas: %(reason)s")
                % {"date": date_format(day), "reason": " ".join(error.messages)}
            ) from error
        activity._history_user = user
        activity.save()
        activity.organisations.set(organisations)
        created.append(activity)


def describe_dates(days: list[date], today: date | None = None) -> str:
    """”5, 12, 19 och 26 juni”: the days, each month named once after its last day.

    The year is given when a day is in another year than today's; after
    LISTED_DATES days the rest are counted.
    """
    if not days:
        return ""
    today = today or timezone.localdate()
    shown = days[:LISTED_DATES]
    with_year = any(d.year != today.year for d in shown)
    items = []
    for _month, group in groupby(shown, key=lambda d: (d.year, d.month)):
        group = list(group)
        items.extend(str(d.day) for d in group[:-1])
        items.append(date_format(group[-1], "j F Y" if with_year else "j F"))
    rest = len(days) - len(shown)
    if rest:
        items.append(ngettext("%(n)s dag till", "%(n)s dagar till", rest) % {"n": rest})
    if len(items) == 1:
        return items[0]
    return _("%(items)s och %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
