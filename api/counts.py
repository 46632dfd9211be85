"""The exact `count` of a list, kept in the cache until the data the API shows changes.

Counting a list means reading every row it holds: all 950,000 public
activities of the national dataset take 200–250 ms of PostgreSQL on every
request for the unfiltered list, while its page of items takes a few. A count
is therefore stored under the query that made it and the API's data version,
one number in the cache. Any save or delete of a model of the domain apps
(``promises``, ``activities``), or a change to one of their relations, moves
the version when its transaction commits, so a stored count is never served
after the data it counted has changed; it stays exact.

Like the public page cache this needs a cache every app server shares (Redis):
it is on when ``PAGE_CACHE_SECONDS`` is, and lasts as long as a stored page.
The version is read before counting, so a count made while a change commits
is stored under the old version and never read.

Where a list's filters are ones the monthly sums keep (``api/v1.py``), the
count is read from them instead of the rows (about 20 ms for the whole
country) and stored the same way.

The API keeps its own version scope (``medborgarlofte.cache_versions``, as
the public page cache does) rather than the public site's: it may depend on
the domain apps only, not on the public site.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from medborgarlofte.cache_versions import bump, version_key

SCOPE = "api-data"
# The apps whose data the API shows.
DOMAIN_APPS = ("promises", "activities")

_pending = threading.local()


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def count(queryset: QuerySet, faster: Callable[[], int | None] | None = None) -> int:
    """``queryset.count()``, from the cache while nothing the API shows has changed.

    ``faster`` gives the same number in a faster way where it can (None where
    it cannot): from summary rows, or a period counted half by half
    (``api.filters.Conditions.count``). It is stored in the cache the same way.
    """

    def counted() -> int:
        value = faster() if faster else None
        return queryset.count() if value is None else value

    if not enabled():
        return counted()
    # The SQL and its parameters apart: str(query) puts the values into the
    # text unquoted, so two different filters could read the same.
    sql, params = queryset.order_by().query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
    key = f"api-count:{digest}"
    version_of_data = version_key(SCOPE)
    # One round trip for the stored count and the version it must have been counted under.
    found = cache.get_many([key, version_of_data])
    version = found.get(version_of_data, 0)
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    value = counted()
    cache.set(key, (version, value), settings.PAGE_CACHE_SECONDS)
    return value


def _flush() -> None:
    if _pending.__dict__.pop("changed", False):
        bump([SCOPE])


def _changed(sender, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    _pending.changed = True
    # The first callback after the commit moves the version once for all the
    # transaction's changes (an import of thousands of rows moves it once);
    # the others find nothing left.
    transaction.on_commit(_flush)


def _relations_changed(sender, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        _changed(sender)


def connect() -> None:
    """Listen to the domain apps' models only, their relations' tables included."""
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if hasattr(model, "instance_type") or getattr(model, "DERIVED", False):
                # A history or summary table: its activity's own save has moved the version.
                continue
            for signal in (post_save, post_delete):
                signal.connect(_changed, sender=model, dispatch_uid=f"api-count-{signal}-{model}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _relations_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"api-count-m2m-{model}-{field.name}",
                )
