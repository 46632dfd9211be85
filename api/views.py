"""The "Öppna data" page: the licence, what the API holds and leaves out, and examples.

Like every public page it sets no cookies.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from django_ratelimit.core import _split_rate

from .filters import MAX_LIMIT
from .http import CACHE_SECONDS

# The example municipality: Härryda, whose real promise the demo shows.
EXAMPLE_MUNICIPALITY = "harryda"


def _rate(rate: str) -> str:
    """The API's rate limit in words, e.g. "300 förfrågningar per minut"."""
    # django-ratelimit's own reading of the setting, so the page cannot disagree with it.
    count, seconds = _split_rate(rate)
    requests = ngettext("%(count)s förfrågan", "%(count)s förfrågningar", count) % {"count": count}
    periods = {1: _("per sekund"), 60: _("per minut"), 3600: _("per timme"), 86400: _("per dygn")}
    period = periods.get(seconds) or ngettext("per %(n)s sekund", "per %(n)s sekunder", seconds) % {
        "n": seconds
    }
    return f"{requests} {period}"


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    def absolute(name: str) -> str:
        return request.build_absolute_uri(reverse(f"api-v1:{name}"))

    activities = absolute("activity-list")
    return render(
        request,
        "api/open_data.html",
        {
            "api_root": absolute("api-root"),
            "docs_url": absolute("openapi-view"),
            "openapi_url": absolute("openapi-json"),
            "promises_url": f"{absolute('promise-list')}?municipality={EXAMPLE_MUNICIPALITY}",
            "activities_url": f"{activities}?municipality={EXAMPLE_MUNICIPALITY}&from=2024-01-01",
            "csv_url": (
                f"{absolute('activity-csv')}?municipality={EXAMPLE_MUNICIPALITY}&from=2024-01-01"
            ),
            "rate_limit": _rate(settings.RATE_LIMIT_API),
            "max_limit": MAX_LIMIT,
            "cache_seconds": CACHE_SECONDS,
        },
    )
