"""What every answer under /api/v1/ gets, whichever endpoint gives it.

One wrapper around each of the API's URL patterns (the endpoints, the OpenAPI
document and the docs page): the shared rate limit first, HEAD answered as
GET, then for a successful answer a short public cache lifetime and an ETag,
so that a client that asks again with If-None-Match gets 304 Not Modified.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from medborgarlofte.ratelimit import rate_limited

# Short: a change in the admin shows in the API within a minute.
CACHE_SECONDS = 60


def _conditional(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        head = request.method == "HEAD"
        if head:
            # django-ninja only dispatches the methods an endpoint declares.
            # Answered as GET; the server sends no body (as Django's View does).
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        finally:
            if head:
                request.method = "HEAD"
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        if response.streaming:
            # A download is written as it is read: no hash of it beforehand.
            return response
        set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper


def open_data_view(view: Callable) -> Callable:
    return rate_limited("api", "RATE_LIMIT_API")(_conditional(view))


def each_answer(urls: tuple[list, str, str]) -> tuple[list, str, str]:
    """django-ninja's URL patterns (``api.urls``) with every view wrapped in open_data_view."""
    patterns, app_name, namespace = urls
    wrapped = []
    for pattern in patterns:
        assert isinstance(pattern, URLPattern), pattern
        wrapped.append(
            URLPattern(
                pattern.pattern,
                open_data_view(pattern.callback),
                pattern.default_args,
                pattern.name,
            )
        )
    return wrapped, app_name, namespace
