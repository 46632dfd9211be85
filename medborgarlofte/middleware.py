"""Site-wide middleware: the load balancer's probes, security headers, the outage page,
static files, conditional GET, and request guards."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.http import ConditionalGetMiddleware
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.translation import gettext as _
from whitenoise.middleware import WhiteNoiseMiddleware

from . import health, unavailable


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    data = [request.GET]
    if request.method == "POST":
        # Only the form fields: uploaded files are read by their own handlers.
        data.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for query in data
        for key, values in query.lists()
    )


class RejectNulBytesMiddleware:
    """Answer 400 to a request with a NUL character in its address or form fields.

    No text on the site contains one, and PostgreSQL refuses it in a query with
    an error that would otherwise surface as a 500 from any filter or search.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return HttpResponseBadRequest(
                _("Adressen eller formuläret innehåller otillåtna tecken."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class HealthCheckMiddleware:
    """Answer the load balancer's probes, `/healthz` and `/readyz`, before anything else.

    First in MIDDLEWARE so that a probe is never redirected to HTTPS, never
    refused for a Host header outside ALLOWED_HOSTS (balancers often probe by
    address), and never touches the session, the language or the database
    beyond what `/readyz` checks on purpose.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = health.PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        return probe(request)


class SecurityHeadersMiddleware:
    """Security headers Django has no setting for: today `Permissions-Policy`.

    The other security headers come from Django's settings (see "Security
    headers" in settings.py); a Content-Security-Policy belongs beside them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class ServiceUnavailableMiddleware:
    """Answer 503 with Retry-After, not 500, while the database or the cache is unreachable.

    This catches the errors a view (or its template) raises, and logs each as
    one line, not a stack trace per request for the length of an outage. The
    same errors raised in a middleware before the view, such as a session
    lookup, are already a response when they get here: they reach
    `medborgarlofte.views.server_error`, which answers the same 503.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not unavailable.is_unavailable(exception):
            return None
        return unavailable.service_unavailable(request, exception)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with a year's cache lifetime for hashed static files.

    A hashed name changes whenever the file does, so browsers and proxies may
    keep it as long as they like. A year is the customary maximum (HTTP/1.1
    once advised against expiry further ahead); WhiteNoise's default is ten.
    """

    FOREVER = 365 * 24 * 60 * 60


class SuccessETagMiddleware(ConditionalGetMiddleware):
    """Django's conditional GET (an ETag, and 304 when the client has it), for successful
    answers only: an error is never something a client should keep and revalidate."""

    def needs_etag(self, response: HttpResponse) -> bool:
        return 200 <= response.status_code < 300 and super().needs_etag(response)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, without `Vary: Accept-Language`: here the address alone says the language.

    With i18n_patterns and no prefix for the default language, Django's own
    process_request takes the language from the address for every request:
    `/en/…` is English and every other address (the staff pages and the API
    included) Swedish, whatever the browser asks for. Its process_response
    still adds the header to every address without a prefix, which would make
    a shared cache keep one copy of a page per browser language.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
        if i18n_patterns_used and not prefixed_default_language and response.has_header("Vary"):
            kept = [
                value.strip()
                for value in response["Vary"].split(",")
                if value.strip() and value.strip().lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
