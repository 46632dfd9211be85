"""Monthly sums of published work, kept as activities are written (``MonthlySum``).

A promise's figures (``progress.py``) need, per commitment, the work done and
its occasions or people reached, by month. Summing the activities for every
page grows with the promise: the busiest hold tens of thousands. These rows,
one per commitment, month and type, hold the same sums; a promise has a few
hundred of them whatever its size.

Every save and delete of an activity renews the rows of the month it was in
and the month it is in now (its commitment, type and date may all have
changed), in the same transaction, so the figures are never behind the
activities: the page cache, moved at commit, never stores a page with old
sums. Renewing a bucket means summing its activities again, not adding the
difference, so a missed signal cannot leave an error that lasts: the next
save in that month puts it right, and ``rebuild()`` puts everything right.
Writers that go around the ORM's signals (COPY, ``bulk_create``,
``QuerySet.update``) call ``rebuild()`` afterwards, as ``generate_national_data``
does.

The organisation sums (``OrganisationSum``) count, per commitment and
organisation, the published work done with it: the activities page offers
a promise's organisations from them. They are counted again for a whole
commitment whenever one of its activities or their organisations change.

Two writers of the same commitment's work take turns: each locks the
commitment's row (``FOR NO KEY UPDATE``, which an activity's foreign key does
not wait for) before it sums, so the second sums after the first has
committed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from promises.models import Commitment

from .models import Activity, MonthlySum, OrganisationSum

Bucket = tuple[int, date, int]  # commitment id, first day of the month, type id

# The columns of MonthlySum, in the order the grouped query selects them.
COLUMNS = [
    "commitment_id",
    "type_id",
    "month",
    "done",
    "occasions",
    "people_reached",
    "people_unknown",
    "latest_done",
    "planned",
    "cancelled",
    "examples",
    "latest_change",
]


def month_of(value) -> date:
    """The first day of the month of a date (or of an ISO date, as a form may leave it)."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return value.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _aggregates() -> dict:
    """What each bucket holds, named apart from the model's fields (in COLUMNS' order)."""
    done = Q(state=Activity.State.DONE)
    return {
        "bucket_month": TruncMonth("date"),
        "n_done": Count("pk", filter=done),
        "n_occasions": Coalesce(Sum("occasions", filter=done), Value(0)),
        "n_people": Coalesce(Sum("people_reached", filter=done), Value(0)),
        "n_people_unknown": Count("pk", filter=done & Q(people_reached__isnull=True)),
        "n_latest_done": Max("date", filter=done),
        "n_planned": Count("pk", filter=Q(state=Activity.State.PLANNED)),
        "n_cancelled": Count("pk", filter=Q(state=Activity.State.CANCELLED)),
        "n_examples": Count("pk", filter=Q(is_example=True)),
        "n_latest_change": Max("updated_at"),
    }


SELECTED = ["commitment_id", "type_id", *_aggregates()]


def grouped(activities):
    """The sums of ``activities`` per commitment, type and month, in COLUMNS' order."""
    return (
        activities.order_by()
        .values("commitment_id", "type_id")
        .annotate(**_aggregates())
        .values(*SELECTED)
    )


def _rows(activities) -> list[MonthlySum]:
    return [
        MonthlySum(**dict(zip(COLUMNS, values, strict=True)) | {"month": month_of(values[2])})
        for values in grouped(activities).values_list(*SELECTED)
    ]


def _bucket_q(buckets: Iterable[Bucket], *, on_activity: bool) -> Q:
    found = Q(pk__in=[])
    for commitment_id, month, type_id in buckets:
        if on_activity:
            found |= Q(
                commitment_id=commitment_id,
                type_id=type_id,
                date__gte=month,
                date__lt=_next_month(month),
            )
        else:
            found |= Q(commitment_id=commitment_id, type_id=type_id, month=month)
    return found


# The columns of OrganisationSum after its commitment and organisation.
ORGANISATION_COLUMNS = ["done", "occasions", "people_reached", "people_unknown", "examples"]


def _organisation_rows(activities) -> list[OrganisationSum]:
    """Per commitment and organisation, the sums of the ``activities`` done with it."""
    through = Activity.organisations.through.objects.filter(activity__in=activities.done())
    sums = {
        "n_done": Count("pk"),
        "n_occasions": Coalesce(Sum("activity__occasions"), Value(0)),
        "n_people": Coalesce(Sum("activity__people_reached"), Value(0)),
        "n_people_unknown": Count("pk", filter=Q(activity__people_reached__isnull=True)),
        "n_examples": Count("pk", filter=Q(activity__is_example=True)),
    }
    return [
        OrganisationSum(
            commitment_id=row[0],
            organisation_id=row[1],
            **dict(zip(ORGANISATION_COLUMNS, row[2:], strict=True)),
        )
        for row in through.order_by()
        .values("activity__commitment_id", "organisation_id")
        .annotate(**sums)
        .values_list("activity__commitment_id", "organisation_id", *sums)
    ]


def refresh(buckets: Iterable[Bucket] = (), commitment_ids: Iterable[int] = ()) -> None:
    """Sum the given buckets again from their published activities.

    The organisation sums are counted again for the buckets' commitments and
    for ``commitment_ids`` (whose activities' organisations changed).
    """
    buckets = sorted(set(buckets))
    commitment_ids = sorted({b[0] for b in buckets} | set(commitment_ids))
    if not commitment_ids:
        return
    with transaction.atomic():
        # Take turns with other writers of the same commitments (see above);
        # in id order, so two writers never wait for each other in a circle.
        list(
            Commitment.objects.select_for_update(no_key=True)
            .filter(pk__in=commitment_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if buckets:
            published = Activity.objects.published()
            rows = _rows(published.filter(_bucket_q(buckets, on_activity=True)))
            MonthlySum.objects.filter(_bucket_q(buckets, on_activity=False)).delete()
            MonthlySum.objects.bulk_create(rows)
        organisations = _organisation_rows(
            Activity.objects.published().filter(commitment_id__in=commitment_ids)
        )
        OrganisationSum.objects.filter(commitment_id__in=commitment_ids).delete()
        OrganisationSum.objects.bulk_create(organisations)


def rebuild(commitment_ids: Iterable[int] | None = None) -> int:
    """Make the sums again from the activities: all of them, or some commitments'.

    Returns the number of rows made. On PostgreSQL one ``INSERT … SELECT``;
    elsewhere the rows pass through Python in batches.
    """
    activities = Activity.objects.published()
    sums = MonthlySum.objects.all()
    organisation_sums = OrganisationSum.objects.all()
    if commitment_ids is not None:
        commitment_ids = list(commitment_ids)
        activities = activities.filter(commitment_id__in=commitment_ids)
        sums = sums.filter(commitment_id__in=commitment_ids)
        organisation_sums = organisation_sums.filter(commitment_id__in=commitment_ids)
    with transaction.atomic():
        sums.delete()
        organisation_sums.delete()
        OrganisationSum.objects.bulk_create(_organisation_rows(activities), batch_size=5000)
        if connection.vendor == "postgresql":
            select, params = grouped(activities).query.sql_with_params()
            table = connection.ops.quote_name(MonthlySum._meta.db_table)
            columns = ", ".join(
                connection.ops.quote_name(MonthlySum._meta.get_field(name).column)
                for name in COLUMNS
            )
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)  # noqa: S608
                return cursor.rowcount
        rows = _rows(activities)
        MonthlySum.objects.bulk_create(rows, batch_size=2000)
        return len(rows)


# Buckets gathered while renewals are deferred (``deferred()``), per thread.
_pending = threading.local()


@contextmanager
def deferred():
    """Renew each bucket once, at the end, however many activities in it are written.

    For writers of many activities in one transaction (an import, a week's
    log, a recurring series). Nested uses renew at the outermost end.
    """
    outer = getattr(_pending, "buckets", None) is None
    if outer:
        _pending.buckets = set()
        _pending.commitment_ids = set()
    try:
        yield
        if outer:
            refresh(_pending.buckets, _pending.commitment_ids)
    finally:
        if outer:
            _pending.buckets = None
            _pending.commitment_ids = None


def _renew(buckets: set[Bucket] = frozenset(), commitment_ids: Iterable[int] = ()) -> None:
    if getattr(_pending, "buckets", None) is not None:
        _pending.buckets.update(buckets)
        _pending.commitment_ids.update(commitment_ids)
    else:
        refresh(buckets, commitment_ids)


def _bucket_of(commitment_id, day, type_id) -> Bucket | None:
    if commitment_id is None or day is None or type_id is None:
        return None
    return (commitment_id, month_of(day), type_id)


@receiver(pre_save, sender=Activity, dispatch_uid="monthly_sums_before")
def _remember_bucket(sender, instance: Activity, **kwargs) -> None:
    instance._bucket_before = None
    if instance.pk is not None:
        before = (
            Activity.objects.filter(pk=instance.pk)
            .values_list("commitment_id", "date", "type_id")
            .first()
        )
        if before is not None:
            instance._bucket_before = _bucket_of(*before)


@receiver(post_save, sender=Activity, dispatch_uid="monthly_sums_saved")
def _saved(sender, instance: Activity, **kwargs) -> None:
    buckets = {
        _bucket_of(instance.commitment_id, instance.date, instance.type_id),
        getattr(instance, "_bucket_before", None),
    }
    _renew({b for b in buckets if b is not None})


# The deletion being signalled and the buckets already renewed for it.
_deleting = threading.local()


@receiver(post_delete, sender=Activity, dispatch_uid="monthly_sums_deleted")
def _deleted(sender, instance: Activity, origin=None, **kwargs) -> None:
    bucket = _bucket_of(instance.commitment_id, instance.date, instance.type_id)
    if bucket is None:
        return
    # Django deletes all the activities of one deletion (a promise's, say)
    # before it signals any of them, so a bucket renewed once for it is
    # final: a promise of 14,000 activities costs a renewal per month and
    # type, not per activity.
    if origin is None or getattr(_deleting, "origin", None) is not origin:
        _deleting.origin = origin
        _deleting.buckets = set()
    if bucket in _deleting.buckets:
        return
    _deleting.buckets.add(bucket)
    _renew({bucket})


@receiver(m2m_changed, sender=Activity.organisations.through, dispatch_uid="organisation_sums")
def _organisations_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        _renew(commitment_ids={instance.commitment_id})
        return
    # From the organisation's side (no page does this): every commitment it
    # was counted for, and those of the activities named.
    commitment_ids = set(
        OrganisationSum.objects.filter(organisation=instance).values_list(
            "commitment_id", flat=True
        )
    )
    commitment_ids.update(
        Activity.objects.filter(pk__in=pk_set or ()).values_list("commitment_id", flat=True)
    )
    _renew(commitment_ids=commitment_ids)
