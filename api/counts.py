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

The API keeps its own version rather than the public site's page versions:
it may depend on the domain apps only, not on the public site.
"""

from __future__ import annotations

import hashlib
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "api-data-version"
# The apps whose data the API shows.
DOMAIN_APPS = frozenset({"promises", "activities"})

_pending = threading.local()


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def count(queryset: QuerySet) -> int:
    """``queryset.count()``, from the cache while nothing the API shows has changed."""
    if not enabled():
        return queryset.count()
    # The SQL and its parameters apart: str(query) puts the values into the
    # text unquoted, so two different filters could read the same.
    sql, params = queryset.order_by().query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
    version = cache.get(VERSION_KEY, 0)
    key = f"api-count:{version}:{digest}"
    found = cache.get(key)
    if found is not None:
        return found
    value = queryset.count()
    cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def bump() -> None:
    """Move the version now: every stored count is counted afresh."""
    cache.add(VERSION_KEY, 0, timeout=None)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted between add and incr
        cache.set(VERSION_KEY, 1, timeout=None)


def _flush() -> None:
    if _pending.__dict__.pop("changed", False):
        bump()


def _changed(sender, raw: bool = False, **kwargs) -> None:
    if raw or sender._meta.app_label not in DOMAIN_APPS:
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
    # Every model: a relation's through table belongs to its model's app.
    for signal in (post_save, post_delete):
        signal.connect(_changed, dispatch_uid=f"api-count-{signal}")
    m2m_changed.connect(_relations_changed, dispatch_uid="api-count-m2m")
