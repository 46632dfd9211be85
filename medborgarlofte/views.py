"""Site-wide error handlers."""

import sys

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from . import unavailable


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or the 503 page when the error is an unreachable database or cache.

    Django calls this inside its `except` block, so the exception is still at
    hand. It catches what `ServiceUnavailableMiddleware` cannot: errors raised
    in a middleware before the view, such as a session or user lookup.
    """
    exception = sys.exc_info()[1]
    if unavailable.is_unavailable(exception):
        return unavailable.service_unavailable(request, exception)
    return defaults.server_error(request)
