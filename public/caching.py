"""Rendered public pages in the cache, invalidated by every save or delete that changes them.

A page is stored under its address (path, query, the htmx headers it varies
on), together with the two version numbers it was rendered under: the
site's, and its municipality's. It is served only while both are still
current; the versions and the page are read in one round trip to the cache
(see docs/performance.md, "Speed against the ceiling"). A change to
the work shown under one municipality (an activity, a commitment, a
follow-up) moves that municipality's version; a change to anything shown
across municipalities (a promise, a place, an organisation, an indicator)
moves the site's. An outdated entry is rendered afresh and overwritten on the
next request, or expires by itself.

Versions move when the change is committed, so that no request can store a
page of data that was rolled back, or of the data before the change under the
new version.

The versions live in the cache, so the page cache is only right where every
app server shares it: it is on when REDIS_URL is set, or when PAGE_CACHE says
so (one process, e.g. `make run`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from medborgarlofte.cache_versions import bump, version_key, versions  # noqa: F401 - used by signals and tags

SITE = "site"
# The request headers a public page's content depends on, besides its address.
VARY_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request")
# Response headers worth keeping with a stored page. The ETag is made when the
# page is stored, so that serving it does not hash its content again.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "HX-Push-Url", "ETag")


def municipality_scope(slug: str) -> str:
    return f"municipality:{slug}"


def _page_key(request: HttpRequest) -> str:
    parts = [
        request.method,
        request.get_full_path(),
        *(request.headers.get(name, "") for name in VARY_HEADERS),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def public_page(view: Callable | None = None, *, reads_query: bool = True) -> Callable:
    """Serve a public page from the cache, and mark it cacheable for browsers and proxies.

    Only successful GET and HEAD answers are stored; previews and staff pages
    never use this. The ETag and 304 come from ConditionalGetMiddleware.

    ``reads_query=False`` for a page that takes no query parameters: the view
    gets the request without its query string, so that links with tracking
    parameters (``?fbclid=…``, ``?utm_source=…``, different for every reader
    who follows a news link) share one stored page instead of each rendering it.
    """
    if view is None:
        return lambda view: public_page(view, reads_query=reads_query)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not reads_query and request.META.get("QUERY_STRING"):
            request.META["QUERY_STRING"] = ""
            request.GET = QueryDict()
        if request.method not in ("GET", "HEAD") or not enabled():
            return _headers(view(request, *args, **kwargs))
        scopes = [SITE]
        if "municipality" in kwargs:
            scopes.append(municipality_scope(kwargs["municipality"]))
        key = _page_key(request)
        version_keys = [version_key(scope) for scope in scopes]
        # One round trip for the page and the versions it must have been rendered under.
        found = cache.get_many([key, *version_keys])
        current = [found.get(version_key, 0) for version_key in version_keys]
        stored = found.get(key)
        if stored is not None and stored[0] == current:
            _versions, status, content, headers = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return _headers(response)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            set_response_etag(response)  # as ConditionalGetMiddleware would
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            # The versions read before rendering: a change committed meanwhile
            # has moved them, so this page is not served after it.
            cache.set(
                key,
                (current, response.status_code, response.content, headers),
                settings.PAGE_CACHE_SECONDS,
            )
        return _headers(response)

    return wrapper


def _headers(response: HttpResponse) -> HttpResponse:
    if response.status_code == 200:
        # Short-lived everywhere; browsers revalidate with the ETag after that.
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
    patch_vary_headers(response, VARY_HEADERS)
    return response
