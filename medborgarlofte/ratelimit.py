"""Rate limits for public endpoints that cost work: the API and the subscribe form.

Counted per client address by django-ratelimit in the default cache (Redis in
production, so a limit holds across every app server). A client over its limit
gets 429 with Retry-After and a short Swedish explanation, never a 403.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage


def client_ip(group: str, request: HttpRequest) -> str:
    """The client's own address (a django-ratelimit key), from X-Forwarded-For only
    behind configured proxies, as the login lockout counts it."""
    return settings.AXES_CLIENT_IP_CALLABLE(request) or ""


def retry_after(request: HttpRequest, group: str, rate: str) -> int | None:
    """Count this request; the seconds to wait if it is over the limit, else None."""
    usage = get_usage(request, group=group, key=client_ip, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


def too_many_requests(seconds: int) -> HttpResponse:
    response = HttpResponse(
        _("För många förfrågningar från din adress. Försök igen om %(seconds)s sekunder.")
        % {"seconds": seconds},
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(group: str, setting: str, methods: tuple[str, ...] = ()) -> Callable:
    """Limit a view to the rate named by `setting` (e.g. "RATE_LIMIT_API").

    With `methods`, only requests of those methods count (a form's POST, not
    the GET that shows it).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not methods or request.method in methods:
                seconds = retry_after(request, group, getattr(settings, setting))
                if seconds is not None:
                    return too_many_requests(seconds)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
