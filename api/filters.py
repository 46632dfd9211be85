"""The lists' query parameters: typed, documented in the API document, checked in Swedish.

The types (a whole number, a date) are checked by django-ninja from these
schemas, which also describe the parameters in the OpenAPI document; what the
types cannot say (does the municipality exist, is the period the right way
round) is checked in `conditions()`. Either way a bad value is a 422 with a
message that says what was wrong, never a 500.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import reduce
from operator import or_
from typing import Literal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from activities.models import Activity
from promises.models import (
    ActivityType,
    Commitment,
    FollowUp,
    Indicator,
    Municipality,
    Promise,
)

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
# Database ids are 64-bit; larger numbers are refused before a query sees them.
MAX_ID = 2**63 - 1
MAX_OFFSET = 2**31 - 1
KOMMUNKOD = re.compile(r"\d{4}")


class InvalidFilter(Exception):
    """A parameter of the right type whose value cannot be used; answered with 422."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description=f"Antal poster per sida, högst {MAX_LIMIT}.",
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Antal poster att hoppa över.")


class MunicipalityParam(Schema):
    municipality: str | None = Field(
        None,
        max_length=100,
        description="Kommunens adressnamn (t.ex. harryda) eller kommunkod (t.ex. 1401).",
    )


class PromiseParam(Schema):
    promise: int | None = Field(
        None, ge=1, le=MAX_ID, description="Ett publicerat medborgarlöftes id."
    )


class CommitmentParam(Schema):
    commitment: int | None = Field(None, ge=1, le=MAX_ID, description="Ett åtagandes id.")


class PeriodParams(Schema):
    from_: date | None = Field(
        None,
        alias="from",
        description="Från och med datum (ÅÅÅÅ-MM-DD): det som pågår någon gång från den dagen.",
    )
    to: date | None = Field(
        None,
        description="Till och med datum (ÅÅÅÅ-MM-DD): det som pågår någon gång till och med "
        "den dagen.",
    )


class UpdatedSinceParam(Schema):
    updated_since: datetime | None = Field(
        None,
        description="Bara det som ändrats vid eller efter tidpunkten (ISO 8601, t.ex. "
        "2025-03-01T12:00:00+01:00; utan tidszon gäller svensk tid).",
    )


class NoFilters(Schema):
    pass


class DistrictFilters(MunicipalityParam):
    pass


class PromiseFilters(MunicipalityParam, PeriodParams, UpdatedSinceParam):
    pass


class CommitmentFilters(MunicipalityParam, PromiseParam, UpdatedSinceParam):
    pass


class ActivityFilters(
    MunicipalityParam, PromiseParam, CommitmentParam, PeriodParams, UpdatedSinceParam
):
    type: str | None = Field(
        None, max_length=100, description="Aktivitetstypens adressnamn, se /activity-types."
    )
    state: Literal[tuple(Activity.State.values)] | None = Field(
        None,
        description="genomförd (done), planerad (planned) eller inställd (cancelled).",
    )


class FollowUpFilters(MunicipalityParam, PromiseParam, PeriodParams, UpdatedSinceParam):
    pass


class AssessmentFilters(MunicipalityParam, PromiseParam, CommitmentParam):
    follow_up: int | None = Field(None, ge=1, le=MAX_ID, description="En uppföljnings id.")


class IndicatorFilters(MunicipalityParam, PromiseParam, UpdatedSinceParam):
    pass


class MeasurementFilters(MunicipalityParam, UpdatedSinceParam):
    indicator: int | None = Field(None, ge=1, le=MAX_ID, description="En indikators id.")


@dataclass(frozen=True)
class Lookups:
    """Where each filter looks in a list's queryset; None where the list has no such filter."""

    # Several paths: a match on any of them (an indicator is measured in a
    # municipality, or belongs to a promise that applies there).
    municipality: str | tuple[str, ...] | None = None
    promise: str | None = None
    commitment: str | None = None
    follow_up: str | None = None
    indicator: str | None = None
    # The fields a thing's period starts and ends in; the end may be empty (one day).
    period: tuple[str, str] | None = None
    updated: str | None = None


@dataclass(frozen=True)
class Conditions:
    """A list's filters, checked: what every row must meet, and a period's start apart."""

    rows: Q
    # The two halves of what is still going on on a period's start
    # (``_still_going``); None without a start.
    start: tuple[Q, Q] | None = None

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.start is None:
            return queryset.filter(self.rows)
        begins, goes_on = self.start
        return queryset.filter(self.rows & (begins | goes_on))

    def count(self, queryset: QuerySet) -> int:
        """How many rows ``apply(queryset)`` holds, a period's start counted half by half.

        The two halves of a period's start are joined by an OR, which no
        index answers as a whole, so PostgreSQL would read every row from the
        table: the 29,000 activities of the last month take 50–70 ms. Counted
        as a ``UNION ALL`` of the halves, each half is planned on its own, and
        the first (everything from that day on, most of them) comes from the
        index alone (``activity_published_by_date``). The second (work that
        started earlier and still goes on) is a few rows.
        """
        if self.start is None:
            return self.apply(queryset).count()
        rows = queryset.filter(self.rows).order_by().prefetch_related(None).values("pk")
        begins, goes_on = self.start
        return rows.filter(begins).union(rows.filter(goes_on), all=True).count()


def narrow(queryset: QuerySet, params: Schema, lookups: Lookups) -> QuerySet:
    """The queryset with the filters applied; raises InvalidFilter for a value that cannot be."""
    return conditions(queryset.model, params, lookups).apply(queryset)


def conditions(model: type, params: Schema, lookups: Lookups) -> Conditions:
    """The filters of a list of ``model``; raises InvalidFilter for a value that cannot be.

    Each filter that names something (a municipality, a promise) looks it up
    once, here: a list checks its filters once and then both reads its page
    and counts its rows with the result.
    """
    values = {name: getattr(params, name) for name in type(params).model_fields}
    filters = Q()
    start_halves = None
    if values.get("municipality") is not None:
        municipality = _municipality(values["municipality"])
        if isinstance(lookups.municipality, tuple):
            # Each path in a subquery: joins over two relations would repeat rows.
            filters &= reduce(
                or_,
                (
                    Q(pk__in=model.objects.filter(**{path: municipality}).values("pk"))
                    for path in lookups.municipality
                ),
            )
        else:
            filters &= Q(**{lookups.municipality: municipality})
    if values.get("promise") is not None:
        promise = values["promise"]
        if not Promise.objects.published().filter(pk=promise).exists():
            raise InvalidFilter(
                "promise",
                _("Det finns inget publicerat medborgarlöfte med id %(id)s.") % {"id": promise},
            )
        filters &= Q(**{lookups.promise: promise})
    if values.get("commitment") is not None:
        commitment = values["commitment"]
        if not Commitment.objects.public().filter(pk=commitment).exists():
            raise InvalidFilter(
                "commitment",
                _("Det finns inget åtagande med id %(id)s i ett publicerat medborgarlöfte.")
                % {"id": commitment},
            )
        filters &= Q(**{lookups.commitment: commitment})
    if values.get("follow_up") is not None:
        follow_up = values["follow_up"]
        if not FollowUp.objects.published().filter(pk=follow_up).exists():
            raise InvalidFilter(
                "follow_up",
                _("Det finns ingen publicerad uppföljning med id %(id)s.") % {"id": follow_up},
            )
        filters &= Q(**{lookups.follow_up: follow_up})
    if values.get("indicator") is not None:
        indicator = values["indicator"]
        if not Indicator.objects.public().filter(pk=indicator).exists():
            raise InvalidFilter(
                "indicator",
                _("Det finns ingen publicerad indikator med id %(id)s.") % {"id": indicator},
            )
        filters &= Q(**{lookups.indicator: indicator})
    start, end = values.get("from_"), values.get("to")
    if start and end and end < start:
        raise InvalidFilter("to", _("Slutdatumet (to) kan inte vara före startdatumet (from)."))
    if lookups.period and (start or end):
        first, last = lookups.period
        if start:
            start_halves = _still_going(lookups.period, start)
        if end:
            filters &= Q(**{f"{first}__lte": end})
    if values.get("updated_since") is not None:
        filters &= Q(**{f"{lookups.updated}__gte": _moment(values["updated_since"])})
    if values.get("type") is not None:
        slug = values["type"]
        if not ActivityType.objects.filter(slug=slug).exists():
            raise InvalidFilter(
                "type",
                _("Det finns ingen aktivitetstyp med adressnamnet ”%(slug)s”.") % {"slug": slug},
            )
        filters &= Q(type__slug=slug)
    if values.get("state") is not None:
        filters &= Q(state=values["state"])
    return Conditions(filters, start_halves)


def _still_going(period: tuple[str, str], start: date) -> tuple[Q, Q]:
    """What is still going on on ``start``, in two halves that share no row.

    It starts on that day or later, or it started before and ends on that day
    or later (a one-day thing ends where it starts, and an end is never
    before the start). Each half is a range that an index can answer
    (activity_multi_day_end for the second), where "the end, or else the
    start, is on or after" would read every row.
    """
    first, last = period
    return Q(**{f"{first}__gte": start}), Q(**{f"{first}__lt": start, f"{last}__gte": start})


def _municipality(value: str) -> Municipality:
    field = "code" if KOMMUNKOD.fullmatch(value) else "slug"
    try:
        return Municipality.objects.get(**{field: value})
    except Municipality.DoesNotExist:
        raise InvalidFilter(
            "municipality",
            _("Det finns ingen kommun med adressnamnet eller kommunkoden ”%(value)s”.")
            % {"value": value},
        ) from None


def _moment(value: datetime) -> datetime:
    """An aware moment in UTC; a time without a zone is Swedish time, as on the pages."""
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InvalidFilter(
            "updated_since", _("Tidpunkten ligger utanför det som går att söka på.")
        ) from None
