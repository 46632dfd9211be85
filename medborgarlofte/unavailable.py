"""The answer while the database or the cache is unreachable: a 503 page with Retry-After."""

from __future__ import annotations

import logging

import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30

# A lost or refused connection: worth trying again in a while. Django
# reconnects by itself on a later request (CONN_HEALTH_CHECKS), so the site
# recovers without a restart once the service is back.
UNAVAILABLE_ERRORS = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def is_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, UNAVAILABLE_ERRORS)


def service_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """The Swedish 503 page, rendered without the request so that nothing queries."""
    logger.warning(
        "Service unavailable for %s: %s: %s", request.path, type(exception).__name__, exception
    )
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Neither a proxy nor a browser may keep the outage page.
    add_never_cache_headers(response)
    return response
