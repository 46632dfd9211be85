"""Read replicas: public reads from DATABASE_REPLICA_URL, everything else from the primary.

Only a resident's read of a public page may be answered from a replica, which
can lag the primary by a moment: GET and HEAD requests outside the staff
pages (``ReplicaMiddleware``). Writes, staff pages, previews, forms that write,
the task worker and management commands all use the primary, so staff always
see what they just saved. A view that writes on a GET (a confirmation link)
is marked ``@use_primary``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads go to the replica only while a public request allows it."""

    def db_for_read(self, model, **hints) -> str | None:
        if _replica_allowed.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica is a copy of the primary: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"


@contextmanager
def primary():
    """Read from the primary inside the block, whatever the request allowed."""
    token = _replica_allowed.set(False)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


def use_primary(view: Callable) -> Callable:
    """For a view that writes or must see the latest writes, even on a GET."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with primary():
            return view(*args, **kwargs)

    return wrapper


class ReplicaMiddleware:
    """Allow the replica for safe requests to public pages, for the length of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.staff_paths = re.compile(settings.PRIMARY_ONLY_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and not self.staff_paths.match(request.path_info)
        )
        token = _replica_allowed.set(allowed)
        try:
            return self.get_response(request)
        finally:
            _replica_allowed.reset(token)
