"""Probes for a load balancer, answered by `HealthCheckMiddleware` before anything else.

`/healthz`: the process is up and answering (no database, no cache).
`/readyz`: every configured database and cache answers; 503 naming the one
that does not, so the balancer sends no traffic to this server meanwhile.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)


def _plain(text: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _database_ok(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.warning("Readiness: database %s failed: %s", alias, error)
        return False
    return True


def _cache_ok(alias: str) -> bool:
    key = f"readyz:{secrets.token_hex(8)}"
    try:
        cache = caches[alias]
        cache.set(key, 1, timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception as error:
        logger.warning("Readiness: cache %s failed: %s", alias, error)
        return False
    return answered == 1


def healthz(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _plain("ok\n")


def readyz(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    results = [(f"database {alias}", _database_ok(alias)) for alias in settings.DATABASES]
    results += [(f"cache {alias}", _cache_ok(alias)) for alias in settings.CACHES]
    failed = [name for name, ok in results if not ok]
    if failed:
        return _plain("".join(f"{name}: unavailable\n" for name in failed), status=503)
    return _plain("ok\n")


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
}
