"""Every change the public pages show moves a page-cache version (caching.py), at commit."""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from activities.models import Activity
from promises import models as domain
from reports.models import FollowUpHighlight, ReportFile

from . import caching

# Changes gathered in the current transaction, turned into versions once at
# commit: an import of thousands of activities costs one query, not one per
# row, and a rolled-back preview moves nothing until the next commit.
_changed = threading.local()


def _flush() -> None:
    state = _changed.__dict__
    site = state.pop("site", False)
    promise_ids = state.pop("promise_ids", set())
    commitment_ids = state.pop("commitment_ids", set())
    follow_up_ids = state.pop("follow_up_ids", set())
    if site:
        caching.bump([caching.SITE])
        return  # every page is new; no need to look up municipalities
    if not (promise_ids or commitment_ids or follow_up_ids):
        return
    from django.db.models import Q

    slugs = (
        domain.Municipality.objects.filter(
            Q(promises__in=promise_ids)
            | Q(promises__commitments__in=commitment_ids)
            | Q(promises__follow_ups__in=follow_up_ids)
        )
        .values_list("slug", flat=True)
        .distinct()
    )
    caching.bump(caching.municipality_scope(slug) for slug in slugs)


def discard_pending() -> None:
    """Forget changes gathered in a transaction that was rolled back (tests roll back each)."""
    _changed.__dict__.clear()


def _mark(kind: str, value=None) -> None:
    if kind == "site":
        _changed.site = True
    else:
        _changed.__dict__.setdefault(kind, set()).add(value)
    # The first callback to run after the commit takes them all; the others
    # find nothing left.
    transaction.on_commit(_flush)


# Shown under one municipality: what was done and promised there.
def activity_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _mark("commitment_ids", instance.commitment_id)


def promise_part_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _mark("promise_ids", instance.promise_id)


def follow_up_part_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _mark("follow_up_ids", instance.follow_up_id)


# Shown across municipalities: the start page, the municipality pages, places.
def site_changed(sender, instance=None, raw=False, **kwargs) -> None:
    if not raw:
        _mark("site")


def relations_changed(sender, instance, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Activity):
        _mark("commitment_ids", instance.commitment_id)
    elif action in {"post_add", "post_remove", "post_clear"}:
        _mark("site")


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(activity_changed, sender=Activity, dispatch_uid=f"cache-activity-{signal}")
        for model in (
            domain.Commitment,
            domain.PriorityArea,
            domain.FollowUp,
            domain.Contact,
        ):
            signal.connect(
                promise_part_changed, sender=model, dispatch_uid=f"cache-{model}-{signal}"
            )
        for model in (domain.Assessment, FollowUpHighlight, ReportFile):
            signal.connect(
                follow_up_part_changed, sender=model, dispatch_uid=f"cache-{model}-{signal}"
            )
        for model in (
            domain.Promise,
            domain.Municipality,
            domain.District,
            domain.County,
            domain.PoliceRegion,
            domain.PoliceArea,
            domain.Organisation,
            domain.ActivityType,
            domain.Abbreviation,
            domain.Indicator,
            domain.Measurement,
        ):
            signal.connect(site_changed, sender=model, dispatch_uid=f"cache-{model}-{signal}")
    m2m_changed.connect(
        relations_changed,
        sender=Activity.organisations.through,
        dispatch_uid="cache-activity-organisations",
    )
    for through in (
        domain.Promise.police_areas.through,
        domain.Promise.signing_municipalities.through,
        domain.Promise.partners.through,
        domain.Promise.municipalities.through,
        domain.Promise.districts.through,
        domain.PoliceArea.municipalities.through,
        domain.PoliceArea.districts.through,
        domain.Indicator.municipalities.through,
        domain.Commitment.parties.through,
    ):
        m2m_changed.connect(relations_changed, sender=through, dispatch_uid=f"cache-m2m-{through}")
