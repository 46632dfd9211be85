"""Request guards that apply to the whole site."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.http import ConditionalGetMiddleware
from django.utils.translation import gettext as _


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


class SuccessETagMiddleware(ConditionalGetMiddleware):
    """Django's conditional GET (an ETag, and 304 when the client has it), for successful
    answers only: an error is never something a client should keep and revalidate."""

    def needs_etag(self, response: HttpResponse) -> bool:
        return 200 <= response.status_code < 300 and super().needs_etag(response)
